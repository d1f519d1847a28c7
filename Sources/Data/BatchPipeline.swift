import Foundation

/// Background input pipeline for one worker: `threads` threads load, decode and augment
/// samples into up to `prefetch` batches ahead of the consumer; `next()` hands them out in
/// step order. The batch contents are exactly `SampleLoader.batch(step:...)` (tested): the
/// schedule fixes which samples, and each sample's randomness is its own
/// `SampleRandom(seed, epoch, index)`, so thread count and timing never change a tensor.
///
/// Steps run from `startStep` (resume at any global step) for `stepCount` steps, or forever
/// when nil (training); evaluation passes `schedule.stepsPerEpoch`.
///
/// Throws `PipelineError.noFullBatch` if the schedule has no step at all.
/// Errors: the first sample that fails is reported by `next()` for its step as
/// `PipelineError.sample` (file, record, reason) and the pipeline stops. `stop()` (also run on
/// deinit) wakes and joins all threads; later `next()` calls throw `PipelineError.stopped`.
public final class BatchPipeline: @unchecked Sendable {
  public let schedule: SampleSchedule
  public let preprocessing: PreprocessingConfig
  public let rank: Int
  public let worldSize: Int
  public let threadCount: Int
  private let state: PipelineState

  public init(source: any SampleSource, schedule: SampleSchedule, preprocessing: PreprocessingConfig,
              rank: Int = 0, worldSize: Int = 1, startStep: Int = 0, stepCount: Int? = nil,
              threads: Int = 2, prefetch: Int = 2) throws {
    if schedule.stepsPerEpoch == 0 && stepCount != 0 {
      throw PipelineError.noFullBatch(sampleCount: schedule.sampleCount, globalBatchSize: schedule.globalBatchSize)
    }
    precondition(threads >= 1 && prefetch >= 1, "need at least one thread and one prefetched batch")
    precondition(worldSize >= 1 && (0..<worldSize).contains(rank), "rank \(rank) outside world size \(worldSize)")
    precondition(schedule.globalBatchSize % worldSize == 0,
                 "global batch \(schedule.globalBatchSize) does not split over \(worldSize) workers")
    self.schedule = schedule
    self.preprocessing = preprocessing
    self.rank = rank
    self.worldSize = worldSize
    self.threadCount = threads
    state = PipelineState(source: source, schedule: schedule, preprocessing: preprocessing, rank: rank,
                          worldSize: worldSize, startStep: startStep,
                          endStep: stepCount.map { startStep + $0 }, prefetch: prefetch, threads: threads)
    for t in 0..<threads {
      let state = self.state
      let thread = Thread { state.work() }
      thread.name = "ssd-input-\(t)"
      thread.start()
    }
  }

  deinit { state.stop() }

  /// The next batch in step order; nil after the last step. Blocks until it is ready.
  public func next() throws -> Batch? { try state.next() }

  /// Stops and joins the threads (idempotent).
  public func stop() { state.stop() }
}

/// Shared state of a `BatchPipeline`, guarded by one condition variable.
final class PipelineState: @unchecked Sendable {
  /// A batch being filled: image memory written by the threads, rows set under the lock.
  final class Slot {
    let step: Int, epoch: Int
    let indices: [Int]
    var batch: Batch
    let images: UnsafeMutablePointer<Float>
    var claimed = 0
    var remaining: Int
    var error: PipelineError?
    init(step: Int, epoch: Int, indices: [Int], config: PreprocessingConfig) {
      self.step = step; self.epoch = epoch; self.indices = indices
      batch = Batch(step: step, epoch: epoch, size: indices.count, height: config.outputHeight,
                    width: config.outputWidth, maxBoxes: config.maxBoxes)
      batch.images = []
      images = .allocate(capacity: max(1, indices.count * config.outputHeight * config.outputWidth * 3))
      remaining = indices.count
    }
    deinit { images.deallocate() }
  }

  let source: any SampleSource
  let schedule: SampleSchedule
  let preprocessing: PreprocessingConfig
  let rank: Int, worldSize: Int
  let endStep: Int?
  let prefetch: Int
  let cond = NSCondition()
  var slots: [Int: Slot] = [:]
  var claimStep: Int
  var deliverStep: Int
  var stopped = false
  var failed: PipelineError?
  var liveThreads = 0
  var orders: [Int: [Int]] = [:]

