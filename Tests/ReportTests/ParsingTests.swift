import Foundation
import Report
import Testing

/// DLLogger lines, console progress lines and plot axes.
@Suite struct ParsingTests {
  @Test func dlloggerStepForms() throws {
    func parse(_ s: String) throws -> DLLoggerRecord { try #require(try DLLoggerRecord.parse(Substring(s), path: "f", lineNumber: 1)) }
    #expect(try parse("DLLL {\"type\": \"LOG\", \"step\": [], \"data\": {\"a\": 1}}").step == .none)
    #expect(try parse("DLLL {\"type\": \"LOG\", \"step\": [2, 300], \"data\": {}}").step == .global(300))
    #expect(try parse("DLLL {\"type\": \"LOG\", \"step\": 7, \"data\": {}}").step == .global(7))
    let parameters = try parse("DLLL {\"type\": \"LOG\", \"step\": \"PARAMETER\", \"data\": {\"x\": \"y\", \"b\": true}}")
    #expect(parameters.step == .name("PARAMETER") && parameters.strings == ["x": "y", "b": "true"])
    let r = try parse("DLLL {\"type\": \"LOG\", \"step\": [1], \"data\": {\"n\": NaN, \"p\": Infinity, \"m\": -Infinity, \"s\": \"NaN in text\", \"v\": 0.1}}")
    #expect(r.numbers["n"]?.isNaN == true && r.numbers["p"] == .infinity && r.numbers["m"] == -.infinity)
    #expect(r.strings["s"] == "NaN in text" && r.numbers["v"] == 0.1)
    #expect(try DLLoggerRecord.parse("plain text", path: "f", lineNumber: 1) == nil)
    let booleans = try parse("DLLL {\"type\": \"LOG\", \"step\": [1], \"data\": {\"flag\": true, \"one\": 1}}")
    #expect(booleans.numbers == ["one": 1] && booleans.strings == ["flag": "true"])
    // Numbers come back exactly (shortest round-trip decimals).
    let exact = try parse("DLLL {\"type\": \"LOG\", \"step\": [1], \"data\": {\"a\": 2.5155937005485685, \"b\": 0.020123456789000002}}")
    #expect(exact.numbers == ["a": 2.5155937005485685, "b": 0.020123456789000002])
  }

  @Test func consoleProgressLines() {
    let p = TrainLogLine.parse("step 120 | loss 1.2345 | cls 0.9 | loc 0.2 | reg 0.1 | lr 0.010000 | 31.2 img/s | 812 ms/step")
    #expect(p?.step == 120)
    #expect(p?.values == ["total_loss": 1.2345, "classification_loss": 0.9, "localization_loss": 0.2,
                          "regularization_loss": 0.1, "learning_rate": 0.01, "train_throughput": 31.2, "step_time_ms": 812])
    #expect(TrainLogLine.parse("Saved checkpoint /tmp/x/model.ckpt-120") == nil)
    #expect(TrainLogLine.parse("step x | loss 1") == nil)
  }

  @Test func plotsOfEdgeCasesRenderWithoutData() throws {
    let empty = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: []).svg()
    #expect(empty.contains("no finite data"))
    let single = LinePlot(title: "one point", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(5, 2)])]).svg()
    #expect(single.contains("<circle") && !single.contains("NaN"))
    let constant = LinePlot(title: "flat", xLabel: "x", yLabel: "y",
                            series: [.init(name: "s", points: [(0, 0), (1, 0), (2, 0)])]).svg()
    #expect(!constant.contains("nan") && !constant.contains("inf"))
  }
}
