/// NumPy's float64 summation, reproduced operation for operation so means agree bit for bit.
///
/// `numpy.sum`/`numpy.mean` of a contiguous float64 array use pairwise summation: fewer
/// than 8 values are added left to right; up to 128 values go into 8 interleaved partial
/// sums combined as `((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7))`, then the leftover tail is
/// added; longer arrays split at `n/2` rounded down to a multiple of 8 and recurse.
/// (Checked against numpy 2.4 for lengths 5...100000.)
enum NumpySum {
  /// `numpy.sum(values)`.
  static func sum(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { 0.0 + pairwise($0.baseAddress!, $0.count) }
  }

  /// `numpy.mean(values)`; NaN for an empty array (callers check first).
  static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : sum(values) / Double(values.count)
  }

  private static func pairwise(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
      var res = 0.0
      for i in 0..<n { res += a[i] }
      return res
    } else if n <= 128 {
      var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
      var i = 8
      let end = n - n % 8
      while i < end {
        r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3]
        r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7]
        i += 8
      }
      var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
      while i < n { res += a[i]; i += 1 }
      return res
    } else {
      var n2 = n / 2
      n2 -= n2 % 8
      return pairwise(a, n2) + pairwise(a + n2, n - n2)
    }
  }
}
