/// A float32 RGB image in row-major HWC order, values on the 0...255 scale (never rescaled).
/// The augmentation reference path works on this type; the fast path reads `RGBImage` directly.
public struct FloatImage: Equatable, Sendable {
  public let height: Int
  public let width: Int
  /// `height * width * 3` values, `values[(y * width + x) * 3 + c]`.
  public var values: [Float]

  public init(height: Int, width: Int, values: [Float]) {
    precondition(height >= 0 && width >= 0, "FloatImage size must be non-negative, got \(height)x\(width)")
    precondition(values.count == height * width * 3,
                 "FloatImage \(height)x\(width) needs \(height * width * 3) values, got \(values.count)")
    self.height = height
    self.width = width
    self.values = values
  }

  /// The pixel at (y, x), channel c.
  public subscript(y: Int, x: Int, c: Int) -> Float {
    get { values[(y * width + x) * 3 + c] }
    set { values[(y * width + x) * 3 + c] = newValue }
  }

  /// Mirrored left to right (`tf.image.flip_left_right`).
  public func flippedLeftRight() -> FloatImage {
    var out = [Float](repeating: 0, count: values.count)
    for y in 0..<height {
      for x in 0..<width {
        let s = (y * width + (width - 1 - x)) * 3, d = (y * width + x) * 3
        out[d] = values[s]; out[d + 1] = values[s + 1]; out[d + 2] = values[s + 2]
      }
    }
    return FloatImage(height: height, width: width, values: out)
  }

  /// The slice `[y ..< y+h, x ..< x+w, :]` (`tf.slice` with begin [y, x, 0], size [h, w, -1]).
  public func cropped(y: Int, x: Int, height h: Int, width w: Int) -> FloatImage {
    precondition(y >= 0 && x >= 0 && h >= 0 && w >= 0 && y + h <= height && x + w <= width,
                 "crop [\(y), \(x), \(h), \(w)] outside a \(height)x\(width) image")
    var out = [Float]()
    out.reserveCapacity(h * w * 3)
    for yy in y..<(y + h) {
      let start = (yy * width + x) * 3
      out.append(contentsOf: values[start..<(start + w * 3)])
    }
    return FloatImage(height: h, width: w, values: out)
  }
}
