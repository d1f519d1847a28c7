import Testing
@testable import Coordinator

/// Expected values from pyfarmhash 0.5.1 `farmhash.fingerprint64(s)` (Google's
/// util::Fingerprint64, the function behind TF's string_to_hash_bucket_fast), computed with
/// `python -c "import farmhash; print(farmhash.fingerprint64(s))"`; they cover every length
/// branch: 0, 1–3, 4–7, 8–16, 17–32, 33–64 and > 64 bytes.
@Test func fingerprint64MatchesFarmHash() {
  let cases: [(String, UInt64)] = [
    ("", 11160318154034397263),
    ("a", 12917804110809363939),
    ("1", 9304157803607034849),
    ("139", 6950640848267536401),
    ("415541", 18099230011295842165),
    ("20035", 7186614341837170520),
    ("hello world", 6381520714923946011),
    ("12345678", 3430003927990384362),
    ("1234567890123456789", 14341087767221140374),
    ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ", 18251834106811617543),
    (String(repeating: "x", count: 70), 5457250325824655745),
    ("The quick brown fox jumps over the lazy dog, again and again and again and again!!", 16940012357925981938),
  ]
  for (s, expected) in cases {
    #expect(FarmHash.fingerprint64(s) == expected, "fingerprint64(\(s.debugDescription))")
  }
}

@Test func hashBucketIsFingerprintModBuckets() {
  // Values of fingerprint64 mod 2^31 from the same pyfarmhash run.
  #expect(FarmHash.hashBucketFast("415541", buckets: 1 << 31) == 727760757)
  #expect(FarmHash.hashBucketFast("139", buckets: 1 << 31) == 38692881)
  #expect(FarmHash.hashBucketFast("", buckets: 1 << 31) == 797982799)
}
