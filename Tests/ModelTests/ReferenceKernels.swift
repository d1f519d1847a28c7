@testable import Model

/// The Swift loops the C kernels (`Kernels`, Sources/CKernels) replaced, kept as their
/// reference: Winograd F(2×2) and F(4×4) transforms and the batch-norm loops, scalar per
/// element with the same operations in the same order, so every C variant must give the
/// same bits (`KernelsTests`). Signatures follow the C kernels' (tiles `tile0..<tile0+count`
/// of a map with `th`×`tw` tiles per image; tile j is row j of each plane).
enum ReferenceKernels {
  /// Pixel (step·ty − 1 + a, step·tx − 1 + b) of image `img`, or nil in the padding.
  static func tap(_ x: UnsafePointer<Float>, h: Int, w: Int, c: Int, img: Int, iy: Int, ix: Int) -> UnsafePointer<Float>? {
    iy >= 0 && iy < h && ix >= 0 && ix < w ? x + ((img * h + iy) * w + ix) * c : nil
  }

  static func locate(_ t: Int, _ th: Int, _ tw: Int) -> (img: Int, ty: Int, tx: Int) {
    (t / (th * tw), (t % (th * tw)) / tw, (t % (th * tw)) % tw)
  }

  // MARK: F(2×2, 3×3)

  static func wino2Input(x: UnsafePointer<Float>, h: Int, w: Int, c: Int, th: Int, tw: Int, tile0: Int, count: Int,
                         v: UnsafeMutablePointer<Float>, plane: Int) {
    for j in 0..<count {
      let (img, ty, tx) = locate(tile0 + j, th, tw)
      for ch in 0..<c {
        func d(_ a: Int, _ b: Int) -> Float {
          tap(x, h: h, w: w, c: c, img: img, iy: 2 * ty - 1 + a, ix: 2 * tx - 1 + b)?[ch] ?? 0
        }
        let r0 = (0..<4).map { d(0, $0) - d(2, $0) }, r1 = (0..<4).map { d(1, $0) + d(2, $0) }
        let r2 = (0..<4).map { d(2, $0) - d(1, $0) }, r3 = (0..<4).map { d(1, $0) - d(3, $0) }
        for (i, r) in [r0, r1, r2, r3].enumerated() {
          let o = v + j * c + ch
          o[(4 * i) * plane] = r[0] - r[2]; o[(4 * i + 1) * plane] = r[1] + r[2]
          o[(4 * i + 2) * plane] = r[2] - r[1]; o[(4 * i + 3) * plane] = r[1] - r[3]
        }
      }
    }
  }

  static func wino2Output(m: UnsafePointer<Float>, plane: Int, h: Int, w: Int, k: Int, th: Int, tw: Int, tile0: Int,
                          count: Int, y: UnsafeMutablePointer<Float>) {
    for j in 0..<count {
      let (img, ty, tx) = locate(tile0 + j, th, tw)
      for kk in 0..<k {
        func q(_ i: Int) -> Float { m[i * plane + j * k + kk] }
        let s0 = (0..<4).map { q($0) + q(4 + $0) + q(8 + $0) }, s1 = (0..<4).map { q(4 + $0) - q(8 + $0) - q(12 + $0) }
        let out = [[s0[0] + s0[1] + s0[2], s0[1] - s0[2] - s0[3]], [s1[0] + s1[1] + s1[2], s1[1] - s1[2] - s1[3]]]
        for a in 0..<2 where 2 * ty + a < h {
          for b in 0..<2 where 2 * tx + b < w { y[((img * h + 2 * ty + a) * w + 2 * tx + b) * k + kk] = out[a][b] }
        }
      }
    }
  }

  static func wino2OutputGradient(dy: UnsafePointer<Float>, h: Int, w: Int, k: Int, th: Int, tw: Int, tile0: Int,
                                  count: Int, dm: UnsafeMutablePointer<Float>, plane: Int) {
    for j in 0..<count {
      let (img, ty, tx) = locate(tile0 + j, th, tw)
      for kk in 0..<k {
        func g(_ a: Int, _ b: Int) -> Float {
          tap(dy, h: h, w: w, c: k, img: img, iy: 2 * ty + a, ix: 2 * tx + b).map { $0[kk] } ?? 0
        }
        let a = [[g(0, 0), g(0, 1)], [g(0, 0) + g(1, 0), g(0, 1) + g(1, 1)], [g(0, 0) - g(1, 0), g(0, 1) - g(1, 1)],
                 [-g(1, 0), -g(1, 1)]]
        for i in 0..<4 {
          let o = dm + j * k + kk
          o[(4 * i) * plane] = a[i][0]; o[(4 * i + 1) * plane] = a[i][0] + a[i][1]
          o[(4 * i + 2) * plane] = a[i][0] - a[i][1]; o[(4 * i + 3) * plane] = -a[i][1]
        }
      }
    }
  }

