import Foundation

/// Renders a `RunHistory` as one self-contained HTML page (well-formed XHTML, so XML tools
/// read it too): inline CSS, inline SVG plots (`LinePlot`, `StackedAreaPlot`), pictures as
/// `data:` URIs; no scripts, fonts or links to anything outside the page. Sections: summary,
/// missing sources, plots (losses, learning rate, throughput, AP and AR over evaluations),
/// step time (compute / exposed communication / input wait, per worker), evaluation table,
/// gallery of detections, per-class AP of the last evaluation (classes present in its
/// ground truth; sortable with CSS radio buttons), run configuration, checkpoints,
/// pipeline.config, and the files read. Every text from the sources goes through `text`/`attr`.
public struct HTMLReport {
  public var history: RunHistory
  public var modelDir: String
  /// Shown in the footer; fixed in tests.
  public var generatedAt: Date

  public init(history: RunHistory, modelDir: String, generatedAt: Date = Date()) {
    self.history = history
    self.modelDir = modelDir
    self.generatedAt = generatedAt
  }

  /// Per-step keys and their labels, in plot order.
  static let lossKeys = [("total_loss", "total"), ("classification_loss", "classification"),
                         ("localization_loss", "localization"), ("regularization_loss", "regularization")]
  static let apKeys = [("Precision/mAP", "AP"), ("Precision/mAP@.50IOU", "AP50"), ("Precision/mAP@.75IOU", "AP75"),
                       ("Precision/mAP (small)", "AP small"), ("Precision/mAP (medium)", "AP medium"),
                       ("Precision/mAP (large)", "AP large")]
  static let arKeys = [("Recall/AR@1", "AR@1"), ("Recall/AR@10", "AR@10"), ("Recall/AR@100", "AR@100"),
                       ("Recall/AR@100 (small)", "AR small"), ("Recall/AR@100 (medium)", "AR medium"),
                       ("Recall/AR@100 (large)", "AR large")]

  /// The plots this history supports (those without data are left out).
  public var plots: [LinePlot] {
    var out: [LinePlot] = []
    let h = history
    func steps(_ key: String) -> [(x: Double, y: Double)] { (h.series[key] ?? []).map { (Double($0.step), $0.value) } }
    let losses = Self.lossKeys.compactMap { key, label in h.series[key].map { _ in LinePlot.Series(name: label, points: steps(key)) } }
    if !losses.isEmpty { out.append(LinePlot(title: "Training loss", xLabel: "step", yLabel: "loss", series: losses)) }
    if h.series["learning_rate"] != nil {
      out.append(LinePlot(title: "Learning rate", xLabel: "step", yLabel: "learning rate",
                          series: [.init(name: "learning rate", points: steps("learning_rate"))]))
    }
    var tp: [LinePlot.Series] = []
    if h.series["train_throughput"] != nil { tp.append(.init(name: "per logged step", points: steps("train_throughput"))) }
    if !h.phaseThroughput.isEmpty {
      tp.append(.init(name: "per training phase", points: h.phaseThroughput.map { (Double($0.step), $0.value) }))
    }
    if !tp.isEmpty {
      out.append(LinePlot(title: "Training throughput", xLabel: "step", yLabel: "images/s", series: tp))
    }
    let names = Array(Set(h.evaluations.map(\.name))).sorted()
    func evalSeries(_ keys: [(String, String)]) -> [LinePlot.Series] {
      var s: [LinePlot.Series] = []
      for name in names {
        let evals = h.evaluations.filter { $0.name == name }
        for (key, label) in keys {
          let pts = evals.compactMap { e in e.metrics[key].map { (x: Double(e.step), y: $0) } }
          if !pts.isEmpty {
            s.append(.init(name: names.count > 1 ? "\(label) (\(name))" : label, points: pts, hideBelow: 0))
          }
        }
      }
      return s
    }
    let ap = evalSeries(Self.apKeys), ar = evalSeries(Self.arKeys)
    if !ap.isEmpty { out.append(LinePlot(title: "COCO average precision", xLabel: "step", yLabel: "AP", series: ap)) }
    if !ar.isEmpty { out.append(LinePlot(title: "COCO average recall", xLabel: "step", yLabel: "AR", series: ar)) }
    let known = Set(Self.lossKeys.map(\.0) + ["learning_rate", "train_throughput"])
    for key in h.series.keys.sorted() where !known.contains(key) && !StepTimeBreakdown.isStepTimeKey(key) {
      out.append(LinePlot(title: key, xLabel: "step", yLabel: h.units[key] ?? key, series: [.init(name: key, points: steps(key))]))
    }
    return out
  }

