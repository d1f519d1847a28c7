import Foundation

/// One synthetic COCO-style image: a noisy background with shapes whose class follows from
/// shape and colour (`SyntheticClass`), and their annotations.
public struct SyntheticScene: Sendable {
  /// One annotation, in COCO terms.
  public struct Object: Sendable {
    public var classId: Int
    /// Tight pixel bounds of the drawn pixels: columns x ..< x+w, rows y ..< y+h.
    public var x: Int, y: Int, w: Int, h: Int
    public var isCrowd: Bool
    /// Number of pixels of the object's mask (COCO `area` = segmentation area).
    public var area: Int
    /// Polygon(s) for ordinary objects, uncompressed column-major RLE for crowd objects.
    public var segmentation: Segmentation
    /// Why the object is interesting: "tiny", "large", "border:left", "crowd", ...
    public var notes: [String]
  }

  public enum Segmentation: Sendable, Equatable {
    case polygons([[Double]])
    /// COCO uncompressed RLE: run lengths alternating 0s and 1s (starting with 0s) over the
    /// mask in column-major order; `size` = [height, width].
    case rle(counts: [Int], size: [Int])
  }

  public var image: RGBImage
  public var objects: [Object]
}

/// Draws `SyntheticScene`s. Everything comes from the passed RNG, so a scene is a pure
/// function of its stream. Default mix (learnable by a small detector): 5% of images empty,
/// otherwise 1–5 objects with sides 15–55% of the shorter image side, and now and then a tiny
/// object (3–9 px), an object cut by the border, or a crowd cluster of small same-class shapes
/// under one `iscrowd` box. Image sides 256–640 px and never square, unless `size` fixes them.
public struct SyntheticSceneGenerator: Sendable {
  /// Fixed (width, height), or nil for random non-square sizes.
  public var size: (width: Int, height: Int)?
  public var classes: [SyntheticClass] = SyntheticClass.all

  public init(size: (width: Int, height: Int)? = nil) {
    if let size { precondition(size.width >= 16 && size.height >= 16, "synthetic images need sides ≥ 16 px") }
    self.size = size
  }

