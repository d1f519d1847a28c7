import Testing
@testable import Model

@Suite struct AnchorGeneratorTests {
  let gen = AnchorGenerator()

  @Test func ssd320Has12804AnchorsInFiveLevels() {
    let shapes = gen.featureMapShapes(imageHeight: 320, imageWidth: 320)
    #expect(shapes.map { $0.height } == [40, 20, 10, 5, 3])
    #expect(shapes.map { $0.width } == [40, 20, 10, 5, 3])
    #expect(gen.anchorsPerLocation == 6)
    #expect(gen.levelStarts(featureMapShapes: shapes) == [0, 9600, 12000, 12600, 12750])
    let anchors = gen.generate(imageHeight: 320, imageWidth: 320)
    #expect(anchors.count == 12_804 * 4)
  }

  /// Spot values of spec §4 (produced by the fork's generator under TF): exact float32 equality.
  /// The spec prints numpy's 8-digit form; anchor 3's xmax is really 0.112500004 (one ulp
  /// above Float(0.1125)) because its half-width 31.999998 carries the √2·√2 rounding
  /// (checked with numpy float32 in the same op order).
  @Test func spotValuesAreBitExact() {
    let anchors = gen.generate(imageHeight: 320, imageWidth: 320)
    func anchor(_ i: Int) -> [Float] { Array(anchors[(4 * i)..<(4 * i + 4)]) }
    #expect(anchor(0) == [-0.0375, -0.0375, 0.0625, 0.0625])
    #expect(anchor(1) == [-0.05821068, -0.05821068, 0.08321068, 0.08321068])
    #expect(anchor(3) == [-0.0375, -0.0875, 0.0625, 0.112500004])
    #expect(Float(0.112500004) == Float(0.1125).nextUp)
    #expect(anchor(6) == [-0.0375, -0.0125, 0.0625, 0.0875])
    #expect(anchor(12_750) == [-0.8, -0.8, 0.8, 0.8])
  }

  /// The (ar 2, s √2) width rounds to 63.999996 px in float32, not 64.
  @Test func float32RoundingOfSqrtTwoTimesSqrtTwo() {
    let anchors = gen.generate(imageHeight: 320, imageWidth: 320)
    let widthPx = (anchors[4 * 3 + 3] - anchors[4 * 3 + 1]) * 320
    let s = Float(2.0.squareRoot()), r = Float(2).squareRoot()
    #expect((s * r) * 32 == 63.999996)
    #expect(abs(widthPx - 64) < 1e-4)
  }

  /// Level 7 (stride 128): 320 mod 128 ≠ 0 → offset 0, centers at 0, 128, 256 px.
  @Test func level7HasZeroOffset() {
    let anchors = gen.generate(imageHeight: 320, imageWidth: 320)
    for y in 0..<3 {
      for x in 0..<3 {
        let i = 12_750 + (y * 3 + x) * 6          // a = 0, square 512 px
        let yc = (anchors[4 * i] + anchors[4 * i + 2]) / 2 * 320
        let xc = (anchors[4 * i + 1] + anchors[4 * i + 3]) / 2 * 320
        #expect(abs(yc - Float(128 * y)) < 1e-3)
        #expect(abs(xc - Float(128 * x)) < 1e-3)
      }
    }
    // Level 6 (stride 64) keeps its offset 32.
    #expect(abs((anchors[4 * 12_600] + anchors[4 * 12_600 + 2]) / 2 * 320 - 32) < 1e-4)
  }

  /// Height and width decide their offsets separately: 192×320 has 192 mod 128 ≠ 0 but
  /// 192 mod 64 == 0; a 200×256 image has offsets only where the axis divides.
  @Test func nonSquareImageUsesPerAxisOffsets() {
    let g = AnchorGenerator(minLevel: 3, maxLevel: 4, anchorScale: 2, aspectRatios: [1.0], scalesPerOctave: 1)
    let shapes = g.featureMapShapes(imageHeight: 200, imageWidth: 256)
    #expect(shapes.map { $0.height } == [25, 13])
    #expect(shapes.map { $0.width } == [32, 16])
    let anchors = g.generate(imageHeight: 200, imageWidth: 256)
    #expect(anchors.count == (25 * 32 + 13 * 16) * 4)
    // Level 3: 200 mod 8 == 0 and 256 mod 8 == 0 → offset 4 on both axes; box 16 px.
    #expect(anchors[0] == (4 - 8) * (Float(1) / 200))
    #expect(anchors[1] == (4 - 8) * (Float(1) / 256))
    // Level 4 (stride 16): 200 mod 16 = 8 → y offset 0; 256 mod 16 = 0 → x offset 8; box 32 px.
    let i = 25 * 32 + 1 * 16 + 2                    // y = 1, x = 2
    #expect(anchors[4 * i] == (16 - 16) * (Float(1) / 200))
    #expect(anchors[4 * i + 1] == (Float(2 * 16 + 8) - 16) * (Float(1) / 256))
    #expect(anchors[4 * i + 2] == (16 + 16) * (Float(1) / 200))
    #expect(anchors[4 * i + 3] == (Float(2 * 16 + 8) + 16) * (Float(1) / 256))
  }

  /// Within a location the order is aspect-major, scale-minor; across locations y then x.
  @Test func orderIsLevelYXAnchor() {
    let anchors = gen.generate(imageHeight: 320, imageWidth: 320)
    func hw(_ i: Int) -> (Float, Float) {
      ((anchors[4 * i + 2] - anchors[4 * i]) * 320, (anchors[4 * i + 3] - anchors[4 * i + 1]) * 320)
    }
    let expected: [(Float, Float)] = [(32, 32), (45.254833, 45.254833), (22.627417, 45.254833),
                                      (32, 64), (45.254833, 22.627417), (64, 32)]
    for a in 0..<6 {
      let (h, w) = hw(a)
      #expect(abs(h - expected[a].0) < 1e-3 && abs(w - expected[a].1) < 1e-3, "anchor \(a): \(h)×\(w)")
    }
    // Row 1 of level 3 starts at index 40·6: y center 12 px, x center 4 px.
    let i = 40 * 6
    #expect(abs((anchors[4 * i] + anchors[4 * i + 2]) / 2 * 320 - 12) < 1e-4)
    #expect(abs((anchors[4 * i + 1] + anchors[4 * i + 3]) / 2 * 320 - 4) < 1e-4)
  }
}
