import Testing
@testable import Model

/// Conv2D: geometry, im2col+GEMM against the direct loop nest, gradients against finite
/// differences.
struct Conv2DTests {
  @Test func sameAndConv2dSameGeometry() {
    // 7×7/2 on 320: SAME pads 2/3, conv2d_same pads 3/3; both give 160.
    let same = AxisGeometry(input: 320, kernel: 7, stride: 2, padding: .same)
    let explicit = AxisGeometry(input: 320, kernel: 7, stride: 2, padding: .conv2dSame)
    #expect(same.output == 160 && same.padBefore == 2)
    #expect(explicit.output == 160 && explicit.padBefore == 3)
    // 3×3/2 SAME at 10 → 5 pads 0/1; at 5 → 3 pads 1/1.
    let p6 = AxisGeometry(input: 10, kernel: 3, stride: 2, padding: .same)
    let p7 = AxisGeometry(input: 5, kernel: 3, stride: 2, padding: .same)
    #expect(p6.output == 5 && p6.padBefore == 0)
    #expect(p7.output == 3 && p7.padBefore == 1)
    // Max-pool 3×3/2 SAME at 160: 80, pad 0 before.
    let pool = AxisGeometry(input: 160, kernel: 3, stride: 2, padding: .same)
    #expect(pool.output == 80 && pool.padBefore == 0)
    #expect(AxisGeometry(input: 9, kernel: 3, stride: 2, padding: .valid).output == 4)
  }

  /// Every padding × stride × kernel size: fast forward and backward equal the naive ones.
  @Test(arguments: [ConvPadding.same, .conv2dSame, .valid], [1, 2])
  func fastMatchesNaive(padding: ConvPadding, stride: Int) {
    var rng = SplitMix64(seed: 11)
    for (kernel, winograd) in [(1, false), (3, false), (3, true), (7, false)] {
      for (h, w) in [(9, 8), (7, 10)] {
        let params = ParameterStore()
        let conv = Conv2D(scope: "c", inChannels: 5, outChannels: 6, kernel: kernel, stride: stride,
                          padding: padding, bias: true, weightInit: .normal(stddev: 0.3),
                          params: params, rng: &rng, scratch: ScratchArena())
        conv.useWinograd = winograd
        params.write(conv.bias!, (0..<6).map { Float($0) * 0.1 - 0.2 })
        let x = Tensor.random([2, h, w, 5], rng: &rng)
        let s = conv.shape(for: x)
        // Force several im2col row blocks.
        let saved = Conv2D.blockFloats
        Conv2D.blockFloats = 7 * s.patch
        defer { Conv2D.blockFloats = saved }
        let y = conv.forward(x, params: params)
        let wv = params.read(conv.weight), bv = params.read(conv.bias!)
        let yRef = NaiveConv2D.forward(s, x: x.data, w: wv, b: bv)
        #expect(y.shape == s.outputShape)
        #expect(maxAbsDifference(y.data, yRef) < 1e-4, "forward k\(kernel) s\(stride) \(padding) \(h)x\(w) winograd \(winograd)")
        let dy = Tensor.random(y.shape, rng: &rng)
        params.zeroGradients()
        let dx = conv.backward(dy, params: params)!
        let ref = NaiveConv2D.backward(s, x: x.data, w: wv, dy: dy.data)
        #expect(maxAbsDifference(dx.data, ref.dx) < 1e-4, "dInput k\(kernel) s\(stride) \(padding)")
        #expect(maxAbsDifference(params.readGradient(conv.weight), ref.dw) < 1e-3, "dWeight k\(kernel) s\(stride) \(padding)")
        #expect(maxAbsDifference(params.readGradient(conv.bias!), ref.db) < 1e-3, "dBias")
      }
    }
  }

  @Test func naiveMatchesHandComputedValues() {
    // 1 image 2×2×1, kernel 3×3 all ones, SAME: every output is the sum of the image.
    let s = ConvShape(batch: 1, inHeight: 2, inWidth: 2, inChannels: 1, outChannels: 1, kernel: 3,
                      stride: 1, padding: .same)
    let y = NaiveConv2D.forward(s, x: [1, 2, 3, 4], w: [Float](repeating: 1, count: 9), b: [0.5])
    #expect(y == [10.5, 10.5, 10.5, 10.5])
    // conv2d_same 3×3/2 on 4×4: pads 1/1 → 2×2; top-left output sees x[0..1, 0..1].
    let s2 = ConvShape(batch: 1, inHeight: 4, inWidth: 4, inChannels: 1, outChannels: 1, kernel: 3,
                       stride: 2, padding: .conv2dSame)
    let x2 = (0..<16).map(Float.init)
    let y2 = NaiveConv2D.forward(s2, x: x2, w: [Float](repeating: 1, count: 9), b: nil)
    #expect(y2 == [0 + 1 + 4 + 5, 1 + 2 + 3 + 5 + 6 + 7, 4 + 5 + 8 + 9 + 12 + 13,
                   5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15].map(Float.init))
  }

  @Test(arguments: [(3, 1, ConvPadding.same), (3, 2, .same), (3, 2, .conv2dSame), (7, 2, .conv2dSame), (1, 1, .same), (1, 2, .same)])
  func gradientsMatchFiniteDifferences(kernel: Int, stride: Int, padding: ConvPadding) {
    var rng = SplitMix64(seed: 7)
    let params = ParameterStore()
    let conv = Conv2D(scope: "c", inChannels: 3, outChannels: 4, kernel: kernel, stride: stride,
                      padding: padding, bias: true, weightInit: .truncatedNormal(stddev: 0.3),
                      params: params, rng: &rng, scratch: ScratchArena())
    let x = Tensor.random([2, 7, 6, 3], rng: &rng)
    // Linear in x and W: float32 rounding is the only error; ε 1e-2, tolerance 1e-2.
    GradientCheck().run(inputs: [x], params: params, checking: [conv.weight, conv.bias!], rng: &rng,
                        forward: { conv.forward($0[0], params: params) },
                        backward: { [conv.backward($0, params: params)] })
  }

  @Test func firstLayerSkipsInputGradient() {
    var rng = SplitMix64(seed: 3)
    let params = ParameterStore()
    let conv = Conv2D(scope: "c", inChannels: 3, outChannels: 4, kernel: 3, weightInit: .normal(stddev: 0.1),
                      params: params, rng: &rng, scratch: ScratchArena())
    conv.needsInputGradient = false
    let x = Tensor.random([1, 5, 5, 3], rng: &rng)
    let y = conv.forward(x, params: params)
    #expect(conv.backward(y, params: params) == nil)
    #expect(params.readGradient(conv.weight).contains { $0 != 0 })
  }
}
