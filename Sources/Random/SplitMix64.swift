import Foundation

/// The project's one random generator: SplitMix64, seeded explicitly and passed `inout`.
/// Streams for independent purposes are derived with `SplitMix64(seed:stream:)`, so what
/// shapes training depends only on (seed, purpose, index), never on process layout.
///
/// Used by the model's initializers (`Model` re-exports it) and by the input pipeline
/// (`Data.SampleRandom` is this type), whose streams are:
/// - `(seed, epoch)`: the epoch's shuffle of all sample indices (`SampleSchedule`),
/// - `(seed, epoch, sampleIndex)`: everything random about one training sample
///   (flip, crop window, colour jitter), so a sample's tensors depend only on these three.
///
/// Bounded integers and floats are computed here (not with `Int.random(in:using:)`, whose
/// algorithm may change between Swift releases) so sequences are stable across toolchains.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  /// An independent generator for (seed, a, b, ...): e.g. (seed, epoch, sampleIndex).
  public init(seed: UInt64, stream: UInt64...) {
    self.init(seed: seed, streamValues: stream)
  }

  /// The training-sample stream `(seed, epoch, sampleIndex)`.
  public init(seed: UInt64, epoch: Int, sampleIndex: Int) {
    self.init(seed: seed, streamValues: [UInt64(epoch), UInt64(sampleIndex)])
  }

  private init(seed: UInt64, streamValues: [UInt64]) {
    var s = SplitMix64(seed: seed)
    var h = s.next()
    for v in streamValues {
      var m = SplitMix64(seed: h ^ (v &* 0x9E37_79B9_7F4A_7C15))
      h = m.next()
    }
    state = h
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1) with 24 bits of precision (like `tf.random_uniform` float32).
  public mutating func nextUnitFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

  /// Uniform in [0, 1) with 53 bits of precision.
  public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

  /// Uniform float in [lower, upper], computed as `lower + (upper − lower)·u` in float32.
  public mutating func nextFloat(in range: ClosedRange<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitFloat()
  }

  /// Uniform float in [lower, upper), computed as `lower + (upper − lower)·u` in float32
  /// (`tf.random_uniform([], lower, upper)`).
  public mutating func nextFloat(from lower: Float, to upper: Float) -> Float {
    lower + (upper - lower) * nextUnitFloat()
  }

  /// Uniform integer in 0 ..< n (n ≥ 1), unbiased (rejection on the 64-bit range).
  public mutating func nextInt(below n: Int) -> Int {
    precondition(n >= 1, "nextInt(below:) needs n >= 1, got \(n)")
    let bound = UInt64(n)
    let limit = UInt64.max - (UInt64.max % bound)  // accept v < limit: a multiple of n values
    while true {
      let v = next()
      if v < limit { return Int(v % bound) }
    }
  }

  /// Standard normal (Box-Muller).
  public mutating func nextNormal() -> Double {
    var u1 = nextUnitDouble()
    if u1 < 1e-300 { u1 = 1e-300 }
    let u2 = nextUnitDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
