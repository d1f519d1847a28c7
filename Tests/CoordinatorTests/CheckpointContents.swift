import Checkpoint
import Config
import Foundation
import Model
import Recipe

/// The newest committed checkpoint of a model_dir, read whole (every float tensor by name),
/// after checking it restores into the model of `config` (all variables present, shapes
/// right, data CRCs valid).
struct CheckpointContents {
  var path: String
  var step: Int
  var floats: [String: [Float]]

  init(modelDir: String, config: String) throws {
    guard let latest = try CheckpointState.latestCheckpoint(directory: modelDir) else {
      throw HarnessError("no committed checkpoint in \(modelDir)")
    }
    let loader = try CheckpointLoader(path: latest)
    let reader = loader.reader
    let recipe = try SSDRecipe(config: try PipelineConfig.load(path: config))
    let network = SSDNetwork(config: recipe.model, seed: 0)
    try loader.load(into: network.params, requireAll: true)
    let slots = try loader.momentum(for: network.params).slots
    guard slots == network.params.variables.filter(\.param.trainable).count else {
      throw HarnessError("\(latest): \(slots) momentum slots")
    }
    path = latest
    step = loader.runState.globalStep
    var out: [String: [Float]] = [:]
    for v in reader.variables where v.dtype == .float32 { out[v.name] = try reader.readFloat32(v.name) }
    floats = out
  }

  /// Largest |a − b| / (1 + |b|) over every tensor both hold; throws if the names differ.
  func maxRelativeDifference(to other: CheckpointContents, only: (String) -> Bool = { _ in true }) throws -> (Double, String) {
    guard Set(floats.keys) == Set(other.floats.keys) else {
      throw HarnessError("\(path) and \(other.path) hold different tensors")
    }
    var worst = 0.0, at = ""
    for (name, a) in floats where only(name) {
      let b = other.floats[name]!
      for i in a.indices {
        let d = Double(abs(a[i] - b[i])) / (1 + Double(abs(b[i])))
        if !(d <= worst) { worst = d; at = name }
      }
    }
    return (worst, at)
  }
}
