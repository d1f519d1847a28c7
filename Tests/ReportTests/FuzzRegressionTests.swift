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
