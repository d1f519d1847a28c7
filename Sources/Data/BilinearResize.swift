/// TensorFlow 1's legacy bilinear resize (`resize_bilinear`, align_corners = false,
/// half_pixel_centers = false; spec §2.3): for output index i, `src = Float(i)·(in/out)` with
/// the scale in float32, `lower = ⌊src⌋`, `upper = min(⌈src⌉, in − 1)`, `lerp = src − ⌊src⌋`;
/// `top = tl + (tr − tl)·lx`, `bottom = bl + (br − bl)·lx`, `out = top + (bottom − top)·ly`.
/// Output stays float (no rounding). Aspect ratio is not preserved.
///
/// `reference` is the plain per-pixel formula on a float image; `resizeView` is the fast path
/// (tables, reads an 8-bit `PixelView` directly, fuses the mean subtraction). Both give
/// bit-identical results (tested).
public enum BilinearResize {
  /// Interpolation table of one axis.
  struct Axis {
    var lower: [Int]
    var upper: [Int]
    var lerp: [Float]

    init(inSize: Int, outSize: Int) {
      let scale = Float(inSize) / Float(outSize)
      lower = []; upper = []; lerp = []
      for i in 0..<outSize {
        let src = Float(i) * scale
        let f = src.rounded(.down)
        lower.append(max(Int(f), 0))
        upper.append(min(Int(src.rounded(.up)), inSize - 1))
        lerp.append(src - f)
      }
    }
  }

  /// Naive reference: resizes a float image to `height x width`.
  public static func reference(_ image: FloatImage, height: Int, width: Int) -> FloatImage {
    precondition(image.height > 0 && image.width > 0, "cannot resize an empty image")
    let sy = Float(image.height) / Float(height), sx = Float(image.width) / Float(width)
    var out = FloatImage(height: height, width: width, values: [Float](repeating: 0, count: height * width * 3))
    for i in 0..<height {
      let srcY = Float(i) * sy
      let y0 = Int(srcY.rounded(.down)), y1 = min(y0 + 1, image.height - 1)
      let ly = srcY - srcY.rounded(.down)
      for j in 0..<width {
        let srcX = Float(j) * sx
        let x0 = Int(srcX.rounded(.down)), x1 = min(x0 + 1, image.width - 1)
        let lx = srcX - srcX.rounded(.down)
        for c in 0..<3 {
          let top = image[y0, x0, c] + (image[y0, x1, c] - image[y0, x0, c]) * lx
          let bottom = image[y1, x0, c] + (image[y1, x1, c] - image[y1, x0, c]) * lx
          out[i, j, c] = top + (bottom - top) * ly
        }
      }
    }
    return out
  }

  /// Fast path: the view of `source` resized to `height x width`, minus `means` per channel,
  /// written to `output[0 ..< height·width·3]` (HWC). Separable: each needed source row is
  /// interpolated horizontally once into a float row (`top`/`bottom` of the formula, cached for
  /// the next output row), then rows are blended vertically in a contiguous, vectorizable loop.
  /// Same float operations in the same order as `reference`, so results are bit-identical.
  public static func resizeView(_ source: RGBImage, view: PixelView, height: Int, width: Int,
                                means: [Float], into output: UnsafeMutablePointer<Float>) {
    precondition(view.y >= 0 && view.x >= 0 && view.height > 0 && view.width > 0
                   && view.y + view.height <= source.height && view.x + view.width <= source.width,
                 "view \(view) outside a \(source.height)x\(source.width) image")
    precondition(means.count == 3, "means needs R, G, B values")
    let ya = Axis(inSize: view.height, outSize: height), xa = Axis(inSize: view.width, outSize: width)
    let xLo = xa.lower.map { 3 * view.sourceColumn($0) }, xHi = xa.upper.map { 3 * view.sourceColumn($0) }
    let n = width * 3
    let meanRow = (0..<n).map { means[$0 % 3] }
    // Two cached horizontally interpolated rows and the source rows they hold.
    var rows = [Float](repeating: 0, count: 2 * n)
    var cached = [-1, -1]
    let stride = source.width * 3
    source.pixels.withUnsafeBufferPointer { src in
      xLo.withUnsafeBufferPointer { xLo in
        xHi.withUnsafeBufferPointer { xHi in
          xa.lerp.withUnsafeBufferPointer { lxs in
            meanRow.withUnsafeBufferPointer { m in
              rows.withUnsafeMutableBufferPointer { rows in
                let s = src.baseAddress!, r = rows.baseAddress!
                /// The cache slot holding source row `y`, filled if needed (never evicting `keep`).
                func row(_ y: Int, keep: Int) -> UnsafeMutablePointer<Float> {
                  if cached[0] == y { return r }
                  if cached[1] == y { return r + n }
                  let slot = cached[0] == keep ? 1 : 0
                  cached[slot] = y
                  let dst = r + slot * n, line = s + y * stride
                  for j in 0..<width {
                    let a = xLo[j], b = xHi[j], lx = lxs[j]
                    for c in 0..<3 {
                      let tl = Float(line[a + c]), tr = Float(line[b + c])
                      dst[3 * j + c] = tl + (tr - tl) * lx
                    }
                  }
                  return dst
                }
                for i in 0..<height {
                  let y0 = view.y + ya.lower[i], y1 = view.y + ya.upper[i]
                  let top = row(y0, keep: y1), bottom = row(y1, keep: y0)
                  let ly = ya.lerp[i]
                  let o = output + i * n
                  for k in 0..<n { o[k] = top[k] + (bottom[k] - top[k]) * ly - m[k] }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Float source (after colour jitter): resize and subtract means into `output`, table-based.
  public static func resize(_ image: FloatImage, height: Int, width: Int, means: [Float],
                            into output: UnsafeMutablePointer<Float>) {
    let ya = Axis(inSize: image.height, outSize: height), xa = Axis(inSize: image.width, outSize: width)
    let stride = image.width * 3
    image.values.withUnsafeBufferPointer { src in
      let s = src.baseAddress!
      for i in 0..<height {
        let r0 = s + ya.lower[i] * stride, r1 = s + ya.upper[i] * stride, ly = ya.lerp[i]
        for j in 0..<width {
          let a = 3 * xa.lower[j], b = 3 * xa.upper[j], lx = xa.lerp[j]
          for c in 0..<3 {
            let top = r0[a + c] + (r0[b + c] - r0[a + c]) * lx
            let bottom = r1[a + c] + (r1[b + c] - r1[a + c]) * lx
            output[(i * width + j) * 3 + c] = top + (bottom - top) * ly - means[c]
          }
        }
      }
    }
  }
}
