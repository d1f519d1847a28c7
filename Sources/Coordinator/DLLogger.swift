import Evaluation
import Foundation

/// The recipe's DLLogger report (`--raport_file`, spec §11): JSON lines prefixed `DLLL `
/// as NVIDIA dllogger's JSONStreamBackend writes them.
///
/// ```
/// DLLL {"timestamp": "1700000000.123", "elapsedtime": "0.001", "datetime": "2023-11-14 22:13:20.123000", "type": "METADATA", "metric": "train_throughput", "metadata": {"unit": "images/s"}}
/// DLLL {"timestamp": "…", "datetime": "…", "elapsedtime": "…", "type": "LOG", "step": [], "data": {"train_throughput": 31.5}}
/// ```
/// Besides the recipe's lines (throughput per training phase, the 12 COCO metrics per
/// evaluation) the coordinator logs the training losses with each log line, as
/// `"step": [120], "data": {"total_loss": …, "classification_loss": …, "localization_loss": …,
/// "regularization_loss": …, "learning_rate": …}`.
/// Each line is flushed when written, so the file is readable while training runs.
public final class DLLogger {
  public let path: String
  private let handle: FileHandle
  private let start = Date()

  /// Creates (truncates) `path` and writes the two METADATA lines of `setup_dllogger`.
  public init(path: String) throws {
    self.path = path
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw CoordinatorError.cannotWrite(path: path, reason: "cannot create the DLLogger report; check --raport_file")
    }
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    metadata(metric: "infer_throughput", unit: "images/s")
    metadata(metric: "train_throughput", unit: "images/s")
  }

  deinit { try? handle.close() }

  private func times() -> (timestamp: String, elapsed: String, datetime: String) {
    let now = Date()
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone.current
    f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
    return (String(now.timeIntervalSince1970), String(now.timeIntervalSince(start)), f.string(from: now))
  }

  private func write(_ json: String) {
    handle.write(Data(("DLLL " + json + "\n").utf8))
  }

  func metadata(metric: String, unit: String) {
    let t = times()
    write("{\"timestamp\": \(q(t.timestamp)), \"elapsedtime\": \(q(t.elapsed)), \"datetime\": \(q(t.datetime)), "
          + "\"type\": \"METADATA\", \"metric\": \(q(metric)), \"metadata\": {\"unit\": \(q(unit))}}")
  }

  /// A LOG line; `step` nil writes `"step": []` (what `dllogger.log(step=tuple(), data=…)`
  /// writes), a number `"step": [n]` (`dllogger.log(step=(n,), data=…)`).
  public func log(_ data: [(String, Double)], step: Int? = nil) {
    let t = times()
    let body = data.map { "\(q($0.0)): \(number($0.1))" }.joined(separator: ", ")
    let steps = step.map { "[\($0)]" } ?? "[]"
    write("{\"timestamp\": \(q(t.timestamp)), \"datetime\": \(q(t.datetime)), \"elapsedtime\": \(q(t.elapsed)), "
          + "\"type\": \"LOG\", \"step\": \(steps), \"data\": {\(body)}}")
  }

  private func q(_ s: String) -> String { JSONText.string(s) }

  /// Python's json.dumps of a float: shortest round trip, NaN/Infinity spelled as Python does.
  private func number(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
    return "\(v)"
  }
}
