import Foundation

/// Locates `/work/shared/fixtures` as `../shared/fixtures` relative to the package root
/// (three levels above this file), or `$SSD_FIXTURES`.
enum Fixtures {
  static var root: String {
    if let env = ProcessInfo.processInfo.environment["SSD_FIXTURES"], !env.isEmpty { return env }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures").path
  }

  static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

  /// A fresh temporary directory (removed by the caller unless SSD_KEEP_TEST_OUTPUT is set).
  static func temporaryDirectory(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "ssd-\(tag)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func remove(_ dir: String) {
    if ProcessInfo.processInfo.environment["SSD_KEEP_TEST_OUTPUT"] == nil { try? FileManager.default.removeItem(atPath: dir) }
  }
}
