import Testing
@testable import Model

/// The C kernels (`Kernels`) against the Swift loops they replaced (`ReferenceKernels`),
/// bit for bit, in every variant this CPU can run (portable, AVX2, and AVX-512 where
/// present): map sizes 1×1 to 20×20 (cropped edge tiles), channel counts off every vector
/// width, tile ranges that start mid-map. The two transforms with no Swift predecessor
/// (F(4×4)'s output and kernel gradients) are checked as the adjoints of the forward
/// transforms, and the variants against each other.
struct KernelsTests {
  static let maps = [(1, 1), (2, 3), (3, 3), (5, 7), (9, 6), (13, 13), (20, 20)]
  static let channels = [(1, 3), (5, 11), (13, 8), (17, 37)]

  /// Every runnable variant, so a failure names the one that broke.
  static var variants: [Kernels.ISA] { Kernels.runnable }

  /// Bit patterns, so −0 and +0 count as different.
  func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }
  func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

  func random(_ n: Int, _ rng: inout SplitMix64, in range: ClosedRange<Float> = -1...1) -> [Float] {
    (0..<n).map { _ in rng.nextFloat(in: range) }
  }

  @Test func variantChoiceFollowsTheCPU() {
    #expect(Kernels.runnable.first == .portable)
    #expect(Kernels.runnable.last == Kernels.supported)
    #expect(Kernels.runnable.contains(Kernels.isa))
    for isa in Kernels.runnable { #expect(Kernels.with(isa) { Kernels.isa } == isa) }
  }

  @Test(arguments: maps)
  func winogradInputAndOutputTransformsMatchReference(h: Int, w: Int) {
    var rng = SplitMix64(seed: UInt64(h * 31 + w))
    for (c, k) in Self.channels {
      let n = 2
      for tile in [2, 4] {
        let th = (h + tile - 1) / tile, tw = (w + tile - 1) / tile, tiles = n * th * tw, planes = tile == 2 ? 16 : 36
        let x = random(n * h * w * c, &rng)
        // Tiles from the second one on, so a range starting mid-map is covered.
        let tile0 = min(1, tiles - 1), count = tiles - tile0, plane = count * c
        var ref = [Float](repeating: 0, count: planes * plane)
        x.withUnsafeBufferPointer { xb in
          ref.withUnsafeMutableBufferPointer { vb in
            if tile == 2 {
              ReferenceKernels.wino2Input(x: xb.baseAddress!, h: h, w: w, c: c, th: th, tw: tw, tile0: tile0, count: count,
                                          v: vb.baseAddress!, plane: plane)
            } else {
              ReferenceKernels.wino4Input(x: xb.baseAddress!, h: h, w: w, c: c, th: th, tw: tw, tile0: tile0, count: count,
                                          v: vb.baseAddress!, plane: plane)
            }
          }
        }
        let m = random(planes * count * k, &rng)
        let scale = random(k, &rng, in: 0.5...2), shift = random(k, &rng)
        for isa in Self.variants {
          Kernels.with(isa) {
            var v = [Float](repeating: .nan, count: planes * plane)
            let transforms = tile == 2 ? Kernels.winograd2 : Kernels.winograd4
            x.withUnsafeBufferPointer { xb in
              v.withUnsafeMutableBufferPointer { vb in
                transforms.input(xb.baseAddress!, h, w, c, th, tw, tile0, count, vb.baseAddress!, plane)
              }
            }
            #expect(bits(v) == bits(ref), "\(isa.name) F(\(tile)x\(tile)) input \(h)x\(w) c \(c)")
            // Output transforms (F(4×4) with each epilogue).
            let epilogues: [([Float]?, [Float]?, Activation)] = tile == 2 ? [(nil, nil, .none)]
              : [(nil, nil, .none), (scale, shift, .relu6), (nil, shift, .relu)]
            for (sc, sh, act) in epilogues {
              var y = [Float](repeating: 7, count: n * h * w * k), yRef = y
              m.withUnsafeBufferPointer { mb in
                y.withUnsafeMutableBufferPointer { yb in
                  if tile == 2 {
                    Kernels.winograd2Output(m: mb.baseAddress!, plane: count * k, h: h, w: w, k: k, tileRows: th, tileCols: tw,
                                            tile0: tile0, count: count, y: yb.baseAddress!)
                  } else {
                    (sc ?? []).withUnsafeBufferPointer { s in
                      (sh ?? []).withUnsafeBufferPointer { b in
                        Kernels.winograd4Output(m: mb.baseAddress!, plane: count * k, h: h, w: w, k: k, tileRows: th,
                                                tileCols: tw, tile0: tile0, count: count, y: yb.baseAddress!,
                                                scale: sc == nil ? nil : s.baseAddress, shift: sh == nil ? nil : b.baseAddress,
                                                activation: act)
                      }
                    }
                  }
                }
                yRef.withUnsafeMutableBufferPointer { yb in
                  if tile == 2 {
                    ReferenceKernels.wino2Output(m: mb.baseAddress!, plane: count * k, h: h, w: w, k: k, th: th, tw: tw,
                                                 tile0: tile0, count: count, y: yb.baseAddress!)
                  } else {
                    ReferenceKernels.wino4Output(m: mb.baseAddress!, plane: count * k, h: h, w: w, k: k, th: th, tw: tw,
                                                 tile0: tile0, count: count, y: yb.baseAddress!, scale: sc, shift: sh, act: act)
                  }
                }
              }
              #expect(bits(y) == bits(yRef), "\(isa.name) F(\(tile)x\(tile)) output \(h)x\(w) k \(k) \(act)")
            }
          }
        }
      }
    }
  }

  @Test(arguments: maps)
  func winogradOutputGradientTransformsAreAdjointsOfTheOutputTransforms(h: Int, w: Int) {
    var rng = SplitMix64(seed: UInt64(h * 17 + w))
    let n = 2
    for (_, k) in Self.channels {
      for tile in [2, 4] {
        let th = (h + tile - 1) / tile, tw = (w + tile - 1) / tile, count = n * th * tw, planes = tile == 2 ? 16 : 36
        let plane = count * k
        let m = random(planes * plane, &rng), dy = random(n * h * w * k, &rng)
        var y = [Float](repeating: 0, count: n * h * w * k)
        m.withUnsafeBufferPointer { mb in
          y.withUnsafeMutableBufferPointer { yb in
            Kernels.with(.portable) {
              if tile == 2 {
                Kernels.winograd2Output(m: mb.baseAddress!, plane: plane, h: h, w: w, k: k, tileRows: th, tileCols: tw,
                                        tile0: 0, count: count, y: yb.baseAddress!)
              } else {
                Kernels.winograd4Output(m: mb.baseAddress!, plane: plane, h: h, w: w, k: k, tileRows: th, tileCols: tw,
                                        tile0: 0, count: count, y: yb.baseAddress!, scale: nil, shift: nil, activation: .none)
              }
            }
          }
        }
        var results: [[Float]] = []
        for isa in Self.variants {
          var dm = [Float](repeating: .nan, count: planes * plane)
          Kernels.with(isa) {
            dy.withUnsafeBufferPointer { d in
              dm.withUnsafeMutableBufferPointer { o in
                (tile == 2 ? Kernels.winograd2 : Kernels.winograd4).outputGradient(d.baseAddress!, h, w, k, th, tw, 0, count,
                                                                                  o.baseAddress!, plane)
              }
            }
          }
          results.append(dm)
        }
        if tile == 2 {
          var ref = [Float](repeating: 0, count: planes * plane)
          dy.withUnsafeBufferPointer { d in
            ref.withUnsafeMutableBufferPointer { o in
              ReferenceKernels.wino2OutputGradient(dy: d.baseAddress!, h: h, w: w, k: k, th: th, tw: tw, tile0: 0,
                                                   count: count, dm: o.baseAddress!, plane: plane)
            }
          }
          #expect(bits(results[0]) == bits(ref), "F(2x2) output gradient \(h)x\(w) k \(k)")
        }
        // ⟨Aᵀ M A, dy⟩ = ⟨M, A dy Aᵀ⟩ (cropped outputs get zero gradient).
        let lhs = zip(y, dy).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(m, results[0]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let size = zip(m, results[0]).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        #expect(abs(lhs - rhs) <= 1e-5 * size, "F(\(tile)x\(tile)) adjoint \(h)x\(w) k \(k): \(lhs) vs \(rhs)")
        for (isa, r) in zip(Self.variants, results) { #expect(bits(r) == bits(results[0]), "\(isa.name) output gradient") }
      }
    }
  }

  @Test func winogradKernelTransformsMatchReferenceAndTheirAdjoints() {
    var rng = SplitMix64(seed: 3)
    for (c, k) in Self.channels {
      let w = random(9 * c * k, &rng)
      for tile in [2, 4] {
        let planes = tile == 2 ? 16 : 36
        var ref = [Float](repeating: 0, count: planes * c * k)
        w.withUnsafeBufferPointer { wb in
          ref.withUnsafeMutableBufferPointer { u in
            if tile == 2 {
              ReferenceKernels.wino2Kernel(w: wb.baseAddress!, c: c, k: k, u: u.baseAddress!)
            } else {
              ReferenceKernels.wino4Kernel(w: wb.baseAddress!, c: c, k: k, u: u.baseAddress!)
            }
          }
        }
        let du = random(planes * c * k, &rng), dw0 = random(9 * c * k, &rng)
        var gradients: [[Float]] = []
        for isa in Self.variants {
          Kernels.with(isa) {
            let transforms = tile == 2 ? Kernels.winograd2 : Kernels.winograd4
            var u = [Float](repeating: .nan, count: planes * c * k)
            var dw = dw0
            w.withUnsafeBufferPointer { wb in
              u.withUnsafeMutableBufferPointer { transforms.kernel(wb.baseAddress!, c, k, 0, c, $0.baseAddress!) }
            }
            #expect(bits(u) == bits(ref), "\(isa.name) F(\(tile)x\(tile)) kernel c \(c) k \(k)")
            // In two channel ranges, as threads split it.
            du.withUnsafeBufferPointer { d in
              dw.withUnsafeMutableBufferPointer { o in
                transforms.kernelGradient(d.baseAddress!, c, k, 0, c / 2, o.baseAddress!)
                transforms.kernelGradient(d.baseAddress!, c, k, c / 2, c, o.baseAddress!)
              }
            }
            gradients.append(dw)
          }
        }
        if tile == 2 {
          var dwRef = dw0
          du.withUnsafeBufferPointer { d in
            dwRef.withUnsafeMutableBufferPointer { ReferenceKernels.wino2KernelGradient(du: d.baseAddress!, c: c, k: k, dw: $0.baseAddress!) }
          }
          #expect(bits(gradients[0]) == bits(dwRef), "F(2x2) kernel gradient c \(c) k \(k)")
        }
        // ⟨G g Gᵀ, dU⟩ = ⟨g, Gᵀ dU G⟩.
        let lhs = zip(ref, du).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let added = zip(gradients[0], dw0).map { Double($0) - Double($1) }
        let rhs = zip(w, added).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        let size = zip(ref, du).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        #expect(abs(lhs - rhs) <= 1e-5 * size, "F(\(tile)x\(tile)) kernel adjoint c \(c) k \(k)")
        for (isa, g) in zip(Self.variants, gradients) { #expect(bits(g) == bits(gradients[0]), "\(isa.name) kernel gradient") }
      }
    }
  }

  @Test(arguments: [Activation.none, .relu, .relu6])
  func batchNormLoopsMatchReference(act: Activation) {
    var rng = SplitMix64(seed: 11)
    for c in [1, 3, 8, 13, 37] {
      for rows in [1, 5, 64, 150] {
        // Values across both kinks (0 and 6), and a few exact zeros and sixes.
        var x = random(rows * c, &rng, in: -4...9)
        for i in stride(from: 0, to: x.count, by: 7) { x[i] = i % 2 == 0 ? 0 : 6 }
        let res = random(rows * c, &rng), dy = random(rows * c, &rng)
        let scale = random(c, &rng, in: 0.5...2), shift = random(c, &rng)
        let mean = random(c, &rng), a = random(c, &rng), k = random(c, &rng), b = random(c, &rng)
        let y = ReferenceKernels.bnApply(act, x: x, residual: nil, scale: scale, shift: shift, c: c)
        let yRes = ReferenceKernels.bnApply(act, x: x, residual: res, scale: scale, shift: shift, c: c)
        let r0 = rows / 3  // a row range that does not start at 0
        let moments = ReferenceKernels.bnMomentSums(x: x, rows: r0..<rows, c: c)
        let sums = ReferenceKernels.bnBackwardSums(act, dy: dy, y: y, x: x, mean: mean, rows: r0..<rows, c: c)
        let back = ReferenceKernels.bnBackwardApply(act, dy: dy, y: y, x: x, mean: mean, a: a, k: k, b: b, c: c)
        for isa in Self.variants {
          Kernels.with(isa) {
            var out = [Float](repeating: .nan, count: rows * c), outRes = out, dx = out, dz = out
            var t1 = [Double](repeating: 0, count: c), t2 = t1, s1 = t1, s2 = t1
            var acc = [Float](repeating: 0, count: 2 * c)
            x.withUnsafeBufferPointer { xb in
              let xp = xb.baseAddress!
              scale.withUnsafeBufferPointer { s in
                shift.withUnsafeBufferPointer { sh in
                  out.withUnsafeMutableBufferPointer {
                    Kernels.batchNormApply(act, x: xp, residual: nil, out: $0.baseAddress!, scale: s.baseAddress!,
                                           shift: sh.baseAddress!, rows: 0..<rows, channels: c)
                  }
                  res.withUnsafeBufferPointer { rb in
                    outRes.withUnsafeMutableBufferPointer {
                      Kernels.batchNormApply(act, x: xp, residual: rb.baseAddress!, out: $0.baseAddress!, scale: s.baseAddress!,
                                             shift: sh.baseAddress!, rows: 0..<rows, channels: c)
                    }
                  }
                }
              }
              t1.withUnsafeMutableBufferPointer { p1 in
                t2.withUnsafeMutableBufferPointer { p2 in
                  acc.withUnsafeMutableBufferPointer {
                    Kernels.batchNormMomentSums(x: xp, pivot: xp, rows: r0..<rows, channels: c, t1: p1.baseAddress!,
                                                t2: p2.baseAddress!, acc: $0.baseAddress!)
                  }
                }
              }
              y.withUnsafeBufferPointer { yb in
                dy.withUnsafeBufferPointer { d in
                  mean.withUnsafeBufferPointer { m in
                    s1.withUnsafeMutableBufferPointer { p1 in
                      s2.withUnsafeMutableBufferPointer { p2 in
                        acc.withUnsafeMutableBufferPointer {
                          Kernels.batchNormBackwardSums(act, dy: d.baseAddress!, y: yb.baseAddress!, x: xp, mean: m.baseAddress!,
                                                        rows: r0..<rows, channels: c, t1: p1.baseAddress!, t2: p2.baseAddress!,
                                                        acc: $0.baseAddress!)
                        }
                      }
                    }
                    a.withUnsafeBufferPointer { ab in
                      k.withUnsafeBufferPointer { kb in
                        b.withUnsafeBufferPointer { bb in
                          dx.withUnsafeMutableBufferPointer { o in
                            dz.withUnsafeMutableBufferPointer { z in
                              Kernels.batchNormBackwardApply(act, dy: d.baseAddress!, y: yb.baseAddress!, x: xp,
                                                             mean: m.baseAddress!, a: ab.baseAddress!, k: kb.baseAddress!,
                                                             b: bb.baseAddress!, dx: o.baseAddress!, dz: z.baseAddress!,
                                                             rows: 0..<rows, channels: c)
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
            let label = "\(isa.name) \(act) c \(c) rows \(rows)"
            #expect(bits(out) == bits(y), "apply \(label)")
            #expect(bits(outRes) == bits(yRes), "apply with residual \(label)")
            #expect(bits(t1) == bits(moments.0) && bits(t2) == bits(moments.1), "moments \(label)")
            #expect(bits(s1) == bits(sums.0) && bits(s2) == bits(sums.1), "backward sums \(label)")
            #expect(bits(dx) == bits(back.dx) && bits(dz) == bits(back.dz), "backward apply \(label)")
          }
        }
      }
    }
  }
}
