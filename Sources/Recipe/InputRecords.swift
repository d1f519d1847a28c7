import Config
import Data

/// The one way to open an input reader of a pipeline config (`train_input_reader`,
/// `eval_input_reader`): its TFRecord files, decoded with its label map (if any) into
/// `numClasses` classes. With `skipBadRecords`, every record is checked first and only those
/// that decode are kept (`BadRecordFilter`), the others listed on stdout.
public struct InputRecords {
  public let source: any SampleSource
  public let labelMap: LabelMap?

  /// - Parameters:
  ///   - what: the reader's field name for messages, e.g. `train_input_reader`.
  ///   - file: the pipeline config, named in the error when nothing matches.
  public init(_ reader: InputReaderConfig, numClasses: Int, what: String, file: String,
              skipBadRecords: Bool = false) throws {
    let labelMap = reader.labelMapPath.isEmpty ? nil : try LabelMap(contentsOfFile: reader.labelMapPath)
    let pattern = reader.inputPaths.joined(separator: ",")
    let dataset = try TFRecordDataset(inputPath: pattern, tolerateFramingErrors: skipBadRecords)
    var source: any SampleSource = TFRecordSampleSource(
      dataset: dataset, decoder: DetectionExampleDecoder(labelMap: labelMap, numClasses: numClasses))
    if skipBadRecords {
      let (good, skipped) = BadRecordFilter.filter(source)
      for s in skipped { print("warning: \(what): skipping bad record \(s)") }
      if !skipped.isEmpty { print("\(what): \(skipped.count) bad records skipped, \(good.count) used") }
      source = good
    }
    guard source.count > 0 else {
      throw RecipeError(file: file, field: "\(what).tf_record_input_reader.input_path",
                        message: "no records match '\(pattern)'; check the input_path in the pipeline config")
    }
    self.source = source
    self.labelMap = labelMap
  }
}