  public func scene(rng: inout SampleRandom) -> SyntheticScene {
    var (w, h) = size ?? (256 + rng.nextInt(below: 385), 256 + rng.nextInt(below: 385))
    if size == nil && w == h { w += 1 }
    var canvas = Canvas(width: w, height: h)
    canvas.paintBackground(rng: &rng)
    var objects = [SyntheticScene.Object]()
    var placed = [(Double, Double, Double, Double)]()  // nominal boxes x0, y0, x1, y1
    let count = rng.nextUnitFloat() < 0.05 ? 0 : 1 + rng.nextInt(below: 5)
    let minSide = Double(min(w, h))
    for k in 0..<count {
      let cls = classes[rng.nextInt(below: classes.count)]
      let roll = rng.nextUnitFloat()
      var notes = [String]()
      var bw: Double, bh: Double
      if roll < 0.1 {
        bw = Double(3 + rng.nextInt(below: 7)); bh = Double(3 + rng.nextInt(below: 7)); notes.append("tiny")
      } else {
        let side = minSide * Double(rng.nextFloat(from: 0.15, to: 0.55))
        let ar = Double(rng.nextFloat(from: 0.6, to: 1.6))
        bw = min(side * ar.squareRoot(), Double(w) * 0.9); bh = min(side / ar.squareRoot(), Double(h) * 0.9)
        if bw * bh > 0.2 * Double(w * h) { notes.append("large") }
      }
      let border = roll >= 0.1 && roll < 0.22
      var box: (Double, Double, Double, Double)?
      for _ in 0..<30 {
        var x0 = Double(rng.nextUnitFloat()) * (Double(w) - bw), y0 = Double(rng.nextUnitFloat()) * (Double(h) - bh)
        if border {
          let cut = Double(rng.nextFloat(from: 0.15, to: 0.5))
          switch k % 4 {
          case 0: x0 = -bw * cut
          case 1: x0 = Double(w) - bw * (1 - cut)
          case 2: y0 = -bh * cut
          default: y0 = Double(h) - bh * (1 - cut)
          }
        }
        let candidate = (x0, y0, x0 + bw, y0 + bh)
        if placed.allSatisfy({ Self.iou($0, candidate) < 0.25 }) { box = candidate; break }
      }
      guard let (x0, y0, x1, y1) = box else { continue }
      placed.append((x0, y0, x1, y1))
      let jitter = rng.nextInt(below: 25) - 12
      let period = max(2, Int(min(bw, bh) / 6))
      let mask = canvas.draw(cls, x0: x0, y0: y0, w: x1 - x0, h: y1 - y0, jitter: jitter, period: period, rng: &rng)
      guard var object = Self.annotation(mask: mask, width: w, height: h, classId: cls.id, crowd: false) else { continue }
      if border {
        if object.x == 0 { notes.append("border:left") }
        if object.y == 0 { notes.append("border:top") }
        if object.x + object.w == w { notes.append("border:right") }
        if object.y + object.h == h { notes.append("border:bottom") }
      }
      object.notes = notes
      object.segmentation = .polygons([Self.polygon(cls.shape, x0: x0, y0: y0, x1: x1, y1: y1, width: w, height: h)])
      objects.append(object)
    }
    if count > 0 && rng.nextUnitFloat() < 0.1 {
      // A crowd: 5–9 small shapes of one class in a region, annotated once with iscrowd = 1.
      let cls = classes[rng.nextInt(below: classes.count)]
      let rw = minSide * Double(rng.nextFloat(from: 0.15, to: 0.3)), rh = minSide * Double(rng.nextFloat(from: 0.15, to: 0.3))
      let rx = Double(rng.nextUnitFloat()) * (Double(w) - rw), ry = Double(rng.nextUnitFloat()) * (Double(h) - rh)
      if placed.allSatisfy({ Self.iou($0, (rx, ry, rx + rw, ry + rh)) < 0.25 }) {
        let ux = Int(rx.rounded(.down)), uy = Int(ry.rounded(.down))
        var union = Mask(x: ux, y: uy, w: min(w, Int((rx + rw).rounded(.up)) + 1) - ux,
                         h: min(h, Int((ry + rh).rounded(.up)) + 1) - uy)
        for _ in 0..<(5 + rng.nextInt(below: 5)) {
          let s = Double(6 + rng.nextInt(below: 9))
          let x0 = rx + Double(rng.nextUnitFloat()) * max(0, rw - s), y0 = ry + Double(rng.nextUnitFloat()) * max(0, rh - s)
          let m = canvas.draw(cls, x0: x0, y0: y0, w: s, h: s, jitter: 0, period: 3, rng: &rng)
          for yy in m.y..<(m.y + m.h) {
            for xx in m.x..<(m.x + m.w) where m.contains(xx, yy) { union.bits[(yy - uy) * union.w + (xx - ux)] = true }
          }
        }
        if var crowd = Self.annotation(mask: union, width: w, height: h, classId: cls.id, crowd: true) {
          crowd.notes = ["crowd"]
          objects.append(crowd)
        }
      }
    }
    return SyntheticScene(image: canvas.image, objects: objects)
  }

  static func iou(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double)) -> Double {
    let iw = max(0, min(a.2, b.2) - max(a.0, b.0)), ih = max(0, min(a.3, b.3) - max(a.1, b.1))
    let inter = iw * ih
    let union = (a.2 - a.0) * (a.3 - a.1) + (b.2 - b.0) * (b.3 - b.1) - inter
    return union > 0 ? inter / union : 0
  }

  /// Tight box, area and (for crowds) full-image RLE of a mask; nil if the mask is empty.
  static func annotation(mask: Mask, width w: Int, height h: Int, classId: Int, crowd: Bool) -> SyntheticScene.Object? {
    var minX = w, minY = h, maxX = -1, maxY = -1, area = 0
    for y in mask.y..<(mask.y + mask.h) {
      for x in mask.x..<(mask.x + mask.w) where mask.contains(x, y) {
        area += 1
        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
      }
    }
    guard area > 0 else { return nil }
    var segmentation = SyntheticScene.Segmentation.polygons([])
    if crowd {
      var counts = [Int](), current = false, run = 0
      for x in 0..<w {
        for y in 0..<h {
          if mask.contains(x, y) != current { counts.append(run); run = 0; current.toggle() }
          run += 1
        }
      }
      counts.append(run)
      segmentation = .rle(counts: counts, size: [h, w])
    }
    return SyntheticScene.Object(classId: classId, x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1,
                                 isCrowd: crowd, area: area, segmentation: segmentation, notes: [])
  }

  /// The outline of the nominal shape, clamped to the image, as a flat [x1, y1, x2, y2, ...].
  static func polygon(_ shape: SyntheticClass.Shape, x0: Double, y0: Double, x1: Double, y1: Double,
                      width: Int, height: Int) -> [Double] {
    var points: [(Double, Double)]
    switch shape {
    case .rectangle: points = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    case .triangle: points = [((x0 + x1) / 2, y0), (x1, y1), (x0, y1)]
    case .ellipse:
      points = (0..<16).map { k in
        let t = Double(k) / 16 * 2 * Double.pi
        return ((x0 + x1) / 2 + (x1 - x0) / 2 * cos(t), (y0 + y1) / 2 + (y1 - y0) / 2 * sin(t))
      }
    }
    return points.flatMap { p in
      [min(max(p.0, 0), Double(width)), min(max(p.1, 0), Double(height))].map { ($0 * 100).rounded() / 100 }
    }
  }
}

