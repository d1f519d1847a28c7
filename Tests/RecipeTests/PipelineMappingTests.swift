import Foundation
import Testing
import Config
import Model
@testable import Recipe
import TestSupport

/// The seed's configs (../shared/configs next to the fixtures).
private func seedConfig(_ name: String) -> String { Fixtures.config(name) }

@Test(arguments: ["ssd320_full_1gpus.config", "ssd320_full_4gpus.config", "ssd320_full_8gpus.config",
                  "ssd320_bench.config"])
func seedConfigsBuildTheSSD320Network(name: String) throws {
  let config = try SSDConfig(pipeline: try PipelineConfig.load(path: seedConfig(name)))
  #expect(config == .ssd320)
  let summary = ModelSummary(config: config)
  #expect(Array(summary.lines.dropFirst(summary.variables.count).prefix(5)) == [
    "variables: 463 (trainable 269)",
    "trainable parameters: 32840570",
    "total parameters: 32916218",
    "anchors: 12804",
    "forward MACs per image: 22307953664",
  ])
}

@Test func smallerFamilyMembersComeFromConfigValues() throws {
  var text = try String(contentsOfFile: seedConfig("ssd320_full_8gpus.config"), encoding: .utf8)
  text = text.replacingOccurrences(of: "height: 320", with: "height: 128")
    .replacingOccurrences(of: "width: 320", with: "width: 128")
    .replacingOccurrences(of: "depth_multiplier: 1.0", with: "depth_multiplier: 0.25")
    .replacingOccurrences(of: "num_layers_before_predictor: 4", with: "num_layers_before_predictor: 2")
    .replacingOccurrences(of: "depth: 256", with: "depth: 64")
    .replacingOccurrences(of: "num_classes: 90", with: "num_classes: 8")
  let config = try SSDConfig(pipeline: try PipelineConfig.parse(text, file: "small.config"))
  #expect(config.imageHeight == 128 && config.imageWidth == 128)
  #expect(config.depthMultiplier == 0.25 && config.numLayersBeforePredictor == 2)
  #expect(config.predictorDepth == 64 && config.numClasses == 8)
  // 128/8 = 16 → 16² + 8² + 4² + 2² + 1² locations, 6 anchors each.
  #expect(config.numAnchors == (256 + 64 + 16 + 4 + 1) * 6)
}

@Test func unsupportedFeatureExtractorIsALocatedError() throws {
  var text = try String(contentsOfFile: seedConfig("ssd320_full_8gpus.config"), encoding: .utf8)
  text = text.replacingOccurrences(of: "type: 'ssd_resnet50_v1_fpn'", with: "type: 'ssd_mobilenet_v2'")
  let pipeline = try PipelineConfig.parse(text, file: "m.config")
  do {
    _ = try SSDConfig(pipeline: pipeline)
    Issue.record("expected an error")
  } catch let error as ConfigError {
    let message = "\(error)"
    #expect(message.contains("m.config:"))
    #expect(message.contains("ssd_mobilenet_v2"))
  }
}
