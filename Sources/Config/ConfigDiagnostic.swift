/// One problem found in a config file, printed as `file:line:column: error: <field path>: <what>`.
///
/// `path` is the dotted field path from the top of the file, with indices for repeated
/// fields (`train_config.data_augmentation_options[1].random_crop_image.min_area`); it is
/// empty for syntax errors outside any field.
public struct ConfigDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var location: SourceLocation
  public var path: String
  public var problem: ConfigProblem
  public var severity: Severity

  /// Errors stop loading; warnings are reported and loading goes on.
  public enum Severity: String, Equatable, Sendable { case error, warning }

  public init(file: String, location: SourceLocation, path: String, problem: ConfigProblem,
              severity: Severity = .error) {
    self.file = file
    self.location = location
    self.path = path
    self.problem = problem
    self.severity = severity
  }

  public var description: String {
    let prefix = "\(location.origin ?? file):\(location.line):\(location.column): \(severity.rawValue): "
    return path.isEmpty ? prefix + problem.message : prefix + path + ": " + problem.message
  }
}
