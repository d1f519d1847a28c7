/// A dense float32 tensor. Activations are NHWC ([batch, height, width, channels]);
/// kernels are HWIO ([kh, kw, in, out]) as TensorFlow stores them.
/// Storage is a Swift array: copies are copy-on-write, and a tensor's memory is freed
/// when its last holder lets go, so layers keep only what backward needs.
public struct Tensor {
  public var shape: [Int]
  public var data: [Float]

  public init(shape: [Int], data: [Float]) {
    precondition(shape.reduce(1, *) == data.count,
                 "Tensor shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
    self.shape = shape
    self.data = data
  }

  public init(zeros shape: [Int]) {
    self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
  }

  public init(repeating value: Float, shape: [Int]) {
    self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
  }

  /// A tensor whose storage is filled by `body` (no zero fill first).
  public init(uninitialized shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
    let n = shape.reduce(1, *)
    self.shape = shape
    self.data = [Float](unsafeUninitializedCapacity: n) { buf, count in
      body(buf)
      count = n
    }
  }

  public var count: Int { data.count }
  public var rank: Int { shape.count }

  /// NHWC accessors (precondition: rank 4).
  public var batch: Int { shape[0] }
  public var height: Int { shape[1] }
  public var width: Int { shape[2] }
  public var channels: Int { shape[3] }

  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }

  /// Uniform values in [lo, hi), for tests.
  public static func random(_ shape: [Int], in range: ClosedRange<Float> = -1...1,
                            rng: inout SplitMix64) -> Tensor {
    let n = shape.reduce(1, *)
    var d = [Float](repeating: 0, count: n)
    for i in 0..<n { d[i] = rng.nextFloat(in: range) }
    return Tensor(shape: shape, data: d)
  }
}
