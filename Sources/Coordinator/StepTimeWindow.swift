import Events
import Foundation
import Wire

/// The training steps since the previous logged step, for the `perf/` and `global_step/sec`
/// scalars of the event file: wall time from the window's start (as TensorFlow's
/// `StepCounterHook` counts it: checkpoint saving included, restarted at every training
/// phase), and per step the split of the critical path into compute, exposed communication
/// and input wait — the worker with the most compute, as `DistributedBackend` picks it — plus
/// each worker's own split when there are several.
struct StepTimeWindow {
  /// Seconds of one step's parts (compute without the exposed communication).
  struct Split: Equatable {
    var compute = 0.0, exposedComm = 0.0, input = 0.0

    init(compute: Double = 0, exposedComm: Double = 0, input: Double = 0) {
      self.compute = compute
      self.exposedComm = exposedComm
      self.input = input
    }

    /// What a worker's `StepStats` says: its compute includes the collective wait.
    init(_ s: StepStats) {
      self.init(compute: max(0, s.computeSeconds - s.communicationSeconds), exposedComm: s.communicationSeconds,
                input: s.inputSeconds)
    }

    static func + (a: Split, b: Split) -> Split {
      Split(compute: a.compute + b.compute, exposedComm: a.exposedComm + b.exposedComm, input: a.input + b.input)
    }
  }

  private(set) var steps = 0
  private(set) var images = 0
  private var start: ContinuousClock.Instant
  private var stepWall = 0.0
  private var critical = Split()
  private var perWorker: [Split] = []

  init(now: ContinuousClock.Instant = ContinuousClock.now) { start = now }

  /// Starts an empty window at `now` (a new training phase, or after a logged step).
  mutating func restart(now: ContinuousClock.Instant = ContinuousClock.now) {
    self = StepTimeWindow(now: now)
  }

  /// One step: its wall time, the averaged stats and, for a distributed step, each worker's.
  mutating func add(wallSeconds: Double, stats: StepStats, workers: [StepStats], images: Int) {
    steps += 1
    self.images += images
    stepWall += wallSeconds
    if workers.isEmpty {
      critical = critical + Split(stats)
      return
    }
    let splits = workers.map(Split.init)
    critical = critical + splits.max { $0.compute < $1.compute }!
    if perWorker.count != splits.count { perWorker = Array(repeating: Split(), count: splits.count) }
    for (k, s) in splits.enumerated() { perWorker[k] = perWorker[k] + s }
  }

  /// The scalars of the window ending at `now` (nothing when no step ran): `global_step/sec`,
  /// `perf/images_per_sec` over the wall time since the window started; `perf/step_ms` and
  /// the split as means per step in milliseconds, per worker with two workers or more.
  func scalars(now: ContinuousClock.Instant = ContinuousClock.now) -> [(tag: String, value: Float)] {
    guard steps > 0 else { return [] }
    let d = now - start
    let elapsed = max(1e-9, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    let n = Double(steps)
    func ms(_ seconds: Double) -> Float { Float(1000 * seconds / n) }
    var out: [(tag: String, value: Float)] = [
      (EventTags.globalStepPerSecond, Float(n / elapsed)),
      (EventTags.imagesPerSecond, Float(Double(images) / elapsed)),
      (EventTags.stepMilliseconds, ms(stepWall)),
      (EventTags.stepMillisecondsCompute, ms(critical.compute)),
      (EventTags.stepMillisecondsExposedComm, ms(critical.exposedComm)),
      (EventTags.stepMillisecondsInput, ms(critical.input)),
    ]
    if perWorker.count > 1 {
      for (k, s) in perWorker.enumerated() {
        out.append((EventTags.perWorker(EventTags.stepMillisecondsCompute, worker: k), ms(s.compute)))
        out.append((EventTags.perWorker(EventTags.stepMillisecondsExposedComm, worker: k), ms(s.exposedComm)))
        out.append((EventTags.perWorker(EventTags.stepMillisecondsInput, worker: k), ms(s.input)))
      }
    }
    return out
  }
}
