/// Which of a model's variables a checkpoint can fill, matched by name (spec §10.5): every
/// variable whose name starts with `scope` is looked up in the checkpoint under the name with
/// that prefix removed (scope `FeatureExtractor/`, a TF-slim classification checkpoint:
/// `FeatureExtractor/resnet_v1_50/conv1/weights` ← `resnet_v1_50/conv1/weights`; scope "",
/// our own or a detection checkpoint: the same names) and restored only if present with the
/// identical shape and float32 values; `global_step` is never a model variable. The plan
/// behind every restore (resume, `ssd detect`, fine-tuning), with its report: restored,
/// missing, mismatched, out of scope, and checkpoint variables nothing uses.
public struct CheckpointMapping: Sendable {
  /// A variable that will be restored.
  public struct Match: Equatable, Sendable {
    public let variable: String
    public let checkpointName: String
    public let shape: [Int]
  }

  /// A variable whose checkpoint counterpart exists but cannot be used.
  public struct Mismatch: Equatable, Sendable {
    public let variable: String
    public let checkpointName: String
    public let expectedShape: [Int]
    public let checkpointShape: [Int]
    public let checkpointType: TensorDataType
  }

  /// Why an in-scope variable is not restored.
  public enum Problem: Equatable, Sendable {
    case missing(variable: String, checkpointName: String)
    case mismatched(Mismatch)
  }

  /// Variables restored from the checkpoint, in the order given.
  public let restored: [Match]
  /// In-scope variables the checkpoint does not have (keep their current values).
  public let missing: [String]
  /// In-scope variables present with another shape or a non-float32 type (not restored).
  public let mismatched: [Mismatch]
  /// Variables outside the scope (or `global_step`), not looked up.
  public let outOfScope: [String]
  /// Checkpoint variables nothing maps onto (e.g. `resnet_v1_50/logits/*`, momentum slots).
  public let unusedCheckpointVariables: [String]
  /// The first in-scope variable (in the order given) that is not restored, if any: what a
  /// restore that needs every variable reports.
  public let firstProblem: Problem?

  /// Plans the restore of `variables` (the model's names and shapes) from `checkpoint`.
  public init(checkpoint: CheckpointReader, variables: [(name: String, shape: [Int])], scope: String = "") {
    var restored: [Match] = [], missing: [String] = [], mismatched: [Mismatch] = [], outOfScope: [String] = []
    var first: Problem?
    var used = Set<String>()
    for (name, shape) in variables {
      guard name.hasPrefix(scope), name != "global_step" else { outOfScope.append(name); continue }
      let key = String(name.dropFirst(scope.count))
      guard key != "global_step", let found = checkpoint.variable(named: key) else {
        missing.append(name)
        if first == nil { first = .missing(variable: name, checkpointName: key) }
        continue
      }
      used.insert(key)
      if found.shape == shape && found.dtype == .float32 {
        restored.append(Match(variable: name, checkpointName: key, shape: shape))
      } else {
        let m = Mismatch(variable: name, checkpointName: key, expectedShape: shape, checkpointShape: found.shape,
                         checkpointType: found.dtype)
        mismatched.append(m)
        if first == nil { first = .mismatched(m) }
      }
    }
    self.restored = restored
    self.missing = missing
    self.mismatched = mismatched
    self.outOfScope = outOfScope
    self.firstProblem = first
    self.unusedCheckpointVariables = checkpoint.variables.map(\.name).filter { !used.contains($0) }
  }

  /// Reads every restored variable's values and hands them to `body` (one at a time, so at
  /// most one tensor's copy is alive): `body(match, values)` with `values.count` equal to the
  /// shape's element count.
  public func load(from checkpoint: CheckpointReader, _ body: (Match, [Float]) throws -> Void) throws {
    for match in restored {
      try body(match, try checkpoint.readFloat32(match.checkpointName, shape: match.shape))
    }
  }
}
