import Comm
import Data
import Dispatch
import Foundation
import Model

/// One training process's share of the work (spec §5–§7): it owns the network, the loss,
/// the input pipeline for its slice of every global batch, and the momentum of its shard of
/// the flat trainable arena (the whole arena when it is the only worker).
///
/// `step(globalStep:)` = read batch → forward (BN in training mode: batch statistics, moving
/// averages updated) → loss (focal + smooth-L1 + L2, whose gradient goes straight into the
/// arena before backward starts) → backward → `GradientReducer.reduceScatter` (average) →
/// momentum update of the own shard with lr = schedule(globalStep) →
/// `GradientReducer.allGather`. With several workers on a `RingGradientReducer` and
/// `overlapCommunication`, the reduce-scatter runs bucket by bucket on the comm thread as
/// backward finalizes gradients (`BucketedReduceScatter`), with bit-identical results. A non-finite loss
/// throws `NonFiniteLossError` before anything is updated except the BN moving averages of
/// that forward pass (the coordinator then stops without checkpointing).
///
/// What shapes the batches is a pure function of (seed, global step) (`SampleSchedule`,
/// per-sample RNG streams), so resuming at step k with the same weights, momentum and BN
/// statistics continues bit for bit.
public final class TrainingWorker {
  public let setup: TrainingSetup
  public let network: SSDNetwork
  public let reducer: GradientReducer
  public let optimizer: MomentumOptimizer
  /// The arena ranges of all workers; `shards[reducer.rank]` is this worker's.
  public let shards: [Range<Int>]
  public let trainSource: any SampleSource
  public let trainSchedule: SampleSchedule
  public let inputThreads: Int
  /// Batch norm in inference mode during training (moving statistics, no updates): for
  /// multi-worker equivalence tests only (`--freeze_batchnorm_for_test`).
  public var freezeBatchNorm = false
  /// With several workers on a `RingGradientReducer`: reduce-scatter gradient buckets while
  /// backward runs (`BucketedReduceScatter`; bit-identical results). False reduces the
  /// whole arena after backward (the pre-overlap path, kept for comparisons).
  public var overlapCommunication = true
  /// Bucket size of the overlapped reduction (`BucketPlan`); read when the first overlapped
  /// step runs.
  public var bucketBytes = 8 << 20
  /// Called on the compute thread each time backward reports final gradients (arena offset),
  /// after the corresponding buckets were handed to the comm thread (tests, measurements).
  public var onGradientsReady: ((Int) -> Void)?
  /// The overlapped reduction, made at the first overlapped step.
  public private(set) var bucketedReduction: BucketedReduceScatter?
  private var pipeline: BatchPipeline?
  private var nextPipelineStep = -1

  /// - Parameters:
  ///   - seed: initializes the weights (`SSDNetwork(config:seed:)`) and the data order and
  ///     augmentation (`SampleSchedule` seed).
  ///   - trainSource: the training samples (all of them: every worker indexes the same set).
  public init(setup: TrainingSetup, trainSource: any SampleSource, seed: UInt64,
              reducer: GradientReducer = IdentityGradientReducer(), inputThreads: Int = 2) {
    self.setup = setup
    self.network = SSDNetwork(config: setup.model, seed: seed)
    self.reducer = reducer
    self.shards = ShardLayout.ranges(count: network.params.trainableCount, parts: reducer.worldSize)
    self.optimizer = MomentumOptimizer(range: shards[reducer.rank], momentum: setup.momentum)
    self.trainSource = trainSource
    self.trainSchedule = .training(sampleCount: trainSource.count, globalBatchSize: setup.batchSize * reducer.worldSize,
                                   seed: seed)
    self.inputThreads = max(1, inputThreads)
  }

  public var parameters: ParameterStore { network.params }

  /// One synchronized training step at `globalStep` (the step counter before the increment).
  public func step(globalStep: Int) throws -> StepStats {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let batch = try nextBatch(step: globalStep)
    let t1 = DispatchTime.now().uptimeNanoseconds
    let params = network.params
    network.training = !freezeBatchNorm
    params.zeroGradients()
    let images = Tensor(shape: [batch.size, batch.height, batch.width, 3], data: batch.images)
    let (boxes, logits) = network.forward(images)
    let result = setup.loss.compute(boxEncodings: boxes, classLogits: logits,
                                    groundTruth: Self.groundTruthBoxes(batch), parameters: params)
    let lr = setup.schedule.learningRate(step: globalStep)
    var stats = StepStats(step: globalStep, totalLoss: result.totalLoss, classificationLoss: result.classificationLoss,
                          localizationLoss: result.localizationLoss, regularizationLoss: result.regularizationLoss,
                          learningRate: lr, images: batch.size, numMatches: result.numMatches,
                          inputSeconds: Double(t1 - t0) / 1e9, computeSeconds: 0)
    guard stats.lossesAreFinite else {
      network.backward(dBoxEncodings: result.dBoxEncodings, dClassLogits: result.dClassLogits)  // frees activations
      throw NonFiniteLossError(stats: stats)
    }
    if overlapCommunication, reducer.worldSize > 1, let ring = reducer as? RingGradientReducer {
      let bucketed = overlappedReduction(ring)
      bucketed.begin(step: globalStep)
      let hook = onGradientsReady
      network.backward(dBoxEncodings: result.dBoxEncodings, dClassLogits: result.dClassLogits) { offset in
        params.gradients.withUnsafeBufferPointer { bucketed.gradientsReady(from: offset, gradients: $0) }
        hook?(offset)
      }
      let t2 = DispatchTime.now().uptimeNanoseconds
      try params.gradients.withUnsafeBufferPointer { try bucketed.finish(gradients: $0) }
      ring.communicationSeconds += Double(DispatchTime.now().uptimeNanoseconds - t2) / 1e9  // exposed part only
      params.values.withUnsafeMutableBufferPointer { v in
        optimizer.step(values: v, gradients: UnsafeBufferPointer(bucketed.staging), learningRate: lr)
      }
    } else {
      network.backward(dBoxEncodings: result.dBoxEncodings, dClassLogits: result.dClassLogits)
      try params.gradients.withUnsafeMutableBufferPointer { try reducer.reduceScatter($0, shards: shards) }
      optimizer.step(params, learningRate: lr)
    }
    try params.values.withUnsafeMutableBufferPointer { try reducer.allGather($0, shards: shards) }
    stats.computeSeconds = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
    return stats
  }

