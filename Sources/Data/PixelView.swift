/// A rectangle of a source image, possibly mirrored: what any sequence of flips and crops
/// leaves of the original pixels. View pixel (r, c) is source pixel
/// (y + r, flipped ? x + width − 1 − c : x + c). Lets the fast path crop, flip and resize in
/// one pass over the decoded 8-bit image.
public struct PixelView: Equatable, Sendable {
  public var y: Int, x: Int, height: Int, width: Int
  public var flipped: Bool

  public static func whole(height: Int, width: Int) -> PixelView {
    PixelView(y: 0, x: 0, height: height, width: width, flipped: false)
  }

  /// The view mirrored left to right.
  public func flippedLeftRight() -> PixelView {
    var v = self
    v.flipped.toggle()
    return v
  }

  /// The sub-rectangle `window` of this view (window in view coordinates).
  public func cropped(_ window: CropWindow) -> PixelView {
    precondition(window.imageHeight == height && window.imageWidth == width,
                 "crop window is for \(window.imageHeight)x\(window.imageWidth), view is \(height)x\(width)")
    let sx = flipped ? x + (width - window.x - window.width) : x + window.x
    return PixelView(y: y + window.y, x: sx, height: window.height, width: window.width, flipped: flipped)
  }

  /// Source column of view column `c`.
  @inline(__always) public func sourceColumn(_ c: Int) -> Int { flipped ? x + width - 1 - c : x + c }
}
