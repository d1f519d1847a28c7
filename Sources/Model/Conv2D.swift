/// 2-D convolution. Input [N, H, W, Cin] (NHWC), kernel [kh, kw, Cin, Cout] (TensorFlow's
/// HWIO, variable `<scope>/weights`), optional bias [Cout] (`<scope>/biases`); output
/// [N, Ho, Wo, Cout] with `ConvPadding` geometry.
///
/// Fast paths: a 1x1 stride-1 convolution is one GEMM on the input as it lies in memory
/// (forward, dWeight and dInput); a 3×3 stride-1 pad-1 convolution runs as Winograd
/// F(2×2, 3×3) (`Winograd`, forward, dInput and dWeight) unless `useWinograd` is false.
/// Other kernels go through im2col + GEMM in row blocks of about `blockFloats` floats held
/// in the shared `ScratchArena`, so the column matrix stays cache-sized and memory bounded.
/// Forward-only runs (no saved activations, batch norm in inference mode) go through
/// `forward(_:params:then:)` (Conv2D+Inference.swift): Winograd F(4×4, 3×3) with a cached
/// kernel and the batch norm folded into the output transform.
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
  /// Use Winograd F(2×2, 3×3) for 3×3 stride-1 pad-1 forward and dInput (false: im2col).
  public var useWinograd = true

  /// Inference's F(4×4) kernel, shared with every `init(sharing:)` copy.
  public let transformedKernel: TransformedKernelCache

  private var input: Tensor?

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

  /// y = conv(x, W) (+ b). Saves x for backward.
  public func forward(_ x: Tensor, params: ParameterStore) -> Tensor {
    precondition(x.rank == 4 && x.channels == inChannels,
                 "Conv2D expects [N, H, W, \(inChannels)], got \(x.shape)")
    let s = shape(for: x)
    let y = Tensor(uninitialized: s.outputShape) { out in
      let o = out.baseAddress!
      params.values.withUnsafeBufferPointer { v in
        let w = v.baseAddress! + weight.offset
        x.data.withUnsafeBufferPointer { xb in
          let xp = xb.baseAddress!
          if s.isPointwise {
            Profiler.measure(.convGEMM) {
              sgemm(transA: false, transB: false, m: s.rows, n: s.outChannels, k: s.patch,
                    a: xp, lda: s.patch, b: w, ldb: s.outChannels, c: o, ldc: s.outChannels)
            }
          } else if useWinograd && Winograd.applies(to: s) {
            let tb = Winograd.tilesPerBlock(s)
            Winograd.forward(s, x: xp, w: w, y: o, scratch: scratch.buffer(Winograd.scratchFloats(s, tilesPerBlock: tb)),
                             tilesPerBlock: tb)
          } else {
            let block = blockRows(s)
            let col = scratch.buffer(block * s.patch)
            var r0 = 0
            while r0 < s.rows {
              let r1 = min(s.rows, r0 + block)
              Profiler.measure(.im2col) { Im2Col.gather(s, x: xp, rows: r0..<r1, col: col) }
              Profiler.measure(.convGEMM) {
                sgemm(transA: false, transB: false, m: r1 - r0, n: s.outChannels, k: s.patch,
                      a: col, lda: s.patch, b: w, ldb: s.outChannels,
                      c: o + r0 * s.outChannels, ldc: s.outChannels)
              }
              r0 = r1
            }
          }
        }
        if let bias {
          Profiler.measure(.other) {
            Elementwise.addChannelVector(v.baseAddress! + bias.offset, to: o, rows: s.rows,
                                         channels: s.outChannels)
          }
        }
      }
    }
    input = keepsActivations ? x : nil
    return y
  }

  /// Adds dWeight (and dBias) into `params.gradients`; returns dInput (nil when
  /// `needsInputGradient` is false). Releases the saved input.
  @discardableResult
  public func backward(_ dy: Tensor, params: ParameterStore) -> Tensor? {
    guard let x = input else { preconditionFailure("Conv2D.backward needs the input forward saves: run forward first, with keepsActivations true") }
    let s = shape(for: x)
    precondition(dy.shape == s.outputShape, "Conv2D.backward expects dOutput \(s.outputShape), got \(dy.shape)")
    input = nil
    let winograd = useWinograd && Winograd.applies(to: s)
    // Winograd and the 1×1 GEMM overwrite dInput; col2im adds into zeros.
    var dx: Tensor? = needsInputGradient
      ? (winograd || s.isPointwise ? Tensor(uninitialized: s.inputShape) { _ in } : Tensor(zeros: s.inputShape)) : nil
    params.values.withUnsafeBufferPointer { v in
      let w = v.baseAddress! + weight.offset
      params.gradients.withUnsafeMutableBufferPointer { g in
        let gw = g.baseAddress! + weight.offset
        dy.data.withUnsafeBufferPointer { dyb in
          let d = dyb.baseAddress!
          if let bias {
            Profiler.measure(.other) {
              Elementwise.addColumnSums(of: d, rows: s.rows, channels: s.outChannels,
                                        into: g.baseAddress! + bias.offset)
            }
          }
          x.data.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            if s.isPointwise {
              Profiler.measure(.convGEMM) {
                sgemm(transA: true, transB: false, m: s.patch, n: s.outChannels, k: s.rows,
                      a: xp, lda: s.patch, b: d, ldb: s.outChannels,
                      beta: 1, c: gw, ldc: s.outChannels)
                if dx != nil {
                  dx!.data.withUnsafeMutableBufferPointer { dxb in
                    sgemm(transA: false, transB: true, m: s.rows, n: s.patch, k: s.outChannels,
                          a: d, lda: s.outChannels, b: w, ldb: s.outChannels,
                          c: dxb.baseAddress!, ldc: s.patch)
                  }
                }
              }
            } else if winograd {
              let tb = Winograd.tilesPerBlock(s)
              let buf = scratch.buffer(Winograd.weightGradientScratchFloats(s, tilesPerBlock: tb))
              Winograd.weightGradient(s, x: xp, dy: d, dw: gw, scratch: buf, tilesPerBlock: tb)
              if dx != nil {
                // dInput = conv(dOutput, flipped and transposed kernel), also 3×3 stride-1 pad-1.
                let t = ConvShape(batch: s.batch, inHeight: s.outHeight, inWidth: s.outWidth,
                                  inChannels: s.outChannels, outChannels: s.inChannels, kernel: 3, stride: 1,
                                  padding: .same)
                let kernelFloats = 9 * s.inChannels * s.outChannels
                let tbt = Winograd.tilesPerBlock(t)
                let buf = scratch.buffer(kernelFloats + Winograd.scratchFloats(t, tilesPerBlock: tbt))
                Profiler.measure(.other) { Winograd.flipTranspose(w, c: s.inChannels, k: s.outChannels, into: buf) }
                dx!.data.withUnsafeMutableBufferPointer { dxb in
                  Winograd.forward(t, x: d, w: buf, y: dxb.baseAddress!, scratch: buf + kernelFloats,
                                   tilesPerBlock: tbt)
                }
              }
            } else {
              let block = blockRows(s)
              let needDx = dx != nil
              let buf = scratch.buffer(block * s.patch * (needDx ? 2 : 1))
              let col = buf, dcol = buf + block * s.patch
              var r0 = 0
              while r0 < s.rows {
                let r1 = min(s.rows, r0 + block)
                Profiler.measure(.im2col) { Im2Col.gather(s, x: xp, rows: r0..<r1, col: col) }
                Profiler.measure(.convGEMM) {
                  sgemm(transA: true, transB: false, m: s.patch, n: s.outChannels, k: r1 - r0,
                        a: col, lda: s.patch, b: d + r0 * s.outChannels, ldb: s.outChannels,
                        beta: 1, c: gw, ldc: s.outChannels)
                }
                if needDx {
                  Profiler.measure(.convGEMM) {
                    sgemm(transA: false, transB: true, m: r1 - r0, n: s.patch, k: s.outChannels,
                          a: d + r0 * s.outChannels, lda: s.outChannels, b: w, ldb: s.outChannels,
                          c: dcol, ldc: s.patch)
                  }
                  dx!.data.withUnsafeMutableBufferPointer { dxb in
                    Profiler.measure(.im2col) {
                      Im2Col.scatterAdd(s, dCol: dcol, rows: r0..<r1, dx: dxb.baseAddress!)
                    }
                  }
                }
                r0 = r1
              }
            }
          }
        }
      }
    }
    return dx
  }
}