  static func wino2Kernel(w: UnsafePointer<Float>, c: Int, k: Int, u: UnsafeMutablePointer<Float>) {
    let ck = c * k
    for o in 0..<ck {
      func g(_ i: Int) -> Float { w[i * ck + o] }
      let t1 = (0..<3).map { 0.5 * (g($0) + g(3 + $0) + g(6 + $0)) }, t2 = (0..<3).map { 0.5 * (g($0) - g(3 + $0) + g(6 + $0)) }
      let rows = [[g(0), g(1), g(2)], t1, t2, [g(6), g(7), g(8)]]
      for (i, r) in rows.enumerated() {
        u[(4 * i) * ck + o] = r[0]; u[(4 * i + 1) * ck + o] = 0.5 * (r[0] + r[1] + r[2])
        u[(4 * i + 2) * ck + o] = 0.5 * (r[0] - r[1] + r[2]); u[(4 * i + 3) * ck + o] = r[2]
      }
    }
  }

  static func wino2KernelGradient(du: UnsafePointer<Float>, c: Int, k: Int, dw: UnsafeMutablePointer<Float>) {
    let ck = c * k
    for o in 0..<ck {
      func col(_ q: Int) -> (Float, Float, Float) {
        let u0 = du[q * ck + o], u1 = du[(4 + q) * ck + o], u2 = du[(8 + q) * ck + o], u3 = du[(12 + q) * ck + o]
        return (u0 + 0.5 * (u1 + u2), 0.5 * (u1 - u2), 0.5 * (u1 + u2) + u3)
      }
      let c0 = col(0), c1 = col(1), c2 = col(2), c3 = col(3)
      func row(_ i: Int, _ e0: Float, _ e1: Float, _ e2: Float, _ e3: Float) {
        dw[(3 * i + 0) * ck + o] += e0 + 0.5 * (e1 + e2)
        dw[(3 * i + 1) * ck + o] += 0.5 * (e1 - e2)
        dw[(3 * i + 2) * ck + o] += 0.5 * (e1 + e2) + e3
      }
      row(0, c0.0, c1.0, c2.0, c3.0)
      row(1, c0.1, c1.1, c2.1, c3.1)
      row(2, c0.2, c1.2, c2.2, c3.2)
    }
  }

  // MARK: F(4×4, 3×3)

  static func bMul(_ d: [Float]) -> [Float] {
    let a = d[4] - 4 * d[2], b = d[3] - 4 * d[1]
    let c = d[4] - d[2], e = 2 * (d[3] - d[1])
    return [4 * d[0] - 5 * d[2] + d[4], a + b, a - b, c + e, c - e, 4 * d[1] - 5 * d[3] + d[5]]
  }

  static func aMul(_ m: [Float]) -> [Float] {
    let s = m[1] + m[2], d = m[1] - m[2], s2 = m[3] + m[4], d2 = m[3] - m[4]
    return [m[0] + s + s2, d + 2 * d2, s + 4 * s2, d + 8 * d2 + m[5]]
  }

  static func gMul(_ a: Float, _ b: Float, _ c: Float) -> [Float] {
    let ac = a + c, p = a / 24 + c / 6
    return [a / 4, -(ac + b) / 6, -(ac - b) / 6, p + b / 12, p - b / 12, c]
  }

  static func wino4Input(x: UnsafePointer<Float>, h: Int, w: Int, c: Int, th: Int, tw: Int, tile0: Int, count: Int,
                         v: UnsafeMutablePointer<Float>, plane: Int) {
    for j in 0..<count {
      let (img, ty, tx) = locate(tile0 + j, th, tw)
      for ch in 0..<c {
        var p = (0..<36).map { i in
          tap(x, h: h, w: w, c: c, img: img, iy: 4 * ty - 1 + i / 6, ix: 4 * tx - 1 + i % 6)?[ch] ?? 0
        }
        for col in 0..<6 {  // columns: Bᵀ·p
          let r = bMul((0..<6).map { p[6 * $0 + col] })
          for i in 0..<6 { p[6 * i + col] = r[i] }
        }
        for i in 0..<6 {  // rows: (Bᵀ p)·B
          let r = bMul(Array(p[(6 * i)..<(6 * i + 6)]))
          for q in 0..<6 { p[6 * i + q] = r[q] }
        }
        for i in 0..<36 { v[i * plane + j * c + ch] = p[i] }
      }
    }
  }

