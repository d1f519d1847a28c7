import Checkpoint
import Config
import Foundation
import Model
import Testing
@testable import Recipe
import TestSupport

/// The one loader: variables by name (all of them, or what a scope finds), the momentum
/// slots and run bookkeeping of our checkpoints, and a refusal that writes nothing.
struct CheckpointLoaderTests {
  /// A tiny network's parameters with recognizable values, and a checkpoint of them (with
  /// momentum slots, seed and batch entries, step 12).
  func tinyCheckpoint(in dir: String) throws -> (ParameterStore, String) {
    let recipe = try SSDRecipe(config: try TinyModel.config())
    let params = SSDNetwork(config: recipe.model, seed: 4).params
    let momentum = (0..<params.trainableCount).map { Float($0 % 97) * 0.01 }
    let tensors = RunCheckpoint.tensors(parameters: params, momentum: momentum, seed: 9, globalBatchSize: 8, trainExamples: 64)
    let prefix = try CheckpointSaver(directory: dir).save(step: 12, tensors: tensors)
    return (params, prefix)
  }

  @Test func everyVariableMomentumSlotAndRunEntryRoundTrips() throws {
    let dir = try Fixtures.temporaryDirectory("loader")
    defer { Fixtures.remove(dir) }
    let (saved, prefix) = try tinyCheckpoint(in: dir)
    let fresh = SSDNetwork(config: try SSDRecipe(config: try TinyModel.config()).model, seed: 5).params
    #expect(fresh.values != saved.values)
    let loader = try CheckpointLoader(path: dir)  // a model_dir resolves to its newest checkpoint
    #expect(loader.reader.path == prefix)
    let report = try loader.load(into: fresh, requireAll: true)
    #expect(fresh.values == saved.values && fresh.states == saved.states)
    #expect(report.restored.count == saved.variables.count && report.missing.isEmpty && report.mismatched.isEmpty)
    #expect(report.globalStep == 12)
    let (momentum, slots) = try loader.momentum(for: fresh)
    #expect(slots == saved.variables.filter(\.param.trainable).count)
    #expect(momentum == (0..<saved.trainableCount).map { Float($0 % 97) * 0.01 })
    #expect(loader.runState == RunCheckpoint.State(globalStep: 12, seed: 9, globalBatchSize: 8, trainExamples: 64))
  }

  /// A checkpoint of another model is refused naming the first variable at fault, and
  /// nothing is overwritten; without `requireAll` the same checkpoint fills what it can.
  @Test func anotherModelIsRefusedBeforeAnythingIsWritten() throws {
    let dir = try Fixtures.temporaryDirectory("loader-other")
    defer { Fixtures.remove(dir) }
    let (_, prefix) = try tinyCheckpoint(in: dir)
    let wider = try TinyModel.config(["model.ssd.feature_extractor.depth_multiplier=0.25"])
    let params = SSDNetwork(config: try SSDRecipe(config: wider).model, seed: 1).params
    let before = params.values
    let loader = try CheckpointLoader(path: prefix)
    do {
      try loader.load(into: params, requireAll: true)
      Issue.record("a checkpoint of a narrower model loaded")
    } catch let error as CheckpointLoadError {
      guard case .mismatchedVariable(let checkpoint, let m) = error else { Issue.record("unexpected \(error)"); return }
      let firstDiffering = params.variables.first { loader.reader.variable(named: $0.name)?.shape != $0.shape }
      #expect(checkpoint == prefix && m.variable == firstDiffering?.name)
      #expect("\(error)".contains("pipeline config"))
    }
    #expect(params.values == before)
    let partial = try loader.load(into: params, requireAll: false)
    #expect(!partial.restored.isEmpty && !partial.mismatched.isEmpty)
    #expect(partial.restored.count + partial.mismatched.count + partial.missing.count == params.variables.count)
  }

  /// Scope mapping: the backbone of our checkpoint, renamed as a TF-slim classification
  /// checkpoint would name it, fills the `FeatureExtractor/` variables only.
  @Test func aScopeMapsPrefixLessNames() throws {
    let dir = try Fixtures.temporaryDirectory("loader-scope")
    defer { Fixtures.remove(dir) }
    let recipe = try SSDRecipe(config: try TinyModel.config())
    let source = SSDNetwork(config: recipe.model, seed: 7).params
    let scope = "FeatureExtractor/"
    let tensors = source.variables.filter { $0.name.hasPrefix(scope) }
      .map { CheckpointTensor.float32(String($0.name.dropFirst(scope.count)), shape: $0.shape, source.read($0.param)) }
    try BundleWriter.write(prefix: dir + "/slim.ckpt", tensors: tensors)
    let target = SSDNetwork(config: recipe.model, seed: 8).params
    let report = try CheckpointLoader(path: dir + "/slim.ckpt").load(into: target, scope: scope, requireAll: false)
    #expect(report.restored.count == tensors.count && report.missing.isEmpty)
    #expect(report.outOfScope.count == target.variables.count - tensors.count)
    for v in target.variables {
      let expected = v.name.hasPrefix(scope) ? source : SSDNetwork(config: recipe.model, seed: 8).params
      #expect(target.read(v.param) == expected.read(expected.variable(named: v.name)!.param), "\(v.name)")
    }
  }
}
