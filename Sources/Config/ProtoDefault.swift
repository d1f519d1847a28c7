/// A default written in a schema table; converted to a `ProtoValue` of the field's type.
public enum ProtoDefault: Sendable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByStringLiteral
{
  case integer(Int64), real(Double), boolean(Bool), text(String)
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(floatLiteral value: Double) { self = .real(value) }
  public init(booleanLiteral value: Bool) { self = .boolean(value) }
  public init(stringLiteral value: String) { self = .text(value) }
}
