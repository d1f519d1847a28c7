import Testing
@testable import Config
import TestSupport

/// `--hparams_overrides` (TF 1.15 `HParams.parse` with the single hparam load_pretrained; the
/// accept/reject table below was checked against tensor2tensor's copy of TF's hparam.py),
/// model_main.py's flags and what it derives from them (spec §11).
struct ModelMainTests {
  @Test(arguments: [
    (nil, true), ("", true), ("load_pretrained=false", false), ("load_pretrained=False", false),
    ("load_pretrained=true", true), ("load_pretrained=True", true), ("load_pretrained = 0", false),
    ("load_pretrained=1", true), ("load_pretrained=-3", true), ("load_pretrained=1 ", true),
    ("load_pretrained=false,", false), ("load_pretrained=0_0", false),
  ] as [(String?, Bool)])
  func hparamsAccepted(text: String?, loadPretrained: Bool) throws {
    #expect(try HParams.parse(text).loadPretrained == loadPretrained)
  }

  @Test(arguments: [
    ("train_config.batch_size=8",
     "--hparams_overrides:1: error: unknown hyperparameter 'train_config.batch_size'; model_main.py defines only load_pretrained (pipeline fields cannot be overridden with --hparams_overrides; edit the config file)"),
    ("load_pretrain=false",
     "--hparams_overrides:1: error: unknown hyperparameter 'load_pretrain'; model_main.py defines only load_pretrained; did you mean 'load_pretrained'?"),
    ("load_pretrained=false,load_pretrained=true",
     "--hparams_overrides:23: error: 'load_pretrained' is assigned more than once"),
    ("load_pretrained=no",
     "--hparams_overrides:17: error: cannot read 'no' as a bool for 'load_pretrained'; use true or false"),
    ("load_pretrained=false ",
     "--hparams_overrides:17: error: cannot read 'false ' as a bool for 'load_pretrained'; use true or false"),
    ("load_pretrained=[false]",
     "--hparams_overrides:17: error: 'load_pretrained' is a single bool; give true or false, not a list"),
    ("load_pretrained[0]=1", "--hparams_overrides:1: error: 'load_pretrained' is a single bool; it takes no [index]"),
    ("load_pretrained", "--hparams_overrides:1: error: malformed hyperparameter clause 'load_pretrained'; write name=value"),
    (" load_pretrained=1", "--hparams_overrides:1: error: malformed hyperparameter clause ' load_pretrained=1'; write name=value"),
    ("load_pretrained=a[1]", "--hparams_overrides:1: error: malformed hyperparameter clause 'load_pretrained=a[1]'; write name=value"),
  ])
  func hparamsRejected(text: String, message: String) {
    #expect(throws: (any Error).self) { try HParams.parse(text) }
    do {
      _ = try HParams.parse(text)
      Issue.record("expected an error")
    } catch {
      #expect("\(error)" == message)
    }
  }

