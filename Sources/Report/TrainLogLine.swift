/// One progress line of `ssd train`'s standard output:
/// `step 120 | loss 1.2345 | cls 0.9 | loc 0.2 | reg 0.1 | lr 0.010000 | 31.2 img/s | 812 ms/step | input wait 7 ms`.
/// Parts are `name value`, `value unit` or `input wait value ms`; unknown parts are kept
/// under their name.
public enum TrainLogLine {
  /// The step and the values of a progress line, named as the DLLogger keys
  /// (`total_loss`, `classification_loss`, `localization_loss`, `regularization_loss`,
  /// `learning_rate`, `train_throughput`, `step_time_ms`, `input_wait_ms`); nil for other lines.
  public static func parse(_ line: Substring) -> (step: Int, values: [String: Double])? {
    let parts = line.split(separator: "|").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
    guard let first = parts.first, first.count == 2, first[0] == "step", let step = Int(first[1]) else { return nil }
    var values: [String: Double] = [:]
    for p in parts.dropFirst() {
      if p.count == 4, p[0] == "input", p[1] == "wait", p[3] == "ms", let v = Double(p[2]) {
        values["input_wait_ms"] = v
        continue
      }
      guard p.count == 2 else { continue }
      if let v = Double(p[1]) {
        values[canonicalName(String(p[0]))] = v
      } else if let v = Double(p[0]) {
        switch p[1] {
        case "img/s": values["train_throughput"] = v
        case "ms/step", "ms": values["step_time_ms"] = v
        default: values[String(p[1])] = v
        }
      }
    }
    return values.isEmpty ? nil : (step, values)
  }

  static func canonicalName(_ short: String) -> String {
    switch short {
    case "loss": return "total_loss"
    case "cls": return "classification_loss"
    case "loc": return "localization_loss"
    case "reg": return "regularization_loss"
    case "lr": return "learning_rate"
    default: return short
    }
  }
}
