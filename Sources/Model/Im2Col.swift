/// Lowering of a convolution to a matrix product (and back), on a range of output rows.
///
/// Row `r` of the column matrix is output position `r = (n·Ho + oy)·Wo + ox`; its
/// `kh·kw·Cin` entries are the input patch in HWIO order (tap (i, j) then channel), so the
/// kernel viewed as a `[kh·kw·Cin, Cout]` matrix multiplies it directly. Padded taps are 0.
/// Within one kernel row the valid taps are contiguous in NHWC memory and move as one block.
public enum Im2Col {
  /// Writes rows `rows` of the column matrix of `x` into `col` (row-major, stride `patch`).
  public static func gather(_ s: ConvShape, x: UnsafePointer<Float>, rows: Range<Int>,
                            col: UnsafeMutablePointer<Float>) {
    Parallel.forEachChunk(count: rows.count, minChunk: max(1, 16_384 / max(s.patch, 1))) { _, part in
      gatherSerial(s, x: x, rows: (rows.lowerBound + part.lowerBound)..<(rows.lowerBound + part.upperBound),
                   col: col + part.lowerBound * s.patch)
    }
  }

  /// Single-threaded `gather`; `col` points at the row `rows.lowerBound`.
  static func gatherSerial(_ s: ConvShape, x: UnsafePointer<Float>, rows: Range<Int>,
                           col: UnsafeMutablePointer<Float>) {
    let c = s.inChannels, kw = s.kernelWidth, kh = s.kernelHeight
    let rowLen = kw * c
    let perImage = s.outHeight * s.outWidth
    var dst = col
    for r in rows {
      let n = r / perImage, p = r - n * perImage
      let oy = p / s.outWidth, ox = p - oy * s.outWidth
      let x0 = ox * s.stride - s.padLeft
      let jlo = max(0, -x0), jhi = min(kw, s.inWidth - x0)
      for i in 0..<kh {
        let iy = oy * s.stride - s.padTop + i
        if iy < 0 || iy >= s.inHeight || jlo >= jhi {
          dst.update(repeating: 0, count: rowLen)
        } else {
          if jlo > 0 { dst.update(repeating: 0, count: jlo * c) }
          let src = x + ((n * s.inHeight + iy) * s.inWidth + x0 + jlo) * c
          (dst + jlo * c).update(from: src, count: (jhi - jlo) * c)
          if jhi < kw { (dst + jhi * c).update(repeating: 0, count: (kw - jhi) * c) }
        }
        dst += rowLen
      }
    }
  }

  /// Adds rows `rows` of a column-matrix gradient `dCol` (pointing at row `rows.lowerBound`)
  /// back into the input gradient `dx` (the transpose of `gather`). Threads split channels,
  /// so no two threads touch the same element.
  public static func scatterAdd(_ s: ConvShape, dCol: UnsafePointer<Float>, rows: Range<Int>,
                                dx: UnsafeMutablePointer<Float>) {
    let c = s.inChannels
    let chunks = (c >= 32 && rows.count * s.patch >= 65_536) ? Parallel.chunkCount(count: c, minChunk: 16) : 1
    if chunks <= 1 {
      scatterAddSerial(s, dCol: dCol, rows: rows, channels: 0..<c, dx: dx)
      return
    }
    Parallel.forEachChunk(count: c, minChunk: 16) { _, part in
      scatterAddSerial(s, dCol: dCol, rows: rows, channels: part, dx: dx)
    }
  }

  static func scatterAddSerial(_ s: ConvShape, dCol: UnsafePointer<Float>, rows: Range<Int>,
                               channels: Range<Int>, dx: UnsafeMutablePointer<Float>) {
    let c = s.inChannels, kw = s.kernelWidth, kh = s.kernelHeight
    let perImage = s.outHeight * s.outWidth
    let c0 = channels.lowerBound, cn = channels.count
    var src = dCol
    for r in rows {
      let n = r / perImage, p = r - n * perImage
      let oy = p / s.outWidth, ox = p - oy * s.outWidth
      let x0 = ox * s.stride - s.padLeft
      let jlo = max(0, -x0), jhi = min(kw, s.inWidth - x0)
      for i in 0..<kh {
        let iy = oy * s.stride - s.padTop + i
        if iy >= 0 && iy < s.inHeight && jlo < jhi {
          let base = dx + ((n * s.inHeight + iy) * s.inWidth + x0) * c + c0
          if cn == c {
            // All channels: the valid taps are one contiguous run.
            let d = base + jlo * c, g = src + jlo * c
            for t in 0..<((jhi - jlo) * c) { d[t] += g[t] }
          } else {
            for j in jlo..<jhi {
              let d = base + j * c, g = src + j * c + c0
              for t in 0..<cn { d[t] += g[t] }
            }
          }
        }
        src += kw * c
      }
    }
  }
}
