import ArgumentParser

/// `ssd bench ...`: commands that print performance figures. Timings live here, never in tests.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmarks that print figures (use a release build).",
    subcommands: [BenchModelCommand.self, BenchDataCommand.self, BenchAllreduceCommand.self,
                  BenchEvalCommand.self, BenchInferCommand.self, BenchTrainCommand.self])
}
