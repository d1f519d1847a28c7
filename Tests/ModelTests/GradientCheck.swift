import Testing
@testable import Model

/// Central finite differences of L = Σ y·r (Double sum) against analytic gradients.
///
/// `forward(inputs)` runs the layer; `backward(dOutput)` runs its backward after a forward
/// and returns dL/d(inputs) in order (nil for inputs not differentiated). Parameter
/// gradients are read from `params.gradients` after a zeroed run. For each input and each
/// listed parameter, `samples` coordinates are checked: |fd − analytic| ≤
/// tolerance·max(1, |fd|, |analytic|).
struct GradientCheck {
  var epsilon: Float = 1e-2
  var tolerance: Double = 1e-2
  var samples = 20

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

    for (k, x) in inputs.enumerated() {
      guard k < dIn.count, let dx = dIn[k] else { continue }
      #expect(dx.shape == x.shape, "input \(k) gradient shape", sourceLocation: sourceLocation)
      for _ in 0..<samples {
        let i = Int(rng.next() % UInt64(x.count))
        let orig = inputs[k].data[i]
        inputs[k].data[i] = orig + epsilon
        let lp = loss(forward(inputs))
        inputs[k].data[i] = orig - epsilon
        let lm = loss(forward(inputs))
        inputs[k].data[i] = orig
        let fd = (lp - lm) / (2 * Double(epsilon))
        let an = Double(dx.data[i])
        #expect(abs(fd - an) <= tolerance * max(1, abs(fd), abs(an)),
                "input \(k)[\(i)]: finite difference \(fd) vs analytic \(an)", sourceLocation: sourceLocation)
      }
    }
    for p in checking {
      precondition(p.trainable)
      for _ in 0..<min(samples, p.count * 2) {
        let i = p.offset + Int(rng.next() % UInt64(p.count))
        let orig = params.values[i]
        params.values[i] = orig + epsilon
        let lp = loss(forward(inputs))
        params.values[i] = orig - epsilon
        let lm = loss(forward(inputs))
        params.values[i] = orig
        let fd = (lp - lm) / (2 * Double(epsilon))
        let an = Double(dParams[i])
        #expect(abs(fd - an) <= tolerance * max(1, abs(fd), abs(an)),
                "\(params.variables[p.index].name)[\(i - p.offset)]: finite difference \(fd) vs analytic \(an)",
                sourceLocation: sourceLocation)
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
