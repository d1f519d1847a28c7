/// A command that could not do its work because of a file or the data in it (not because of
/// how it was called): ArgumentParser prints `Error: <message>` and exits with status 1,
/// without the usage block a `ValidationError` (a malformed command line, exit 64) gets.
struct CommandFailure: Error, CustomStringConvertible {
  let description: String

  init(_ message: String) { description = message }

  /// Another error's text, without a leading "error: " (ArgumentParser adds "Error: ").
  init(_ error: any Error) {
    var text = "\(error)"
    if text.hasPrefix("error: ") { text.removeFirst("error: ".count) }
    description = text
  }
}
