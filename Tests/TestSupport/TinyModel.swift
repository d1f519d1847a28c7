import Config
import Data
import Foundation

/// The test model every training test uses: the shipped `configs/ssd_small_synth.config`
/// shrunk to a 64x64 input, widths ×1/8 and one tower layer, its readers pointed at the
/// fixture TFRecords (64 train, 32 val images) and label map.
public enum TinyModel {
  /// The shipped small config (128x128 SSD on synthetic data).
  public static var smallConfigPath: String { Fixtures.packageRoot.appendingPathComponent("configs/ssd_small_synth.config").path }

  /// The tiny config with `batch` images per worker and `overrides` on top.
  public static func config(batch: Int = 2, _ overrides: [String] = []) throws -> PipelineConfig {
    let f = Fixtures.root
    return try PipelineConfig.load(path: smallConfigPath).applyingOverrides([
      "model.ssd.image_resizer.fixed_shape_resizer.height=64",
      "model.ssd.image_resizer.fixed_shape_resizer.width=64",
      "model.ssd.feature_extractor.depth_multiplier=0.125",
      "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.num_layers_before_predictor=1",
      "train_config.batch_size=\(batch)",
      "train_input_reader.tf_record_input_reader.input_path=['\(f)/tfrecord/synth_train.record-*']",
      "train_input_reader.label_map_path='\(f)/mscoco_label_map.pbtxt'",
      "eval_input_reader[0].tf_record_input_reader.input_path=['\(f)/tfrecord/synth_val.record-*']",
      "eval_input_reader[0].label_map_path='\(f)/mscoco_label_map.pbtxt'",
    ] + overrides)
  }

  /// The fixture's synthetic training records with the COCO label map.
  public static func trainSource() throws -> TFRecordSampleSource {
    try TFRecordSampleSource(inputPath: Fixtures.path("tfrecord/synth_train.record-*"),
                             labelMap: LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt")))
  }
}
