/// 2-D convolution. Input [N, H, W, Cin] (NHWC), kernel [kh, kw, Cin, Cout] (TensorFlow's
/// HWIO, variable `<scope>/weights`), optional bias [Cout] (`<scope>/biases`); output
/// [N, Ho, Wo, Cout] with `ConvPadding` geometry.
///
/// Three strategies, each with its forward and backward side by side:
/// - pointwise: a 1x1 stride-1 convolution is one GEMM on the input as it lies in memory
///   (forward, dWeight and dInput);
/// - Winograd: a 3×3 stride-1 pad-1 convolution runs as Winograd F(4×4, 3×3) where that
///   multiplies less than F(2×2, 3×3), else F(2×2) (`Winograd.variant`), for forward,
///   dInput and dWeight, unless `useWinograd` is false; applications of one shared kernel
///   (`Conv2D+Shared.swift`) run as one tile sequence;
/// - im2col: other kernels go through im2col + GEMM in row blocks of about `blockFloats`
///   floats held in the shared `ScratchArena`, so the column matrix stays cache-sized and
///   memory bounded.
/// Forward-only runs (no saved activations, batch norm in inference mode) go through
/// `forward(_:params:then:)` (Conv2D+Shared.swift): F(4×4) with a cached kernel and the
/// batch norm folded into the output transform.
/// `NaiveConv2D` is the reference all paths are tested against.
/// Forward keeps its input (a shared reference, no copy); backward rebuilds the columns,
/// adds into dWeight/dBias (`+=`, kernels may be shared) and returns dInput unless
/// `needsInputGradient` is false (the first layer).
public final class Conv2D {
  public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int
  public let padding: ConvPadding
  /// `<scope>/weights`, HWIO.
  public let weight: Param
  /// `<scope>/biases`, if the layer has one.
  public let bias: Param?
  public var needsInputGradient = true
  /// Forward keeps its input for backward (false: inference-only runs hold nothing).
  public var keepsActivations = true
  public let scratch: ScratchArena
  /// Target size of one im2col row block, in floats.
  nonisolated(unsafe) public static var blockFloats = 1 << 21
  /// Use Winograd for 3×3 stride-1 pad-1 convolutions (false: im2col).
  public var useWinograd = true

  /// Inference's F(4×4) kernel, shared with every `init(sharing:)` copy.
  public let transformedKernel: TransformedKernelCache

  /// The input forward saved for backward.
  var input: Tensor?

  /// Creates the variables `<scope>/weights` (regularized) and, with `bias`, `<scope>/biases`.
  public init(scope: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1,
              padding: ConvPadding = .same, bias: Bool = false,
              weightInit: Initializer, biasInit: Float = 0,
              params: ParameterStore, rng: inout SplitMix64, scratch: ScratchArena) {
    self.inChannels = inChannels; self.outChannels = outChannels
    self.kernel = kernel; self.stride = stride; self.padding = padding
    self.scratch = scratch
    transformedKernel = TransformedKernelCache()
    weight = params.add(name: scope + "/weights", shape: [kernel, kernel, inChannels, outChannels],
                        regularized: true, initializer: weightInit, rng: &rng)
    self.bias = bias ? params.add(name: scope + "/biases", shape: [outChannels],
                                  initializer: .constant(biasInit), rng: &rng) : nil
  }

  /// A second application of `other`'s kernel and bias (weight sharing across pyramid
  /// levels) with its own saved input.
  public init(sharing other: Conv2D) {
    inChannels = other.inChannels; outChannels = other.outChannels
    kernel = other.kernel; stride = other.stride; padding = other.padding
    weight = other.weight; bias = other.bias; scratch = other.scratch
    transformedKernel = other.transformedKernel
    needsInputGradient = other.needsInputGradient
    useWinograd = other.useWinograd
  }

  public func shape(for x: Tensor) -> ConvShape {
    ConvShape(batch: x.batch, inHeight: x.height, inWidth: x.width, inChannels: inChannels,
              outChannels: outChannels, kernel: kernel, stride: stride, padding: padding)
  }

  /// Rows per im2col block for a given shape.
  func blockRows(_ s: ConvShape) -> Int {
    min(s.rows, max(Conv2D.blockFloats / max(s.patch, 1), 128))
  }

