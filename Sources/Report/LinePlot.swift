import Foundation

/// A line plot rendered as a standalone inline SVG element (no scripts, fonts or styles from
/// outside): axes with "nice" ticks and grid lines, axis labels, a title, one polyline per
/// series (with point markers when a series has few points) and a legend.
///
/// Every series keeps its exact data in a `data-points` attribute (`x,y` pairs separated by
/// spaces, shortest round-trip decimals) and every point a `<title>` tooltip when there are
/// at most `markerLimit` points, so a reader (or a test) can recover the plotted numbers.
public struct LinePlot {
  public struct Series {
    public var name: String
    public var points: [(x: Double, y: Double)]
    /// CSS colour; nil picks from `LinePlot.palette` by position.
    public var color: String?
    /// Points with y below this are kept in the data but not drawn (COCO's −1 = "nothing
    /// to average").
    public var hideBelow: Double?
    public init(name: String, points: [(x: Double, y: Double)], color: String? = nil, hideBelow: Double? = nil) {
      self.name = name
      self.points = points
      self.color = color
      self.hideBelow = hideBelow
    }

    /// The points that are drawn: finite and not hidden.
    var drawn: [(x: Double, y: Double)] {
      points.filter { $0.x.isFinite && $0.y.isFinite && $0.y >= (hideBelow ?? -.infinity) }
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var width = 640
  public var height = 300
  /// Series with at most this many points get a marker and tooltip per point.
  public var markerLimit = 60

  public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                               "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"]

  public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  // Plot area margins.
  let left = 64.0, right = 16.0, top = 30.0, bottom = 46.0

