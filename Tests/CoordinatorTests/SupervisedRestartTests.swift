import Foundation
import Testing
import TestSupport

extension DistributedRunTests {
  /// Automatic restart (`launch/run.sh … --max_restarts`, i.e. `ssd supervise`) on the netns
  /// test cluster: 4 nodes, one worker each (the coordinator beside worker 0 on node 0), every
  /// process of node 2 killed with SIGKILL mid-run. The supervisor restarts the job without
  /// node 2 from the newest checkpoint on 3 workers, with no one stepping in, and it finishes.
  /// The global batch (12) is kept: 3 per worker on 4 workers, then 4 per worker on 3. With
  /// batch norm frozen and the loss summed over the global batch (the equivalence tests' setup,
  /// loss weights scaled by the worker count), the restarted job ends at the weights of an
  /// uninterrupted run within the 1-vs-N-worker tolerance (1e-4 relative).
  @Suite(.serialized, .enabled(if: netnsClusterPossible))
  struct SupervisedRestartTests {
    static let steps = 8
    static let checkpointEvery = 2

    /// Records of `MODEL_DIR/supervisor/restarts.jsonl`.
    static func restartLog(_ modelDir: String) throws -> [[String: Any]] {
      let text = try String(contentsOfFile: modelDir + "/supervisor/restarts.jsonl", encoding: .utf8)
      return try text.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
    }

    @Test func nodeKilledMidRunIsLeftOutAndTheJobFinishesOnThree() throws {
      let tools = DistributedMultiNodeTests.tools
      let subnet = DistributedMultiNodeTests.subnet
      let prefix = "sr\(getpid() % 100_000)"
      let dir = try Fixtures.temporaryDirectory("supervised-restart")
      defer {
        _ = try? DistributedMultiNodeTests.cluster("teardown.sh", ["-f"], prefix: prefix)
        Fixtures.remove(dir)
      }
      try #require(try DistributedMultiNodeTests.cluster("setup.sh", ["4"], prefix: prefix) == 0, "netns-cluster setup.sh 4 failed")
      let config = "\(dir)/b3.config"
      // Global batch 12 on 4 workers, 3 × 4 after; the loss summed over the batch.
      try DistributedConfigs.write(to: config, batch: 3, steps: Self.steps, equivalenceWorkers: 1)
      let equivalence = ["--freeze_batchnorm_for_test", "--scale_loss_by_workers_for_test"]
      let model = "\(dir)/model"
      let job = try DistributedJob(
        executable: Fixtures.packageRoot.path + "/launch/run.sh",
        arguments: ["4", config, model] + DistributedConfigs.commonFlags
          + equivalence + ["--save_checkpoints_steps=\(Self.checkpointEvery)", "--max_restarts", "2", "--min_workers", "2"],
        environment: ["SSD_BIN": DistributedJob.ssdBinary, "THREADS_PER_RANK": "1",
                      "NETNS_CLUSTER_PREFIX": prefix, "NETNS_CLUSTER_SUBNET": subnet, "NETNS_CLUSTER_TOOLS": tools,
                      "HOSTFILE": "/run/netns-cluster/\(prefix)/hostfile",
                      "MPIRUN": Fixtures.packageRoot.path + "/scripts/netns-mpirun.sh"],
        log: "\(dir)/job.log")
      try #require(job.waitFor("step 3 |", timeout: 240), "the job never reached step 3:\n\(job.output.suffix(3000))")
      // Every process of node 2 (its MPI daemon and worker 2), at once.
      let pids = try Self.namespacePids("\(prefix)-n2")
      try #require(!pids.isEmpty, "no processes in node 2")
      let killed = Date()
      for pid in pids { kill(pid, SIGKILL) }
      let r = job.finish(timeout: 300, since: killed)
      let out = job.output
      try #require(!r.timedOut && r.status == 0, "supervised job did not finish (status \(r.status)):\n\(out.suffix(4000))")

      let records = try Self.restartLog(model)
      let ends = records.filter { $0["event"] as? String == "end" }
      let starts = records.filter { $0["event"] as? String == "start" }
      try #require(ends.count == 2 && starts.count == 2, "expected 2 attempts:\n\(records)")
      #expect(ends[0]["outcome"] as? String == "restart")
      #expect(ends[0]["failed_hosts"] as? [String] == ["\(subnet).3"], "\(ends[0])")
      #expect(starts[1]["workers"] as? Int == 3)
      #expect(starts[1]["hosts"] as? [String] == ["\(subnet).1", "\(subnet).2", "\(subnet).4"])
      #expect(starts[1]["global_batch"] as? Int == 12 && starts[1]["per_worker_batch"] as? Int == 4)
      #expect(ends[1]["outcome"] as? String == "finished")
      #expect(out.contains(#"worker 2 (world rank 3, pid"#) && out.contains("on \(prefix)-n3 [\(subnet).4]"))
      #expect(out.contains("global batch 12 = 3 per worker × 4") && out.contains("global batch 12 = 4 per worker × 3"),
              "the trainer did not keep the global batch")
      let lost = try #require(ends[0]["steps_lost"] as? Int)
      #expect(lost < Self.checkpointEvery, "\(lost) steps lost, checkpoint interval \(Self.checkpointEvery)")
      // From the kill to the restarted job's first step.
      let firstStep = try #require(records.first { $0["event"] as? String == "first_step" && $0["attempt"] as? Int == 2 })
      let resumedAt = try #require(firstStep["time"] as? Double)
      let downtime = resumedAt - killed.timeIntervalSince1970
      print("supervised restart: \(lost) step(s) lost, \(String(format: "%.1f", downtime)) s from the kill to the first step on 3 workers")
      #expect(downtime < 60, "restarted job's first step \(downtime) s after the failure")
      let ckpt = try CheckpointContents(modelDir: model, config: config)
      #expect(ckpt.step == Self.steps)

      // The uninterrupted run: one worker with the whole global batch, on this machine.
      let reference = try DistributedJob(workers: 1, config: config, modelDir: "\(dir)/reference",
                                         flags: DistributedConfigs.commonFlags + equivalence + ["--global_batch_size=12"],
                                         log: "\(dir)/reference.log")
      let rr = reference.finish(timeout: 300)
      try #require(rr.status == 0 && !rr.timedOut, "reference run failed:\n\(reference.output.suffix(3000))")
      let uninterrupted = try CheckpointContents(modelDir: "\(dir)/reference", config: config)
      let (diff, at) = try ckpt.maxRelativeDifference(to: uninterrupted)
      print("supervised restart (4 → 3 workers, global batch 12 kept) vs uninterrupted: max relative difference \(diff) (\(at))")
      #expect(diff <= 1e-4, "restarted job vs uninterrupted run: max relative difference \(diff) in \(at)")
    }

    /// Processes in a network namespace (`ip netns pids`).
    static func namespacePids(_ namespace: String) throws -> [pid_t] {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["ip", "netns", "pids", namespace]
      let pipe = Pipe()
      p.standardOutput = pipe
      try p.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      return text.split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
    }
  }
}
