import Checkpoint
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a distributed job and restarts it after failures a restart can fix (`ssd supervise`,
/// `launch/run.sh … --max_restarts N`).
///
/// Each attempt runs the launcher (`launch/run.sh WORKERS CONFIG MODEL_DIR FLAGS`, one mpirun)
/// and passes its output through. When it fails, the end of the output says why
/// (`AttemptOutcome.classify`): a rank, node or link that died or stalled is restarted from the
/// newest committed checkpoint (the trainer resumes from model_dir by itself), without the
/// hosts that failed, as long as `RestartPolicy` allows; a configuration or data error, a
/// non-finite loss or a stop on request ends the supervision with the job's status. Every
/// attempt is logged in `RestartLog` and on standard output (`supervisor | …`).
///
/// SIGTERM, SIGINT, SIGUSR1, SIGUSR2 and SIGHUP are forwarded to the running attempt and end
/// the supervision after it (no restart).
public final class Supervisor {
  public struct Options: Sendable {
    public var launcher: String
    public var config: String
    public var modelDir: String
    /// Trainer flags, passed to every attempt.
    public var flags: [String]
    public var policy: RestartPolicy
    public var hosts: HostSource
    /// The launcher's environment (`HOSTFILE` is replaced by each attempt's hostfile).
    public var environment: [String: String]
    /// Pass `--global_batch_size=G` so that the trainer splits the kept global batch over the
    /// attempt's workers.
    public var passGlobalBatch: Bool

    public init(launcher: String, config: String, modelDir: String, flags: [String], policy: RestartPolicy,
                hosts: HostSource, environment: [String: String], passGlobalBatch: Bool)
    {
      self.launcher = launcher
      self.config = config
      self.modelDir = modelDir
      self.flags = flags
      self.policy = policy
      self.hosts = hosts
      self.environment = environment
      self.passGlobalBatch = passGlobalBatch
    }
  }

  static let forwardedSignals: [Int32] = [SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGHUP]

  let options: Options
  let log: RestartLog
  private let lock = NSLock()
  private var child: ChildProcess?
  private var stopSignal: Int32?
  private var signalSources: [DispatchSourceSignal] = []

  public init(options: Options) throws {
    self.options = options
    log = try RestartLog(modelDir: options.modelDir)
  }

  /// Supervises until the job finishes or cannot be restarted; returns the exit status to end
  /// with (0 when training finished, else the last attempt's status).
  public func run() throws -> Int32 {
    installSignalForwarding()
    defer { for s in signalSources { s.cancel() } }
    let policy = options.policy
    var excluded: [String: Date] = [:]   // host → when it failed
    var restarts = 0
    var attempt = 0
    var failedAt: Date?
    var lastStatus: Int32 = 0
    say("log: \(log.path); at most \(policy.maxRestarts) restart(s), at least \(policy.minWorkers) worker(s); "
        + (policy.keepGlobalBatch ? "global batch \(policy.globalBatch) kept whatever the worker count"
                                  : "per-worker batch \(policy.configBatch) kept"))
    while true {
      attempt += 1
      if let reason = stopReason() {
        return try stop(attempt: attempt - 1, status: lastStatus, reason: reason)
      }
      // Hosts: re-read the source; a host changed after its failure rejoins.
      let (available, changed) = try options.hosts.current()
      if let changed {
        for (host, at) in excluded where changed > at {
          excluded[host] = nil
          say("\(host) rejoins (\(hostSourceName) changed after its failure)")
        }
      }
      excluded = excluded.filter { available.hosts.contains($0.key) }
      let isLocal = options.hosts == .local
      let capacity = isLocal ? policy.workers : HostPlan.capacity(available, excluding: Set(excluded.keys))
      guard let workers = policy.workerCount(capacity: capacity) else {
        let reason = "only \(capacity) worker slot(s) left on \(available.entries.count - excluded.count) host(s) "
          + "(left out: \(excluded.keys.sorted().joined(separator: ", "))); --min_workers is \(policy.minWorkers)"
          + (policy.keepGlobalBatch ? " (worker counts must divide the global batch \(policy.globalBatch))" : "")
        return try stop(attempt: attempt - 1, status: lastStatus == 0 ? 1 : lastStatus, reason: reason)
      }
      var environment = options.environment
      var plan: HostPlan?
      if !isLocal {
        let p = HostPlan(hosts: available, excluding: Set(excluded.keys), workers: workers)
        let path = "\(options.modelDir)/\(RestartLog.directoryName)/attempt-\(attempt).hosts"
        do {
          try p.hostfile.rendered().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
          throw SupervisorError.cannotWrite(path: path, reason: "\(error)")
        }
        environment["HOSTFILE"] = path
        plan = p
      }
      let perWorker = policy.perWorkerBatch(workers: workers)
      let resumeStep = Self.checkpointStep(modelDir: options.modelDir)
      var start = RestartRecord(event: "start", attempt: attempt, time: Date().timeIntervalSince1970)
      start.restart = restarts
      start.workers = workers
      start.hosts = plan?.hosts ?? []
      start.excluded = plan?.excluded ?? []
      start.globalBatch = perWorker * workers
      start.perWorkerBatch = perWorker
      start.resumeStep = resumeStep
      try log.append(start)
      say("attempt \(attempt)\(restarts > 0 ? " (restart \(restarts) of \(policy.maxRestarts))" : ""): \(workers) worker(s)"
          + (plan.map { " on " + $0.entries.map { "\($0.host) (\($0.slots))" }.joined(separator: ", ") } ?? "")
          + (plan.map { $0.excluded.isEmpty ? "" : "; left out: " + $0.excluded.joined(separator: ", ") } ?? "")
          + "; global batch \(perWorker * workers) = \(perWorker) per worker × \(workers)"
          + (resumeStep.map { "; resuming from the checkpoint of step \($0)" } ?? "; no checkpoint yet"))

      var arguments = [String(workers), options.config, options.modelDir] + options.flags
      if options.passGlobalBatch && policy.keepGlobalBatch { arguments.append("--global_batch_size=\(policy.globalBatch)") }
      let process = try ChildProcess(executable: options.launcher, arguments: arguments, environment: environment)
      lock.withLock { child = process }
      if let s = lock.withLock({ stopSignal }) { process.signal(s) }  // a signal that came while starting
      var output = AttemptOutput()
      var loggedFirstStep = false
      let status = process.pump { bytes in
        FileHandle.standardOutput.write(Data(bytes))
        output.consume(bytes)
        if !loggedFirstStep, let first = output.firstStep {
          loggedFirstStep = true
          var r = RestartRecord(event: "first_step", attempt: attempt, time: first.at.timeIntervalSince1970)
          r.step = first.step
          r.downtimeSeconds = failedAt.map { first.at.timeIntervalSince($0) }
          try? log.append(r)
          if let failedAt {
            say(String(format: "attempt %d: first step (%d) %.1f s after attempt %d ended", attempt, first.step,
                       first.at.timeIntervalSince(failedAt), attempt - 1))
          }
        }
      }
      lock.withLock { child = nil }
      output.finish()
      let ended = Date()
      lastStatus = status
      let outcome = AttemptOutcome.classify(status: status, tail: output.tail, ranks: output.ranks,
                                            hosts: plan?.hosts ?? [], stopRequested: stopReason() != nil)
      let checkpointStep = Self.checkpointStep(modelDir: options.modelDir)
      var end = RestartRecord(event: "end", attempt: attempt, time: ended.timeIntervalSince1970)
      end.status = status
      end.outcome = outcome.label
      end.cause = outcome.reason
      end.lastStep = output.lastStep
      end.checkpointStep = checkpointStep
      if case let .restartable(_, failed) = outcome {
        end.failedHosts = failed
        if let last = output.lastStep { end.stepsLost = max(0, last - (checkpointStep ?? 0)) }
      }
      try log.append(end)
      say("attempt \(attempt) ended with status \(status): \(outcome.reason)"
          + (output.lastStep.map { "; last step logged \($0)" } ?? "")
          + (checkpointStep.map { ", newest checkpoint step \($0)" } ?? ", no checkpoint")
          + (end.stepsLost.map { " (\($0) step(s) to train again)" } ?? ""))

      switch outcome {
      case .finished:
        return try stop(attempt: attempt, status: 0, reason: "training finished")
      case let .stopped(reason), let .fatal(reason):
        return try stop(attempt: attempt, status: status, reason: reason)
      case let .restartable(_, failed):
        guard restarts < policy.maxRestarts else {
          return try stop(attempt: attempt, status: status, reason: "no restarts left (--max_restarts \(policy.maxRestarts))")
        }
        restarts += 1
        failedAt = ended
        for host in failed { excluded[host] = ended }
        if !failed.isEmpty { say("leaving out \(failed.joined(separator: ", ")) from now on") }
      }
    }
  }

  private var hostSourceName: String {
    if case let .hostfile(path) = options.hosts { return path }
    return "the host list"
  }

  private func stop(attempt: Int, status: Int32, reason: String) throws -> Int32 {
    var r = RestartRecord(event: "stop", attempt: attempt, time: Date().timeIntervalSince1970)
    r.status = status
    r.reason = reason
    try log.append(r)
    say("stopping (exit status \(status)): \(reason)")
    return status
  }

  private func stopReason() -> String? {
    lock.withLock { stopSignal }.map { "signal \($0) to the supervisor" }
  }

  private func say(_ text: String) {
    FileHandle.standardOutput.write(Data("supervisor | \(text)\n".utf8))
  }

  private func installSignalForwarding() {
    for s in Self.forwardedSignals {
      Glibc.signal(s, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
      source.setEventHandler { [weak self] in
        guard let self else { return }
        let target = self.lock.withLock { () -> ChildProcess? in
          if self.stopSignal == nil { self.stopSignal = s }
          return self.child
        }
        FileHandle.standardOutput.write(Data("supervisor | signal \(s): forwarded to the job; no restart after it\n".utf8))
        target?.signal(s)
      }
      source.resume()
      signalSources.append(source)
    }
  }

  /// The step of the newest committed checkpoint of `modelDir` (`model.ckpt-STEP`), if any.
  public static func checkpointStep(modelDir: String) -> Int? {
    guard let state = try? CheckpointState.read(directory: modelDir) else { return nil }
    guard let dash = state.modelCheckpointPath.range(of: "ckpt-", options: .backwards) else { return nil }
    return Int(state.modelCheckpointPath[dash.upperBound...].prefix { $0.isNumber })
  }
}
