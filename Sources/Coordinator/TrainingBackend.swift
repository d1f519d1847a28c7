import Data
import Model
import Worker

/// What the coordinator needs from the worker side. In one process this is the
/// `TrainingWorker` itself; the distributed trainer implements it with messages to N worker
/// ranks (steps run everywhere, momentum gathered from the ZeRO-1 shards, parameters
/// broadcast after a restore, evaluation indices split over ranks).
public protocol TrainingBackend: AnyObject {
  /// Rank 0's parameters: current after every step (all-gathered).
  var parameters: ParameterStore { get }
  /// One synchronized step at `globalStep`; stats averaged over workers.
  func trainStep(globalStep: Int) throws -> StepStats
  /// A training phase ended (stop input threads before evaluation or exit).
  func endTrainingPhase()
  /// The momentum accumulator of the whole trainable arena.
  func fullMomentum() throws -> [Float]
  func setFullMomentum(_ values: [Float]) throws
  /// `parameters` were overwritten (restore, fine-tune): push them to every worker.
  func parametersDidChange() throws
  /// Inference on `indices` of `source`, results in `indices` order.
  func evaluate(source: any SampleSource, indices: [Int], batchSize: Int) throws -> [EvaluatedImage]
}

extension TrainingWorker: TrainingBackend {
  public func trainStep(globalStep: Int) throws -> StepStats { try step(globalStep: globalStep) }
  public func endTrainingPhase() { pauseInput() }
  public func fullMomentum() throws -> [Float] {
    precondition(reduction.worldSize == 1, "a single TrainingWorker holds only its momentum shard; gather the shards")
    return momentumShard
  }
  public func setFullMomentum(_ values: [Float]) throws {
    precondition(reduction.worldSize == 1, "a single TrainingWorker holds only its momentum shard; scatter the shards")
    setMomentumShard(values)
  }
  public func parametersDidChange() throws {}
}
