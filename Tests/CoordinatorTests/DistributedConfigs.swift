import Foundation

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
    var s = try String(contentsOfFile: TestRuns.packageRoot + "/configs/ssd_small_synth.config", encoding: .utf8)
    var edits: [(String, String)] = [
      ("height: 128", "height: 64"), ("width: 128", "width: 64"),
      ("num_layers_before_predictor: 2", "num_layers_before_predictor: 1"),
      ("batch_size: 16", "batch_size: \(batch)"), ("num_steps: 1500", "num_steps: \(steps)"),
      ("total_steps: 1500", "total_steps: 8"), ("warmup_steps: 100", "warmup_steps: 2"),
      ("data/synth/synth_train.record-*", f + "/tfrecord/synth_train.record-*"),
      ("data/synth/synth_val.record-*", f + "/tfrecord/synth_val.record-*"),
      ("data/synth/label_map.pbtxt", f + "/mscoco_label_map.pbtxt"),
    ]
    if let w = equivalenceWorkers {
      edits += [
        ("normalize_loss_by_num_matches: true", "normalize_loss_by_num_matches: false"),
        ("  num_steps:", "  add_regularization_loss: false\n  num_steps:"),
        ("classification_weight: 1.0", "classification_weight: \(w).0"),
        ("localization_weight: 1.0", "localization_weight: \(w).0"),
      ]
    }
    for (from, to) in edits {
      guard s.contains(from) else { throw HarnessError("configs/ssd_small_synth.config no longer contains '\(from)'") }
      s = s.replacingOccurrences(of: from, with: to)
    }
    try s.write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// Flags every test run uses.
  static let commonFlags = ["--hparams_overrides=load_pretrained=false", "--sample_1_of_n_eval_examples=16", "--seed=3",
                            "--log_every_n_steps=1", "--threads=1", "--eval_batch_size=2"]
}
