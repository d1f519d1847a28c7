import Testing
@testable import Config
import TestSupport

/// Text-format syntax variants: the parser must read exactly what protobuf's own
/// `text_format.Merge` reads (reference: `Tests/ConfigData/variants.expected`, made by
/// `python3 Tests/ConfigData/reference_dump.py od.pb Tests/ConfigData/variants.config`,
/// protobuf 6.x, descriptor set compiled from the fork's .proto files).
struct SyntaxVariantTests {
  @Test func variantsMatchProtobufTextFormat() throws {
    let text = try configData("variants.config")
    let expected = try configData("variants.expected").split(separator: "\n").map(String.init)
    let (message, warnings) = try PipelineConfig.parseMessage(text, file: "variants.config", schema: .objectDetection)
    #expect(warnings.isEmpty)
    let dump = canonicalDump(message)
    #expect(dump.count == expected.count)
    for (i, (got, want)) in zip(dump, expected).enumerated() where got != want {
      Issue.record("line \(i + 1): got \(got), want \(want)")
      break
    }
  }

  @Test func variantsMapToTypedValues() throws {
    let config = try PipelineConfig.parse(try configData("variants.config"), file: "variants.config")
    let ssd = config.model.ssd
    #expect(ssd.numClasses == 90)
    #expect(ssd.imageResizer == .fixedShape(height: 320, width: 320, method: .nearestNeighbor, convertToGrayscale: false))
    #expect(ssd.featureExtractor.type == "ssd_resnet50_v1_fpn")
    #expect(ssd.featureExtractor.convHyperparams.activation == .relu6)
    #expect(ssd.featureExtractor.convHyperparams.batchNorm == .init(decay: 0.997, center: true, scale: true,
                                                                      epsilon: 0.001, train: true))
    #expect(ssd.anchorGenerator.aspectRatios == [1, 2, 0.5])
    #expect(ssd.anchorGenerator.minLevel == 3 && ssd.anchorGenerator.anchorScale == 4)
    #expect(ssd.matcher.forceMatchForEachRow && ssd.matcher.unmatchedThreshold == 0.4)
    #expect(ssd.loss.classification == .sigmoidFocal(alpha: nil, gamma: 2))
    #expect(ssd.loss.localization == .smoothL1(delta: 0.5))
    // Defaults where the block is empty: batch_norm {} → decay 0.999, scale false.
    #expect(ssd.boxPredictor.convHyperparams.batchNorm == .init(decay: 0.999, center: true, scale: false,
                                                                  epsilon: 0.001, train: true))
    #expect(ssd.boxPredictor.convHyperparams.regularizer == nil)
    #expect(ssd.boxPredictor.kernelSize == 3)

    let train = config.trainConfig
    #expect(train.batchSize == 8 && train.numSteps == 100)
    #expect(train.fineTuneCheckpoint == "/ckpt/it's \"here\"!A\u{e9}")
    #expect(train.dataAugmentationOptions == [
      .randomHorizontalFlip(keypointFlipPermutation: [1, 0, 2]),
      .randomAdjustBrightness(maxDelta: 0.125),
      // random_crop_image proto defaults fill what the file leaves out.
      .randomCropImage(.init(minObjectCovered: 1, minAspectRatio: 0.75, maxAspectRatio: 3, minArea: 0.75, maxArea: 1,
                             overlapThresh: 0.3, clipBoxes: true, randomCoef: 0)),
      // SSD crop operations default to zeros (and clip_boxes true).
      .ssdRandomCrop(operations: [
        .init(minObjectCovered: 0, minAspectRatio: 0, maxAspectRatio: 0, minArea: 0.1, maxArea: 0, overlapThresh: 0,
              clipBoxes: true, randomCoef: 0),
        .init(minObjectCovered: 0, minAspectRatio: 0, maxAspectRatio: 0, minArea: 0.3, maxArea: 0, overlapThresh: 0,
              clipBoxes: false, randomCoef: 0),
      ]),
    ])
    #expect(train.optimizer.momentumOptimizerValue == 0.9)
    #expect(train.optimizer.learningRate == .cosineDecay(.init(learningRateBase: 0.16, totalSteps: 100,
                                                                 warmupLearningRate: 0.0693312, warmupSteps: 10,
                                                                 holdBaseRateSteps: 0)))
    #expect(config.trainInputReader.inputPaths == ["/data/a*", "/data/b*", "/data/c"])
    #expect(config.trainInputReader.maxNumberOfBoxes == 50)
    #expect(config.evalInputReaders.map(\.name) == ["first", "second"])
    #expect(config.evalInputReaders.map(\.shuffle) == [false, true])
    #expect(config.evalConfig.minScoreThreshold == .infinity)
    #expect(config.ignoredFields.map(\.path) == ["eval_input_reader[0].shuffle", "eval_input_reader[0].name",
                                                 "eval_input_reader[1].name", "eval_config.num_examples",
                                                 "eval_config.min_score_threshold"])
  }

  /// The four seed files as protobuf reads them (`<name>.expected`, made like
  /// `variants.expected` from /work/shared/configs/<name>.config).
  @Test(arguments: ["ssd320_full_1gpus", "ssd320_full_4gpus", "ssd320_full_8gpus", "ssd320_bench"])
  func seedConfigsMatchProtobufTextFormat(name: String) throws {
    let config = try PipelineConfig.load(path: Fixtures.config(name + ".config"))
    let expected = try configData(name + ".expected").split(separator: "\n").map(String.init)
    let dump = canonicalDump(config.proto)
    #expect(dump.count == expected.count)
    for (i, (got, want)) in zip(dump, expected).enumerated() where got != want {
      Issue.record("line \(i + 1): got \(got), want \(want)")
      break
    }
  }

  @Test func separatorsCommentsAndQuotes() throws {
    let text = """
      eval_config{metrics_set:'a';metrics_set:"b",num_examples:7}# trailing comment
      eval_config :{ metrics_set: ["c", 'd'] }
      """
    let (m, _) = try PipelineConfig.parseMessage(text, file: "t", schema: .objectDetection)
    #expect(m.message("eval_config").strings("metrics_set") == ["a", "b", "c", "d"])
    #expect(m.message("eval_config").int("num_examples") == 7)
  }

  @Test func scalarSetTwiceKeepsLastValueWithWarning() throws {
    let text = "train_config { batch_size: 4\n batch_size: 6 }"
    let (m, warnings) = try PipelineConfig.parseMessage(text, file: "t.config", schema: .objectDetection)
    #expect(m.message("train_config").int("batch_size") == 6)
    #expect(warnings.map(\.description) == [
      "t.config:2:2: warning: train_config.batch_size: set again (first set at 1:16); the last value wins"
    ])
  }

  @Test(arguments: [("true", true), ("True", true), ("t", true), ("1", true),
                    ("false", false), ("False", false), ("f", false), ("0", false)])
  func boolSpellings(text: String, value: Bool) throws {
    let (m, _) = try PipelineConfig.parseMessage("eval_config { use_moving_averages: \(text) }", file: "t",
                                                 schema: .objectDetection)
    #expect(m.message("eval_config").bool("use_moving_averages") == value)
  }

  @Test(arguments: [(".16000000000000000000", Float(0.16)), ("1e-8", Float(1e-8)), ("-4.6", Float(-4.6)),
                    ("2", Float(2)), ("2.5f", Float(2.5)), ("-inf", -Float.infinity), ("1.E2", Float(100))])
  func floatSpellings(text: String, value: Float) throws {
    let (m, _) = try PipelineConfig.parseMessage("eval_config { min_score_threshold: \(text) }", file: "t",
                                                 schema: .objectDetection)
    #expect(m.message("eval_config").float("min_score_threshold") == value)
  }

  @Test func nanParsesAsNaN() throws {
    let (m, _) = try PipelineConfig.parseMessage("eval_config { min_score_threshold: nan }", file: "t",
                                                 schema: .objectDetection)
    #expect(m.message("eval_config").float("min_score_threshold").isNaN)
  }

  @Test func labelMapFixtureParses() throws {
    let text = try String(contentsOf: Fixtures.fixtures.appendingPathComponent("mscoco_label_map.pbtxt"), encoding: .utf8)
    let (m, _) = try PipelineConfig.parseMessage(text, file: "mscoco_label_map.pbtxt", schema: .labelMap)
    let items = m.messages("item")
    #expect(items.count == 80)
    #expect(items.first?.int("id") == 1 && items.first?.string("display_name") == "person")
    #expect(items.last?.int("id") == 90 && items.last?.string("display_name") == "toothbrush")
  }
}

/// Formatting does not change what a config means.
struct SemanticEqualityTests {
  @Test func sameValuesDifferentLayoutCompareEqual() throws {
    let a = try PipelineConfig.parseMessage("eval_config { metrics_set: ['a', 'b'] num_examples: 3 }", file: "a",
                                            schema: .objectDetection).message
    let b = try PipelineConfig.parseMessage("# c\neval_config <\n  metrics_set: \"a\"\n  metrics_set: 'b'; num_examples: 0x3\n>",
                                            file: "b", schema: .objectDetection).message
    let c = try PipelineConfig.parseMessage("eval_config { metrics_set: ['b', 'a'] num_examples: 3 }", file: "c",
                                            schema: .objectDetection).message
    #expect(a == b)
    #expect(a != c)
  }
}
