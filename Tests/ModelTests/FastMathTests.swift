import Foundation
import Testing
@testable import Model

@Suite struct FastMathTests {
  /// exp on [−87, 0] within 4 ulps (relative 5e−7) of the C library's expf.
  @Test func expMatchesLibm() {
    var worst: Float = 0
    var x: Float = -87
    while x <= 0 {
      var v = FastMath.Vector()
      for i in 0..<8 { v[i] = min(0, x + Float(i) * 0.0013) }
      let e = FastMath.expNonPositive(v)
      for i in 0..<8 {
        let ref = Foundation.exp(v[i])
        worst = max(worst, abs(e[i] - ref) / ref)
      }
      x += 0.0107
    }
    #expect(worst < 5e-7, "worst relative error \(worst)")
    // Clamp: far below −87 gives exp(−87), never 0 or garbage.
    let c = FastMath.expNonPositive(FastMath.Vector(repeating: -1000))
    #expect(abs(c[0] - Foundation.exp(Float(-87))) <= 5e-7 * Foundation.exp(Float(-87)))
    #expect(FastMath.expNonPositive(FastMath.Vector(repeating: 0))[3] == 1)
  }

  /// log1p on [0, 1] within relative 5e−7 of the C library's log1pf, exact 0 at 0.
  @Test func log1pMatchesLibm() {
    var worst: Float = 0
    var e: Float = 1e-30
    while e <= 1 {
      let v = FastMath.Vector((0..<8).map { min(1, e * (1 + Float($0) * 0.01)) })
      let l = FastMath.log1pUnit(v)
      for i in 0..<8 {
        let ref = Foundation.log1p(v[i])
        worst = max(worst, abs(l[i] - ref) / ref)
      }
      e *= 1.07
    }
    #expect(worst < 5e-7, "worst relative error \(worst)")
    #expect(FastMath.log1pUnit(FastMath.Vector(repeating: 0))[0] == 0)
  }
}
