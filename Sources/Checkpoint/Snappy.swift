/// Decompressor for Snappy's raw block format (what a table block with compression type 1
/// holds): a varint uncompressed length, then literal and back-reference elements.
/// TensorFlow's checkpoint writers never compress, so this only guards odd files.
enum Snappy {
  struct Failure: Error { let reason: String }

  static func decompress(_ input: ArraySlice<UInt8>) throws -> [UInt8] {
    var i = input.startIndex
    let end = input.endIndex
    func byte() throws -> Int {
      guard i < end else { throw Failure(reason: "compressed data ends inside an element") }
      defer { i += 1 }
      return Int(input[i])
    }
    // Uncompressed length (varint32).
    var length = 0
    var shift = 0
    while true {
      let b = try byte()
      length |= (b & 0x7F) << shift
      if b & 0x80 == 0 { break }
      shift += 7
      if shift > 28 { throw Failure(reason: "bad uncompressed-length varint") }
    }
    // No element produces more than 64/3 bytes per input byte (a 3-byte copy of 64), so a
    // larger declared length is corrupt; checked before the output is allocated.
    guard length <= UInt32.max, length <= (end - i) * 64 / 3 else {
      throw Failure(reason: "declared uncompressed length \(length) is more than \(end - i) compressed bytes can hold")
    }
    var out = [UInt8]()
    out.reserveCapacity(length)
    while i < end {
      let tag = try byte()
      switch tag & 3 {
      case 0:  // literal
        var n = tag >> 2
        if n >= 60 {
          let extra = n - 59
          n = 0
          for k in 0..<extra { n |= try byte() << (8 * k) }
        }
        n += 1
        guard end - i >= n else { throw Failure(reason: "literal of \(n) bytes runs past the input") }
        out.append(contentsOf: input[i..<i + n])
        i += n
      default:
        let n: Int, offset: Int
        switch tag & 3 {
        case 1:
          n = 4 + ((tag >> 2) & 7)
          offset = ((tag >> 5) << 8) | (try byte())
        case 2:
          n = 1 + (tag >> 2)
          offset = try byte() | (try byte() << 8)
        default:
          n = 1 + (tag >> 2)
          offset = try byte() | (try byte() << 8) | (try byte() << 16) | (try byte() << 24)
        }
        guard offset > 0, offset <= out.count else {
          throw Failure(reason: "back-reference offset \(offset) with \(out.count) bytes produced")
        }
        let start = out.count - offset
        for k in 0..<n { out.append(out[start + k]) }  // may overlap its own output
      }
      guard out.count <= length else { throw Failure(reason: "output exceeds declared length \(length)") }
    }
    guard out.count == length else {
      throw Failure(reason: "produced \(out.count) bytes, declared \(length)")
    }
    return out
  }
}
