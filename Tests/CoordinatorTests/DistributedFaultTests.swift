import Checkpoint
import Foundation
import Testing
import TestSupport

extension DistributedRunTests {
  /// Failures of a multi-process run: whatever dies or hangs, the job ends within 30 s of the
  /// fault with a message naming the rank and host and a non-zero status, and the newest
  /// committed checkpoint in model_dir still loads and verifies.
  @Suite(.serialized) struct DistributedFaultTests {
    static let bound = 30.0

    /// A long run (checkpoint every step) that is then broken by `fault`.
    func longRun(_ name: String, workers: Int = 2, flags: [String] = []) throws -> (DistributedJob, String, String) {
      let dir = try Fixtures.temporaryDirectory(name)
      let config = "\(dir)/b2.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: 1000)
      let job = try DistributedJob(workers: workers, config: config, modelDir: "\(dir)/model",
                                   flags: DistributedConfigs.commonFlags + ["--save_checkpoints_steps=1"] + flags,
                                   log: "\(dir)/job.log")
      return (job, dir, config)
    }

    func host(_ job: DistributedJob) -> String? {
      guard let r = job.output.range(of: "coordinator (world rank 0, pid ") else { return nil }
      let rest = job.output[r.upperBound...]
      guard let on = rest.range(of: ") on ") else { return nil }
      return String(rest[on.upperBound...].prefix { $0 != ":" })
    }

    @Test func killedWorkerEndsTheJob() throws {
      let (job, dir, config) = try longRun("dist-kill-worker")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      try #require(job.waitFor("step 3 |", timeout: 120), "the job never reached step 3:\n\(job.output.suffix(2000))")
      let pid = try #require(job.pid(of: "worker 1"))
      let killed = Date()
      kill(pid, SIGKILL)
      let r = job.finish(timeout: Self.bound, since: killed)
      #expect(!r.timedOut, "still running \(Self.bound) s after the worker was killed")
      #expect(r.status != 0)
      let out = job.output
      // mpirun's report names the world rank, its pid and node.
      #expect(out.contains("rank 2") && out.contains("\(pid)"), "no message naming world rank 2 (pid \(pid)):\n\(out.suffix(2000))")
      if let host = host(job) { #expect(out.contains("node \(host)") || out.contains("on \(host)"), "host \(host) not named") }
      let ckpt = try CheckpointContents(modelDir: "\(dir)/model", config: config)
      #expect(ckpt.step >= 2)
    }

    /// The coordinator is killed while it writes a checkpoint (the test waits for a temporary
    /// checkpoint file to appear — every step writes one — and kills it then; if the write is
    /// too quick to catch it is killed between steps, which the same checks cover).
    @Test func killedCoordinatorLeavesLastCommittedCheckpoint() throws {
      let (job, dir, config) = try longRun("dist-kill-coordinator")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      try #require(job.waitFor("step 3 |", timeout: 120), "the job never reached step 3:\n\(job.output.suffix(2000))")
      let pid = try #require(job.pid(of: "coordinator"))
      var caught = false
      let giveUp = Date().addingTimeInterval(20)
      while Date() < giveUp {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/model")) ?? []
        if names.contains(where: { $0.contains(".tmp-") }) { caught = true; break }
      }
      let killed = Date()
      kill(pid, SIGKILL)
      print("coordinator killed \(caught ? "during" : "between") checkpoint writes")
      let r = job.finish(timeout: Self.bound, since: killed)
      #expect(!r.timedOut, "still running \(Self.bound) s after the coordinator was killed")
      #expect(r.status != 0)
      #expect(job.output.contains("rank 0"), "no message naming world rank 0:\n\(job.output.suffix(2000))")
      let state = try #require(try CheckpointState.read(directory: "\(dir)/model"))
      #expect(!state.modelCheckpointPath.contains(".tmp-"))
      let ckpt = try CheckpointContents(modelDir: "\(dir)/model", config: config)
      #expect(ckpt.step >= 2)
    }

    /// The coordinator is stopped (SIGSTOP: alive to MPI, silent): the workers wait for its
    /// next command at most --reply_timeout_secs, then abort the job naming it. (Found by the
    /// chaos run: the workers used to wait forever, and so did mpirun.)
    @Test func stoppedCoordinatorEndsTheJob() throws {
      // 25 s: a debug build's step on a loaded 2-core machine can take 15 s, and the coordinator
      // waits for step replies with the same deadline.
      let (job, dir, config) = try longRun("dist-stop-coordinator", flags: ["--reply_timeout_secs=25"])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      try #require(job.waitFor("step 3 |", timeout: 120), "the job never reached step 3:\n\(job.output.suffix(2000))")
      let pid = try #require(job.pid(of: "coordinator"))
      let stopped = Date()
      kill(pid, SIGSTOP)
      let r = job.finish(timeout: 25 + Self.bound, since: stopped)
      kill(pid, SIGKILL)  // in case it outlived the job
      #expect(!r.timedOut, "still running \(25 + Self.bound) s after the coordinator was stopped")
      #expect(r.status != 0)
      #expect(job.output.contains("waiting for the coordinator's next command"),
              "no message naming the silent coordinator:\n\(job.output.suffix(2000))")
      let ckpt = try CheckpointContents(modelDir: "\(dir)/model", config: config)
      #expect(ckpt.step >= 2)
    }

    /// Worker 2 of 3 stops answering at step 2 and never joins that step's reduce-scatter: the
    /// stall detector of the others (5 s deadline) names it and aborts the job.
    @Test func workerThatNeverJoinsIsReportedByTheStallDetector() throws {
      let (job, dir, _) = try longRun("dist-stall", workers: 3,
                                      flags: ["--test_hang_worker=2", "--test_hang_step=2", "--stall_timeout_secs=5"])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      try #require(job.waitFor("failure drill: hanging at step 2", timeout: 120), "\(job.output.suffix(2000))")
      let hung = Date()
      let r = job.finish(timeout: Self.bound, since: hung)
      #expect(!r.timedOut, "still running \(Self.bound) s after worker 2 hung")
      #expect(r.status != 0)
      let out = job.output
      #expect(out.contains("stalled") && out.contains("never joined: worker 2 (world rank 3) on"),
              "no stall report naming worker 2:\n\(out.suffix(2000))")
    }
  }
}
