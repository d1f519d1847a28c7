import Events
import Foundation
import Testing
import TestSupport

extension DistributedRunTests {
  /// Multi-process runs (`launch/run.sh` → mpirun → `ssd coordinator` + N × `ssd worker`) on the
  /// tiny config: W workers with batch B/W train the same model as one worker with batch B,
  /// and a resumed run continues the one that never stopped. Batch norm is frozen
  /// (`--freeze_batchnorm_for_test`: inference mode with the moving statistics, never updated)
  /// where worker counts are compared, because per-worker batch statistics differ by design.
  @Suite(.serialized) struct DistributedEquivalenceTests {
    static let steps = 3

    func run(_ workers: Int, config: String, modelDir: String, flags: [String], log: String) throws -> DistributedJob {
      let job = try DistributedJob(workers: workers, config: config, modelDir: modelDir,
                                   flags: DistributedConfigs.commonFlags + flags, log: log)
      let r = job.finish(timeout: 300)
      guard r.status == 0, !r.timedOut else {
        throw HarnessError("run with \(workers) workers failed (status \(r.status)):\n\(job.output.suffix(3000))")
      }
      return job
    }

    /// 3 steps with global batch 4 on 1, 2 and 4 workers, then 2 steps on 2 workers resumed
    /// for the 3rd on 4 workers (momentum re-sharded). Loss curves within 2e-4 relative (the
    /// log prints 4 decimals); weights and momentum within 1e-4 relative: only the summation
    /// order of the gradients differs (ring vs one batch).
    @Test func workersMatchOneWorkerAndResumeOnAnotherCount() throws {
      let dir = try Fixtures.temporaryDirectory("dist-eq")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      var results: [Int: (job: DistributedJob, ckpt: CheckpointContents)] = [:]
      for w in [1, 2, 4] {
        let config = "\(dir)/eq\(w).config"
        try DistributedConfigs.write(to: config, batch: 4 / w, steps: Self.steps, equivalenceWorkers: w)
        let job = try run(w, config: config, modelDir: "\(dir)/w\(w)", flags: ["--freeze_batchnorm_for_test", "--check_replicas"],
                          log: "\(dir)/w\(w).log")
        let ckpt = try CheckpointContents(modelDir: "\(dir)/w\(w)", config: config)
        #expect(ckpt.step == Self.steps)
        #expect(job.output.contains("global batch 4 = \(4 / w) per worker × \(w)"))
        // The coordinator's event file (workers write none): the recipe's tags at every step,
        // the split of the critical path, and each worker's own split when there are several.
        let eventFiles = EventFileName.files(in: "\(dir)/w\(w)")
        #expect(eventFiles.count == 1)
        if let path = eventFiles.first {
          let scalars = try EventFile.read(path: path).scalars
          let tags = Set(scalars.map(\.tag))
          #expect(tags.isSuperset(of: ["Loss/total_loss", "loss", "learning_rate", "global_step/sec", "perf/step_ms_compute",
                                       "perf/step_ms_exposed_comm", "perf/step_ms_input"]))
          let perWorker = Set((0..<w).flatMap { k in ["compute", "exposed_comm", "input"].map { "perf/worker_\(k)/step_ms_\($0)" } })
          #expect(tags.filter { $0.hasPrefix("perf/worker_") } == (w > 1 ? perWorker : []))
          for (step, loss) in job.losses {
            let logged = try #require(scalars.first { $0.tag == "loss" && $0.step == Int64(step) }, "no loss event at step \(step)")
            #expect(abs(Double(logged.value) - loss) <= 1e-4 * max(1, abs(loss)))  // the log prints 4 decimals
          }
        }
        results[w] = (job, ckpt)
      }
      let reference = results[1]!
      #expect(reference.job.losses.count == Self.steps)
      for w in [2, 4] {
        let (job, ckpt) = results[w]!
        for (step, loss) in reference.job.losses {
          let other = try #require(job.losses[step], "no loss line for step \(step) with \(w) workers")
          #expect(abs(other - loss) <= 2e-4 * abs(loss), "step \(step): \(w) workers loss \(other), 1 worker \(loss)")
        }
        let (diff, at) = try ckpt.maxRelativeDifference(to: reference.ckpt)
        print("\(w) workers vs 1: max relative difference \(diff) (\(at))")
        #expect(diff <= 1e-4, "\(w) workers vs 1: max relative difference \(diff) in \(at)")
      }

      // Resume at another worker count: 2 steps on 2 workers, the 3rd on 4.
      _ = try run(2, config: "\(dir)/eq2.config", modelDir: "\(dir)/resumed", flags: ["--freeze_batchnorm_for_test", "--num_train_steps=2"],
              log: "\(dir)/resumed-a.log")
      let second = try run(4, config: "\(dir)/eq4.config", modelDir: "\(dir)/resumed", flags: ["--freeze_batchnorm_for_test"],
                           log: "\(dir)/resumed-b.log")
      #expect(second.output.contains("Resuming from"))
      // Two training event files, the second continuing where the checkpoint was.
      let resumedFiles = try EventFileName.files(in: "\(dir)/resumed").map { try EventFile.read(path: $0) }
      #expect(resumedFiles.map { Set($0.scalars.filter { $0.tag == "loss" }.map(\.step)) } == [[1, 2], [3]])
      let resumed = try CheckpointContents(modelDir: "\(dir)/resumed", config: "\(dir)/eq4.config")
      #expect(resumed.step == Self.steps)
      let (diff, at) = try resumed.maxRelativeDifference(to: reference.ckpt)
      print("2→4 workers resumed vs 1 worker: max relative difference \(diff) (\(at))")
      #expect(diff <= 1e-4, "2→4 workers resumed vs 1 worker: max relative difference \(diff) in \(at)")
    }

    /// The recipe's own semantics (batch norm training, losses normalized per worker): 4 steps
    /// on 2 workers, against 2 steps + restart + 2 steps on 2 workers. Every tensor of the final
    /// checkpoint (weights, momentum, worker 0's batch-norm statistics, step) is bit-identical.
    @Test func resumeAtSameWorkerCountIsBitIdentical() throws {
      let dir = try Fixtures.temporaryDirectory("dist-resume")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let config = "\(dir)/b2.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: 4)
      let straight = try run(2, config: config, modelDir: "\(dir)/straight", flags: [], log: "\(dir)/straight.log")
      _ = try run(2, config: config, modelDir: "\(dir)/stopped", flags: ["--num_train_steps=2"], log: "\(dir)/stopped-a.log")
      let resumed = try run(2, config: config, modelDir: "\(dir)/stopped", flags: [], log: "\(dir)/stopped-b.log")
      #expect(resumed.output.contains("Resuming from"))
      let a = try CheckpointContents(modelDir: "\(dir)/straight", config: config)
      let b = try CheckpointContents(modelDir: "\(dir)/stopped", config: config)
      #expect(a.step == 4 && b.step == 4)
      #expect(Set(a.floats.keys) == Set(b.floats.keys))
      let differing = a.floats.keys.filter { name in
        a.floats[name]!.map(\.bitPattern) != b.floats[name]!.map(\.bitPattern)
      }
      #expect(differing.isEmpty, "tensors not bit-identical after resume: \(differing.sorted().prefix(5))")
      for step in 3...4 {
        #expect(straight.losses[step] != nil && straight.losses[step] == resumed.losses[step],
                "step \(step): loss \(String(describing: straight.losses[step])) vs resumed \(String(describing: resumed.losses[step]))")
      }
    }

    /// The evaluation spread over 2 workers (each infers its share, worker 0's batch-norm
    /// statistics copied to worker 1 first) gives byte-identical COCO detections to one
    /// process evaluating the checkpoint the run wrote (`ssd train --checkpoint_dir --run_once`).
    /// One image per inference batch on both sides: GEMM row counts, hence roundings, then match.
    @Test func distributedEvaluationMatchesSingleProcess() throws {
      let dir = try Fixtures.temporaryDirectory("dist-eval")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let config = "\(dir)/b2.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: 2)
      let flags = ["--sample_1_of_n_eval_examples=8", "--eval_batch_size=1"]
      _ = try run(2, config: config, modelDir: "\(dir)/train", flags: flags, log: "\(dir)/train.log")
      let single = Process()
      single.executableURL = URL(fileURLWithPath: DistributedJob.ssdBinary)
      single.arguments = ["train", "--pipeline_config_path", config, "--model_dir", "\(dir)/eval", "--checkpoint_dir",
                          "\(dir)/train", "--run_once"] + DistributedConfigs.commonFlags + flags
      single.standardOutput = FileHandle.nullDevice
      single.currentDirectoryURL = URL(fileURLWithPath: dir)
      try single.run()
      single.waitUntilExit()
      try #require(single.terminationStatus == 0, "ssd train --run_once failed")
      let distributed = try Foundation.Data(contentsOf: URL(fileURLWithPath: "\(dir)/train/eval_validation_data/detections-2.json"))
      let reference = try Foundation.Data(contentsOf: URL(fileURLWithPath: "\(dir)/eval/eval_validation_data/detections-2.json"))
      #expect(distributed.count > 100)
      #expect(distributed == reference, "distributed and single-process detections differ")
    }

    /// `--overlap_weight_gather`: each step's updated weights are all-gathered (in pieces of
    /// `--gather_piece_kib`) while the next step's forward runs. After the last step that
    /// gather is still in flight when the coordinator asks for the checkpoint and the
    /// evaluation, which worker 0 answers before the others have their commands: the run must
    /// still end (it used to wait in the stall detector), with the same losses, checkpoint and
    /// detections bit for bit as the run that gathers at the end of each step.
    @Test func overlappedWeightGatherEndsWithTheSameCheckpointAndDetections() throws {
      let dir = try Fixtures.temporaryDirectory("dist-overlap")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let config = "\(dir)/b1.config"
      try DistributedConfigs.write(to: config, batch: 1, steps: 3)
      // Small pieces: the tiny model's arena is then dozens of them, several per shard.
      let flags = ["--gather_piece_kib=16", "--stall_timeout_secs=60", "--eval_batch_size=1"]
      let off = try run(3, config: config, modelDir: "\(dir)/off", flags: flags + ["--overlap_weight_gather=false"],
                        log: "\(dir)/off.log")
      let on = try run(3, config: config, modelDir: "\(dir)/on", flags: flags + ["--overlap_weight_gather=true"],
                       log: "\(dir)/on.log")
      #expect(off.losses.count == 3)
      #expect(on.losses == off.losses)
      let a = try CheckpointContents(modelDir: "\(dir)/off", config: config)
      let b = try CheckpointContents(modelDir: "\(dir)/on", config: config)
      #expect(a.step == 3 && b.step == 3)
      #expect(Set(a.floats.keys) == Set(b.floats.keys))
      let differing = a.floats.keys.filter { a.floats[$0]!.map(\.bitPattern) != b.floats[$0]?.map(\.bitPattern) }
      #expect(differing.isEmpty, "tensors differ with the overlapped gather: \(differing.sorted().prefix(5))")
      let detections = ["off", "on"].map { try? Foundation.Data(contentsOf: URL(fileURLWithPath: "\(dir)/\($0)/eval_validation_data/detections-3.json")) }
      #expect((detections[0]?.count ?? 0) > 100)
      #expect(detections[0] == detections[1], "detections differ with the overlapped gather")
    }
  }
}
