import Foundation

/// Keeps passes that need different OpenBLAS settings from running at the same time in one
/// process.
///
/// OpenBLAS's thread count is process-wide, and a forward-only pass under `auto` threading
/// sets it to 1 while it runs (`BLASRuntime.forForwardOnlyPass`). A training step running on
/// another thread at that moment would do some of its products on one thread instead of
/// two, and OpenBLAS blocks a product differently then: the step's bits change. A trainer
/// runs one pass at a time, so this never happens in `ssd`; `swift test` runs suites side by
/// side in one process, and the in-process bit-identity tests (resume, 1 vs N workers) then
/// failed now and then. `SSDNetwork.forward` (training mode) and `backward` take the
/// training kind, so any computation built from them (a worker step, a test's hand-built
/// reference step) is protected; `TrainingWorker.step` holds it across the whole step.
/// Passes of the same kind share the gate (two training steps, or two
/// forward-only passes, may run together); a pass of the other kind waits.
///
/// Example: suite A trains (holds `.training`), suite B starts a forward-only pass: B waits
/// until A's step ends, then switches OpenBLAS to one thread; A's next step waits for B.
/// A pass entered on a thread that already holds the gate runs at once (nesting).
final class BLASPassGate: @unchecked Sendable {
  enum Kind { case training, forwardOnly }

  static let shared = BLASPassGate()

  private let condition = NSCondition()
  private var kind: Kind = .training
  private var holders = 0
  private static let depthKey = "ssd.BLASPassGate.depth"

  /// Runs `body` holding the gate for `kind`. The first holder of a kind calls `enter`, the
  /// last one `exit` (both under the gate's lock), so OpenBLAS is switched once per group of
  /// overlapping passes.
  func run<T>(_ kind: Kind, enter: () -> Void = {}, exit: () -> Void = {}, _ body: () throws -> T) rethrows -> T {
    let thread = Thread.current.threadDictionary
    let depth = thread[Self.depthKey] as? Int ?? 0
    if depth > 0 { return try body() }
    condition.lock()
    while holders > 0 && self.kind != kind { condition.wait() }
    self.kind = kind
    if holders == 0 { enter() }
    holders += 1
    condition.unlock()
    thread[Self.depthKey] = 1
    defer {
      thread[Self.depthKey] = 0
      condition.lock()
      holders -= 1
      if holders == 0 {
        exit()
        condition.broadcast()
      }
      condition.unlock()
    }
    return try body()
  }
}