  @Test func flagSpecsMatchModelMain() {
    #expect(ModelMainFlags.specs.map(\.name) == [
      "model_dir", "pipeline_config_path", "raport_file", "num_train_steps", "eval_training_data",
      "sample_1_of_n_eval_examples", "sample_1_of_n_eval_on_train_examples", "eval_count", "hparams_overrides",
      "checkpoint_dir", "allow_xla", "amp", "run_once",
    ])
    let defaults = Dictionary(uniqueKeysWithValues: ModelMainFlags.specs.map { ($0.name, $0.defaultValue) })
    // model_main.py's default is summary.json in the working directory (each run truncates it);
    // ours is in the model dir, appended to (issue 11).
    #expect(defaults["raport_file"] == "MODEL_DIR/summary.json")
    #expect(defaults["sample_1_of_n_eval_on_train_examples"] == "5")
    #expect(defaults["eval_count"] == "1")
    #expect(defaults["num_train_steps"] == .some(nil))
    #expect(ModelMainFlags.specs.filter(\.isRequired).map(\.name) == ["model_dir", "pipeline_config_path"])
    let f = ModelMainFlags()
    #expect(f.raportFile == nil && f.raportPath(modelDir: "/runs/a") == "/runs/a/summary.json")
    #expect(f.sample1OfNEvalExamples == 1 && f.sample1OfNEvalOnTrainExamples == 5)
    #expect(f.evalCount == 1 && f.numTrainSteps == nil && !f.amp && !f.allowXLA && !f.runOnce && !f.evalTrainingData)
  }

  @Test func abslStyleCommandLine() throws {
    // The recipe's example scripts, including their misspelled --alsologtostder.
    let (flags, ignored, positional) = try ModelMainFlags.parse([
      "--pipeline_config_path=configs/ssd320_full_8gpus.config", "--model_dir", "/results",
      "--alsologtostder", "--amp", "-eval_count=2", "--noallow_xla", "--hparams_overrides=load_pretrained=false",
      "--num_train_steps", "+100", "--run_once=T", "extra",
    ])
    #expect(flags.pipelineConfigPath == "configs/ssd320_full_8gpus.config")
    #expect(flags.modelDir == "/results")
    #expect(flags.amp && !flags.allowXLA && flags.runOnce)
    #expect(flags.evalCount == 2 && flags.numTrainSteps == 100)
    #expect(flags.hparamsOverrides == "load_pretrained=false")
    #expect(ignored == ["--alsologtostder"])
    #expect(positional == ["extra"])
  }

  @Test func flagErrors() {
    #expect(throws: ModelMainFlagsError.missingRequired(["model_dir"])) {
      try ModelMainFlags.parse(["--pipeline_config_path=x"])
    }
    // With no arguments every missing required flag is listed.
    #expect(throws: ModelMainFlagsError.missingRequired(["model_dir", "pipeline_config_path"])) {
      try ModelMainFlags.parse([])
    }
    #expect("\(ModelMainFlagsError.missingRequired(["model_dir", "pipeline_config_path"]))"
      == "--model_dir and --pipeline_config_path are required")
    #expect(throws: ModelMainFlagsError.badValue(flag: "eval_count", value: "two", expected: "an integer")) {
      try ModelMainFlags.parse(["--model_dir=m", "--pipeline_config_path=x", "--eval_count=two"])
    }
    #expect(throws: ModelMainFlagsError.missingValue(flag: "model_dir")) {
      try ModelMainFlags.parse(["--pipeline_config_path=x", "--model_dir"])
    }
    #expect(throws: ModelMainFlagsError.badValue(flag: "eval_count", value: "0", expected: "at least 1")) {
      try ModelMainFlags.parse(["--model_dir=m", "--pipeline_config_path=x", "--eval_count=0"])
    }
    var flags = ModelMainFlags()
    #expect(throws: ModelMainFlagsError.unknownFlag("num_train_step", suggestion: "num_train_steps")) {
      try flags.set("num_train_step", to: "3")
    }
    #expect("\(ModelMainFlagsError.unknownFlag("num_train_step", suggestion: "num_train_steps"))"
      == "unknown flag --num_train_step; did you mean --num_train_steps?")
  }

  /// An unknown or misspelled flag stops the command line (it used to be ignored, and
  /// `--num_train_step=2` trained the config's num_steps).
  @Test func unknownFlagsAreErrorsWithDidYouMean() {
    #expect(throws: ModelMainFlagsError.unknownFlag("num_train_step", suggestion: "num_train_steps")) {
      try ModelMainFlags.parse(["--model_dir=m", "--pipeline_config_path=x", "--num_train_step=2"])
    }
    // Our own flags are suggested too, under their canonical (underscore) names.
    #expect(throws: ModelMainFlagsError.unknownFlag("seeds", suggestion: "seed")) {
      try ModelMainFlags.parse(["--model_dir=m", "--pipeline_config_path=x", "--seeds=3"], extra: ModelMainFlags.trainerSpecs)
    }
    #expect(throws: ModelMainFlagsError.unknownFlag("skip-bad-record", suggestion: "skip_bad_records")) {
      try ModelMainFlags.parse(["--model_dir=m", "--pipeline_config_path=x", "--skip-bad-record"], extra: ModelMainFlags.trainerSpecs)
    }
    #expect(throws: ModelMainFlagsError.unknownFlag("frobnicate", suggestion: nil)) {
      try ModelMainFlags.parse(["--model_dir=m", "--pipeline_config_path=x", "--frobnicate"], extra: ModelMainFlags.trainerSpecs)
    }
    #expect("\(ModelMainFlagsError.unknownFlag("frobnicate", suggestion: nil))" == "unknown flag --frobnicate; see --help for the flags")
  }

  @Test func ownFlagsOneStyleWithTheOldDashedAlias() throws {
    let base = ["--model_dir=m", "--pipeline_config_path=x"]
    let a = try ModelMainFlags.parse(base + ["--skip-bad-records", "--seed", "7", "--eval_poll_secs=0.5"],
                                     extra: ModelMainFlags.trainerSpecs)
    #expect(a.extra("skip_bad_records") == "true" && a.extra("seed") == "7" && a.extra("eval_poll_secs") == "0.5")
    let b = try ModelMainFlags.parse(base + ["--noskip_bad_records"], extra: ModelMainFlags.trainerSpecs)
    #expect(b.extra("skip_bad_records") == "false")
    #expect(throws: ModelMainFlagsError.badValue(flag: "seed", value: "x", expected: "an integer")) {
      try ModelMainFlags.parse(base + ["--seed=x"], extra: ModelMainFlags.trainerSpecs)
    }
    // absl's logging flags (and the recipe scripts' misspelling of one) are accepted.
    let c = try ModelMainFlags.parse(base + ["--alsologtostder", "--v=1"], extra: ModelMainFlags.trainerSpecs)
    #expect(c.loggingFlags == ["--alsologtostder", "--v=1"])
    // Every own flag is spelled with underscores.
    #expect(ModelMainFlags.trainerSpecs.allSatisfy { !$0.name.contains("-") })
  }

  func flags(_ extra: [String] = []) throws -> ModelMainFlags {
    try ModelMainFlags.parse(["--model_dir=/results", "--pipeline_config_path=p"] + extra).flags
  }

  @Test func planForTraining() throws {
    let config = try PipelineConfig.load(path: Fixtures.config("ssd320_full_8gpus.config"))
    let plan = try ModelMainPlan(flags: try flags(["--eval_count=3"]), config: config)
    #expect(plan.mode == .train)
    #expect(plan.trainSteps == 12_500 && plan.evalCount == 3 && plan.stepsPerTrainCall == 4_166)
    #expect(plan.restoresFineTuneCheckpoint)
    #expect(plan.evaluationInputReader.inputPaths == ["/data/coco_val.record*"])
    #expect(plan.evaluationInputReader.numEpochs == 1 && plan.evaluationInputReader.sample1OfNExamples == 1)
    #expect(plan.evalOnTrainInputReader.inputPaths == ["/data/coco_train.record*"])
    #expect(plan.evalOnTrainInputReader.numEpochs == 1 && plan.evalOnTrainInputReader.sample1OfNExamples == 5)
  }

  @Test func planNumTrainStepsLeavesScheduleAlone() throws {
    let config = try PipelineConfig.load(path: Fixtures.config("ssd320_full_8gpus.config"))
    let plan = try ModelMainPlan(
      flags: try flags(["--num_train_steps=200", "--hparams_overrides=load_pretrained=false"]), config: config)
    #expect(plan.trainSteps == 200 && plan.config.trainConfig.numSteps == 200)
    #expect(plan.config.trainConfig.optimizer.learningRate.cosineDecay?.totalSteps == 12_500)
    #expect(!plan.hparams.loadPretrained && !plan.restoresFineTuneCheckpoint)
  }

  @Test func planForEvaluation() throws {
    let config = try PipelineConfig.load(path: Fixtures.config("ssd320_full_1gpus.config"))
    let plan = try ModelMainPlan(
      flags: try flags(["--checkpoint_dir=/ckpt", "--run_once", "--eval_training_data"]), config: config)
    #expect(plan.mode == .evaluate(checkpointDir: "/ckpt", runOnce: true, onTrainingData: true))
    #expect(plan.evaluationInputReader.inputPaths == ["/data/*train*"])
    #expect(plan.evaluationInputReader.sample1OfNExamples == 5)
  }

  @Test func planErrors() throws {
    var config = try PipelineConfig.load(path: Fixtures.config("ssd320_bench.config"))
    #expect(throws: HParamsError.self) {
      try ModelMainPlan(flags: try flags(["--hparams_overrides=train_config.batch_size=8"]), config: config)
    }
    #expect(throws: ModelMainFlagsError.badValue(flag: "eval_count", value: "2000",
                                                 expected: "at most the number of training steps (1250)")) {
      try ModelMainPlan(flags: try flags(["--eval_count=2000"]), config: config)
    }
    config.trainConfig.numSteps = 0
    #expect(throws: ModelMainFlagsError.missingTrainSteps) { try ModelMainPlan(flags: try flags(), config: config) }
    #expect(try ModelMainPlan(flags: try flags(["--num_train_steps=7"]), config: config).trainSteps == 7)
    config.evalInputReaders = []
    #expect(throws: ModelMainFlagsError.missingEvalInputReader) {
      try ModelMainPlan(flags: try flags(["--num_train_steps=7"]), config: config)
    }
  }
}
