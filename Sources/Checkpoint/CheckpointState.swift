import Formats

/// The `checkpoint` text file TensorFlow keeps in a model directory (a `CheckpointState`
/// proto in text format): the newest checkpoint prefix and all retained ones, oldest first.
///
///     model_checkpoint_path: "model.ckpt-200"
///     all_model_checkpoint_paths: "model.ckpt-100"
///     all_model_checkpoint_paths: "model.ckpt-200"
///
/// Paths may be relative to the directory (what we write) or absolute (what TF1's Saver writes).
public struct CheckpointState: Equatable, Sendable {
  public var modelCheckpointPath: String
  public var allModelCheckpointPaths: [String]

  public static let fileName = "checkpoint"

  public init(modelCheckpointPath: String, allModelCheckpointPaths: [String]) {
    self.modelCheckpointPath = modelCheckpointPath
    self.allModelCheckpointPaths = allModelCheckpointPaths
  }

  /// Reads `directory/checkpoint`; nil when the file does not exist.
  public static func read(directory: String) throws -> CheckpointState? {
    let path = joinPath(directory, fileName)
    guard FileIO.exists(path) else { return nil }
    return try parse(String(decoding: try FileIO.readAll(path), as: UTF8.self), path: path)
  }

  /// Parses the text format; unknown fields (timestamps) are ignored.
  public static func parse(_ text: String, path: String) throws -> CheckpointState {
    var newest: String?
    var all: [String] = []
    for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.trimmingWhitespace()
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard let colon = line.firstIndex(of: ":") else {
        throw CheckpointError.badStateFile(path: path, line: number + 1, reason: "expected `field: value`, got '\(line)'")
      }
      let field = line[..<colon].trimmingWhitespace()
      let value = line[line.index(after: colon)...].trimmingWhitespace()
      guard field == "model_checkpoint_path" || field == "all_model_checkpoint_paths" else { continue }
      guard let string = unquote(value) else {
        throw CheckpointError.badStateFile(path: path, line: number + 1, reason: "\(field) needs a quoted string, got \(value)")
      }
      if field == "model_checkpoint_path" { newest = string } else { all.append(string) }
    }
    guard let newest else {
      throw CheckpointError.badStateFile(path: path, line: 1, reason: "no model_checkpoint_path field")
    }
    return CheckpointState(modelCheckpointPath: newest, allModelCheckpointPaths: all)
  }

  /// The text format, one field per line.
  public func serialized() -> String {
    var text = "model_checkpoint_path: \(Self.quote(modelCheckpointPath))\n"
    for p in allModelCheckpointPaths { text += "all_model_checkpoint_paths: \(Self.quote(p))\n" }
    return text
  }

  /// Writes `directory/checkpoint` atomically (`AtomicFile`: temporary file, fsync, rename,
  /// directory fsync).
  public func write(directory: String) throws {
    let path = joinPath(directory, Self.fileName)
    try FileIO.atomic { try AtomicFile.write(Array(serialized().utf8), to: path) }
  }

  /// Prefix (or V1 file) of the newest checkpoint named by `directory/checkpoint`, like
  /// `tf.train.latest_checkpoint`; nil when there is no state file or the files it names
  /// are gone (then training starts fresh / from the fine-tune checkpoint).
  public static func latestCheckpoint(directory: String) throws -> String? {
    guard FileIO.isDirectory(directory), try read(directory: directory) != nil else { return nil }
    return try? CheckpointReader.locate(directory).1
  }

  /// `path` resolved against `directory` when relative.
  public static func resolve(_ path: String, in directory: String) -> String {
    path.hasPrefix("/") ? path : joinPath(directory, path)
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
      switch ch {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where ch.value < 0x20 || ch.value == 0x7F:
        let octal = String(ch.value, radix: 8)
        out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
      default: out.unicodeScalars.append(ch)
      }
    }
    return out + "\""
  }

  /// Text-format string literal (double or single quotes, C escapes); nil if malformed.
  static func unquote(_ s: Substring) -> String? {
    guard let q = s.first, q == "\"" || q == "'", s.count >= 2, s.last == q else { return nil }
    let body = Array(s.dropFirst().dropLast().utf8)
    var out: [UInt8] = []
    var i = 0
    while i < body.count {
      let c = body[i]
      if c == q.asciiValue! { return nil }
      guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
      guard i + 1 < body.count else { return nil }
      let e = body[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): out.append(e)
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var v = Int(e - UInt8(ascii: "0"))
        var n = 1
        while n < 3, i < body.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(body[i]) {
          v = v * 8 + Int(body[i] - UInt8(ascii: "0")); i += 1; n += 1
        }
        out.append(UInt8(truncatingIfNeeded: v))
      case UInt8(ascii: "x"):
        var v = 0, n = 0
        while n < 2, i < body.count, let d = hexValue(body[i]) { v = v * 16 + d; i += 1; n += 1 }
        guard n > 0 else { return nil }
        out.append(UInt8(v))
      default: return nil
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A")) + 10
    default: return nil
    }
  }
}

extension Substring {
  func trimmingWhitespace() -> Substring {
    guard let start = firstIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
    let end = lastIndex(where: { !$0.isWhitespace })!
    return self[start...end]
  }
}

/// `directory/name`, without doubling a trailing slash.
func joinPath(_ directory: String, _ name: String) -> String {
  if directory.isEmpty { return name }
  return directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

/// Directory part of a path ("." for a bare name).
func directoryOf(_ path: String) -> String { AtomicFile.directory(of: path) }
