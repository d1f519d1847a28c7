/// What can stop an export. Every case names the file or setting at fault and says what
/// to do.
public enum ExportError: Error, Equatable, CustomStringConvertible {
  /// The pipeline config could not be read or describes something the exporter cannot build.
  case badConfig(path: String, reason: String)
  /// A config setting the ONNX graph cannot express.
  case unsupported(setting: String, reason: String)
  /// The checkpoint does not fit the model the config builds (or cannot be read).
  case checkpointMismatch(checkpoint: String, reason: String)
  /// An output file could not be written.
  case cannotWrite(path: String, reason: String)
  /// A reference image could not be read.
  case unreadableImage(path: String, reason: String)

  public var description: String {
    switch self {
    case .badConfig(let p, let r):
      return "\(p): \(r)"
    case .unsupported(let s, let r):
      return "\(s): \(r)"
    case .checkpointMismatch(_, let r):
      return r
    case .cannotWrite(let p, let r):
      return "\(p): cannot write (\(r)); check that the directory exists and is writable, or pass another --output"
    case .unreadableImage(let p, let r):
      return "\(p): \(r)"
    }
  }
}
