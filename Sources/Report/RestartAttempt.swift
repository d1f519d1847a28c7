import Foundation

/// One attempt of a supervised job (`ssd supervise`, `launch/run.sh … --max_restarts`), from
/// the supervisor's restart log `MODEL_DIR/supervisor/restarts.jsonl` (JSON lines: `start`,
/// `first_step`, `end` and `stop` records; see Sources/Supervisor/RestartRecord.swift).
public struct RestartAttempt: Equatable, Sendable {
  public var attempt: Int
  /// 0 for the first attempt.
  public var restart: Int
  public var workers: Int?
  public var hosts: [String] = []
  /// Hosts left out after failures.
  public var excluded: [String] = []
  public var globalBatch: Int?
  public var perWorkerBatch: Int?
  /// The checkpoint step it resumed from (nil: fresh start).
  public var resumeStep: Int?
  /// Seconds from the end of the failed attempt to this one's first step (restarts only).
  public var downtimeSeconds: Double?
  public var status: Int?
  /// finished, restart, fatal or stopped.
  public var outcome: String?
  public var cause: String?
  public var failedHosts: [String] = []
  public var lastStep: Int?
  public var stepsLost: Int?

  /// The log's attempts in order; nil when the file does not exist. Lines that do not parse
  /// are skipped.
  static func read(path: String) -> [RestartAttempt]? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var byAttempt: [Int: RestartAttempt] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      guard let r = (try? JSONValue.parse(String(line)))?.object, let event = r["event"]?.string,
            let n = r["attempt"]?.number.map(Int.init), n >= 1 else { continue }
      var a = byAttempt[n] ?? RestartAttempt(attempt: n, restart: 0)
      func int(_ key: String) -> Int? { r[key]?.number.map { Int($0) } }
      func strings(_ key: String) -> [String] { r[key]?.array?.compactMap(\.string) ?? [] }
      switch event {
      case "start":
        a.restart = int("restart") ?? 0
        a.workers = int("workers")
        a.hosts = strings("hosts")
        a.excluded = strings("excluded")
        a.globalBatch = int("global_batch")
        a.perWorkerBatch = int("per_worker_batch")
        a.resumeStep = int("resume_step")
      case "first_step":
        a.downtimeSeconds = r["downtime_seconds"]?.number
      case "end":
        a.status = int("status")
        a.outcome = r["outcome"]?.string
        a.cause = r["cause"]?.string
        a.failedHosts = strings("failed_hosts")
        a.lastStep = int("last_step")
        a.stepsLost = int("steps_lost")
      default:
        continue
      }
      byAttempt[n] = a
    }
    return byAttempt.keys.sorted().map { byAttempt[$0]! }
  }
}
