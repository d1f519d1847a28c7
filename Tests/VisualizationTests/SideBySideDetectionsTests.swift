import Data
import Evaluation
import Events
import Inference
import Testing
import Visualization

/// The Detections_Left_Groundtruth_Right picture: layout, which boxes are drawn where, and
/// labels with markup, quotes and newlines drawn as pixels; the encoded summary decodes back.
@Suite struct SideBySideDetectionsTests {
  static let gray: (UInt8, UInt8, UInt8) = (90, 90, 90)

  func pixel(_ im: RGBImage, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
    let o = (y * im.width + x) * 3
    return (im.pixels[o], im.pixels[o + 1], im.pixels[o + 2])
  }

  @Test func leftHasDetectionsRightHasGroundTruth() {
    let image = RGBImage(height: 120, width: 160, fill: Self.gray)
    let categories = [1: "person", 3: "car"]
    let drawing = SideBySideDetections(categories: categories, maxBoxes: 20, minScore: 0.5)
    let detections = [
      DetectedObject(categoryID: 1, categoryName: "ignored", score: 0.9, bbox: COCOBox(x: 20, y: 40, width: 40, height: 30)),
      DetectedObject(categoryID: 3, categoryName: "car", score: 0.3, bbox: COCOBox(x: 100, y: 60, width: 30, height: 30)),  // below 0.5
    ]
    let gt = SideBySideDetections.groundTruthObjects(
      GroundTruth(boxes: [BoundingBox(ymin: 0.5, xmin: 0.625, ymax: 0.75, xmax: 0.8125)], classes: [3]), height: 120, width: 160)
    #expect(gt == [.init(categoryID: 3, bbox: COCOBox(x: 100, y: 60, width: 30, height: 30))])
    let out = drawing.render(image: image, detections: detections, groundTruth: gt)
    #expect(out.width == 320 && out.height == 120)
    let person = BoxPainter.color(category: 1), car = BoxPainter.color(category: 3)
    // Left: the person box's left edge; the low-score car is not drawn.
    #expect(pixel(out, 20, 55) == person)
    #expect(pixel(out, 100, 75) == Self.gray)
    // Right (offset 160): the ground-truth car, no person.
    #expect(pixel(out, 160 + 100, 75) == car)
    #expect(pixel(out, 160 + 20, 55) == Self.gray)
    // Untouched pixels stay the image's.
    #expect(pixel(out, 5, 115) == Self.gray && pixel(out, 165, 115) == Self.gray)
    #expect(drawing.shownDetections(detections).map(\.categoryID) == [1])
  }

  @Test func keepsTheHighestScoringBoxesAndSkipsUndrawableOnes() {
    let drawing = SideBySideDetections(categories: [:], maxBoxes: 2, minScore: 0)
    let boxes = [0.2, 0.9, 0.5, 0.7].enumerated().map { i, s in
      DetectedObject(categoryID: i + 1, categoryName: "", score: Float(s), bbox: COCOBox(x: 1, y: 1, width: 5, height: 5))
    }
    #expect(drawing.shownDetections(boxes).map(\.score) == [0.9, 0.7])
    let nan = DetectedObject(categoryID: 1, categoryName: "", score: 1, bbox: COCOBox(x: .nan, y: 1, width: 5, height: 5))
    let huge = DetectedObject(categoryID: 1, categoryName: "", score: 1, bbox: COCOBox(x: 1e300, y: 1, width: 5, height: 5))
    #expect(drawing.shownDetections([nan, huge]).isEmpty)
    // Drawing them (and such ground truth) does not trap.
    let out = drawing.render(image: RGBImage(height: 8, width: 8), detections: [nan, huge],
                             groundTruth: [.init(categoryID: 1, bbox: COCOBox(x: -1e300, y: .infinity, width: 1, height: 1))])
    #expect(out.pixels.allSatisfy { $0 == 0 })
  }

  /// Label names with markup, quotes, a newline and non-ASCII are drawn as glyphs
  /// (non-printable and non-ASCII characters as `?`); nothing else is affected.
  @Test func untrustedLabelNamesAreOnlyPixels() {
    let name = "<script>alert(\"x\")</script>\n'é"
    let drawing = SideBySideDetections(categories: [7: name], minScore: 0)
    let image = RGBImage(height: 200, width: 400, fill: (0, 0, 0))
    let gt = [SideBySideDetections.GroundTruthObject(categoryID: 7, bbox: COCOBox(x: 10, y: 60, width: 100, height: 80))]
    let out = drawing.render(image: image, detections: [], groundTruth: gt)
    // The reference: the same text drawn with the painter's text function, "\n" and "é" as "?".
    let painter = BoxPainter(imageHeight: 200, imageWidth: 400)
    var ref = RGBImage(height: 200, width: 400, fill: (0, 0, 0))
    let asDrawn = "<script>alert(\"x\")</script>?'?"
    let size = BitmapFont.size(of: asDrawn, scale: painter.textScale)
    let pad = painter.textScale
    let top = 60 - (size.height + 2 * pad)
    painter.rectangleOutline(x0: 10, y0: 60, x1: 109, y1: 139, color: BoxPainter.color(category: 7), on: &ref)
    painter.fill(x0: 10, y0: top, x1: 10 + size.width + 2 * pad - 1, y1: 59, color: BoxPainter.color(category: 7), on: &ref)
    let c = BoxPainter.color(category: 7)
    let luma = 299 * Int(c.0) + 587 * Int(c.1) + 114 * Int(c.2)
    painter.text(asDrawn, x: 10 + pad, y: top + pad, color: luma > 128_000 ? (0, 0, 0) : (255, 255, 255), on: &ref)
    for y in 0..<200 {
      for x in 0..<400 { if pixel(out, 400 + x, y) != pixel(ref, x, y) { Issue.record("pixel (\(x), \(y)) differs"); return } }
    }
  }

  @Test func summaryImageIsAJPEGThatDecodesToTheSameSize() throws {
    var image = RGBImage(height: 48, width: 64, fill: (200, 30, 30))
    BoxPainter(lineWidth: 2, textScale: 1).text("car 0.87", x: 4, y: 4, color: (255, 255, 255), on: &image)
    let encoded = try ImageSummaryEncoder(quality: 90).encode(image)
    #expect(encoded.height == 48 && encoded.width == 64 && encoded.colorspace == 3)
    #expect(encoded.mimeType == "image/jpeg")
    let back = try JPEGDecoder().decode(encoded.encoded)
    #expect(back.width == 64 && back.height == 48)
    // 4:4:4 at quality 90: the flat red area comes back within a few levels.
    let p = pixel(back, 40, 40)
    #expect(abs(Int(p.0) - 200) <= 4 && abs(Int(p.1) - 30) <= 4 && abs(Int(p.2) - 30) <= 4, "\(p)")
  }
}
