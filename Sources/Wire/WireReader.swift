/// Reads what `WireWriter` wrote, in the same order. Anything a peer running another binary
/// (or a corrupted buffer) can produce — running past the end, a negative or oversized
/// count, a flag byte other than 0 or 1 — throws `WireError`; nothing here traps.
public struct WireReader {
  public let bytes: [UInt8]
  public private(set) var position = 0
  /// Names the message for errors ("step reply from worker 1").
  public let what: String

  public init(_ bytes: [UInt8], what: String) {
    self.bytes = bytes
    self.what = what
  }

  /// Bytes not read yet.
  public var remaining: Int { bytes.count - position }

  private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= remaining else {
      throw WireError(what: what, reason: "needs \(n) bytes at offset \(position), the message has \(bytes.count)")
    }
    defer { position += n }
    return bytes[position..<(position + n)]
  }

  public mutating func u64() throws -> UInt64 {
    let s = try take(8)
    var v: UInt64 = 0
    for (i, b) in s.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
    return v
  }

  public mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }

  public mutating func float() throws -> Float {
    let s = try take(4)
    var v: UInt32 = 0
    for (i, b) in s.enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
    return Float(bitPattern: v)
  }

  public mutating func double() throws -> Double { Double(bitPattern: try u64()) }

  public mutating func bool() throws -> Bool {
    let byte = try take(1).first!
    guard byte <= 1 else { throw WireError(what: what, reason: "flag byte \(byte) at offset \(position - 1) is not 0 or 1") }
    return byte == 1
  }

  /// An element count followed by `count` elements of `elementSize` bytes: checked against
  /// the bytes left before anything is allocated.
  private mutating func count(elementSize: Int) throws -> Int {
    let n = try int()
    guard n >= 0 else { throw WireError(what: what, reason: "negative element count \(n) at offset \(position - 8)") }
    guard n <= remaining / elementSize else {
      throw WireError(what: what, reason: "\(n) elements of \(elementSize) bytes at offset \(position - 8), "
                        + "only \(remaining) bytes left")
    }
    return n
  }

  public mutating func string() throws -> String {
    let n = try count(elementSize: 1)
    return String(decoding: try take(n), as: UTF8.self)
  }

  public mutating func floats() throws -> [Float] {
    let n = try count(elementSize: 4)
    let s = try take(n * 4)
    return s.withUnsafeBytes { raw in
      (0..<n).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }
  }

  public mutating func ints() throws -> [Int] {
    let n = try count(elementSize: 8)
    return try (0..<n).map { _ in try int() }
  }

  /// A count then that many values decoded by `T`; the count is checked against the bytes
  /// left (at least `minimumSize` bytes per element).
  public mutating func array<T: WireCodable>(of _: T.Type, minimumSize: Int = 1) throws -> [T] {
    let n = try count(elementSize: max(1, minimumSize))
    var out: [T] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try T(from: &self)) }
    return out
  }

  /// An integer that must lie in `range` (`field` names it in the error).
  public mutating func int(in range: ClosedRange<Int>, _ field: String) throws -> Int {
    let v = try int()
    guard range.contains(v) else { throw WireError(what: what, reason: "\(field) \(v) outside \(range)") }
    return v
  }

  /// Throws unless every byte was read (catches writer/reader drift).
  public func finish() throws {
    guard position == bytes.count else {
      throw WireError(what: what, reason: "\(bytes.count - position) bytes left over after decoding")
    }
  }
}
