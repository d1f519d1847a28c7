import Testing
@testable import Config

/// `freeze_variables` / `update_trainable_variables` with `tf.contrib.framework.filter_variables`
/// semantics (re.search over `name:0`; include first, then exclude; exclude wins).
struct VariableFilterTests {
  let names = [
    "FeatureExtractor/resnet_v1_50/conv1/weights",
    "FeatureExtractor/resnet_v1_50/conv1/BatchNorm/gamma",
    "FeatureExtractor/resnet_v1_50/fpn/projection_1/weights",
    "FeatureExtractor/resnet_v1_50/fpn/projection_1/biases",
    "WeightSharedConvolutionalBoxPredictor/BoxPredictor/weights",
    "WeightSharedConvolutionalBoxPredictor/ClassPredictor/biases",
  ]

  func trains(include: [String] = [], exclude: [String] = []) throws -> [Bool] {
    try VariableFilter(updateTrainableVariables: include, freezeVariables: exclude).resolve(names).trains
  }

  @Test func noPatternsTrainEverything() throws {
    #expect(try trains() == [true, true, true, true, true, true])
  }

  @Test func searchMatchesAnywhereNotOnlyAtTheStart() throws {
    // re.search: "fpn" occurs in the middle of the name.
    #expect(try trains(exclude: ["fpn"]) == [true, true, false, false, true, true])
    // "^fpn" would need re.match-at-start of a name that starts with FeatureExtractor.
    #expect(try trains(exclude: ["^fpn"]) == [true, true, true, true, true, true])
    #expect(try trains(exclude: ["^FeatureExtractor"]) == [false, false, false, false, true, true])
  }

  @Test func namesCarryTheOutputSuffix() throws {
    // TensorFlow matches var.name, "…/weights:0": a pattern anchored at the end misses.
    #expect(try trains(exclude: ["weights$"]) == [true, true, true, true, true, true])
    #expect(try trains(exclude: ["weights:0$"]) == [false, true, false, true, false, true])
    let selection = try VariableFilter(updateTrainableVariables: [], freezeVariables: ["weights$"]).resolve(names)
    #expect(selection.excludePatternsMatchingNothing == ["weights$"])
    #expect(selection.reportLines().contains { $0.hasPrefix("warning: freeze_variables 'weights$' matches no variable") })
  }

  @Test func includeFirstThenExcludeWhichWins() throws {
    #expect(try trains(include: ["WeightShared"]) == [false, false, false, false, true, true])
    #expect(try trains(include: ["WeightShared", "fpn"], exclude: ["biases"]) == [false, false, true, false, true, false])
    // A variable both included and excluded is frozen.
    #expect(try trains(include: ["BoxPredictor"], exclude: ["BoxPredictor"]) == [false, false, false, false, false, false])
  }

  @Test func freezingEverythingIsReported() throws {
    let s = try VariableFilter(updateTrainableVariables: [], freezeVariables: [".*"]).resolve(names)
    #expect(s.trainedCount == 0 && s.frozenCount == 6)
    #expect(s.nothingToTrain?.contains("No variables to optimize") == true)
    #expect(try VariableFilter(updateTrainableVariables: [], freezeVariables: ["conv1"]).resolve(names).nothingToTrain == nil)
  }

  @Test func reportCountsAndNamesFrozenVariables() throws {
    let s = try VariableFilter(updateTrainableVariables: [], freezeVariables: ["^FeatureExtractor/resnet_v1_50/conv1"]).resolve(names)
    let lines = s.reportLines()
    #expect(lines.first == "trainable variables: 4 of 6 train, 2 frozen (update_trainable_variables: all; "
              + "freeze_variables: '^FeatureExtractor/resnet_v1_50/conv1')")
    #expect(lines.contains("  frozen FeatureExtractor/resnet_v1_50/conv1/weights"))
  }

  @Test func badPatternNamesTheField() {
    #expect(VariableFilter.compileProblem("(") != nil)
    #expect(VariableFilter.compileProblem("a.*b") == nil)
    #expect(throws: VariableFilterError.self) { try VariableFilter(updateTrainableVariables: ["[z-a]"], freezeVariables: []) }
  }
}
