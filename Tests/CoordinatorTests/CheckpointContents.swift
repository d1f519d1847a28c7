import Checkpoint
import Config
import Foundation
import Model
import Worker
@testable import Coordinator

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
    let reader = try CheckpointReader(path: latest)
    let setup = try TrainingSetup(config: try PipelineConfig.load(path: config))
    let network = SSDNetwork(config: setup.model, seed: 0)
    let restored = try ModelCheckpoint.restore(into: network.params, from: reader)
    guard restored.momentumSlotsFound == network.params.variables.filter(\.param.trainable).count else {
      throw HarnessError("\(latest): \(restored.momentumSlotsFound) momentum slots")
    }
    path = latest
    step = restored.globalStep
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
