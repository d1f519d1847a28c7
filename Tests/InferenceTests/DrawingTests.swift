import Data
import Evaluation
import Inference
import Testing

/// The built-in font and the box painter, against naive per-pixel references.
@Suite struct DrawingTests {
  @Test func fontHasAWellFormedGlyphForEveryPrintableCharacter() {
    var seen = Set<[UInt8]>()
    for v in UInt8(32)...UInt8(126) {
      let ch = Character(Unicode.Scalar(v))
      let rows = BitmapFont.rows(of: ch)
      #expect(rows.count == BitmapFont.glyphHeight, "glyph \(ch)")
      #expect(rows.allSatisfy { $0 < 32 }, "glyph \(ch) wider than 5 columns")
      #expect(v == 32 || rows.contains { $0 != 0 }, "glyph \(ch) is blank")
      seen.insert(rows)
    }
    #expect(seen.count == 95)  // all distinct
    #expect(BitmapFont.rows(of: "é") == BitmapFont.rows(of: "?"))
    #expect(BitmapFont.size(of: "ab", scale: 2) == (width: 22, height: 14))
    #expect(BitmapFont.isInk("I", row: 0, column: 1) && !BitmapFont.isInk("I", row: 0, column: 0))
  }

  @Test func textMatchesPerPixelReference() {
    let painter = BoxPainter(lineWidth: 1, textScale: 2)
    var image = RGBImage(height: 30, width: 120)
    let label = "car 0.87"
    painter.text(label, x: 3, y: 5, color: (255, 0, 0), on: &image)
    for y in 0..<image.height {
      for x in 0..<image.width {
        // Reference: which glyph cell and which font pixel (x, y) falls in.
        var ink = false
        let cx = x - 3, cy = y - 5
        if cx >= 0, cy >= 0 {
          let index = cx / (BitmapFont.cellWidth * 2)
          let col = (cx % (BitmapFont.cellWidth * 2)) / 2, row = cy / 2
          if index < label.count {
            let ch = label[label.index(label.startIndex, offsetBy: index)]
            ink = BitmapFont.isInk(ch, row: row, column: col)
          }
        }
        let o = (y * image.width + x) * 3
        #expect((image.pixels[o] == 255) == ink, "pixel (\(x), \(y))")
      }
    }
  }

  @Test func boxOutlineLabelAndClipping() {
    var image = RGBImage(height: 100, width: 160, fill: (10, 10, 10))
    let painter = BoxPainter(lineWidth: 2, textScale: 1)
    let object = DetectedObject(categoryID: 3, categoryName: "car", score: 0.5,
                                bbox: COCOBox(x: 20, y: 40, width: 50, height: 30))
    // A box reaching past the image edge must be clipped, not crash.
    let outside = DetectedObject(categoryID: 1, categoryName: "person", score: 0.9,
                                 bbox: COCOBox(x: 140, y: 90, width: 60, height: 60))
    painter.draw([outside, object], on: &image)
    let c = BoxPainter.color(category: 3)
    func px(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
      let o = (y * image.width + x) * 3
      return (image.pixels[o], image.pixels[o + 1], image.pixels[o + 2])
    }
    #expect(px(20, 55) == c && px(21, 55) == c && px(22, 55) == (10, 10, 10))  // left edge, 2 px
    #expect(px(69, 55) == c && px(45, 69) == c && px(45, 40) == c)            // right, bottom, top
    #expect(px(45, 55) == (10, 10, 10))                                        // inside untouched
    // Label box sits right above the box: 7 px of text + 1 px padding each side.
    #expect(px(20, 31) == c && px(20, 39) != (10, 10, 10))
    #expect(BoxPainter.label(object) == "car 0.50")
    #expect(px(141, 95) == BoxPainter.color(category: 1) && px(150, 91) == BoxPainter.color(category: 1))
    #expect(px(150, 95) == (10, 10, 10))  // the clipped box has no right or bottom edge on the image
  }
}
