/// The hosts of one attempt: the source's hosts minus those left out after failures, trimmed
/// to the slots the chosen worker count needs; written as the attempt's hostfile with one more
/// slot on the first host for the coordinator.
public struct HostPlan: Equatable, Sendable {
  /// The hosts used and the workers on each.
  public var entries: [Hostfile.Entry]
  /// Hosts of the source left out (failed).
  public var excluded: [String]

  public var workers: Int { entries.reduce(0) { $0 + $1.slots } }
  public var hosts: [String] { entries.map(\.host) }

  /// Worker slots available on `hosts` without `excluded`.
  public static func capacity(_ hosts: Hostfile, excluding excluded: Set<String>) -> Int {
    hosts.entries.filter { !excluded.contains($0.host) }.reduce(0) { $0 + $1.slots }
  }

  /// The first hosts (in hostfile order) that hold `workers` workers, skipping `excluded`.
  public init(hosts: Hostfile, excluding excluded: Set<String>, workers: Int) {
    var left = workers
    var used: [Hostfile.Entry] = []
    for e in hosts.entries where !excluded.contains(e.host) && left > 0 {
      used.append(.init(host: e.host, slots: min(e.slots, left)))
      left -= min(e.slots, left)
    }
    precondition(left == 0, "HostPlan: \(workers) workers do not fit on \(hosts.entries) without \(excluded)")
    entries = used
    self.excluded = hosts.hosts.filter { excluded.contains($0) }
  }

  /// The hostfile mpirun gets: the first host has one slot more, for the coordinator (so ranks
  /// map slot by slot: coordinator, then the workers host by host, with no oversubscription).
  public var hostfile: Hostfile {
    var e = entries
    if !e.isEmpty { e[0].slots += 1 }
    return Hostfile(entries: e)
  }
}
