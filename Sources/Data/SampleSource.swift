import Config
/// Random access to the samples of a data set by global index 0 ..< count. Must be safe to
/// call from several threads at once (the pipeline's workers do).
public protocol SampleSource: Sendable {
  var count: Int { get }
  /// Sample `index`; errors should say which file and record failed.
  func sample(_ index: Int) throws -> EncodedSample
  /// Where sample `index` is stored, for error messages (nil if not in a file).
  func location(of index: Int) -> RecordLocation?
}

extension SampleSource {
  public func location(of index: Int) -> RecordLocation? { nil }
}

/// Samples held in memory (tests, synthetic data, benchmarks).
public struct InMemorySampleSource: SampleSource {
  public let samples: [EncodedSample]
  public init(_ samples: [EncodedSample]) { self.samples = samples }
  public var count: Int { samples.count }
  public func sample(_ index: Int) throws -> EncodedSample { samples[index] }
}

/// The records of TFRecord files (global numbering over the files in order, see
/// `TFRecordDataset`), each decoded with `DetectionExampleDecoder` (label map, validation).
public struct TFRecordSampleSource: SampleSource {
  public let dataset: TFRecordDataset
  public let decoder: DetectionExampleDecoder

  public init(dataset: TFRecordDataset, decoder: DetectionExampleDecoder) {
    self.dataset = dataset
    self.decoder = decoder
  }

  /// Opens every file matched by `inputPath` (globs, comma lists) and indexes its records.
  public init(inputPath: String, labelMap: LabelMap?, numClasses: Int = 90) throws {
    self.init(dataset: try TFRecordDataset(inputPath: inputPath),
              decoder: DetectionExampleDecoder(labelMap: labelMap, numClasses: numClasses))
  }

  public var count: Int { dataset.count }

  public func sample(_ index: Int) throws -> EncodedSample {
    EncodedSample(try dataset.example(index, decoder: decoder), location: dataset.location(of: index))
  }

  public func location(of index: Int) -> RecordLocation? { dataset.location(of: index) }
}
