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
/// `tensors(...)` is what the coordinator saves; `CheckpointLoader` reads it back.
public enum RunCheckpoint {
  public static let seedName = "ssd/seed"
  public static let globalBatchName = "ssd/global_batch_size"
  public static let trainExamplesName = "ssd/train_examples"
  public static let momentumSuffix = "/Momentum"

  /// Where a run was when it wrote a checkpoint (nil: not recorded, e.g. a TensorFlow one).
  public struct State: Equatable, Sendable {
    public var globalStep: Int
    public var seed: UInt64?
    public var globalBatchSize: Int?
    public var trainExamples: Int?
  }

  /// Tensors to save (not `global_step`, which the saver adds).
  public static func tensors(parameters p: ParameterStore, momentum: [Float], seed: UInt64, globalBatchSize: Int,
                             trainExamples: Int) -> [CheckpointTensor] {
    precondition(momentum.count == p.trainableCount, "momentum has \(momentum.count) values for \(p.trainableCount)")
    var out: [CheckpointTensor] = []
    out.reserveCapacity(2 * p.variables.count + 3)
    for v in p.variables {
      out.append(.float32(v.name, shape: v.shape, p.read(v.param)))
      if v.param.trainable {
        out.append(.float32(v.name + momentumSuffix, shape: v.shape,
                            Array(momentum[v.param.offset..<(v.param.offset + v.param.count)])))
      }
    }
    out.append(.int64(seedName, shape: [], [Int64(bitPattern: seed)]))
    out.append(.int64(globalBatchName, shape: [], [Int64(globalBatchSize)]))
    out.append(.int64(trainExamplesName, shape: [], [Int64(trainExamples)]))
    return out
  }
}
