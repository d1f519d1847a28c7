import Foundation

/// Where an attempt's hosts come from, re-read before every attempt.
public enum HostSource: Equatable, Sendable {
  /// This machine only (no hostfile, no Slurm): every attempt runs the same worker count.
  case local
  /// An Open MPI hostfile (`HOSTFILE`): slots = workers on that host. A host left out after a
  /// failure comes back when the file is written again after that failure (edit or `touch` it
  /// once the node is repaired).
  case hostfile(path: String)
  /// The nodes of the Slurm allocation (`scontrol show hostnames $SLURM_JOB_NODELIST`),
  /// `perNode` workers each. A node left out after a failure stays out for the rest of the job.
  case slurm(nodes: [String], perNode: Int)

  /// The hosts now, and the time their source last changed (hostfile: its modification time).
  public func current() throws -> (hosts: Hostfile, changed: Date?) {
    switch self {
    case .local:
      return (Hostfile(entries: []), nil)
    case let .hostfile(path):
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      return (try Hostfile.load(path: path), attributes?[.modificationDate] as? Date)
    case let .slurm(nodes, perNode):
      return (Hostfile(entries: nodes.map { .init(host: $0, slots: perNode) }), nil)
    }
  }
}
