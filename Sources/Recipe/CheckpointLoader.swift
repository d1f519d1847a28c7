import Checkpoint
import Model

/// The one checkpoint loader: fills a network's variables by name from a TensorFlow
/// checkpoint (V1 single file or V2 bundle, ours or TensorFlow's), planned by
/// `CheckpointMapping` (a `scope` for classification checkpoints), and reports what it
/// restored, missed and could not use. Resume, evaluation of a checkpoint, `ssd detect` and
/// fine-tuning all load through it; they differ only in `requireAll` and scope.
///
/// Also reads what our own checkpoints add (`RunCheckpoint`): the momentum slots and the
/// run's bookkeeping (step, seed, batch, training-set size).
public struct CheckpointLoader {
  public let reader: CheckpointReader

  public init(reader: CheckpointReader) { self.reader = reader }

  /// Opens the checkpoint `path` names: a V2 prefix, its `.index`/`.data-*` file, a V1 file,
  /// or a model directory (its newest committed checkpoint). Throws
  /// `CheckpointError.notFound` when there is none.
  public init(path: String) throws { reader = try CheckpointReader(path: path) }

  /// Writes every variable of `params` the checkpoint has (names under `scope` looked up
  /// without it) with the model's shape. With `requireAll`, a variable in scope that is
  /// missing or has another shape or type throws `CheckpointLoadError` before anything is
  /// written; without, it is only reported.
  @discardableResult
  public func load(into params: ParameterStore, scope: String = "", requireAll: Bool) throws -> CheckpointLoadReport {
    let mapping = CheckpointMapping(checkpoint: reader, variables: params.variables.map { ($0.name, $0.shape) }, scope: scope)
    if requireAll, let problem = mapping.firstProblem { throw CheckpointLoadError(checkpoint: reader.path, problem: problem) }
    try mapping.load(from: reader) { match, values in
      params.write(params.variable(named: match.variable)!.param, values)
    }
    return CheckpointLoadReport(checkpoint: reader.path, format: reader.format.rawValue,
                                globalStep: reader.globalStep.map(Int.init), mapping: mapping)
  }

  /// The whole-arena momentum of `params`' trainable variables from their `<name>/Momentum`
  /// slots (TF MomentumOptimizer's slot name; zeros where a slot is absent or misshapen), and
  /// how many slots were found.
  public func momentum(for params: ParameterStore) throws -> (values: [Float], slots: Int) {
    var momentum = [Float](repeating: 0, count: params.trainableCount)
    var slots = 0
    for v in params.variables where v.param.trainable {
      let name = v.name + RunCheckpoint.momentumSuffix
      guard let found = reader.variable(named: name), found.shape == v.shape, found.dtype == .float32 else { continue }
      momentum.replaceSubrange(v.param.offset..<(v.param.offset + v.param.count),
                               with: try reader.readFloat32(name, shape: v.shape))
      slots += 1
    }
    return (momentum, slots)
  }

  /// Where the run that wrote the checkpoint was (`global_step`, and our `ssd/*` entries when
  /// present).
  public var runState: RunCheckpoint.State {
    func int(_ name: String) -> Int64? {
      guard reader.variable(named: name) != nil else { return nil }
      return try? reader.readInt64(name, shape: []).first
    }
    return RunCheckpoint.State(globalStep: Int(reader.globalStep ?? 0),
                               seed: int(RunCheckpoint.seedName).map { UInt64(bitPattern: $0) },
                               globalBatchSize: int(RunCheckpoint.globalBatchName).map(Int.init),
                               trainExamples: int(RunCheckpoint.trainExamplesName).map(Int.init))
  }
}
