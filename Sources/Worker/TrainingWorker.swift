import Comm
import Config
import Data
import Dispatch
import Foundation
import Model
import Recipe
import Wire

/// One training process's share of the work (spec §5–§7): it owns the network, the loss,
/// the input pipeline for its slice of every global batch, and the momentum of its shard of
/// the flat trainable arena (the whole arena when it is the only worker).
///
/// `step(globalStep:)` = read batch → forward (BN in training mode: batch statistics, moving
/// averages updated) → loss (focal + smooth-L1 + L2, whose gradient goes straight into the
/// arena before backward starts) → backward, handing finished buckets to the
/// `GradientReduction` as it goes → wait for the averaged gradients of this worker's shard →
/// momentum update of that shard with lr = schedule(globalStep) → all-gather of the weights,
/// which can overlap the next step's forward (`overlapsWeightGather`).
/// One worker exchanges nothing; several reduce-scatter bucket by bucket on the comm thread
/// while backward runs (`bucketBytes`; nil reduces the whole arena after backward, with
/// bit-identical results). `train_config.freeze_variables` / `update_trainable_variables`
/// become the optimizer's `TrainableMask` (frozen variables: no update, no momentum);
/// `gradient_clipping_by_norm` scales the averaged gradients by c/n when their global norm n
/// over the trained variables exceeds c: each worker sums its shard's squares exactly
/// (`GradientSquareSum`), the workers add those sums (one small all-reduce), so n and the
/// update are bit-identical for any number of workers. A non-finite loss throws `NonFiniteLossError` before anything is
/// updated except the BN moving averages of that forward pass (the coordinator then stops
/// without checkpointing).
///
/// `parameters.gradients` always holds this worker's own gradients of the last step; the
/// averaged ones live in the reduction's staging arena.
///
/// What shapes the batches is a pure function of (seed, global step) (`SampleSchedule`,
/// per-sample RNG streams), so resuming at step k with the same weights, momentum and BN
/// statistics continues bit for bit.
public final class TrainingWorker {
  public let recipe: SSDRecipe
  public let network: SSDNetwork
  /// The gradient exchange (ZeRO-1 shards, buckets, stall detection).
  public let reduction: GradientReduction
  public let optimizer: MomentumOptimizer
  /// The trained part of the arena (`recipe.trainable` over the network's variables).
  public let mask: TrainableMask
  /// The global norm of the averaged gradients of the last step, when clipping is on
  /// (TensorFlow's `global_norm/gradient_norm`, before clipping).
  public private(set) var lastGradientNorm: Double?
  public let trainSource: any SampleSource
  public let trainSchedule: SampleSchedule
  public let inputThreads: Int
  /// Batch norm in inference mode during training (moving statistics, no updates): for
  /// multi-worker equivalence tests only (`--freeze_batchnorm_for_test`).
  public var freezeBatchNorm = false
  /// Called on the compute thread each time backward reports final gradients (arena offset),
  /// after the corresponding buckets were handed to the comm thread (tests, measurements).
  public var onGradientsReady: ((Int) -> Void)?
  /// Several workers: the all-gather of the updated weights runs on the comm thread while
  /// the next step's forward runs, each part of the network waiting for its own weights
  /// (`SSDNetwork.weightsNeeded`, `GradientReduction.startAllGather`); false gathers the
  /// whole arena at the end of the step. The weights, hence everything else, are the same
  /// bits either way. Between steps the arena is then incomplete until
  /// `completeWeightGather()` (which whatever reads it outside `step` calls first). Off by
  /// default (`--overlap_weight_gather`; docs/distributed.md says why).
  public var overlapsWeightGather = false
  /// A failure of the overlapped all-gather seen in forward, thrown once forward returns.
  private var gatherError: Error?
  private var pipeline: BatchPipeline?
  private var nextPipelineStep = -1

  /// - Parameters:
  ///   - seed: initializes the weights (`SSDNetwork(config:seed:)`) and the data order and
  ///     augmentation (`SampleSchedule` seed).
  ///   - trainSource: the training samples (all of them: every worker indexes the same set).
  ///   - ring, thread: the workers' ring and the thread that runs its collectives; nil for
  ///     the only worker.
  ///   - bucketBytes: gradient bucket size of the overlapped reduction; nil reduces the
  ///     whole arena after backward.
  ///   - gatherPieceElements: piece size of the weight all-gather that overlaps forward.
  public init(recipe: SSDRecipe, trainSource: any SampleSource, seed: UInt64, ring: RingAllReduce? = nil,
              thread: CommThread? = nil, bucketBytes: Int? = 8 << 20, gatherPieceElements: Int = 1 << 21,
              inputThreads: Int = 2) {
    precondition((ring == nil) == (thread == nil), "a ring needs the comm thread that runs it")
    self.recipe = recipe
    self.network = SSDNetwork(config: recipe.model, seed: seed)
    let layouts = Self.variableLayouts(network.params)
    let plan = bucketBytes.map { BucketPlan(variables: layouts, bucketBytes: $0) } ?? .wholeArena(variables: layouts)
    if let ring, let thread {
      reduction = GradientReduction(plan: plan, ring: ring, thread: thread, gatherPieceElements: gatherPieceElements)
    } else {
      reduction = GradientReduction(plan: plan)
    }
    let mask = TrainableMask(network.params, trains: recipe.trainable.trains)
    self.mask = mask
    self.optimizer = MomentumOptimizer(range: reduction.shards[reduction.rank], momentum: recipe.momentum,
                                       mask: mask.isAll ? nil : mask)
    self.trainSource = trainSource
    self.trainSchedule = .training(sampleCount: trainSource.count,
                                   globalBatchSize: recipe.batchSize * reduction.worldSize, seed: seed)
    self.inputThreads = max(1, inputThreads)
    network.weightsNeeded = { [unowned self] offset in
      guard self.gatherError == nil, self.reduction.allGatherPending else { return }
      do {
        try self.network.params.values.withUnsafeMutableBufferPointer { try self.reduction.awaitWeights(upTo: offset, into: $0) }
      } catch {
        self.gatherError = error
      }
    }
  }

