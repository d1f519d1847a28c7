import Recipe

/// What can go wrong when loading a detector or running it on files. Every case names the
/// file at fault and says what to do.
public enum InferenceError: Error, Equatable, CustomStringConvertible {
  /// No checkpoint at the path (neither a prefix with `.index`/V1 file nor a directory
  /// holding a `checkpoint` state file).
  case checkpointNotFound(path: String)
  /// A variable the network needs is absent from the checkpoint.
  case missingVariable(checkpoint: String, name: String)
  /// A variable has another shape in the checkpoint than in the network the config builds.
  case shapeMismatch(checkpoint: String, name: String, checkpointShape: [Int], modelShape: [Int])
  /// An image file could not be read or decoded.
  case unreadableImage(path: String, reason: String)
  /// A path given on the command line is neither a file nor a directory.
  case noSuchInput(path: String)
  /// A directory given on the command line holds no JPEG files.
  case noImagesInDirectory(path: String)
  /// An output file could not be written.
  case cannotWrite(path: String, reason: String)

  /// The detector's form of a loader error.
  init(_ error: CheckpointLoadError) {
    switch error {
    case let .missingVariable(checkpoint, name): self = .missingVariable(checkpoint: checkpoint, name: name)
    case let .mismatchedVariable(checkpoint, m):
      self = .shapeMismatch(checkpoint: checkpoint, name: m.variable, checkpointShape: m.checkpointShape,
                            modelShape: m.expectedShape)
    }
  }

  public var description: String {
    switch self {
    case .checkpointNotFound(let p):
      return "\(p): no checkpoint found; pass a checkpoint prefix (e.g. model_dir/model.ckpt-1000, the name before "
        + ".index) or a model_dir containing a 'checkpoint' file"
    case .missingVariable(let c, let n):
      return "\(c): variable \(n) is missing; the checkpoint was written for another model. Use the pipeline "
        + "config that trained it (`ssd ckpt inspect \(c)` lists its variables)"
    case .shapeMismatch(let c, let n, let cs, let ms):
      return "\(c): variable \(n) has shape \(cs) in the checkpoint but \(ms) in the model the pipeline config "
        + "builds; use the pipeline config that trained this checkpoint"
    case .unreadableImage(let p, let r):
      return "\(p): \(r)"
    case .noSuchInput(let p):
      return "\(p): no such file or directory; pass JPEG files or directories holding them"
    case .noImagesInDirectory(let p):
      return "\(p): the directory holds no .jpg/.jpeg files"
    case .cannotWrite(let p, let r):
      return "\(p): cannot write (\(r)); check that the directory exists and is writable"
    }
  }
}
