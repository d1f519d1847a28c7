import Data
import Foundation
import Model
import Testing
@testable import Coordinator
@testable import Worker
import TestSupport
import Wire

/// A backend that trains like a worker for `failAt` steps, then reports a NaN loss.
private final class FailingBackend: TrainingBackend {
  let worker: TrainingWorker
  let failAt: Int
  init(worker: TrainingWorker, failAt: Int) { self.worker = worker; self.failAt = failAt }
  var trainExamples: Int { worker.trainExamples }
  var globalBatchSize: Int { worker.globalBatchSize }
  func currentParameters() throws -> ParameterStore { try worker.currentParameters() }
  func updateParameters(_ body: (ParameterStore) throws -> Void) throws { try worker.updateParameters(body) }
  func trainStep(globalStep: Int) throws -> StepStats {
    if globalStep == failAt {
      throw NonFiniteLossError(stats: StepStats(step: globalStep, totalLoss: .nan, classificationLoss: .nan,
                                                localizationLoss: 0.5, regularizationLoss: 0.1, learningRate: 0.01,
                                                images: 2, numMatches: 0, inputSeconds: 0, computeSeconds: 0))
    }
    return try worker.trainStep(globalStep: globalStep)
  }
  func endTrainingPhase() { worker.endTrainingPhase() }
  func fullMomentum() throws -> [Float] { try worker.fullMomentum() }
  func setFullMomentum(_ values: [Float]) throws { try worker.setFullMomentum(values) }
  func evaluate(source: any SampleSource, indices: [Int], batchSize: Int) throws -> [EvaluatedImage] {
    try worker.evaluate(source: source, indices: indices, batchSize: batchSize)
  }
}

/// The run stops at the failing step, naming it and the loss parts; checkpoints exist only
/// for steps before it.
@Test func nonFiniteLossStopsWithoutCheckpoint() throws {
  let config = try TestRuns.config()
  let dir = try Fixtures.temporaryDirectory("nan")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let plan = try TestRuns.plan(modelDir: dir, config: config)
  var options = TestRuns.options()
  options.saveCheckpointsSteps = 1
  let real = try TestRuns.singleProcess(plan: plan, modelDir: dir, options: options)
  let backend = FailingBackend(worker: real.backend as! TrainingWorker, failAt: 2)
  let coordinator = TrainingCoordinator(plan: plan, modelDir: dir, options: options, backend: backend)
  do {
    try coordinator.run()
    Issue.record("a NaN loss must stop the run")
  } catch let error as NonFiniteLossError {
    #expect(error.stats.step == 2)
    #expect(error.description.contains("step 2") && error.description.contains("classification nan"))
  }
  let files = try FileManager.default.contentsOfDirectory(atPath: dir)
  #expect(files.contains("model.ckpt-2.index"))
  #expect(!files.contains("model.ckpt-3.index"))
  #expect(!FileManager.default.fileExists(atPath: dir + "/eval_validation_data"))
}

/// A real NaN in the weights is caught by the worker before any update.
@Test func workerReportsNaNBeforeUpdating() throws {
  let config = try TestRuns.config()
  let dir = try Fixtures.temporaryDirectory("nan-worker")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let run = try TestRuns.singleProcess(plan: TestRuns.plan(modelDir: dir, config: config), modelDir: dir,
                                       options: TestRuns.options())
  let worker = run.backend as! TrainingWorker
  let p = worker.parameters
  let kernel = p.variable(named: "WeightSharedConvolutionalBoxPredictor/ClassPredictor/weights")!.param
  p.values[kernel.offset] = .nan
  let before = p.values
  #expect(throws: NonFiniteLossError.self) { _ = try worker.step(globalStep: 0) }
  worker.pauseInput()
  #expect(zip(before, p.values).allSatisfy { $0.bitPattern == $1.bitPattern })
  #expect(worker.momentumShard.allSatisfy { $0 == 0 })
}
