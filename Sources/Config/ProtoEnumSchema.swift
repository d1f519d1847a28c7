/// A proto2 enum type: value names and numbers in declaration order (the first is the default).
public struct ProtoEnumSchema: Sendable {
  public var name: String
  public var values: [(name: String, number: Int32)]

  public init(_ name: String, _ values: [(String, Int32)]) {
    self.name = name
    self.values = values.map { (name: $0.0, number: $0.1) }
  }

  public func number(of name: String) -> Int32? { values.first { $0.name == name }?.number }
  public func name(of number: Int32) -> String? { values.first { $0.number == number }?.name }
}
