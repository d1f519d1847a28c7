/// A proto2 message type: its fields in declaration order.
public struct ProtoMessageSchema: Sendable {
  public var name: String
  public var fields: [ProtoFieldSchema]
  private var byName: [String: Int]

  public init(_ name: String, _ fields: [ProtoFieldSchema]) {
    self.name = name
    self.fields = fields
    var byName: [String: Int] = [:]
    for (i, f) in fields.enumerated() {
      precondition(byName[f.name] == nil, "duplicate field \(f.name) in \(name)")
      byName[f.name] = i
    }
    self.byName = byName
  }

  public func field(_ name: String) -> ProtoFieldSchema? {
    byName[name].map { fields[$0] }
  }

  /// Names of the fields of one oneof, in declaration order.
  public func oneofMembers(_ oneof: String) -> [String] {
    fields.filter { $0.oneof == oneof }.map(\.name)
  }
}
