import ArgumentParser

/// `ssd data ...`: TFRecord inspection and conversion tools.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Inspect and create COCO detection TFRecords.",
    subcommands: [DataSynthCommand.self, DataInspectCommand.self, DataFromCocoCommand.self])
}
