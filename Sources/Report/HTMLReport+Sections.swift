import Foundation

/// The report's step-time, gallery and per-class AP sections.
extension HTMLReport {
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
