import Testing
@testable import Model

@Suite struct ArgMaxMatcherTests {
  let matcher = ArgMaxMatcher()

  /// Sparse fast path with every row computed.
  func fast(_ m: ArgMaxMatcher, _ s: [Float], rows: Int, valid: [Bool]) -> [Int32] {
    s.withUnsafeBufferPointer { m.match(similarity: $0, rowIndices: Array(0..<rows), columns: s.count / rows, validRows: valid) }
  }

  /// The worked example of the type's doc comment: both rows pick column 0, row 0 wins.
  @Test func forceMatchCollisionLowestRowWins() {
    let s: [Float] = [0.6, 0.2, 0.0,
                      0.7, 0.3, 0.0]
    let expected: [Int32] = [0, -1, -1]
    #expect(matcher.match(similarity: s, rows: 2, columns: 3, validRows: [true, true]) == expected)
    #expect(fast(matcher, s, rows: 2, valid: [true, true]) == expected)
  }

  /// A valid row whose best IoU is below 0.5 still gets its best anchor.
  @Test func forcedMatchBelowThreshold() {
    let s: [Float] = [0.1, 0.3, 0.2, 0.0,
                      0.0, 0.0, 0.55, 0.9]
    let expected: [Int32] = [-1, 0, 1, 1]
    #expect(matcher.match(similarity: s, rows: 2, columns: 4, validRows: [true, true]) == expected)
    #expect(fast(matcher, s, rows: 2, valid: [true, true]) == expected)
    // Without force matching, column 1 stays negative.
    let plain = ArgMaxMatcher(forceMatchForEachRow: false)
    #expect(plain.match(similarity: s, rows: 2, columns: 4, validRows: [true, true]) == [-1, -1, 1, 1])
  }

  /// Column ties go to the first row; a row's ties go to its first column.
  @Test func tiesTakeFirstIndex() {
    let s: [Float] = [0.6, 0.4, 0.4,
                      0.6, 0.4, 0.4]
    // Columns: 0 → row 0 (tie), 1, 2 below threshold. Force: row 0 → col 0, row 1 → col 0; row 0 wins.
    #expect(matcher.match(similarity: s, rows: 2, columns: 3, validRows: [true, true]) == [0, -1, -1])
    #expect(fast(matcher, s, rows: 2, valid: [true, true]) == [0, -1, -1])
    // Only row 1 valid: its first maximal column is 0.
    #expect(matcher.match(similarity: s, rows: 2, columns: 3, validRows: [false, true]) == [1, -1, -1])
    #expect(fast(matcher, s, rows: 2, valid: [false, true]) == [1, -1, -1])
  }

  /// Padded (invalid) rows never force-match, but their threshold matches stand.
  @Test func paddedRowsNeverForceMatch() {
    let s: [Float] = [0.0, 0.0, 0.0,
                      0.2, 0.7, 0.1]
    #expect(matcher.match(similarity: s, rows: 2, columns: 3, validRows: [false, false]) == [-1, 1, -1])
    #expect(matcher.match(similarity: s, rows: 2, columns: 3, validRows: [true, false]) == [0, 1, -1])
  }

  @Test func thresholdsAndIgnoredBand() {
    let s: [Float] = [0.3, 0.45, 0.5, 0.7]
    let m = ArgMaxMatcher(matchedThreshold: 0.5, unmatchedThreshold: 0.4, forceMatchForEachRow: false)
    #expect(m.match(similarity: s, rows: 1, columns: 4, validRows: [true]) == [-1, -2, 0, 0])
    let swapped = ArgMaxMatcher(matchedThreshold: 0.5, unmatchedThreshold: 0.4,
                                negativesLowerThanUnmatched: false, forceMatchForEachRow: false)
    #expect(swapped.match(similarity: s, rows: 1, columns: 4, validRows: [true]) == [-2, -1, 0, 0])
    let none = ArgMaxMatcher(matchedThreshold: nil, unmatchedThreshold: nil, forceMatchForEachRow: false)
    #expect(none.match(similarity: s, rows: 1, columns: 4, validRows: [true]) == [0, 0, 0, 0])
  }

  @Test func noRowsMeansAllUnmatched() {
    #expect(matcher.match(similarity: [], rows: 0, columns: 3, validRows: []) == [-1, -1, -1])
    let e: [Float] = []
    #expect(e.withUnsafeBufferPointer { matcher.match(similarity: $0, rowIndices: [], columns: 3, validRows: []) } == [-1, -1, -1])
  }

  /// The sparse path (skipping all-zero invalid rows) equals the literal matcher on IoU
  /// matrices with padding rows, exact ties and forced matches.
  @Test func sparsePathMatchesReference() {
    var rng = SplitMix64(seed: 5)
    let anchors = AnchorGenerator(minLevel: 5, maxLevel: 7).generate(imageHeight: 320, imageWidth: 320)
    let a = anchors.count / 4
    for trial in 0..<20 {
      let n = 1 + trial % 6
      var boxes: [Float] = []
      var valid: [Bool] = []
      for k in 0..<(n + 4) {
        if k < n {
          if k == 1 && trial % 3 == 0 {           // duplicate box → identical rows (ties)
            boxes += Array(boxes[0..<4])
          } else {
            let y = rng.nextFloat(in: 0...0.8), x = rng.nextFloat(in: 0...0.8)
            boxes += [y, x, y + rng.nextFloat(in: 0.01...0.5), x + rng.nextFloat(in: 0.01...0.5)]
          }
          valid.append(true)
        } else {
          boxes += [0, 0, 0, 0]
          valid.append(false)
        }
      }
      let full = BoxIoU.matrix(boxes, anchors)
      let reference = matcher.match(similarity: full, rows: n + 4, columns: a, validRows: valid)
      let sparse = Array(full[0..<(n * a)])
      let got = sparse.withUnsafeBufferPointer {
        matcher.match(similarity: $0, rowIndices: Array(0..<n), columns: a, validRows: valid)
      }
      #expect(got == reference, "trial \(trial)")
    }
  }
}
