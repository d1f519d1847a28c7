/// Where a variable lives in the `ParameterStore`.
public struct Param: Hashable {
  /// Index into `ParameterStore.variables`.
  public let index: Int
  /// Offset into `values`/`gradients` (trainable) or `states` (non-trainable).
  public let offset: Int
  public let count: Int
  public let trainable: Bool
}

/// One named variable, as TensorFlow names and shapes it.
public struct Variable {
  /// TensorFlow's variable name, e.g. `FeatureExtractor/resnet_v1_50/conv1/weights`.
  public let name: String
  /// TensorFlow's shape (HWIO for kernels).
  public let shape: [Int]
  public let param: Param
  /// Carries the L2 term (conv kernels only).
  public let regularized: Bool
}

/// The flat parameter arena. Trainable variables are packed in creation order into one
/// contiguous `values` buffer with a matching `gradients` buffer, so the all-reduce and
/// the optimizer see one `[Float]` each; non-trainable state (batch-norm moving
/// statistics) lives in `states`. A class: the arena is large and must never be copied
/// by accident.
public final class ParameterStore {
  public private(set) var variables: [Variable] = []
  /// Any access that can write (assignment, `withUnsafeMutableBufferPointer`, `write`)
  /// bumps `valuesVersion`, so caches derived from the weights (inference's transformed
  /// kernels) know when they are stale. A `_modify` accessor, not `didSet`: an observed
  /// property is mutated through a copy (130 MB for SSD320), this yields the storage itself.
  public var values: [Float] {
    get { storedValues }
    set { storedValues = newValue; valuesVersion &+= 1 }
    _modify {
      valuesVersion &+= 1
      yield &storedValues
    }
  }
  private var storedValues: [Float] = []
  public var gradients: [Float] = []
  public var states: [Float] = []
  /// Changes whenever `values` may have changed.
  public private(set) var valuesVersion: UInt64 = 0
  private var byName: [String: Int] = [:]
  /// Records names, shapes and offsets only; no values are stored (for summaries).
  public let layoutOnly: Bool
  private var trainableTotal = 0, stateTotal = 0

  public init() { layoutOnly = false }

  /// A store that lays variables out without storing values (`values`/`states` stay empty).
  public init(layoutOnly: Bool) { self.layoutOnly = layoutOnly }

  /// Adds a variable filled by `initial` (called once per element, in row-major order).
  @discardableResult
  public func add(name: String, shape: [Int], trainable: Bool = true, regularized: Bool = false,
                  initial: (Int) -> Float) -> Param {
    precondition(byName[name] == nil, "variable \(name) defined twice")
    let n = shape.reduce(1, *)
    let p: Param
    if layoutOnly {
      p = Param(index: variables.count, offset: trainable ? trainableTotal : stateTotal, count: n, trainable: trainable)
      if trainable { trainableTotal += n } else { stateTotal += n }
    } else if trainable {
      p = Param(index: variables.count, offset: values.count, count: n, trainable: true)
      values.reserveCapacity(values.count + n)
      for i in 0..<n { values.append(initial(i)) }
      gradients.append(contentsOf: repeatElement(0, count: n))
      trainableTotal += n
    } else {
      p = Param(index: variables.count, offset: states.count, count: n, trainable: false)
      for i in 0..<n { states.append(initial(i)) }
      stateTotal += n
    }
    byName[name] = variables.count
    variables.append(Variable(name: name, shape: shape, param: p, regularized: regularized))
    return p
  }

  /// Adds a variable holding `data` (row-major, `shape.reduce(1, *)` values).
  @discardableResult
  public func add(name: String, shape: [Int], trainable: Bool = true, regularized: Bool = false,
                  values data: [Float]) -> Param {
    let n = shape.reduce(1, *)
    precondition(data.count == n || layoutOnly, "variable \(name) of shape \(shape) needs \(n) values, got \(data.count)")
    if layoutOnly || data.isEmpty { return add(name: name, shape: shape, trainable: trainable, regularized: regularized) { _ in 0 } }
    precondition(byName[name] == nil, "variable \(name) defined twice")
    let p: Param
    if trainable {
      p = Param(index: variables.count, offset: values.count, count: n, trainable: true)
      values.append(contentsOf: data)
      gradients.append(contentsOf: repeatElement(0, count: n))
      trainableTotal += n
    } else {
      p = Param(index: variables.count, offset: states.count, count: n, trainable: false)
      states.append(contentsOf: data)
      stateTotal += n
    }
    byName[name] = variables.count
    variables.append(Variable(name: name, shape: shape, param: p, regularized: regularized))
    return p
  }

  /// Adds a variable with every element equal to `value`.
  @discardableResult
  public func add(name: String, shape: [Int], trainable: Bool = true, regularized: Bool = false,
                  constant value: Float) -> Param {
    add(name: name, shape: shape, trainable: trainable, regularized: regularized) { _ in value }
  }

  public func variable(named name: String) -> Variable? { byName[name].map { variables[$0] } }

  public var trainableCount: Int { trainableTotal }
  public var totalCount: Int { trainableTotal + stateTotal }

  public func zeroGradients() {
    gradients.withUnsafeMutableBufferPointer { g in
      g.baseAddress!.update(repeating: 0, count: g.count)
    }
  }

  /// A copy of a variable's values.
  public func read(_ p: Param) -> [Float] {
    p.trainable ? Array(values[p.offset..<p.offset + p.count]) : Array(states[p.offset..<p.offset + p.count])
  }

  /// Overwrites a variable's values.
  public func write(_ p: Param, _ v: [Float]) {
    precondition(v.count == p.count, "write of \(v.count) values into a variable of \(p.count)")
    if p.trainable {
      values.replaceSubrange(p.offset..<p.offset + p.count, with: v)
    } else {
      states.replaceSubrange(p.offset..<p.offset + p.count, with: v)
    }
  }

  /// A copy of a trainable variable's gradient.
  public func readGradient(_ p: Param) -> [Float] {
    precondition(p.trainable, "non-trainable variables have no gradient")
    return Array(gradients[p.offset..<p.offset + p.count])
  }
}
