import Evaluation
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import Testing

/// The HTML report of a synthetic (format-correct) model_dir: well-formed, one SVG per plot,
/// and the plotted / tabulated numbers equal to the input files.
@Suite struct RunReportTests {
  /// A DLLogger report as `ssd train --raport_file` writes it, plus per-step LOG lines and
  /// PARAMETER lines; NaN once (Python's literal).
  static func writeModelDir(_ dir: String) throws -> (steps: [Int], losses: [[Double]], lrs: [Double],
                                                      throughput: [Double], metrics: [Int: COCOMetrics]) {
    var lines: [String] = []
    func line(_ body: String) { lines.append("DLLL {\"timestamp\": \"1700000000.5\", \"datetime\": \"2023-11-14 22:13:20.500000\", \"elapsedtime\": \"1.25\", \(body)}") }
    line("\"type\": \"METADATA\", \"metric\": \"infer_throughput\", \"metadata\": {\"unit\": \"images/s\"}")
    line("\"type\": \"METADATA\", \"metric\": \"train_throughput\", \"metadata\": {\"unit\": \"images/s\"}")
    line("\"type\": \"LOG\", \"step\": \"PARAMETER\", \"data\": {\"num_steps\": 40, \"pipeline_config_path\": \"tiny.config\", \"ssd_version\": \"0.1\"}")
    var steps: [Int] = [], losses: [[Double]] = [], lrs: [Double] = [], tput: [Double] = []
    var rng = SystemRandomNumberGenerator()
    for s in stride(from: 2, through: 40, by: 2) {
      let parts = (0..<3).map { _ in Double.random(in: 0.01...3, using: &rng) }
      let total = parts.reduce(0, +)
      let lr = 0.001 * Double(s) + 1e-7
      let ips = Double.random(in: 20...40, using: &rng)
      steps.append(s); losses.append([total] + parts); lrs.append(lr); tput.append(ips)
      line("\"type\": \"LOG\", \"step\": [\(s)], \"data\": {\"total_loss\": \(total), \"classification_loss\": \(parts[0]), "
           + "\"localization_loss\": \(parts[1]), \"regularization_loss\": \(parts[2]), \"learning_rate\": \(lr), "
           + "\"train_throughput\": \(ips)}")
      if s == 20 || s == 40 {
        line("\"type\": \"LOG\", \"step\": [], \"data\": {\"train_throughput\": \(ips + 1)}")
      }
    }
    // A NaN in an extra key must not break parsing.
    line("\"type\": \"LOG\", \"step\": [40], \"data\": {\"grad_norm\": NaN}")
    lines.append("some other console output mixed into the file")
    try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/summary.json", atomically: true, encoding: .utf8)

    // Two evaluations as the trainer writes them, plus the DLLogger line of the second.
    var metrics: [Int: COCOMetrics] = [:]
    try FileManager.default.createDirectory(atPath: dir + "/eval_validation_data", withIntermediateDirectories: true)
    for (k, step) in [20, 40].enumerated() {
      let stats = (0..<12).map { i in i == 5 ? -1 : Double(k + 1) * 0.01 * Double(i + 1) + 0.000123456789 }
      let m = COCOMetrics(stats: stats, summaryLines: Array(repeating: "line", count: 12),
                          perCategory: [COCOCategoryAP(id: 1, name: "person", ap: 0.25 * Double(k + 1), ap50: 0.5 + 0.1 * Double(k)),
                                        COCOCategoryAP(id: 3, name: "car <&>", ap: 0, ap50: 0),
                                        COCOCategoryAP(id: 18, name: "dog", ap: 0.75, ap50: 0.875),
                                        COCOCategoryAP(id: 90, name: "toothbrush", ap: -1, ap50: -1)],
                          imageCount: 32, groundTruthCount: 50, detectionCount: 3200)
      metrics[step] = m
      try m.jsonData().write(to: URL(fileURLWithPath: dir + "/eval_validation_data/metrics-\(step).json"))
    }
    try "model_checkpoint_path: \"model.ckpt-40\"\nall_model_checkpoint_paths: \"model.ckpt-20\"\nall_model_checkpoint_paths: \"model.ckpt-40\"\n"
      .write(toFile: dir + "/checkpoint", atomically: true, encoding: .utf8)
    return (steps, losses, lrs, tput, metrics)
  }

