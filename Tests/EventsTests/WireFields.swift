/// The top-level fields of a protobuf message (number, wire type, bytes of length-delimited
/// ones), read without any protobuf library.
struct WireFields {
  var number: Int
  var wireType: Int
  var bytes: [UInt8]?

  static func parse(_ b: [UInt8]) -> [WireFields] {
    var out: [WireFields] = [], i = 0
    func varint() -> UInt64 {
      var v: UInt64 = 0, shift: UInt64 = 0
      while true {
        let x = b[i]; i += 1
        v |= UInt64(x & 0x7F) << shift
        if x & 0x80 == 0 { return v }
        shift += 7
      }
    }
    while i < b.count {
      let key = varint()
      let field = WireFields(number: Int(key >> 3), wireType: Int(key & 7), bytes: nil)
      switch field.wireType {
      case 0: _ = varint(); out.append(field)
      case 1: i += 8; out.append(field)
      case 5: i += 4; out.append(field)
      case 2:
        let n = Int(varint())
        out.append(WireFields(number: field.number, wireType: 2, bytes: Array(b[i..<i + n])))
        i += n
      default: return out
      }
    }
    return out
  }
}
