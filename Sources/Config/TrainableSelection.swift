/// `VariableFilter` resolved over a model's trainable variables: which ones train, with the
/// counts the trainer reports at start and the problems that stop it.
public struct TrainableSelection: Sendable {
  /// The trainable variables' names, in the model's order.
  public let names: [String]
  /// `trains[i]`: whether `names[i]` is updated.
  public let trains: [Bool]
  /// `update_trainable_variables` patterns that select no variable.
  public let includePatternsMatchingNothing: [String]
  /// `freeze_variables` patterns that freeze no variable.
  public let excludePatternsMatchingNothing: [String]
  public let filter: VariableFilter

  public var trainedCount: Int { trains.filter { $0 }.count }
  public var frozenCount: Int { trains.count - trainedCount }
  public var frozenNames: [String] { zip(names, trains).filter { !$0.1 }.map(\.0) }

  /// Nil when something trains; otherwise TensorFlow's "No variables to optimize" in our words.
  public var nothingToTrain: String? {
    guard trainedCount == 0, !names.isEmpty else { return nil }
    return "(with update_trainable_variables) leaves none of the \(names.count) trainable "
      + "variables to train (TensorFlow stops with \"No variables to optimize\"); patterns are searched in names "
      + "such as \(names[0]):0"
  }

  /// The lines printed at start: counts, the patterns that match nothing (a likely typo; the
  /// `:0` suffix makes `$`-anchored patterns match nothing), and up to `listed` frozen names.
  public func reportLines(listed: Int = 10) -> [String] {
    guard !filter.isEmpty else { return [] }
    var lines = ["trainable variables: \(trainedCount) of \(names.count) train, \(frozenCount) frozen "
      + "(update_trainable_variables: \(filter.include.isEmpty ? "all" : filter.include.map { "'\($0)'" }.joined(separator: ", "))"
      + "; freeze_variables: \(filter.exclude.isEmpty ? "none" : filter.exclude.map { "'\($0)'" }.joined(separator: ", ")))"]
    for p in includePatternsMatchingNothing {
      lines.append("warning: update_trainable_variables '\(p)' matches no variable (patterns are searched in names such as "
        + "\(names.first ?? "?"):0)")
    }
    for p in excludePatternsMatchingNothing {
      lines.append("warning: freeze_variables '\(p)' matches no variable (patterns are searched in names such as "
        + "\(names.first ?? "?"):0)")
    }
    let frozen = frozenNames
    for name in frozen.prefix(listed) { lines.append("  frozen \(name)") }
    if frozen.count > listed { lines.append("  … and \(frozen.count - listed) more frozen") }
    return lines
  }
}
