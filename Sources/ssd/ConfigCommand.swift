import ArgumentParser

/// `ssd config ...`: pipeline.config tools.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Read and check pipeline.config files.",
    subcommands: [ConfigCheckCommand.self])
}
