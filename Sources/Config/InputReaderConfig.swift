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