  init(source: any SampleSource, schedule: SampleSchedule, preprocessing: PreprocessingConfig, rank: Int,
       worldSize: Int, startStep: Int, endStep: Int?, prefetch: Int, threads: Int) {
    self.source = source; self.schedule = schedule; self.preprocessing = preprocessing
    self.rank = rank; self.worldSize = worldSize; self.endStep = endStep; self.prefetch = prefetch
    claimStep = startStep
    deliverStep = startStep
    liveThreads = threads  // counted before they start, so next() never sees a false "all gone"
  }

  /// The slot of `step`, created on first use (caller holds the lock).
  private func slot(for step: Int) -> Slot {
    if let s = slots[step] { return s }
    let (epoch, _) = schedule.position(ofStep: step)
    if orders[epoch] == nil {
      orders = orders.filter { $0.key >= epoch - 1 }
      orders[epoch] = schedule.order(epoch: epoch)
    }
    let indices = schedule.workerBatch(step: step, rank: rank, worldSize: worldSize, order: orders[epoch])
    let s = Slot(step: step, epoch: epoch, indices: indices, config: preprocessing)
    slots[step] = s
    return s
  }

  /// Next (slot, position) to work on, or nil if the thread should exit. Caller holds the lock.
  private func claim() -> (Slot, Int)? {
    while true {
      if stopped || failed != nil { return nil }
      if let end = endStep, claimStep >= end { return nil }
      if claimStep >= deliverStep + prefetch {
        cond.wait()
        continue
      }
      let s = slot(for: claimStep)
      if s.claimed < s.indices.count {
        s.claimed += 1
        if s.claimed == s.indices.count { claimStep += 1 }
        return (s, s.claimed - 1)
      }
      claimStep += 1  // an empty batch (short evaluation tail): nothing to load
      cond.broadcast()
    }
  }

  func work() {
    let loader = SampleLoader(source: source, preprocessing: preprocessing, seed: schedule.seed)
    let stride = preprocessing.outputHeight * preprocessing.outputWidth * 3
    while true {
      cond.lock()
      guard let (s, position) = claim() else {
        liveThreads -= 1
        cond.broadcast()
        cond.unlock()
        return
      }
      cond.unlock()
      let index = s.indices[position]
      var result: (GroundTruth, SampleInfo)?
      var failure: PipelineError?
      do {
        result = try loader.load(index: index, epoch: s.epoch, into: s.images + position * stride)
      } catch {
        failure = .sample(index: index, epoch: s.epoch, step: s.step, location: source.location(of: index),
                          underlying: error)
      }
      cond.lock()
      if let (gt, info) = result {
        s.batch.setGroundTruth(gt, slot: position)
        s.batch.sampleIndices[position] = index
        s.batch.infos[position] = info
      }
      if let failure, s.error == nil { s.error = failure }
      s.remaining -= 1
      if s.remaining == 0 { cond.broadcast() }
      cond.unlock()
    }
  }

  func next() throws -> Batch? {
    cond.lock()
    defer { cond.unlock() }
    while true {
      if let failed { throw failed }
      if stopped { throw PipelineError.stopped }
      if let end = endStep, deliverStep >= end { return nil }
      if let s = slots[deliverStep], s.claimed == s.indices.count, s.remaining == 0 {
        slots[deliverStep] = nil
        deliverStep += 1
        cond.broadcast()
        if let error = s.error {
          failed = error
          throw error
        }
        var batch = s.batch
        batch.images = Array(UnsafeBufferPointer(start: s.images, count: s.indices.count * batch.imageStride))
        return batch
      }
      if liveThreads == 0 && slots[deliverStep] == nil && claimStep <= deliverStep {
        // No thread alive to make progress (should not happen while not stopped).
        throw PipelineError.stopped
      }
      cond.wait()
    }
  }

  func stop() {
    cond.lock()
    stopped = true
    cond.broadcast()
    while liveThreads > 0 { cond.wait() }
    cond.unlock()
  }
}
