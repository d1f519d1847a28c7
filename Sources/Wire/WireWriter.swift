/// Appends little-endian scalars, arrays and strings to a byte buffer: the payload encoding
/// of the coordinator–worker messages (`WireMessage`). `WireReader` reads it back in the
/// same order. Arrays and strings carry their element count first (Int64).
public struct WireWriter {
  public private(set) var bytes: [UInt8] = []
  public init() {}

  public mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
  public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  public mutating func float(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
  public mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
  public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

  public mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    int(utf8.count)
    bytes.append(contentsOf: utf8)
  }

  /// Count, then the raw float32 values (this machine is little-endian, as every rank's).
  public mutating func floats<C: Collection>(_ v: C) where C.Element == Float {
    int(v.count)
    for x in v { float(x) }
  }

  /// Raw floats from a buffer without the per-element loop (large arrays: weights, momentum).
  public mutating func floatBuffer(_ v: UnsafeBufferPointer<Float>) {
    int(v.count)
    bytes.append(contentsOf: UnsafeRawBufferPointer(v))
  }

  public mutating func ints<C: Collection>(_ v: C) where C.Element == Int {
    int(v.count)
    for x in v { int(x) }
  }

  /// Count, then each value's own encoding.
  public mutating func array<T: WireCodable>(_ values: [T]) {
    int(values.count)
    for v in values { v.encode(to: &self) }
  }
}
