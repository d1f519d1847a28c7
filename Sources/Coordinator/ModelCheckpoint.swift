import Checkpoint
import Model

/// The consolidated checkpoint of a run (one TF V2 bundle in model_dir): every variable under
/// its TensorFlow name (trainable values and BN moving statistics), `<name>/Momentum` for each
/// trainable variable (TF MomentumOptimizer's slot name), `global_step` (added by the saver),
/// and our own entries that make a resume exact:
/// - `ssd/seed` (int64): the run's seed; the data order and every sample's augmentation are
///   functions of (seed, global step), so with the step it fixes the input position and the
///   state of every random stream (there is no other RNG state during training);
/// - `ssd/global_batch_size`, `ssd/train_examples` (int64): the data position is only
///   meaningful for the same batch size and training set, checked on resume.
public enum ModelCheckpoint {
  public static let seedName = "ssd/seed"
  public static let globalBatchName = "ssd/global_batch_size"
  public static let trainExamplesName = "ssd/train_examples"

  /// Tensors to save (not `global_step`, which the saver adds).
  public static func tensors(parameters p: ParameterStore, momentum: [Float], seed: UInt64, globalBatchSize: Int,
                             trainExamples: Int) -> [CheckpointTensor] {
    precondition(momentum.count == p.trainableCount, "momentum has \(momentum.count) values for \(p.trainableCount)")
    var out: [CheckpointTensor] = []
    out.reserveCapacity(2 * p.variables.count + 3)
    for v in p.variables {
      out.append(.float32(v.name, shape: v.shape, p.read(v.param)))
      if v.param.trainable {
        out.append(.float32(v.name + "/Momentum", shape: v.shape,
                            Array(momentum[v.param.offset..<(v.param.offset + v.param.count)])))
      }
    }
    out.append(.int64(seedName, shape: [], [Int64(bitPattern: seed)]))
    out.append(.int64(globalBatchName, shape: [], [Int64(globalBatchSize)]))
    out.append(.int64(trainExamplesName, shape: [], [Int64(trainExamples)]))
    return out
  }

  /// What a restore found.
  public struct Restored {
    public var globalStep: Int
    /// Whole-arena momentum (zeros for variables without a `/Momentum` slot).
    public var momentum: [Float]
    public var momentumSlotsFound: Int
    public var seed: UInt64?
    public var globalBatchSize: Int?
    public var trainExamples: Int?
  }

  /// Overwrites every variable of `p` from `reader` (all must be present with our shapes).
  /// Throws `CoordinatorError.checkpointMismatch` naming the first missing or misshapen one.
  public static func restore(into p: ParameterStore, from reader: CheckpointReader) throws -> Restored {
    var momentum = [Float](repeating: 0, count: p.trainableCount)
    var slots = 0
    for v in p.variables {
      guard let found = reader.variable(named: v.name) else {
        throw CoordinatorError.checkpointMismatch(
          path: reader.path, reason: "variable \(v.name) is missing; the checkpoint was written for another model "
            + "(compare the pipeline config with the one that trained it)")
      }
      guard found.shape == v.shape else {
        throw CoordinatorError.checkpointMismatch(
          path: reader.path, reason: "variable \(v.name) has shape \(found.shape), the model expects \(v.shape); "
            + "the pipeline config differs from the one that trained this checkpoint")
      }
      p.write(v.param, try reader.readFloat32(v.name, shape: v.shape))
      if v.param.trainable, reader.variable(named: v.name + "/Momentum")?.shape == v.shape {
        let m = try reader.readFloat32(v.name + "/Momentum", shape: v.shape)
        momentum.replaceSubrange(v.param.offset..<(v.param.offset + v.param.count), with: m)
        slots += 1
      }
    }
    func int(_ name: String) -> Int64? {
      guard reader.variable(named: name) != nil else { return nil }
      return try? reader.readInt64(name, shape: []).first
    }
    return Restored(globalStep: Int(reader.globalStep ?? 0), momentum: momentum, momentumSlotsFound: slots,
                    seed: int(seedName).map { UInt64(bitPattern: $0) },
                    globalBatchSize: int(globalBatchName).map(Int.init), trainExamples: int(trainExamplesName).map(Int.init))
  }
}
