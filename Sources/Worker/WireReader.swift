import Foundation

/// Reads what `WireWriter` wrote, in the same order. Running past the end or a negative
/// count throws `WireError` (a peer running a different binary), never traps.
public struct WireReader {
  public let bytes: [UInt8]
  public private(set) var position = 0
  /// Names the message for errors ("step reply from worker 1").
  public let what: String

  public init(_ bytes: [UInt8], what: String) {
    self.bytes = bytes
    self.what = what
  }

  private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, position + n <= bytes.count else {
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
  public mutating func bool() throws -> Bool { try take(1).first! != 0 }

  private mutating func count() throws -> Int {
    let n = try int()
    guard n >= 0 else { throw WireError(what: what, reason: "negative element count \(n) at offset \(position - 8)") }
    return n
  }

  public mutating func string() throws -> String {
    let n = try count()
    return String(decoding: try take(n), as: UTF8.self)
  }

  public mutating func floats() throws -> [Float] {
    let n = try count()
    let s = try take(n * 4)
    return s.withUnsafeBytes { raw in
      (0..<n).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }
  }

  public mutating func ints() throws -> [Int] {
    let n = try count()
    return try (0..<n).map { _ in try int() }
  }

  /// Throws unless every byte was read (catches writer/reader drift).
  public func finish() throws {
    guard position == bytes.count else {
      throw WireError(what: what, reason: "\(bytes.count - position) bytes left over after decoding")
    }
  }
}
