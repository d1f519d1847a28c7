/// Start-of-training check that every rank has the same variable layout and bucket plan:
/// a mismatch would silently add unrelated gradients together.
public enum LayoutCheck {
  /// Collective: compares `plan.fingerprint` across ranks (gathered to rank 0, verdict
  /// broadcast). If any differs, rank 0 gathers every rank's `canonicalLines`, writes a report
  /// of the differences (at most `maxLines` lines per rank) and broadcasts it, and every rank
  /// throws `CommError.layoutMismatch(report:)`.
  public static func verify(_ plan: BucketPlan, ring: RingAllReduce, maxLines: Int = 8, slot: CollectiveTag.Slot = .layoutCheck) throws {
    var fingerprint = plan.fingerprint
    let mine = withUnsafeBytes(of: &fingerprint) { Array($0) }
    let gathered = try ring.gather(bytes: mine, root: 0, slot: slot)
    var verdict: [UInt8] = [0]
    if let gathered, Set(gathered).count > 1 { verdict = [1] }
    verdict = try ring.broadcast(bytes: verdict, root: 0, slot: slot)
    guard verdict == [1] else { return }
    let lines = plan.canonicalLines.joined(separator: "\n")
    let all = try ring.gather(bytes: Array(lines.utf8), root: 0, slot: slot)
    var report: [UInt8] = []
    if let all {
      let texts = all.map { String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
      report = Array(describeDifferences(texts, maxLines: maxLines).utf8)
    }
    report = try ring.broadcast(bytes: report, root: 0, slot: slot)
    throw CommError.layoutMismatch(report: String(decoding: report, as: UTF8.self))
  }

  /// A human-readable comparison of each rank's layout lines against rank 0's.
  public static func describeDifferences(_ ranks: [[String]], maxLines: Int) -> String {
    var out: [String] = []
    let reference = ranks[0]
    for (r, lines) in ranks.enumerated() where r > 0 && lines != reference {
      let variables = lines.filter { $0.hasPrefix("variable ") }.count
      let referenceVariables = reference.filter { $0.hasPrefix("variable ") }.count
      out.append("rank \(r) differs from rank 0 (\(variables) variables vs \(referenceVariables)):")
      var shown = 0, differing = 0
      for i in 0..<max(lines.count, reference.count) {
        let a = i < reference.count ? reference[i] : "(nothing)"
        let b = i < lines.count ? lines[i] : "(nothing)"
        if a == b { continue }
        differing += 1
        if shown < maxLines {
          out.append("  rank 0: \(a)")
          out.append("  rank \(r): \(b)")
          shown += 1
        }
      }
      if differing > shown { out.append("  … and \(differing - shown) more differing lines") }
    }
    return out.joined(separator: "\n")
  }
}
