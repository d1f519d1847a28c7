/// The full geometry of one 2-D convolution on an NHWC batch with an HWIO kernel.
public struct ConvShape: Equatable {
  public let batch: Int
  public let inHeight: Int, inWidth: Int, inChannels: Int
  public let outHeight: Int, outWidth: Int, outChannels: Int
  public let kernelHeight: Int, kernelWidth: Int, stride: Int
  public let padTop: Int, padLeft: Int

  public init(batch: Int, inHeight: Int, inWidth: Int, inChannels: Int, outChannels: Int,
              kernel: Int, stride: Int, padding: ConvPadding) {
    let ay = AxisGeometry(input: inHeight, kernel: kernel, stride: stride, padding: padding)
    let ax = AxisGeometry(input: inWidth, kernel: kernel, stride: stride, padding: padding)
    self.batch = batch
    self.inHeight = inHeight; self.inWidth = inWidth; self.inChannels = inChannels
    self.outHeight = ay.output; self.outWidth = ax.output; self.outChannels = outChannels
    self.kernelHeight = kernel; self.kernelWidth = kernel; self.stride = stride
    self.padTop = ay.padBefore; self.padLeft = ax.padBefore
  }

  /// Rows of the im2col matrix: one per output position, N·Ho·Wo.
  public var rows: Int { batch * outHeight * outWidth }
  /// Columns of the im2col matrix: kh·kw·Cin (the HWIO kernel's leading dimensions).
  public var patch: Int { kernelHeight * kernelWidth * inChannels }
  /// Multiply-accumulates of the forward pass.
  public var macs: Int { rows * patch * outChannels }
  /// True when the input itself is the im2col matrix (1x1, stride 1, no pad).
  public var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padTop == 0 && padLeft == 0
  }
  public var inputShape: [Int] { [batch, inHeight, inWidth, inChannels] }
  public var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }
}
