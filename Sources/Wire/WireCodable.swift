/// A value with one payload encoding: `encode(to:)` and `init(from:)` sit together and
/// read and write the same fields in the same order. Decoding throws `WireError`.
public protocol WireCodable {
  func encode(to w: inout WireWriter)
  init(from r: inout WireReader) throws
}
