import Testing
@testable import Data

/// The legacy mapping `src = i·in/out` (no half-pixel centres): a 2-wide ramp [0, 3] resized
/// to 4 gives 0, 1.5, 3, 3 (half-pixel centres would give 0, 0.75, 2.25, 3).
@Test func legacyBilinearMapping() {
  let img = FloatImage(height: 1, width: 2, values: [0, 0, 0, 3, 30, 300])
  let out = BilinearResize.reference(img, height: 1, width: 4)
  #expect(out.values == [0, 0, 0, 1.5, 15, 150, 3, 30, 300, 3, 30, 300])
  // Downscale 4 → 2: src = 0, 2, so output = pixels 0 and 2 exactly.
  let row = FloatImage(height: 1, width: 4, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  #expect(BilinearResize.reference(row, height: 1, width: 2).values == [1, 2, 3, 7, 8, 9])
}

/// Fast path (tables, 8-bit view, fused flip/crop/means) is bit-identical to flip + crop on the
/// float image, naive resize, then mean subtraction. Tolerance: exact.
@Test func fastResizeMatchesReferenceBitwise() {
  let means: [Float] = [123.68, 116.779, 103.939]
  let cases: [(Int, Int, PixelView, Int, Int)] = [
    (48, 64, PixelView(y: 0, x: 0, height: 48, width: 64, flipped: false), 32, 32),
    (48, 64, PixelView(y: 5, x: 7, height: 30, width: 41, flipped: true), 32, 20),
    (21, 13, PixelView(y: 2, x: 1, height: 17, width: 9, flipped: false), 40, 33),  // upsampling
    (30, 30, PixelView(y: 0, x: 29, height: 30, width: 1, flipped: true), 8, 8),    // 1-pixel column
    (9, 50, PixelView(y: 8, x: 3, height: 1, width: 47, flipped: false), 5, 7),     // 1-pixel row
  ]
  for (n, (h, w, view, oh, ow)) in cases.enumerated() {
    let img = TestImages.noise(height: h, width: w, seed: UInt64(n))
    var fast = [Float](repeating: .nan, count: oh * ow * 3)
    fast.withUnsafeMutableBufferPointer {
      BilinearResize.resizeView(img, view: view, height: oh, width: ow, means: means, into: $0.baseAddress!)
    }
    var f = img.toFloat().cropped(y: view.y, x: view.x, height: view.height, width: view.width)
    if view.flipped { f = f.flippedLeftRight() }
    var ref = BilinearResize.reference(f, height: oh, width: ow).values
    for i in 0..<ref.count { ref[i] -= means[i % 3] }
    #expect(fast == ref, "case \(n)")
    var viaFloat = [Float](repeating: .nan, count: oh * ow * 3)
    viaFloat.withUnsafeMutableBufferPointer {
      BilinearResize.resize(f, height: oh, width: ow, means: means, into: $0.baseAddress!)
    }
    #expect(viaFloat == ref, "float table path, case \(n)")
  }
}

/// Views compose like the operations: crop of a flipped view = flip of the matching crop.
@Test func pixelViewComposition() {
  let img = TestImages.noise(height: 12, width: 10, seed: 9).toFloat()
  let window = CropWindow(y: 2, x: 3, height: 7, width: 4, imageHeight: 12, imageWidth: 10)
  let view = PixelView.whole(height: 12, width: 10).flippedLeftRight().cropped(window)
  let expected = img.flippedLeftRight().cropped(y: 2, x: 3, height: 7, width: 4)
  for r in 0..<7 {
    for c in 0..<4 {
      #expect(expected[r, c, 1] == img[view.y + r, view.sourceColumn(c), 1])
    }
  }
  #expect(view.flipped)
}
