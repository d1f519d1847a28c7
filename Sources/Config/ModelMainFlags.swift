import Foundation

/// The flags of the SSD320 recipe's `model_main.py` (NVIDIA fork), their defaults and what
/// they do (spec §11), independent of any command-line library: `specs` describes them for
/// a front end (e.g. ArgumentParser), `parse(_:)` reads an absl-style command line as
/// model_main.py itself would.
public struct ModelMainFlags: Equatable, Sendable {
  /// Where checkpoints, summaries and evaluation results go (rank 0 only). Required.
  public var modelDir: String?
  /// The pipeline.config to read. Required.
  public var pipelineConfigPath: String?
  /// DLLogger JSON-lines output (rank 0); nil when not given: `MODEL_DIR/summary.json`
  /// (`raportPath(modelDir:)`), so `ssd report MODEL_DIR` finds it. model_main.py writes
  /// `summary.json` in the working directory, where each run replaces the last one's.
  public var raportFile: String?

  /// Where the DLLogger report goes: `--raport_file`, or `MODEL_DIR/summary.json`; nil for
  /// `--raport_file=` (none).
  public func raportPath(modelDir: String) -> String? {
    guard let raportFile else { return (modelDir as NSString).appendingPathComponent("summary.json") }
    return raportFile.isEmpty ? nil : raportFile
  }
  /// Overrides `train_config.num_steps` only (the learning-rate schedule keeps its `total_steps`).
  public var numTrainSteps: Int?
  /// Eval-only mode: evaluate on the training records instead of the validation records.
  public var evalTrainingData: Bool = false
  /// Written into every eval reader's `sample_1_of_n_examples`; has no effect in the fork.
  public var sample1OfNEvalExamples: Int = 1
  /// Written into the eval-on-train reader's `sample_1_of_n_examples`; has no effect in the fork.
  public var sample1OfNEvalOnTrainExamples: Int = 5
  /// Training is split into this many equal chunks, each followed by a checkpoint (and, at
  /// the end, one evaluation).
  public var evalCount: Int = 1
  /// `load_pretrained=false` trains from scratch (see `HParams`).
  public var hparamsOverrides: String?
  /// Eval-only mode: evaluate checkpoints from this directory instead of training.
  public var checkpointDir: String?
  /// XLA JIT (TensorFlow only; accepted and ignored here).
  public var allowXLA: Bool = false
  /// Automatic mixed precision (TensorFlow on GPU only; accepted and ignored here).
  public var amp: Bool = false
  /// Eval-only mode: evaluate the latest checkpoint once instead of polling for new ones.
  public var runOnce: Bool = false

  public init() {}

  /// How a flag's value is written.
  public enum Kind: String, Equatable, Sendable { case string, integer, number, boolean }

  /// One flag: its name (without dashes, words joined by `_` as model_main.py writes them),
  /// kind, default as text (nil = none), whether it is required, a help line, and other
  /// spellings accepted for it (e.g. an older dashed `skip-bad-records`).
  public struct Spec: Equatable, Sendable {
    public var name: String
    public var kind: Kind
    public var defaultValue: String?
    public var isRequired: Bool
    public var help: String
    public var aliases: [String]

    public init(name: String, kind: Kind, defaultValue: String?, isRequired: Bool = false, help: String,
                aliases: [String] = []) {
      self.name = name
      self.kind = kind
      self.defaultValue = defaultValue
      self.isRequired = isRequired
      self.help = help
      self.aliases = aliases
    }
  }

  /// All flags in model_main.py's order.
  public static let specs: [Spec] = [
    Spec(name: "model_dir", kind: .string, defaultValue: nil, isRequired: true,
         help: "Output directory for checkpoints and evaluation results (written by rank 0 only)."),
    Spec(name: "pipeline_config_path", kind: .string, defaultValue: nil, isRequired: true,
         help: "Path to the pipeline.config (protobuf text format) describing model, training and input."),
    Spec(name: "raport_file", kind: .string, defaultValue: "MODEL_DIR/summary.json", isRequired: false,
         help: "Path of the DLLogger JSON-lines report (rank 0), appended to; empty: none."),
    Spec(name: "num_train_steps", kind: .integer, defaultValue: nil, isRequired: false,
         help: "Training steps; overrides train_config.num_steps (not the learning-rate schedule's total_steps)."),
    Spec(name: "eval_training_data", kind: .boolean, defaultValue: "false", isRequired: false,
         help: "In eval-only mode (--checkpoint_dir), evaluate on the training records instead of the validation records."),
    Spec(name: "sample_1_of_n_eval_examples", kind: .integer, defaultValue: "1", isRequired: false,
         help: "Evaluate one of every n validation examples (recorded in the config; has no effect in the recipe)."),
    Spec(name: "sample_1_of_n_eval_on_train_examples", kind: .integer, defaultValue: "5", isRequired: false,
         help: "Evaluate one of every n training examples with --eval_training_data (has no effect in the recipe)."),
    Spec(name: "eval_count", kind: .integer, defaultValue: "1", isRequired: false,
         help: "Split training into this many equal parts, each ending with a checkpoint; evaluation follows the last."),
    Spec(name: "hparams_overrides", kind: .string, defaultValue: nil, isRequired: false,
         help: "Comma-separated name=value hyperparameters; only load_pretrained exists (load_pretrained=false trains from scratch)."),
    Spec(name: "checkpoint_dir", kind: .string, defaultValue: nil, isRequired: false,
         help: "Eval-only mode: evaluate checkpoints from this directory instead of training."),
    Spec(name: "allow_xla", kind: .boolean, defaultValue: "false", isRequired: false,
         help: "Enable XLA compilation (TensorFlow option; accepted and ignored by this CPU trainer)."),
    Spec(name: "amp", kind: .boolean, defaultValue: "false", isRequired: false,
         help: "Automatic mixed precision (TensorFlow GPU option; accepted and ignored: training is FP32)."),
    Spec(name: "run_once", kind: .boolean, defaultValue: "false", isRequired: false,
         help: "Eval-only mode: evaluate the latest checkpoint once instead of waiting for new checkpoints."),
  ]

