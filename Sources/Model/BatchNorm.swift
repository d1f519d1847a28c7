/// Batch normalization over N·H·W per channel of an NHWC tensor, with an optional fused
/// residual add and activation: `y = act(γ·(x − μ)/sqrt(σ² + ε) + β (+ residual))`.
///
/// Variables (`<scope>/gamma`, `beta`, `moving_mean`, `moving_variance`, each [C]; the
/// scope is `…/BatchNorm` or `…/BatchNorm/feature_f`). Training mode normalizes with the
/// batch mean and *biased* variance and moves the statistics TensorFlow's way,
/// `m −= (m − μ)·(1 − decay)`, `v −= (v − σ²·n/(n−1))·(1 − decay)`; inference mode uses the
/// moving statistics. Forward saves x, y (shared references: the next layer holds y anyway;
/// without an activation y is not needed and not kept) and per-channel μ, 1/sqrt(σ² + ε);
/// backward adds dγ, dβ and returns dx (and, with a residual, d(residual) = the gradient
/// after the activation).
public final class BatchNorm {
  public let channels: Int
  public let epsilon: Float
  public let decay: Float
  public let activation: Activation
  public let gamma: Param, beta: Param, movingMean: Param, movingVariance: Param
  /// Batch statistics (true) or moving statistics (false).
  public var training = true
  /// Forward keeps x and y for backward (false: inference-only runs hold nothing).
  public var keepsActivations = true

  private var input: Tensor?
  private var output: Tensor?
  private var mean: [Float] = []
  private var invStd: [Float] = []
  /// The per-channel map forward applied, y = act(x·scale + shift): recomputes a released output.
  private var appliedScale: [Float] = [], appliedShift: [Float] = []
  private var outputReleased = false
  private var hadResidual = false
  private var wasTraining = true

  public init(scope: String, channels: Int, epsilon: Float, decay: Float = 0.997,
              activation: Activation, params: ParameterStore, rng: inout SplitMix64) {
    self.channels = channels; self.epsilon = epsilon; self.decay = decay; self.activation = activation
    gamma = params.add(name: scope + "/gamma", shape: [channels], initializer: .constant(1), rng: &rng)
    beta = params.add(name: scope + "/beta", shape: [channels], initializer: .constant(0), rng: &rng)
    movingMean = params.add(name: scope + "/moving_mean", shape: [channels], trainable: false,
                            initializer: .constant(0), rng: &rng)
    movingVariance = params.add(name: scope + "/moving_variance", shape: [channels], trainable: false,
                                initializer: .constant(1), rng: &rng)
  }

  /// The inference-mode map `y = act(x·scale + shift)` from the moving statistics, as
  /// `forward` computes it (same operations, same bits): lets a convolution apply the
  /// batch norm while writing its output (`Conv2D.forward(_:params:then:)`).
  public func inferenceAffine(params: ParameterStore) -> (scale: [Float], shift: [Float]) {
    affine(mean: params.read(movingMean), invStd: params.read(movingVariance).map { 1 / ($0 + epsilon).squareRoot() },
           params: params)
  }

  /// scale = γ·invStd, shift = β − μ·scale.
  private func affine(mean: [Float], invStd: [Float], params: ParameterStore) -> (scale: [Float], shift: [Float]) {
    var scale = [Float](repeating: 0, count: channels), shift = scale
    params.values.withUnsafeBufferPointer { p in
      for i in 0..<channels {
        scale[i] = p[gamma.offset + i] * invStd[i]
        shift[i] = p[beta.offset + i] - mean[i] * scale[i]
      }
    }
    return (scale, shift)
  }

