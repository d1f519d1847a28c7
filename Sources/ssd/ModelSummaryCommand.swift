import ArgumentParser
import Model

struct ModelSummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "Print every variable with its shape, then parameter, anchor and MAC counts.")

  @Option(name: .customLong("pipeline_config_path"), help: "pipeline.config to build the model from.")
  var pipelineConfigPath: String

  func run() throws {
    print("OpenBLAS kernel: \(BLASRuntime.coreName)")
  }
}
