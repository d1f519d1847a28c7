import Foundation

/// Locates the shared fixtures: `$SSD_FIXTURES`, else `../shared/fixtures` next to the
/// package root (this file is Tests/EvaluationTests/Fixtures.swift, three levels down).
enum Fixtures {
  static var root: URL {
    if let env = ProcessInfo.processInfo.environment["SSD_FIXTURES"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/fixtures")
  }

  static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  static func data(_ relative: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(relative)) }

  /// A fixture JSON file parsed with JSONSerialization.
  static func json(_ relative: String) throws -> Any { try JSONSerialization.jsonObject(with: try data(relative)) }
}