  private func overlappedReduction(_ ring: RingGradientReducer) -> BucketedReduceScatter {
    if let b = bucketedReduction { return b }
    let layouts = network.params.variables.filter { $0.param.trainable }.sorted { $0.param.offset < $1.param.offset }
      .map { VariableLayout(name: $0.name, shape: $0.shape, offset: $0.param.offset) }
    let b = BucketedReduceScatter(plan: BucketPlan(variables: layouts, bucketBytes: bucketBytes), shards: shards,
                                  reducer: ring)
    bucketedReduction = b
    return b
  }

  /// Stops the input threads (call when a training phase ends; the next `step` restarts
  /// them at the step it is asked for).
  public func pauseInput() {
    pipeline?.stop()
    pipeline = nil
    nextPipelineStep = -1
  }

  private func nextBatch(step: Int) throws -> Batch {
    if pipeline == nil || nextPipelineStep != step {
      pipeline?.stop()
      pipeline = try BatchPipeline(source: trainSource, schedule: trainSchedule, preprocessing: setup.trainPreprocessing,
                               rank: reducer.rank, worldSize: reducer.worldSize, startStep: step,
                               threads: inputThreads, prefetch: 2)
    }
    guard let batch = try pipeline!.next() else {
      preconditionFailure("the training pipeline has no end step, yet returned no batch")
    }
    precondition(batch.step == step, "input pipeline delivered step \(batch.step) for step \(step)")
    nextPipelineStep = step + 1
    return batch
  }

  /// The loss's view of a batch: each image's real boxes (padding rows carry weight 0 and
  /// change neither matching nor loss, so they are left out).
  static func groundTruthBoxes(_ batch: Batch) -> [GroundTruthBoxes] {
    (0..<batch.size).map { i in
      let n = batch.boxCounts[i], o = i * batch.maxBoxes
      return GroundTruthBoxes(boxes: Array(batch.boxes[(4 * o)..<(4 * (o + n))]),
                              classes: batch.classes[o..<(o + n)].map(Int.init),
                              weights: Array(batch.weights[o..<(o + n)]))
    }
  }

  // MARK: Evaluation

  /// Runs the network in inference mode (BN moving statistics) on `indices` of `source`
  /// with the evaluation preprocessing, `batchSize` images at a time (results do not depend
  /// on it), and post-processes each image. Returned in `indices` order.
  public func evaluate(source: any SampleSource, indices: [Int], batchSize: Int = 8) throws -> [EvaluatedImage] {
    guard !indices.isEmpty else { return [] }
    pauseInput()
    let subset = SubsetSampleSource(base: source, indices: indices)
    let schedule = SampleSchedule.evaluation(sampleCount: subset.count, batchSize: batchSize)
    let pipe = try BatchPipeline(source: subset, schedule: schedule, preprocessing: setup.evalPreprocessing,
                             startStep: 0, stepCount: schedule.stepsPerEpoch, threads: inputThreads, prefetch: 2)
    defer { pipe.stop() }
    network.training = false
    network.keepsActivations = false  // forward only: nothing is saved for a backward pass
    defer { network.training = true; network.keepsActivations = true }
    let regularization = setup.loss.regularizer.loss(network.params)
    var out: [EvaluatedImage] = []
    out.reserveCapacity(indices.count)
    while let batch = try pipe.next() {
      guard batch.size > 0 else { continue }
      let images = Tensor(shape: [batch.size, batch.height, batch.width, 3], data: batch.images)
      let (boxes, logits) = network.forward(images)
      let dets = setup.postProcessor.detect(boxEncodings: boxes, classLogits: logits)
      let gts = Self.groundTruthBoxes(batch)
      let a = setup.loss.anchorCount, c = setup.loss.numClasses + 1
      for i in 0..<batch.size {
        // Batch-1 losses, as the recipe's evaluation (eval batch size 1) reports them.
        let r = setup.loss.compute(boxEncodings: Array(boxes.data[(i * a * 4)..<((i + 1) * a * 4)]),
                                   classLogits: Array(logits.data[(i * a * c)..<((i + 1) * a * c)]),
                                   groundTruth: [gts[i]])
        let losses = EvaluationLosses(classification: r.classificationLoss, localization: r.localizationLoss,
                                      regularization: regularization,
                                      total: r.classificationLoss + r.localizationLoss + regularization)
        out.append(EvaluatedImage(sampleIndex: indices[batch.sampleIndices[i]], info: batch.infos[i],
                                  groundTruth: batch.groundTruths[i], detections: dets[i], losses: losses))
      }
    }
    return out
  }

  // MARK: State

  /// This worker's momentum accumulator, `[shards[rank].count]`.
  public var momentumShard: [Float] { optimizer.accumulator }

  /// Replaces this worker's momentum accumulator (e.g. from a checkpoint).
  public func setMomentumShard(_ values: [Float]) {
    precondition(values.count == optimizer.accumulator.count,
                 "momentum shard has \(optimizer.accumulator.count) values, got \(values.count)")
    optimizer.accumulator = values
  }
}
