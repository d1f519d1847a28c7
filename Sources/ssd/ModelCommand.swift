import ArgumentParser

/// `ssd model ...`: facts about the network a config builds.
struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Inspect the network a pipeline.config builds.",
    subcommands: [ModelSummaryCommand.self])
}
