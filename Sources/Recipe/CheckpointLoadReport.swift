import Checkpoint

/// What a `CheckpointLoader.load` did: which checkpoint, and the mapping's report (restored,
/// missing, mismatched, out of scope, unused checkpoint variables).
public struct CheckpointLoadReport: Sendable {
  /// The checkpoint read: the V2 prefix or the V1 file.
  public let checkpoint: String
  public let format: String
  public let globalStep: Int?
  public let mapping: CheckpointMapping

  public var restored: [CheckpointMapping.Match] { mapping.restored }
  public var missing: [String] { mapping.missing }
  public var mismatched: [CheckpointMapping.Mismatch] { mapping.mismatched }
  public var outOfScope: [String] { mapping.outOfScope }
  /// Checkpoint entries the network does not use (momentum slots, `global_step`, our `ssd/*`).
  public var unused: Int { mapping.unusedCheckpointVariables.count }

  /// One line per variable not restored and a summary of unused checkpoint entries (what
  /// fine-tuning prints after its headline).
  public var details: [String] {
    var lines = restored.map { "  restored   \($0.variable) <- \($0.checkpointName) \($0.shape)" }
    lines += mismatched.map {
      "  mismatch   \($0.variable): model \($0.expectedShape), checkpoint \($0.checkpointName) \($0.checkpointShape) \($0.checkpointType)"
    }
    lines += missing.map { "  not found  \($0) (keeps its initializer)" }
    lines += outOfScope.map { "  not loaded \($0) (outside the restore scope)" }
    let unusedNames = mapping.unusedCheckpointVariables
    if !unusedNames.isEmpty {
      lines.append("  \(unusedNames.count) checkpoint variables unused: " + unusedNames.prefix(8).joined(separator: ", ")
                   + (unusedNames.count > 8 ? ", …" : ""))
    }
    return lines
  }
}

/// A restore that needs every variable found one it cannot fill: names the checkpoint and
/// the variable and says what to do.
public enum CheckpointLoadError: Error, Equatable, CustomStringConvertible {
  case missingVariable(checkpoint: String, name: String)
  case mismatchedVariable(checkpoint: String, mismatch: CheckpointMapping.Mismatch)

  init(checkpoint: String, problem: CheckpointMapping.Problem) {
    switch problem {
    case .missing(let variable, _): self = .missingVariable(checkpoint: checkpoint, name: variable)
    case .mismatched(let m): self = .mismatchedVariable(checkpoint: checkpoint, mismatch: m)
    }
  }

  public var description: String {
    switch self {
    case let .missingVariable(c, n):
      return "\(c): variable \(n) is missing; the checkpoint was written for another model. Use the pipeline "
        + "config that trained it (`ssd ckpt inspect \(c)` lists its variables)"
    case let .mismatchedVariable(c, m):
      return "\(c): variable \(m.variable) is \(m.checkpointType) \(m.checkpointShape) in the checkpoint but float32 "
        + "\(m.expectedShape) in the model the pipeline config builds; use the pipeline config that trained this checkpoint"
    }
  }
}
