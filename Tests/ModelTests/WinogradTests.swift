import Testing
@testable import Model

/// Winograd F(2×2, 3×3) and F(4×4, 3×3), each for forward, dInput and dWeight, against the
/// direct convolution: odd map sizes (cropped edge tiles), channel counts off the vector
/// widths, several tile blocks, and several segments through one kernel.
///
/// Tolerances (inputs and weights uniform in ±1, Cin = 11, so outputs are O(3)): F(2×2)
/// forward and dInput within 1e-4, dWeight (sums over ≤ 800 positions) within 1e-3;
/// F(4×4), whose transforms multiply by up to 8 and divide by 24, within 2e-4 and 2e-3.
/// Measured (largest over the seven sizes): F(2×2) 2e-6 forward and dInput, 1.2e-5 dWeight;
/// F(4×4) 4e-5 and 7e-5, about 3e-6 of the largest output, against 1.5e-7 for F(2×2).
struct WinogradTests {
  struct Case {
    var y: [Float], dx: [Float], dw: [Float]
  }

  /// Forward, dInput (forward of dy through the flipped kernel) and dWeight of `segments`
  /// inputs sharing one kernel, with variant `v` and `tb` tiles per block.
  func run(_ v: Winograd.Variant, shapes: [ConvShape], xs: [[Float]], w: [Float], dys: [[Float]], tb: Int) -> [Case] {
    let c = shapes[0].inChannels, k = shapes[0].outChannels
    func withAll<R>(_ arrays: [[Float]], _ body: ([UnsafeMutablePointer<Float>]) -> R) -> R {
      let ps = arrays.map { a -> UnsafeMutablePointer<Float> in
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(a.count, 1))
        p.initialize(from: a, count: a.count)
        return p
      }
      defer { ps.forEach { $0.deallocate() } }
      return body(ps)
    }
    let u = UnsafeMutablePointer<Float>.allocate(capacity: Winograd.kernelFloats(v, inChannels: max(c, k), outChannels: max(c, k)))
    let flipped = UnsafeMutablePointer<Float>.allocate(capacity: 9 * c * k)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Winograd.blockScratchFloats(v, inChannels: c, outChannels: k, tilesPerBlock: tb))
    defer { u.deallocate(); flipped.deallocate(); scratch.deallocate() }
    return withAll(xs) { xps in
      withAll(dys) { dps in
        withAll(shapes.map { [Float](repeating: .nan, count: $0.rows * k) }) { yps in
          withAll(shapes.map { [Float](repeating: .nan, count: $0.batch * $0.inHeight * $0.inWidth * c) }) { dxps in
            w.withUnsafeBufferPointer { wb in
              Winograd.transformKernel(v, wb.baseAddress!, c: c, k: k, u: u)
              Winograd.forward(v, shapes.indices.map { Winograd.Segment(shape: shapes[$0], x: xps[$0], y: yps[$0]) },
                               u: u, scratch: scratch, tilesPerBlock: tb)
              Winograd.flipTranspose(wb.baseAddress!, c: c, k: k, into: flipped)
            }
            Winograd.transformKernel(v, flipped, c: k, k: c, u: u)
            let ts = shapes.map {
              ConvShape(batch: $0.batch, inHeight: $0.outHeight, inWidth: $0.outWidth, inChannels: k, outChannels: c,
                        kernel: 3, stride: 1, padding: .same)
            }
            Winograd.forward(v, ts.indices.map { Winograd.Segment(shape: ts[$0], x: dps[$0], y: dxps[$0]) },
                             u: u, scratch: scratch, tilesPerBlock: tb)
            var dw = [Float](repeating: 0.25, count: 9 * c * k)  // dWeight adds into what is there
            dw.withUnsafeMutableBufferPointer { g in
              Winograd.weightGradient(v, shapes.indices.map { Winograd.Segment(shape: shapes[$0], x: xps[$0], y: dps[$0]) },
                                      dw: g.baseAddress!, du: u, scratch: scratch, tilesPerBlock: tb)
            }
            return shapes.indices.map { i in
              Case(y: Array(UnsafeBufferPointer(start: yps[i], count: shapes[i].rows * k)),
                   dx: Array(UnsafeBufferPointer(start: dxps[i], count: xs[i].count)), dw: dw.map { $0 - 0.25 })
            }
          }
        }
      }
    }
  }

  @Test(arguments: [(1, 1), (2, 3), (3, 3), (5, 5), (7, 10), (9, 6), (20, 20)])
  func forwardAndGradientsMatchNaive(h: Int, w: Int) {
    var rng = SplitMix64(seed: UInt64(h * 100 + w))
    let c = 11, k = 13
    let s = ConvShape(batch: 2, inHeight: h, inWidth: w, inChannels: c, outChannels: k, kernel: 3, stride: 1, padding: .same)
    #expect(Winograd.applies(to: s))
    let x = Tensor.random(s.inputShape, rng: &rng).data, wv = Tensor.random([3, 3, c, k], rng: &rng).data
    let dy = Tensor.random(s.outputShape, rng: &rng).data
    let y = NaiveConv2D.forward(s, x: x, w: wv, b: nil)
    let g = NaiveConv2D.backward(s, x: x, w: wv, dy: dy)
    for (v, tol) in [(Winograd.Variant.f2, Float(1e-4)), (.f4, 2e-4)] {
      // Blocks of 3 tiles: every size runs several blocks.
      let r = run(v, shapes: [s], xs: [x], w: wv, dys: [dy], tb: 3)[0]
      #expect(maxAbsDifference(r.y, y) < tol, "\(v) forward \(h)x\(w)")
      #expect(maxAbsDifference(r.dx, g.dx) < tol, "\(v) dInput \(h)x\(w)")
      #expect(maxAbsDifference(r.dw, g.dw) < 10 * tol, "\(v) dWeight \(h)x\(w)")
    }
  }

  /// Three maps of different sizes through one kernel (a tower's pyramid levels), in blocks
  /// that straddle the segments: each output and dInput is its own map's, dWeight the sum.
  @Test func segmentsShareTheKernel() {
    var rng = SplitMix64(seed: 5)
    let c = 16, k = 9
    let shapes = [(12, 12), (6, 5), (3, 3)].map {
      ConvShape(batch: 2, inHeight: $0.0, inWidth: $0.1, inChannels: c, outChannels: k, kernel: 3, stride: 1, padding: .same)
    }
    let wv = Tensor.random([3, 3, c, k], rng: &rng).data
    let xs = shapes.map { Tensor.random($0.inputShape, rng: &rng).data }
    let dys = shapes.map { Tensor.random($0.outputShape, rng: &rng).data }
    var dwRef = [Float](repeating: 0, count: 9 * c * k)
    for (s, (x, dy)) in zip(shapes, zip(xs, dys)) {
      dwRef = zip(dwRef, NaiveConv2D.backward(s, x: x, w: wv, dy: dy).dw).map { $0 + $1 }
    }
    for v in [Winograd.Variant.f2, .f4] {
      for tb in [5, 1000] {
        let r = run(v, shapes: shapes, xs: xs, w: wv, dys: dys, tb: tb)
        for i in shapes.indices {
          #expect(maxAbsDifference(r[i].y, NaiveConv2D.forward(shapes[i], x: xs[i], w: wv, b: nil)) < 5e-4, "\(v) y \(i) tb \(tb)")
          #expect(maxAbsDifference(r[i].dx, NaiveConv2D.backward(shapes[i], x: xs[i], w: wv, dy: dys[i]).dx) < 5e-4,
                  "\(v) dx \(i) tb \(tb)")
        }
        #expect(maxAbsDifference(r[0].dw, dwRef) < 5e-3, "\(v) dw tb \(tb)")
      }
    }
  }

  /// F(4×4) only where it multiplies less than F(2×2); training follows `trainingUsesF4`.
  @Test func choosesF4ForLargerMaps() {
    func s(_ h: Int, _ w: Int) -> ConvShape {
      ConvShape(batch: 1, inHeight: h, inWidth: w, inChannels: 4, outChannels: 4, kernel: 3, stride: 1, padding: .same)
    }
    // 40×40: 100 tiles·36 against 400·16; 3×3: one 4×4 tile (36) against four 2×2 (64).
    #expect(Winograd.isF4Cheaper(for: [s(40, 40)]) && Winograd.isF4Cheaper(for: [s(10, 10)]) && Winograd.isF4Cheaper(for: [s(3, 3)]))
    // 5×5: 4·36 = 9·16, a tie; 2×2 and 1×1: one tile each, 36 against 16.
    #expect(!Winograd.isF4Cheaper(for: [s(5, 5)]) && !Winograd.isF4Cheaper(for: [s(2, 2)]) && !Winograd.isF4Cheaper(for: [s(1, 1)]))
    // A tower's levels choose together: 40×40 outweighs the small ones.
    #expect(Winograd.isF4Cheaper(for: [s(40, 40), s(5, 5), s(2, 2), s(1, 1)]))
    #expect(Winograd.variant(for: [s(40, 40)], training: false) == .f4)
    #expect(Winograd.variant(for: [s(5, 5)], training: true) == .f2)
    #expect(Winograd.variant(for: [s(40, 40)], training: true) == (Winograd.trainingUsesF4 ? .f4 : .f2))
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

  /// Through `Conv2D` (whichever variant it picks: F(2×2) on 2×3, F(4×4) on 20×20), with a
  /// bias, including the shared-kernel entry points for two levels.
  @Test func conv2DWinogradPathsMatchNaive() {
    var rng = SplitMix64(seed: 8)
    let params = ParameterStore()
    let conv = Conv2D(scope: "c", inChannels: 11, outChannels: 13, kernel: 3, padding: .same, bias: true,
                      weightInit: .normal(stddev: 0.5), params: params, rng: &rng, scratch: ScratchArena())
    params.write(conv.bias!, (0..<13).map { Float($0) * 0.1 - 0.5 })
    let second = Conv2D(sharing: conv)
    let xs = [Tensor.random([2, 20, 20, 11], rng: &rng), Tensor.random([2, 2, 3, 11], rng: &rng)]
    let shapes = xs.map { conv.shape(for: $0) }
    let wv = params.read(conv.weight), b = params.read(conv.bias!)
    let dys = shapes.map { Tensor.random($0.outputShape, rng: &rng) }
    // One application at a time.
    for (x, dy) in zip(xs, dys) {
      let s = conv.shape(for: x)
      params.zeroGradients()
      let y = conv.forward(x, params: params)
      #expect(maxAbsDifference(y.data, NaiveConv2D.forward(s, x: x.data, w: wv, b: b)) < 2e-4)
      let dx = conv.backward(dy, params: params)!
      let g = NaiveConv2D.backward(s, x: x.data, w: wv, dy: dy.data)
      #expect(maxAbsDifference(dx.data, g.dx) < 2e-4)
      #expect(maxAbsDifference(params.readGradient(conv.weight), g.dw) < 2e-3)
    }
    // Both levels in one call: dWeight and dBias are the sums.
    params.zeroGradients()
    let ys = Conv2D.forward([conv, second], xs, params: params, then: [nil, nil])
    let dxs = Conv2D.backward([conv, second], dys, params: params)
    var dw = [Float](repeating: 0, count: wv.count)
    for i in 0..<2 {
      #expect(maxAbsDifference(ys[i].data, NaiveConv2D.forward(shapes[i], x: xs[i].data, w: wv, b: b)) < 2e-4)
      let g = NaiveConv2D.backward(shapes[i], x: xs[i].data, w: wv, dy: dys[i].data)
      #expect(maxAbsDifference(dxs[i]!.data, g.dx) < 2e-4)
      dw = zip(dw, g.dw).map { $0 + $1 }
    }
    #expect(maxAbsDifference(params.readGradient(conv.weight), dw) < 2e-3)
    let db = (0..<13).map { ch in dys.map { d in stride(from: ch, to: d.count, by: 13).map { d.data[$0] }.reduce(0, +) }.reduce(0, +) }
    #expect(maxAbsDifference(params.readGradient(conv.bias!), db) < 1e-4)
  }
}
