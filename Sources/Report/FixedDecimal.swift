#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `String(format: "%.Nf", v)`, the same characters, through C's `vsnprintf` directly.
///
/// The SVG plots format every coordinate with one decimal: a report of a long run formats
/// hundreds of thousands of numbers, and Foundation's `String(format:)` (CFString's format
/// parser, boxed arguments, a locale lookup per call) took a quarter of the time of rendering
/// one (`perf`, the `events` fuzz target). The conversion itself is C's either way.
enum FixedDecimal {
  /// `%.0f` … `%.10f`, as C strings.
  private static let formats: [[CChar]] = (0...10).map { Array("%.\($0)f".utf8CString) }

  /// `v` with `decimals` (0...10; clamped) digits after the point, as `printf("%.*f")` writes it:
  /// correctly rounded from the exact binary value (ties to even), "-0.0", "nan", "inf".
  static func string(_ v: Double, decimals: Int) -> String {
    let d = min(max(decimals, 0), 10)
    let capacity = 40
    let short: String? = formats[d].withUnsafeBufferPointer { format in
      withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer -> String? in
        let n = withVaList([v]) { vsnprintf(buffer.baseAddress!, capacity, format.baseAddress!, $0) }
        guard n >= 0 && n < capacity else { return nil }
        return String(cString: buffer.baseAddress!)
      }
    }
    // Values of 1e28 and more need more room than the buffer (up to 309 digits).
    return short ?? String(format: "%.\(d)f", v)
  }
}
