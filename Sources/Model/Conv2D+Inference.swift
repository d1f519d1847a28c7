/// The transformed F(4×4) kernel of one `Conv2D` weight, kept between inference forwards
/// while the parameter values are unchanged (`ParameterStore.valuesVersion`). Shared by
/// every application of a shared kernel (the pyramid levels of a tower).
public final class TransformedKernelCache {
  private var storage: UnsafeMutablePointer<Float>?
  private var count = 0
  private var store: ObjectIdentifier?
  private var version: UInt64 = 0

  public init() {}
  deinit { storage?.deallocate() }

  /// U [36][Cin][Cout] of `weight` [3,3,Cin,Cout], transformed again only when the values
  /// changed since the last call.
  func kernel(of weight: Param, in params: ParameterStore, inChannels c: Int, outChannels k: Int) -> UnsafePointer<Float> {
    let n = WinogradF4.kernelFloats(inChannels: c, outChannels: k)
    if let storage, count == n, store == ObjectIdentifier(params), version == params.valuesVersion {
      return UnsafePointer(storage)
    }
    if count != n {
      storage?.deallocate()
      storage = .allocate(capacity: n)
      count = n
    }
    let u = storage!
    params.values.withUnsafeBufferPointer { v in
      Profiler.measure(.im2col) { WinogradF4.transformKernel(v.baseAddress! + weight.offset, c: c, k: k, u: u) }
    }
    store = ObjectIdentifier(params)
    version = params.valuesVersion
    return UnsafePointer(u)
  }

  /// Frees the kernel (training holds no inference state).
  public func release() {
    storage?.deallocate()
    storage = nil
    count = 0
  }
}

extension Conv2D {
  /// `bn(conv(x))` (or `conv(x)` with a nil `bn`) for forward-only runs. When the
  /// convolution keeps no activations, the batch norm is in inference mode and the shape
  /// suits it, this runs Winograd F(4×4) with a cached kernel and the batch norm (and its
  /// activation) or the bias applied as the output is written; otherwise it is exactly
  /// `bn.forward(forward(x))`.
  public func forward(_ x: Tensor, params: ParameterStore, then bn: BatchNorm?) -> Tensor {
    Conv2D.forward([self], [x], params: params, then: [bn])[0]
  }

  /// `forward(_:params:then:)` for applications of one shared kernel (pyramid levels):
  /// the fast path runs all inputs as one tile sequence through the same GEMMs.
  public static func forward(_ convs: [Conv2D], _ xs: [Tensor], params: ParameterStore,
                             then bns: [BatchNorm?]) -> [Tensor] {
    precondition(!convs.isEmpty && convs.count == xs.count && convs.count == bns.count,
                 "Conv2D.forward: one input and one batch norm (or nil) per convolution")
    let first = convs[0]
    let shapes = zip(convs, xs).map { $0.shape(for: $1) }
    for (x, c) in zip(xs, convs) {
      precondition(x.rank == 4 && x.channels == c.inChannels, "Conv2D expects [N, H, W, \(c.inChannels)], got \(x.shape)")
    }
    // F(4×4) pays when the summed products beat F(2×2)'s (small maps are mostly padding).
    let fast = convs.allSatisfy { !$0.keepsActivations && $0.useWinograd && $0.weight.offset == first.weight.offset }
      && bns.allSatisfy { $0 == nil || !$0!.training }
      && !(first.bias != nil && bns.contains { $0 != nil })
      && WinogradF4.isCheaper(for: shapes)
    guard fast else {
      return zip(zip(convs, xs), bns).map { pair, bn in
        let y = pair.0.forward(pair.1, params: params)
        return bn?.forward(y, params: params) ?? y
      }
    }
    let c = first.inChannels, k = first.outChannels
    let u = first.transformedKernel.kernel(of: first.weight, in: params, inChannels: c, outChannels: k)
    let affine = bns.map { bn -> (scale: [Float], shift: [Float])? in
      bn.map { b in Profiler.measure(.batchNorm) { b.inferenceAffine(params: params) } }
    }
    let bias = first.bias.map { params.read($0) } ?? []
    let total = shapes.map(WinogradF4.tiles).reduce(0, +)
    let tb = WinogradF4.tilesPerBlock(totalTiles: total, inChannels: c, outChannels: k)
    let scratch = first.scratch.buffer(WinogradF4.scratchFloats(inChannels: c, outChannels: k, tilesPerBlock: tb))
    // Outputs i… are created inside output i−1's initializer so every input and output
    // buffer is borrowed at once; the innermost level runs the convolution.
    func build(_ i: Int, _ segs: [WinogradF4.Segment]) -> [Tensor] {
      if i == xs.count {
        WinogradF4.forward(segs, u: u, scratch: scratch, tilesPerBlock: tb)
        return []
      }
      var rest: [Tensor] = []
      let y = Tensor(uninitialized: shapes[i].outputShape) { yb in
        xs[i].data.withUnsafeBufferPointer { xb in
          let scale = affine[i]?.scale ?? [], shift = affine[i]?.shift ?? bias
          scale.withUnsafeBufferPointer { sc in
            shift.withUnsafeBufferPointer { sh in
              let ep = WinogradF4.Epilogue(scale: sc.isEmpty ? nil : sc.baseAddress,
                                           shift: sh.isEmpty ? nil : sh.baseAddress,
                                           activation: bns[i]?.activation ?? .none)
              rest = build(i + 1, segs + [WinogradF4.Segment(shape: shapes[i], x: xb.baseAddress!, y: yb.baseAddress!,
                                                            epilogue: ep)])
            }
          }
        }
      }
      return [y] + rest
    }
    return build(0, [])
  }
}
