import Config
import Data
import Foundation
import Model
import Testing
import Recipe
@testable import Worker
import TestSupport

/// The tiny model (64x64, widths x1/8, 1 tower layer) at batch 2, on the fixture's
/// synthetic training records.
private func tinySetup() throws -> (SSDRecipe, any SampleSource) {
  (try SSDRecipe(config: try TinyModel.config(batch: 2)), try TinyModel.trainSource())
}

/// One worker step at global step s is exactly: the schedule's batch of step s (seeded
/// order and augmentation), forward with batch statistics, loss with L2, backward, and the
/// momentum update a = 0.9·a + g, θ −= lr(s)·a. Rebuilt here by hand from the same pieces
/// on an identically initialized network; values, momentum and BN moving statistics agree
/// bit for bit after two steps (the second one uses a non-zero accumulator).
@Test func workerStepIsForwardLossBackwardMomentum() throws {
  let (setup, source) = try tinySetup()
  let seed: UInt64 = 11
  let worker = TrainingWorker(recipe: setup, trainSource: source, seed: seed, inputThreads: 1)
  let start = 5
  let s0 = try worker.step(globalStep: start)
  let s1 = try worker.step(globalStep: start + 1)
  worker.pauseInput()

  let net = SSDNetwork(config: setup.model, seed: seed)
  let p = net.params
  var accumulator = [Float](repeating: 0, count: p.trainableCount)
  let schedule = SampleSchedule.training(sampleCount: source.count, globalBatchSize: 2, seed: seed)
  let loader = SampleLoader(source: source, preprocessing: setup.trainPreprocessing, seed: seed)
  var losses: [Float] = []
  for step in [start, start + 1] {
    let batch = try loader.batch(step: step, schedule: schedule)
    p.zeroGradients()
    let (boxes, logits) = net.forward(Tensor(shape: [2, 64, 64, 3], data: batch.images))
    let gts = batch.targets.map { t in
      GroundTruthBoxes(boxes: t.boxes.flatMap(\.coordinates), classes: t.classes.map(Int.init))
    }
    let r = setup.loss.compute(boxEncodings: boxes, classLogits: logits, groundTruth: gts, parameters: p)
    net.backward(dBoxEncodings: r.dBoxEncodings, dClassLogits: r.dClassLogits)
    let lr = setup.schedule.learningRate(step: step)
    for i in 0..<p.trainableCount {
      accumulator[i] = accumulator[i] * 0.9 + p.gradients[i]
      p.values[i] -= accumulator[i] * lr
    }
    losses.append(r.totalLoss)
  }
  #expect([s0.totalLoss, s1.totalLoss] == losses)
  #expect(s0.learningRate == setup.schedule.learningRate(step: start))
  #expect(worker.parameters.values == p.values)
  #expect(worker.momentumShard == accumulator)
  #expect(worker.parameters.states == p.states)
  #expect(p.states != SSDNetwork(config: setup.model, seed: seed).params.states)  // BN moving stats moved
}
