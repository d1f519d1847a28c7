import Foundation

/// The report's step-time, restart, gallery and per-class AP sections.
extension HTMLReport {
  /// The attempts of a supervised run: workers and hosts, how each ended and why, the steps
  /// trained again and the time until the next attempt's first step.
  func restartSection() -> String {
    let attempts = history.restarts
    guard !attempts.isEmpty else { return "" }
    var o = "<h2>Attempts and restarts</h2>\n<p class=\"note\">From the supervisor's restart log "
      + "(supervisor/restarts.jsonl). Steps lost: steps after the newest checkpoint, trained again after the restart; "
      + "downtime: from the end of the failed attempt to the restarted one's first step.</p>\n"
    o += "<table class=\"grid\">\n<tr><th>attempt</th><th>workers</th><th>global batch</th><th>hosts left out</th>"
      + "<th>resumed from step</th><th>downtime (s)</th><th>last step</th><th>ended</th><th>cause</th><th>steps lost</th></tr>\n"
    for a in attempts {
      o += "<tr><td>\(a.attempt)</td><td>\(a.workers.map(String.init) ?? "–")</td>"
      o += "<td>\(a.globalBatch.map { g in "\(g)" + (a.perWorkerBatch.map { " (\($0) per worker)" } ?? "") } ?? "–")</td>"
      o += "<td>\(text(a.excluded.joined(separator: ", ")))</td><td>\(a.resumeStep.map(String.init) ?? "–")</td>"
      o += "<td>\(a.downtimeSeconds.map { FixedDecimal.string($0, decimals: 1) } ?? "–")</td><td>\(a.lastStep.map(String.init) ?? "–")</td>"
      o += "<td>\(text(a.outcome ?? "running"))\(a.status.map { " (\($0))" } ?? "")</td>"
      o += "<td style=\"text-align: left\">\(text(a.cause ?? ""))"
        + (a.failedHosts.isEmpty ? "" : "; failed: " + text(a.failedHosts.joined(separator: ", "))) + "</td>"
      o += "<td>\(a.stepsLost.map(String.init) ?? "–")</td></tr>\n"
    }
    return o + "</table>\n"
  }

  /// Stacked compute / exposed communication / input wait plots (`StepTimeBreakdown`).
  func stepTimeSection() -> String {
    let b = StepTimeBreakdown(series: history.series)
    var o = "<h2>Step time</h2>\n<p class=\"note\">\(text(b.note))</p>\n"
    for p in b.plots { o += "<figure>\n\(p.svg())\n</figure>\n" }
    return o
  }

  /// The newest pictures of each evaluation, embedded as `data:` URIs (PNG, JPEG or GIF by
  /// their signature; anything else is left out and named).
  func gallerySection() -> String {
    let images = history.gallery
    guard !images.isEmpty else { return "" }
    var o = "<h2>Detections on evaluation images</h2>\n"
    o += "<p class=\"note\">Left: the model's detections (name and score); right: the ground truth. "
      + "The pictures of each evaluation's newest step, as its event file holds them.</p>\n"
    var lastHeading = ""
    for g in images {
      let heading = "\(g.evaluation), step \(g.step)"
      if heading != lastHeading {
        if !lastHeading.isEmpty { o += "</div>\n" }
        o += "<h3>\(text(heading))</h3>\n<div class=\"gallery\">\n"
        lastHeading = heading
      }
      guard let mime = g.image.mimeType else {
        o += "<p class=\"note\">\(text(g.tag)): not a PNG, JPEG or GIF image (\(g.image.encoded.count) bytes); left out</p>\n"
        continue
      }
      let data = Data(g.image.encoded).base64EncodedString()
      let size = g.image.width > 0 && g.image.height > 0 ? " width=\"\(g.image.width)\" height=\"\(g.image.height)\"" : ""
      o += "<figure><img src=\"data:\(mime);base64,\(data)\"\(size) alt=\(attr(g.tag))/>"
        + "<figcaption>\(text(g.tag))</figcaption></figure>\n"
    }
    return o + "</div>\n"
  }

  /// Per-class AP of the newest evaluation that has it, for the classes in its ground truth,
  /// in three orders (label map, best first, worst first) switched by radio buttons and CSS.
  func perClassSection() -> String {
    guard let last = history.evaluations.last(where: { !$0.perCategory.isEmpty }) else { return "" }
    let present = last.perCategory.filter(\.occursInGroundTruth)
    var o = "<h2>Per-class AP (step \(last.step), \(text(last.name)))</h2>\n"
    o += "<p class=\"note\">\(present.count) of \(last.perCategory.count) classes occur in the evaluated ground truth; "
      + "the others (AP -1 in pycocotools' output) are left out.</p>\n"
    guard !present.isEmpty else { return o }
    let best = present.enumerated().sorted { ($1.element.ap, $0.offset) < ($0.element.ap, $1.offset) }.map(\.element)
    let worst = present.enumerated().sorted { ($0.element.ap, $0.offset) < ($1.element.ap, $1.offset) }.map(\.element)
    o += "<div class=\"apsort\">\nOrder: "
    for (id, label, checked) in [("ap-order-id", "label map", true), ("ap-order-best", "best first", false),
                                 ("ap-order-worst", "worst first", false)] {
      o += "<input type=\"radio\" name=\"ap-order\" id=\"\(id)\"\(checked ? " checked=\"checked\"" : "")/>"
        + "<label for=\"\(id)\">\(label)</label>\n"
    }
    for (cls, rows) in [("ap-by-id", present), ("ap-best", best), ("ap-worst", worst)] {
      o += "<table class=\"grid ap-table \(cls)\">\n<tr><th>#</th><th>id</th><th>class</th><th>AP@[.50:.95]</th><th>AP@.50</th></tr>\n"
      for (rank, c) in rows.enumerated() {
        let id = c.id >= 0 ? String(c.id) : "–"
        let ap50 = c.ap50.isNaN ? "<td>–</td>" : cell(c.ap50, tag: "td")
        o += "<tr><td>\(rank + 1)</td><td>\(id)</td><td>\(text(c.name))</td>\(cell(c.ap, tag: "td"))\(ap50)</tr>\n"
      }
      o += "</table>\n"
    }
    return o + "</div>\n"
  }
}
