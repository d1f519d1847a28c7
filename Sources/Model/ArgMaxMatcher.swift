/// The Object Detection API's `ArgMaxMatcher`: matches columns (anchors) to rows
/// (ground-truth boxes) of a similarity matrix.
///
/// Result per column: row index ≥ 0 (matched), −1 (unmatched → negative), −2 (ignored).
/// ```
/// m_j = argmax_i S[i, j] (first index on ties),  v_j = max_i S[i, j]
/// v_j ≥ matched                 → m_j
/// unmatched ≤ v_j < matched     → −2 (−1 if !negativesLowerThanUnmatched)
/// v_j < unmatched               → −1 (−2 if !negativesLowerThanUnmatched)
/// force match: each valid row i claims c_i = argmax_j S[i, j] (first index on ties),
///              overriding the above; if rows collide on a column the lowest row wins.
/// ```
/// Worked example (thresholds 0.5/0.5, rows 0 and 1 valid):
/// `S = [[0.6, 0.2, 0.0], [0.7, 0.3, 0.0]]` → column argmax [1, 1, 0], values [0.7, 0.3, 0]
/// → [1, −1, −1]; force: row 0 claims column 0, row 1 claims column 0 too (its first max),
/// lowest row wins → final [0, −1, −1] (row 1 ends up with no anchor).
/// A matrix with no rows gives all −1.
public struct ArgMaxMatcher {
  /// `nil` disables the thresholds (every column keeps its argmax row; config `ignore_thresholds`).
  public var matchedThreshold: Float?
  public var unmatchedThreshold: Float?
  public var negativesLowerThanUnmatched: Bool
  public var forceMatchForEachRow: Bool

  public static let unmatched: Int32 = -1
  public static let ignored: Int32 = -2

  /// SSD320 v1.2 defaults: 0.5 / 0.5, negatives lower than unmatched, force match.
  public init(matchedThreshold: Float? = 0.5, unmatchedThreshold: Float? = 0.5,
              negativesLowerThanUnmatched: Bool = true, forceMatchForEachRow: Bool = true) {
    if let m = matchedThreshold {
      let u = unmatchedThreshold ?? m
      precondition(u <= m, "ArgMaxMatcher: unmatched threshold \(u) must not exceed matched threshold \(m)")
      precondition(negativesLowerThanUnmatched || u != m,
                   "ArgMaxMatcher: with negativesLowerThanUnmatched false the thresholds must differ (both \(m))")
      self.unmatchedThreshold = u
    } else {
      precondition(unmatchedThreshold == nil, "ArgMaxMatcher: unmatched threshold given without a matched threshold")
      self.unmatchedThreshold = nil
    }
    self.matchedThreshold = matchedThreshold
    self.negativesLowerThanUnmatched = negativesLowerThanUnmatched
    self.forceMatchForEachRow = forceMatchForEachRow
  }

  /// Matches with a sparse set of computed rows (the fast path used by `TargetAssigner`).
  ///
  /// - Parameters:
  ///   - similarity: `[rowIndices.count, columns]` row-major; row k holds matrix row `rowIndices[k]`.
  ///   - rowIndices: strictly increasing row indices in `0..<totalRows` that were computed.
  ///     Rows not listed are taken to be all zeros and must not be valid.
  ///   - validRows: `[totalRows]`, rows allowed to force-match (weight > 0).
  /// - Precondition: every similarity value is ≥ 0 (IoU), so an omitted row can only win a
  ///   column whose maximum is 0, where the answer is row 0 — the same as the full matrix.
  /// - Returns: `[columns]` matches (row, −1 or −2).
  public func match(similarity: UnsafeBufferPointer<Float>, rowIndices: [Int], columns: Int,
                    validRows: [Bool]) -> [Int32] {
    let totalRows = validRows.count
    precondition(similarity.count == rowIndices.count * columns,
                 "ArgMaxMatcher: similarity has \(similarity.count) values, expected \(rowIndices.count)×\(columns)")
    var result = [Int32](repeating: ArgMaxMatcher.unmatched, count: columns)
    if totalRows == 0 || columns == 0 { return result }
    var computed = [Bool](repeating: false, count: totalRows)
    for r in rowIndices { computed[r] = true }
    for (r, v) in validRows.enumerated() where v {
      precondition(computed[r], "ArgMaxMatcher: valid row \(r) was not computed")
    }
    // Column max / argmax. Start from value 0 at row 0: exact for non-negative matrices.
    var best = [Float](repeating: 0, count: columns)
    var arg = [Int32](repeating: 0, count: columns)
    best.withUnsafeMutableBufferPointer { bp in
      arg.withUnsafeMutableBufferPointer { ap in
        for (k, r) in rowIndices.enumerated() {
          let row = similarity.baseAddress! + k * columns
          let ri = Int32(r)
          for j in 0..<columns {
            let s = row[j]
            let better = s > bp[j]
            bp[j] = better ? s : bp[j]
            ap[j] = better ? ri : ap[j]
          }
        }
      }
    }
    for j in 0..<columns {
      let v = best[j]
      var m = arg[j]
      if let mt = matchedThreshold, let ut = unmatchedThreshold {
        if v < ut {
          m = negativesLowerThanUnmatched ? ArgMaxMatcher.unmatched : ArgMaxMatcher.ignored
        } else if v < mt {
          m = negativesLowerThanUnmatched ? ArgMaxMatcher.ignored : ArgMaxMatcher.unmatched
        }
      }
      result[j] = m
    }
    if forceMatchForEachRow {
      // Highest row first so the lowest row writes last and wins collisions.
      for (k, r) in rowIndices.enumerated().reversed() where validRows[r] {
        let row = similarity.baseAddress! + k * columns
        var c = 0
        var v = row[0]
        for j in 1..<columns where row[j] > v { v = row[j]; c = j }
        result[c] = Int32(r)
      }
    }
    return result
  }

  /// Matches with the full `[rows, columns]` matrix (any values; the literal algorithm).
  /// Reference for the fast path and for general similarity matrices.
  public func match(similarity: [Float], rows: Int, columns: Int, validRows: [Bool]) -> [Int32] {
    precondition(similarity.count == rows * columns && validRows.count == rows,
                 "ArgMaxMatcher: similarity \(similarity.count) values / \(validRows.count) valid flags for \(rows)×\(columns)")
    var result = [Int32](repeating: ArgMaxMatcher.unmatched, count: columns)
    if rows == 0 { return result }
    for j in 0..<columns {
      var m = 0
      var v = similarity[j]
      for i in 1..<rows where similarity[i * columns + j] > v { v = similarity[i * columns + j]; m = i }
      var out = Int32(m)
      if let mt = matchedThreshold, let ut = unmatchedThreshold {
        let below = ut > v
        let between = v >= ut && mt > v
        if negativesLowerThanUnmatched {
          if below { out = -1 }
          if between { out = -2 }
        } else {
          if below { out = -2 }
          if between { out = -1 }
        }
      }
      result[j] = out
    }
    if forceMatchForEachRow {
      // One-hot indicator of each valid row's argmax column; per column the first row wins.
      var forcedRow = [Int](repeating: -1, count: columns)
      for i in 0..<rows where validRows[i] {
        var c = 0
        var v = similarity[i * columns]
        for j in 1..<columns where similarity[i * columns + j] > v { v = similarity[i * columns + j]; c = j }
        if forcedRow[c] < 0 { forcedRow[c] = i }
      }
      for j in 0..<columns where forcedRow[j] >= 0 { result[j] = Int32(forcedRow[j]) }
    }
    return result
  }
}
