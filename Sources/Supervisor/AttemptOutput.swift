import Foundation

/// What the supervisor keeps of one attempt's console output while passing it through: the
/// rank-to-host banner, the steps logged (`step N | …`), when the first step line appeared,
/// and the last lines (mpirun's failure report comes at the end).
public struct AttemptOutput: Sendable {
  public var ranks = RankHosts()
  /// The highest step of a `step N |` line.
  public var lastStep: Int?
  /// The first `step N |` line's step and when it was read.
  public var firstStep: (step: Int, at: Date)?
  /// The last `tailLimit` lines.
  public private(set) var tail: [String] = []
  private var partial = ""
  public let tailLimit: Int

  public init(tailLimit: Int = 400) { self.tailLimit = tailLimit }

  /// Feeds bytes as they arrive; complete lines are scanned. Returns the lines completed.
  @discardableResult
  public mutating func consume(_ bytes: [UInt8], at time: Date = Date()) -> Int {
    partial += String(decoding: bytes, as: UTF8.self)
    var count = 0
    while let nl = partial.firstIndex(of: "\n") {
      let line = String(partial[..<nl])
      partial = String(partial[partial.index(after: nl)...])
      scan(line, at: time)
      count += 1
    }
    if partial.utf8.count > 1 << 16 {  // a very long line without newline: scan what we have
      scan(partial, at: time)
      partial = ""
    }
    return count
  }

  /// Scans what is left after the process ended.
  public mutating func finish(at time: Date = Date()) {
    if !partial.isEmpty { scan(partial, at: time) }
    partial = ""
  }

  mutating func scan(_ line: String, at time: Date) {
    if !ranks.read(line: line), line.hasPrefix("step "), let step = Int(line.dropFirst(5).prefix { $0.isNumber }),
       line.dropFirst(5).drop(while: \.isNumber).hasPrefix(" |")
    {
      lastStep = max(lastStep ?? step, step)
      if firstStep == nil { firstStep = (step, time) }
    }
    tail.append(line)
    if tail.count > tailLimit { tail.removeFirst(tail.count - tailLimit) }
  }
}
