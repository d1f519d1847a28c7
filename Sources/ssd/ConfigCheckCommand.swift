import ArgumentParser
import Config
import Foundation

/// `ssd config check`: loads a pipeline.config as training would and reports problems in
/// compiler format, warnings, fields without effect, and a summary.
struct ConfigCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a pipeline.config and print what it trains.",
    discussion: """
      Exit status 1 if the config (or an override) has errors; they print as
      file:line:column: error: <field path>: <what>.

      Example:
        ssd config check --pipeline_config_path configs/ssd_small_synth.config
      """)

  @Option(name: .customLong("pipeline_config_path"), help: "The pipeline.config to check.")
  var pipelineConfigPath: String

  @Option(name: .customLong("config_override"),
          help: "A field override path=value (e.g. train_config.batch_size=8); repeatable.")
  var overrides: [String] = []

  @Option(name: .customLong("hparams_overrides"), help: "As model_main.py: only load_pretrained=true|false.")
  var hparamsOverrides: String?

  func run() throws {
    do {
      var config = try PipelineConfig.load(path: pipelineConfigPath)
      if !overrides.isEmpty { config = try config.applyingOverrides(overrides, source: "--config_override") }
      let hparams = try HParams.parse(hparamsOverrides)
      for warning in config.warnings { printError(warning.description) }
      for field in config.ignoredFields {
        print("\(pipelineConfigPath):\(field.location): note: \(field.path): ignored: \(field.reason)")
      }
      for line in config.summaryLines { print(line) }
      print("load_pretrained: \(hparams.loadPretrained)")
    } catch let error as ConfigError {
      printError(error.description)
      throw ExitCode.failure
    } catch let error as HParamsError {
      printError(error.description)
      throw ExitCode.failure
    }
  }

  private func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
