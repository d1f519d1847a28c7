import Foundation
import Testing
@testable import Data

/// A small in-memory data set: noisy JPEGs of varied sizes with 0...3 boxes each.
func makeSamples(count: Int, seed: UInt64 = 1) throws -> [EncodedSample] {
  let encoder = JPEGEncoder()
  var rng = SampleRandom(seed: seed)
  return try (0..<count).map { i in
    let h = 40 + rng.nextInt(below: 40), w = 40 + rng.nextInt(below: 60)
    let img = TestImages.noise(height: h, width: w, seed: UInt64(i) &+ seed)
    var boxes = [BoundingBox](), classes = [Int32]()
    for _ in 0..<(i % 4) {
      let y = rng.nextUnitFloat() * 0.6, x = rng.nextUnitFloat() * 0.6
      boxes.append(BoundingBox(ymin: y, xmin: x, ymax: y + 0.3, xmax: x + 0.35))
      classes.append(Int32(1 + rng.nextInt(below: 90)))
    }
    return EncodedSample(jpeg: try encoder.encode(img, quality: 85),
                         groundTruth: GroundTruth(boxes: boxes, classes: classes),
                         info: SampleInfo(sourceId: "\(1000 + i)", storedHeight: h, storedWidth: w,
                                          isCrowd: boxes.map { _ in false }))
  }
}

private let tinyTraining = PreprocessingConfig.ssd320Training.resized(height: 16, width: 16)

private func sameBatch(_ a: Batch, _ b: Batch) -> Bool {
  a.step == b.step && a.epoch == b.epoch && a.size == b.size && a.images == b.images && a.targets == b.targets
    && a.groundTruths == b.groundTruths && a.sampleIndices == b.sampleIndices && a.infos == b.infos
}

/// Threads × prefetch never change what comes out: the pipeline equals the single-threaded
/// `SampleLoader.batch` reference, step by step, across an epoch boundary.
@Test func pipelineMatchesSingleThreadedReference() throws {
  let source = InMemorySampleSource(try makeSamples(count: 13))
  let schedule = SampleSchedule.training(sampleCount: 13, globalBatchSize: 4, seed: 5)
  let loader = SampleLoader(source: source, preprocessing: tinyTraining, seed: 5)
  for (threads, prefetch) in [(1, 1), (3, 2), (4, 5)] {
    let pipeline = try BatchPipeline(source: source, schedule: schedule, preprocessing: tinyTraining,
                                 startStep: 0, stepCount: 7, threads: threads, prefetch: prefetch)
    var steps = 0
    while let batch = try pipeline.next() {
      let ref = try loader.batch(step: batch.step, schedule: schedule)
      #expect(sameBatch(batch, ref), "threads \(threads) prefetch \(prefetch) step \(batch.step)")
      #expect(batch.step == steps)
      steps += 1
    }
    #expect(steps == 7)
    #expect(throws: PipelineError.self) { pipeline.stop(); _ = try pipeline.next() }
  }
}

