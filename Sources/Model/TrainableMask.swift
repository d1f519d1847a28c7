/// Which elements of the trainable arena (`ParameterStore.values`/`gradients`) are trained:
/// the variables `train_config.freeze_variables` / `update_trainable_variables` leave to the
/// optimizer (`Config.VariableFilter`), as ascending, coalesced ranges. Frozen elements get
/// no update and no momentum, and their gradients are left out of the clipping norm.
public struct TrainableMask: Equatable, Sendable {
  /// Arena ranges that train, ascending and non-adjacent.
  public let trainedRanges: [Range<Int>]
  /// The arena size (`ParameterStore.trainableCount`).
  public let count: Int

  /// Every element trains.
  public static func all(count: Int) -> TrainableMask {
    TrainableMask(trainedRanges: count > 0 ? [0..<count] : [], count: count)
  }

  public init(trainedRanges: [Range<Int>], count: Int) {
    var merged: [Range<Int>] = []
    for r in trainedRanges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
      precondition(r.lowerBound >= 0 && r.upperBound <= count, "TrainableMask: range \(r) outside the arena 0..<\(count)")
      if let last = merged.last, r.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
      } else {
        merged.append(r)
      }
    }
    self.trainedRanges = merged
    self.count = count
  }

  /// The trainable variables of `params` for which `trains(name)` holds.
  public init(_ params: ParameterStore, trains: (String) -> Bool) {
    let ranges = params.variables.filter { $0.param.trainable && trains($0.name) }
      .map { $0.param.offset..<($0.param.offset + $0.param.count) }
    self.init(trainedRanges: ranges, count: params.trainableCount)
  }

  /// Whether every element trains.
  public var isAll: Bool { trainedRanges == (count > 0 ? [0..<count] : []) }

  public var trainedCount: Int { trainedRanges.reduce(0) { $0 + $1.count } }

  /// The trained parts of `range`, ascending.
  public func trained(in range: Range<Int>) -> [Range<Int>] {
    var out: [Range<Int>] = []
    for r in trainedRanges {
      if r.upperBound <= range.lowerBound { continue }
      if r.lowerBound >= range.upperBound { break }
      out.append(max(r.lowerBound, range.lowerBound)..<min(r.upperBound, range.upperBound))
    }
    return out
  }
}
