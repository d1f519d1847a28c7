/// `train_input_reader` / `eval_input_reader` (input_reader.proto), defaults applied.
public struct InputReaderConfig: Equatable, Sendable {
  public var name: String
  public var labelMapPath: String
  public var shuffle: Bool
  public var shuffleBufferSize: Int
  public var filenamesShuffleBufferSize: Int
  /// 0 = repeat forever.
  public var numEpochs: Int
  public var sample1OfNExamples: Int
  public var numReaders: Int
  public var numParallelBatches: Int
  public var numPrefetchBatches: Int
  public var readBlockLength: Int
  public var numAdditionalChannels: Int
  public var numKeypoints: Int
  /// Ground-truth boxes kept per image after padding/clipping (default 100).
  public var maxNumberOfBoxes: Int
  public var loadInstanceMasks: Bool
  /// DEFAULT, NUMERICAL_MASKS or PNG_MASKS.
  public var maskType: String
  public var useDisplayName: Bool
  /// `tf_record_input_reader { input_path: ... }` globs in the order written.
  public var inputPaths: [String]
}

/// `eval_config { ... }` (eval.proto), defaults applied.
public struct EvalConfig: Equatable, Sendable {
  public var batchSize: Int
  public var numVisualizations: Int
  /// Deprecated; the estimator evaluates the whole eval input (listed in `ignoredFields`).
  public var numExamples: Int
  public var evalIntervalSecs: Int
  public var maxEvals: Int
  /// e.g. `coco_detection_metrics`; empty means the OD API's default (COCO detection metrics).
  public var metricsSet: [String]
  public var useMovingAverages: Bool
  public var minScoreThreshold: Float
  public var maxNumBoxesToVisualize: Int
  public var includeMetricsPerCategory: Bool
  public var retainOriginalImages: Bool
  public var ignoreGroundtruth: Bool
}

/// A field the file sets that this trainer (like the fork's model_main.py) does not act on.
public struct IgnoredField: Equatable, Sendable, CustomStringConvertible {
  /// Dotted path, e.g. `train_config.sync_replicas`.
  public var path: String
  public var location: SourceLocation
  public var reason: String

  public var description: String { "\(location): \(path): ignored: \(reason)" }
}
