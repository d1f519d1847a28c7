/// Our flags beyond model_main.py's (`ssd train --help` documents each).
public struct TrainingOptions {
  /// Weights init, data order and augmentation.
  public var seed: UInt64 = 0
  /// Checkpoint every this many steps (default: `num_steps / eval_count`, as RunConfig does);
  /// a checkpoint is also written at the end of every training phase.
  public var saveCheckpointsSteps: Int?
  /// Checkpoints kept in model_dir (TF Saver's max_to_keep, default 5).
  public var keepCheckpointMax: Int = 5
  /// One log line every this many steps.
  public var logEveryNSteps: Int = 10
  /// Input pipeline threads.
  public var inputThreads: Int = 2
  /// Images per inference batch during evaluation (results do not depend on it).
  public var evalBatchSize: Int = 8
  /// COCO instances JSON to score against instead of ground truth rebuilt from the records.
  public var evalAnnotations: String?
  /// DLLogger report path (nil: none).
  public var raportFile: String?
  /// Continuous evaluation: seconds between looks for a new checkpoint (TF: 180).
  public var evalPollSeconds: Double = 180
  /// Draw a progress bar with ETA on stderr (set when stderr is a terminal).
  public var progressBar: Bool = false
  /// Check every record first and train/evaluate on the readable ones only (`BadRecordFilter`).
  public var skipBadRecords: Bool = false
  public init() {}
}
