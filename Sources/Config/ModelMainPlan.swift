/// What model_main.py (NVIDIA fork) makes of its flags and the pipeline config before it
/// trains or evaluates (spec §11, `model_lib.create_estimator_and_inputs` and
/// `config_util.merge_external_params_with_configs`):
/// - `--num_train_steps` replaces `train_config.num_steps` (the cosine schedule's
///   `total_steps` stays), otherwise `num_steps` is used; one of them must be positive;
/// - every eval reader gets `num_epochs = 1` and `sample_1_of_n_examples` from the flag;
/// - the eval-on-train reader is a copy of the train reader with `num_epochs = 1` and
///   `sample_1_of_n_examples = --sample_1_of_n_eval_on_train_examples`;
/// - training runs `evalCount` calls of `trainSteps / evalCount` steps (a remainder is never
///   trained) with a checkpoint after each, then one evaluation on `eval_input_reader[0]`.
public struct ModelMainPlan: Equatable, Sendable {
  public enum Mode: Equatable, Sendable {
    /// No `--checkpoint_dir`: train, checkpoint, evaluate once at the end (rank 0).
    case train
    /// `--checkpoint_dir` given: evaluate the latest checkpoint once (`runOnce`) or every new
    /// checkpoint until one with step ≥ `trainSteps`; on the training records if
    /// `onTrainingData`, else on `eval_input_reader[0]`.
    case evaluate(checkpointDir: String, runOnce: Bool, onTrainingData: Bool)
  }

  public var mode: Mode
  /// The config after the flag merge above (`proto` still holds the file as read).
  public var config: PipelineConfig
  public var hparams: HParams
  /// Total training steps per worker (synchronized steps).
  public var trainSteps: Int
  public var evalCount: Int
  /// Steps per `estimator.train` call = `trainSteps / evalCount`; also the checkpoint interval.
  public var stepsPerTrainCall: Int
  /// Whether training restores `train_config.fine_tune_checkpoint` (set and `load_pretrained`).
  public var restoresFineTuneCheckpoint: Bool
  /// The reader evaluation uses: `eval_input_reader[0]` (merged) or the eval-on-train copy.
  public var evaluationInputReader: InputReaderConfig
  /// The train reader as evaluated with `--eval_training_data`.
  public var evalOnTrainInputReader: InputReaderConfig

  /// Checks the flags and derives the plan. Throws `ModelMainFlagsError`, `HParamsError`, or
  /// `ConfigError` with the config's `TrainerVerdict` (every field this trainer refuses).
  /// `requireModelDir` false: the plan of a check without a run (`ssd config check`).
  public init(flags: ModelMainFlags, config: PipelineConfig, requireModelDir: Bool = true) throws {
    try flags.validate(requireRequired: requireModelDir)
    try TrainerVerdict(config: config).check()
    hparams = try HParams.parse(flags.hparamsOverrides)
    var merged = config
    if let n = flags.numTrainSteps {
      guard n <= Int(UInt32.max) else {
        throw ModelMainFlagsError.badValue(flag: "num_train_steps", value: String(n), expected: "at most \(UInt32.max)")
      }
      merged.trainConfig.numSteps = n
    }
    for i in merged.evalInputReaders.indices {
      merged.evalInputReaders[i].sample1OfNExamples = flags.sample1OfNEvalExamples
      merged.evalInputReaders[i].numEpochs = 1
    }
    guard merged.trainConfig.numSteps > 0 else { throw ModelMainFlagsError.missingTrainSteps }
    guard let eval = merged.evalInputReaders.first else { throw ModelMainFlagsError.missingEvalInputReader }
    var onTrain = merged.trainInputReader
    onTrain.sample1OfNExamples = flags.sample1OfNEvalOnTrainExamples
    onTrain.numEpochs = 1

    self.config = merged
    trainSteps = merged.trainConfig.numSteps
    evalCount = flags.evalCount
    stepsPerTrainCall = trainSteps / flags.evalCount
    guard stepsPerTrainCall > 0 else {
      throw ModelMainFlagsError.badValue(flag: "eval_count", value: String(flags.evalCount),
                                         expected: "at most the number of training steps (\(trainSteps))")
    }
    restoresFineTuneCheckpoint = hparams.loadPretrained && !merged.trainConfig.fineTuneCheckpoint.isEmpty
    evalOnTrainInputReader = onTrain
    if let dir = flags.checkpointDir {
      mode = .evaluate(checkpointDir: dir, runOnce: flags.runOnce, onTrainingData: flags.evalTrainingData)
      evaluationInputReader = flags.evalTrainingData ? onTrain : eval
    } else {
      mode = .train
      evaluationInputReader = eval
    }
  }
}
