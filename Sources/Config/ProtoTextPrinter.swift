/// Protobuf text format of a checked message, as `text_format.MessageToString` lays it out:
/// fields in the order they were set, one per line, two spaces of indent per level, each
/// element of a repeated field on its own line, messages as `name { … }`. Parsing the output
/// (`PipelineConfig.parseMessage`) gives back an equal message.
///
/// Strings are double-quoted with `\"`, `\\`, `\n`, `\r`, `\t` and octal escapes for the other
/// control bytes; other UTF-8 is written as it is. Floats use Swift's shortest round-trip
/// form (`0.04`, `1e-05`, `inf`), which reads back to the same float32.
public struct ProtoTextPrinter {
  /// Rewrites string values on the way out (`(field name, value) → value`), e.g. to make
  /// input paths absolute; nil keeps them.
  public var rewriteString: ((String, String) -> String)?

  public init(rewriteString: ((String, String) -> String)? = nil) {
    self.rewriteString = rewriteString
  }

  public func text(_ message: ProtoMessage) -> String {
    var out = ""
    write(message, indent: 0, into: &out)
    return out
  }

  private func write(_ message: ProtoMessage, indent: Int, into out: inout String) {
    let pad = String(repeating: "  ", count: indent)
    for field in message.fields {
      for value in field.values {
        switch value {
        case .message(let sub):
          out += pad + field.name + " {\n"
          write(sub, indent: indent + 1, into: &out)
          out += pad + "}\n"
        default:
          out += pad + field.name + ": " + scalar(value, field: field.name) + "\n"
        }
      }
    }
  }

  private func scalar(_ value: ProtoValue, field: String) -> String {
    switch value {
    case .int(let v): return String(v)
    case .uint(let v): return String(v)
    case .float(let v): return v.description
    case .double(let v): return v.description
    case .bool(let v): return v ? "true" : "false"
    case .enumeration(let v): return v
    case .string(let v): return Self.quoted(rewriteString?(field, v) ?? v)
    case .message: preconditionFailure("messages are written as blocks")
    }
  }

  /// `s` as a double-quoted text-format literal.
  public static func quoted(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 10: out += "\\n"
      case 13: out += "\\r"
      case 9: out += "\\t"
      case 0..<32, 127:
        let octal = String(c.value, radix: 8)
        out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
      default:
        out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }
}
