import Foundation

/// Which host each world rank of an attempt runs on, read from the coordinator's start-up
/// banner, so that mpirun's failure reports (which name a rank, or a node the way the hostfile
/// or Slurm names it) map to hosts to leave out:
///
///     coordinator (world rank 0, pid 812) on sd-n0: 2 workers, worker 0 (world rank 1, pid 815)
///     on sd-n1 [10.200.0.2]; worker 1 (world rank 2, pid 816) on sd-n2 [10.200.0.3]
///
/// (one line). A host is known by its processor name and, after it in brackets, its IPv4
/// addresses.
public struct RankHosts: Equatable, Sendable {
  public struct Host: Equatable, Sendable {
    public var name: String
    public var addresses: [String]
    /// Every name mpirun or a hostfile may use for this host.
    public var aliases: [String] { [name] + addresses }
  }

  /// By world rank.
  public var ranks: [Int: Host] = [:]

  public init() {}

  /// Reads the banner line if `line` is one; returns false otherwise.
  public mutating func read(line: String) -> Bool {
    guard line.hasPrefix("coordinator (world rank 0, pid ") else { return false }
    if let on = line.range(of: ") on "), let colon = line[on.upperBound...].firstIndex(of: ":") {
      ranks[0] = Host(name: String(line[on.upperBound..<colon]), addresses: [])
    }
    let pattern = #"worker \d+ \(world rank (\d+), pid -?\d+\) on ([^;\[]+?)(?: \[([^\]]*)\])?(?=;|$)"#
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
    let ns = line as NSString
    for m in regex.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
      guard let rank = Int(ns.substring(with: m.range(at: 1))) else { continue }
      let name = ns.substring(with: m.range(at: 2)).trimmingCharacters(in: .whitespaces)
      var addresses: [String] = []
      if m.range(at: 3).location != NSNotFound {
        addresses = ns.substring(with: m.range(at: 3)).split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
      }
      ranks[rank] = Host(name: name, addresses: addresses)
    }
    return true
  }

  /// The entry of `hosts` (hostfile or allocation names) that `reported` (a node name from
  /// mpirun, a processor name or an address) or the host of `rank` stands for.
  public func match(_ reported: String?, rank: Int? = nil, in hosts: [String]) -> String? {
    if let reported, hosts.contains(reported) { return reported }
    var aliases: [String] = []
    if let reported {
      aliases.append(reported)
      for host in ranks.values where host.aliases.contains(reported) { aliases += host.aliases }
    }
    if let rank, let host = ranks[rank] { aliases += host.aliases }
    for alias in aliases {
      if let h = hosts.first(where: { $0 == alias }) { return h }
    }
    // Short names: "node3" in the hostfile, "node3.cluster" reported (or the other way round).
    for alias in aliases {
      let short = alias.split(separator: ".").first.map(String.init) ?? alias
      if short.contains(where: \.isLetter), let h = hosts.first(where: { ($0.split(separator: ".").first.map(String.init) ?? $0) == short }) {
        return h
      }
    }
    return nil
  }
}
