/// The Winograd strategy of `Conv2D` (3×3, stride 1, pad 1), for one convolution or for
/// the applications of one shared kernel (pyramid levels), which then run as one tile
/// sequence through the same GEMMs: forward, dWeight over every application, and dInput
/// as the forward of dOutput through the flipped, transposed kernel. F(4×4) where it
/// multiplies less than F(2×2) (`Winograd.variant`), else F(2×2).
extension Conv2D {
  /// y_i = conv(x_i) (+ b) for applications `convs` of one kernel; each keeps its input.
  static func forwardWinograd(_ convs: [Conv2D], _ xs: [Tensor], params: ParameterStore) -> [Tensor] {
    let first = convs[0]
    let c = first.inChannels, k = first.outChannels
    let shapes = zip(convs, xs).map { $0.shape(for: $1) }
    let v = Winograd.variant(for: shapes, training: true)
    let total = shapes.map { Winograd.tiles($0, v) }.reduce(0, +)
    let tb = Winograd.tilesPerBlock(v, totalTiles: total, inChannels: c, outChannels: k, target: Winograd.blockFloats)
    let kf = Winograd.kernelFloats(v, inChannels: c, outChannels: k)
    let buf = first.scratch.buffer(kf + Winograd.blockScratchFloats(v, inChannels: c, outChannels: k, tilesPerBlock: tb))
    let ys = params.values.withUnsafeBufferPointer { vals in
      Profiler.measure(.im2col) { Winograd.transformKernel(v, vals.baseAddress! + first.weight.offset, c: c, k: k, u: buf) }
      return Tensor.withPointers(xs) { xps in
        Tensor.make(shapes.map(\.outputShape)) { yps in
          let segs = shapes.indices.map { Winograd.Segment(shape: shapes[$0], x: xps[$0], y: yps[$0]) }
          Winograd.forward(v, segs, u: buf, scratch: buf + kf, tilesPerBlock: tb)
          for (s, y) in zip(shapes, yps) { first.addBias(vals.baseAddress!, to: y, rows: s.rows) }
        }
      }
    }
    for (conv, x) in zip(convs, xs) { conv.input = conv.keepsActivations ? x : nil }
    return ys
  }

  /// Backward of `forwardWinograd`: dW (and dBias) += the sum over all applications;
  /// returns each application's dInput (nil without `needsInputGradient`).
  static func backwardWinograd(_ convs: [Conv2D], _ dys: [Tensor], params: ParameterStore) -> [Tensor?] {
    let first = convs[0]
    let c = first.inChannels, k = first.outChannels
    let xs = convs.map { conv -> Tensor in
      guard let x = conv.input else { preconditionFailure("Conv2D.backward needs the input forward saves: run forward first, with keepsActivations true") }
      conv.input = nil
      return x
    }
    let shapes = zip(convs, xs).map { $0.shape(for: $1) }
    for (s, dy) in zip(shapes, dys) {
      precondition(dy.shape == s.outputShape, "Conv2D.backward expects dOutput \(s.outputShape), got \(dy.shape)")
    }
    for (conv, dy) in zip(convs, dys) { conv.addBiasGradient(dy, params: params) }
    let v = Winograd.variant(for: shapes, training: true)
    let total = shapes.map { Winograd.tiles($0, v) }.reduce(0, +)
    // dWeight.
    let tb = Winograd.tilesPerBlock(v, totalTiles: total, inChannels: c, outChannels: k, target: Winograd.blockFloats)
    let kf = Winograd.kernelFloats(v, inChannels: c, outChannels: k)
    let buf = first.scratch.buffer(kf + Winograd.blockScratchFloats(v, inChannels: c, outChannels: k, tilesPerBlock: tb))
    params.gradients.withUnsafeMutableBufferPointer { g in
      Tensor.withPointers(xs) { xps in
        Tensor.withPointers(dys) { dps in
          let segs = shapes.indices.map {
            Winograd.Segment(shape: shapes[$0], x: xps[$0], y: UnsafeMutablePointer(mutating: dps[$0]))
          }
          Winograd.weightGradient(v, segs, dw: g.baseAddress! + first.weight.offset, du: buf, scratch: buf + kf,
                                  tilesPerBlock: tb)
        }
      }
    }
    guard first.needsInputGradient else { return [Tensor?](repeating: nil, count: convs.count) }
    // dInput = conv(dOutput, flipped and transposed kernel), also 3×3 stride-1 pad-1.
    let ts = shapes.map {
      ConvShape(batch: $0.batch, inHeight: $0.outHeight, inWidth: $0.outWidth, inChannels: k, outChannels: c,
                kernel: 3, stride: 1, padding: .same)
    }
    let tbt = Winograd.tilesPerBlock(v, totalTiles: total, inChannels: k, outChannels: c, target: Winograd.blockFloats)
    let flipped = 9 * c * k
    let buf2 = first.scratch.buffer(flipped + kf + Winograd.blockScratchFloats(v, inChannels: k, outChannels: c,
                                                                                tilesPerBlock: tbt))
    params.values.withUnsafeBufferPointer { vals in
      Profiler.measure(.other) { Winograd.flipTranspose(vals.baseAddress! + first.weight.offset, c: c, k: k, into: buf2) }
    }
    Profiler.measure(.im2col) { Winograd.transformKernel(v, buf2, c: k, k: c, u: buf2 + flipped) }
    return Tensor.withPointers(dys) { dps in
      Tensor.make(shapes.map(\.inputShape)) { dxps in
        let segs = ts.indices.map { Winograd.Segment(shape: ts[$0], x: dps[$0], y: dxps[$0]) }
        Winograd.forward(v, segs, u: buf2 + flipped, scratch: buf2 + flipped + kf, tilesPerBlock: tbt)
      }
    }
  }
}
