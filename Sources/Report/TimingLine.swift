/// The distributed coordinator's per-phase timing line on standard output (means over the
/// phase's steps, first step excluded, on the critical path):
/// `timing | 4 workers | 20 steps | step 812.0 ms = compute 700.1 + exposed comm 90.2 + input 1.0 + other 20.7 ms`.
public enum TimingLine {
  /// Keys of the parsed values: the same split as the `perf/` tags, under `timing/` because
  /// they are phase means, not per-step values.
  public static let wall = "timing/step_ms"
  public static let compute = "timing/step_ms_compute"
  public static let exposedComm = "timing/step_ms_exposed_comm"
  public static let input = "timing/step_ms_input"

  /// The values of a timing line (nil for other lines; the whole-run summary line
  /// `timing (whole run, first step excluded) | …` is not a phase and also gives nil).
  public static func parse(_ line: Substring) -> [String: Double]? {
    guard line.hasPrefix("timing |") else { return nil }
    guard let eq = line.firstIndex(of: "=") else { return nil }
    let head = line[..<eq].split(separator: "|").last?.split(separator: " ") ?? []
    guard head.count == 3, head[0] == "step", let wallMs = Double(head[1]) else { return nil }
    var out = [wall: wallMs]
    let terms = line[line.index(after: eq)...].split(separator: "+").map { $0.split(separator: " ") }
    for t in terms {
      let words = t.filter { $0 != "ms" }
      guard let v = words.last.flatMap({ Double($0) }) else { continue }
      switch words.dropLast().joined(separator: " ") {
      case "compute": out[compute] = v
      case "exposed comm": out[exposedComm] = v
      case "input": out[input] = v
      default: break
      }
    }
    return out.count == 4 ? out : nil
  }
}
