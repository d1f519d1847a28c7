import Foundation

/// How one attempt of a supervised job ended, and whether a restart can help.
public enum AttemptOutcome: Equatable, Sendable {
  /// Training finished (status 0).
  case finished
  /// Stopped on request (a signal to the supervisor, or the job stopped itself after a
  /// preemption checkpoint): never restarted.
  case stopped(reason: String)
  /// An error a restart would repeat: configuration, data, a non-finite loss, a program error.
  case fatal(reason: String)
  /// A rank, node or link died or stalled: restart without `failedHosts` (empty when the
  /// report names no host; the restart then uses the same hosts).
  case restartable(cause: String, failedHosts: [String])

  public var label: String {
    switch self {
    case .finished: return "finished"
    case .stopped: return "stopped"
    case .fatal: return "fatal"
    case .restartable: return "restart"
    }
  }

  public var reason: String {
    switch self {
    case .finished: return "training finished"
    case let .stopped(r), let .fatal(r): return r
    case let .restartable(c, _): return c
    }
  }

  /// Classifies an ended attempt from its exit status and the end of its output (mpirun's
  /// reports and the aborting rank's reason line), mapping named nodes and ranks to entries of
  /// `hosts` (the hostfile's or the allocation's names) through the banner in `ranks`.
  ///
  /// Evidence that a process or node died (mpirun: "exited on signal", "lost communication
  /// with a remote daemon") wins over the exit status: when a node dies, the survivors may abort
  /// with their own codes before mpirun notices.
  public static func classify(status: Int32, tail: [String], ranks: RankHosts, hosts: [String],
                              stopRequested: Bool) -> AttemptOutcome
  {
    if status == 0 { return .finished }
    let text = tail.joined(separator: "\n")
    func host(_ reported: String?, rank: Int? = nil) -> [String] {
      ranks.match(reported, rank: rank, in: hosts).map { [$0] } ?? []
    }
    if status == ExitStatus.stoppedOnSignal {
      return .stopped(reason: "the job stopped on a signal after checkpointing (status \(status)); start it again to continue")
    }
    if stopRequested {
      return .stopped(reason: "stopped on request (signal to the supervisor); exit status \(status)")
    }

    // A rank killed by a signal. SIGPIPE (13) is a survivor writing to a peer that died: it
    // names the wrong node, so it is only used when nothing better is reported.
    let killed = allMatches(#"process rank (\d+) with PID (\d+) on node (\S+) exited on signal (\d+)(?: \(([^)]*)\))?"#, in: text)
    if let m = killed.first(where: { $0[4] != "13" }) {
      let rank = Int(m[1]), node = m[3], signal = m[4], name = m[5].isEmpty ? "" : " (\(m[5]))"
      return .restartable(cause: "world rank \(m[1]) (pid \(m[2])) on \(node) killed by signal \(signal)\(name)",
                          failedHosts: host(node, rank: rank))
    }
    // A node's ORTE daemon unreachable: node down, link cut or the daemon killed.
    if text.contains("ORTE has lost communication with a remote daemon") {
      let node = firstMatch(#"Remote daemon: *\S+ on node (\S+)"#, in: text)?[1]
      return .restartable(cause: "lost contact with node \(node ?? "?") (node down, link cut or its daemon killed)",
                          failedHosts: host(node))
    }
    if let m = killed.first {
      return .restartable(cause: "world rank \(m[1]) (pid \(m[2])) on \(m[3]) got SIGPIPE (a peer it was sending to died)",
                          failedHosts: [])
    }
    if text.contains("ORTE was unable to reliably start one or more daemons")
      || text.contains("An ORTE daemon has unexpectedly failed after launch")
    {
      let node = firstMatch(#"on node:? *(\S+)"#, in: text)?[1]
      return .restartable(cause: "an MPI daemon could not be started\(node.map { " on \($0)" } ?? "")",
                          failedHosts: host(node))
    }

    // An MPI_Abort: its code says what kind of failure (ExitStatus).
    if let m = firstMatch(#"MPI_ABORT was invoked on rank (\d+) in communicator \S+\s+with errorcode (-?\d+)"#, in: text),
       let code = Int32(m[2])
    {
      let reason = abortReason(in: tail, code: code)
      switch code {
      case ExitStatus.collectiveStalled, ExitStatus.workersUnreachable:
        // The report names the workers that never joined / did not answer.
        var failed: [String] = []
        for r in allMatches(#"worker \d+ \(world rank (\d+)"#, in: reason) {
          if let rank = Int(r[1]), rank != Int(m[1]) { failed += host(nil, rank: rank) }
        }
        if failed.isEmpty, let silent = firstMatch(#"silent ring neighbour: worker (\d+)"#, in: reason), let w = Int(silent[1]) {
          failed = host(nil, rank: w + 1)
        }
        return .restartable(cause: (code == ExitStatus.collectiveStalled ? "collective stalled" : "workers unreachable")
                              + ": \(reason)", failedHosts: Array(Set(failed)).sorted())
      default:
        if reason.contains("failed with MPI error") {
          // A rank's MPI call failed: a peer died or a link broke under it; the report names
          // the rank that noticed, not the one that died.
          return .restartable(cause: "MPI communication failed: \(reason)", failedHosts: [])
        }
        return .fatal(reason: "rank \(m[1]) aborted with code \(code): \(reason)")
      }
    }
    // A rank that exited non-zero without MPI_Abort (e.g. a flag error before MPI started).
    if let m = firstMatch(#"Process name: *\[\[\d+,\d+\],(\d+)\]\s+Exit code: *(-?\d+)"#, in: text), let code = Int32(m[2]) {
      if ExitStatus.isInputError(code) {
        return .fatal(reason: "world rank \(m[1]) exited with status \(code) (input error): \(lastErrorLine(in: tail) ?? "see the log")")
      }
      return .restartable(cause: "world rank \(m[1]) exited with status \(code)", failedHosts: host(nil, rank: Int(m[1])))
    }
    if ExitStatus.isInputError(status) {
      return .fatal(reason: "exit status \(status) (input error): \(lastErrorLine(in: tail) ?? "see the log")")
    }
    if status > 128 {
      return .restartable(cause: "the job ended with status \(status) (signal \(status - 128))", failedHosts: [])
    }
    return .restartable(cause: "the job ended with status \(status) and no report mpirun's supervisor recognises", failedHosts: [])
  }

  /// The aborting rank's reason: `Communicator.abort` prints "rank R: aborting the MPI job:
  /// REASON" to standard error before calling MPI_Abort.
  static func abortReason(in tail: [String], code: Int32) -> String {
    if let line = tail.last(where: { $0.contains("aborting the MPI job: ") }),
       let r = line.range(of: "aborting the MPI job: ")
    {
      return String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    return lastErrorLine(in: tail) ?? "see the log"
  }

  static func lastErrorLine(in tail: [String]) -> String? {
    tail.last { $0.lowercased().contains("error") }?.trimmingCharacters(in: .whitespaces)
  }

  /// Capture groups of the first match ("" for a group that did not take part).
  static func firstMatch(_ pattern: String, in text: String) -> [String]? {
    allMatches(pattern, in: text).first
  }

  static func allMatches(_ pattern: String, in text: String) -> [[String]] {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
    let ns = text as NSString
    return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
      (0..<m.numberOfRanges).map { i in m.range(at: i).location == NSNotFound ? "" : ns.substring(with: m.range(at: i)) }
    }
  }
}
