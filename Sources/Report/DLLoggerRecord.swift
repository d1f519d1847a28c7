import Foundation

/// One line of a DLLogger JSON-lines report (`DLLL {json}`, NVIDIA dllogger's
/// JSONStreamBackend, spec §11). Only what the report uses is kept.
///
/// ```
/// DLLL {"timestamp": "1700000000.1", "elapsedtime": "0.2", "datetime": "…", "type": "METADATA", "metric": "train_throughput", "metadata": {"unit": "images/s"}}
/// DLLL {"timestamp": "…", "datetime": "…", "elapsedtime": "…", "type": "LOG", "step": [120], "data": {"total_loss": 1.25, "learning_rate": 0.01}}
/// DLLL {"timestamp": "…", "datetime": "…", "elapsedtime": "…", "type": "LOG", "step": "PARAMETER", "data": {"num_steps": 1000}}
/// ```
/// `step` is `[]` (dllogger's `step=()`), a list of integers whose last element is the
/// global step, an integer, or a name (`"PARAMETER"`). Python's `NaN`/`Infinity` literals
/// are accepted in numbers.
public struct DLLoggerRecord: Equatable, Sendable {
  public enum Step: Equatable, Sendable {
    case none
    case global(Int)
    case name(String)
  }

  public var type: String
  public var step: Step
  /// Numeric data entries.
  public var numbers: [String: Double]
  /// Non-numeric data entries, as text.
  public var strings: [String: String]
  /// METADATA lines: the metric and its unit.
  public var metric: String?
  public var unit: String?
  /// `elapsedtime` in seconds, when present.
  public var elapsed: Double?

  /// Parses one line (with the `DLLL ` prefix). Returns nil for lines that are not DLLogger
  /// lines at all (other output mixed into the file); throws for a `DLLL ` line whose JSON
  /// is damaged.
  public static func parse(_ line: Substring, path: String, lineNumber: Int) throws -> DLLoggerRecord? {
    guard line.hasPrefix("DLLL ") else { return nil }
    let value: JSONValue
    do {
      value = try JSONValue.parse(String(line.dropFirst(5)))
    } catch {
      throw ReportError.badLogLine(path: path, line: lineNumber, reason: "invalid JSON")
    }
    guard let dict = value.object else {
      throw ReportError.badLogLine(path: path, line: lineNumber, reason: "the JSON value is not an object")
    }
    var r = DLLoggerRecord(type: dict["type"]?.string ?? "LOG", step: .none, numbers: [:], strings: [:])
    func globalStep(_ n: Double) throws -> Step {
      guard let step = Int(exactly: n) else {
        throw ReportError.badLogLine(path: path, line: lineNumber, reason: "step \(LinePlot.number(n)) is not an integer")
      }
      return .global(step)
    }
    switch dict["step"] {
    case .array(let list)?:
      if let last = list.last { r.step = try last.number.map(globalStep) ?? .name(last.text) }
    case .string(let s)?: r.step = Int(s).map { .global($0) } ?? .name(s)
    case .number(let n)?: r.step = try globalStep(n)
    default: break
    }
    for (k, v) in dict["data"]?.object ?? [:] {
      if let n = v.number { r.numbers[k] = n } else { r.strings[k] = v.text }
    }
    r.metric = dict["metric"]?.string
    r.unit = dict["metadata"]?.object?["unit"]?.string
    r.elapsed = dict["elapsedtime"].flatMap { $0.number ?? $0.string.flatMap(Double.init) }
    return r
  }
  /// Reads every DLLogger line of a file (other lines are skipped).
  public static func read(path: String) throws -> [DLLoggerRecord] {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ReportError.unreadable(path: path, reason: error.localizedDescription)
    }
    var out: [DLLoggerRecord] = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if let r = try parse(line, path: path, lineNumber: i + 1) { out.append(r) }
    }
    return out
  }

  /// Whether a file starts like a DLLogger report.
  public static func looksLikeReport(path: String) -> Bool {
    guard let h = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? h.close() }
    return (try? h.read(upToCount: 5)) == Data("DLLL ".utf8)
  }
}
