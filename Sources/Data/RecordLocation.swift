/// Where a record sits: its file, its 0-based index in that file and the byte offset of
/// its 8-byte length field (the record's first byte).
public struct RecordLocation: Hashable, Sendable, CustomStringConvertible {
  public let file: String
  public let recordIndex: Int
  public let byteOffset: Int

  public init(file: String, recordIndex: Int, byteOffset: Int) {
    self.file = file
    self.recordIndex = recordIndex
    self.byteOffset = byteOffset
  }

  public var description: String { "\(file): record \(recordIndex) at byte \(byteOffset)" }
}
