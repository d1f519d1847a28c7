/// Why an event file could not be written or read; each case names the file and, for a
/// damaged record, its index and byte offset, and says what to do.
public enum EventFileError: Error, Equatable, CustomStringConvertible {
  case cannotCreate(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  case unreadable(path: String, reason: String)
  /// The CRC-32C of a record's length field does not match (the length itself is damaged).
  case lengthCRCMismatch(path: String, record: Int, offset: Int, stored: UInt32, computed: UInt32)
  /// The CRC-32C of a record's payload does not match.
  case dataCRCMismatch(path: String, record: Int, offset: Int, stored: UInt32, computed: UInt32)
  /// The payload passed its CRC but is not a `tensorflow.Event`.
  case notAnEvent(path: String, record: Int, offset: Int)

  public var description: String {
    func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
    switch self {
    case .cannotCreate(let p, let r):
      return "\(p): cannot create the event file (\(r)); check that the directory is writable"
    case .cannotWrite(let p, let r):
      return "\(p): cannot write to the event file (\(r)); check free space and permissions"
    case .unreadable(let p, let r):
      return "\(p): cannot read the event file (\(r)); check the path and permissions"
    case .lengthCRCMismatch(let p, let i, let o, let s, let c):
      return "\(p): record \(i) at byte \(o): the length field's CRC-32C is \(hex(s)), computed \(hex(c)); "
        + "the file is damaged from here on (records before it are usable). Delete or move the file"
    case .dataCRCMismatch(let p, let i, let o, let s, let c):
      return "\(p): record \(i) at byte \(o): the payload's CRC-32C is \(hex(s)), computed \(hex(c)); "
        + "the file is damaged from here on (records before it are usable). Delete or move the file"
    case .notAnEvent(let p, let i, let o):
      return "\(p): record \(i) at byte \(o) is not a tensorflow.Event; this is not a TensorBoard event file "
        + "(or it was written by an incompatible tool). Move it out of the directory"
    }
  }
}
