import ArgumentParser
import Config
import Model
import Recipe

struct ModelSummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "Print every variable with its shape, then parameter, anchor and MAC counts.",
    discussion: """
      Builds the network a pipeline.config describes (no values are allocated) and prints
      one line per variable in TensorFlow's names and shapes (kernels HWIO), then the totals.

      Example:
        ssd model summary --pipeline_config_path ../shared/configs/ssd320_full_8gpus.config
      """)

  @Option(name: .customLong("pipeline_config_path"), help: "pipeline.config to build the model from.")
  var pipelineConfigPath: String

  @Flag(help: "Print only the totals, not every variable.")
  var totalsOnly = false

  func run() throws {
    let pipeline = try PipelineConfig.load(path: pipelineConfigPath)
    let config = try SSDConfig(pipeline: pipeline)
    let summary = ModelSummary(config: config)
    for line in summary.lines.dropFirst(totalsOnly ? summary.variables.count : 0) { print(line) }
  }
}
