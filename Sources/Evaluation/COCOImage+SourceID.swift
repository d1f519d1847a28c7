extension COCOImage {
  /// The image id the TF Object Detection API evaluator uses for a record (spec §9.1):
  /// `int32(tf.string_to_hash_bucket_fast(image/source_id, 2^31))`, i.e.
  /// `FarmHash.fingerprint64(sourceID) % 2^31` (always in 0 ..< 2^31).
  /// Example: source id "415541" → 727760757.
  public static func hashedID(sourceID: String) -> Int {
    Int(FarmHash.fingerprint64(sourceID) % (1 << 31))
  }
}
