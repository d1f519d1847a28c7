import Testing
@testable import Formats

@Test func crc32cMatchesKnownVectors() {
  // RFC 3720 B.4 test vectors.
  #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
  #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
  #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
  #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
}

@Test func crc32cUpdateEqualsOneShot() {
  let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
  for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
    let a = data[..<split].withUnsafeBytes { CRC32C.update(0, $0) }
    let ab = data[split...].withUnsafeBytes { CRC32C.update(a, $0) }
    #expect(ab == CRC32C.checksum(data))
  }
}

@Test func maskRoundTrips() {
  for v: UInt32 in [0, 1, 0xDEAD_BEEF, 0xFFFF_FFFF] {
    #expect(CRC32C.unmask(CRC32C.mask(v)) == v)
  }
}

@Test func varintRoundTrips() throws {
  var out: [UInt8] = []
  let values: [UInt64] = [0, 1, 127, 128, 300, 1 << 35, UInt64.max]
  for v in values { out.appendVarint(v) }
  var r = ByteReader(out)
  for v in values { #expect(try r.readVarint() == v) }
  #expect(r.remaining == 0)
}
