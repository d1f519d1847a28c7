/// 64-bit FNV-1a over the bit patterns of a float array: equal iff (with overwhelming
/// probability) two workers' weights are bit-identical. `--check_replicas` compares it
/// after every step.
public enum ReplicaChecksum {
  public static func of(_ values: [Float]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    values.withUnsafeBufferPointer { b in
      for v in b {
        var bits = v.bitPattern
        for _ in 0..<4 {
          hash ^= UInt64(bits & 0xff)
          hash = hash &* 0x100_0000_01b3
          bits >>= 8
        }
      }
    }
    return hash
  }
}