/// A binary mask over the rectangle [x, x+w) × [y, y+h) of an image (zero elsewhere).
struct Mask {
  var x: Int, y: Int, w: Int, h: Int
  var bits: [Bool]
  init(x: Int, y: Int, w: Int, h: Int) {
    self.x = x; self.y = y; self.w = max(0, w); self.h = max(0, h)
    bits = [Bool](repeating: false, count: self.w * self.h)
  }
  func contains(_ px: Int, _ py: Int) -> Bool {
    px >= x && px < x + w && py >= y && py < y + h && bits[(py - y) * w + (px - x)]
  }
}

/// The pixels being drawn.
struct Canvas {
  var image: RGBImage

  init(width: Int, height: Int) { image = RGBImage(height: height, width: width) }

  /// Muted base colour, a linear gradient and per-pixel noise.
  mutating func paintBackground(rng: inout SampleRandom) {
    let grey = 70 + rng.nextInt(below: 100)
    let base = (0..<3).map { _ in Double(grey + rng.nextInt(below: 51) - 25) }
    let gx = (0..<3).map { _ in Double(rng.nextFloat(from: -30, to: 30)) }
    let gy = (0..<3).map { _ in Double(rng.nextFloat(from: -30, to: 30)) }
    let w = image.width, h = image.height
    image.pixels.withUnsafeMutableBufferPointer { p in
      for y in 0..<h {
        let fy = Double(y) / Double(h) - 0.5
        for x in 0..<w {
          let fx = Double(x) / Double(w) - 0.5
          let noise = rng.next()
          for c in 0..<3 {
            let n = Double(Int((noise >> (16 * UInt64(c))) & 0xFF) % 21 - 10)
            p[(y * w + x) * 3 + c] = Self.clamp(base[c] + gx[c] * fx + gy[c] * fy + n)
          }
        }
      }
    }
  }

  /// Paints `cls` inscribed in the box (continuous coordinates, may extend past the image) and
  /// returns its mask (over the box clipped to the image).
  mutating func draw(_ cls: SyntheticClass, x0: Double, y0: Double, w: Double, h: Double, jitter: Int, period: Int,
                     rng: inout SampleRandom) -> Mask {
    let W = image.width, H = image.height
    let xa = max(0, Int(x0.rounded(.down))), xb = min(W, Int((x0 + w).rounded(.up)))
    let ya = max(0, Int(y0.rounded(.down))), yb = min(H, Int((y0 + h).rounded(.up)))
    var mask = Mask(x: xa, y: ya, w: xb - xa, h: yb - ya)
    guard xa < xb, ya < yb else { return mask }
    for y in ya..<yb {
      for x in xa..<xb where cls.contains(px: x, py: y, x0: x0, y0: y0, w: w, h: h) {
        mask.bits[(y - ya) * mask.w + (x - xa)] = true
        let c = cls.shade(dx: x - Int(x0.rounded(.down)), dy: y - Int(y0.rounded(.down)), period: period)
        let noise = rng.next()
        let n0 = Int(noise & 0xF) - 7, n1 = Int((noise >> 8) & 0xF) - 7, n2 = Int((noise >> 16) & 0xF) - 7
        let i = (y * W + x) * 3
        image.pixels[i] = Self.clamp(Double(Int(c.0) + jitter + n0))
        image.pixels[i + 1] = Self.clamp(Double(Int(c.1) + jitter + n1))
        image.pixels[i + 2] = Self.clamp(Double(Int(c.2) + jitter + n2))
      }
    }
    return mask
  }

  static func clamp(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
