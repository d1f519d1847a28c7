import Comm
import Config
import Data
import Worker

extension TrainingCoordinator {
  /// Builds the coordinator of a distributed run over `backend` (whose workers are already
  /// connected): global batch = per-worker `batch_size` × workers, training-set size from the
  /// workers' hellos, evaluation records read here for the image list and scoring.
  public static func distributed(plan: ModelMainPlan, modelDir: String, options: TrainingOptions,
                                 backend: DistributedBackend, perWorkerBatchSize: Int) -> TrainingCoordinator {
    let numClasses = backend.network.config.numClasses
    let reader = plan.evaluationInputReader
    var cached: (any SampleSource, LabelMap?)?
    let eval: () throws -> (any SampleSource, LabelMap?) = {
      if let c = cached { return c }
      let c = try source(for: reader, numClasses: numClasses, what: "eval_input_reader")
      cached = c
      return c
    }
    return TrainingCoordinator(plan: plan, modelDir: modelDir, options: options, backend: backend,
                               trainExamples: backend.trainExamples,
                               globalBatchSize: perWorkerBatchSize * backend.workerCount,
                               numClasses: numClasses, evalSource: eval)
  }
}
