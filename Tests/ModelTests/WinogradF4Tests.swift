import Testing
@testable import Model

/// Winograd F(4×4, 3×3), inference's convolution, against the direct convolution: odd map
/// sizes (cropped edge tiles), channel counts off the 8-lane vectors, several tile blocks,
/// several segments through one kernel, and the fused batch norm / bias epilogue.
struct WinogradF4Tests {
  /// Direct convolution with the epilogue applied: act(conv·scale + shift).
  func reference(_ s: ConvShape, x: [Float], w: [Float], scale: [Float]?, shift: [Float]?, act: Activation) -> [Float] {
    let y = NaiveConv2D.forward(s, x: x, w: w, b: nil)
    let k = s.outChannels
    return y.indices.map { i in
      let c = i % k
      return act.apply(y[i] * (scale?[c] ?? 1) + (shift?[c] ?? 0))
    }
  }

  @Test(arguments: [(1, 1), (2, 3), (4, 4), (5, 5), (7, 10), (9, 6), (20, 20)])
  func forwardMatchesNaive(h: Int, w: Int) {
    var rng = SplitMix64(seed: UInt64(h * 100 + w))
    let c = 11, k = 13
    let s = ConvShape(batch: 2, inHeight: h, inWidth: w, inChannels: c, outChannels: k, kernel: 3, stride: 1,
                      padding: .same)
    let x = Tensor.random([2, h, w, c], rng: &rng).data
    let wv = Tensor.random([3, 3, c, k], rng: &rng).data
    let u = [Float](unsafeUninitializedCapacity: 36 * c * k) { b, n in
      WinogradF4.transformKernel(wv, c: c, k: k, u: b.baseAddress!); n = 36 * c * k
    }
    // Blocks of 3 tiles, so every size runs several blocks and pieces cross block edges.
    let tb = 3
    var y = [Float](repeating: .nan, count: 2 * h * w * k)
    var scratch = [Float](repeating: 0, count: WinogradF4.scratchFloats(inChannels: c, outChannels: k, tilesPerBlock: tb))
    x.withUnsafeBufferPointer { xb in
      y.withUnsafeMutableBufferPointer { yb in
        WinogradF4.forward([WinogradF4.Segment(shape: s, x: xb.baseAddress!, y: yb.baseAddress!)], u: u,
                           scratch: &scratch, tilesPerBlock: tb)
      }
    }
    let ref = reference(s, x: x, w: wv, scale: nil, shift: nil, act: .none)
    // Outputs are O(3); F(4,3)'s transforms (factors up to 8, 1/24) add a few float32 roundings.
    #expect(maxAbsDifference(y, ref) < 2e-4, "\(h)x\(w)")
  }

  /// Three maps of different sizes through one kernel in one call, each with its own
  /// affine epilogue and activation, in blocks that straddle the segments.
  @Test func segmentsShareTheKernelAndKeepTheirEpilogues() {
    var rng = SplitMix64(seed: 5)
    let c = 16, k = 9
    let sizes = [(12, 12), (6, 5), (3, 3)]
    let acts: [Activation] = [.relu6, .none, .relu]
    let wv = Tensor.random([3, 3, c, k], rng: &rng).data
    let u = [Float](unsafeUninitializedCapacity: 36 * c * k) { b, n in
      WinogradF4.transformKernel(wv, c: c, k: k, u: b.baseAddress!); n = 36 * c * k
    }
    let shapes = sizes.map { ConvShape(batch: 2, inHeight: $0.0, inWidth: $0.1, inChannels: c, outChannels: k, kernel: 3,
                                       stride: 1, padding: .same) }
    let xs = sizes.map { Tensor.random([2, $0.0, $0.1, c], rng: &rng).data }
    let scales = sizes.map { _ in Tensor.random([k], in: 0.5...2, rng: &rng).data }
    let shifts = sizes.map { _ in Tensor.random([k], in: -1...1, rng: &rng).data }
    var ys = sizes.map { [Float](repeating: .nan, count: 2 * $0.0 * $0.1 * k) }
    for tb in [5, 1000] {
      var scratch = [Float](repeating: 0, count: WinogradF4.scratchFloats(inChannels: c, outChannels: k, tilesPerBlock: tb))
      var segs: [WinogradF4.Segment] = []
      var pointers: [UnsafeMutablePointer<Float>] = []
      for i in 0..<3 {
        let xp = UnsafeMutablePointer<Float>.allocate(capacity: xs[i].count)
        xp.initialize(from: xs[i], count: xs[i].count)
        let yp = UnsafeMutablePointer<Float>.allocate(capacity: ys[i].count)
        let sc = UnsafeMutablePointer<Float>.allocate(capacity: k), sh = UnsafeMutablePointer<Float>.allocate(capacity: k)
        sc.initialize(from: scales[i], count: k); sh.initialize(from: shifts[i], count: k)
        pointers += [xp, yp, sc, sh]
        segs.append(WinogradF4.Segment(shape: shapes[i], x: xp, y: yp,
                                       epilogue: WinogradF4.Epilogue(scale: sc, shift: sh, activation: acts[i])))
      }
      WinogradF4.forward(segs, u: u, scratch: &scratch, tilesPerBlock: tb)
      for i in 0..<3 {
        ys[i] = Array(UnsafeBufferPointer(start: segs[i].y, count: ys[i].count))
        let ref = reference(shapes[i], x: xs[i], w: wv, scale: scales[i], shift: shifts[i], act: acts[i])
        #expect(maxAbsDifference(ys[i], ref) < 5e-4, "segment \(i), tiles per block \(tb)")
      }
      for p in pointers { p.deallocate() }
    }
    #expect(ys[0].contains(6) && !ys[0].contains { $0 < 0 || $0 > 6 })  // ReLU6 clamps at both ends
  }

