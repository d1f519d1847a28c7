/// Per-anchor training targets of one image, produced by `TargetAssigner`.
///
/// Class targets are kept compact: anchor j's 91-wide target row is all zeros except a 1 at
/// `classSlots[j]` when that is ≥ 1 (slot 0, background, is always 0). `denseClassTargets()`
/// expands them. Classification weights are per anchor (the same for every slot).
public struct AssignedTargets {
  /// `[A]`: matched ground-truth row, −1 unmatched (negative), −2 ignored.
  public var matches: [Int32]
  /// `[A]`: the class slot (1...numClasses) whose target is 1, or 0 for an all-zero row.
  public var classSlots: [Int32]
  /// `[A, 4]` flat `[ty, tx, th, tw]`; 0 for unmatched/ignored anchors.
  public var regressionTargets: [Float]
  /// `[A]`: ground-truth weight for matched anchors, 0 otherwise.
  public var regressionWeights: [Float]
  /// `[A]`: ground-truth weight for matched, negative class weight for unmatched, 0 for ignored.
  public var classWeights: [Float]
  /// Number of matched anchors.
  public var numMatches: Int
  /// Width of a class target row (numClasses + 1).
  public var classSlotCount: Int

  public var anchorCount: Int { matches.count }

  /// `[A, classSlotCount]` flat one-hot class targets.
  public func denseClassTargets() -> [Float] {
    var out = [Float](repeating: 0, count: anchorCount * classSlotCount)
    for j in 0..<anchorCount where classSlots[j] > 0 {
      out[j * classSlotCount + Int(classSlots[j])] = 1
    }
    return out
  }
}
