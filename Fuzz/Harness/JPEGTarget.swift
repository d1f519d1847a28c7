import Data

/// The JPEG wrapper (libjpeg-turbo through `JPEGDecoder`): header, full decode into a
/// reused image, as the input pipeline and `ssd data inspect` decode `image/encoded`.
/// Input: the JPEG file bytes.
enum JPEGTarget {
  static let decoder = JPEGDecoder()
  nonisolated(unsafe) static var image = RGBImage(height: 0, width: 0, pixels: [])
  /// Images larger than this (pixels) are not fully decoded while fuzzing (see `run`).
  static let maxFuzzPixels = 1 << 22

  static func run(_ input: [UInt8]) {
    input.withUnsafeBytes { raw in
      var header: JPEGHeader?
      do { header = try decoder.header(raw) } catch { fuzzCheck(error is JPEGError, "header threw \(type(of: error))") }
      // A legal header may declare up to 2^29 bytes of pixels (65500 x 1245 in 170 bytes):
      // decoding that is ~1 s in release but minutes in the -Onone + ASan harness CI runs, a
      // timeout that says nothing about the parser. Such images get the header checks only;
      // the size limit itself is pinned by the JPEG regression tests.
      if let h = header, h.width * h.height > Self.maxFuzzPixels { return }
      do {
        try decoder.decode(raw, into: &image)
        fuzzCheck(header != nil, "decoded an image whose header did not read")
        fuzzCheck(image.width == header!.width && image.height == header!.height, "decoded size differs from the header")
        fuzzCheck(image.pixels.count == image.width * image.height * 3, "pixel count does not match the size")
      } catch {
        fuzzCheck(error is JPEGError, "decode threw \(type(of: error))")
        fuzzCheck(image.pixels.isEmpty && image.width == 0, "a failed decode left an image behind")
      }
    }
  }

  /// Small JPEGs of every chroma layout, baseline and progressive, plus the images of the
  /// first fixture records.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    let encoder = JPEGEncoder()
    for (w, h) in [(8, 8), (17, 9), (33, 16)] {
      var pixels = [UInt8](repeating: 0, count: w * h * 3)
      for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: i &* 37 &+ (i / 3) &* 11) }
      let image = RGBImage(height: h, width: w, pixels: pixels)
      for subsampling in [JPEGSubsampling.s444, .s422, .s420, .gray, .s440, .s411] {
        for progressive in [false, true] {
          if let jpeg = try? encoder.encode(image, quality: 75, subsampling: subsampling, progressive: progressive) {
            out.append(jpeg)
          }
        }
      }
    }
    for path in paths {
      guard let bytes = Scratch.read(path) else { continue }
      guard path.contains(".record") else {  // a JPEG file (regression inputs)
        out.append(bytes)
        continue
      }
      for record in TFRecordScanner.scan(bytes, path: path).records.prefix(2) {
        if let example = try? TFExample(serialized: record.payload),
           case .bytes(let v)? = example[DetectionExampleDecoder.Key.encoded], let jpeg = v.first, jpeg.count < 16384 {
          out.append(jpeg)
        }
      }
    }
    return out
  }
}
