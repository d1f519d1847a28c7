import ArgumentParser

/// `ssd ckpt ...`: TensorFlow checkpoints (V1 single file, V2 tensor bundle).
struct CkptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ckpt",
    abstract: "Inspect and convert TensorFlow checkpoints (V1 and V2 formats).",
    subcommands: [CkptInspectCommand.self, CkptConvertCommand.self])
}
