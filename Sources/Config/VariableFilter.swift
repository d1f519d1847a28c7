/// `train_config.update_trainable_variables` and `train_config.freeze_variables` as the fork's
/// `model_lib.create_model_fn` applies them: `tf.contrib.framework.filter_variables(
/// tf.trainable_variables(), include_patterns=update_trainable_variables or None,
/// exclude_patterns=freeze_variables or None)`, whose result is the `variables=` list of
/// `optimize_loss`. So:
/// - matching is Python's `re.search` (a pattern matches anywhere in the name; anchor it with
///   `^` for a prefix) against TensorFlow's variable name **with its `:0` output suffix**
///   (`FeatureExtractor/resnet_v1_50/conv1/weights:0`), so `weights$` matches nothing;
/// - a variable is trained when it matches some include pattern (every variable when the
///   include list is empty) and no exclude pattern: the exclude list wins;
/// - a variable that is not trained gets no gradient, no update and no momentum slot update
///   (TensorFlow creates no slot for it at all; ours stays zero), is left out of the
///   gradient-clipping norm, and still counts in the L2 regularization loss;
/// - non-trainable variables (batch-norm moving statistics) are not in the list: they
///   update as usual whatever the patterns say;
/// - when nothing is left to train TensorFlow stops with "No variables to optimize";
///   `resolve` reports it and the trainer refuses to start.
public struct VariableFilter: Sendable {
  public let include: [String]
  public let exclude: [String]
  private let includeRegexes: [PatternMatcher]
  private let excludeRegexes: [PatternMatcher]

  /// Compiles the patterns. Throws `VariableFilterError` naming the bad pattern (the config
  /// verdict reports these at their field first).
  public init(updateTrainableVariables include: [String], freezeVariables exclude: [String]) throws {
    self.include = include
    self.exclude = exclude
    includeRegexes = try include.enumerated().map { try PatternMatcher($1, field: "update_trainable_variables", index: $0) }
    excludeRegexes = try exclude.enumerated().map { try PatternMatcher($1, field: "freeze_variables", index: $0) }
  }

  /// The filter of a train config.
  public init(_ train: TrainConfig) throws {
    try self.init(updateTrainableVariables: train.updateTrainableVariables, freezeVariables: train.freezeVariables)
  }

  /// No patterns: every trainable variable trains.
  public var isEmpty: Bool { include.isEmpty && exclude.isEmpty }

  /// Whether the trainable variable `name` (TensorFlow's op name, without `:0`) is trained.
  public func trains(_ name: String) -> Bool {
    let tensorName = name + ":0"
    if !includeRegexes.isEmpty && !includeRegexes.contains(where: { $0.matches(tensorName) }) { return false }
    return !excludeRegexes.contains { $0.matches(tensorName) }
  }

  /// The patterns applied to the model's trainable variables, in order.
  public func resolve(_ names: [String]) -> TrainableSelection {
    let trains = names.map(self.trains)
    func unmatched(_ regexes: [PatternMatcher]) -> [String] {
      regexes.filter { r in !names.contains { r.matches($0 + ":0") } }.map(\.pattern)
    }
    return TrainableSelection(names: names, trains: trains, includePatternsMatchingNothing: unmatched(includeRegexes),
                              excludePatternsMatchingNothing: unmatched(excludeRegexes), filter: self)
  }

  /// Why `pattern` is not a regular expression, or nil when it compiles.
  public static func compileProblem(_ pattern: String) -> String? {
    do {
      _ = try PatternMatcher(pattern, field: "", index: 0)
      return nil
    } catch {
      return "'\(pattern)' is not a regular expression: \(error.reason)"
    }
  }
}

/// A pattern that does not compile.
public struct VariableFilterError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `freeze_variables` or `update_trainable_variables`, and the index in it.
  public var field: String
  public var index: Int
  public var pattern: String
  public var reason: String

  public var description: String {
    "train_config.\(field)[\(index)]: '\(pattern)' is not a regular expression: \(reason)"
  }
}

/// One compiled pattern, searched like Python's `re.search`.
private struct PatternMatcher: @unchecked Sendable {
  let pattern: String
  // Regex is not Sendable; a compiled pattern is only read.
  let regex: Regex<AnyRegexOutput>

  init(_ pattern: String, field: String, index: Int) throws(VariableFilterError) {
    self.pattern = pattern
    do {
      regex = try Regex(pattern)
    } catch {
      throw VariableFilterError(field: field, index: index, pattern: pattern, reason: "\(error)")
    }
  }

  func matches(_ name: String) -> Bool {
    (try? regex.firstMatch(in: name)) != nil
  }
}
