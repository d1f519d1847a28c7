import Testing
@testable import Model

/// Central finite differences of L = Σ y·r (Double sum) against analytic gradients.
///
/// `forward(inputs)` runs the layer; `backward(dOutput)` runs its backward after a forward
/// and returns dL/d(inputs) in order (nil for inputs not differentiated). Parameter
/// gradients are read from `params.gradients` after a zeroed run. For each input and each
/// listed parameter, `samples` coordinates are checked: |fd − analytic| ≤
/// tolerance·max(floor, |fd|, |analytic|).
///
/// Networks with ReLUs are only piecewise smooth: a perturbation that moves some unit across
/// a kink makes the difference quotient wrong, not the gradient. Such coordinates are
/// detected (the quotients at ε and ε/2 disagree by more than the tolerance) and skipped;
/// at most `maxSkippedFraction` of a variable's samples may be skipped.
struct GradientCheck {
  var epsilon: Float = 1e-2
  var tolerance: Double = 1e-2
  var samples = 20
  var floor: Double = 1
  var maxSkippedFraction = 0.3

  func run(inputs: [Tensor], params: ParameterStore, checking: [Param],
           rng: inout SplitMix64,
           forward: ([Tensor]) -> Tensor,
           backward: (Tensor) -> [Tensor?],
           sourceLocation: SourceLocation = #_sourceLocation) {
    var inputs = inputs
    let y0 = forward(inputs)
    let r = Tensor.random(y0.shape, rng: &rng)
    func loss(_ y: Tensor) -> Double {
      var s = 0.0
      for i in 0..<y.count { s += Double(y.data[i]) * Double(r.data[i]) }
      return s
    }
    params.zeroGradients()
    _ = forward(inputs)
    let dIn = backward(r)
    let dParams = params.gradients

    /// Central differences at ε and ε/2 of `set(value)`.
    func quotients(_ orig: Float, _ set: (Float) -> Void) -> (Double, Double) {
      var q: [Double] = []
      for e in [epsilon, epsilon / 2] {
        set(orig + e)
        let lp = loss(forward(inputs))
        set(orig - e)
        let lm = loss(forward(inputs))
        q.append((lp - lm) / (2 * Double(e)))
      }
      set(orig)
      return (q[0], q[1])
    }
    func compare(_ label: String, _ count: Int, _ sample: (Int) -> (fd: (Double, Double), an: Double)) {
      var skipped = 0
      let n = min(samples, count * 2)
      for _ in 0..<n {
        let i = Int(rng.next() % UInt64(count))
        let ((fd, fdHalf), an) = sample(i)
        if abs(fd - fdHalf) > tolerance * max(floor, abs(fd)) { skipped += 1; continue }
        #expect(abs(fdHalf - an) <= tolerance * max(floor, abs(fdHalf), abs(an)),
                "\(label)[\(i)]: finite difference \(fdHalf) vs analytic \(an)", sourceLocation: sourceLocation)
      }
      #expect(Double(skipped) <= maxSkippedFraction * Double(n),
              "\(label): \(skipped) of \(n) samples not smooth at ε = \(epsilon)", sourceLocation: sourceLocation)
    }

    for (k, x) in inputs.enumerated() {
      guard k < dIn.count, let dx = dIn[k] else { continue }
      #expect(dx.shape == x.shape, "input \(k) gradient shape", sourceLocation: sourceLocation)
      compare("input \(k)", x.count) { i in
        (quotients(inputs[k].data[i]) { inputs[k].data[i] = $0 }, Double(dx.data[i]))
      }
    }
    for p in checking {
      precondition(p.trainable)
      compare(params.variables[p.index].name, p.count) { j in
        let i = p.offset + j
        return (quotients(params.values[i]) { params.values[i] = $0 }, Double(dParams[i]))
      }
    }
  }
}

/// max |a − b| over all elements.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
  precondition(a.count == b.count, "lengths \(a.count) vs \(b.count)")
  var m: Float = 0
  for i in 0..<a.count { m = max(m, abs(a[i] - b[i])) }
  return m
}
