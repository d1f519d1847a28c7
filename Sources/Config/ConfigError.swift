import Foundation

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

extension ConfigError {
  /// The text of a config-like file (pipeline config, label map), or a `ConfigError` at
  /// the file's start saying it cannot read `what` and which setting to check (`hint`).
  static func readText(_ path: String, what: String, hint: String) throws -> String {
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError([
        ConfigDiagnostic(file: path, location: .fileStart, path: "",
                         problem: .unreadable("cannot read \(what) (\(error.localizedDescription)); check \(hint)"))
      ])
    }
  }
}
