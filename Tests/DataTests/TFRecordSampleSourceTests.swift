import Config
import Foundation
import Testing
@testable import Data
import TestSupport

/// The fixture val records through the evaluation pipeline: record order, source ids, decoded
/// sizes and unaugmented boxes as in the manifest.
@Test func fixtureRecordsFlowThroughTheEvaluationPipeline() throws {
  let labelMap = try LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt"))
  let source = try TFRecordSampleSource(inputPath: Fixtures.path("tfrecord/synth_val.record-*"), labelMap: labelMap)
  #expect(source.count == 32)
  let manifest = try Fixtures.json("tfrecord/manifest_synth_val.json") as! [String: Any]
  let records = (manifest["files"] as! [[String: Any]])[0]["records"] as! [[String: Any]]
  let config = PreprocessingConfig.ssd320Evaluation.resized(height: 32, width: 32)
  let pipeline = try BatchPipeline(source: source, schedule: .evaluation(sampleCount: 32, batchSize: 5),
                               preprocessing: config, stepCount: 7, threads: 2)
  var n = 0
  while let batch = try pipeline.next() {
    for slot in 0..<batch.size {
      let rec = records[batch.sampleIndices[slot]]
      #expect(batch.sampleIndices[slot] == n)
      let info = batch.infos[slot]
      #expect(info.sourceId == rec["source_id"] as! String)
      #expect([info.decodedHeight, info.decodedWidth, 3] == rec["decoded_shape"] as! [Int])
      #expect(info.location?.recordIndex == n)
      let gt = batch.groundTruths[slot]
      #expect(gt.classes.map(Int.init) == rec["label_via_label_map"] as! [Int])
      // Stored float32 values (JSONSerialization's double parsing is not exact: compare as Float).
      #expect(gt.boxes.map(\.ymin) == (rec["ymin"] as! [Double]).map { Float($0) })
      #expect(gt.boxes.map(\.xmax) == (rec["xmax"] as! [Double]).map { Float($0) })
      #expect(info.isCrowd == (rec["is_crowd"] as! [Int]).map { $0 != 0 })
      n += 1
    }
  }
  #expect(n == 32)
}

/// `bad_tfrecord/bad_jpeg.record`: the error names the file, the record and the JPEG problem.
@Test func badJPEGRecordErrorNamesFileAndRecord() throws {
  let source = try TFRecordSampleSource(inputPath: Fixtures.path("bad_tfrecord/bad_jpeg.record"), labelMap: nil)
  let loader = SampleLoader(source: source, preprocessing: .ssd320Evaluation.resized(height: 8, width: 8), seed: 0)
  for record in 0..<2 {
    do {
      _ = try loader.batch(step: record, schedule: .evaluation(sampleCount: 2, batchSize: 1))
      Issue.record("record \(record) decoded")
    } catch {
      let text = "\(error)"
      #expect(text.contains("bad_jpeg.record: record \(record)"), "\(text)")
      #expect(text.contains("image/encoded"), "\(text)")
      print("bad_jpeg record \(record): \(text)")
    }
  }
}
