import Checkpoint
import Config
import Data
import Foundation
import Model
import TestSupport

/// A small member of the SSD320 family for fast tests: the seed's
/// `ssd320_full_1gpus.config` with a 64x64 input, widths x1/8 (min 8), levels 3-5 and two
/// tower layers; readers point at the fixture TFRecords and label map.
enum TinyPipeline {
  static func text(size: Int = 64) throws -> String {
    var s = try String(contentsOfFile: Fixtures.path("../configs/ssd320_full_1gpus.config"), encoding: .utf8)
    func replace(_ a: String, _ b: String) {
      precondition(s.contains(a), "seed config no longer contains \(a)")
      s = s.replacingOccurrences(of: a, with: b)
    }
    replace("height: 320", "height: \(size)")
    replace("width: 320", "width: \(size)")
    replace("max_level: 7", "max_level: 5")
    replace("depth_multiplier: 1.0", "depth_multiplier: 0.125")
    replace("min_depth: 16", "min_depth: 8")
    replace("num_layers_before_predictor: 4", "num_layers_before_predictor: 2")
    replace("\"object_detection/data/mscoco_label_map.pbtxt\"", "\"\(Fixtures.path("mscoco_label_map.pbtxt"))\"")
    replace("\"/data/*train*\"", "\"\(Fixtures.path("tfrecord/synth_train.record-*"))\"")
    replace("\"/data/*val*\"", "\"\(Fixtures.path("tfrecord/synth_val.record-*"))\"")
    return s
  }

  static func config(size: Int = 64) throws -> PipelineConfig {
    try PipelineConfig.parse(try text(size: size), file: "tiny.config")
  }

  /// Writes every variable of `params` as a V2 checkpoint `dir/model.ckpt-<step>` (plus the
  /// `checkpoint` state file) and returns its prefix.
  static func saveCheckpoint(_ params: ParameterStore, in dir: String, step: Int64 = 7) throws -> String {
    let tensors = params.variables.map { CheckpointTensor.float32($0.name, shape: $0.shape, params.read($0.param)) }
    return try CheckpointSaver(directory: dir).save(step: step, tensors: tensors)
  }

  /// The JPEG bytes of the first `count` records of the fixture val TFRecord, with their
  /// source ids.
  static func valJPEGs(count: Int) throws -> [(sourceID: String, jpeg: [UInt8])] {
    let file = try TFRecordFile(path: Fixtures.path("tfrecord/synth_val.record-00000-of-00001"))
    return try (0..<min(count, file.count)).map { i in
      let example = try DetectionExampleDecoder(labelMap: nil).decode(try file.readRecord(i))
      return (example.sourceId, example.encodedImage)
    }
  }
}
