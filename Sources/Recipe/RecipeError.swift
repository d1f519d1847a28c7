/// A config value (or input it names) the trainer cannot act on: names the file and field
/// and what to change.
public struct RecipeError: Error, CustomStringConvertible {
  public var file: String
  public var field: String
  public var message: String
  public init(file: String, field: String, message: String) {
    self.file = file
    self.field = field
    self.message = message
  }
  public var description: String { "\(file): \(field): \(message)" }
}
