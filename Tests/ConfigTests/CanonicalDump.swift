import Foundation
@testable import Config
import TestSupport

/// The line format of `Tests/ConfigData/reference_dump.py` (one line per set field, field-number
/// order, floats '%.9g' of the float32, strings as UTF-8 hex), so a parsed `ProtoMessage` can
/// be compared with what protobuf's Python `text_format.Merge` made of the same file.
func canonicalDump(_ message: ProtoMessage, prefix: String = "") -> [String] {
  var out: [String] = []
  let schema = message.messageSchema
  let ordered = message.fields.sorted { schema.field($0.name)!.number < schema.field($1.name)!.number }
  for entry in ordered {
    let field = schema.field(entry.name)!
    let path = prefix.isEmpty ? entry.name : prefix + "." + entry.name
    for (i, value) in entry.values.enumerated() {
      let p = field.isRepeated ? "\(path)[\(i)]" : path
      switch value {
      case .message(let m):
        out.append("\(p): {")
        out += canonicalDump(m, prefix: p)
      case .float(let f): out.append("\(p): " + String(format: "%.9g", Double(f)))
      case .double(let d): out.append("\(p): " + String(format: "%.17g", d))
      case .bool(let b): out.append("\(p): \(b)")
      case .enumeration(let name): out.append("\(p): \(name)")
      case .string(let s): out.append("\(p): " + s.utf8.map { String(format: "%02x", $0) }.joined())
      case .int(let v): out.append("\(p): \(v)")
      case .uint(let v): out.append("\(p): \(v)")
      }
    }
  }
  return out
}

/// `Tests/ConfigData/<name>` read as text.
func configData(_ name: String) throws -> String {
  try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/ConfigData/\(name)"), encoding: .utf8)
}