  /// Normalizes `x` [N, H, W, C]; adds `residual` (same shape) before the activation.
  /// Forward-only runs (no activations kept) normalize in place when `x` is uniquely held
  /// (a convolution's fresh output): no second buffer, no fresh pages to fault in.
  public func forward(_ x: consuming Tensor, residual: Tensor? = nil, params: ParameterStore) -> Tensor {
    precondition(x.rank == 4 && x.channels == channels, "BatchNorm expects [N, H, W, \(channels)], got \(x.shape)")
    if let residual { precondition(residual.shape == x.shape, "residual \(residual.shape) vs input \(x.shape)") }
    let rows = x.count / channels, c = channels
    var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
    Profiler.measure(.batchNorm) {
      if training {
        let (m, v) = x.data.withUnsafeBufferPointer { BatchNormKernels.moments($0.baseAddress!, rows: rows, channels: c) }
        mean = m.map { Float($0) }
        invStd = v.map { 1 / (Float($0) + epsilon).squareRoot() }
        // Moving statistics, Bessel-corrected variance.
        let n = Double(rows)
        let correction = rows > 1 ? n / (n - 1) : 1
        params.states.withUnsafeMutableBufferPointer { st in
          let mm = st.baseAddress! + movingMean.offset, mv = st.baseAddress! + movingVariance.offset
          for i in 0..<c {
            mm[i] -= (mm[i] - mean[i]) * (1 - decay)
            mv[i] -= (mv[i] - Float(v[i] * correction)) * (1 - decay)
          }
        }
      } else {
        mean = params.read(movingMean)
        invStd = params.read(movingVariance).map { 1 / ($0 + epsilon).squareRoot() }
      }
      (scale, shift) = affine(mean: mean, invStd: invStd, params: params)
    }
    if !keepsActivations {
      var y = consume x
      applyInPlace(&y, scale: scale, shift: shift, residual: residual)
      input = nil; output = nil; appliedScale = []; appliedShift = []
      hadResidual = residual != nil
      wasTraining = training
      outputReleased = false
      return y
    }
    let y = apply(x, scale: scale, shift: shift, residual: residual)
    input = keepsActivations ? x : nil
    output = keepsActivations && activation != .none ? y : nil  // a linear unit's slope is 1 everywhere
    (appliedScale, appliedShift) = keepsActivations ? (scale, shift) : ([], [])
    hadResidual = residual != nil
    wasTraining = training
    outputReleased = false
    return y
  }

  /// act(x·scale + shift (+ residual)).
  private func apply(_ x: Tensor, scale: [Float], shift: [Float], residual: Tensor?) -> Tensor {
    let rows = x.count / channels, c = channels, act = activation
    return Tensor(uninitialized: x.shape) { out in
      Profiler.measure(.batchNorm) {
        x.data.withUnsafeBufferPointer { xb in
          scale.withUnsafeBufferPointer { sc in
            shift.withUnsafeBufferPointer { sh in
              if let residual {
                residual.data.withUnsafeBufferPointer { rb in
                  BatchNormKernels.apply(act, x: xb.baseAddress!, residual: rb.baseAddress!, out: out.baseAddress!,
                                         scale: sc.baseAddress!, shift: sh.baseAddress!, rows: rows, channels: c)
                }
              } else {
                BatchNormKernels.apply(act, x: xb.baseAddress!, residual: nil, out: out.baseAddress!,
                                       scale: sc.baseAddress!, shift: sh.baseAddress!, rows: rows, channels: c)
              }
            }
          }
        }
      }
    }
  }

  /// y ← act(y·scale + shift (+ residual)) in y's own storage (copied first if shared).
  private func applyInPlace(_ y: inout Tensor, scale: [Float], shift: [Float], residual: Tensor?) {
    let rows = y.count / channels, c = channels, act = activation
    Profiler.measure(.batchNorm) {
      y.data.withUnsafeMutableBufferPointer { yb in
        scale.withUnsafeBufferPointer { sc in
          shift.withUnsafeBufferPointer { sh in
            let p = yb.baseAddress!
            if let residual {
              residual.data.withUnsafeBufferPointer { rb in
                BatchNormKernels.apply(act, x: p, residual: rb.baseAddress!, out: p, scale: sc.baseAddress!,
                                       shift: sh.baseAddress!, rows: rows, channels: c)
              }
            } else {
              BatchNormKernels.apply(act, x: p, residual: nil, out: p, scale: sc.baseAddress!, shift: sh.baseAddress!,
                                     rows: rows, channels: c)
            }
          }
        }
      }
    }
  }

  /// Memory for compute: once `conv` (if any) has run forward on this batch norm's output
  /// and nothing else keeps it, both let go of it; backward recomputes it from the kept
  /// input with the same map (`restoreOutput(for:)`, the same bits). Saves one activation
  /// of the output's size until backward. No-op when activations are not kept; needs a
  /// forward without residual (the residual is not kept).
  public func releaseOutput(savedBy conv: Conv2D?) {
    guard keepsActivations, input != nil else { return }
    precondition(!hadResidual, "BatchNorm.releaseOutput: an output with a residual cannot be recomputed")
    output = nil
    conv?.input = nil
    outputReleased = true
  }

