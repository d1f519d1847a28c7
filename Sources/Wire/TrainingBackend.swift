import Data
import Model

/// What the coordinator asks of the workers, whoever they are: in one process the
/// `TrainingWorker` itself (`ssd train`), in a distributed run N worker ranks behind the
/// coordinator's `DistributedBackend`, which turns each call into messages of this module.
///
/// Every call that may talk to other processes is a method that says so (and throws); a
/// restore is one call (`updateParameters`), not a write plus a reminder to push it.
public protocol TrainingBackend: AnyObject {
  /// Training examples the workers index and images per global step (all workers).
  var trainExamples: Int { get }
  var globalBatchSize: Int { get }
  /// Rank 0's current weights and batch-norm statistics (worker 0's, fetched when they are
  /// on another rank). For reading: changes go through `updateParameters`.
  func currentParameters() throws -> ParameterStore
  /// Runs `body` on the current parameters, then makes every worker hold the result
  /// (restore, fine-tune).
  func updateParameters(_ body: (ParameterStore) throws -> Void) throws
  /// One synchronized step at `globalStep`; stats averaged over workers.
  func trainStep(globalStep: Int) throws -> StepStats
  /// A training phase ended (stop input threads before evaluation or exit).
  func endTrainingPhase()
  /// The momentum accumulator of the whole trainable arena (gathered from the shards).
  func fullMomentum() throws -> [Float]
  /// Sets it (cut into the current shards).
  func setFullMomentum(_ values: [Float]) throws
  /// Inference on `indices` of `source`, results in `indices` order.
  func evaluate(source: any SampleSource, indices: [Int], batchSize: Int) throws -> [EvaluatedImage]
}
