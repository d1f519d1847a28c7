import Testing
@testable import Model

@Suite struct BoxIoUTests {
  func iou(_ a: [Float], _ b: [Float]) -> Float { BoxIoU.matrix(a, b)[0] }

  @Test func handWorkedOverlap() {
    // inter 0.25, union 1 + 1 − 0.25 = 1.75 → 1/7.
    #expect(iou([0, 0, 1, 1], [0.5, 0.5, 1.5, 1.5]) == Float(0.25) / Float(1.75))
    #expect(iou([0, 0, 1, 1], [0, 0, 1, 1]) == 1)
    // Contained: inter 0.25, union 1.
    #expect(iou([0, 0, 1, 1], [0.25, 0.25, 0.75, 0.75]) == 0.25)
  }

  @Test func disjointTouchingAndZeroAreaAreExactlyZero() {
    #expect(iou([0, 0, 1, 1], [2, 2, 3, 3]) == 0)
    #expect(iou([0, 0, 1, 1], [1, 0, 2, 1]) == 0)        // shared edge
    #expect(iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0)        // padding vs padding: 0, not NaN
    #expect(iou([0, 0, 0, 0], [-0.5, -0.5, 0.5, 0.5]) == 0)
    #expect(iou([0.2, 0.2, 0.2, 0.8], [0, 0, 1, 1]) == 0) // zero height inside
  }

  /// The vectorizable row kernel gives the same bits as the scalar formula.
  @Test func rowKernelMatchesScalar() {
    var rng = SplitMix64(seed: 3)
    var boxes: [Float] = []
    for k in 0..<500 {
      let y = rng.nextFloat(in: -0.3...1), x = rng.nextFloat(in: -0.3...1)
      let h = k % 50 == 0 ? 0 : rng.nextFloat(in: 0...0.7), w = rng.nextFloat(in: 0...0.7)
      boxes += [y, x, y + h, x + w]
    }
    let full = BoxIoU.matrix(Array(boxes[0..<40]), boxes)
    var out = [Float](repeating: -1, count: 500)
    boxes.withUnsafeBufferPointer { b in
      for i in 0..<10 {
        out.withUnsafeMutableBufferPointer { o in
          BoxIoU.row(box: b.baseAddress! + 4 * i, against: b.baseAddress!, count: 500, into: o.baseAddress!)
        }
        for j in 0..<500 { #expect(out[j] == full[i * 500 + j], "row \(i) column \(j)") }
      }
    }
  }
}
