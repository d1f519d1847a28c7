import Foundation

/// Locates the shared test fixtures: `$SSD_FIXTURES`, else `../shared/fixtures` next to the
/// package root (this file is Tests/CheckpointTests/Fixtures.swift, three levels below).
enum Fixtures {
  static var root: String {
    if let env = ProcessInfo.processInfo.environment["SSD_FIXTURES"], !env.isEmpty { return env }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures").path
  }

  static func path(_ relative: String) -> String { root + "/" + relative }

  /// A fresh empty directory under the system temporary directory.
  static func temporaryDirectory(_ tag: String = #function) throws -> String {
    let safe = tag.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "ckpt-tests-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Removes the temporary directory holding `path` (made by `temporaryDirectory`), unless
  /// `SSD_KEEP_TEST_OUTPUT` is set (to inspect what the tests wrote, e.g. with TensorFlow).
  static func cleanUp(_ path: String) {
    if ProcessInfo.processInfo.environment["SSD_KEEP_TEST_OUTPUT"] != nil { return }
    guard let marker = path.range(of: "/ckpt-tests-") else { return }
    let top = path[..<marker.upperBound] + (path[marker.upperBound...].split(separator: "/").first ?? "")
    try? FileManager.default.removeItem(atPath: String(top))
  }

  static func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// Copies a fixture checkpoint directory (v1/ or v2/) to a temporary, writable directory.
  static func copyDirectory(_ relative: String, tag: String = #function) throws -> String {
    let dir = try temporaryDirectory(tag)
    for name in try FileManager.default.contentsOfDirectory(atPath: path(relative)) {
      try writeBytes(try readBytes(path(relative) + "/" + name), to: dir + "/" + name)
    }
    return dir
  }
}
