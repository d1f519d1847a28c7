import Testing
@testable import Data
import TestSupport

/// `--skip-bad-records`: undecodable JPEGs and non-Example payloads are skipped and listed
/// with their file and record; good records remain, renumbered.
@Test func badRecordsAreSkippedAndNamed() throws {
  let paths = ["bad_tfrecord/not_example.record", "bad_tfrecord/bad_jpeg.record", "tfrecord/synth_val.record-00000-of-00001"]
    .map(Fixtures.path).joined(separator: ",")
  let source = TFRecordSampleSource(dataset: try TFRecordDataset(inputPath: paths, tolerateFramingErrors: true),
                                    decoder: DetectionExampleDecoder())
  #expect(source.count == 36)
  let (good, skipped) = BadRecordFilter.filter(source)
  // not_example: record 1 is not a tf.Example; bad_jpeg: both JPEGs are undecodable.
  #expect(skipped.count == 3)
  #expect(skipped.contains { $0.contains("not_example.record") })
  #expect(skipped.filter { $0.contains("bad_jpeg.record") }.count == 2)
  #expect(good.count == 33)
  #expect(skipped.allSatisfy { $0.components(separatedBy: ".record: record").count == 2 })  // location once
  // Every remaining record loads.
  for i in 0..<good.count { _ = try good.sample(i) }
}
