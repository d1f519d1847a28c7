/// Failures of a training or evaluation run that the user can fix.
public enum CoordinatorError: Error, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)
  case noCheckpoint(directory: String)
  case checkpointMismatch(path: String, reason: String)
  case noData(what: String, pattern: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "\(path): \(reason)"
    case .noCheckpoint(let dir):
      return "\(dir): no checkpoint found (no 'checkpoint' file naming existing model.ckpt-* files); pass the directory "
        + "a training run wrote to --checkpoint_dir"
    case .checkpointMismatch(let path, let reason): return "\(path): \(reason)"
    case .noData(let what, let pattern):
      return "\(what): no records matched '\(pattern)'; check the input_path in the pipeline config"
    }
  }
}
