import Foundation

/// How a waiting rank polls without burning a core: busy retries for `spinFor`, then
/// `sched_yield` for `yieldFor`, then sleeps that grow from `firstSleep` to `maxSleep`, and
/// to `longSleep` once the wait has lasted `longWaitAfter` (a peer that is seconds late does
/// not need sub-millisecond reaction).
///
/// Open MPI's blocking calls busy-poll (100 % of a core per waiting rank); with more ranks
/// than cores that halves throughput. Polling `MPI_Test` with this backoff keeps a rank that
/// waits for seconds at a few percent of a core. The short spin keeps sub-millisecond
/// messages fast on a busy machine, where a sleeping rank may wait milliseconds for a CPU;
/// it is off when this node runs more ranks than it has cores (spinning would steal the CPU
/// from the rank being waited for). `SSD_COMM_SPIN_US` overrides it.
public struct Backoff {
  /// Busy polling before yielding.
  public var spinFor: Duration = Backoff.defaultSpin
  /// How long to keep yielding before starting to sleep.
  public var yieldFor: Duration = .microseconds(50)
  /// First sleep; doubled after each sleep up to `maxSleep`.
  public var firstSleep: Duration = .microseconds(20)
  public var maxSleep: Duration = .microseconds(250)
  /// Sleep cap once the wait has lasted `longWaitAfter`.
  public var longSleep: Duration = .milliseconds(2)
  public var longWaitAfter: Duration = .milliseconds(100)

  private var started: ContinuousClock.Instant?
  private var sleep: Duration = .zero

  public init() {}

  /// 100 µs, or 0 when Open MPI reports more ranks on this node than online cores;
  /// `SSD_COMM_SPIN_US` overrides.
  public static let defaultSpin: Duration = {
    let environment = ProcessInfo.processInfo.environment
    if let text = environment["SSD_COMM_SPIN_US"], let us = Int(text) { return .microseconds(us) }
    let local = Int(environment["OMPI_COMM_WORLD_LOCAL_SIZE"] ?? "") ?? 1
    return local <= sysconf(Int32(_SC_NPROCESSORS_ONLN)) ? .microseconds(100) : .zero
  }()

  /// Starts over (call after progress was made).
  public mutating func reset() {
    started = nil
    sleep = .zero
  }

  /// Waits a little before the next poll.
  public mutating func pause() {
    let now = ContinuousClock.now
    if started == nil { started = now }
    let waited = now - started!
    if waited < spinFor { return }
    if waited < spinFor + yieldFor {
      sched_yield()
      return
    }
    let cap = waited < longWaitAfter ? maxSleep : longSleep
    sleep = sleep == .zero ? firstSleep : min(sleep * 2, cap)
    let (seconds, attoseconds) = sleep.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    nanosleep(&request, nil)
  }

  /// Calls `attempt` until it returns a value, pausing with a `Backoff` in between; past
  /// `deadline` throws `CommError.timedOut` naming `peer` and `operation`.
  public static func poll<T>(peer: Int, operation: () -> String, deadline: ContinuousClock.Instant?,
                             _ attempt: () throws -> T?) throws -> T {
    var backoff = Backoff()
    let started = ContinuousClock.now
    while true {
      if let value = try attempt() { return value }
      if let deadline, ContinuousClock.now >= deadline {
        throw CommError.timedOut(operation: operation(), peer: peer,
                                 waitedSeconds: (ContinuousClock.now - started).seconds)
      }
      backoff.pause()
    }
  }
}
