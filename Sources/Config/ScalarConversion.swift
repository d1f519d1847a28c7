/// Converts one text-format scalar token to a typed value the way protobuf's Python
/// `text_format` does: integers in decimal, 0x hex or 0-prefixed octal (optional sign) with
/// range checks;
/// floats from decimal text with an optional trailing `f`, plus inf/infinity/nan in any case;
/// bools `true t True 1 false f False 0`; strings only from quoted literals; enums by name or
/// number. `float` results are rounded to Float32.
enum ScalarConversion {
  static func convert(_ scalar: TextScalar, to type: ProtoFieldType, schema: ProtoSchema) -> Result<ProtoValue, ConfigProblem> {
    switch type {
    case .int32: return integer(scalar, min: Int64(Int32.min), max: UInt64(Int32.max), name: "int32").map { .int(Int64($0)) }
    case .int64: return integer(scalar, min: Int64.min, max: UInt64(Int64.max), name: "int64").map { .int(Int64($0)) }
    case .uint32: return integer(scalar, min: 0, max: UInt64(UInt32.max), name: "uint32").map { .uint(UInt64($0)) }
    case .uint64:
      return unsignedMagnitude(scalar, name: "uint64").map { .uint($0) }
    case .float:
      // Like protobuf, a finite double beyond Float.greatestFiniteMagnitude becomes ±inf.
      return real(scalar, name: "float").map { .float(Float($0)) }
    case .double: return real(scalar, name: "double").map { .double($0) }
    case .bool:
      switch scalar.kind {
      case .identifier, .number:
        if ["true", "t", "True", "1"].contains(scalar.text) { return .success(.bool(true)) }
        if ["false", "f", "False", "0"].contains(scalar.text) { return .success(.bool(false)) }
        return .failure(.wrongType(expected: "bool (true or false)", found: scalar.described))
      case .string:
        return .failure(.wrongType(expected: "bool (true or false)", found: scalar.described))
      }
    case .string:
      guard scalar.kind == .string else {
        return .failure(.wrongType(expected: "a quoted string", found: scalar.described))
      }
      return .success(.string(scalar.text))
    case .enumeration(let enumName):
      let e = schema.enums[enumName]!
      switch scalar.kind {
      case .identifier:
        if e.number(of: scalar.text) != nil { return .success(.enumeration(scalar.text)) }
        return .failure(.unknownEnumValue(value: scalar.text, enumType: enumName, allowed: e.values.map(\.name),
                                          suggestion: nearestName(to: scalar.text, in: e.values.map(\.name))))
      case .number:
        if case .success(let n) = integer(scalar, min: Int64(Int32.min), max: UInt64(Int32.max), name: "int32"),
          let name = e.name(of: Int32(n))
        {
          return .success(.enumeration(name))
        }
        return .failure(.unknownEnumValue(value: scalar.text, enumType: enumName, allowed: e.values.map(\.name),
                                          suggestion: nil))
      case .string:
        return .failure(.wrongType(expected: "an enum value name of \(enumName) (unquoted)", found: scalar.described))
      }
    case .message:
      return .failure(.wrongType(expected: "a message block '{ ... }'", found: scalar.described))
    }
  }

  /// A signed integer within [min, max]; returns it as Int64 (uint32 fits too).
  private static func integer(_ scalar: TextScalar, min: Int64, max: UInt64, name: String) -> Result<Int64, ConfigProblem> {
    guard scalar.kind == .number else {
      return .failure(.wrongType(expected: "an integer (\(name))", found: scalar.described))
    }
    var text = Substring(scalar.text)
    let negative = text.hasPrefix("-")
    if negative || text.hasPrefix("+") { text = text.dropFirst() }
    guard let magnitude = parseMagnitude(text) else {
      return .failure(.wrongType(expected: "an integer (\(name))", found: scalar.described))
    }
    if negative {
      guard min < 0, magnitude <= UInt64(-(min + 1)) + 1 else {
        return .failure(.outOfRange(value: scalar.text, type: name))
      }
      return .success(magnitude == UInt64(-(min + 1)) + 1 ? min : -Int64(magnitude))
    }
    guard magnitude <= max else { return .failure(.outOfRange(value: scalar.text, type: name)) }
    return .success(Int64(bitPattern: magnitude))
  }

