import Foundation

/// A `pipeline.config` (TF Object Detection API `TrainEvalPipelineConfig`, protobuf text
/// format) read the way the SSD320 recipe's `model_main.py` reads it, as typed values with
/// proto defaults applied.
///
/// Loading checks the text against the fork's .proto schema (unknown fields, wrong types,
/// bad enum values, numbers out of range) and then against what this trainer needs
/// (required values, supported oneof choices); every problem is a `ConfigDiagnostic`
/// printed as `file:line:column: error: <field path>: <what>`. What `text_format.Merge`
/// accepts but is probably a slip (a scalar set twice, a second member of a oneof) is
/// accepted the same way and reported in `warnings`. Fields the file sets that have no
/// effect are listed in `ignoredFields`.
public struct PipelineConfig: Equatable, Sendable {
  /// The file name used in diagnostics.
  public var file: String
  public var model: DetectionModelConfig
  public var trainConfig: TrainConfig
  public var trainInputReader: InputReaderConfig
  public var evalConfig: EvalConfig
  /// `eval_input_reader` entries in order (model_main.py evaluates the first).
  public var evalInputReaders: [InputReaderConfig]
  /// Fields set in the file that neither model_main.py nor this trainer act on, with why.
  public var ignoredFields: [IgnoredField]
  /// Non-fatal findings (e.g. a field set twice).
  public var warnings: [ConfigDiagnostic]
  /// The schema-checked message everything above was read from (overrides edit this).
  public var proto: ProtoMessage

  /// The eval reader model_main.py uses (`eval_input_configs[0]`), if any.
  public var evalInputReader: InputReaderConfig? { evalInputReaders.first }

  /// Reads and checks a config file. Throws `ConfigError`.
  public static func load(path: String) throws -> PipelineConfig {
    let text = try ConfigError.readText(path, what: "the file", hint: "--pipeline_config_path")
    return try parse(text, file: path)
  }

  /// Checks config text; `file` names it in diagnostics. Throws `ConfigError`.
  public static func parse(_ text: String, file: String = "<string>") throws -> PipelineConfig {
    let (proto, warnings) = try parseMessage(text, file: file, schema: .objectDetection)
    return try PipelineConfig(proto: proto, file: file, warnings: warnings)
  }

  /// Parses text format into a checked message of `schema.root` (e.g. `ProtoSchema.labelMap`
  /// for a label map); returns it with the warnings. Throws `ConfigError` listing every error.
  public static func parseMessage(_ text: String, file: String, schema: ProtoSchema) throws
    -> (message: ProtoMessage, warnings: [ConfigDiagnostic])
  {
    let fields = try TextFormatParser.parse(text, file: file)
    var checker = SchemaChecker(schema: schema, file: file)
    let message = checker.check(fields)
    if !checker.errors.isEmpty { throw ConfigError(checker.errors) }
    return (message, checker.warnings)
  }

  /// Reads the typed values from a checked message; throws `ConfigError` for missing
  /// required values and choices this trainer does not implement.
  public init(proto: ProtoMessage, file: String, warnings: [ConfigDiagnostic] = []) throws {
    precondition(proto.type == "TrainEvalPipelineConfig", "expected a TrainEvalPipelineConfig, got \(proto.type)")
    var mapper = ConfigMapper(file: file)
    let result = mapper.pipeline(proto)
    if !mapper.diagnostics.isEmpty { throw ConfigError(mapper.diagnostics) }
    guard let result else { preconditionFailure("mapper returned nothing without diagnostics") }
    self = result
    self.file = file
    self.warnings = warnings
    self.proto = proto
    self.ignoredFields = TrainerVerdict.walk(proto, file: file).ignored
  }

  init(file: String, model: DetectionModelConfig, trainConfig: TrainConfig, trainInputReader: InputReaderConfig,
       evalConfig: EvalConfig, evalInputReaders: [InputReaderConfig], proto: ProtoMessage)
  {
    self.file = file
    self.model = model
    self.trainConfig = trainConfig
    self.trainInputReader = trainInputReader
    self.evalConfig = evalConfig
    self.evalInputReaders = evalInputReaders
    self.ignoredFields = []
    self.warnings = []
    self.proto = proto
  }
}
