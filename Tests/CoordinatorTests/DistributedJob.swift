import Foundation
import TestSupport

/// A distributed run started through `launch/run.sh` (or any command line) for the
/// multi-process tests: output goes to a log file that the test can poll while the job runs.
///
/// The `ssd` binary is `$SSD_BINARY`, else `<package>/.build/debug/ssd` (what `swift build`
/// and `swift test` produce); `mpirun` must be on PATH.
final class DistributedJob {

  static var ssdBinary: String {
    if let b = ProcessInfo.processInfo.environment["SSD_BINARY"], !b.isEmpty { return b }
    return Fixtures.packageRoot.path + "/.build/debug/ssd"
  }

  let process = Process()
  let logPath: String
  let started = Date()
  private var finishedAt: Date?

  /// Runs `launch/run.sh WORKERS CONFIG MODEL_DIR FLAGS…` (MPI flags, OPENBLAS settings and
  /// `SSD_BIN` as a user gets them).
  convenience init(workers: Int, config: String, modelDir: String, flags: [String], log: String) throws {
    try self.init(executable: Fixtures.packageRoot.path + "/launch/run.sh", arguments: [String(workers), config, modelDir] + flags,
                  environment: ["SSD_BIN": Self.ssdBinary, "THREADS_PER_RANK": "1"], log: log)
  }

  init(executable: String, arguments: [String], environment: [String: String], log: String) throws {
    guard FileManager.default.isExecutableFile(atPath: Self.ssdBinary) else {
      throw HarnessError("no ssd binary at \(Self.ssdBinary): run swift build first or set SSD_BINARY")
    }
    logPath = log
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // Relative outputs (the DLLogger report's default summary.json) land next to the log.
    process.currentDirectoryURL = URL(fileURLWithPath: log).deletingLastPathComponent()
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// Polls the log until `text` appears (true) or the job ends / `timeout` passes (false).
  func waitFor(_ text: String, timeout: Double) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      if output.contains(text) { return true }
      if !process.isRunning { return output.contains(text) }
      usleep(50_000)
    }
    return false
  }

  /// Waits for the job to end; past `timeout` kills it (SIGKILL) and reports `timedOut`.
  /// `seconds` counts from `since` (default: the start).
  func finish(timeout: Double, since: Date? = nil) -> (status: Int32, seconds: Double, timedOut: Bool) {
    let from = since ?? started
    let end = from.addingTimeInterval(timeout)
    while process.isRunning && Date() < end { usleep(20_000) }
    var timedOut = false
    if process.isRunning {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    return (process.terminationStatus, Date().timeIntervalSince(from), timedOut)
  }

  /// `step N | loss X` lines: loss by step.
  var losses: [Int: Double] {
    var out: [Int: Double] = [:]
    for line in output.split(separator: "\n") where line.hasPrefix("step ") {
      let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count > 1, let step = Int(parts[0].dropFirst(5)), parts[1].hasPrefix("loss "),
            let loss = Double(parts[1].dropFirst(5)) else { continue }
      out[step] = loss
    }
    return out
  }

  /// The pid printed in the coordinator's banner for `who` ("coordinator (world rank 0, pid N)",
  /// "worker 1 (world rank 2, pid N)").
  func pid(of who: String) -> pid_t? {
    guard let r = output.range(of: who + " (world rank ") else { return nil }
    let rest = output[r.upperBound...]
    guard let p = rest.range(of: "pid ") else { return nil }
    return pid_t(rest[p.upperBound...].prefix { $0.isNumber })
  }
}
