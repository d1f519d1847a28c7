/// What this trainer does with one field of the pipeline.config schema: every field reachable
/// from `TrainEvalPipelineConfig` through fields the trainer uses has exactly one treatment
/// (`FieldRules`), and `TrainerVerdict` applies them to a config.
public enum FieldTreatment: Sendable {
  /// The trainer acts on the field. `requirement`, when given, limits it to the values this
  /// trainer implements: it receives the field's effective values (the set ones, or the
  /// proto default of an unset non-repeated field) and returns why they are refused, or nil.
  case used(requirement: Requirement?)
  /// Setting the field has no effect, here as in the fork's model_main.py path, or for a
  /// reason given here; a set field is listed as a note, never an error.
  case ignored(reason: String)
  /// Setting the field is an error: this trainer does not implement it.
  case refused(reason: String)

  /// The field's values as the requirement sees them.
  public struct Values: Sendable {
    /// The set values (one for a non-repeated field), or the default of an unset
    /// non-repeated field; empty for an unset repeated field.
    public var values: [ProtoValue]
    public var isSet: Bool

    /// The single value of a non-repeated field.
    public var value: ProtoValue { values.last! }
  }

  /// Returns why the values are refused (the text after the field path), or nil.
  public typealias Requirement = @Sendable (Values) -> String?

  public static let used = FieldTreatment.used(requirement: nil)

  /// Used only with `value` (e.g. `use_moving_average` only false); any other value is
  /// refused with "`<value>` is not implemented (`why`)".
  public static func requires(_ value: ProtoValue, _ why: String) -> FieldTreatment {
    .used { v in
      let bad = v.values.first { $0 != value }
      return bad.map { "\($0) is not implemented (\(why)); use \(value)" }
    }
  }

  /// Used when `accept` holds for every value; otherwise refused with `why(value)`.
  public static func requires(_ accept: @escaping @Sendable (ProtoValue) -> Bool,
                              _ why: @escaping @Sendable (ProtoValue) -> String) -> FieldTreatment {
    .used { v in v.values.first { !accept($0) }.map(why) }
  }

  /// The category the schema walk counts.
  public enum Kind: String, Sendable { case used, ignored, refused }

  public var kind: Kind {
    switch self {
    case .used: return .used
    case .ignored: return .ignored
    case .refused: return .refused
    }
  }
}
