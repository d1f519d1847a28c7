import Foundation

/// The shared mailbox of an in-process job: `size` ranks that are threads of one process,
/// each talking through its own `InProcessTransport`. For tests (collectives at world sizes
/// 1–5 without `mpirun`).
///
/// Sends are eager: the payload is copied into the world at `postSend`, which completes at
/// once; a receive completes when a matching message is (or has been) sent. Matching is
/// FIFO per (source, destination, tag), as in MPI. One lock guards everything.
public final class InProcessWorld: @unchecked Sendable {
  public let size: Int

  struct Message {
    let source: Int
    let tag: Int
    let bytes: [UInt8]
  }

  struct PostedReceive {
    let source: Int
    let tag: Int
    let buffer: UnsafeMutableRawBufferPointer
    let request: Int
  }

  enum State {
    case pending
    case failed(CommError)
  }

  let lock = NSLock()
  /// Messages sent to rank r that no receive has matched yet, oldest first.
  var unmatched: [[Message]]
  /// Receives posted by rank r that no message has matched yet, oldest first.
  var posted: [[PostedReceive]]
  /// Requests not yet completed (completed ones are removed), by id.
  var states: [Int: State] = [:]
  var nextRequest = 1
  var abortReason: String?

  public init(size: Int) {
    precondition(size >= 1, "an in-process world needs at least one rank, got \(size)")
    self.size = size
    unmatched = Array(repeating: [], count: size)
    posted = Array(repeating: [], count: size)
  }

  /// The transport of `rank`. Make each one once and use it from one thread at a time.
  public func transport(rank: Int) -> InProcessTransport {
    precondition((0..<size).contains(rank), "rank \(rank) outside 0..<\(size)")
    return InProcessTransport(world: self, rank: rank)
  }

  /// Runs `body` on `size` threads, one per rank, and returns each rank's result (index = rank)
  /// once all have finished.
  public static func run<T>(size: Int, _ body: @escaping (InProcessTransport) throws -> T) -> [Result<T, Error>] {
    let world = InProcessWorld(size: size)
    let results = ResultBox<T>(count: size)
    let group = DispatchGroup()
    for rank in 0..<size {
      group.enter()
      let thread = Thread {
        let outcome = Result { try body(world.transport(rank: rank)) }
        results.set(rank, outcome)
        group.leave()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    group.wait()
    return results.values.map { $0! }
  }

  // MARK: Called by InProcessTransport (all under `lock`).

  func newRequest(_ state: State?) -> Int {
    let id = nextRequest
    nextRequest += 1
    if let state { states[id] = state }
    return id
  }

  func send(from source: Int, to destination: Int, tag: Int, bytes: UnsafeRawBufferPointer) throws -> Int {
    lock.lock()
    defer { lock.unlock() }
    if let abortReason { throw CommError.aborted(reason: abortReason) }
    if let i = posted[destination].firstIndex(where: { $0.source == source && $0.tag == tag }) {
      let receive = posted[destination].remove(at: i)
      if bytes.count > receive.buffer.count {
        states[receive.request] = .failed(.truncated(source: source, tag: tag, messageBytes: bytes.count,
                                                     bufferBytes: receive.buffer.count))
      } else {
        if bytes.count > 0 { receive.buffer.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        states[receive.request] = nil
      }
    } else {
      unmatched[destination].append(Message(source: source, tag: tag, bytes: Array(bytes)))
    }
    return newRequest(nil)
  }

  func receive(at destination: Int, from source: Int, tag: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    lock.lock()
    defer { lock.unlock() }
    if let abortReason { throw CommError.aborted(reason: abortReason) }
    if let i = unmatched[destination].firstIndex(where: { $0.source == source && $0.tag == tag }) {
      let message = unmatched[destination].remove(at: i)
      if message.bytes.count > buffer.count {
        return newRequest(.failed(.truncated(source: source, tag: tag, messageBytes: message.bytes.count,
                                             bufferBytes: buffer.count)))
      }
      message.bytes.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
      return newRequest(nil)
    }
    let id = newRequest(.pending)
    posted[destination].append(PostedReceive(source: source, tag: tag, buffer: buffer, request: id))
    return id
  }

  func probe(at destination: Int, from source: Int, tag: Int) throws -> Int? {
    lock.lock()
    defer { lock.unlock() }
    if let abortReason { throw CommError.aborted(reason: abortReason) }
    return unmatched[destination].first(where: { $0.source == source && $0.tag == tag })?.bytes.count
  }

  func test(_ request: Int) throws -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard let state = states[request] else { return true }
    switch state {
    case .pending:
      if let abortReason { throw CommError.aborted(reason: abortReason) }
      return false
    case let .failed(error):
      states[request] = nil
      throw error
    }
  }

  func cancel(_ request: Int, at destination: Int) {
    lock.lock()
    defer { lock.unlock() }
    posted[destination].removeAll { $0.request == request }
    states[request] = nil
  }

  func abort(reason: String) {
    lock.lock()
    defer { lock.unlock() }
    if abortReason == nil { abortReason = reason }
  }
}

/// Per-rank results collected by `InProcessWorld.run`.
private final class ResultBox<T>: @unchecked Sendable {
  private let lock = NSLock()
  var values: [Result<T, Error>?]
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: Result<T, Error>) {
    lock.lock()
    values[i] = value
    lock.unlock()
  }
}
