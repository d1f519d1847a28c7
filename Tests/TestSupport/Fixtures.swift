import Foundation

/// The shared test data every test target reads: the fixtures written by the real tools
/// (`../shared/fixtures` next to the package root, or `$SSD_FIXTURES`) and the seed's
/// pipeline configs (`../shared/configs`, or `$SSD_CONFIGS`), plus scratch directories.
/// One locator for all test targets (module `TestSupport`).
public enum Fixtures {
  /// The package root: this file is Tests/TestSupport/Fixtures.swift.
  public static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  /// The fixtures directory.
  public static var fixtures: URL {
    if let env = ProcessInfo.processInfo.environment["SSD_FIXTURES"], !env.isEmpty { return URL(fileURLWithPath: env) }
    return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
  }

  /// The fixtures directory as a path.
  public static var root: String { fixtures.path }

  /// The seed's four pipeline configs (`ssd320_full_{1,4,8}gpus.config`, `ssd320_bench.config`).
  public static var configs: URL {
    if let env = ProcessInfo.processInfo.environment["SSD_CONFIGS"], !env.isEmpty { return URL(fileURLWithPath: env) }
    return packageRoot.appendingPathComponent("../shared/configs").standardizedFileURL
  }

  public static func config(_ name: String) -> String { configs.appendingPathComponent(name).path }

  /// An input found by fuzzing (scripts/fuzz.sh), committed as
  /// `Tests/Fixtures/fuzz/TARGET/NAME`: the file as the parser reads it.
  public static func fuzzInputPath(_ target: String, _ name: String) -> String {
    packageRoot.appendingPathComponent("Tests/Fixtures/fuzz/\(target)/\(name)").path
  }

  public static func fuzzInput(_ target: String, _ name: String) throws -> [UInt8] {
    try bytesAt(fuzzInputPath(target, name))
  }

  /// A fixture's path from its path relative to the fixtures directory.
  public static func path(_ relative: String) -> String { root + "/" + relative }

  public static func bytes(_ relative: String) throws -> [UInt8] { try bytesAt(path(relative)) }

  public static func data(_ relative: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(relative))) }

  /// A fixture JSON file parsed with JSONSerialization.
  public static func json(_ relative: String) throws -> Any { try JSONSerialization.jsonObject(with: try data(relative)) }

  /// Bytes of a file at any path.
  public static func bytesAt(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

  public static func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// A fresh empty directory under the system temporary directory, named after `tag`.
  public static func temporaryDirectory(_ tag: String = #function) throws -> String {
    let safe = tag.filter { $0.isLetter || $0.isNumber || $0 == "-" }
    let dir = NSTemporaryDirectory() + "ssd-tests-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Removes the `temporaryDirectory` holding `path` (the directory or anything in it),
  /// unless `SSD_KEEP_TEST_OUTPUT` is set (to inspect what a test wrote).
  public static func remove(_ path: String) {
    if ProcessInfo.processInfo.environment["SSD_KEEP_TEST_OUTPUT"] != nil { return }
    guard let marker = path.range(of: "/ssd-tests-") else { return }
    let top = path[..<marker.upperBound] + (path[marker.upperBound...].split(separator: "/").first ?? "")
    try? FileManager.default.removeItem(atPath: String(top))
  }

  /// Copies a fixture directory (e.g. a checkpoint's v1/ or v2/) to a fresh writable one.
  public static func copyDirectory(_ relative: String, tag: String = #function) throws -> String {
    let dir = try temporaryDirectory(tag)
    for name in try FileManager.default.contentsOfDirectory(atPath: path(relative)) {
      try writeBytes(try bytesAt(path(relative) + "/" + name), to: dir + "/" + name)
    }
    return dir
  }
}
