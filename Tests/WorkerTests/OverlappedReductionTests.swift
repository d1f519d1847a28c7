import Comm
import Config
import Data
import Dispatch
import Foundation
import Model
import Testing
import Recipe
@testable import Worker
import TestSupport

/// The tiny model (64x64, widths x1/8, 1 tower layer) at batch 1 per worker, on the
/// fixture's synthetic training records.
private func tinySetup() throws -> (SSDRecipe, any SampleSource) {
  (try SSDRecipe(config: try TinyModel.config(batch: 1)), try TinyModel.trainSource())
}

/// Overlapping the ZeRO-1 reduce-scatter with backward (`GradientReduction`).
struct OverlappedReductionTests {
  /// Per-bucket reduce-scatter (buckets of 16 KiB: dozens of them, cut unevenly by the
  /// shards) + shard update + the weight all-gather overlapped with the next forward (pieces
  /// of 1,000 floats, cut unevenly by the shards too) gives, bit for bit, the losses,
  /// weights and momentum of the whole-arena reduce-scatter after backward and the
  /// whole-arena all-gather at the end of the step, on every worker, for 1–4 workers in
  /// process. Three steps, so two forwards run on weights still being gathered.
  @Test(arguments: [1, 2, 3, 4])
  func overlappedStepsAreBitIdenticalToWholeArenaSteps(worldSize p: Int) throws {
    let (setup, source) = try tinySetup()
    func run(overlap: Bool) throws -> [([Float], [Float], Int, [Float], [Bool])] {
      let results = InProcessWorld.run(size: p) { t -> ([Float], [Float], Int, [Float], [Bool]) in
        let thread = CommThread()
        defer { thread.stop() }
        let ring = RingAllReduce(transport: t, chunkElements: 1000, timeout: .seconds(60))
        let worker = TrainingWorker(recipe: setup, trainSource: source, seed: 5, ring: ring, thread: thread,
                                    bucketBytes: overlap ? 16 << 10 : nil, gatherPieceElements: 1000, inputThreads: 1)
        worker.overlapsWeightGather = overlap
        defer { worker.pauseInput() }
        var losses: [Float] = [], pending: [Bool] = []
        for s in 3..<6 {
          losses.append(try worker.step(globalStep: s).totalLoss)
          pending.append(worker.reduction.allGatherPending)
        }
        try worker.completeWeightGather()
        #expect(!worker.reduction.allGatherPending)
        return (worker.parameters.values, worker.momentumShard, worker.reduction.completionTimes.count, losses, pending)
      }
      return try results.map { try $0.get() }
    }
    let overlapped = try run(overlap: true), whole = try run(overlap: false)
    for r in 0..<p {
      #expect(overlapped[r].3.map(\.bitPattern) == whole[r].3.map(\.bitPattern), "p \(p) rank \(r): losses differ")
      // Several workers leave the gather running when a step returns; alone there is none.
      #expect(overlapped[r].4 == Array(repeating: p > 1, count: 3), "p \(p) rank \(r): pending \(overlapped[r].4)")
      #expect(!whole[r].4.contains(true))
      #expect(overlapped[r].0.map(\.bitPattern) == whole[r].0.map(\.bitPattern), "p \(p) rank \(r): weights differ")
      #expect(overlapped[r].1.map(\.bitPattern) == whole[r].1.map(\.bitPattern), "p \(p) rank \(r): momentum differs")
      #expect(overlapped[r].0 == overlapped[0].0, "p \(p) rank \(r): replicas differ")
      // One worker exchanges nothing; several go through the buckets.
      #expect(p == 1 ? overlapped[r].2 == 0 : overlapped[r].2 > 10, "p \(p) rank \(r): \(overlapped[r].2) buckets")
    }
  }

  /// Overlap, proven without timing: backward's last progress report (offset 0, after the
  /// backbone's conv1) blocks until the comm thread has finished reducing the first buckets
  /// (the predictor's). If reduction only began after backward returned, this would never
  /// happen and the wait would time out. Also checks that the reports arrive in decreasing
  /// offsets ending at 0 and that every bucket is reduced by the end of the step.
  @Test func bucketsAreReducedWhileBackwardStillRuns() throws {
    let (setup, source) = try tinySetup()
    let p = 2
    let results = InProcessWorld.run(size: p) { t -> ([Int], Int, Int, Int) in
      let thread = CommThread()
      defer { thread.stop() }
      let ring = RingAllReduce(transport: t, chunkElements: 1000, timeout: .seconds(60))
      let worker = TrainingWorker(recipe: setup, trainSource: source, seed: 5, ring: ring, thread: thread,
                                  bucketBytes: 16 << 10, inputThreads: 1)
      defer { worker.pauseInput() }
      let predictorOffset = worker.network.predictorOffset
      var offsets: [Int] = []
      var reducedBeforeBackwardEnded = -1
      worker.onGradientsReady = { [unowned worker] offset in
        offsets.append(offset)
        guard offset == 0 else { return }
        let b = worker.reduction
        // The buckets entirely inside the predictor were released long before this point.
        let early = b.plan.buckets.prefix { $0.range.lowerBound >= predictorOffset }.count
        let deadline = DispatchTime.now().uptimeNanoseconds + 30_000_000_000
        while b.completionTimes.count < early && DispatchTime.now().uptimeNanoseconds < deadline { usleep(1000) }
        reducedBeforeBackwardEnded = b.completionTimes.count
      }
      _ = try worker.step(globalStep: 0)
      let b = worker.reduction
      let early = b.plan.buckets.prefix { $0.range.lowerBound >= predictorOffset }.count
      return (offsets, reducedBeforeBackwardEnded, early, b.completionTimes.count - b.plan.buckets.count)
    }
    for r in 0..<p {
      let (offsets, reducedEarly, early, missing) = try results[r].get()
      #expect(early >= 1, "rank \(r): no bucket lies inside the predictor")
      #expect(reducedEarly >= early, "rank \(r): only \(reducedEarly) of \(early) predictor buckets reduced before backward ended")
      #expect(offsets.last == 0 && zip(offsets, offsets.dropFirst()).allSatisfy { $0 > $1 }, "rank \(r): offsets \(offsets)")
      #expect(missing == 0, "rank \(r): \(missing) buckets not reduced")
    }
  }
}
