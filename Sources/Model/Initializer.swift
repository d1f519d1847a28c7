/// How a variable's values are drawn at creation (spec §3.7).
public enum Initializer: Equatable {
  /// TensorFlow's truncated_normal: normal(0, σ) redrawn while beyond 2σ.
  case truncatedNormal(stddev: Float)
  /// normal(0, σ).
  case normal(stddev: Float)
  /// Every element equal to the value (0 for biases and β, 1 for γ and variance).
  case constant(Float)

  /// Draws `count` values in order from `rng` (constants draw nothing).
  public func values(_ count: Int, rng: inout SplitMix64) -> [Float] {
    switch self {
    case .constant(let v):
      return [Float](repeating: v, count: count)
    case .normal(let sd):
      var out = [Float](repeating: 0, count: count)
      for i in 0..<count { out[i] = Float(rng.nextNormal()) * sd }
      return out
    case .truncatedNormal(let sd):
      var out = [Float](repeating: 0, count: count)
      for i in 0..<count {
        var z = rng.nextNormal()
        while abs(z) > 2 { z = rng.nextNormal() }
        out[i] = Float(z) * sd
      }
      return out
    }
  }
}

extension ParameterStore {
  /// Adds a variable drawn from `initializer`.
  @discardableResult
  public func add(name: String, shape: [Int], trainable: Bool = true, regularized: Bool = false,
                  initializer: Initializer, rng: inout SplitMix64) -> Param {
    if layoutOnly { return add(name: name, shape: shape, trainable: trainable, regularized: regularized) { _ in 0 } }
    return add(name: name, shape: shape, trainable: trainable, regularized: regularized,
               values: initializer.values(shape.reduce(1, *), rng: &rng))
  }
}
