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
    let json = sanitizeNonFinite(String(line.dropFirst(5)))
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    } catch {
      throw ReportError.badLogLine(path: path, line: lineNumber, reason: "invalid JSON")
    }
    guard let dict = object as? [String: Any] else {
      throw ReportError.badLogLine(path: path, line: lineNumber, reason: "the JSON value is not an object")
    }
    var r = DLLoggerRecord(type: dict["type"] as? String ?? "LOG", step: .none, numbers: [:], strings: [:])
    switch dict["step"] {
    case let list as [Any]:
      if let last = list.last { r.step = number(last).map { .global(Int($0)) } ?? .name("\(last)") }
    case let s as String: r.step = Int(s).map { .global($0) } ?? .name(s)
    case let v?: r.step = number(v).map { .global(Int($0)) } ?? .none
    case nil: break
    }
    if let data = dict["data"] as? [String: Any] {
      for (k, v) in data {
        if let n = number(v) { r.numbers[k] = n } else { r.strings[k] = "\(v)" }
      }
    }
    r.metric = dict["metric"] as? String
    r.unit = (dict["metadata"] as? [String: Any])?["unit"] as? String
    r.elapsed = (dict["elapsedtime"]).flatMap { number($0) ?? ($0 as? String).flatMap(Double.init) }
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

  static let nonFiniteSentinels = ["NaN": "\u{1}NaN", "Infinity": "\u{1}Infinity", "-Infinity": "\u{1}-Infinity"]

  /// Python's json writes NaN / Infinity / -Infinity bare; JSONSerialization rejects them.
  /// Outside strings they become marker strings that `number` turns back into doubles.
  static func sanitizeNonFinite(_ json: String) -> String {
    guard json.contains("NaN") || json.contains("Infinity") else { return json }
    var out = ""
    var inString = false, escaped = false
    var i = json.startIndex
    while i < json.endIndex {
      let c = json[i]
      if inString {
        out.append(c)
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
        i = json.index(after: i)
        continue
      }
      if c == "\"" { inString = true; out.append(c); i = json.index(after: i); continue }
      var matched = false
      for token in ["-Infinity", "Infinity", "NaN"] where json[i...].hasPrefix(token) {
        out += "\"\\u0001\(token)\""
        i = json.index(i, offsetBy: token.count)
        matched = true
        break
      }
      if !matched { out.append(c); i = json.index(after: i) }
    }
    return out
  }

  /// A JSON number (not a Bool), or a non-finite marker string, as a double.
  static func number(_ v: Any) -> Double? {
    if let s = v as? String {
      switch s {
      case "\u{1}NaN": return .nan
      case "\u{1}Infinity": return .infinity
      case "\u{1}-Infinity": return -.infinity
      default: return nil
      }
    }
    guard let n = v as? NSNumber, String(describing: Swift.type(of: v)) != "__NSCFBoolean",
          String(cString: n.objCType) != "c" else { return nil }
    return n.doubleValue
  }
}
