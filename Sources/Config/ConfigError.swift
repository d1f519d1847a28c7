/// Every problem found while loading a config; `description` prints one line per problem.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  public var diagnostics: [ConfigDiagnostic]

  public init(_ diagnostics: [ConfigDiagnostic]) {
    self.diagnostics = diagnostics
  }

  public var description: String {
    diagnostics.map(\.description).joined(separator: "\n")
  }
}
