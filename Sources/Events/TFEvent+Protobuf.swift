import CEventProtos
import CProtobufC

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `TFEvent` <-> protobuf wire bytes through the protobuf-c code generated from
/// proto/events/{summary,event}.proto (Sources/CEventProtos).
extension TFEvent {
  /// Parses one serialized `tensorflow.Event`; nil when protobuf-c rejects the bytes.
  /// Fields this reader does not know are skipped.
  public init?(serialized bytes: [UInt8]) {
    var dummy: UInt8 = 0
    let parsed: UnsafeMutablePointer<Tensorflow__Event>? = bytes.withUnsafeBufferPointer { buf in
      if let base = buf.baseAddress { return tensorflow__event__unpack(nil, buf.count, base) }
      return tensorflow__event__unpack(nil, 0, &dummy)
    }
    guard let message = parsed else { return nil }
    defer { tensorflow__event__free_unpacked(message, nil) }
    let e = message.pointee
    let content: Content
    switch e.what_case {
    case TENSORFLOW__EVENT__WHAT_FILE_VERSION:
      content = .fileVersion(e.file_version.map { String(cString: $0) } ?? "")
    case TENSORFLOW__EVENT__WHAT_SUMMARY:
      content = .summary(Self.values(e.summary))
    case TENSORFLOW__EVENT__WHAT_SESSION_LOG:
      guard let log = e.session_log?.pointee else { content = .none; break }
      content = .sessionLog(SessionLog(status: SessionLog.Status(rawValue: Int32(log.status.rawValue)) ?? .unspecified,
                                       checkpointPath: log.checkpoint_path.map { String(cString: $0) } ?? "",
                                       message: log.msg.map { String(cString: $0) } ?? ""))
    case TENSORFLOW__EVENT__WHAT_GRAPH_DEF:
      content = .graphDef(Self.bytes(e.graph_def))
    case TENSORFLOW__EVENT__WHAT_META_GRAPH_DEF:
      content = .metaGraphDef(Self.bytes(e.meta_graph_def))
    default:
      content = .none
    }
    self.init(wallTime: e.wall_time, step: e.step, content: content)
  }

