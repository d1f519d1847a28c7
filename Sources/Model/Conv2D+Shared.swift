/// Convolutions followed by a batch norm, and the applications of one shared kernel (the
/// pyramid levels of a weight-shared tower) run together.
extension Conv2D {
  /// `bn(conv(x))` (or `conv(x)` with a nil `bn`) for forward-only runs. When the
  /// convolution keeps no activations, the batch norm is in inference mode and the shape
  /// suits it, this runs Winograd F(4×4) with a cached kernel and the batch norm (and its
  /// activation) or the bias applied as the output is written; otherwise it is exactly
  /// `bn.forward(forward(x))`.
  public func forward(_ x: Tensor, params: ParameterStore, then bn: BatchNorm?) -> Tensor {
    Conv2D.forward([self], [x], params: params, then: [bn])[0]
  }

  /// `forward(_:params:then:)` for applications of one shared kernel (pyramid levels): the
  /// Winograd paths run all inputs as one tile sequence through the same GEMMs (the
  /// forward-only one with the batch norms folded in, the others with each batch norm
  /// applied after).
  public static func forward(_ convs: [Conv2D], _ xs: [Tensor], params: ParameterStore,
                             then bns: [BatchNorm?]) -> [Tensor] {
    precondition(!convs.isEmpty && convs.count == xs.count && convs.count == bns.count,
                 "Conv2D.forward: one input and one batch norm (or nil) per convolution")
    let first = convs[0]
    let shapes = zip(convs, xs).map { $0.shape(for: $1) }
    for (x, c) in zip(xs, convs) {
      precondition(x.rank == 4 && x.channels == c.inChannels, "Conv2D expects [N, H, W, \(c.inChannels)], got \(x.shape)")
    }
    let shared = zip(convs, shapes).allSatisfy { conv, s in conv.weight.offset == first.weight.offset && conv.usesWinograd(s) }
    // F(4×4) with folding pays when the summed products beat F(2×2)'s (small maps are mostly padding).
    let folded = shared && convs.allSatisfy { !$0.keepsActivations }
      && bns.allSatisfy { $0 == nil || !$0!.training }
      && !(first.bias != nil && bns.contains { $0 != nil })
      && Winograd.variant(for: shapes, training: false) == .f4
    if folded { return forwardFolded(convs, xs, shapes, params: params, then: bns) }
    var ys = shared ? forwardWinograd(convs, xs, params: params) : zip(convs, xs).map { $0.forward($1, params: params) }
    for i in ys.indices {
      guard let bn = bns[i] else { continue }
      // Move the output out of the array so a forward-only batch norm can work in place.
      var y = Tensor(shape: [0], data: [])
      swap(&y, &ys[i])
      ys[i] = bn.forward(y, params: params)
    }
    return ys
  }

  /// Backward of `forward(_:_:params:then:)`'s convolutions (the batch norms' backward is
  /// the caller's): dW (and dBias) += every application's share; returns each dInput.
  public static func backward(_ convs: [Conv2D], _ dys: [Tensor], params: ParameterStore) -> [Tensor?] {
    precondition(!convs.isEmpty && convs.count == dys.count, "Conv2D.backward: one dOutput per convolution")
    let first = convs[0]
    let shared = convs.allSatisfy { conv in
      guard conv.weight.offset == first.weight.offset, let x = conv.input else { return false }
      return conv.usesWinograd(conv.shape(for: x))
    }
    if shared { return backwardWinograd(convs, dys, params: params) }
    return zip(convs, dys).map { $0.backward($1, params: params) }
  }

  /// Forward-only F(4×4) with a cached kernel and each batch norm (or the bias) folded into
  /// the output transform.
  private static func forwardFolded(_ convs: [Conv2D], _ xs: [Tensor], _ shapes: [ConvShape], params: ParameterStore,
                                    then bns: [BatchNorm?]) -> [Tensor] {
    let first = convs[0]
    let c = first.inChannels, k = first.outChannels
    let u = first.transformedKernel.kernel(of: first.weight, in: params, inChannels: c, outChannels: k)
    let affine = bns.map { bn -> (scale: [Float], shift: [Float])? in
      bn.map { b in Profiler.measure(.batchNorm) { b.inferenceAffine(params: params) } }
    }
    let bias = first.bias.map { params.read($0) } ?? []
    let total = shapes.map { Winograd.tiles($0, .f4) }.reduce(0, +)
    let tb = Winograd.tilesPerBlock(.f4, totalTiles: total, inChannels: c, outChannels: k,
                                    target: Winograd.forwardOnlyBlockFloats)
    let scratch = first.scratch.buffer(Winograd.blockScratchFloats(.f4, inChannels: c, outChannels: k, tilesPerBlock: tb))
    // Every segment's scale and shift in one buffer (pointers into it stay valid throughout).
    var epilogueValues: [Float] = []
    for i in shapes.indices {
      if let a = affine[i] { epilogueValues += a.scale + a.shift } else { epilogueValues += bias }
    }
    return epilogueValues.withUnsafeBufferPointer { e in
      Tensor.withPointers(xs) { xps in
        Tensor.make(shapes.map(\.outputShape)) { yps in
          var offset = 0
          var segs: [Winograd.Segment] = []
          for i in shapes.indices {
            var ep = Winograd.Epilogue(activation: bns[i]?.activation ?? .none)
            if affine[i] != nil {
              ep.scale = e.baseAddress! + offset
              ep.shift = e.baseAddress! + offset + k
              offset += 2 * k
            } else if !bias.isEmpty {
              ep.shift = e.baseAddress! + offset
              offset += k
            }
            segs.append(Winograd.Segment(shape: shapes[i], x: xps[i], y: yps[i], epilogue: ep))
          }
          Winograd.forward(.f4, segs, u: u, scratch: scratch, tilesPerBlock: tb)
        }
      }
    }
  }
}
