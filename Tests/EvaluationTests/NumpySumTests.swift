import Testing
@testable import Evaluation

// numpy 2.4.6 values (exact): for n in sizes, x = [((i*7919) % 1000)/997.0 + 1.0/(i+1)];
// print(repr(np.sum(x)), repr(np.mean(x))). For n >= 100 a left-to-right sum differs, so
// these pin down numpy's pairwise order.

private let numpyReference: [(n: Int, sum: Double, mean: Double)] = [
  (5, 5.4829321297225, 1.0965864259445),
  (8, 7.464095859005587, 0.9330119823756984),
  (100, 54.384970295974625, 0.5438497029597462),
  (129, 69.89827114692272, 0.5418470631544398),
  (1010, 513.8695386096517, 0.5087817213956948),
  (80800, 40492.719481680266, 0.501147518337627),
]

@Test func pairwiseSumEqualsNumpy() {
  for (n, sum, mean) in numpyReference {
    let x = (0..<n).map { (i: Int) -> Double in Double((i * 7919) % 1000) / 997.0 + 1.0 / Double(i + 1) }
    #expect(NumpySum.sum(x) == sum, "n = \(n)")
    #expect(NumpySum.mean(x) == mean, "n = \(n)")
  }
}
