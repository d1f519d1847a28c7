import Random
import Testing
@testable import Formats

@Test func sha256MatchesFIPSVectors() {
  #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  #expect(SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
    == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  #expect(SHA256.hexDigest(Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8))
    == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
  #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000))
    == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256StreamingEqualsOneShotAtEveryPaddingBoundary() {
  // Lengths around the 55/56/64-byte padding edges, fed in uneven pieces.
  var rng = SplitMix64(seed: 12345)
  for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000] {
    let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    var h = SHA256()
    var i = 0
    var step = 1
    while i < length {
      let j = min(length, i + step)
      h.update(bytes[i..<j])
      i = j
      step = step * 3 % 70 + 1
    }
    #expect(SHA256.hex(h.finalize()) == SHA256.hexDigest(bytes), "length \(length)")
  }
}
