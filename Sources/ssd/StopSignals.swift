import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM, SIGINT and SIGUSR1 (Slurm's `--signal=USR1@…` warning, what `launch/run.sh`
/// forwards through mpirun) into a request to stop after the current step with a checkpoint,
/// read by the training loop through `requested`; a second signal aborts at once.
///
/// Signals within `window` seconds of the first count as one: Slurm signals every process of a
/// job and mpirun forwards what it gets, so one `scancel` reaches a rank several times.
/// Handled on a dispatch queue (the default action is set to ignore first), so the MPI thread
/// and the training loop are never interrupted.
final class StopSignals: @unchecked Sendable {
  static let handled: [Int32] = [SIGTERM, SIGINT, SIGUSR1]
  /// The exit status of a rank aborted by a second signal: 128 + that signal, as a shell reports
  /// a process killed by it.
  static func abortStatus(_ signal: Int32) -> Int32 { 128 + signal }

  let window: TimeInterval
  private let who: String
  private let lock = NSLock()
  private var first: (signal: Int32, at: Date)?
  private var ended = false
  private var sources: [DispatchSourceSignal] = []

  /// `who` names this rank in the messages ("coordinator", "worker 2").
  init(who: String, window: TimeInterval = 2) {
    self.who = who
    self.window = window
    for s in Self.handled {
      signal(s, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
      source.setEventHandler { [weak self] in self?.received(s) }
      source.resume()
      sources.append(source)
    }
  }

  /// The first signal received, if any.
  var requested: Int32? { lock.withLock { first?.signal } }

  /// The rank's work is done (the worker was shut down, the coordinator wrote its checkpoint
  /// and report) and it only waits in MPI_Finalize: a signal now ends it at once (status 128 +
  /// the signal) without a word. mpirun sends one to ranks still finalizing when the
  /// coordinator exits with status 75; it is not an abort, and nothing is lost.
  func jobEnded() { lock.withLock { ended = true } }

  private func received(_ s: Int32) {
    let now = Date()
    let (previous, over): ((signal: Int32, at: Date)?, Bool) = lock.withLock {
      let p = first
      if p == nil { first = (s, now) }
      return (p, ended)
    }
    if over { _exit(Self.abortStatus(s)) }
    guard let previous else {
      FileHandle.standardError.write(Data(
        "\(who): signal \(s) (\(Self.name(s))): stopping after the current step with a checkpoint; a second signal aborts at once\n".utf8))
      return
    }
    guard now.timeIntervalSince(previous.at) > window else { return }
    FileHandle.standardError.write(Data("\(who): second signal \(s) (\(Self.name(s))): aborting at once, no checkpoint\n".utf8))
    _exit(Self.abortStatus(s))
  }

  static func name(_ s: Int32) -> String {
    switch s {
    case SIGTERM: return "SIGTERM"
    case SIGINT: return "SIGINT"
    case SIGUSR1: return "SIGUSR1"
    default: return "signal \(s)"
    }
  }
}
