import Foundation
import TestSupport

/// Pipeline configs for the multi-process tests: the shipped small config on the fixture
/// TFRecords, shrunk like `TestRuns` (64x64, widths x1/8, 1 tower layer, schedule of 8 steps).
enum DistributedConfigs {
  /// - Parameters:
  ///   - batch: per-worker `batch_size`.
  ///   - equivalenceWorkers: if set, the W-invariant variant for equivalence tests: losses
  ///     summed over the batch (`normalize_loss_by_num_matches: false`, no L2 loss) and both
  ///     loss weights = W, so the averaged gradient of W workers is exactly the one-worker
  ///     gradient of the same global batch (W = 1, 2, 4 scale exactly in float).
  static func write(to path: String, batch: Int, steps: Int, equivalenceWorkers: Int? = nil) throws {
    let f = Fixtures.root
    var s = try String(contentsOfFile: TinyModel.smallConfigPath, encoding: .utf8)
    // Field values are replaced whatever the shipped config currently says.
    var edits: [(String, String)] = [
      (#"height: \d+"#, "height: 64"), (#"width: \d+"#, "width: 64"),
      (#"num_layers_before_predictor: \d+"#, "num_layers_before_predictor: 1"),
      (#"batch_size: \d+"#, "batch_size: \(batch)"), (#"  num_steps: \d+"#, "  num_steps: \(steps)"),
      (#"total_steps: \d+"#, "total_steps: 8"), (#"warmup_steps: \d+"#, "warmup_steps: 2"),
      (#"input_path: "[^"]*train[^"]*""#, "input_path: \"\(f)/tfrecord/synth_train.record-*\""),
      (#"input_path: "[^"]*val[^"]*""#, "input_path: \"\(f)/tfrecord/synth_val.record-*\""),
      (#"label_map_path: "[^"]*""#, "label_map_path: \"\(f)/mscoco_label_map.pbtxt\""),
    ]
    if let w = equivalenceWorkers {
      edits += [
        (#"normalize_loss_by_num_matches: \w+"#, "normalize_loss_by_num_matches: false"),
        (#"  num_steps:"#, "  add_regularization_loss: false\n  num_steps:"),
        (#"classification_weight: [0-9.]+"#, "classification_weight: \(w).0"),
        (#"localization_weight: [0-9.]+"#, "localization_weight: \(w).0"),
      ]
    }
    for (pattern, replacement) in edits {
      guard s.range(of: pattern, options: .regularExpression) != nil else {
        throw HarnessError("configs/ssd_small_synth.config has no match for /\(pattern)/")
      }
      s = s.replacingOccurrences(of: pattern, with: NSRegularExpression.escapedTemplate(for: replacement),
                                 options: .regularExpression)
    }
    try s.write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// Flags every test run uses.
  static let commonFlags = ["--hparams_overrides=load_pretrained=false", "--sample_1_of_n_eval_examples=16", "--seed=3",
                            "--log_every_n_steps=1", "--threads=1", "--eval_batch_size=2"]
}
