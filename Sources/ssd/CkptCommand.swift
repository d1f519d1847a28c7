import ArgumentParser

/// `ssd ckpt ...`: TensorFlow checkpoints (V1 single file, V2 tensor bundle).
struct CkptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ckpt",
    abstract: "Inspect and convert TensorFlow checkpoints (V1 and V2 formats).",
    subcommands: [CkptInspectCommand.self, CkptConvertCommand.self, CkptVerifyCommand.self])

  /// 25610152 → "25,610,152".
  static func groupDigits(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, c) in s.enumerated() {
      if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return (n < 0 ? "-" : "") + out
  }

  /// `text` left-aligned in a field of `width` characters (never truncated).
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
