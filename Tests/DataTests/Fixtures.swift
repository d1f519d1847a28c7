import Foundation

/// Locates `/work/shared/fixtures` as `../shared/fixtures` from the package root
/// (this file is Tests/DataTests/Fixtures.swift, three levels below it), or `$SSD_FIXTURES`.
enum Fixtures {
  static var root: URL {
    if let env = ProcessInfo.processInfo.environment["SSD_FIXTURES"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/fixtures")
  }

  static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url(relative)))
  }

  static func json(_ relative: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url(relative)))
  }
}
