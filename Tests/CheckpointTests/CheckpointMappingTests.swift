import Formats
import Foundation
import Testing
@testable import Checkpoint
import TestSupport

/// Our graph's view of the backbone: TF-slim's 267 resnet_v1_50 names under
/// `FeatureExtractor/` minus the logits (SSD has none), plus FPN and head variables, plus
/// `global_step` — what the trainer will pass in.
func ssdVariables() throws -> [(name: String, shape: [Int])] {
  struct Variable: Decodable { let name: String; let shape: [Int] }
  struct File: Decodable { let variables: [Variable] }
  let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("checkpoint/resnet_v1_50_variables.json")))
  let slim = try JSONDecoder().decode(File.self, from: data).variables
  #expect(slim.count == 267)
  var ours = slim.filter { !$0.name.contains("/logits/") }.map { ("FeatureExtractor/" + $0.name, $0.shape) }
  ours += [("FeatureExtractor/resnet_v1_50/fpn/top_down/smoothing_1/weights", [3, 3, 256, 256]),
           ("WeightSharedConvolutionalBoxPredictor/BoxPredictor/biases", [36]),
           ("global_step", [])]
  return ours
}

/// The partial ResNet checkpoint (conv1 + block1, 55 variables, both formats) restores
/// exactly those 55 in-scope variables, reports the other 210 backbone and FPN variables
/// missing, the head and global_step out of scope, and a wrong shape as a mismatch; loaded
/// values equal the checkpoint's.
@Test(arguments: ["v1/model.ckpt", "v2/model.ckpt"])
func mappingOfPartialResNetUnderTheFeatureExtractorScope(_ form: String) throws {
  let reader = try CheckpointReader(path: Fixtures.path("checkpoint/resnet_v1_50_partial/" + form))
  var variables = try ssdVariables()
  // Give one backbone variable the wrong shape.
  let wrong = "FeatureExtractor/resnet_v1_50/block1/unit_2/bottleneck_v1/conv2/weights"
  let wrongIndex = try #require(variables.firstIndex { $0.name == wrong })
  variables[wrongIndex].shape = [3, 3, 64, 65]

  let plan = CheckpointMapping(checkpoint: reader, variables: variables, scope: "FeatureExtractor/")
  #expect(plan.restored.count == 54)
  #expect(plan.mismatched == [CheckpointMapping.Mismatch(
    variable: wrong, checkpointName: "resnet_v1_50/block1/unit_2/bottleneck_v1/conv2/weights",
    expectedShape: [3, 3, 64, 65], checkpointShape: [3, 3, 64, 64], checkpointType: .float32)])
  #expect(plan.missing.count == 265 - 55 + 1)
  #expect(plan.missing.contains("FeatureExtractor/resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/weights"))
  #expect(plan.missing.contains("FeatureExtractor/resnet_v1_50/fpn/top_down/smoothing_1/weights"))
  #expect(plan.outOfScope == ["WeightSharedConvolutionalBoxPredictor/BoxPredictor/biases", "global_step"])
  #expect(plan.unusedCheckpointVariables.isEmpty)
  #expect(plan.restored.allSatisfy { $0.variable == "FeatureExtractor/" + $0.checkpointName })

  let expected = Dictionary(uniqueKeysWithValues: try ExpectedVariable.load("resnet_v1_50_partial").map { ($0.name, $0) })
  var loaded = 0
  try plan.load(from: reader) { match, values in
    #expect(values.count == match.shape.reduce(1, *))
    let e = try #require(expected[match.checkpointName])
    #expect(SHA256.hexDigest(values.withUnsafeBytes { Array($0) }) == e.sha256, "\(match.checkpointName)")
    loaded += 1
  }
  #expect(loaded == 54)
}

/// Checkpoint variables nothing maps onto are listed (e.g. TF-slim's logits), `global_step`
/// in the checkpoint is never restored, and non-float32 counterparts are mismatches.
@Test func mappingEdgeCases() throws {
  let reader = try CheckpointReader(path: Fixtures.path("checkpoint/small/v2/model.ckpt"))
  let plan = CheckpointMapping(checkpoint: reader, variables: [
    ("Scope/learning_rate", []), ("Scope/global_step", []), ("Scope/some/int32_vector", [4]),
  ], scope: "Scope/")
  #expect(plan.restored.map(\.checkpointName) == ["learning_rate"])
  #expect(plan.missing == ["Scope/global_step"])
  #expect(plan.firstProblem == .missing(variable: "Scope/global_step", checkpointName: "global_step"))
  #expect(plan.mismatched.map(\.checkpointType) == [.int32])
  #expect(plan.unusedCheckpointVariables.count == 6)
  #expect(!plan.unusedCheckpointVariables.contains("learning_rate"))
}
