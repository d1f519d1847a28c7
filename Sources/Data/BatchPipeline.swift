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
///
/// A step's images are written straight into the array the batch hands out: the thread that
/// claims a step's first image is its assembler; it creates the array
/// (`unsafeUninitializedCapacity`), publishes its memory to the other threads, loads images of
/// that step itself and, once every image of the step is in, ends the array's initializer.
/// The other threads claim the step's remaining images and write them into the published
/// memory meanwhile. So no image is zero-filled first or copied afterwards.
final class PipelineState: @unchecked Sendable {
  /// One step being filled.
  final class Slot {
    let step: Int, epoch: Int
    let indices: [Int]
    var groundTruths: [GroundTruth]
    var infos: [SampleInfo]
    /// The images' memory while the assembler's array initializer runs.
    var memory: UnsafeMutablePointer<Float>?
    /// The finished images (set by the assembler; `[]` for an empty step).
    var images: [Float]?
    var claimed = 0
    /// Images not yet written (loaded, or zero-filled after a failure or stop).
    var remaining: Int
    var error: PipelineError?
    init(step: Int, epoch: Int, indices: [Int]) {
      self.step = step; self.epoch = epoch; self.indices = indices
      groundTruths = Array(repeating: .empty, count: indices.count)
      infos = Array(repeating: SampleInfo(sourceId: "", storedHeight: 0, storedWidth: 0), count: indices.count)
      remaining = indices.count
      if indices.isEmpty { images = [] }
    }
  }

  let source: any SampleSource
  let schedule: SampleSchedule
  let preprocessing: PreprocessingConfig
  let rank: Int, worldSize: Int
  let endStep: Int?
  let prefetch: Int
  let stride: Int
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
    stride = preprocessing.outputHeight * preprocessing.outputWidth * 3
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
    let s = Slot(step: step, epoch: epoch, indices: indices)
    slots[step] = s
    return s
  }

  /// Claims the next image of `s`, if any is left (caller holds the lock).
  private func claimNext(in s: Slot) -> Int? {
    guard s.claimed < s.indices.count else { return nil }
    s.claimed += 1
    if s.claimed == s.indices.count {
      claimStep += 1
      cond.broadcast()
    }
    return s.claimed - 1
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
      if let position = claimNext(in: s) { return (s, position) }
      claimStep += 1  // an empty batch (short evaluation tail): nothing to load
      cond.broadcast()
    }
  }

  func work() {
    let loader = SampleLoader(source: source, preprocessing: preprocessing, seed: schedule.seed)
    while true {
      cond.lock()
      guard let (s, position) = claim() else {
        liveThreads -= 1
        cond.broadcast()
        cond.unlock()
        return
      }
      if position == 0 {
        cond.unlock()
        assemble(s, loader: loader)
        continue
      }
      while s.memory == nil { cond.wait() }
      let memory = s.memory!
      cond.unlock()
      fill(s, position, memory: memory, loader: loader)
    }
  }

  /// The assembler of `s`: creates its image array, lets the other threads write into it,
  /// loads what is left of the step, and hands the array to the slot once all are in.
  private func assemble(_ s: Slot, loader: SampleLoader) {
    let count = s.indices.count * stride
    let images = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      let memory = buffer.baseAddress!
      cond.lock()
      s.memory = memory
      cond.broadcast()
      cond.unlock()
      var position: Int? = 0
      while let p = position {
        fill(s, p, memory: memory, loader: loader)
        cond.lock()
        position = claimNext(in: s)
        cond.unlock()
      }
      cond.lock()
      while s.remaining > 0 { cond.wait() }
      s.memory = nil
      cond.unlock()
      initialized = count
    }
    cond.lock()
    s.images = images
    cond.broadcast()
    cond.unlock()
  }

  /// Loads image `position` of `s` into its place in `memory` and records its ground truth
  /// and info; after a failure or stop the place is zero-filled instead (the step will not
  /// be delivered).
  private func fill(_ s: Slot, _ position: Int, memory: UnsafeMutablePointer<Float>, loader: SampleLoader) {
    let index = s.indices[position], target = memory + position * stride
    cond.lock()
    let skip = stopped || failed != nil || s.error != nil
    cond.unlock()
    var result: (GroundTruth, SampleInfo)?
    var failure: PipelineError?
    if skip {
      target.initialize(repeating: 0, count: stride)
    } else {
      do {
        result = try loader.load(index: index, epoch: s.epoch, into: target)
      } catch {
        target.initialize(repeating: 0, count: stride)
        failure = .sample(index: index, epoch: s.epoch, step: s.step, location: source.location(of: index),
                          underlying: error)
      }
    }
    cond.lock()
    if let (gt, info) = result {
      s.groundTruths[position] = gt
      s.infos[position] = info
    }
    if let failure, s.error == nil { s.error = failure }
    s.remaining -= 1
    if s.remaining == 0 { cond.broadcast() }
    cond.unlock()
  }

  func next() throws -> Batch? {
    cond.lock()
    defer { cond.unlock() }
    while true {
      if let failed { throw failed }
      if stopped { throw PipelineError.stopped }
      if let end = endStep, deliverStep >= end { return nil }
      if let s = slots[deliverStep], let images = s.images {
        slots[deliverStep] = nil
        deliverStep += 1
        cond.broadcast()
        if let error = s.error {
          failed = error
          throw error
        }
        return Batch(step: s.step, epoch: s.epoch, height: preprocessing.outputHeight, width: preprocessing.outputWidth,
                     maxBoxes: preprocessing.maxBoxes, images: images, groundTruths: s.groundTruths,
                     sampleIndices: s.indices, infos: s.infos)
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
