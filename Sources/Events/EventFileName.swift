import Foundation

/// Event file names as TensorFlow's writer makes them:
/// `events.out.tfevents.<unix seconds, 10 digits>.<hostname><suffix>`, e.g.
/// `events.out.tfevents.1700000000.node7`. TensorBoard reads every file of a directory whose
/// name contains `tfevents`, in name order.
public enum EventFileName {
  public static let prefix = "events.out.tfevents."

  /// The file name for a writer started at `time` on `hostname` (a `/` in it becomes `_`).
  public static func make(time: Date, hostname: String, suffix: String = "") -> String {
    let seconds = Int64(time.timeIntervalSince1970.rounded(.down))
    let host = hostname.replacingOccurrences(of: "/", with: "_")
    return prefix + String(format: "%010lld", seconds) + "." + host + suffix
  }

  /// This machine's host name (`gethostname`), or `localhost`.
  public static var hostname: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    let name = String(cString: buffer)
    return name.isEmpty ? "localhost" : name
  }

  /// Whether TensorBoard takes `name` for an event file.
  public static func isEventFile(_ name: String) -> Bool { name.contains("tfevents") }

  /// The event files directly in `directory`, in name order (TensorBoard's reading order);
  /// empty when there are none or the directory does not exist.
  public static func files(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter(isEventFile).sorted().map { (directory as NSString).appendingPathComponent($0) }
  }
}
