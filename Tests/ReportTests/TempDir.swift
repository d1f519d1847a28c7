import Foundation

/// Temporary directories for the report tests (kept with SSD_KEEP_TEST_OUTPUT).
enum TempDir {
  static func make(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "ssd-\(tag)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func remove(_ dir: String) {
    if ProcessInfo.processInfo.environment["SSD_KEEP_TEST_OUTPUT"] == nil { try? FileManager.default.removeItem(atPath: dir) }
  }
}