  /// The `<svg>` element.
  public func svg() -> String {
    let finite = series.flatMap(\.drawn)
    let w = Double(width), h = Double(height)
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\(attr(title)) class=\"plot\" "
      + "font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<title>\(text(title))</title>\n"
    out += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
    out += "<text x=\"\(fmt(w / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(text(title))</text>\n"
    guard !finite.isEmpty else {
      out += "<text x=\"\(fmt(w / 2))\" y=\"\(fmt(h / 2))\" text-anchor=\"middle\" fill=\"#888888\">no finite data</text>\n"
      for s in series { out += "<g class=\"series\" data-name=\(attr(s.name)) data-points=\"\(dataPoints(s))\"/>\n" }
      return out + "</svg>"
    }
    let xs = Self.axis(lo: finite.map(\.x).min()!, hi: finite.map(\.x).max()!)
    let ys = Self.axis(lo: finite.map(\.y).min()!, hi: finite.map(\.y).max()!)
    let pw = w - left - right, ph = h - top - bottom
    func px(_ x: Double) -> Double { left + Self.fraction(x, xs.lo, xs.hi) * pw }
    func py(_ y: Double) -> Double { top + ph - Self.fraction(y, ys.lo, ys.hi) * ph }

    // Grid, ticks and tick labels.
    out += "<g stroke=\"#e5e5e5\" stroke-width=\"1\">\n"
    for t in ys.ticks { out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(py(t)))\" x2=\"\(fmt(left + pw))\" y2=\"\(fmt(py(t)))\"/>\n" }
    for t in xs.ticks { out += "<line x1=\"\(fmt(px(t)))\" y1=\"\(fmt(top))\" x2=\"\(fmt(px(t)))\" y2=\"\(fmt(top + ph))\"/>\n" }
    out += "</g>\n<g fill=\"#333333\">\n"
    for t in ys.ticks {
      out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(t) + 4))\" text-anchor=\"end\">\(Self.tickLabel(t, step: ys.step))</text>\n"
    }
    for t in xs.ticks {
      out += "<text x=\"\(fmt(px(t)))\" y=\"\(fmt(top + ph + 15))\" text-anchor=\"middle\">\(Self.tickLabel(t, step: xs.step))</text>\n"
    }
    out += "</g>\n"
    out += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(pw))\" height=\"\(fmt(ph))\" fill=\"none\" stroke=\"#333333\"/>\n"
    out += "<text x=\"\(fmt(left + pw / 2))\" y=\"\(fmt(h - 8))\" text-anchor=\"middle\">\(text(xLabel))</text>\n"
    out += "<text transform=\"translate(14 \(fmt(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(text(yLabel))</text>\n"

    // Series.
    for (i, s) in series.enumerated() {
      let color = s.color ?? Self.palette[i % Self.palette.count]
      let pts = s.drawn
      out += "<g class=\"series\" data-name=\(attr(s.name)) data-points=\"\(dataPoints(s))\">\n"
      if pts.count > 1 {
        let coords = pts.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
        out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(coords)\"/>\n"
      }
      if pts.count <= markerLimit {
        for p in pts {
          out += "<circle cx=\"\(fmt(px(p.x)))\" cy=\"\(fmt(py(p.y)))\" r=\"3\" fill=\"\(color)\">"
            + "<title>\(text(s.name)) at \(Self.number(p.x)): \(Self.number(p.y))</title></circle>\n"
        }
      }
      out += "</g>\n"
    }

    // Legend (top right, inside the plot).
    if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
      let longest = series.map(\.name.count).max() ?? 0
      let lw = Double(longest + 6) * 6.5 + 34, lh = Double(series.count) * 15 + 6
      let lx = left + pw - lw - 6, ly = top + 6
      out += "<g class=\"legend\">\n<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly))\" width=\"\(fmt(lw))\" height=\"\(fmt(lh))\" "
        + "fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\"/>\n"
      for (i, s) in series.enumerated() {
        let color = s.color ?? Self.palette[i % Self.palette.count]
        let y = ly + 13 + Double(i) * 15
        out += "<line x1=\"\(fmt(lx + 6))\" y1=\"\(fmt(y - 4))\" x2=\"\(fmt(lx + 24))\" y2=\"\(fmt(y - 4))\" "
          + "stroke=\"\(color)\" stroke-width=\"2\"/>\n"
        let note = s.drawn.isEmpty && !s.points.isEmpty ? " (n/a)" : ""
        out += "<text x=\"\(fmt(lx + 28))\" y=\"\(fmt(y))\">\(text(s.name + note))</text>\n"
      }
      out += "</g>\n"
    }
    return out + "</svg>"
  }

  /// An axis range widened to "nice" tick positions: about 5 ticks at 1, 2 or 5 × 10^k.
  /// A single value gets a range around it.
  static func axis(lo: Double, hi: Double) -> (lo: Double, hi: Double, step: Double, ticks: [Double]) {
    var lo = lo, hi = hi
    if hi - lo <= abs(hi) * 1e-12 || hi == lo {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo = max(lo - pad, -Double.greatestFiniteMagnitude)
      hi = min(hi + pad, Double.greatestFiniteMagnitude)
    }
    let raw = (hi - lo) / 5
    let mag = pow(10, floor(log10(raw)))
    let norm = raw / mag
    let step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag
    let a = floor(lo / step) * step, b = ceil(hi / step) * step
    let count = ((b - a) / step).rounded()
    // A span beyond Double's range (-1e308 to 1e308: the step is infinite, `a` NaN) or below
    // its precision has no nice ticks: the plain ends, with a finite span. (The tick loop never
    // ended on NaN and filled memory: the dllogger fuzz target, Tests/Fixtures/fuzz/dllogger.)
    guard [a, b, step, count].allSatisfy(\.isFinite), step > 0, count >= 1, count <= 50 else {
      let half = hi / 2 - lo / 2  // finite for any finite ends
      return half >= 1e-300 ? (lo, hi, half, [lo, hi]) : (lo - 1, lo + 1, 1, [lo - 1, lo + 1])
    }
    let ticks = (0...Int(count)).map { k -> Double in
      let t = a + Double(k) * step
      return abs(t) < step * 1e-9 ? 0 : t
    }
    return (a, b, step, ticks)
  }

  /// Where `v` lies between `lo` and `hi` (0 to 1), in halves so that no difference of finite
  /// values overflows (the same result as unhalved for all but subnormal values).
  static func fraction(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
    (v / 2 - lo / 2) / (hi / 2 - lo / 2)
  }

  /// A tick label with as many decimals as the step needs (large values as 12k, 1.5M).
  static func tickLabel(_ v: Double, step: Double) -> String {
    if abs(v) >= 1e6 && step >= 1e5 { return trimmed(v / 1e6, decimals: max(0, -Int(floor(log10(step / 1e6))))) + "M" }
    if abs(v) >= 1e4 && step >= 1e3 { return trimmed(v / 1e3, decimals: max(0, -Int(floor(log10(step / 1e3))))) + "k" }
    return trimmed(v, decimals: max(0, -Int(floor(log10(step)))))
  }

  static func trimmed(_ v: Double, decimals: Int) -> String { FixedDecimal.string(v, decimals: decimals) }

  /// Shortest round-trip decimal of a value (integers without ".0").
  public static func number(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return "\(v)"
  }

  /// A series' exact values: `x,y` pairs separated by spaces.
  private func dataPoints(_ s: Series) -> String {
    s.points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
  }

  private func fmt(_ v: Double) -> String { FixedDecimal.string(v, decimals: 1) }
}
