/// The object classes of the synthetic data sets (same table as the shared fixtures): the
/// class follows from shape and colour/texture, so a detector can learn it from pixels.
///
/// | COCO id | name | shape | look |
/// |---|---|---|---|
/// | 1 | person | rectangle | red, solid |
/// | 3 | car | ellipse | green, solid |
/// | 13 | stop sign | triangle | blue, solid |
/// | 27 | backpack | rectangle | yellow, diagonal stripes |
/// | 44 | bottle | ellipse | magenta, solid |
/// | 67 | dining table | triangle | cyan, diagonal stripes |
/// | 84 | book | ellipse | orange, checkerboard |
/// | 90 | toothbrush | rectangle | white, checkerboard |
public struct SyntheticClass: Equatable, Sendable {
  public enum Shape: Sendable { case rectangle, ellipse, triangle }
  public enum Texture: Sendable { case solid, stripes, checkerboard }

  public let id: Int
  public let name: String
  public let shape: Shape
  public let color: (UInt8, UInt8, UInt8)
  public let texture: Texture

  public static func == (a: SyntheticClass, b: SyntheticClass) -> Bool { a.id == b.id }

  public static let all: [SyntheticClass] = [
    SyntheticClass(id: 1, name: "person", shape: .rectangle, color: (220, 30, 30), texture: .solid),
    SyntheticClass(id: 3, name: "car", shape: .ellipse, color: (30, 180, 40), texture: .solid),
    SyntheticClass(id: 13, name: "stop sign", shape: .triangle, color: (30, 60, 225), texture: .solid),
    SyntheticClass(id: 27, name: "backpack", shape: .rectangle, color: (235, 215, 30), texture: .stripes),
    SyntheticClass(id: 44, name: "bottle", shape: .ellipse, color: (210, 40, 200), texture: .solid),
    SyntheticClass(id: 67, name: "dining table", shape: .triangle, color: (40, 210, 220), texture: .stripes),
    SyntheticClass(id: 84, name: "book", shape: .ellipse, color: (245, 140, 20), texture: .checkerboard),
    SyntheticClass(id: 90, name: "toothbrush", shape: .rectangle, color: (245, 245, 245), texture: .checkerboard),
  ]

  /// Whether the pixel centre (px + 0.5, py + 0.5) lies in this class's shape inscribed in the
  /// box [x0, x0 + w) × [y0, y0 + h) (continuous coordinates).
  func contains(px: Int, py: Int, x0: Double, y0: Double, w: Double, h: Double) -> Bool {
    let u = (Double(px) + 0.5 - x0) / w, v = (Double(py) + 0.5 - y0) / h
    guard u >= 0, u < 1, v >= 0, v < 1 else { return false }
    switch shape {
    case .rectangle: return true
    case .ellipse: return (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5) <= 0.25
    case .triangle: return abs(u - 0.5) <= v / 2  // apex at the top centre, base at the bottom
    }
  }

  /// The colour of a shape pixel at offset (dx, dy) from the object's corner.
  func shade(dx: Int, dy: Int, period: Int) -> (UInt8, UInt8, UInt8) {
    let dark = { (c: UInt8) in UInt8(Int(c) * 2 / 5) }
    switch texture {
    case .solid: return color
    case .stripes: return ((dx + dy) / period) % 2 == 0 ? color : (dark(color.0), dark(color.1), dark(color.2))
    case .checkerboard: return (dx / period + dy / period) % 2 == 0 ? color : (25, 25, 25)
    }
  }
}
