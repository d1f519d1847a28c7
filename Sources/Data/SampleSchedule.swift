/// Which samples make up each batch, as pure functions of (seed, epoch, step): the same global
/// batches for any number of workers, and any position resumable exactly.
///
/// - Epoch e visits all `sampleCount` indices in the order of a Fisher–Yates shuffle driven by
///   `SampleRandom(seed: seed, stream: e)` (or in index order when `shuffle` is false).
/// - Global step s (counted from 0 across epochs) is step `s % stepsPerEpoch` of epoch
///   `s / stepsPerEpoch`; its global batch is the next `globalBatchSize` indices of that
///   epoch's order. With `dropRemainder` (training) the last `sampleCount % globalBatchSize`
///   indices of each epoch's order are skipped (they are elsewhere in the next epoch's order);
///   without it (evaluation) the last batch is short.
/// - With W workers of per-worker batch b (W·b = globalBatchSize), worker r takes positions
///   r·b ..< (r+1)·b of each global batch.
///
/// Example: 10 samples, global batch 4, 2 workers × 2. Epoch 0's order might be
/// [7 2 9 0 4 1 8 5 3 6]: step 0 = [7 2 9 0] (rank 0 gets [7 2], rank 1 [9 0]), step 1 =
/// [4 1 8 5]; 3 and 6 are skipped; step 2 is epoch 1's first batch. One worker with batch 4
/// sees the same [7 2 9 0], [4 1 8 5], ...
public struct SampleSchedule: Equatable, Sendable {
  public let sampleCount: Int
  public let globalBatchSize: Int
  public let seed: UInt64
  public let shuffle: Bool
  public let dropRemainder: Bool

  public init(sampleCount: Int, globalBatchSize: Int, seed: UInt64, shuffle: Bool = true,
              dropRemainder: Bool = true) {
    precondition(sampleCount >= 0 && globalBatchSize > 0,
                 "SampleSchedule needs sampleCount ≥ 0 and globalBatchSize > 0, got \(sampleCount), \(globalBatchSize)")
    self.sampleCount = sampleCount
    self.globalBatchSize = globalBatchSize
    self.seed = seed
    self.shuffle = shuffle
    self.dropRemainder = dropRemainder
  }

  /// Training: shuffled every epoch, full batches only.
  public static func training(sampleCount: Int, globalBatchSize: Int, seed: UInt64) -> SampleSchedule {
    SampleSchedule(sampleCount: sampleCount, globalBatchSize: globalBatchSize, seed: seed)
  }

  /// Evaluation: index order, one pass, last batch may be short.
  public static func evaluation(sampleCount: Int, batchSize: Int) -> SampleSchedule {
    SampleSchedule(sampleCount: sampleCount, globalBatchSize: batchSize, seed: 0, shuffle: false, dropRemainder: false)
  }

  /// Batches per epoch (0 if the data set is smaller than one full batch with `dropRemainder`).
  public var stepsPerEpoch: Int {
    dropRemainder ? sampleCount / globalBatchSize : (sampleCount + globalBatchSize - 1) / globalBatchSize
  }

  /// The order of all sample indices in `epoch`.
  public func order(epoch: Int) -> [Int] {
    var order = Array(0..<sampleCount)
    guard shuffle, sampleCount > 1 else { return order }
    var rng = SampleRandom(seed: seed, stream: UInt64(epoch))
    for i in stride(from: sampleCount - 1, to: 0, by: -1) {
      order.swapAt(i, rng.nextInt(below: i + 1))
    }
    return order
  }

  /// (epoch, step within the epoch) of global step `step`.
  public func position(ofStep step: Int) -> (epoch: Int, stepInEpoch: Int) {
    precondition(step >= 0, "step must be ≥ 0, got \(step)")
    let n = stepsPerEpoch
    precondition(n > 0, "\(sampleCount) samples make no full batch of \(globalBatchSize): "
                   + "use a smaller batch or more data")
    return (step / n, step % n)
  }

  /// Positions in the epoch's order covered by global step `step`'s batch.
  func range(stepInEpoch: Int) -> Range<Int> {
    let start = stepInEpoch * globalBatchSize
    return start..<min(start + globalBatchSize, sampleCount)
  }

  /// The sample indices of global step `step` (`order` is that epoch's `order(epoch:)`,
  /// passed in to avoid re-shuffling per step).
  public func globalBatch(step: Int, order: [Int]? = nil) -> [Int] {
    let (epoch, s) = position(ofStep: step)
    let o = order ?? self.order(epoch: epoch)
    return Array(o[range(stepInEpoch: s)])
  }

  /// Worker `rank`'s share of global step `step` when `worldSize` workers split each global
  /// batch (globalBatchSize must be divisible by worldSize): positions r·b ..< (r+1)·b.
  public func workerBatch(step: Int, rank: Int, worldSize: Int, order: [Int]? = nil) -> [Int] {
    precondition(worldSize > 0 && rank >= 0 && rank < worldSize, "rank \(rank) outside world size \(worldSize)")
    precondition(globalBatchSize % worldSize == 0,
                 "global batch \(globalBatchSize) does not split over \(worldSize) workers")
    let b = globalBatchSize / worldSize
    let batch = globalBatch(step: step, order: order)
    let lo = min(rank * b, batch.count), hi = min(lo + b, batch.count)
    return Array(batch[lo..<hi])
  }
}
