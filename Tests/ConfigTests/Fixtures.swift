import Foundation

/// Locates the shared test data: `../shared` next to the package root (computed from this
/// file's path), with `SSD_FIXTURES` / `SSD_CONFIGS` overriding the two folders.
enum Fixtures {
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  static var fixtures: URL {
    if let path = ProcessInfo.processInfo.environment["SSD_FIXTURES"] { return URL(fileURLWithPath: path) }
    return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
  }

  /// The four seed pipeline configs (`ssd320_full_{1,4,8}gpus.config`, `ssd320_bench.config`).
  static var configs: URL {
    if let path = ProcessInfo.processInfo.environment["SSD_CONFIGS"] { return URL(fileURLWithPath: path) }
    return packageRoot.appendingPathComponent("../shared/configs").standardizedFileURL
  }

  static func config(_ name: String) -> String { configs.appendingPathComponent(name).path }
}
