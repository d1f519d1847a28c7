/// A model_main.py flag problem. Descriptions carry no "error:" prefix (the command adds one).
public enum ModelMainFlagsError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknownFlag(String, suggestion: String?)
  case badValue(flag: String, value: String, expected: String)
  case missingValue(flag: String)
  /// Every required flag that is missing.
  case missingRequired([String])
  /// Neither `--num_train_steps` nor a positive `train_config.num_steps`.
  case missingTrainSteps
  /// model_main.py always builds its evaluation input from `eval_input_reader[0]`.
  case missingEvalInputReader

  public var description: String {
    switch self {
    case .unknownFlag(let name, let suggestion):
      return "unknown flag --\(name)" + (suggestion.map { "; did you mean --\($0)?" } ?? "; see --help for the flags")
    case .badValue(let flag, let value, let expected):
      return "--\(flag)=\(value): expected \(expected)"
    case .missingValue(let flag):
      return "--\(flag) needs a value (--\(flag)=VALUE)"
    case .missingRequired(let flags):
      let names = flags.map { "--\($0)" }
      return names.count == 1 ? "\(names[0]) is required" : names.joined(separator: " and ") + " are required"
    case .missingTrainSteps:
      return "train_config.num_steps is 0 (unset) and --num_train_steps is not given; set one of them"
    case .missingEvalInputReader:
      return "the config has no eval_input_reader; model_main.py needs one (add eval_input_reader { tf_record_input_reader { input_path: ... } })"
    }
  }
}
