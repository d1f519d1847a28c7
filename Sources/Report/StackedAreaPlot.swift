import Foundation

/// A stacked area plot as a standalone inline SVG element, for the step-time split: the
/// layers (compute, exposed communication, input wait) are drawn on top of each other, so
/// the top edge is their sum. One x per point shared by all layers; a layer without a value
/// at an x counts as 0 there. Every layer keeps its exact values in `data-points` (as
/// `LinePlot` does), and each x a `<title>` tooltip with the parts when there are at most
/// `markerLimit` of them.
public struct StackedAreaPlot {
  public struct Layer {
    public var name: String
    public var color: String
    /// x → value.
    public var values: [Double: Double]
    public init(name: String, color: String, values: [Double: Double]) {
      self.name = name
      self.color = color
      self.values = values
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var layers: [Layer]
  /// A fixed y range top shared by several plots (small multiples); nil: from the data.
  public var yMax: Double?
  public var width = 640
  public var height = 260
  public var markerLimit = 60

  public init(title: String, xLabel: String, yLabel: String, layers: [Layer], yMax: Double? = nil) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.layers = layers
    self.yMax = yMax
  }

  let left = 64.0, right = 16.0, top = 30.0, bottom = 46.0

  /// The xs where any layer has a finite value, ascending.
  var xs: [Double] {
    Array(Set(layers.flatMap { l in l.values.filter { $0.key.isFinite && $0.value.isFinite }.keys })).sorted()
  }

  /// The stacked tops: for each x, the running sums of the layers in order.
  var stacks: [[Double]] {
    xs.map { x in
      var sum = 0.0
      return layers.map { l in
        let v = l.values[x] ?? 0
        sum += v.isFinite ? max(0, v) : 0
        return sum
      }
    }
  }

  /// Largest stacked total (0 without data).
  public var maxTotal: Double { stacks.compactMap(\.last).max() ?? 0 }

  public func svg() -> String {
    let w = Double(width), h = Double(height)
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\(attr(title)) class=\"plot stacked\" "
      + "font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<title>\(text(title))</title>\n"
    out += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
    out += "<text x=\"\(fmt(w / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(text(title))</text>\n"
    let xs = self.xs, stacks = self.stacks
    func dataGroups() -> String {
      layers.map { l in
        let pts = l.values.keys.sorted().map { "\(LinePlot.number($0)),\(LinePlot.number(l.values[$0]!))" }.joined(separator: " ")
        return "<g class=\"layer\" data-name=\(attr(l.name)) data-points=\"\(pts)\"/>\n"
      }.joined()
    }
    guard !xs.isEmpty else {
      out += "<text x=\"\(fmt(w / 2))\" y=\"\(fmt(h / 2))\" text-anchor=\"middle\" fill=\"#888888\">no finite data</text>\n"
      return out + dataGroups() + "</svg>"
    }
    let xa = LinePlot.axis(lo: xs.first!, hi: xs.last!)
    let ya = LinePlot.axis(lo: 0, hi: max(yMax ?? 0, maxTotal, 1e-9))
    let pw = w - left - right, ph = h - top - bottom
    func px(_ x: Double) -> Double { left + LinePlot.fraction(x, xa.lo, xa.hi) * pw }
    func py(_ y: Double) -> Double { top + ph - LinePlot.fraction(y, ya.lo, ya.hi) * ph }

    out += "<g stroke=\"#e5e5e5\" stroke-width=\"1\">\n"
    for t in ya.ticks { out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(py(t)))\" x2=\"\(fmt(left + pw))\" y2=\"\(fmt(py(t)))\"/>\n" }
    out += "</g>\n<g fill=\"#333333\">\n"
    for t in ya.ticks {
      out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(t) + 4))\" text-anchor=\"end\">\(LinePlot.tickLabel(t, step: ya.step))</text>\n"
    }
    for t in xa.ticks {
      out += "<text x=\"\(fmt(px(t)))\" y=\"\(fmt(top + ph + 15))\" text-anchor=\"middle\">\(LinePlot.tickLabel(t, step: xa.step))</text>\n"
    }
    out += "</g>\n"

    // One polygon per layer between its bottom (the stack below) and its top. A single x
    // becomes a bar a few pixels wide.
    let half = xs.count == 1 ? 6.0 : 0.0
    for (i, l) in layers.enumerated() {
      var upper: [String] = [], lower: [String] = []
      for (k, x) in xs.enumerated() {
        let topY = py(stacks[k][i]), bottomY = py(i == 0 ? 0 : stacks[k][i - 1])
        upper.append("\(fmt(px(x) - half)),\(fmt(topY))")
        if half > 0 { upper.append("\(fmt(px(x) + half)),\(fmt(topY))") }
        lower.append("\(fmt(px(x) - half)),\(fmt(bottomY))")
        if half > 0 { lower.append("\(fmt(px(x) + half)),\(fmt(bottomY))") }
      }
      out += "<polygon fill=\(attr(l.color)) fill-opacity=\"0.8\" stroke=\(attr(l.color)) stroke-width=\"1\" "
        + "points=\"\((upper + lower.reversed()).joined(separator: " "))\"/>\n"
    }
    if xs.count <= markerLimit {
      for (k, x) in xs.enumerated() {
        let parts = layers.map { "\($0.name) \(LinePlot.number($0.values[x] ?? 0))" }.joined(separator: ", ")
        out += "<circle cx=\"\(fmt(px(x)))\" cy=\"\(fmt(py(stacks[k].last!)))\" r=\"2.5\" fill=\"#333333\">"
          + "<title>\(text("step \(LinePlot.number(x)): \(parts) (total \(LinePlot.number(stacks[k].last!)))"))</title></circle>\n"
      }
    }
    out += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(pw))\" height=\"\(fmt(ph))\" fill=\"none\" stroke=\"#333333\"/>\n"
    out += "<text x=\"\(fmt(left + pw / 2))\" y=\"\(fmt(h - 8))\" text-anchor=\"middle\">\(text(xLabel))</text>\n"
    out += "<text transform=\"translate(14 \(fmt(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(text(yLabel))</text>\n"

    // Legend, top left, top layer first (as stacked).
    let longest = layers.map(\.name.count).max() ?? 0
    let lw = Double(longest) * 6.5 + 34, lh = Double(layers.count) * 15 + 6
    let lx = left + 6, ly = top + 6
    out += "<g class=\"legend\">\n<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly))\" width=\"\(fmt(lw))\" height=\"\(fmt(lh))\" "
      + "fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\"/>\n"
    for (i, l) in layers.reversed().enumerated() {
      let y = ly + 13 + Double(i) * 15
      out += "<rect x=\"\(fmt(lx + 6))\" y=\"\(fmt(y - 9))\" width=\"18\" height=\"10\" fill=\(attr(l.color))/>\n"
      out += "<text x=\"\(fmt(lx + 28))\" y=\"\(fmt(y))\">\(text(l.name))</text>\n"
    }
    out += "</g>\n"
    return out + dataGroups() + "</svg>"
  }

  private func fmt(_ v: Double) -> String { FixedDecimal.string(v, decimals: 1) }
}
