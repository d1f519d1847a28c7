import CMPI
import Foundation

/// `Transport` over MPI non-blocking point-to-point calls (`MPI_Irecv`, `MPI_Isend`,
/// `MPI_Test`) on one `Communicator`. Every call must come from the communicator's owner
/// thread. Waiting (see `Transport+Wait.swift`) polls `MPI_Test` with a sleeping backoff
/// instead of Open MPI's busy-polling `MPI_Wait`.
public final class MPITransport: Transport {
  public let communicator: Communicator
  public var rank: Int { communicator.rank }
  public var size: Int { communicator.size }
  private var requests: [Int: MPI_Request?] = [:]
  private var nextID = 1

  public init(communicator: Communicator) {
    self.communicator = communicator
  }

  /// Requests posted and not yet completed.
  public var pendingCount: Int { requests.count }

  private func register(_ request: MPI_Request?) -> TransportRequest {
    let id = nextID
    nextID += 1
    requests[id] = request
    return TransportRequest(id: id)
  }

  private func count(_ n: Int, _ call: String) throws -> Int32 {
    guard n <= Int(Int32.max) else {
      throw MPIError(call: call, code: 0, message: "\(n) elements exceed MPI's 32-bit count; split the buffer")
    }
    return Int32(n)
  }

  private func checkPeer(_ peer: Int, tag: Int) {
    precondition((0..<size).contains(peer), "peer rank \(peer) outside 0..<\(size)")
    precondition((0...maximumTransportTag).contains(tag), "tag \(tag) outside 0...\(maximumTransportTag)")
  }

  /// Posts one non-blocking call on `peer`: `start(count, &request)` is the MPI_Irecv or
  /// MPI_Isend of `elements` elements.
  private func post(_ call: String, elements: Int, peer: Int, tag: Int,
                    _ start: (_ count: Int32, _ request: inout MPI_Request?) -> Int32) throws -> TransportRequest {
    communicator.checkThread()
    checkPeer(peer, tag: tag)
    let n = try count(elements, call)
    var request: MPI_Request? = nil
    try Communicator.check(start(n, &request), call)
    return register(request)
  }

  public func postReceive(_ buffer: UnsafeMutableBufferPointer<Float>, from source: Int, tag: Int) throws -> TransportRequest {
    try post("MPI_Irecv", elements: buffer.count, peer: source, tag: tag) { n, request in
      MPI_Irecv(buffer.baseAddress, n, cmpi_float(), Int32(source), Int32(tag), communicator.handle, &request)
    }
  }

  public func postReceive(_ buffer: UnsafeMutableRawBufferPointer, from source: Int, tag: Int) throws -> TransportRequest {
    try post("MPI_Irecv", elements: buffer.count, peer: source, tag: tag) { n, request in
      MPI_Irecv(buffer.baseAddress, n, cmpi_byte(), Int32(source), Int32(tag), communicator.handle, &request)
    }
  }

  public func postSend(_ buffer: UnsafeBufferPointer<Float>, to destination: Int, tag: Int) throws -> TransportRequest {
    try post("MPI_Isend", elements: buffer.count, peer: destination, tag: tag) { n, request in
      MPI_Isend(buffer.baseAddress, n, cmpi_float(), Int32(destination), Int32(tag), communicator.handle, &request)
    }
  }

  public func postSend(_ buffer: UnsafeRawBufferPointer, to destination: Int, tag: Int) throws -> TransportRequest {
    try post("MPI_Isend", elements: buffer.count, peer: destination, tag: tag) { n, request in
      MPI_Isend(buffer.baseAddress, n, cmpi_byte(), Int32(destination), Int32(tag), communicator.handle, &request)
    }
  }

  public func probe(from source: Int, tag: Int) throws -> Int? {
    communicator.checkThread()
    checkPeer(source, tag: tag)
    var flag: Int32 = 0
    var status = MPI_Status()
    try Communicator.check(MPI_Iprobe(Int32(source), Int32(tag), communicator.handle, &flag, &status), "MPI_Iprobe")
    guard flag != 0 else { return nil }
    var bytes: Int32 = 0
    try Communicator.check(MPI_Get_count(&status, cmpi_byte(), &bytes), "MPI_Get_count")
    guard bytes >= 0 else {
      throw MPIError(call: "MPI_Get_count", code: 0, message: "message from rank \(source) has no byte count")
    }
    return Int(bytes)
  }

  public func test(_ request: TransportRequest) throws -> Bool {
    communicator.checkThread()
    guard var handle: MPI_Request? = requests[request.id] else {
      preconditionFailure("request \(request.id) is unknown or was already completed")
    }
    var flag: Int32 = 0
    let code = MPI_Test(&handle, &flag, cmpi_status_ignore())
    if code != cmpi_success() {
      requests[request.id] = nil
      throw MPIError(call: "MPI_Test", code: code, message: Communicator.errorString(code))
    }
    if flag != 0 {
      requests[request.id] = nil
      return true
    }
    requests[request.id] = handle
    return false
  }

  public func cancel(_ request: TransportRequest) {
    communicator.checkThread()
    guard var handle: MPI_Request? = requests.removeValue(forKey: request.id) else { return }
    MPI_Cancel(&handle)
    MPI_Request_free(&handle)
  }

  public func abort(_ code: AbortCode, reason: String) {
    communicator.abort(code, reason: reason)
  }
}
