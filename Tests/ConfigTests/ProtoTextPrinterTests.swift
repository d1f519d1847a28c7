import Config
import Foundation
import Testing
import TestSupport

/// `pipeline.config` as training saves it: printing a checked message and parsing the text
/// gives an equal message, for the seed's configs, ours and awkward strings.
@Suite struct ProtoTextPrinterTests {
  static let configPaths = ["ssd320_full_1gpus.config", "ssd320_full_4gpus.config", "ssd320_full_8gpus.config",
                            "ssd320_bench.config"].map(Fixtures.config) + [Fixtures.packageRoot.path + "/configs/ssd_small_synth.config"]

  @Test(arguments: configPaths) func configsRoundTrip(path: String) throws {
    let config = try PipelineConfig.load(path: path)
    let text = ProtoTextPrinter().text(config.proto)
    let again = try PipelineConfig.parse(text, file: "printed")
    #expect(again.proto == config.proto)
    #expect(again.model == config.model && again.trainConfig == config.trainConfig)
    #expect(again.trainInputReader == config.trainInputReader && again.evalInputReaders == config.evalInputReaders)
    #expect(again.evalConfig == config.evalConfig)
    #expect(again.ignoredFields.map(\.path) == config.ignoredFields.map(\.path))
  }

  /// Quotes, backslashes, control characters and non-ASCII survive; floats keep their float32.
  @Test func stringsAndFloatsRoundTrip() throws {
    let base = try PipelineConfig.load(path: Fixtures.packageRoot.path + "/configs/ssd_small_synth.config")
    let odd = "a \"quoted\" \\ back\tslash\nline \u{1} é ☃"
    let config = try base.applyingOverrides([
      "train_config.fine_tune_checkpoint=\(ProtoTextPrinter.quoted(odd))",
      "train_config.optimizer.momentum_optimizer.momentum_optimizer_value=0.9000001",
      "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.conv_hyperparams.regularizer.l2_regularizer.weight=1e-07",
    ])
    #expect(config.trainConfig.fineTuneCheckpoint == odd)
    let again = try PipelineConfig.parse(ProtoTextPrinter().text(config.proto))
    #expect(again.proto == config.proto)
    #expect(again.trainConfig.fineTuneCheckpoint == odd)
  }

  /// The saved text: relative paths absolute against the working directory given, absolute
  /// ones and other strings as they are; a comment header that the parser skips.
  @Test func savedTextMakesPathsAbsolute() throws {
    let base = try PipelineConfig.load(path: Fixtures.packageRoot.path + "/configs/ssd_small_synth.config")
    let text = base.savedText(workingDirectory: "/work/run")
    #expect(text.hasPrefix("# "))
    let saved = try PipelineConfig.parse(text)
    #expect(saved.trainConfig.fineTuneCheckpoint == "/work/run/checkpoints/resnet_v1_50/model.ckpt")
    #expect(saved.trainInputReader.inputPaths == ["/work/run/data/synth/synth_train.record-*"])
    #expect(saved.evalInputReaders[0].labelMapPath == "/work/run/data/synth/label_map.pbtxt")
    #expect(saved.model == base.model)
    let twice = try PipelineConfig.parse(saved.savedText(workingDirectory: "/elsewhere"))
    #expect(twice.proto == saved.proto)  // absolute paths are kept
  }

  /// The config as used carries the flag merges in its text.
  @Test func configAsUsedHasTheFlagMerges() throws {
    let base = try PipelineConfig.load(path: Fixtures.packageRoot.path + "/configs/ssd_small_synth.config")
    var flags = ModelMainFlags()
    flags.modelDir = "/tmp/x"
    flags.pipelineConfigPath = base.file
    flags.numTrainSteps = 77
    flags.sample1OfNEvalExamples = 5
    let plan = try ModelMainPlan(flags: flags, config: base)
    let used = try PipelineConfig.parse(try plan.configAsUsed().savedText())
    #expect(used.trainConfig.numSteps == 77)
    #expect(used.evalInputReaders.map(\.sample1OfNExamples) == [5])
    #expect(used.evalInputReaders.map(\.numEpochs) == [1])
    // Planning again from the saved file gives the same plan.
    var again = flags
    again.numTrainSteps = nil
    again.sample1OfNEvalExamples = 5
    #expect(try ModelMainPlan(flags: again, config: used).trainSteps == 77)
  }
}