  /// An attribute's value (via XPath: `attribute(forName:)` misses them on Linux).
  static func attribute(_ e: XMLElement, _ name: String) -> String? {
    (try? e.nodes(forXPath: "@\(name)"))?.first?.stringValue
  }

  /// `data-points` of the series named `name` in `svg`, parsed back.
  static func points(_ svg: XMLElement, series name: String) -> [(Double, Double)]? {
    for g in (try? svg.nodes(forXPath: ".//*[local-name()='g'][@class='series']")) ?? [] {
      guard let e = g as? XMLElement, attribute(e, "data-name") == name,
            let raw = attribute(e, "data-points") else { continue }
      return raw.split(separator: " ").map { p in
        let xy = p.split(separator: ",")
        return (Double(xy[0])!, Double(xy[1])!)
      }
    }
    return nil
  }

  @Test func reportOfSyntheticModelDirIsWellFormedAndExact() throws {
    let dir = try TempDir.make("report")
    defer { TempDir.remove(dir) }
    let input = try Self.writeModelDir(dir)
    let path = try RunReport.write(modelDir: dir)
    #expect(path == dir + "/report.html")
    let html = try String(contentsOfFile: path, encoding: .utf8)

    // Self-contained: nothing fetched from anywhere.
    for banned in ["<script", "src=", "href=", "@import", "url("] { #expect(!html.contains(banned), "\(banned)") }
    let httpUses = html.components(separatedBy: "http").count - 1
    let namespaceUses = html.components(separatedBy: "xmlns=\"http").count - 1
    #expect(httpUses == namespaceUses)

    // Well-formed XML (XHTML), one <svg> per plot.
    let doc = try XMLDocument(xmlString: html, options: [])
    let svgs = try doc.nodes(forXPath: "//*[local-name()='svg']").compactMap { $0 as? XMLElement }
    let titles = svgs.map { Self.attribute($0, "aria-label") ?? "" }
    #expect(titles == ["Training loss", "Learning rate", "Training throughput", "COCO average precision",
                       "COCO average recall", "grad_norm"])

    // Plotted numbers equal the log.
    let loss = svgs[0]
    for (k, name) in ["total", "classification", "localization", "regularization"].enumerated() {
      let pts = Self.points(loss, series: name)
      #expect(pts?.map(\.0) == input.steps.map(Double.init))
      #expect(pts?.map(\.1) == input.losses.map { $0[k] }, "\(name)")
    }
    #expect(Self.points(svgs[1], series: "learning rate")?.map(\.1) == input.lrs)
    #expect(Self.points(svgs[2], series: "per logged step")?.map(\.1) == input.throughput)
    #expect(Self.points(svgs[2], series: "per training phase")?.map(\.0) == [20, 40])
    #expect(Self.points(svgs[2], series: "per training phase")?.map(\.1) == [input.throughput[9] + 1, input.throughput[19] + 1])
    let ap = Self.points(svgs[3], series: "AP")
    #expect(ap?.map(\.0) == [20, 40])
    #expect(ap?.map(\.1) == [input.metrics[20]!.stats[0], input.metrics[40]!.stats[0]])
    #expect(Self.points(svgs[3], series: "AP large")?.map(\.1) == [-1, -1])
    #expect(Self.points(svgs[4], series: "AR@100")?.map(\.1) == [input.metrics[20]!.stats[8], input.metrics[40]!.stats[8]])
    #expect(Self.points(svgs[5], series: "grad_norm")?.first?.1.isNaN == true)

    // Tables: every evaluation's 12 numbers and the last per-class AP, exact in the titles.
    let titlesOfNumbers = try doc.nodes(forXPath: "//*[local-name()='span'][@class='num']/@title").compactMap(\.stringValue)
    for step in [20, 40] {
      for v in input.metrics[step]!.stats { #expect(titlesOfNumbers.contains(LinePlot.number(v)), "\(v)") }
    }
    #expect(titlesOfNumbers.contains("0.5"))      // person AP at step 40
    #expect(titlesOfNumbers.contains("0.6"))      // person AP50 at step 40
    // Per-class AP: only classes with ground truth (not toothbrush, AP -1; car with AP 0 stays),
    // in label-map order, best first and worst first.
    #expect(html.contains("car &lt;&amp;&gt;") && !html.contains("toothbrush"))
    func classes(_ table: String) throws -> [String] {
      try doc.nodes(forXPath: "//*[local-name()='table'][contains(@class,'\(table)')]/*[local-name()='tr']/*[local-name()='td'][3]")
        .compactMap(\.stringValue)
    }
    #expect(try classes("ap-by-id") == ["person", "car <&>", "dog"])
    #expect(try classes("ap-best") == ["dog", "person", "car <&>"])
    #expect(try classes("ap-worst") == ["car <&>", "person", "dog"])
    #expect(try doc.nodes(forXPath: "//*[local-name()='input'][@type='radio'][@checked]/@id").compactMap(\.stringValue) == ["ap-order-id"])
    #expect(html.contains("model.ckpt-20") && html.contains("pipeline_config_path") && html.contains("tiny.config"))
  }

