import Foundation
import Testing
@testable import Report

/// Inputs of the `dllogger` fuzz target (scripts/fuzz.sh, docs/fuzzing.md) that trapped
/// before their fix (found by review while the fuzzer ran; it had not reached them in
/// 180 000 executions); each now gives a `ReportError` naming the file.
/// The inputs are committed under Tests/Fixtures/fuzz/dllogger/.
struct FuzzRegressionTests {
  static func input(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/fuzz/dllogger/\(name)").path
  }

  /// `"step": 1e300` and `"step": [0, NaN]` were converted with `Int(_:)`, which traps
  /// beyond Int's range and on NaN.
  @Test func nonIntegerStepsAreABadLine() throws {
    for (name, shown) in [("step-1e300.dllogger", "1e+300"), ("step-list-nan.dllogger", "NaN")] {
      let path = Self.input(name)
      let error = #expect(throws: ReportError.self) { try DLLoggerRecord.read(path: path) }
      #expect(error == .badLogLine(path: path, line: 1, reason: "step \(shown) is not an integer"))
    }
    // Integral floats are still steps.
    let r = try DLLoggerRecord.parse("DLLL {\"type\": \"LOG\", \"step\": [1, 120.0], \"data\": {}}", path: "f", lineNumber: 1)
    #expect(r?.step == .global(120))
  }

  /// Found by the fuzzer (campaign 3, three out-of-memory inputs, one committed): a training log
  /// whose steps or values are subnormal (`124.9e-324`) or span beyond Double's range gave
  /// `LinePlot.axis` a NaN tick origin, and its tick loop never ended (2 GiB of ticks). It
  /// renders now, with finite coordinates.
  @Test func trainingLogWithSubnormalValuesRenders() throws {
    let dir = try TempDir.make("fuzz-axis")
    defer { TempDir.remove(dir) }
    try FileManager.default.createDirectory(atPath: dir + "/eval_val", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: Self.input("train-log-subnormal-axis.log"), toPath: dir + "/train.log")
    let history = try RunHistory(modelDir: dir, raportFiles: [])
    let html = HTMLReport(history: history, modelDir: dir).html()
    #expect(html.contains("</html>"))
    #expect(!html.contains("\"nan") && !html.contains("\"inf") && !html.contains("\"-inf"), "non-finite SVG coordinates")
  }

  /// Axis ranges at Double's limits: a few finite ticks, the data inside, no trap.
  @Test func axesAtDoublesLimits() {
    let big = Double.greatestFiniteMagnitude, tiny = Double.leastNonzeroMagnitude
    for (lo, hi) in [(-big, big), (0, tiny), (-tiny, tiny), (tiny, 3 * tiny), (1e300, 1e300), (-1e308, big), (0, big),
                     (-big, -big), (0.0, 1.0), (-2.5, 7.25), (1e-310, 1e-300)] {
      let a = LinePlot.axis(lo: lo, hi: hi)
      #expect(a.lo.isFinite && a.hi.isFinite && a.lo < a.hi && a.step.isFinite && a.step > 0, "\(lo)...\(hi): \(a)")
      #expect(a.ticks.count >= 2 && a.ticks.count <= 51 && a.ticks.allSatisfy(\.isFinite), "\(lo)...\(hi): \(a.ticks)")
      #expect(a.lo <= lo && hi <= a.hi, "\(lo)...\(hi) outside \(a.lo)...\(a.hi)")
      for v in [lo, hi] {
        let f = LinePlot.fraction(v, a.lo, a.hi)
        #expect(f.isFinite && f >= 0 && f <= 1, "\(v) in \(a.lo)...\(a.hi): \(f)")
      }
      _ = LinePlot.tickLabel(a.ticks[0], step: a.step)
    }
    // Ordinary ranges keep their nice ticks.
    #expect(LinePlot.axis(lo: 0, hi: 1).ticks == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    let svg = LinePlot(title: "t", xLabel: "x", yLabel: "y",
                       series: [.init(name: "s", points: [(-big, -big), (0, tiny), (big, big)])]).svg()
    #expect(!svg.contains("nan") && !svg.contains("inf"), "\(svg)")
  }

  /// A metrics file whose per-category id is NaN (Python's json writes it bare).
  @Test func nonIntegerCategoryIdIsABadMetricsFile() throws {
    let path = Self.input("metrics-category-id-nan.json")
    let error = #expect(throws: ReportError.self) { try RunHistory.readMetrics(path: path, step: 5, name: "val") }
    #expect(error == .badMetrics(path: path, reason: "a per_category id (NaN) is not an integer"))
  }
}

/// JSON nesting is bounded by Foundation's JSONDecoder (512 levels, as JSONSerialization),
/// so the recursive `JSONValue` decoding cannot overflow the stack.
@Test func deeplyNestedJSONIsABadLineNotAStackOverflow() throws {
  let line = "DLLL " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
  #expect(throws: ReportError.badLogLine(path: "deep.json", line: 3, reason: "invalid JSON")) {
    try DLLoggerRecord.parse(Substring(line), path: "deep.json", lineNumber: 3)
  }
  let depth = 500  // within the limit: parses, then is not an object
  let nested = "DLLL " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
  #expect(throws: ReportError.badLogLine(path: "deep.json", line: 3, reason: "the JSON value is not an object")) {
    try DLLoggerRecord.parse(Substring(nested), path: "deep.json", lineNumber: 3)
  }
}
