import Testing
@testable import Model

/// Winograd F(2×2, 3×3) against the direct convolution, forward and dInput.
struct WinogradTests {
  @Test(arguments: [(5, 5), (3, 3), (8, 6), (7, 10), (1, 1), (2, 3), (40, 40)])
  func forwardAndInputGradientMatchNaive(h: Int, w: Int) {
    var rng = SplitMix64(seed: UInt64(h * 100 + w))
    let params = ParameterStore()
    let conv = Conv2D(scope: "c", inChannels: 5, outChannels: 7, kernel: 3, padding: .same, bias: true,
                      weightInit: .normal(stddev: 0.5), params: params, rng: &rng, scratch: ScratchArena())
    let x = Tensor.random([2, h, w, 5], rng: &rng)
    let s = conv.shape(for: x)
    #expect(Winograd.applies(to: s))
    // Small blocks so several tile blocks run (the 40×40 case has 800 tiles).
    let saved = Winograd.blockFloats
    Winograd.blockFloats = 16 * 7 * 64
    defer { Winograd.blockFloats = saved }
    let y = conv.forward(x, params: params)
    let wv = params.read(conv.weight)
    let ref = NaiveConv2D.forward(s, x: x.data, w: wv, b: params.read(conv.bias!))
    // F(2,3) transforms add a few float32 roundings: tolerance 1e-4 on O(1) outputs.
    #expect(maxAbsDifference(y.data, ref) < 1e-4)
    let dy = Tensor.random(y.shape, rng: &rng)
    params.zeroGradients()
    let dx = conv.backward(dy, params: params)!
    let g = NaiveConv2D.backward(s, x: x.data, w: wv, dy: dy.data)
    #expect(maxAbsDifference(dx.data, g.dx) < 1e-4)
    #expect(maxAbsDifference(params.readGradient(conv.weight), g.dw) < 1e-3)
  }

  @Test func stridedOrValidConvsDoNotApply() {
    let strided = ConvShape(batch: 1, inHeight: 8, inWidth: 8, inChannels: 2, outChannels: 2, kernel: 3, stride: 2,
                            padding: .same)
    let valid = ConvShape(batch: 1, inHeight: 8, inWidth: 8, inChannels: 2, outChannels: 2, kernel: 3, stride: 1,
                          padding: .valid)
    let pointwise = ConvShape(batch: 1, inHeight: 8, inWidth: 8, inChannels: 2, outChannels: 2, kernel: 1, stride: 1,
                              padding: .same)
    #expect(!Winograd.applies(to: strided) && !Winograd.applies(to: valid) && !Winograd.applies(to: pointwise))
  }
}
