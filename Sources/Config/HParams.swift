/// model_main.py's hyperparameters (`model_hparams.create_hparams`): exactly one,
/// `load_pretrained` (default true: restore `train_config.fine_tune_checkpoint`), set with
/// `--hparams_overrides "load_pretrained=false"`.
///
/// `parse` follows TF 1.15's `HParams.parse`: comma-separated `name=value` clauses; a bool
/// value is `true`/`True`/`false`/`False` or an integer (non-zero = true); a name given twice,
/// a list value `[...]`, an index `name[0]=` or any name other than `load_pretrained` fails.
/// In particular pipeline fields (`train_config.batch_size=8`) are not accepted here: the
/// fork's hparams know only `load_pretrained` (and `merge_external_params_with_configs`
/// ignores it). `PipelineConfig.applyingOverrides` offers such field overrides separately.
public struct HParams: Equatable, Sendable {
  /// Whether training starts from `train_config.fine_tune_checkpoint` (when one is set).
  public var loadPretrained: Bool

  public init(loadPretrained: Bool = true) {
    self.loadPretrained = loadPretrained
  }

  /// The names model_main.py defines.
  public static let names = ["load_pretrained"]

  /// Applies `--hparams_overrides`; nil or empty leaves the defaults.
  public static func parse(_ overrides: String?) throws -> HParams {
    var hparams = HParams()
    guard let overrides, !overrides.isEmpty else { return hparams }
    let chars = Array(overrides)
    var pos = 0
    var assigned = Set<String>()

    func fail(_ at: Int, _ message: String) -> HParamsError {
      HParamsError(text: overrides, column: at + 1, message: message)
    }
    func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    while pos < chars.count {
      let start = pos
      // name: [a-zA-Z][\w.]*
      guard chars[pos].isASCII && chars[pos].isLetter else {
        throw fail(pos, "malformed hyperparameter clause '\(String(chars[pos...]))'; write name=value")
      }
      var end = pos + 1
      while end < chars.count, isWord(chars[end]) || chars[end] == "." { end += 1 }
      let name = String(chars[start..<end])
      pos = end
      // optional index: [ digits ]
      var hasIndex = false
      if pos < chars.count, chars[pos] == "[" {
        var p = pos + 1
        while p < chars.count, chars[p].isWhitespace { p += 1 }
        let digitsStart = p
        while p < chars.count, chars[p].isASCII, chars[p].isNumber { p += 1 }
        let hasDigits = p > digitsStart
        while p < chars.count, chars[p].isWhitespace { p += 1 }
        if hasDigits, p < chars.count, chars[p] == "]" {
          hasIndex = true
          pos = p + 1
        }
      }
      while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
      guard pos < chars.count, chars[pos] == "=" else {
        throw fail(start, "malformed hyperparameter clause '\(String(chars[start...]))'; write name=value")
      }
      pos += 1
      while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
      let valueStart = pos
      var isList = false
      var value: String
      var v = pos
      while v < chars.count, chars[v] != ",", chars[v] != "[" { v += 1 }
      if v == chars.count || chars[v] == "," {
        value = String(chars[pos..<v])
        pos = v
      } else if v == pos, let close = chars[pos...].firstIndex(of: "]"), close + 1 == chars.count || chars[close + 1] == "," {
        isList = true
        value = String(chars[(pos + 1)..<close])
        pos = close + 1
      } else {
        throw fail(start, "malformed hyperparameter clause '\(String(chars[start...]))'; write name=value")
      }
      if pos < chars.count {  // at ','
        pos += 1
        while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
      }

      guard HParams.names.contains(name) else {
        var message = "unknown hyperparameter '\(name)'; model_main.py defines only load_pretrained"
        if let near = nearestName(to: name, in: HParams.names) {
          message += "; did you mean '\(near)'?"
        } else if name.contains(".") {
          message += " (pipeline fields cannot be overridden with --hparams_overrides; edit the config file)"
        }
        throw fail(start, message)
      }
      if hasIndex {
        throw fail(start, "'\(name)' is a single bool; it takes no [index]")
      }
      if isList {
        throw fail(valueStart, "'\(name)' is a single bool; give true or false, not a list")
      }
      guard assigned.insert(name).inserted else {
        throw fail(start, "'\(name)' is assigned more than once")
      }
      guard let b = parseBool(value) else {
        throw fail(valueStart, "cannot read '\(value)' as a bool for '\(name)'; use true or false")
      }
      hparams.loadPretrained = b
    }
    return hparams
  }

  /// `true True false False` or a Python-style integer (surrounding spaces allowed).
  static func parseBool(_ text: String) -> Bool? {
    if text == "true" || text == "True" { return true }
    if text == "false" || text == "False" { return false }
    var t = Substring(text.trimmingCharacters(in: " \t\n\r"))
    if t.hasPrefix("+") || t.hasPrefix("-") { t = t.dropFirst() }
    let digits = t.filter { $0 != "_" }
    guard !t.isEmpty, !t.hasPrefix("_"), !t.hasSuffix("_"), !t.contains("__"),
      digits.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    return digits.contains { $0 != "0" }
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s.removeFirst() }
    while let l = s.last, set.contains(l) { s.removeLast() }
    return String(s)
  }
}
