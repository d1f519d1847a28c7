/// A field that is set in a `ProtoMessage`: where its name was written and its values
/// (exactly one for a non-repeated field). Equality ignores the locations.
public struct ProtoFieldValue: Equatable, Sendable {
  public var name: String
  /// Where the field name was (first) written; nil for values set by overrides.
  public var location: SourceLocation?
  public var values: [ProtoValue]
  /// Where each value was written (parallel to `values`); nil entries for overrides.
  public var valueLocations: [SourceLocation?]

  /// Equal when name and values are; where they were written does not matter.
  public static func == (a: ProtoFieldValue, b: ProtoFieldValue) -> Bool {
    a.name == b.name && a.values == b.values
  }
}
