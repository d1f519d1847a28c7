@testable import Data

/// Small deterministic images for tests.
enum TestImages {
  /// Pseudo-random pixels (every byte value occurs), so any index mix-up shows.
  static func noise(height: Int, width: Int, seed: UInt64) -> RGBImage {
    var rng = SampleRandom(seed: seed)
    return RGBImage(height: height, width: width, pixels: (0..<(height * width * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
  }

  /// Background `bg` with a solid rectangle of colour `fg` over rows y0..<y1, cols x0..<x1.
  static func solidBox(height: Int, width: Int, y0: Int, x0: Int, y1: Int, x1: Int,
                       fg: (UInt8, UInt8, UInt8), bg: (UInt8, UInt8, UInt8)) -> RGBImage {
    var img = RGBImage(height: height, width: width, fill: bg)
    for y in y0..<y1 {
      for x in x0..<x1 {
        let i = (y * width + x) * 3
        img.pixels[i] = fg.0; img.pixels[i + 1] = fg.1; img.pixels[i + 2] = fg.2
      }
    }
    return img
  }
}