  private static func bytes(_ b: ProtobufCBinaryData) -> [UInt8] {
    guard b.len > 0, let data = b.data else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: b.len))
  }

  private static func values(_ summary: UnsafeMutablePointer<Tensorflow__Summary>?) -> [SummaryValue] {
    guard let s = summary?.pointee, s.n_value > 0, let list = s.value else { return [] }
    var out: [SummaryValue] = []
    for i in 0..<s.n_value {
      guard let v = list[i]?.pointee else { continue }
      let tag = v.tag.map { String(cString: $0) } ?? ""
      switch v.value_case {
      case TENSORFLOW__SUMMARY__VALUE__VALUE_SIMPLE_VALUE:
        out.append(SummaryValue(tag: tag, kind: .scalar(v.simple_value)))
      case TENSORFLOW__SUMMARY__VALUE__VALUE_IMAGE:
        guard let image = v.image?.pointee else { out.append(SummaryValue(tag: tag, kind: .other)); continue }
        out.append(SummaryValue(tag: tag, kind: .image(SummaryImage(
          height: Int(image.height), width: Int(image.width), colorspace: Int(image.colorspace),
          encoded: bytes(image.encoded_image_string)))))
      default:
        out.append(SummaryValue(tag: tag, kind: .other))
      }
    }
    return out
  }

  /// The protobuf wire bytes. Tags are stored sanitized (`SummaryValue.sanitizedTag`); a
  /// NUL in other strings becomes U+FFFD (C strings end at NUL). `.other` values are written
  /// with their tag and no value.
  public func serialized() -> [UInt8] {
    var arena = CArena()
    defer { arena.freeAll() }
    var event = Tensorflow__Event()
    tensorflow__event__init(&event)
    event.wall_time = wallTime
    event.step = step
    switch content {
    case .fileVersion(let v):
      event.what_case = TENSORFLOW__EVENT__WHAT_FILE_VERSION
      event.file_version = arena.cString(v)
    case .summary(let values):
      let summary: UnsafeMutablePointer<Tensorflow__Summary> = arena.allocate(1)
      tensorflow__summary__init(summary)
      let list: UnsafeMutablePointer<UnsafeMutablePointer<Tensorflow__Summary__Value>?> = arena.allocate(max(1, values.count))
      for (i, value) in values.enumerated() {
        let v: UnsafeMutablePointer<Tensorflow__Summary__Value> = arena.allocate(1)
        tensorflow__summary__value__init(v)
        v.pointee.tag = arena.cString(SummaryValue.sanitizedTag(value.tag))
        switch value.kind {
        case .scalar(let x):
          v.pointee.value_case = TENSORFLOW__SUMMARY__VALUE__VALUE_SIMPLE_VALUE
          v.pointee.simple_value = x
        case .image(let image):
          let m: UnsafeMutablePointer<Tensorflow__Summary__Image> = arena.allocate(1)
          tensorflow__summary__image__init(m)
          m.pointee.height = Int32(clamping: image.height)
          m.pointee.width = Int32(clamping: image.width)
          m.pointee.colorspace = Int32(clamping: image.colorspace)
          m.pointee.encoded_image_string = ProtobufCBinaryData(len: image.encoded.count, data: arena.copy(image.encoded))
          v.pointee.value_case = TENSORFLOW__SUMMARY__VALUE__VALUE_IMAGE
          v.pointee.image = m
        case .other:
          break
        }
        list[i] = v
      }
      summary.pointee.n_value = values.count
      summary.pointee.value = list
      event.what_case = TENSORFLOW__EVENT__WHAT_SUMMARY
      event.summary = summary
    case .sessionLog(let log):
      let m: UnsafeMutablePointer<Tensorflow__SessionLog> = arena.allocate(1)
      tensorflow__session_log__init(m)
      m.pointee.status = Tensorflow__SessionLog__SessionStatus(rawValue: UInt32(log.status.rawValue))
      m.pointee.checkpoint_path = arena.cString(log.checkpointPath)
      m.pointee.msg = arena.cString(log.message)
      event.what_case = TENSORFLOW__EVENT__WHAT_SESSION_LOG
      event.session_log = m
    case .graphDef(let b):
      event.what_case = TENSORFLOW__EVENT__WHAT_GRAPH_DEF
      event.graph_def = ProtobufCBinaryData(len: b.count, data: arena.copy(b))
    case .metaGraphDef(let b):
      event.what_case = TENSORFLOW__EVENT__WHAT_META_GRAPH_DEF
      event.meta_graph_def = ProtobufCBinaryData(len: b.count, data: arena.copy(b))
    case .none:
      break
    }
    let size = tensorflow__event__get_packed_size(&event)
    return [UInt8](unsafeUninitializedCapacity: max(1, size)) { buf, initialized in
      initialized = tensorflow__event__pack(&event, buf.baseAddress!)
      precondition(initialized == size, "protobuf-c packed \(initialized) bytes of an Event, promised \(size)")
    }
  }
}

/// malloc-backed scratch memory for building protobuf-c messages; freed all at once.
private struct CArena {
  private var blocks: [UnsafeMutableRawPointer] = []

  mutating func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
    let raw = calloc(max(1, count), MemoryLayout<T>.stride)!
    blocks.append(raw)
    return raw.bindMemory(to: T.self, capacity: max(1, count))
  }

  mutating func copy(_ values: [UInt8]) -> UnsafeMutablePointer<UInt8> {
    let p: UnsafeMutablePointer<UInt8> = allocate(values.count)
    values.withUnsafeBufferPointer { src in
      if let base = src.baseAddress { p.update(from: base, count: src.count) }
    }
    return p
  }

  /// A NUL-terminated copy; an embedded NUL becomes U+FFFD.
  mutating func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
    var safe = String.UnicodeScalarView()
    for c in s.unicodeScalars { safe.append(c == "\0" ? "\u{FFFD}" : c) }
    let p = strdup(String(safe))!
    blocks.append(UnsafeMutableRawPointer(p))
    return p
  }

  func freeAll() { for b in blocks { free(b) } }
}
