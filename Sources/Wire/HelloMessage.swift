/// Worker → coordinator, once at start: who and where the worker is and what it built, so
/// the coordinator can check every worker agrees before training.
public struct HelloMessage: WireMessage, Equatable {
  public static let kind = MessageKind.hello
  /// Worker rank (world rank − 1).
  public var worker: Int
  /// Host name and its addresses, e.g. "node-b [10.200.0.3]".
  public var host: String
  public var pid: Int
  /// Training examples this worker indexes (every worker must see the same set).
  public var trainExamples: Int
  /// Floats in its trainable arena and in its batch-norm state arena.
  public var trainableCount: Int
  public var stateCount: Int

  public init(worker: Int, host: String, pid: Int, trainExamples: Int, trainableCount: Int, stateCount: Int) {
    self.worker = worker
    self.host = host
    self.pid = pid
    self.trainExamples = trainExamples
    self.trainableCount = trainableCount
    self.stateCount = stateCount
  }

  public func encode(to w: inout WireWriter) {
    w.int(worker)
    w.string(host)
    w.int(pid)
    w.int(trainExamples)
    w.int(trainableCount)
    w.int(stateCount)
  }

  public init(from r: inout WireReader) throws {
    worker = try r.int(in: 0...Int(Int32.max), "worker rank")
    host = try r.string()
    pid = try r.int()
    trainExamples = try r.int(in: 0...Int.max, "training example count")
    trainableCount = try r.int(in: 0...Int.max, "trainable count")
    stateCount = try r.int(in: 0...Int.max, "state count")
  }
}
