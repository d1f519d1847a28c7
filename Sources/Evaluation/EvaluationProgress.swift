/// Progress lines of a long evaluation: `evaluation: 1200/5000 images (24%), 15.3 images/s,
/// ETA 4m08s`. A line is due every `every` seconds of running (none for an evaluation that
/// ends sooner), and at the end once any was printed. Times are seconds on any monotonic
/// clock, passed in, so the schedule is testable.
public struct EvaluationProgress: Sendable {
  public let total: Int
  public let every: Double
  private let start: Double
  private var nextLine: Double
  private var printed = false

  public init(total: Int, every: Double = 15, now: Double) {
    self.total = total
    self.every = every
    self.start = now
    self.nextLine = now + every
  }

  /// The line to print after `done` images at time `now`, if one is due.
  public mutating func update(done: Int, now: Double) -> String? {
    let finished = done >= total
    guard now >= nextLine || (finished && printed) else { return nil }
    while nextLine <= now { nextLine += every }
    printed = true
    return Self.line(done: done, total: total, seconds: now - start)
  }

  /// `evaluation: D/T images (P%), R images/s, ETA E` (or `done in E` at the end).
  public static func line(done: Int, total: Int, seconds: Double) -> String {
    let rate = seconds > 0 ? Double(done) / seconds : 0
    let percent = total > 0 ? 100 * done / total : 100
    var text = "evaluation: \(done)/\(total) images (\(percent)%), " + format(rate, digits: 1) + " images/s, "
    if done >= total {
      text += "done in " + duration(seconds)
    } else {
      text += "ETA " + (rate > 0 ? duration(Double(total - done) / rate) : "?")
    }
    return text
  }

  static func format(_ v: Double, digits: Int) -> String {
    let scale = Double([1, 10, 100, 1000][min(digits, 3)])
    let r = (v * scale).rounded() / scale
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
      let decimals = s.distance(from: dot, to: s.endIndex) - 1
      if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
      s += "." + String(repeating: "0", count: digits)
    }
    return s
  }

  /// `42s`, `4m08s`, `1h02m05s`.
  public static func duration(_ seconds: Double) -> String {
    let t = Int(max(0, seconds).rounded())
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    if t >= 3600 { return "\(t / 3600)h\(two((t / 60) % 60))m\(two(t % 60))s" }
    if t >= 60 { return "\(t / 60)m\(two(t % 60))s" }
    return "\(t)s"
  }
}
