import ArgumentParser

/// The `ssd` command: model, data, training, evaluation and benchmark tools.
struct SSD: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ssd",
    abstract: "SSD320 v1.2 object detector: train, evaluate and inspect on CPUs.",
    discussion: """
      Examples:
        ssd model summary --pipeline_config_path configs/ssd320_full_8gpus.config
        ssd bench model --config tiny --batch 2
      """,
    subcommands: [TrainCommand.self, CoordinatorCommand.self, WorkerCommand.self, EvalCommand.self,
                  DetectCommand.self, ExportCommand.self, ReportCommand.self, ModelCommand.self, ConfigCommand.self, DataCommand.self, CkptCommand.self, BenchCommand.self])
}

@main
enum Main {
  static func main() {
    StartupEnvironment.ensure()
    GEMMThreading.configure()
    SSD.main()
  }
}
