/// A bad `--hparams_overrides` value; `column` is 1-based in the flag's text.
public struct HParamsError: Error, Equatable, Sendable, CustomStringConvertible {
  public var text: String
  public var column: Int
  public var message: String

  public var description: String { "--hparams_overrides:\(column): error: \(message)" }
}
