import Foundation
import Testing
import TestSupport

extension DistributedRunTests {
  /// The `ssd` binary on the mistakes issue 11 lists (each used to train a whole phase, or
  /// all of num_steps, before failing, or to be ignored): each now stops before the first step
  /// with a non-zero status and one message naming the field, flag or path; no step line, no
  /// checkpoint, no usage block after a runtime error, no trap. The distributed coordinator
  /// runs the same checks before any worker builds anything.
  ///
  /// Times are not asserted (the message before the first step is what is checked); each run
  /// is killed after `limit` seconds, which only a run that trains reaches.
  @Suite(.serialized) struct FailFastCommandTests {
    static let limit = 90.0

    struct Run {
      var status: Int32
      var output: String
      var modelDir: String

      /// No `step N |` line and no checkpoint file in the model dir.
      var tookNoStep: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modelDir)) ?? []
        return !output.split(separator: "\n").contains { $0.hasPrefix("step ") } && !names.contains { $0.hasPrefix("model.ckpt-") }
      }

      /// Not a usage error (no usage block, no exit 64), no doubled prefix, no trap.
      var isCleanRuntimeFailure: Bool {
        status == 1 && !output.contains("Usage:") && !output.contains("Error: error:") && !output.contains("crashed")
      }
    }

    /// A scratch directory with the tiny config, edited by `(pattern, replacement)` pairs.
    func scratch(_ tag: String, edits: [(String, String)] = []) throws -> (dir: String, config: String) {
      let dir = try Fixtures.temporaryDirectory(tag)
      let config = dir + "/pipeline.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: 1000)
      var s = try String(contentsOfFile: config, encoding: .utf8)
      for (pattern, replacement) in edits {
        guard s.range(of: pattern, options: .regularExpression) != nil else { throw HarnessError("no match for /\(pattern)/") }
        s = s.replacingOccurrences(of: pattern, with: NSRegularExpression.escapedTemplate(for: replacement), options: .regularExpression)
      }
      try s.write(toFile: config, atomically: true, encoding: .utf8)
      return (dir, config)
    }

    /// Runs `ssd ARGS` (or `launch/run.sh` with `launchWorkers`) in `dir`.
    func ssd(_ arguments: [String], in dir: String, modelDir: String = "model", launchWorkers: Int? = nil) throws -> Run {
      let job: DistributedJob
      if let workers = launchWorkers, let config = arguments.first {
        job = try DistributedJob(workers: workers, config: config, modelDir: modelDir, flags: Array(arguments.dropFirst()),
                                 log: dir + "/job.log")
      } else {
        job = try DistributedJob(executable: DistributedJob.ssdBinary, arguments: arguments, environment: [:], log: dir + "/job.log")
      }
      let r = job.finish(timeout: Self.limit)
      #expect(!r.timedOut, "ssd \(arguments.joined(separator: " ")) still ran after \(Self.limit) s:\n\(job.output.suffix(1500))")
      let absolute = modelDir.hasPrefix("/") ? modelDir : dir + "/" + modelDir
      return Run(status: r.status, output: job.output, modelDir: absolute)
    }

    func train(_ config: String, in dir: String, modelDir: String = "model", _ extra: [String] = ["--hparams_overrides=load_pretrained=false"]) throws -> Run {
      try ssd(["train", "--pipeline_config_path=\(config)", "--model_dir=\(modelDir)", "--threads=1"] + extra, in: dir, modelDir: modelDir)
    }

    // MARK: model_dir

    @Test func modelDirIsAFile() throws {
      let (dir, config) = try scratch("ff-model-dir-file")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      try Data([1]).write(to: URL(fileURLWithPath: dir + "/m"))
      // A one-character relative name (Foundation's deletingLastPathComponent traps on it).
      for modelDir in ["m", "m/run1"] {
        let r = try train(config, in: dir, modelDir: modelDir)
        #expect(r.isCleanRuntimeFailure && r.tookNoStep, "\(modelDir): \(r.status)\n\(r.output.suffix(1500))")
        #expect(r.output.contains("--model_dir") && r.output.contains("'m'") && r.output.contains("is a file"), "\(r.output.suffix(1500))")
      }
    }

    @Test func modelDirOnAReadOnlyFileSystem() throws {
      let (dir, config) = try scratch("ff-model-dir-ro")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir, modelDir: "/sys/ssd-fail-fast-model")
      #expect(r.isCleanRuntimeFailure && r.tookNoStep, "\(r.status)\n\(r.output.suffix(1500))")
      #expect(r.output.contains("--model_dir: cannot create '/sys/ssd-fail-fast-model'"), "\(r.output.suffix(1500))")
    }

    /// A relative model_dir that can be created is created (the probe's parent is ".").
    @Test func oneLetterRelativeModelDirIsCreatedAndChecked() throws {
      let (dir, config) = try scratch("ff-model-dir-ok", edits: [(#"input_path: "[^"]*val[^"]*""#, "input_path: \"nothing-*\"")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir, modelDir: "m")
      #expect(FileManager.default.fileExists(atPath: dir + "/m"))
      #expect(!r.output.contains("--model_dir") && r.output.contains("no file matches 'nothing-*'"), "\(r.output.suffix(1500))")
    }

    // MARK: the eval reader

    @Test func evalGlobMatchingNothing() throws {
      let (dir, config) = try scratch("ff-eval-glob", edits: [(#"synth_val\.record-\*"#, "synth_vall.record-*")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir)
      #expect(r.isCleanRuntimeFailure && r.tookNoStep, "\(r.status)\n\(r.output.suffix(1500))")
      #expect(r.output.contains("eval_input_reader[0].tf_record_input_reader.input_path: no file matches")
              && r.output.contains("synth_vall.record-*") && r.output.contains("the eval reader"), "\(r.output.suffix(1500))")
    }

    @Test func evalLabelMapMissing() throws {
      let f = Fixtures.root
      let (dir, config) = try scratch("ff-eval-map")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      // Only the second label_map_path (eval_input_reader's) is changed.
      var s = try String(contentsOfFile: config, encoding: .utf8)
      let r0 = try #require(s.range(of: "label_map_path:", options: .backwards))
      let line = s[r0.lowerBound...].prefix { $0 != "\n" }
      s.replaceSubrange(r0.lowerBound..<line.endIndex, with: "label_map_path: \"\(f)/no_such_label_map.pbtxt\"")
      try s.write(toFile: config, atomically: true, encoding: .utf8)
      let r = try train(config, in: dir)
      #expect(r.isCleanRuntimeFailure && r.tookNoStep, "\(r.status)\n\(r.output.suffix(1500))")
      #expect(r.output.contains("eval_input_reader[0].label_map_path") && r.output.contains("no_such_label_map.pbtxt")
              && r.output.contains("the eval reader"), "\(r.output.suffix(1500))")
    }

    // MARK: fine_tune_checkpoint

    @Test func fineTuneCheckpointMissing() throws {
      let (dir, config) = try scratch("ff-ft-missing", edits: [(#"fine_tune_checkpoint: "[^"]*""#, "fine_tune_checkpoint: \"ckpt/none\"")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir, [])
      #expect(r.isCleanRuntimeFailure && r.tookNoStep, "\(r.status)\n\(r.output.suffix(1500))")
      #expect(r.output.contains("train_config.fine_tune_checkpoint: 'ckpt/none' not found")
              && r.output.contains("load_pretrained=false"), "\(r.output.suffix(1500))")
    }

    /// A readable checkpoint none of whose variables the model has (the fixture's 8 made-up
    /// variables): 0 restored is an error.
    @Test func fineTuneCheckpointRestoringNothing() throws {
      let ckpt = Fixtures.path("checkpoint/small/v2/model.ckpt")
      let (dir, config) = try scratch("ff-ft-zero", edits: [(#"fine_tune_checkpoint: "[^"]*""#, "fine_tune_checkpoint: \"\(ckpt)\"")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir, [])
      #expect(r.isCleanRuntimeFailure && r.tookNoStep, "\(r.status)\n\(r.output.suffix(1500))")
      #expect(r.output.contains("train_config.fine_tune_checkpoint") && r.output.contains("has none of the"), "\(r.output.suffix(1500))")
    }

    // MARK: the distributed coordinator

    /// The coordinator checks once, before the workers build anything: the job ends with the
    /// message and no worker banner, no step.
    @Test func coordinatorChecksBeforeWorkersStart() throws {
      let (dir, config) = try scratch("ff-dist-eval-glob", edits: [(#"synth_val\.record-\*"#, "synth_vall.record-*")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try ssd([config] + DistributedConfigs.commonFlags, in: dir, launchWorkers: 2)
      #expect(r.status != 0 && r.tookNoStep, "\(r.status)\n\(r.output.suffix(2000))")
      #expect(r.output.contains("coordinator (world rank 0)") && r.output.contains("no file matches")
              && r.output.contains("the eval reader"), "\(r.output.suffix(2000))")
      #expect(!r.output.contains("momentum sharded over the workers"), "the workers were set up:\n\(r.output.suffix(2000))")
    }

    // MARK: flags

    @Test func misspelledFlagIsAnErrorWithDidYouMean() throws {
      let (dir, config) = try scratch("ff-flag")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir, ["--hparams_overrides=load_pretrained=false", "--num_train_step=2"])
      #expect(r.status != 0 && r.tookNoStep)
      #expect(r.output.contains("unknown flag --num_train_step; did you mean --num_train_steps?"), "\(r.output.suffix(1500))")
    }

    @Test func trainWithoutArgumentsListsEveryRequiredFlag() throws {
      let dir = try Fixtures.temporaryDirectory("ff-no-args")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try ssd(["train"], in: dir)
      #expect(r.status != 0)
      #expect(r.output.contains("--model_dir and --pipeline_config_path are required"), "\(r.output)")
    }

    /// Started without mpirun, each role says in one line how to launch (it used to trap:
    /// exit 132 and a register dump).
    @Test(arguments: ["worker", "coordinator"])
    func rankWithoutMPIRunSaysHowToLaunch(role: String) throws {
      let (dir, config) = try scratch("ff-no-mpirun-\(role)")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try ssd([role, "--pipeline_config_path=\(config)", "--model_dir=model"], in: dir)
      #expect(r.isCleanRuntimeFailure, "\(r.status)\n\(r.output)")
      let lines = r.output.split(separator: "\n")
      #expect(lines.count == 1 && lines[0].hasPrefix("Error: ssd \(role) is one rank of a distributed job")
              && lines[0].contains("mpirun"), "\(r.output)")
    }

    // MARK: one verdict

    /// `ssd config check` refuses what `ssd train` refuses, with the same line.
    @Test(arguments: [
      ("ssd_random_crop", #"random_horizontal_flip \{\s*\}"#, "random_horizontal_flip {\n    }\n  }\n  data_augmentation_options {\n    ssd_random_crop {\n    }"),
      ("adam_optimizer", #"momentum_optimizer: \{"#, "adam_optimizer: {"),
      ("use_moving_average", #"use_moving_average: false"#, "use_moving_average: true"),
    ])
    func configCheckGivesTrainsVerdict(field: String, pattern: String, replacement: String) throws {
      let (dir, config) = try scratch("ff-verdict-\(field)", edits: [(pattern, replacement)])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let check = try ssd(["config", "check", "--pipeline_config_path=\(config)"], in: dir)
      let train = try train(config, in: dir)
      #expect(check.status == 1 && train.isCleanRuntimeFailure && train.tookNoStep, "\(check.output)\n\(train.output)")
      let errors = train.output.split(separator: "\n").filter { $0.contains(": error: ") }
        .map { $0.hasPrefix("Error: ") ? $0.dropFirst("Error: ".count) : $0 }
      #expect(!errors.isEmpty && errors.allSatisfy { $0.contains(field) }, "\(train.output)")
      for e in errors { #expect(check.output.contains(e), "config check did not say: \(e)\n\(check.output)") }
    }

    /// Given ssd train's flags, `ssd config check` runs the file checks (creating nothing).
    @Test func configCheckRunsTheFileChecks() throws {
      let ckpt = Fixtures.path("checkpoint/small/v2/model.ckpt")
      let (dir, config) = try scratch("ff-check-files", edits: [
        (#"synth_val\.record-\*"#, "synth_vall.record-*"), (#"fine_tune_checkpoint: "[^"]*""#, "fine_tune_checkpoint: \"\(ckpt)\"")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try ssd(["config", "check", "--pipeline_config_path=\(config)", "--model_dir=new/model"], in: dir, modelDir: "new/model")
      #expect(r.status == 1, "\(r.output)")
      #expect(r.output.contains("no file matches") && r.output.contains("has none of the"), "\(r.output)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/new"))
      let ok = try ssd(["config", "check", "--pipeline_config_path=\(config)"], in: dir)
      #expect(ok.status == 0, "without paths only the config is checked:\n\(ok.output)")
    }

    // MARK: data errors

    /// A bad record stops the run naming the flag that exists (`--skip_bad_records`), as a
    /// runtime failure (exit 1, no usage block).
    @Test func badRecordNamesTheRealFlag() throws {
      let bad = Fixtures.path("bad_tfrecord/truncated.record")
      let (dir, config) = try scratch("ff-bad-record", edits: [(#"input_path: "[^"]*train[^"]*""#, "input_path: \"\(bad)\"")])
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let r = try train(config, in: dir)
      #expect(r.isCleanRuntimeFailure, "\(r.status)\n\(r.output.suffix(1500))")
      #expect(r.output.contains("--skip_bad_records") && !r.output.contains("continue-on-error"), "\(r.output.suffix(1500))")
    }
    // MARK: outputs of a run

    /// The DLLogger report goes to MODEL_DIR/summary.json (not the working directory) and a
    /// resumed run appends to it; `ssd eval` scores training's detections-N.json (hashed
    /// image ids) against the instances JSON; `ssd report MODEL_DIR` names a missing source.
    @Test func runOutputsAreKeptAndUsable() throws {
      let (dir, config) = try scratch("ff-outputs")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let flags = ["--hparams_overrides=load_pretrained=false", "--sample_1_of_n_eval_examples=16", "--eval_batch_size=2"]
      let first = try train(config, in: dir, flags + ["--num_train_steps=2"])
      try #require(first.status == 0, "\(first.output.suffix(2000))")
      #expect(!FileManager.default.fileExists(atPath: dir + "/summary.json"))
      func lines() throws -> [Substring] {
        try String(contentsOfFile: dir + "/model/summary.json", encoding: .utf8).split(separator: "\n")
      }
      let firstLines = try lines()
      #expect(firstLines.contains { $0.contains("Precision/mAP") })
      let second = try train(config, in: dir, flags + ["--num_train_steps=3"])
      try #require(second.status == 0, "\(second.output.suffix(2000))")
      let secondLines = try lines()
      #expect(secondLines.count > firstLines.count && Array(secondLines.prefix(firstLines.count)) == firstLines,
              "the resumed run did not append:\n\(secondLines.joined(separator: "\n"))")

      let eval = try ssd(["eval", "--annotations=\(Fixtures.path("tfrecord/instances_synth_val.json"))",
                          "--detections=model/eval_validation_data/detections-3.json"], in: dir)
      #expect(eval.status == 0 && eval.output.contains("mapped to the COCO ids"), "\(eval.output.suffix(1500))")

      try FileManager.default.removeItem(atPath: dir + "/model/summary.json")
      let report = try ssd(["report", "model"], in: dir)
      #expect(report.status == 0 && report.output.contains("warning: no DLLogger report in model"), "\(report.output)")
    }

    /// Continuous evaluation (no --run_once) writes its lines as they happen into a file
    /// (stdout line-buffered), including that it waits for a checkpoint.
    @Test func continuousEvaluationFlushesItsOutput() throws {
      let (dir, config) = try scratch("ff-continuous-eval")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let job = try DistributedJob(executable: DistributedJob.ssdBinary, arguments: [
        "train", "--pipeline_config_path=\(config)", "--model_dir=eval", "--checkpoint_dir=\(dir)/none_yet",
        "--eval_poll_secs=1"], environment: [:], log: dir + "/job.log")
      let seen = job.waitFor("Waiting for a new checkpoint in \(dir)/none_yet", timeout: 60)
      _ = job.finish(timeout: 0)
      #expect(seen, "nothing in the log while it waits:\n\(job.output.suffix(1500))")
    }
  }
}