  /// True when `s` runs as Winograd.
  func usesWinograd(_ s: ConvShape) -> Bool { useWinograd && Winograd.applies(to: s) }

  /// y = conv(x, W) (+ b). Saves x for backward.
  public func forward(_ x: Tensor, params: ParameterStore) -> Tensor {
    precondition(x.rank == 4 && x.channels == inChannels,
                 "Conv2D expects [N, H, W, \(inChannels)], got \(x.shape)")
    let s = shape(for: x)
    if usesWinograd(s) { return Conv2D.forwardWinograd([self], [x], params: params)[0] }
    let y = Tensor(uninitialized: s.outputShape) { out in
      params.values.withUnsafeBufferPointer { v in
        let w = v.baseAddress! + weight.offset
        x.data.withUnsafeBufferPointer { xb in
          if s.isPointwise {
            forwardPointwise(s, x: xb.baseAddress!, w: w, y: out.baseAddress!)
          } else {
            forwardIm2col(s, x: xb.baseAddress!, w: w, y: out.baseAddress!)
          }
        }
        addBias(v.baseAddress!, to: out.baseAddress!, rows: s.rows)
      }
    }
    input = keepsActivations ? x : nil
    return y
  }

  /// y += b per output channel (no bias: nothing).
  func addBias(_ values: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, rows: Int) {
    guard let bias else { return }
    Profiler.measure(.other) {
      Elementwise.addChannelVector(values + bias.offset, to: y, rows: rows, channels: outChannels)
    }
  }

  /// Adds dWeight (and dBias) into `params.gradients`; returns dInput (nil when
  /// `needsInputGradient` is false). Releases the saved input.
  @discardableResult
  public func backward(_ dy: Tensor, params: ParameterStore) -> Tensor? {
    guard let x = input else { preconditionFailure("Conv2D.backward needs the input forward saves: run forward first, with keepsActivations true") }
    let s = shape(for: x)
    precondition(dy.shape == s.outputShape, "Conv2D.backward expects dOutput \(s.outputShape), got \(dy.shape)")
    if usesWinograd(s) { return Conv2D.backwardWinograd([self], [dy], params: params)[0] }
    input = nil
    addBiasGradient(dy, params: params)
    if s.isPointwise { return backwardPointwise(s, x: x, dy: dy, params: params) }
    return backwardIm2col(s, x: x, dy: dy, params: params)
  }

  /// dBias += column sums of dy (no bias: nothing).
  func addBiasGradient(_ dy: Tensor, params: ParameterStore) {
    guard let bias else { return }
    Profiler.measure(.other) {
      params.gradients.withUnsafeMutableBufferPointer { g in
        dy.data.withUnsafeBufferPointer { d in
          Elementwise.addColumnSums(of: d.baseAddress!, rows: dy.count / outChannels, channels: outChannels,
                                    into: g.baseAddress! + bias.offset)
        }
      }
    }
  }

  // MARK: Pointwise (1×1, stride 1): the input is the column matrix.

  func forwardPointwise(_ s: ConvShape, x: UnsafePointer<Float>, w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    Profiler.measureGEMM("1x1 forward [\(s.rows),\(s.patch)]x[\(s.patch),\(s.outChannels)]", macs: s.macs) {
      sgemm(transA: false, transB: false, m: s.rows, n: s.outChannels, k: s.patch,
            a: x, lda: s.patch, b: w, ldb: s.outChannels, c: y, ldc: s.outChannels)
    }
  }