  /// F(4×4) only where it multiplies less than F(2×2).
  @Test func choosesF4ForLargerMaps() {
    func s(_ h: Int, _ w: Int) -> ConvShape {
      ConvShape(batch: 1, inHeight: h, inWidth: w, inChannels: 4, outChannels: 4, kernel: 3, stride: 1, padding: .same)
    }
    // 40×40: 100 tiles·36 against 400·16; 3×3: one 4×4 tile (36) against four 2×2 (64).
    #expect(WinogradF4.isCheaper(for: s(40, 40)) && WinogradF4.isCheaper(for: s(10, 10)) && WinogradF4.isCheaper(for: s(3, 3)))
    // 5×5: 4·36 = 9·16, a tie; 2×2 and 1×1: one tile each, 36 against 16.
    #expect(!WinogradF4.isCheaper(for: s(5, 5)) && !WinogradF4.isCheaper(for: s(2, 2)) && !WinogradF4.isCheaper(for: s(1, 1)))
  }

  /// The inference path of `Conv2D.forward(_:params:then:)`: a batch norm in inference mode
  /// folded into the output transform equals the separate conv + batch norm; the cached
  /// kernel follows weight changes; training-mode batch norms take the separate path.
  @Test func fusedInferenceMatchesConvThenBatchNorm() {
    var rng = SplitMix64(seed: 9)
    let params = ParameterStore()
    let scratch = ScratchArena()
    let conv = Conv2D(scope: "c", inChannels: 12, outChannels: 10, kernel: 3, padding: .same,
                      weightInit: .normal(stddev: 0.3), params: params, rng: &rng, scratch: scratch)
    let bn = BatchNorm(scope: "c/BatchNorm", channels: 10, epsilon: 1e-3, activation: .relu6, params: params, rng: &rng)
    params.write(bn.gamma, Tensor.random([10], in: 0.5...1.5, rng: &rng).data)
    params.write(bn.beta, Tensor.random([10], in: -0.5...0.5, rng: &rng).data)
    params.states.withUnsafeMutableBufferPointer { st in
      for i in 0..<10 { st[bn.movingMean.offset + i] = Float(i) * 0.1 - 0.4; st[bn.movingVariance.offset + i] = 0.5 + Float(i) * 0.2 }
    }
    let x = Tensor.random([2, 16, 12, 12], rng: &rng)
    bn.training = false
    func separate() -> Tensor {
      conv.keepsActivations = true; bn.keepsActivations = true
      defer { conv.keepsActivations = false; bn.keepsActivations = false }
      return bn.forward(conv.forward(x, params: params), params: params)
    }
    conv.keepsActivations = false; bn.keepsActivations = false
    let fused = conv.forward(x, params: params, then: bn)
    #expect(fused.shape == [2, 16, 12, 10])
    #expect(maxAbsDifference(fused.data, separate().data) < 1e-4)
    // New weights: the cached transformed kernel must not be reused.
    params.write(conv.weight, Tensor.random([3, 3, 12, 10], in: -0.3...0.3, rng: &rng).data)
    let again = conv.forward(x, params: params, then: bn)
    #expect(maxAbsDifference(again.data, separate().data) < 1e-4)
    #expect(maxAbsDifference(again.data, fused.data) > 1e-2)
    // Batch statistics cannot be folded: the separate path, bit for bit.
    bn.training = true
    let trainingMode = conv.forward(x, params: params, then: bn)
    bn.training = true
    #expect(trainingMode.data == separate().data)
  }

  /// Writes through `values` bump `valuesVersion` (what the kernel cache checks) and
  /// mutate the arena in place: no copy of the buffer.
  @Test func valueWritesBumpTheVersionInPlace() {
    let p = ParameterStore()
    var rng = SplitMix64(seed: 1)
    let w = p.add(name: "w", shape: [300, 300], initializer: .constant(0), rng: &rng)
    let before = p.values.withUnsafeBufferPointer { $0.baseAddress! }
    let v0 = p.valuesVersion
    p.values.withUnsafeMutableBufferPointer { $0[0] = 1 }
    #expect(p.values.withUnsafeBufferPointer { $0.baseAddress! } == before)
    #expect(p.valuesVersion != v0)
    let v1 = p.valuesVersion
    p.write(w, [Float](repeating: 2, count: 90_000))
    #expect(p.valuesVersion != v1 && p.values[5] == 2)
    let v2 = p.valuesVersion
    _ = p.values[3]
    #expect(p.valuesVersion == v2, "reads leave the version alone")
  }
}
