/// Borrowing the buffers of several tensors at once (the segments of a shared-kernel
/// convolution read and write one tensor per pyramid level in one call).
extension Tensor {
  /// Runs `body` with the storage of every tensor of `tensors`, in order.
  static func withPointers<R>(_ tensors: [Tensor], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    func nest(_ i: Int, _ acc: [UnsafePointer<Float>]) -> R {
      if i == tensors.count { return body(acc) }
      return tensors[i].data.withUnsafeBufferPointer { nest(i + 1, acc + [$0.baseAddress!]) }
    }
    return nest(0, [])
  }

  /// New tensors of `shapes`, filled by `body`, which gets all their (uninitialized)
  /// buffers at once.
  static func make(_ shapes: [[Int]], _ body: ([UnsafeMutablePointer<Float>]) -> Void) -> [Tensor] {
    func nest(_ i: Int, _ acc: [UnsafeMutablePointer<Float>]) -> [Tensor] {
      if i == shapes.count {
        body(acc)
        return []
      }
      var rest: [Tensor] = []
      let t = Tensor(uninitialized: shapes[i]) { rest = nest(i + 1, acc + [$0.baseAddress!]) }
      return [t] + rest
    }
    return nest(0, [])
  }
}