  /// dW += xᵀ·dy; dx = dy·Wᵀ.
  func backwardPointwise(_ s: ConvShape, x: Tensor, dy: Tensor, params: ParameterStore) -> Tensor? {
    var dx: Tensor? = needsInputGradient ? Tensor(uninitialized: s.inputShape) { _ in } : nil
    params.values.withUnsafeBufferPointer { v in
      params.gradients.withUnsafeMutableBufferPointer { g in
        x.data.withUnsafeBufferPointer { xb in
          dy.data.withUnsafeBufferPointer { d in
            Profiler.measureGEMM("1x1 dWeight [\(s.patch),\(s.rows)]x[\(s.rows),\(s.outChannels)]", macs: s.macs) {
              sgemm(transA: true, transB: false, m: s.patch, n: s.outChannels, k: s.rows,
                    a: xb.baseAddress!, lda: s.patch, b: d.baseAddress!, ldb: s.outChannels,
                    beta: 1, c: g.baseAddress! + weight.offset, ldc: s.outChannels)
            }
            Profiler.measureGEMM("1x1 dInput [\(s.rows),\(s.outChannels)]x[\(s.outChannels),\(s.patch)]", macs: dx == nil ? 0 : s.macs) {
              if dx != nil {
                dx!.data.withUnsafeMutableBufferPointer { dxb in
                  sgemm(transA: false, transB: true, m: s.rows, n: s.patch, k: s.outChannels,
                        a: d.baseAddress!, lda: s.outChannels, b: v.baseAddress! + weight.offset, ldb: s.outChannels,
                        c: dxb.baseAddress!, ldc: s.patch)
                }
              }
            }
          }
        }
      }
    }
    return dx
  }

  // MARK: im2col + GEMM, in row blocks.

  func forwardIm2col(_ s: ConvShape, x: UnsafePointer<Float>, w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    let block = blockRows(s)
    let col = scratch.buffer(block * s.patch)
    var r0 = 0
    while r0 < s.rows {
      let r1 = min(s.rows, r0 + block)
      Profiler.measure(.im2col) { Im2Col.gather(s, x: x, rows: r0..<r1, col: col) }
      Profiler.measureGEMM("im2col forward [*,\(s.patch)]x[\(s.patch),\(s.outChannels)]", macs: (r1 - r0) * s.patch * s.outChannels) {
        sgemm(transA: false, transB: false, m: r1 - r0, n: s.outChannels, k: s.patch,
              a: col, lda: s.patch, b: w, ldb: s.outChannels,
              c: y + r0 * s.outChannels, ldc: s.outChannels)
      }
      r0 = r1
    }
  }

  /// Per row block: dW += colᵀ·dy; dcol = dy·Wᵀ scattered back into dx (col2im).
  func backwardIm2col(_ s: ConvShape, x: Tensor, dy: Tensor, params: ParameterStore) -> Tensor? {
    var dx: Tensor? = needsInputGradient ? Tensor(zeros: s.inputShape) : nil  // col2im adds into zeros
    let block = blockRows(s)
    let needDx = dx != nil
    let buf = scratch.buffer(block * s.patch * (needDx ? 2 : 1))
    let col = buf, dcol = buf + block * s.patch
    params.values.withUnsafeBufferPointer { v in
      let w = v.baseAddress! + weight.offset
      params.gradients.withUnsafeMutableBufferPointer { g in
        let gw = g.baseAddress! + weight.offset
        x.data.withUnsafeBufferPointer { xb in
          dy.data.withUnsafeBufferPointer { dyb in
            let xp = xb.baseAddress!, d = dyb.baseAddress!
            var r0 = 0
            while r0 < s.rows {
              let r1 = min(s.rows, r0 + block)
              Profiler.measure(.im2col) { Im2Col.gather(s, x: xp, rows: r0..<r1, col: col) }
              Profiler.measureGEMM("im2col dWeight [\(s.patch),*]x[*,\(s.outChannels)]", macs: (r1 - r0) * s.patch * s.outChannels) {
                sgemm(transA: true, transB: false, m: s.patch, n: s.outChannels, k: r1 - r0,
                      a: col, lda: s.patch, b: d + r0 * s.outChannels, ldb: s.outChannels,
                      beta: 1, c: gw, ldc: s.outChannels)
              }
              if needDx {
                Profiler.measureGEMM("im2col dInput [*,\(s.outChannels)]x[\(s.outChannels),\(s.patch)]", macs: (r1 - r0) * s.patch * s.outChannels) {
                  sgemm(transA: false, transB: true, m: r1 - r0, n: s.patch, k: s.outChannels,
                        a: d + r0 * s.outChannels, lda: s.outChannels, b: w, ldb: s.outChannels,
                        c: dcol, ldc: s.patch)
                }
                dx!.data.withUnsafeMutableBufferPointer { dxb in
                  Profiler.measure(.im2col) { Im2Col.scatterAdd(s, dCol: dcol, rows: r0..<r1, dx: dxb.baseAddress!) }
                }
              }
              r0 = r1
            }
          }
        }
      }
    }
    return dx
  }
}