  static func wino4Output(m: UnsafePointer<Float>, plane: Int, h: Int, w: Int, k: Int, th: Int, tw: Int, tile0: Int,
                          count: Int, y: UnsafeMutablePointer<Float>, scale: [Float]?, shift: [Float]?, act: Activation) {
    for j in 0..<count {
      let (img, ty, tx) = locate(tile0 + j, th, tw)
      for kk in 0..<k {
        var p = (0..<36).map { m[$0 * plane + j * k + kk] }
        for col in 0..<6 {  // columns: Aᵀ·M
          let r = aMul((0..<6).map { p[6 * $0 + col] })
          for i in 0..<4 { p[6 * i + col] = r[i] }
        }
        for i in 0..<4 where 4 * ty + i < h {
          let r = aMul(Array(p[(6 * i)..<(6 * i + 6)]))
          for q in 0..<4 where 4 * tx + q < w {
            var e = r[q] * (scale?[kk] ?? 1) + (shift?[kk] ?? 0)
            if act != .none && e < 0 { e = 0 }
            if act == .relu6 && e > 6 { e = 6 }
            y[((img * h + 4 * ty + i) * w + 4 * tx + q) * k + kk] = e
          }
        }
      }
    }
  }

  static func wino4Kernel(w: UnsafePointer<Float>, c: Int, k: Int, u: UnsafeMutablePointer<Float>) {
    let ck = c * k
    for o in 0..<ck {
      func g(_ i: Int) -> Float { w[i * ck + o] }
      let cols = (0..<3).map { gMul(g($0), g(3 + $0), g(6 + $0)) }
      for i in 0..<6 {
        let r = gMul(cols[0][i], cols[1][i], cols[2][i])
        for q in 0..<6 { u[(6 * i + q) * ck + o] = r[q] }
      }
    }
  }

  // MARK: Batch norm

  static func activate(_ act: Activation, _ v: Float) -> Float {
    switch act {
    case .none: return v
    case .relu: return v > 0 ? v : 0
    case .relu6: let p = v > 0 ? v : 0; return p < 6 ? p : 6
    }
  }

  static func mask(_ act: Activation, _ y: Float) -> Float {
    switch act {
    case .none: return 1
    case .relu: return y > 0 ? 1 : 0
    case .relu6: return (y > 0 && y < 6) ? 1 : 0
    }
  }

  static func bnApply(_ act: Activation, x: [Float], residual: [Float]?, scale: [Float], shift: [Float], c: Int) -> [Float] {
    x.indices.map { i in
      let v = x[i] * scale[i % c] + shift[i % c]
      return activate(act, residual.map { v + $0[i] } ?? v)
    }
  }

  /// The blocked two-sum over rows `r0..<r1`: float sums over 64-row blocks, added in double.
  static func pairedSums(rows: Range<Int>, c: Int, _ term: (Int, Int) -> (Float, Float)) -> ([Double], [Double]) {
    var t1 = [Double](repeating: 0, count: c), t2 = t1
    var r = rows.lowerBound
    while r < rows.upperBound {
      let re = min(rows.upperBound, r + 64)
      var a1 = [Float](repeating: 0, count: c), a2 = a1
      for rr in r..<re {
        for i in 0..<c {
          let (d1, d2) = term(rr, i)
          a1[i] += d1; a2[i] += d2
        }
      }
      for i in 0..<c { t1[i] += Double(a1[i]); t2[i] += Double(a2[i]) }
      r = re
    }
    return (t1, t2)
  }

  static func bnMomentSums(x: [Float], rows: Range<Int>, c: Int) -> ([Double], [Double]) {
    pairedSums(rows: rows, c: c) { r, i in
      let d = x[r * c + i] - x[i]
      return (d, d * d)
    }
  }

  static func bnBackwardSums(_ act: Activation, dy: [Float], y: [Float], x: [Float], mean: [Float], rows: Range<Int>,
                             c: Int) -> ([Double], [Double]) {
    pairedSums(rows: rows, c: c) { r, i in
      let dz = dy[r * c + i] * mask(act, y[r * c + i])
      return (dz, dz * (x[r * c + i] - mean[i]))
    }
  }

  static func bnBackwardApply(_ act: Activation, dy: [Float], y: [Float], x: [Float], mean: [Float], a: [Float],
                              k: [Float], b: [Float], c: Int) -> (dx: [Float], dz: [Float]) {
    let dz = dy.indices.map { dy[$0] * mask(act, y[$0]) }
    let dx = dy.indices.map { a[$0 % c] * dz[$0] + k[$0 % c] * (x[$0] - mean[$0 % c]) + b[$0 % c] }
    return (dx, dz)
  }
}