  /// The whole page.
  public func html() -> String {
    let h = history
    var o = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    o += "<title>Training report: \(text(modelDir))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
    o += "<h1>Training report</h1>\n<p class=\"dir\">\(text(modelDir))</p>\n"

    // Summary.
    o += "<h2>Summary</h2>\n<table class=\"kv\">\n"
    let lastStep = ([h.series.values.compactMap { $0.last?.step }.max(), h.evaluations.last?.step].compactMap { $0 }).max()
    o += row("last step", lastStep.map(String.init) ?? "–")
    for (key, label) in Self.lossKeys { if let v = h.series[key]?.last { o += row("last \(label) loss", cell(v.value)) } }
    if let v = h.series["learning_rate"]?.last { o += row("last learning rate", cell(v.value)) }
    if let v = h.series["train_throughput"]?.last ?? h.phaseThroughput.last { o += row("last throughput (images/s)", cell(v.value)) }
    if let e = h.evaluations.last {
      if let ap = e.metrics["Precision/mAP"] { o += row("last AP@[.50:.95] (step \(e.step))", cell(ap)) }
      if let ap50 = e.metrics["Precision/mAP@.50IOU"] { o += row("last AP@.50 (step \(e.step))", cell(ap50)) }
    }
    o += row("evaluations", String(h.evaluations.count))
    if h.restarts.count > 1 { o += row("automatic restarts", String(h.restarts.count - 1)) }
    o += "</table>\n"
    if !h.warnings.isEmpty {
      o += "<h2>Missing sources</h2>\n<ul class=\"warnings\">\n" + h.warnings.map { "<li>\(text($0))</li>\n" }.joined() + "</ul>\n"
    }

    // Plots.
    let plots = self.plots
    o += "<h2>Plots</h2>\n"
    if plots.isEmpty { o += "<p>No per-step values or evaluations were found.</p>\n" }
    for p in plots { o += "<figure>\n\(p.svg())\n</figure>\n" }
    o += stepTimeSection()
    o += restartSection()

    // Evaluations.
    if !h.evaluations.isEmpty {
      o += "<h2>Evaluations</h2>\n<table class=\"grid\">\n<tr><th>step</th><th>data</th>"
      for (_, label) in Self.apKeys + Self.arKeys { o += "<th>\(text(label))</th>" }
      let withLoss = h.evaluations.contains { $0.losses["Loss/total_loss"] != nil }
      if withLoss { o += "<th>eval total loss</th>" }
      o += "</tr>\n"
      for e in h.evaluations {
        o += "<tr><td>\(e.step)</td><td>\(text(e.name))</td>"
        for (key, _) in Self.apKeys + Self.arKeys { o += e.metrics[key].map { cell($0, tag: "td") } ?? "<td>–</td>" }
        if withLoss { o += e.losses["Loss/total_loss"].map { cell($0, tag: "td") } ?? "<td>–</td>" }
        o += "</tr>\n"
      }
      o += "</table>\n"
    }
    o += gallerySection()
    o += perClassSection()

    // Configuration.
    o += "<h2>Run configuration</h2>\n"
    if h.parameters.isEmpty {
      o += "<p>No PARAMETER entries in the DLLogger report.</p>\n"
    } else {
      o += "<table class=\"kv\">\n"
      for (k, v) in h.parameters { o += row(k, text(v)) }
      o += "</table>\n"
    }
    if !h.units.isEmpty {
      o += "<p class=\"note\">Units: " + h.units.keys.sorted().map { "\(text($0)): \(text(h.units[$0]!))" }.joined(separator: ", ") + "</p>\n"
    }
    if !h.checkpoints.isEmpty {
      o += "<h3>Checkpoints</h3>\n<ul>\n" + h.checkpoints.map { "<li>\(text($0))</li>\n" }.joined() + "</ul>\n"
    }
    if let config = h.pipelineConfig {
      o += "<details><summary>pipeline.config</summary>\n<pre>\(text(config))</pre>\n</details>\n"
    }
    o += "<h2>Versions and sources</h2>\n<table class=\"kv\">\n"
    o += row("report generator", "swift-ssd ssd report")
    o += row("operating system", text(ProcessInfo.processInfo.operatingSystemVersionString))
    let f = ISO8601DateFormatter()
    o += row("generated", f.string(from: generatedAt))
    o += "</table>\n<ul class=\"files\">\n" + h.sources.map { "<li>\(text($0))</li>\n" }.joined() + "</ul>\n"
    o += "</body>\n</html>\n"
    return o
  }

  private func row(_ key: String, _ valueHTML: String) -> String {
    "<tr><th>\(text(key))</th><td>\(valueHTML)</td></tr>\n"
  }

  /// A number shown with 4 significant decimals, the exact value in `title`.
  func cell(_ v: Double, tag: String? = nil) -> String {
    let shown: String
    if v.isNaN || v.isInfinite { shown = LinePlot.number(v) }
    else if v != 0 && abs(v) < 1e-3 { shown = String(format: "%.3e", v) }
    else if abs(v) >= 1e4 { shown = FixedDecimal.string(v, decimals: 1) }
    else { shown = FixedDecimal.string(v, decimals: 4) }
    let span = "<span class=\"num\" title=\"\(LinePlot.number(v))\">\(shown)</span>"
    return tag.map { "<\($0)>\(span)</\($0)>" } ?? span
  }

  static let css = """
    body { font-family: sans-serif; margin: 24px; color: #222222; max-width: 1360px; }
    h1 { margin-bottom: 0; }
    .dir { color: #666666; margin-top: 4px; font-family: monospace; }
    figure { display: inline-block; margin: 8px; border: 1px solid #dddddd; }
    table { border-collapse: collapse; margin: 8px 0; }
    th, td { padding: 3px 8px; border: 1px solid #dddddd; text-align: left; }
    table.grid td { text-align: right; font-variant-numeric: tabular-nums; }
    table.kv th { background: #f6f6f6; font-weight: normal; }
    .note { color: #666666; font-size: 90%; }
    pre { background: #f6f6f6; padding: 8px; overflow-x: auto; }
    ul.files { font-family: monospace; font-size: 90%; }
    ul.warnings li { color: #8a5a00; }
    .gallery figure { display: block; border: none; margin: 8px 0; }
    .gallery img { max-width: 100%; height: auto; border: 1px solid #dddddd; }
    figcaption { font-size: 90%; color: #666666; font-family: monospace; }
    .apsort label { margin-right: 12px; }
    .apsort table.ap-table { display: none; }
    #ap-order-id:checked ~ table.ap-by-id, #ap-order-best:checked ~ table.ap-best,
    #ap-order-worst:checked ~ table.ap-worst { display: table; }

    """
}
