/// Saves numbered V2 checkpoints into a model directory the way TensorFlow's Saver does:
/// `<directory>/<basename>-<step>.{index,data-00000-of-00001}` with a `global_step` int64
/// scalar, then the `checkpoint` state file (newest last), keeping the newest `keep`
/// checkpoints and deleting older ones.
///
/// Order of operations (a crash at any point leaves a readable newest checkpoint):
/// 1. bundle files written under temporary names and renamed into place (`BundleWriter`);
/// 2. `checkpoint` rewritten atomically to name the new checkpoint;
/// 3. only then the files of checkpoints beyond `keep` are deleted.
public struct CheckpointSaver {
  public let directory: String
  public let basename: String
  /// How many checkpoints to keep (TensorFlow's `max_to_keep`); 0 or less keeps all.
  public let keep: Int

  public init(directory: String, basename: String = "model.ckpt", keep: Int = 5) {
    self.directory = directory
    self.basename = basename
    self.keep = keep
  }

  /// The prefix a checkpoint of `step` gets.
  public func prefix(step: Int64) -> String { joinPath(directory, "\(basename)-\(step)") }

  /// Writes `tensors` plus `global_step = step` and makes it the newest checkpoint.
  /// Returns its prefix.
  @discardableResult
  public func save(step: Int64, tensors: [CheckpointTensor]) throws -> String {
    try save(step: step, tensors: tensors, failAt: nil)
  }

  func save(step: Int64, tensors: [CheckpointTensor], failAt: ((BundleWriter.Stage) throws -> Void)?) throws -> String {
    precondition(!tensors.contains { $0.name == "global_step" }, "global_step is added by the saver")
    try makeDirectories(directory)
    let prefix = prefix(step: step)
    try BundleWriter.write(prefix: prefix, tensors: tensors + [.int64("global_step", shape: [], [step])],
                           failAt: failAt)

    let name = "\(basename)-\(step)"
    let previous = try CheckpointState.read(directory: directory)
    var all = (previous?.allModelCheckpointPaths ?? []).filter {
      CheckpointState.resolve($0, in: directory) != prefix
    }
    all.append(name)
    var removed: [String] = []
    if keep > 0, all.count > keep {
      removed = Array(all.prefix(all.count - keep))
      all.removeFirst(all.count - keep)
    }
    try CheckpointState(modelCheckpointPath: name, allModelCheckpointPaths: all).write(directory: directory)
    for old in removed {
      // Only files in this directory: a copied `checkpoint` file may name absolute paths elsewhere.
      let oldPrefix = CheckpointState.resolve(old, in: directory)
      if directoryOf(oldPrefix) == directoryOf(joinPath(directory, "x")) {
        try Self.deleteCheckpoint(prefix: oldPrefix)
      }
    }
    return prefix
  }

  /// Deletes `<prefix>.index` and every `<prefix>.data-*` shard (missing files are fine).
  public static func deleteCheckpoint(prefix: String) throws {
    let dir = directoryOf(prefix)
    let base = prefix.split(separator: "/").last.map(String.init) ?? prefix
    try FileIO.remove(prefix + ".index")
    for file in (try? FileIO.list(dir)) ?? [] where file.hasPrefix(base + ".data-") {
      try FileIO.remove(joinPath(dir, file))
    }
  }

  private func makeDirectories(_ path: String) throws {
    if FileIO.isDirectory(path) { return }
    let parent = directoryOf(path)
    if parent != path && parent != "." && parent != "/" { try makeDirectories(parent) }
    try FileIO.makeDirectory(path)
  }
}