  @Test func textLogAndStepLessEvaluationsAreRead() throws {
    let dir = try TempDir.make("report-log")
    defer { TempDir.remove(dir) }
    let log = """
      Resuming nothing
      step 10 | loss 1.2345 | cls 0.9000 | loc 0.2000 | reg 0.1345 | lr 0.010000 | 31.2 img/s | 812 ms/step
      step 20 | loss 1.1000 | cls 0.8000 | loc 0.2000 | reg 0.1000 | lr 0.020000 | 33.0 img/s | 790 ms/step
      """
    try log.write(toFile: dir + "/train.log", atomically: true, encoding: .utf8)
    // The trainer's current DLLogger lines: step [] for throughput and metrics.
    let dlll = """
      DLLL {"timestamp": "1", "elapsedtime": "0", "datetime": "x", "type": "METADATA", "metric": "train_throughput", "metadata": {"unit": "images/s"}}
      DLLL {"timestamp": "2", "datetime": "x", "elapsedtime": "1", "type": "LOG", "step": [], "data": {"train_throughput": 30.5}}
      DLLL {"timestamp": "3", "datetime": "x", "elapsedtime": "2", "type": "LOG", "step": [], "data": {"Precision/mAP": 0.125, "Recall/AR@100": 0.25}}
      """
    try dlll.write(toFile: dir + "/raport.json", atomically: true, encoding: .utf8)
    let h = try RunHistory(modelDir: dir)
    #expect(h.series["total_loss"]?.map(\.value) == [1.2345, 1.1])
    #expect(h.series["learning_rate"]?.map(\.step) == [10, 20])
    #expect(h.series["train_throughput"]?.map(\.value) == [31.2, 33.0])
    #expect(h.series["step_time_ms"]?.map(\.value) == [812, 790])
    #expect(h.phaseThroughput.map(\.value) == [30.5])
    #expect(h.evaluations.count == 1 && h.evaluations[0].metrics["Precision/mAP"] == 0.125)
    let page = HTMLReport(history: h, modelDir: dir).html()
    _ = try XMLDocument(xmlString: page, options: [])
  }

  @Test func errorsNameTheFileAndLine() throws {
    let dir = try TempDir.make("report-bad")
    defer { TempDir.remove(dir) }
    #expect(throws: ReportError.nothingToReport(path: dir)) { try RunReport.write(modelDir: dir) }
    #expect(throws: ReportError.notADirectory(path: dir + "/none")) { try RunReport.write(modelDir: dir + "/none") }
    try "DLLL {\"type\": \"LOG\"}\nDLLL {\"type\": \"LOG\", \"step\": [1], \"data\": {\"a\": 1,}\n"
      .write(toFile: dir + "/summary.json", atomically: true, encoding: .utf8)
    #expect(throws: ReportError.badLogLine(path: dir + "/summary.json", line: 2, reason: "invalid JSON")) {
      try RunReport.write(modelDir: dir)
    }
    try FileManager.default.removeItem(atPath: dir + "/summary.json")
    try FileManager.default.createDirectory(atPath: dir + "/eval_x", withIntermediateDirectories: true)
    try "{\"stats\": []}".write(toFile: dir + "/eval_x/metrics-5.json", atomically: true, encoding: .utf8)
    do {
      try RunReport.write(modelDir: dir)
      Issue.record("a metrics file without \"metrics\" was accepted")
    } catch let e as ReportError {
      #expect(e.description.contains("metrics-5.json") && e.description.contains("\"metrics\""))
    }
  }
}
