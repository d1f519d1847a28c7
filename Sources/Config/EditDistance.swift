/// Levenshtein distance between two strings, compared case-insensitively (insert, delete,
/// substitute each cost 1). Used for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a.lowercased().unicodeScalars)
  let y = Array(b.lowercased().unicodeScalars)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var previous = Array(0...y.count)
  var current = [Int](repeating: 0, count: y.count + 1)
  for i in 1...x.count {
    current[0] = i
    for j in 1...y.count {
      let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
      current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
    }
    swap(&previous, &current)
  }
  return previous[y.count]
}

/// The candidate nearest to `name`, if it is a plausible misspelling: distance at most
/// max(1, min(3, name.count / 3)). Ties go to the earliest candidate.
func nearestName(to name: String, in candidates: [String]) -> String? {
  let limit = max(1, min(3, name.count / 3))
  var best: (name: String, distance: Int)?
  for candidate in candidates {
    let d = editDistance(name, candidate)
    if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
  }
  return best?.name
}
