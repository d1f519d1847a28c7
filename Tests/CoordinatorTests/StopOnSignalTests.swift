import Foundation
import Testing
import TestSupport

extension DistributedRunTests {
  /// Checkpoint on preemption (`StopSignals`, `TrainingCoordinator.stopRequest`): a signal to a
  /// worker, to the coordinator or to `launch/run.sh` (which forwards it through mpirun) stops
  /// the job after its current step with a checkpoint of that step and exit status 75; the job
  /// started again resumes there and ends bit-identical to a run that never stopped. A second
  /// signal aborts at once, even while a step cannot finish.
  @Suite(.serialized) struct StopOnSignalTests {
    static let steps = 6

    func start(_ config: String, _ model: String, _ log: String, flags: [String] = []) throws -> DistributedJob {
      try DistributedJob(workers: 2, config: config, modelDir: model, flags: DistributedConfigs.commonFlags + flags, log: log)
    }

    /// The step of the "stopped on signal … at step N" line.
    static func stoppedAt(_ output: String) -> Int? {
      guard let line = output.split(separator: "\n").last(where: { $0.contains("stopped on signal") }),
            let r = line.range(of: " at step ") else { return nil }
      return Int(line[r.upperBound...].prefix { $0.isNumber })
    }

    @Test func signalStopsAfterTheStepWithACheckpointAndTheRestartResumesBitForBit() throws {
      let dir = try Fixtures.temporaryDirectory("stop-signal")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let config = "\(dir)/b2.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: Self.steps)
      let straight = try start(config, "\(dir)/straight", "\(dir)/straight.log")
      let s = straight.finish(timeout: 300)
      try #require(s.status == 0 && !s.timedOut, "uninterrupted run failed:\n\(straight.output.suffix(3000))")

      // 1. SIGUSR1 to worker 1 only: it tells the coordinator with its step answer.
      // 2. SIGTERM to launch/run.sh: forwarded to every rank through mpirun (as SIGUSR1).
      let model = "\(dir)/stopped"
      var resumedFrom = 0
      for (round, how) in ["SIGUSR1 to worker 1", "SIGTERM to launch/run.sh"].enumerated() {
        let job = try start(config, model, "\(dir)/round\(round).log")
        try #require(job.waitFor("step \(resumedFrom + 1) |", timeout: 240), "\(how): no step \(resumedFrom + 1):\n\(job.output.suffix(3000))")
        if round == 0 {
          let worker = try #require(job.pid(of: "worker 1"), "no pid of worker 1 in the banner")
          kill(worker, SIGUSR1)
        } else {
          kill(job.process.processIdentifier, SIGTERM)
        }
        let r = job.finish(timeout: 120)
        let out = job.output
        try #require(!r.timedOut, "\(how): the job did not stop:\n\(out.suffix(3000))")
        #expect(r.status == 75, "\(how): exit status \(r.status), expected 75:\n\(out.suffix(2000))")
        let at = try #require(Self.stoppedAt(out), "\(how): no 'stopped on signal … at step N' line:\n\(out.suffix(2000))")
        #expect(at > resumedFrom && at < Self.steps, "\(how): stopped at step \(at), resumed from \(resumedFrom)")
        let ckpt = try CheckpointContents(modelDir: model, config: config)
        #expect(ckpt.step == at, "\(how): newest checkpoint step \(ckpt.step), stopped at \(at)")
        #expect(out.contains("model.ckpt-\(at)"), "\(how): the stop line does not name the checkpoint")
        // mpirun ends ranks still finalizing with SIGTERM when the coordinator exits with 75:
        // not an abort, so no "aborting at once, no checkpoint" after the checkpoint.
        #expect(!out.contains("aborting at once"), "\(how): \(out.suffix(2000))")
        if round == 0 { #expect(out.contains("received by worker 1"), "\(out.suffix(2000))") }
        if round > 0 { #expect(out.contains("Resuming from \(model)/model.ckpt-\(resumedFrom)")) }
        resumedFrom = at
      }
      let last = try start(config, model, "\(dir)/last.log")
      let r = last.finish(timeout: 300)
      try #require(r.status == 0 && !r.timedOut, "the resumed run failed (\(r.status)):\n\(last.output.suffix(3000))")
      #expect(last.output.contains("Resuming from \(model)/model.ckpt-\(resumedFrom)"))
      let a = try CheckpointContents(modelDir: "\(dir)/straight", config: config)
      let b = try CheckpointContents(modelDir: model, config: config)
      #expect(a.step == Self.steps && b.step == Self.steps)
      let differing = a.floats.keys.filter { a.floats[$0]!.map(\.bitPattern) != b.floats[$0]?.map(\.bitPattern) }
      #expect(differing.isEmpty, "stopped twice and resumed: tensors not bit-identical: \(differing.sorted().prefix(5))")
      for step in (resumedFrom + 1)...Self.steps {
        #expect(straight.losses[step] != nil && straight.losses[step] == last.losses[step], "step \(step) loss differs")
      }
    }

    /// A worker hangs in a step (`--test_hang_worker`), so the first SIGTERM to the coordinator
    /// can never be honoured; the second, 3 s later, aborts the job at once.
    @Test func secondSignalAbortsAtOnce() throws {
      let dir = try Fixtures.temporaryDirectory("stop-twice")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let config = "\(dir)/b2.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: Self.steps)
      let job = try start(config, "\(dir)/model", "\(dir)/job.log",
                          flags: ["--test_hang_worker=1", "--test_hang_step=2", "--stall_timeout_secs=600"])
      try #require(job.waitFor("hanging at step 2", timeout: 240), "no hang:\n\(job.output.suffix(3000))")
      let coordinator = try #require(job.pid(of: "coordinator"))
      kill(coordinator, SIGTERM)
      try #require(job.waitFor("stopping after the current step", timeout: 10), "first signal not seen:\n\(job.output.suffix(2000))")
      Thread.sleep(forTimeInterval: 3)
      #expect(job.process.isRunning, "the job ended on the first signal while a step was still running")
      let second = Date()
      kill(coordinator, SIGTERM)
      let r = job.finish(timeout: 30, since: second)
      #expect(!r.timedOut, "the job did not end within 30 s of the second signal")
      #expect(r.status != 0 && r.status != 75, "aborted job exit status \(r.status)")
      #expect(job.output.contains("second signal 15 (SIGTERM): aborting at once"), "\(job.output.suffix(2000))")
      print("second signal: job ended \(String(format: "%.1f", r.seconds)) s later, status \(r.status)")
    }
  }
}