  /// Recomputes the output `releaseOutput(savedBy:)` let go of and hands it back to `conv`
  /// (as its saved input) and to this batch norm's backward. No-op unless released.
  public func restoreOutput(for conv: Conv2D?) {
    guard outputReleased, let x = input else { return }
    let y = apply(x, scale: appliedScale, shift: appliedShift, residual: nil)
    output = activation != .none ? y : nil
    conv?.input = y
    outputReleased = false
  }

  /// Adds dγ, dβ; returns dx and (when forward had a residual) d(residual).
  public func backward(_ dy: consuming Tensor, params: ParameterStore) -> (dx: Tensor, dResidual: Tensor?) {
    precondition(!outputReleased, "BatchNorm.backward: the output was released; call restoreOutput(for:) first")
    guard let x = input, activation == .none || output != nil else {
      preconditionFailure("BatchNorm.backward needs what forward saves: run forward first, with keepsActivations true")
    }
    let y = output ?? x  // without an activation the kernels never read y
    precondition(dy.shape == x.shape, "BatchNorm.backward expects \(x.shape), got \(dy.shape)")
    input = nil; output = nil; appliedScale = []; appliedShift = []
    let rows = x.count / channels, c = channels, act = activation
    // Pass 1: Σdz and Σdz·(x − μ) per channel, dz = dy·act'(y).
    let sums = Profiler.measure(.batchNorm) {
      dy.data.withUnsafeBufferPointer { db in
        x.data.withUnsafeBufferPointer { xb in
          y.data.withUnsafeBufferPointer { yb in
            mean.withUnsafeBufferPointer { mb in
              BatchNormKernels.backwardSums(act, dy: db.baseAddress!, y: yb.baseAddress!, x: xb.baseAddress!,
                                            mean: mb.baseAddress!, rows: rows, channels: c)
            }
          }
        }
      }
    }
    let sumDz = sums.sumDz, sumDzX = sums.sumDzX
    // Parameter gradients: dβ = Σdz, dγ = Σdz·x̂.
    params.gradients.withUnsafeMutableBufferPointer { g in
      for i in 0..<c {
        g[beta.offset + i] += Float(sumDz[i])
        g[gamma.offset + i] += Float(sumDzX[i] * Double(invStd[i]))
      }
    }
    // Pass 2: dx = a·dz + k·(x − μ) + b per channel (in place over dy when uniquely held);
    // with a residual, dz itself is d(residual).
    var a = [Float](repeating: 0, count: c), k = [Float](repeating: 0, count: c), b = [Float](repeating: 0, count: c)
    let gam = params.read(gamma)
    let n = Double(rows)
    for i in 0..<c {
      let gi = Double(gam[i]) * Double(invStd[i])
      a[i] = Float(gi)
      if wasTraining {
        let inv2 = Double(invStd[i]) * Double(invStd[i])
        k[i] = Float(-gi * inv2 * sumDzX[i] / n)
        b[i] = Float(-gi * sumDz[i] / n)
      }
    }
    var dx = consume dy
    var dResidual: Tensor? = hadResidual ? Tensor(uninitialized: x.shape) { _ in } : nil
    Profiler.measure(.batchNorm) {
      dx.data.withUnsafeMutableBufferPointer { db in
        x.data.withUnsafeBufferPointer { xb in
          y.data.withUnsafeBufferPointer { yb in
            a.withUnsafeBufferPointer { ab in k.withUnsafeBufferPointer { kb in b.withUnsafeBufferPointer { bb in
              mean.withUnsafeBufferPointer { mb in
                func run(_ dz: UnsafeMutablePointer<Float>?) {
                  BatchNormKernels.backwardApply(act, dy: db.baseAddress!, y: yb.baseAddress!, x: xb.baseAddress!,
                                                 mean: mb.baseAddress!, a: ab.baseAddress!, k: kb.baseAddress!,
                                                 b: bb.baseAddress!, dx: db.baseAddress!, dz: dz,
                                                 rows: rows, channels: c)
                }
                if dResidual != nil {
                  dResidual!.data.withUnsafeMutableBufferPointer { run($0.baseAddress!) }
                } else {
                  run(nil)
                }
              }
            } } }
          }
        }
      }
    }
    return (dx, dResidual)
  }
}
