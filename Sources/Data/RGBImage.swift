/// An 8-bit RGB image in row-major HWC order: `pixels[(y * width + x) * 3 + c]`, c = R, G, B.
/// This is what `decode_jpeg(channels: 3)` produces (§1.4) and what the JPEG encoder takes.
public struct RGBImage: Equatable, Sendable {
  public let height: Int
  public let width: Int
  /// `height * width * 3` bytes.
  public var pixels: [UInt8]

  public init(height: Int, width: Int, pixels: [UInt8]) {
    precondition(height >= 0 && width >= 0, "RGBImage size must be non-negative, got \(height)x\(width)")
    precondition(pixels.count == height * width * 3,
                 "RGBImage \(height)x\(width) needs \(height * width * 3) bytes, got \(pixels.count)")
    self.height = height
    self.width = width
    self.pixels = pixels
  }

  /// A uniformly coloured image.
  public init(height: Int, width: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
    var p = [UInt8](repeating: 0, count: height * width * 3)
    for i in 0..<(height * width) {
      p[3 * i] = fill.0; p[3 * i + 1] = fill.1; p[3 * i + 2] = fill.2
    }
    self.init(height: height, width: width, pixels: p)
  }

  /// Mean of each channel over all pixels, in float64 (R, G, B).
  public var channelMeans: [Double] {
    var sums: [UInt64] = [0, 0, 0]
    pixels.withUnsafeBufferPointer { p in
      var i = 0
      while i < p.count {
        sums[0] &+= UInt64(p[i]); sums[1] &+= UInt64(p[i + 1]); sums[2] &+= UInt64(p[i + 2])
        i += 3
      }
    }
    let n = Double(max(1, height * width))
    return sums.map { Double($0) / n }
  }

  /// The image as float32 values 0...255 (spec §2.1 step 2: cast, not rescaled).
  public func toFloat() -> FloatImage {
    FloatImage(height: height, width: width, values: pixels.map { Float($0) })
  }
}
