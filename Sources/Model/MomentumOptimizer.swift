/// `tf.train.MomentumOptimizer(lr, momentum: 0.9)` without Nesterov, over one contiguous
/// range of the flat parameter arena (so each rank can own a shard):
/// ```
/// a ← momentum·a + g        (a starts at 0; TensorFlow's `Momentum` slot)
/// θ ← θ − lr·a
/// ```
/// Gradients are used as given (the all-reduce averages them before).
/// Worked example (lr 0.1, g = 1 twice): a = 1, θ −= 0.1; a = 1.9, θ −= 0.19.
///
/// With a `TrainableMask` (`freeze_variables` / `update_trainable_variables`) only the trained
/// elements are touched: a frozen variable keeps its value and its accumulator (zero unless a
/// checkpoint restored one), as TensorFlow's `apply_gradients` over the filtered variable list
/// neither updates it nor creates its slot.
public final class MomentumOptimizer {
  /// Indices into `ParameterStore.values`/`gradients` this optimizer updates.
  public let range: Range<Int>
  public let momentum: Float
  /// The accumulator for `range` (`[range.count]`); checkpoints save it as `<var>/Momentum`.
  public var accumulator: [Float]
  /// The parts of `range` that train (all of it unless `mask` says otherwise).
  public private(set) var updateRanges: [Range<Int>]
  /// The trainable mask in force; nil: everything trains.
  public var mask: TrainableMask? {
    didSet { updateRanges = mask.map { $0.trained(in: range) } ?? [range] }
  }

  public init(range: Range<Int>, momentum: Float = 0.9, mask: TrainableMask? = nil) {
    precondition(range.lowerBound >= 0, "MomentumOptimizer: negative range \(range)")
    self.range = range
    self.momentum = momentum
    self.accumulator = [Float](repeating: 0, count: range.count)
    self.mask = mask
    self.updateRanges = mask.map { $0.trained(in: range) } ?? [range]
  }

  /// The accumulator (TensorFlow slot `<name>/Momentum`) of one trainable variable, or nil
  /// if the variable lies outside this optimizer's range. A variable straddling the range
  /// boundary is a caller error.
  public func slot(for p: Param) -> [Float]? {
    guard let r = localRange(p) else { return nil }
    return Array(accumulator[r])
  }

  /// Overwrites one variable's accumulator (checkpoint restore). Returns false if the
  /// variable lies outside this optimizer's range.
  @discardableResult
  public func setSlot(_ values: [Float], for p: Param) -> Bool {
    guard let r = localRange(p) else { return false }
    precondition(values.count == p.count, "MomentumOptimizer: slot of \(p.count) values given \(values.count)")
    accumulator.replaceSubrange(r, with: values)
    return true
  }

  private func localRange(_ p: Param) -> Range<Int>? {
    precondition(p.trainable, "MomentumOptimizer: non-trainable variables have no Momentum slot")
    let lo = p.offset, hi = p.offset + p.count
    if hi <= range.lowerBound || lo >= range.upperBound { return nil }
    precondition(lo >= range.lowerBound && hi <= range.upperBound,
                 "MomentumOptimizer: variable at \(lo)..<\(hi) straddles the optimizer range \(range)")
    return (lo - range.lowerBound)..<(hi - range.lowerBound)
  }

  /// One update of `values[range]` from `gradients[range]` (both full-arena buffers).
  /// `gradientScale` (gradient clipping's factor) multiplies each gradient first, exactly as
  /// scaling the gradients before the update would: a ← m·a + (s·g).
  public func step(values: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>,
                   learningRate lr: Float, gradientScale: Float? = nil) {
    precondition(range.upperBound <= values.count && range.upperBound <= gradients.count,
                 "MomentumOptimizer: range \(range) exceeds the arena (\(values.count) values, \(gradients.count) gradients)")
    if range.isEmpty { return }
    let m = momentum
    let lo = range.lowerBound
    accumulator.withUnsafeMutableBufferPointer { acc in
      for r in updateRanges {
        let v = values.baseAddress! + r.lowerBound, g = gradients.baseAddress! + r.lowerBound
        let a = acc.baseAddress! + (r.lowerBound - lo)
        if let s = gradientScale {
          for i in 0..<r.count {
            let gi = g[i] * s
            let ai = a[i] * m + gi
            a[i] = ai
            v[i] -= ai * lr
          }
        } else {
          for i in 0..<r.count {
            let ai = a[i] * m + g[i]
            a[i] = ai
            v[i] -= ai * lr
          }
        }
      }
    }
  }

  /// One update of `params.values[range]` from `params.gradients[range]`.
  public func step(_ params: ParameterStore, learningRate: Float, gradientScale: Float? = nil) {
    params.gradients.withUnsafeBufferPointer { g in
      params.values.withUnsafeMutableBufferPointer { v in
        step(values: v, gradients: g, learningRate: learningRate, gradientScale: gradientScale)
      }
    }
  }
}