  /// Lands the rest of an overlapped all-gather of the weights (no-op when none is
  /// pending): call before reading or replacing the arena outside `step`. Rethrows its
  /// failure.
  public func completeWeightGather() throws { try landWeightGather(inStep: false) }

  private func landWeightGather(inStep: Bool) throws {
    if let error = gatherError {
      gatherError = nil
      throw error
    }
    guard reduction.allGatherPending else { return }
    try network.params.values.withUnsafeMutableBufferPointer {
      try reduction.awaitWeights(upTo: Int.max, into: $0, inStep: inStep)
    }
  }

  /// The worker of `plan`: its recipe, and in training mode the records of
  /// `train_input_reader` (`InputRecords`; none in eval-only mode, which never trains).
  public convenience init(plan: ModelMainPlan, seed: UInt64, inputThreads: Int, skipBadRecords: Bool = false,
                          ring: RingAllReduce? = nil, thread: CommThread? = nil, bucketBytes: Int? = 8 << 20,
                          gatherPieceElements: Int = 1 << 21) throws {
    let recipe = try SSDRecipe(config: plan.config)
    let trainSource: any SampleSource
    if case .train = plan.mode {
      trainSource = try InputRecords(plan.config.trainInputReader, numClasses: recipe.model.numClasses,
                                     what: "train_input_reader", file: plan.config.file,
                                     skipBadRecords: skipBadRecords).source
    } else {
      trainSource = InMemorySampleSource([])
    }
    self.init(recipe: recipe, trainSource: trainSource, seed: seed, ring: ring, thread: thread, bucketBytes: bucketBytes,
              gatherPieceElements: gatherPieceElements, inputThreads: inputThreads)
  }

  /// The trainable variables as the collectives see them, in arena order.
  static func variableLayouts(_ params: ParameterStore) -> [VariableLayout] {
    params.variables.filter { $0.param.trainable }.sorted { $0.param.offset < $1.param.offset }
      .map { VariableLayout(name: $0.name, shape: $0.shape, offset: $0.param.offset) }
  }

  public var parameters: ParameterStore { network.params }

  /// The arena ranges of all workers; `shards[rank]` is this worker's.
  public var shards: [Range<Int>] { reduction.shards }

  /// One synchronized training step at `globalStep` (the step counter before the increment).
  public func step(globalStep: Int) throws -> StepStats {
    try BLASRuntime.forTrainingPass { try trainingStep(globalStep: globalStep) }
  }