  /// Sets one flag from its text value (absl rules: integers in decimal with optional sign;
  /// booleans `true t 1 false f 0` in any case). Throws `ModelMainFlagsError`.
  public mutating func set(_ name: String, to value: String) throws {
    guard let spec = Self.specs.first(where: { $0.name == name }) else {
      throw ModelMainFlagsError.unknownFlag(name, suggestion: nearestName(to: name, in: Self.specs.map(\.name)))
    }
    switch spec.kind {
    case .string:
      setString(name, value)
    case .number:
      preconditionFailure("model_main.py has no number flag \(name)")
    case .integer:
      guard let n = Int(value.hasPrefix("+") ? String(value.dropFirst()) : value) else {
        throw ModelMainFlagsError.badValue(flag: name, value: value, expected: "an integer")
      }
      setInteger(name, n)
    case .boolean:
      switch value.lowercased() {
      case "true", "t", "1": setBoolean(name, true)
      case "false", "f", "0": setBoolean(name, false)
      default: throw ModelMainFlagsError.badValue(flag: name, value: value, expected: "true or false")
      }
    }
  }

  private mutating func setString(_ name: String, _ value: String) {
    switch name {
    case "model_dir": modelDir = value
    case "pipeline_config_path": pipelineConfigPath = value
    case "raport_file": raportFile = value
    case "hparams_overrides": hparamsOverrides = value
    case "checkpoint_dir": checkpointDir = value
    default: preconditionFailure("no string flag \(name)")
    }
  }

  private mutating func setInteger(_ name: String, _ value: Int) {
    switch name {
    case "num_train_steps": numTrainSteps = value
    case "sample_1_of_n_eval_examples": sample1OfNEvalExamples = value
    case "sample_1_of_n_eval_on_train_examples": sample1OfNEvalOnTrainExamples = value
    case "eval_count": evalCount = value
    default: preconditionFailure("no integer flag \(name)")
    }
  }

  private mutating func setBoolean(_ name: String, _ value: Bool) {
    switch name {
    case "eval_training_data": evalTrainingData = value
    case "allow_xla": allowXLA = value
    case "amp": amp = value
    case "run_once": runOnce = value
    default: preconditionFailure("no boolean flag \(name)")
    }
  }

  /// absl's logging flags, which model_main.py accepts through `tf.app.run` (and the
  /// recipe's example scripts pass, one of them misspelled `--alsologtostder`): accepted and
  /// reported, they change nothing here (logs go to standard output and error anyway).
  public static let abslLoggingFlags: Set<String> = [
    "alsologtostderr", "alsologtostder", "logtostderr", "stderrthreshold", "v", "verbosity", "log_dir",
    "showprefixforinfo", "logger_levels",
  ]

  /// A command line split by `parse(_:extra:)`.
  public struct CommandLine: Equatable, Sendable {
    public var flags: ModelMainFlags
    /// Values of the `extra` flags given, by canonical name, in order (booleans as
    /// `true`/`false`); a flag given twice has two values.
    public var extraValues: [String: [String]]
    /// The last value of an `extra` flag, if given.
    public func extra(_ name: String) -> String? { extraValues[name]?.last }
    /// absl logging flags given (as written); they have no effect.
    public var loggingFlags: [String]
    /// Words that are not flags.
    public var positional: [String]
  }

