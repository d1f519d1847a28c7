import Config
import Data
import Foundation
import Model
import Testing
@testable import Worker
import TestSupport

private let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The test model: the shipped small config at 64x64, widths x1/8, 1 tower layer, batch 2,
/// on the fixture's synthetic training records.
private func tinySetup() throws -> (TrainingSetup, any SampleSource) {
  let f = Fixtures.root
  let config = try PipelineConfig.load(path: packageRoot + "/configs/ssd_small_synth.config").applyingOverrides([
    "model.ssd.image_resizer.fixed_shape_resizer.height=64",
    "model.ssd.image_resizer.fixed_shape_resizer.width=64",
    "model.ssd.feature_extractor.depth_multiplier=0.125",
    "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.num_layers_before_predictor=1",
    "train_config.batch_size=2",
  ])
  let source = try TFRecordSampleSource(inputPath: f + "/tfrecord/synth_train.record-*",
                                        labelMap: LabelMap(contentsOfFile: f + "/mscoco_label_map.pbtxt"))
  return (try TrainingSetup(config: config), source)
}

/// One worker step at global step s is exactly: the schedule's batch of step s (seeded
/// order and augmentation), forward with batch statistics, loss with L2, backward, and the
/// momentum update a = 0.9·a + g, θ −= lr(s)·a. Rebuilt here by hand from the same pieces
/// on an identically initialized network; values, momentum and BN moving statistics agree
/// bit for bit after two steps (the second one uses a non-zero accumulator).
@Test func workerStepIsForwardLossBackwardMomentum() throws {
  let (setup, source) = try tinySetup()
  let seed: UInt64 = 11
  let worker = TrainingWorker(setup: setup, trainSource: source, seed: seed, inputThreads: 1)
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
    let gts = (0..<2).map { i -> GroundTruthBoxes in
      let n = batch.boxCounts[i], o = i * batch.maxBoxes
      return GroundTruthBoxes(boxes: Array(batch.boxes[(4 * o)..<(4 * (o + n))]),
                              classes: batch.classes[o..<(o + n)].map(Int.init))
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
