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
      return (0..<count).map { _ in Float(rng.nextNormal()) * sd }
    case .truncatedNormal(let sd):
      return (0..<count).map { _ in
        var z = rng.nextNormal()
        while abs(z) > 2 { z = rng.nextNormal() }
        return Float(z) * sd
      }
    }
  }
}

extension ParameterStore {
  /// Adds a variable drawn from `initializer`.
  @discardableResult
  public func add(name: String, shape: [Int], trainable: Bool = true, regularized: Bool = false,
                  initializer: Initializer, rng: inout SplitMix64) -> Param {
    if layoutOnly { return add(name: name, shape: shape, trainable: trainable, regularized: regularized) { _ in 0 } }
    let v = initializer.values(shape.reduce(1, *), rng: &rng)
    return add(name: name, shape: shape, trainable: trainable, regularized: regularized) { v[$0] }
  }
}