  /// Reads an absl-style command line: `--name=value`, `--name value`, one or two dashes,
  /// `--flag` / `--noflag` for booleans, `--` ends the flags. Flags are model_main.py's
  /// (`specs`) and `extra` (the trainer's own), under their names or aliases; a flag that is
  /// neither (nor one of absl's logging flags) is an error naming the nearest known flag, so a
  /// misspelled `--num_train_step=2` stops the run instead of training the config's 1,000
  /// steps. Throws `ModelMainFlagsError` for unknown flags, bad values, every missing
  /// required flag (all at once; not with `requireRequired` false) and the value ranges
  /// `validate()` checks.
  public static func parse(_ arguments: [String], extra: [Spec], requireRequired: Bool = true) throws -> CommandLine {
    var flags = ModelMainFlags()
    var extraValues: [String: [String]] = [:]
    var logging: [String] = []
    var positional: [String] = []
    let all = specs + extra
    var byName: [String: Spec] = [:]
    for spec in all {
      for name in [spec.name] + spec.aliases {
        precondition(byName[name] == nil, "flag --\(name) defined twice")
        byName[name] = spec
      }
    }
    let modelMainNames = Set(specs.map(\.name))
    func assign(_ spec: Spec, _ value: String) throws {
      if modelMainNames.contains(spec.name) {
        try flags.set(spec.name, to: value)
      } else {
        extraValues[spec.name, default: []].append(try canonicalValue(spec, value))
      }
    }
    var i = 0
    while i < arguments.count {
      let argument = arguments[i]
      i += 1
      if argument == "--" {
        positional += arguments[i...]
        break
      }
      guard argument.hasPrefix("-"), argument.count > 1 else {
        positional.append(argument)
        continue
      }
      let body = argument.hasPrefix("--") ? String(argument.dropFirst(2)) : String(argument.dropFirst())
      let name: String
      var value: String?
      if let eq = body.firstIndex(of: "=") {
        name = String(body[..<eq])
        value = String(body[body.index(after: eq)...])
      } else {
        name = body
      }
      if let spec = byName[name] {
        if spec.kind == .boolean, value == nil {
          value = "true"
        } else if value == nil {
          guard i < arguments.count else { throw ModelMainFlagsError.missingValue(flag: spec.name) }
          value = arguments[i]
          i += 1
        }
        try assign(spec, value!)
      } else if name.hasPrefix("no"), value == nil, let spec = byName[String(name.dropFirst(2))], spec.kind == .boolean {
        try assign(spec, "false")
      } else if abslLoggingFlags.contains(name) || (name.hasPrefix("no") && abslLoggingFlags.contains(String(name.dropFirst(2)))) {
        logging.append(argument)
      } else {
        let known = all.flatMap { [$0.name] + $0.aliases }
        throw ModelMainFlagsError.unknownFlag(name, suggestion: nearestName(to: name, in: known)
          .map { n in byName[n]!.name })
      }
    }
    try flags.validate(requireRequired: requireRequired)
    return CommandLine(flags: flags, extraValues: extraValues, loggingFlags: logging, positional: positional)
  }

  /// A value of an `extra` flag in canonical form (booleans `true`/`false`; integers and
  /// numbers checked).
  static func canonicalValue(_ spec: Spec, _ value: String) throws -> String {
    switch spec.kind {
    case .string:
      return value
    case .integer:
      guard Int(value.hasPrefix("+") ? String(value.dropFirst()) : value) != nil else {
        throw ModelMainFlagsError.badValue(flag: spec.name, value: value, expected: "an integer")
      }
      return value.hasPrefix("+") ? String(value.dropFirst()) : value
    case .number:
      guard let d = Double(value), d.isFinite else {
        throw ModelMainFlagsError.badValue(flag: spec.name, value: value, expected: "a number")
      }
      return value
    case .boolean:
      switch value.lowercased() {
      case "true", "t", "1": return "true"
      case "false", "f", "0": return "false"
      default: throw ModelMainFlagsError.badValue(flag: spec.name, value: value, expected: "true or false")
      }
    }
  }

  /// `parse(_:extra:)` with model_main.py's flags only, in the older tuple form; `ignored`
  /// holds the absl logging flags (every other unknown flag is an error).
  public static func parse(_ arguments: [String]) throws -> (flags: ModelMainFlags, ignored: [String], positional: [String]) {
    let c = try parse(arguments, extra: [])
    return (c.flags, c.loggingFlags, c.positional)
  }

  /// Checks the required flags (all missing ones at once; skipped with `requireRequired`
  /// false) and the value ranges model_main.py relies on.
  public func validate(requireRequired: Bool = true) throws {
    let missing = (modelDir == nil ? ["model_dir"] : []) + (pipelineConfigPath == nil ? ["pipeline_config_path"] : [])
    if requireRequired && !missing.isEmpty { throw ModelMainFlagsError.missingRequired(missing) }
    if evalCount < 1 { throw ModelMainFlagsError.badValue(flag: "eval_count", value: String(evalCount), expected: "at least 1") }
    if let n = numTrainSteps, n < 1 {
      throw ModelMainFlagsError.badValue(flag: "num_train_steps", value: String(n), expected: "at least 1")
    }
    if sample1OfNEvalExamples < 1 {
      throw ModelMainFlagsError.badValue(flag: "sample_1_of_n_eval_examples", value: String(sample1OfNEvalExamples),
                                         expected: "at least 1")
    }
    if sample1OfNEvalOnTrainExamples < 1 {
      throw ModelMainFlagsError.badValue(flag: "sample_1_of_n_eval_on_train_examples",
                                         value: String(sample1OfNEvalOnTrainExamples), expected: "at least 1")
    }
  }
}
