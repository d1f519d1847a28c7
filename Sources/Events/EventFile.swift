import Foundation

/// The events of one event file, read in order with both CRCs of every record checked.
public struct EventFile: Sendable {
  public var path: String
  public var events: [TFEvent]
  /// Bytes at the end that do not make a whole record yet: a writer is in the middle of a
  /// record, or was killed there. TensorBoard waits for the rest; so does a report.
  public var incompleteTailBytes: Int
  /// With `keepingEventsBeforeDamage`: the damage that stopped the reading (the events are
  /// those before it); nil when the whole file was read.
  public var damage: EventFileError?

  public init(path: String, events: [TFEvent], incompleteTailBytes: Int = 0, damage: EventFileError? = nil) {
    self.path = path
    self.events = events
    self.incompleteTailBytes = incompleteTailBytes
    self.damage = damage
  }

  /// Reads and checks `path`. Throws `EventFileError` naming the record and byte offset of
  /// a damaged record (a CRC mismatch, or a payload that is not an Event) — or, with
  /// `keepingEventsBeforeDamage`, returns the events before it with `damage` set (and throws
  /// only when the file cannot be read at all).
  public static func read(path: String, keepingEventsBeforeDamage: Bool = false) throws -> EventFile {
    let bytes: [UInt8]
    do {
      bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw EventFileError.unreadable(path: path, reason: (error as NSError).localizedDescription)
    }
    return try parse(bytes, path: path, keepingEventsBeforeDamage: keepingEventsBeforeDamage)
  }

  /// Reads the records of an event file's bytes (`path` names it in errors).
  public static func parse(_ bytes: [UInt8], path: String, keepingEventsBeforeDamage: Bool = false) throws -> EventFile {
    var events: [TFEvent] = []
    var offset = 0
    func damaged(_ e: EventFileError) throws -> EventFile {
      if keepingEventsBeforeDamage { return EventFile(path: path, events: events, damage: e) }
      throw e
    }
    while true {
      switch RecordFraming.next(in: bytes, at: offset) {
      case .end:
        return EventFile(path: path, events: events)
      case .incomplete(_, let available):
        return EventFile(path: path, events: events, incompleteTailBytes: available)
      case .lengthCRCMismatch(let stored, let computed):
        return try damaged(.lengthCRCMismatch(path: path, record: events.count, offset: offset, stored: stored, computed: computed))
      case .dataCRCMismatch(let stored, let computed):
        return try damaged(.dataCRCMismatch(path: path, record: events.count, offset: offset, stored: stored, computed: computed))
      case .record(let payload, let end):
        guard let event = TFEvent(serialized: Array(payload)) else {
          return try damaged(.notAnEvent(path: path, record: events.count, offset: offset))
        }
        events.append(event)
        offset = end
      }
    }
  }

  /// The `file_version` of the first record, if it is one.
  public var fileVersion: String? {
    if case .fileVersion(let v)? = events.first?.content { return v }
    return nil
  }

  /// Every scalar: (step, tag, value), in file order.
  public var scalars: [(step: Int64, tag: String, value: Float)] {
    // Plain loops: the nested-closure form crashed the 6.3.1 optimizer (-O) in SIL ownership
    // verification.
    var out: [(step: Int64, tag: String, value: Float)] = []
    for e in events {
      for v in e.summaryValues {
        if let x = v.scalar { out.append((step: e.step, tag: v.tag, value: x)) }
      }
    }
    return out
  }

  /// Every image: (step, tag, image), in file order.
  public var images: [(step: Int64, tag: String, image: SummaryImage)] {
    var out: [(step: Int64, tag: String, image: SummaryImage)] = []
    for e in events {
      for v in e.summaryValues {
        if let x = v.image { out.append((step: e.step, tag: v.tag, image: x)) }
      }
    }
    return out
  }
}
