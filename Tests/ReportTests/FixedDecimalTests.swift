import Foundation
import Testing
@testable import Report

/// `FixedDecimal` (the plots' and tables' number formatting) writes exactly what
/// `String(format: "%.Nf")`, the path it replaced, writes: halfway cases (0.25, 0.35 whose
/// binary value is below the half), signs, huge values past its buffer, NaN and infinities.
struct FixedDecimalTests {
  @Test func matchesStringFormatOnEdgeCases() {
    let edges: [Double] = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 2.5, 3.5, -2.5, -0.05, 0.95, 9.95, 99.95,
                           1e-300, -1e-7, 123456.789, 1e15 + 0.25, 1e21, -1e27, 9.999999e27, 1e28, 1e300,
                           .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                           .nan, .infinity, -.infinity, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 640, 63.99999]
    for v in edges {
      for d in 0...10 {
        #expect(FixedDecimal.string(v, decimals: d) == String(format: "%.\(d)f", v), "\(v) with \(d) decimals")
      }
    }
    #expect(FixedDecimal.string(1.25, decimals: -3) == "1")
    #expect(FixedDecimal.string(1.25, decimals: 42) == String(format: "%.10f", 1.25))
  }

  @Test func matchesStringFormatOnRandomValues() {
    var g = SystemRandomNumberGenerator()
    for i in 0..<20_000 {
      // Pixel-like coordinates, values of any magnitude, and exact multiples of 0.05.
      let v: Double
      switch i % 3 {
      case 0: v = Double.random(in: -100...800, using: &g)
      case 1: v = Double(sign: Bool.random(using: &g) ? .minus : .plus, exponent: Int.random(in: -40...100, using: &g),
                         significand: Double.random(in: 1..<2, using: &g))
      default: v = Double(Int.random(in: -20_000...20_000, using: &g)) * 0.05
      }
      let d = i % 11
      #expect(FixedDecimal.string(v, decimals: d) == String(format: "%.\(d)f", v), "\(v) with \(d) decimals")
    }
  }
}