  private static func unsignedMagnitude(_ scalar: TextScalar, name: String) -> Result<UInt64, ConfigProblem> {
    guard scalar.kind == .number else {
      return .failure(.wrongType(expected: "an integer (\(name))", found: scalar.described))
    }
    if scalar.text.hasPrefix("-") {
      if parseMagnitude(scalar.text.dropFirst()) != nil { return .failure(.outOfRange(value: scalar.text, type: name)) }
      return .failure(.wrongType(expected: "an integer (\(name))", found: scalar.described))
    }
    let text = scalar.text.hasPrefix("+") ? scalar.text.dropFirst() : Substring(scalar.text)
    guard let m = parseMagnitude(text) else {
      let tooBig = scalar.text.allSatisfy(\.isNumber)
      return .failure(tooBig ? .outOfRange(value: scalar.text, type: name)
                             : .wrongType(expected: "an integer (\(name))", found: scalar.described))
    }
    return .success(m)
  }

  /// Unsigned decimal, 0x-hex or 0-octal digits; nil if malformed or above UInt64.max.
  private static func parseMagnitude(_ text: Substring) -> UInt64? {
    if text.hasPrefix("0x") || text.hasPrefix("0X") {
      let digits = text.dropFirst(2)
      return digits.isEmpty ? nil : UInt64(digits, radix: 16)
    }
    if text.count > 1 && text.hasPrefix("0") {
      return UInt64(text.dropFirst(), radix: 8)
    }
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return UInt64(text, radix: 10)
  }

  private static func real(_ scalar: TextScalar, name: String) -> Result<Double, ConfigProblem> {
    guard scalar.kind != .string else {
      return .failure(.wrongType(expected: "a number (\(name))", found: scalar.described))
    }
    var text = scalar.text
    var sign = 1.0
    if text.hasPrefix("-") {
      sign = -1
      text.removeFirst()
    } else if text.hasPrefix("+") {
      text.removeFirst()
    }
    let lower = text.lowercased()
    if ["inf", "inff", "infinity", "infinityf"].contains(lower) { return .success(sign * .infinity) }
    if ["nan", "nanf"].contains(lower) { return .success(.nan) }
    if scalar.kind == .number {
      if isDecimal(text), let d = Double(text) { return .success(sign * d) }
      if text.hasSuffix("f") || text.hasSuffix("F") {
        let body = String(text.dropLast())
        if isDecimal(body), let d = Double(body) { return .success(sign * d) }
      }
    }
    return .failure(.wrongType(expected: "a number (\(name))", found: scalar.described))
  }

  /// digits[.digits][e[+-]digits] or .digits[e[+-]digits]
  private static func isDecimal(_ text: String) -> Bool {
    var chars = Substring(text)
    var mantissaDigits = 0
    while let c = chars.first, c.isASCII, c.isNumber { chars.removeFirst(); mantissaDigits += 1 }
    if chars.first == "." {
      chars.removeFirst()
      while let c = chars.first, c.isASCII, c.isNumber { chars.removeFirst(); mantissaDigits += 1 }
    }
    guard mantissaDigits > 0 else { return false }
    if let c = chars.first, c == "e" || c == "E" {
      chars.removeFirst()
      if let s = chars.first, s == "+" || s == "-" { chars.removeFirst() }
      var exponentDigits = 0
      while let c = chars.first, c.isASCII, c.isNumber { chars.removeFirst(); exponentDigits += 1 }
      guard exponentDigits > 0 else { return false }
    }
    return chars.isEmpty
  }
}
