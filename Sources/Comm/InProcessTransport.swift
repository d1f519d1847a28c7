import Foundation

/// One rank of an `InProcessWorld`: a `Transport` whose peers are threads of this process.
public final class InProcessTransport: Transport {
  public let world: InProcessWorld
  public let rank: Int
  public var size: Int { world.size }

  init(world: InProcessWorld, rank: Int) {
    self.world = world
    self.rank = rank
  }

  private func checkPeer(_ peer: Int) {
    precondition((0..<size).contains(peer), "peer rank \(peer) outside 0..<\(size)")
  }

  public func postReceive(_ buffer: UnsafeMutableBufferPointer<Float>, from source: Int, tag: Int) throws -> TransportRequest {
    try postReceive(UnsafeMutableRawBufferPointer(buffer), from: source, tag: tag)
  }

  public func postReceive(_ buffer: UnsafeMutableRawBufferPointer, from source: Int, tag: Int) throws -> TransportRequest {
    checkPeer(source)
    return TransportRequest(id: try world.receive(at: rank, from: source, tag: tag, into: buffer))
  }

  public func postSend(_ buffer: UnsafeBufferPointer<Float>, to destination: Int, tag: Int) throws -> TransportRequest {
    try postSend(UnsafeRawBufferPointer(buffer), to: destination, tag: tag)
  }

  public func postSend(_ buffer: UnsafeRawBufferPointer, to destination: Int, tag: Int) throws -> TransportRequest {
    checkPeer(destination)
    return TransportRequest(id: try world.send(from: rank, to: destination, tag: tag, bytes: buffer))
  }

  public func probe(from source: Int, tag: Int) throws -> Int? {
    checkPeer(source)
    return try world.probe(at: rank, from: source, tag: tag)
  }

  public func test(_ request: TransportRequest) throws -> Bool {
    try world.test(request.id)
  }

  public func cancel(_ request: TransportRequest) {
    world.cancel(request.id, at: rank)
  }

  public func abort(_ code: AbortCode, reason: String) {
    FileHandle.standardError.write("rank \(rank): aborting the in-process job (\(code)): \(reason)\n".data(using: .utf8)!)
    world.abort(reason: reason)
  }
}
