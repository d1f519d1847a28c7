import Checkpoint
import Config
import Export
import Foundation
import Inference
import Model
import TestSupport

/// A tiny detector for the export tests: the seed's `ssd320_full_1gpus.config` scaled to a
/// 64×64 input, widths ×1/8 (min 8), levels 3–5, two tower layers, with every batch norm's
/// γ, β and moving statistics randomized (so folding them is actually exercised).
enum ExportFixture {
  static func configText(size: Int = 64, numClasses: Int = 90) throws -> String {
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
    replace("num_classes: 90", "num_classes: \(numClasses)")
    replace("\"object_detection/data/mscoco_label_map.pbtxt\"", "\"\(Fixtures.path("mscoco_label_map.pbtxt"))\"")
    return s
  }

  /// A fresh temporary directory.
  static func directory() throws -> String {
    let dir = NSTemporaryDirectory() + "export-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Writes the config to `dir/pipeline.config`; returns its path.
  static func writeConfig(in dir: String, size: Int = 64, numClasses: Int = 90) throws -> String {
    let path = dir + "/pipeline.config"
    try configText(size: size, numClasses: numClasses).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// A detector of the config with randomized batch norms (seed `seed`).
  static func detector(configPath: String, seed: UInt64 = 3) throws -> Detector {
    let detector = try Detector(config: try PipelineConfig.load(path: configPath), seed: seed)
    randomizeBatchNorms(detector.network, seed: seed)
    return detector
  }

  static func randomizeBatchNorms(_ network: SSDNetwork, seed: UInt64) {
    var rng = SplitMix64(seed: seed &+ 100)
    let p = network.params
    for bn in network.batchNorms {
      let c = bn.channels
      p.write(bn.gamma, (0..<c).map { _ in 0.5 + rng.nextUnitFloat() })
      p.write(bn.beta, (0..<c).map { _ in rng.nextUnitFloat() - 0.5 })
      p.write(bn.movingMean, (0..<c).map { _ in 0.2 * (rng.nextUnitFloat() - 0.5) })
      p.write(bn.movingVariance, (0..<c).map { _ in 0.5 + rng.nextUnitFloat() })
    }
  }

  /// Saves every variable of the network as a V2 checkpoint in `dir`; returns the prefix.
  static func saveCheckpoint(_ params: ParameterStore, in dir: String, step: Int64 = 7,
                             skipping: Set<String> = [], replacing: [String: ([Int], [Float])] = [:]) throws -> String {
    let tensors = params.variables.compactMap { v -> CheckpointTensor? in
      if skipping.contains(v.name) { return nil }
      if let (shape, values) = replacing[v.name] { return CheckpointTensor.float32(v.name, shape: shape, values) }
      return CheckpointTensor.float32(v.name, shape: v.shape, params.read(v.param))
    }
    return try CheckpointSaver(directory: dir).save(step: step, tensors: tensors)
  }
}