  private func trainingStep(globalStep: Int) throws -> StepStats {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let batch = try nextBatch(step: globalStep)
    let t1 = DispatchTime.now().uptimeNanoseconds
    let params = network.params
    network.training = !freezeBatchNorm
    params.zeroGradients()
    let images = Tensor(shape: [batch.size, batch.height, batch.width, 3], data: batch.images)
    let (boxes, logits) = network.forward(images)
    try landWeightGather(inStep: true)  // the L2 term reads every weight
    let result = recipe.loss.compute(boxEncodings: boxes, classLogits: logits,
                                    groundTruth: Self.groundTruthBoxes(batch), parameters: params)
    let lr = recipe.schedule.learningRate(step: globalStep)
    var stats = StepStats(step: globalStep, totalLoss: result.totalLoss, classificationLoss: result.classificationLoss,
                          localizationLoss: result.localizationLoss, regularizationLoss: result.regularizationLoss,
                          learningRate: lr, images: batch.size, numMatches: result.numMatches,
                          inputSeconds: Double(t1 - t0) / 1e9, computeSeconds: 0)
    guard stats.lossesAreFinite else {
      network.backward(dBoxEncodings: result.dBoxEncodings, dClassLogits: result.dClassLogits)  // frees activations
      throw NonFiniteLossError(stats: stats)
    }
    let reduction = self.reduction, hook = onGradientsReady
    reduction.begin(step: globalStep)
    network.backward(dBoxEncodings: result.dBoxEncodings, dClassLogits: result.dClassLogits) { offset in
      params.gradients.withUnsafeBufferPointer { reduction.gradientsReady(from: offset, gradients: $0) }
      hook?(offset)
    }
    try params.gradients.withUnsafeBufferPointer { g in
      let averaged = try reduction.finish(gradients: g)
      var scale: Float?
      if let clip = recipe.clipNorm {
        var squares = GradientSquareSum()
        squares.add(averaged, ranges: optimizer.updateRanges)
        var wire = squares.wire
        try reduction.sumOverWorkers(&wire, step: globalStep)
        let norm = GradientSquareSum(wire: wire).norm
        lastGradientNorm = norm
        scale = GradientClipping.scale(norm: norm, clipNorm: clip)
      }
      params.values.withUnsafeMutableBufferPointer { v in
        optimizer.step(values: v, gradients: averaged, learningRate: lr, gradientScale: scale)
      }
    }
    if overlapsWeightGather && reduction.exchanges {
      params.values.withUnsafeBufferPointer { reduction.startAllGather($0, step: globalStep) }
    } else {
      try params.values.withUnsafeMutableBufferPointer { try reduction.allGather($0, step: globalStep) }
    }
    stats.computeSeconds = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
    stats.communicationSeconds = reduction.communicationSeconds
    return stats
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
      pipeline = try BatchPipeline(source: trainSource, schedule: trainSchedule, preprocessing: recipe.trainPreprocessing,
                               rank: reduction.rank, worldSize: reduction.worldSize, startStep: step,
                               threads: inputThreads, prefetch: 2)
    }
    guard let batch = try pipeline!.next() else {
      preconditionFailure("the training pipeline has no end step, yet returned no batch")
    }
    precondition(batch.step == step, "input pipeline delivered step \(batch.step) for step \(step)")
    nextPipelineStep = step + 1
    return batch
  }

  /// The loss's view of a batch: each image's targets (at most `maxBoxes` boxes).
  static func groundTruthBoxes(_ batch: Batch) -> [GroundTruthBoxes] { batch.targets.map(GroundTruthBoxes.init) }

  // MARK: Evaluation

  /// Runs the network in inference mode (BN moving statistics) on `indices` of `source`
  /// with the evaluation preprocessing, `batchSize` images at a time (results do not depend
  /// on it), and post-processes each image. Returned in `indices` order.
  public func evaluate(source: any SampleSource, indices: [Int], batchSize: Int = 8) throws -> [EvaluatedImage] {
    guard !indices.isEmpty else { return [] }
    try completeWeightGather()
    pauseInput()
    let subset = SubsetSampleSource(base: source, indices: indices)
    let schedule = SampleSchedule.evaluation(sampleCount: subset.count, batchSize: batchSize)
    let pipe = try BatchPipeline(source: subset, schedule: schedule, preprocessing: recipe.evalPreprocessing,
                             startStep: 0, stepCount: schedule.stepsPerEpoch, threads: inputThreads, prefetch: 2)
    defer { pipe.stop() }
    network.training = false
    network.keepsActivations = false  // forward only: nothing is saved for a backward pass
    defer { network.training = true; network.keepsActivations = true }
    let regularization = recipe.loss.regularizer.loss(network.params)
    var out: [EvaluatedImage] = []
    out.reserveCapacity(indices.count)
    while let batch = try pipe.next() {
      guard batch.size > 0 else { continue }
      let images = Tensor(shape: [batch.size, batch.height, batch.width, 3], data: batch.images)
      let (boxes, logits) = network.forward(images)
      let dets = recipe.postProcessor.detect(boxEncodings: boxes, classLogits: logits)
      let gts = Self.groundTruthBoxes(batch)
      let a = recipe.loss.anchorCount, c = recipe.loss.numClasses + 1
      for i in 0..<batch.size {
        // Batch-1 losses, as the recipe's evaluation (eval batch size 1) reports them.
        let r = recipe.loss.compute(boxEncodings: Array(boxes.data[(i * a * 4)..<((i + 1) * a * 4)]),
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

/// In one process the worker is the whole backend: every call stays local.
extension TrainingWorker: TrainingBackend {
  public var trainExamples: Int { trainSource.count }
  public var globalBatchSize: Int { recipe.batchSize * reduction.worldSize }
  public func currentParameters() throws -> ParameterStore {
    try completeWeightGather()
    return network.params
  }
  public func updateParameters(_ body: (ParameterStore) throws -> Void) throws {
    try completeWeightGather()
    try body(network.params)
  }
  public func trainStep(globalStep: Int) throws -> StepStats { try step(globalStep: globalStep) }
  public func endTrainingPhase() { pauseInput() }
  public func fullMomentum() throws -> [Float] {
    precondition(reduction.worldSize == 1, "a TrainingWorker of several holds only its momentum shard; gather the shards")
    return momentumShard
  }
  public func setFullMomentum(_ values: [Float]) throws {
    precondition(reduction.worldSize == 1, "a TrainingWorker of several holds only its momentum shard; scatter the shards")
    setMomentumShard(values)
  }
}
