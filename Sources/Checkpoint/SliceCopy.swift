/// Copies the values of one slice (a hyper-rectangle, row-major bytes) into its place in
/// the full tensor's row-major bytes.
/// `starts`/`lengths` have one entry per dimension of `fullShape`; `elementSize` is in bytes.
func copySlice(_ source: [UInt8], starts: [Int], lengths: [Int], fullShape: [Int], elementSize: Int,
               into destination: inout [UInt8]) {
  let rank = fullShape.count
  precondition(starts.count == rank && lengths.count == rank, "slice rank must match the tensor rank")
  precondition(source.count == lengths.reduce(1, *) * elementSize, "slice bytes do not match its extents")
  if rank == 0 {
    destination.replaceSubrange(0..<elementSize, with: source)
    return
  }
  if lengths.contains(0) { return }
  // Element strides of the full tensor.
  var strides = [Int](repeating: 1, count: rank)
  for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * fullShape[d + 1] }
  let run = lengths[rank - 1] * elementSize
  var index = [Int](repeating: 0, count: rank - 1)  // position within the slice, outer dims
  var sourceOffset = 0
  source.withUnsafeBytes { src in
    destination.withUnsafeMutableBytes { dst in
      while true {
        var element = starts[rank - 1]
        for d in 0..<(rank - 1) { element += (starts[d] + index[d]) * strides[d] }
        dst.baseAddress!.advanced(by: element * elementSize)
          .copyMemory(from: src.baseAddress!.advanced(by: sourceOffset), byteCount: run)
        sourceOffset += run
        // Odometer over the outer dimensions.
        var d = rank - 2
        while d >= 0 {
          index[d] += 1
          if index[d] < lengths[d] { break }
          index[d] = 0
          d -= 1
        }
        if d < 0 { break }
      }
    }
  }
}
