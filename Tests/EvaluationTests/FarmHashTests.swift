import Testing
@testable import Evaluation

// Reference: TensorFlow 2.21, `tf.raw_ops.Fingerprint(data=ids, method='farmhash64')` (read
// as little-endian uint64) and `tf.strings.to_hash_bucket_fast(ids, 2**31)`. Lengths cover
// every branch: 0, 1, 1–3, 4–7, 8–16, 17–32, 33–64, and the >64-byte loop (65, 88, 200).
private let tensorflowReference: [(id: String, fingerprint: UInt64, bucket: Int)] = [
  ("415541", 18099230011295842165, 727760757),
  ("20035", 7186614341837170520, 1726916440),
  ("1", 9304157803607034849, 304942049),
  ("", 11160318154034397263, 797982799),
  ("0", 15198969275252572735, 998343231),
  ("123456789", 7102376421209267306, 524934250),
  ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
   11412930754790548100, 493609604),
  (String(repeating: "x", count: 17), 11306081951414300581, 1937846181),
  (String(repeating: "y", count: 33), 8610735037765521150, 755371774),
  (String(repeating: "z", count: 64), 294799756062990872, 1946264088),
  (String(repeating: "w", count: 65), 12495383604066267776, 1016869504),
  (String(repeating: "q", count: 200), 17372321070079757425, 35867761),
  ("000000397133", 13711132320257453137, 1498590289),
]

@Test func fingerprint64MatchesTensorFlow() {
  for (id, fingerprint, bucket) in tensorflowReference {
    #expect(FarmHash.fingerprint64(id) == fingerprint, "\"\(id)\" (\(id.utf8.count) bytes)")
    #expect(COCOImage.hashedID(sourceID: id) == bucket, "\"\(id)\"")
  }
}

// Same reference, strings of length n with character i = alphabet[(7i + 3) % 64],
// alphabet = "0-9a-zA-Z_-": tf.raw_ops.Fingerprint(method='farmhash64').
private let lengthSweep: [(n: Int, fingerprint: UInt64)] = [
  (2, 6476394292564624616), (3, 7174932883031341484), (4, 11619807225859123896),
  (5, 18303872569473973665), (7, 11316840254495452536), (8, 15233441037708268874),
  (9, 4862025061212776618), (15, 12102486133409368991), (16, 15105524257659173264),
  (20, 2753802508337633370), (31, 4114297834480065931), (32, 9247429134002892107),
  (40, 3131480898834450389), (63, 8478542197327415961), (127, 750531301292779142),
  (128, 17410357652401084083), (129, 4675559031263870895), (130, 12228223785092647263),
]

@Test func fingerprint64MatchesTensorFlowAcrossLengths() {
  let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-")
  for (n, fingerprint) in lengthSweep {
    let s = String((0..<n).map { alphabet[($0 * 7 + 3) % alphabet.count] })
    #expect(FarmHash.fingerprint64(s) == fingerprint, "length \(n)")
  }
}
