/// How many workers an attempt runs and with what batch, and when to stop restarting.
///
/// Default: the **global batch is kept** (per-worker batch = global / workers), so the data
/// order, the learning-rate schedule and the checkpoints' data position continue unchanged
/// whatever the worker count; a count that does not divide the global batch is not used (the
/// next smaller one that does is). With `keepGlobalBatch = false` each worker keeps its
/// batch and the global batch shrinks with the workers (the data position then no longer
/// matches the steps).
public struct RestartPolicy: Equatable, Sendable {
  /// Restarts allowed after the first attempt.
  public var maxRestarts: Int
  /// Fewest workers worth running; with fewer the supervisor stops.
  public var minWorkers: Int
  /// Workers of the first attempt: no attempt runs more.
  public var workers: Int
  /// The per-worker batch of the config (`train_config.batch_size`).
  public var configBatch: Int
  /// The global batch to keep (default: configBatch × workers).
  public var globalBatch: Int
  public var keepGlobalBatch: Bool

  public init(maxRestarts: Int, minWorkers: Int, workers: Int, configBatch: Int, globalBatch: Int? = nil,
              keepGlobalBatch: Bool = true) throws
  {
    guard maxRestarts >= 0 else { throw SupervisorError.badArguments("--max_restarts must be ≥ 0, got \(maxRestarts)") }
    guard workers >= 1 else { throw SupervisorError.badArguments("WORKERS must be ≥ 1, got \(workers)") }
    guard (1...workers).contains(minWorkers) else {
      throw SupervisorError.badArguments("--min_workers must be between 1 and WORKERS (\(workers)), got \(minWorkers)")
    }
    let global = globalBatch ?? configBatch * workers
    if keepGlobalBatch {
      guard global % workers == 0 else {
        throw SupervisorError.badArguments(
          "global batch \(global) does not divide over \(workers) workers: choose a worker count that divides it, or --keep_per_worker_batch")
      }
    }
    self.maxRestarts = maxRestarts
    self.minWorkers = minWorkers
    self.workers = workers
    self.configBatch = configBatch
    self.globalBatch = global
    self.keepGlobalBatch = keepGlobalBatch
  }

  /// The worker count for `capacity` available worker slots: the most, up to `workers`, that
  /// divides the global batch (any count when the per-worker batch is kept); nil when that is
  /// fewer than `minWorkers`.
  public func workerCount(capacity: Int) -> Int? {
    var w = min(workers, capacity)
    while w >= minWorkers {
      if !keepGlobalBatch || globalBatch % w == 0 { return w }
      w -= 1
    }
    return nil
  }

  /// The per-worker batch of `workers` workers.
  public func perWorkerBatch(workers: Int) -> Int {
    keepGlobalBatch ? globalBatch / workers : configBatch
  }
}