/// 1 worker × 8 and 4 workers × 2: the workers' batches concatenated in rank order are the
/// single worker's batch, tensor for tensor (byte-identical images).
@Test func fourWorkersOfTwoEqualOneWorkerOfEight() throws {
  let source = InMemorySampleSource(try makeSamples(count: 19))
  let schedule = SampleSchedule.training(sampleCount: 19, globalBatchSize: 8, seed: 9)
  let one = try BatchPipeline(source: source, schedule: schedule, preprocessing: tinyTraining, stepCount: 4, threads: 2)
  let four = try (0..<4).map {
    try BatchPipeline(source: source, schedule: schedule, preprocessing: tinyTraining, rank: $0, worldSize: 4,
                  stepCount: 4, threads: 1)
  }
  for _ in 0..<4 {
    let whole = try #require(try one.next())
    let parts = try four.map { try #require(try $0.next()) }
    #expect(parts.allSatisfy { $0.size == 2 })
    #expect(parts.flatMap(\.images) == whole.images)
    #expect(parts.flatMap(\.targets) == whole.targets)
    #expect(parts.flatMap(\.sampleIndices) == whole.sampleIndices)
  }
  #expect(try one.next() == nil)
}

/// Resuming at step k gives exactly the batches a run from 0 gives at k, k+1, ...
@Test func resumingAtAStepContinuesExactly() throws {
  let source = InMemorySampleSource(try makeSamples(count: 10))
  let schedule = SampleSchedule.training(sampleCount: 10, globalBatchSize: 3, seed: 2)
  let full = try BatchPipeline(source: source, schedule: schedule, preprocessing: tinyTraining, stepCount: 8, threads: 2)
  var all = [Batch]()
  while let b = try full.next() { all.append(b) }
  let resumed = try BatchPipeline(source: source, schedule: schedule, preprocessing: tinyTraining, startStep: 5,
                              stepCount: 3, threads: 3)
  for k in 5..<8 { #expect(sameBatch(try #require(try resumed.next()), all[k])) }
}

/// The loss's targets are the first min(N, maxBoxes) boxes with their classes and weights
/// (what TF's padding to maxBoxes leaves unmasked); evaluation keeps record order, the full
/// ground truth and the original image info.
@Test func evaluationBatchesCutTargetsToMaxBoxesAndKeepOrder() throws {
  let samples = try makeSamples(count: 5)
  let source = InMemorySampleSource(samples)
  var config = PreprocessingConfig.ssd320Evaluation.resized(height: 8, width: 8)
  config.maxBoxes = 2
  let pipeline = try BatchPipeline(source: source, schedule: .evaluation(sampleCount: 5, batchSize: 2),
                               preprocessing: config, stepCount: 3, threads: 2)
  var seen = [Int]()
  while let b = try pipeline.next() {
    for slot in 0..<b.size {
      let i = b.sampleIndices[slot]
      seen.append(i)
      let n = samples[i].groundTruth.count
      #expect(b.targets[slot].count == min(n, 2))
      #expect(b.groundTruths[slot] == samples[i].groundTruth)
      #expect(b.infos[slot].sourceId == "\(1000 + i)")
      #expect(b.infos[slot].decodedHeight == samples[i].info.storedHeight)
      for k in 0..<min(n, 2) {
        #expect(b.targets[slot].weights[k] == 1 && b.targets[slot].classes[k] == samples[i].groundTruth.classes[k])
        #expect(b.targets[slot].boxes[k] == samples[i].groundTruth.boxes[k])
      }
    }
  }
  #expect(seen == [0, 1, 2, 3, 4])
}

/// An undecodable image stops the pipeline with an error naming the sample.
@Test func undecodableSampleErrorPropagates() throws {
  var samples = try makeSamples(count: 6)
  samples[4].jpeg = Array("definitely not a jpeg".utf8)
  let pipeline = try BatchPipeline(source: InMemorySampleSource(samples), schedule: .evaluation(sampleCount: 6, batchSize: 2),
                               preprocessing: tinyTraining, stepCount: 3, threads: 2)
  _ = try pipeline.next()
  _ = try pipeline.next()
  do {
    _ = try pipeline.next()
    Issue.record("expected an error for sample 4")
  } catch let error as PipelineError {
    guard case .sample(let index, _, let step, _, let underlying) = error else { Issue.record("\(error)"); return }
    #expect(index == 4 && step == 2)
    #expect("\(underlying)".contains("not a JPEG"))
  }
  #expect(throws: PipelineError.self) { _ = try pipeline.next() }
}

/// Stopping while threads wait for the consumer returns promptly and joins them.
@Test func stopJoinsWaitingThreads() throws {
  let source = InMemorySampleSource(try makeSamples(count: 8))
  let pipeline = try BatchPipeline(source: source, schedule: .training(sampleCount: 8, globalBatchSize: 2, seed: 1),
                               preprocessing: tinyTraining, threads: 3, prefetch: 2)
  _ = try pipeline.next()
  pipeline.stop()
  pipeline.stop()
  #expect(throws: PipelineError.self) { _ = try pipeline.next() }
}

/// A data set smaller than one global batch is an error, not a trap.
@Test func tooFewSamplesForOneBatchThrows() throws {
  let source = InMemorySampleSource(try makeSamples(count: 3))
  #expect(throws: PipelineError.self) {
    _ = try BatchPipeline(source: source, schedule: .training(sampleCount: 3, globalBatchSize: 4, seed: 1),
                          preprocessing: tinyTraining)
  }
}
