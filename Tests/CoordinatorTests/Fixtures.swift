import Foundation

/// Locates the shared fixtures: `../shared/fixtures` relative to the package root (three
/// levels above this file), or `$SSD_FIXTURES` when set.
enum Fixtures {
  static let root: String = {
    if let env = ProcessInfo.processInfo.environment["SSD_FIXTURES"], !env.isEmpty { return env }
    let packageRoot = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return packageRoot.appendingPathComponent("../shared/fixtures").standardized.path
  }()

  static func path(_ relative: String) -> String { root + "/" + relative }

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: path(relative))))
  }

  static func json(_ relative: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Foundation.Data(contentsOf: URL(fileURLWithPath: path(relative))))
  }

  /// A fresh empty temporary directory.
  static func temporaryDirectory(_ name: String) throws -> String {
    let dir = NSTemporaryDirectory() + "ssd-CoordinatorTests-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }
}
