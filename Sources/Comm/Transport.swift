/// A handle for one posted send or receive. Completed by `Transport.test(_:)` returning true;
/// after that the handle is released and must not be tested again.
public struct TransportRequest: Hashable, Sendable {
  /// The transport's own identifier for this operation.
  public let id: Int
  public init(id: Int) { self.id = id }
}

/// Tagged point-to-point messaging between the ranks of one job: the only thing the
/// collectives (`RingAllReduce`, `GradientReduction`, `LayoutCheck`) need. Tags come from
/// `CollectiveTag`, the registry of every tag in use.
///
/// Semantics follow MPI's non-blocking point-to-point calls:
/// - A receive matches the oldest unmatched message from `source` with the same `tag`;
///   messages between one pair of ranks with one tag never overtake each other.
/// - A message may be shorter than the receive buffer, never longer (that is an error).
/// - Buffers passed to `postSend`/`postReceive` must stay valid and untouched until the
///   request completes.
/// - A transport object is used by one thread at a time; `MPITransport` requires that it is
///   always the same thread (the one that made its `Communicator`).
///
/// Waiting is `wait(_:)`/`waitAll(_:)` (see `Transport+Wait.swift`): they poll `test` with a
/// backoff that sleeps, so a waiting rank does not burn a core.
public protocol Transport: AnyObject {
  /// This process's rank, 0..<size.
  var rank: Int { get }
  /// Number of ranks in the job.
  var size: Int { get }

  /// Starts receiving up to `buffer.count` floats from `source` with `tag`.
  func postReceive(_ buffer: UnsafeMutableBufferPointer<Float>, from source: Int, tag: Int) throws -> TransportRequest
  /// Starts receiving up to `buffer.count` bytes from `source` with `tag`.
  func postReceive(_ buffer: UnsafeMutableRawBufferPointer, from source: Int, tag: Int) throws -> TransportRequest
  /// Starts sending `buffer` (floats) to `destination` with `tag`.
  func postSend(_ buffer: UnsafeBufferPointer<Float>, to destination: Int, tag: Int) throws -> TransportRequest
  /// Starts sending `buffer` (bytes) to `destination` with `tag`.
  func postSend(_ buffer: UnsafeRawBufferPointer, to destination: Int, tag: Int) throws -> TransportRequest

  /// The size in bytes of the next message from `source` with `tag` if it has arrived, without
  /// receiving it (a receive posted next on this source and tag gets that message); nil while
  /// none has. Lets a receiver size its buffer from what was sent rather than from a claim.
  func probe(from source: Int, tag: Int) throws -> Int?

  /// True once `request` has completed (and releases it); false while it is in flight.
  /// Throws the operation's error (truncation, aborted job, MPI failure).
  func test(_ request: TransportRequest) throws -> Bool

  /// Withdraws a posted request that will not be waited for (error paths), so the transport
  /// no longer touches its buffer. Unknown or already completed requests are ignored.
  func cancel(_ request: TransportRequest)

  /// Ends the whole job because of `reason` (printed to standard error). `MPITransport` calls
  /// `MPI_Abort` with `code` and does not return; `InProcessTransport` makes every rank's
  /// pending and future operations throw `CommError.aborted`.
  func abort(_ code: AbortCode, reason: String)
}

/// The largest tag any collective here uses (MPI guarantees at least 32767).
public let maximumTransportTag = 32767
