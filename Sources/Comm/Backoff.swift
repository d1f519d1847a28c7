import Foundation

/// How a waiting rank polls without burning a core: a few immediate retries, then
/// `sched_yield` for a short while, then sleeps that grow from `firstSleep` to `maxSleep`,
/// and to `longSleep` once the wait has lasted `longWaitAfter` (a peer that is seconds late
/// does not need sub-millisecond reaction).
///
/// Open MPI's blocking calls busy-poll (100 % of a core per waiting rank); with more ranks
/// than cores that halves throughput. Polling `MPI_Test` with this backoff keeps a rank that
/// waits for seconds at a few percent of a core, while a message that arrives within
/// microseconds is still picked up quickly.
public struct Backoff {
  /// Immediate retries before yielding.
  public var spins = 16
  /// How long to keep yielding before starting to sleep.
  public var yieldFor: Duration = .microseconds(50)
  /// First sleep; doubled after each sleep up to `maxSleep`.
  public var firstSleep: Duration = .microseconds(20)
  public var maxSleep: Duration = .microseconds(250)
  /// Sleep cap once the wait has lasted `longWaitAfter`.
  public var longSleep: Duration = .milliseconds(2)
  public var longWaitAfter: Duration = .milliseconds(100)

  private var attempts = 0
  private var started: ContinuousClock.Instant?
  private var sleep: Duration = .zero

  public init() {}

  /// Starts over (call after progress was made).
  public mutating func reset() {
    attempts = 0
    started = nil
    sleep = .zero
  }

  /// Waits a little before the next poll.
  public mutating func pause() {
    attempts += 1
    if attempts <= spins { return }
    let now = ContinuousClock.now
    if started == nil { started = now }
    if now - started! < yieldFor {
      sched_yield()
      return
    }
    let cap = now - started! < longWaitAfter ? maxSleep : longSleep
    sleep = sleep == .zero ? firstSleep : min(sleep * 2, cap)
    let (seconds, attoseconds) = sleep.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    nanosleep(&request, nil)
  }
}
