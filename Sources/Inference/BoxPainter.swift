import Data

/// Draws detections onto an image: a box outline per object and a filled label above it
/// ("name 0.87") in the built-in `BitmapFont`. Everything is clipped to the image; line width
/// and text scale grow with the image size. Colours come from a fixed palette by category id.
public struct BoxPainter {
  /// Outline thickness in pixels.
  public var lineWidth: Int
  /// Font scale (1 = 5×7 pixel glyphs).
  public var textScale: Int

  /// Sizes for an image: ~1 px of line per 250 px of its shorter side (at least 1), text
  /// scale ~1 per 320 px (at least 1).
  public init(imageHeight: Int, imageWidth: Int) {
    let side = min(imageHeight, imageWidth)
    lineWidth = max(1, (side + 125) / 250)
    textScale = max(1, (side + 160) / 320)
  }

  public init(lineWidth: Int, textScale: Int) {
    self.lineWidth = max(1, lineWidth)
    self.textScale = max(1, textScale)
  }

  /// Distinct, saturated colours (R, G, B).
  public static let palette: [(UInt8, UInt8, UInt8)] = [
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
    (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 190), (0, 128, 128), (170, 110, 40),
  ]

  public static func color(category: Int) -> (UInt8, UInt8, UInt8) { palette[abs(category) % palette.count] }

  /// The label drawn for an object: its name and score with 2 decimals.
  public static func label(_ object: DetectedObject) -> String {
    let hundredths = Int((object.score * 100).rounded())
    return "\(object.categoryName) \(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
  }

  /// Draws `objects` in reverse order, so the highest-scoring (first) ends up on top.
  public func draw(_ objects: [DetectedObject], on image: inout RGBImage) {
    for object in objects.reversed() {
      let color = Self.color(category: object.categoryID)
      let x0 = Int(object.bbox.x.rounded(.down)), y0 = Int(object.bbox.y.rounded(.down))
      let x1 = Int((object.bbox.x + object.bbox.width).rounded(.up)) - 1
      let y1 = Int((object.bbox.y + object.bbox.height).rounded(.up)) - 1
      rectangleOutline(x0: x0, y0: y0, x1: x1, y1: y1, color: color, on: &image)
      let label = Self.label(object)
      let size = BitmapFont.size(of: label, scale: textScale)
      let pad = textScale
      let boxHeight = size.height + 2 * pad
      // Above the box if there is room, else inside its top edge.
      let top = y0 - boxHeight >= 0 ? y0 - boxHeight : max(0, y0)
      let left = max(0, min(x0, image.width - size.width - 2 * pad))
      fill(x0: left, y0: top, x1: left + size.width + 2 * pad - 1, y1: top + boxHeight - 1, color: color, on: &image)
      let luma = 299 * Int(color.0) + 587 * Int(color.1) + 114 * Int(color.2)
      let ink: (UInt8, UInt8, UInt8) = luma > 128_000 ? (0, 0, 0) : (255, 255, 255)
      self.text(label, x: left + pad, y: top + pad, color: ink, on: &image)
    }
  }

  /// Writes `text` with its top-left corner at (x, y), clipped.
  public func text(_ text: String, x: Int, y: Int, color: (UInt8, UInt8, UInt8), on image: inout RGBImage) {
    var cx = x
    for ch in text {
      let rows = BitmapFont.rows(of: ch)
      for (r, mask) in rows.enumerated() where mask != 0 {
        for c in 0..<BitmapFont.glyphWidth where mask & (1 << UInt8(BitmapFont.glyphWidth - 1 - c)) != 0 {
          fill(x0: cx + c * textScale, y0: y + r * textScale, x1: cx + (c + 1) * textScale - 1,
               y1: y + (r + 1) * textScale - 1, color: color, on: &image)
        }
      }
      cx += BitmapFont.cellWidth * textScale
    }
  }

  /// The outline of the rectangle with corners (x0, y0)–(x1, y1) inclusive, `lineWidth`
  /// pixels wide, drawn inwards from those edges.
  public func rectangleOutline(x0: Int, y0: Int, x1: Int, y1: Int, color: (UInt8, UInt8, UInt8),
                               on image: inout RGBImage) {
    guard x1 >= x0, y1 >= y0 else { return }
    let t = lineWidth
    fill(x0: x0, y0: y0, x1: x1, y1: min(y1, y0 + t - 1), color: color, on: &image)
    fill(x0: x0, y0: max(y0, y1 - t + 1), x1: x1, y1: y1, color: color, on: &image)
    fill(x0: x0, y0: y0, x1: min(x1, x0 + t - 1), y1: y1, color: color, on: &image)
    fill(x0: max(x0, x1 - t + 1), y0: y0, x1: x1, y1: y1, color: color, on: &image)
  }

  /// Fills the rectangle (x0, y0)–(x1, y1) inclusive, clipped to the image.
  public func fill(x0: Int, y0: Int, x1: Int, y1: Int, color: (UInt8, UInt8, UInt8), on image: inout RGBImage) {
    let ya = max(0, y0), yb = min(image.height - 1, y1), xa = max(0, x0), xb = min(image.width - 1, x1)
    guard ya <= yb, xa <= xb else { return }
    let w = image.width
    image.pixels.withUnsafeMutableBufferPointer { p in
      for y in ya...yb {
        var o = (y * w + xa) * 3
        for _ in xa...xb {
          p[o] = color.0; p[o + 1] = color.1; p[o + 2] = color.2
          o += 3
        }
      }
    }
  }
}
