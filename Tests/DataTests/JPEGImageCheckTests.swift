import Config
import Testing
@testable import Data
import TestSupport

/// With the JPEG check installed, the inspector flags both records of bad_jpeg.record (ASCII
/// text; a JPEG cut inside its header) and passes all fixture records.
@Test func inspectorWithJPEGCheckFlagsUndecodableImages() throws {
  let inspector = DatasetInspector(decoder: DetectionExampleDecoder(labelMap: nil), continueOnError: true,
                                   imageCheck: DatasetInspector.jpegImageCheck())
  let bad = try inspector.inspect(paths: [Fixtures.path("bad_tfrecord/bad_jpeg.record")])
  #expect(bad.badRecords.map(\.kindName) == ["undecodable_image", "undecodable_image"])
  #expect(bad.badRecords.map { $0.location?.recordIndex } == [0, 1])
  let labelMap = try LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt"))
  let good = try DatasetInspector(decoder: DetectionExampleDecoder(labelMap: labelMap),
                                  imageCheck: DatasetInspector.jpegImageCheck())
    .inspect(paths: [Fixtures.path("tfrecord/synth_val.record-00000-of-00001")])
  #expect(good.badRecords.isEmpty && good.images == 32)
}
