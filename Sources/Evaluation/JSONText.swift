/// Small helpers that write JSON text by hand, so numbers come out exactly as Python's
/// `json` writes float64 values: the shortest decimal that reads back to the same double
/// (`0.1`, `0.8999999999999999`, `-1.0`, `1e-05`). Non-finite numbers become `null`.
/// The one JSON string quoter (COCO files, `ssd detect` results, the DLLogger report).
public enum JSONText {
  /// A float64 as JSON.
  public static func number(_ x: Double) -> String {
    x.isFinite ? x.description : "null"
  }

  /// A string as a quoted JSON string (UTF-8 kept, control characters escaped).
  public static func string(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// `[x, y, w, h]`.
  static func box(_ b: COCOBox) -> String {
    "[\(number(b.x)), \(number(b.y)), \(number(b.width)), \(number(b.height))]"
  }
}
