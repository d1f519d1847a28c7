import Foundation

/// An Open MPI hostfile: one host per line, `HOST [slots=N] [max_slots=M]`, `#` comments,
/// blank lines ignored; a host without `slots=` has 1. For the supervisor, a host's slots are
/// the workers it runs (the coordinator runs beside the first host's workers).
///
///     # nodes
///     10.200.0.1 slots=2
///     node-b
public struct Hostfile: Equatable, Sendable {
  public struct Entry: Equatable, Sendable {
    public var host: String
    public var slots: Int
    public init(host: String, slots: Int) {
      self.host = host
      self.slots = slots
    }
  }

  public var entries: [Entry]

  public init(entries: [Entry]) { self.entries = entries }

  public var hosts: [String] { entries.map(\.host) }
  public var totalSlots: Int { entries.reduce(0) { $0 + $1.slots } }

  /// Parses hostfile text; `path` names it in errors.
  public static func parse(_ text: String, path: String) throws -> Hostfile {
    var entries: [Entry] = []
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
      guard let host = words.first else { continue }
      var slots = 1
      for word in words.dropFirst() {
        let kv = word.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2 else {
          throw SupervisorError.badHostfile(path: path, line: number + 1, reason: "expected `name=value` after the host, got '\(word)'")
        }
        if kv[0] == "slots" || kv[0] == "cpu" || kv[0] == "count" {
          guard let n = Int(kv[1]), n >= 1 else {
            throw SupervisorError.badHostfile(path: path, line: number + 1, reason: "slots must be an integer ≥ 1, got '\(kv[1])'")
          }
          slots = n
        }
      }
      if let i = entries.firstIndex(where: { $0.host == host }) {
        entries[i].slots += slots   // Open MPI adds the slots of repeated lines
      } else {
        entries.append(Entry(host: host, slots: slots))
      }
    }
    return Hostfile(entries: entries)
  }

  public static func load(path: String) throws -> Hostfile {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SupervisorError.cannotRead(path: path, what: "the hostfile")
    }
    return try parse(String(decoding: data, as: UTF8.self), path: path)
  }

  /// The text of this hostfile, one `HOST slots=N` line per entry.
  public func rendered() -> String {
    entries.map { "\($0.host) slots=\($0.slots)\n" }.joined()
  }
}
