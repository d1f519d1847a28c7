import Comm
import Config
import Data
import Foundation
import Model
import Testing
import Recipe
@testable import Worker
import TestSupport

/// `freeze_variables` / `update_trainable_variables` and `gradient_clipping_by_norm` in the
/// training step (they used to parse and change nothing).
struct FreezeAndClipTests {
  func worker(_ overrides: [String], batch: Int = 2) throws -> TrainingWorker {
    let recipe = try SSDRecipe(config: try TinyModel.config(batch: batch, overrides))
    return TrainingWorker(recipe: recipe, trainSource: try TinyModel.trainSource(), seed: 3, inputThreads: 1)
  }

  func ranges(_ w: TrainingWorker, _ prefix: String) -> [Range<Int>] {
    w.parameters.variables.filter { $0.param.trainable && $0.name.hasPrefix(prefix) }
      .map { $0.param.offset..<($0.param.offset + $0.param.count) }
  }

  /// The feature extractor frozen: its variables are bit-identical after three steps and
  /// their momentum stays zero; the box predictor trains as without the pattern.
  @Test func frozenVariablesAreBitIdenticalAfterSteps() throws {
    let frozen = try worker(["train_config.freeze_variables=['^FeatureExtractor/']"])
    let free = try worker([])
    let start = frozen.parameters.values
    #expect(start == free.parameters.values)
    for s in 0..<3 {
      let a = try frozen.step(globalStep: s), b = try free.step(globalStep: s)
      if s == 0 { #expect(a.totalLoss == b.totalLoss) }  // same weights, same batch
    }
    frozen.pauseInput()
    free.pauseInput()
    let fe = ranges(frozen, "FeatureExtractor/"), head = ranges(frozen, "WeightSharedConvolutionalBoxPredictor/")
    #expect(!fe.isEmpty && !head.isEmpty)
    for r in fe {
      #expect(Array(frozen.parameters.values[r]).map(\.bitPattern) == Array(start[r]).map(\.bitPattern))
      #expect(frozen.momentumShard[r].allSatisfy { $0 == 0 })
    }
    #expect(head.contains { Array(frozen.parameters.values[$0]) != Array(start[$0]) })
    #expect(fe.contains { Array(free.parameters.values[$0]) != Array(start[$0]) })
    #expect(frozen.mask.trainedCount == head.reduce(0) { $0 + $1.count })
  }

  /// `update_trainable_variables` selects; an overlapping `freeze_variables` wins.
  @Test func includeThenExclude() throws {
    let w = try worker(["train_config.update_trainable_variables=['BoxPredictor', 'ClassPredictor']",
                        "train_config.freeze_variables=['ClassPredictor']"])
    let trained = Set(w.parameters.variables.filter { $0.param.trainable && w.mask.trained(in: $0.param.offset..<($0.param.offset + $0.param.count)).count > 0 }
      .map(\.name))
    #expect(!trained.isEmpty)
    #expect(trained.allSatisfy { $0.contains("BoxPredictor") && !$0.contains("ClassPredictor") })
  }

  /// One step from zero momentum: the accumulator is the clipped gradient, whose global norm
  /// over the trained variables is the bound (relative 1e-5: Float32 rounding of the scale
  /// and of each product).
  @Test func clippedGradientHasTheBoundAsNorm() throws {
    let bound: Float = 0.001
    let w = try worker(["train_config.gradient_clipping_by_norm=\(bound)"])
    _ = try w.step(globalStep: 0)
    w.pauseInput()
    let norm = try #require(w.lastGradientNorm)
    #expect(norm > Double(bound))
    let clipped = w.momentumShard.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    #expect(abs(clipped - Double(bound)) <= 1e-5 * Double(bound), "clipped norm \(clipped), bound \(bound)")
    // Without clipping the same step's accumulator is the raw gradient, of norm `norm`.
    let raw = try worker([])
    _ = try raw.step(globalStep: 0)
    raw.pauseInput()
    let rawNorm = raw.momentumShard.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    #expect(abs(rawNorm - norm) <= 1e-6 * norm)
  }

  /// With clipping and freezing, N in-process workers (ZeRO-1 shards, overlapped or not) end
  /// bit-identical to each other, compute the same norm, and overlap changes nothing.
  @Test(arguments: [1, 2, 3])
  func shardedClippingIsTheSameOnEveryWorker(worldSize p: Int) throws {
    let recipe = try SSDRecipe(config: try TinyModel.config(batch: 1, [
      "train_config.gradient_clipping_by_norm=0.01", "train_config.freeze_variables=['conv1', 'block1']"]))
    let source = try TinyModel.trainSource()
    func run(overlap: Bool) throws -> [([Float], [Float], [Double])] {
      try InProcessWorld.run(size: p) { t -> ([Float], [Float], [Double]) in
        let thread = CommThread()
        defer { thread.stop() }
        let ring = RingAllReduce(transport: t, chunkElements: 1000, timeout: .seconds(60))
        let worker = TrainingWorker(recipe: recipe, trainSource: source, seed: 5, ring: ring, thread: thread,
                                    bucketBytes: overlap ? 16 << 10 : nil, inputThreads: 1)
        defer { worker.pauseInput() }
        var norms: [Double] = []
        for s in 3..<5 {
          _ = try worker.step(globalStep: s)
          norms.append(worker.lastGradientNorm ?? -1)
        }
        return (worker.parameters.values, worker.momentumShard, norms)
      }.map { try $0.get() }
    }
    let overlapped = try run(overlap: true), whole = try run(overlap: false)
    for r in 0..<p {
      #expect(overlapped[r].0.map(\.bitPattern) == overlapped[0].0.map(\.bitPattern), "rank \(r): replicas differ")
      #expect(overlapped[r].2 == overlapped[0].2, "rank \(r): norms \(overlapped[r].2) vs \(overlapped[0].2)")
      #expect(overlapped[r].0.map(\.bitPattern) == whole[r].0.map(\.bitPattern), "rank \(r): overlap changed the weights")
      #expect(overlapped[r].1.map(\.bitPattern) == whole[r].1.map(\.bitPattern), "rank \(r): overlap changed the momentum")
    }
    #expect(overlapped[0].2.allSatisfy { $0 > 0.01 })
  }
}

/// ZeRO-1 with clipping and a mask, bit for bit: each rank sums its shard's squares, the ranks
/// add the sums, every rank scales its shard — equal to clipping the ring-averaged gradient
/// whole and one masked optimizer over the arena, for 1–4 ranks.
@Test(arguments: [1, 2, 3, 4])
func clippedZeroOneStepsEqualOneClippedOptimizer(ranks p: Int) throws {
  let n = 37, lr: Float = 0.5, clip: Float = 0.5  // below every step's averaged norm (0.74 at p = 1, step 0)
  let mask = TrainableMask(trainedRanges: [0..<5, 9..<20, 30..<37], count: n)
  func gradient(rank: Int, step: Int) -> [Float] {
    (0..<n).map { (i: Int) -> Float in Float((rank + 3 * step) * 100 + i) * 0.013 - 0.2 }
  }
  let grads: [[[Float]]] = (0..<2).map { step in (0..<p).map { r in gradient(rank: r, step: step) } }
  let start = (0..<n).map { Float($0) * 0.1 }
  let plan = BucketPlan(variables: [VariableLayout(name: "w", shape: [n], offset: 0)], bucketBytes: 32)
  let results = InProcessWorld.run(size: p) { t -> [Float] in
    let thread = CommThread()
    defer { thread.stop() }
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, timeout: .seconds(20)), thread: thread)
    let params = ParameterStore()
    params.add(name: "w", shape: [n]) { start[$0] }
    let optimizer = MomentumOptimizer(range: reduction.shards[t.rank], momentum: 0.9, mask: mask)
    for step in 0..<2 {
      params.gradients = grads[step][t.rank]
      reduction.begin(step: step)
      try params.gradients.withUnsafeBufferPointer { g in
        let averaged = try reduction.finish(gradients: g)
        var squares = GradientSquareSum()
        squares.add(averaged, ranges: optimizer.updateRanges)
        var wire = squares.wire
        try reduction.sumOverWorkers(&wire, step: step)
        let scale = GradientClipping.scale(norm: GradientSquareSum(wire: wire).norm, clipNorm: clip)
        params.values.withUnsafeMutableBufferPointer {
          optimizer.step(values: $0, gradients: averaged, learningRate: lr, gradientScale: scale)
        }
      }
      try params.values.withUnsafeMutableBufferPointer { try reduction.allGather($0, step: step) }
    }
    return params.values
  }
  let single = ParameterStore()
  single.add(name: "w", shape: [n]) { start[$0] }
  let whole = MomentumOptimizer(range: 0..<n, momentum: 0.9, mask: mask)
  for step in 0..<2 {
    single.gradients = RingAllReduce.reference(grads[step], average: true)
    let clipped = GradientClipping.clipByGlobalNorm(single, mask: mask, clipNorm: clip)
    #expect(clipped.scale != nil)
    whole.step(single, learningRate: lr)
  }
  for r in 0..<p {
    let values = try results[r].get()
    #expect(values.map(\.bitPattern) == single.values.map(\.bitPattern), "rank \(r) of \(p)")
  }
}
