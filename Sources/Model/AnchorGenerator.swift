import Foundation

/// Multiscale grid anchors (RetinaNet style), as the Object Detection API's
/// `MultiscaleGridAnchorGenerator` + `GridAnchorGenerator` compute them in float32.
///
/// Output: `[numAnchors, 4]` flat, normalized `[ymin, xmin, ymax, xmax]`, not clipped,
/// ordered level (min→max), then y, then x, then anchor `a = r·scalesPerOctave + s`
/// (aspect-ratio-major, scale-minor). This is the row order of the network's flattened
/// box/class outputs.
///
/// Per level l (float32, TensorFlow's operation order):
/// ```
/// stride = 2^l, base = 2^l · anchorScale, scale_s = 2^(s / scalesPerOctave)
/// height = (scale_s / sqrt(ar)) · base,  width = (scale_s · sqrt(ar)) · base
/// offset_y = stride/2 if imageHeight mod stride == 0 else 0   (same for x with imageWidth)
/// yc = y · stride + offset_y,  xc = x · stride + offset_x
/// box = [yc − 0.5·h, xc − 0.5·w, yc + 0.5·h, xc + 0.5·w] · [1/H, 1/W, 1/H, 1/W]
/// ```
/// Worked example (320×320, level 3, y = x = 0, a = 0): stride 8, offset 4, h = w = 32 →
/// [−12, −12, 20, 20] px → [−0.0375, −0.0375, 0.0625, 0.0625]. Level 7 (stride 128):
/// 320 mod 128 = 64 ≠ 0, so its offset is 0 and anchor 12,750 is [−0.8, −0.8, 0.8, 0.8].
public struct AnchorGenerator {
  public let minLevel: Int
  public let maxLevel: Int
  /// Base anchor size in units of the level's stride (config `anchor_scale`).
  public let anchorScale: Float
  /// Width/height ratios (config `aspect_ratios`), in config order.
  public let aspectRatios: [Float]
  public let scalesPerOctave: Int

  /// SSD320 v1.2 defaults: levels 3–7, anchor scale 4, ratios [1, 2, 0.5], 2 scales per octave.
  public init(minLevel: Int = 3, maxLevel: Int = 7, anchorScale: Float = 4.0,
              aspectRatios: [Float] = [1.0, 2.0, 0.5], scalesPerOctave: Int = 2) {
    precondition(minLevel >= 0 && maxLevel >= minLevel,
                 "AnchorGenerator needs 0 <= minLevel <= maxLevel, got \(minLevel)...\(maxLevel)")
    precondition(!aspectRatios.isEmpty && aspectRatios.allSatisfy { $0 > 0 },
                 "AnchorGenerator needs positive aspect ratios, got \(aspectRatios)")
    precondition(scalesPerOctave >= 1, "AnchorGenerator needs scalesPerOctave >= 1, got \(scalesPerOctave)")
    self.minLevel = minLevel
    self.maxLevel = maxLevel
    self.anchorScale = anchorScale
    self.aspectRatios = aspectRatios
    self.scalesPerOctave = scalesPerOctave
  }

  /// Anchors per feature-map location (6 for SSD320).
  public var anchorsPerLocation: Int { aspectRatios.count * scalesPerOctave }

  /// Feature-map sizes the network produces for an image: `ceil(n / 2^l)` per axis
  /// (every stride-2 step of ResNet + FPN is SAME-padded or an even-position subsample).
  /// 320×320 → 40, 20, 10, 5, 3.
  public func featureMapShapes(imageHeight: Int, imageWidth: Int) -> [(height: Int, width: Int)] {
    (minLevel...maxLevel).map { l in
      let s = 1 << l
      return ((imageHeight + s - 1) / s, (imageWidth + s - 1) / s)
    }
  }

  /// Number of anchors for the given feature-map shapes (12,804 for SSD320).
  public func anchorCount(featureMapShapes: [(height: Int, width: Int)]) -> Int {
    featureMapShapes.reduce(0) { $0 + $1.height * $1.width } * anchorsPerLocation
  }

  /// First anchor index of each level (for 320×320: 0, 9600, 12000, 12600, 12750).
  public func levelStarts(featureMapShapes: [(height: Int, width: Int)]) -> [Int] {
    var starts: [Int] = []
    var n = 0
    for s in featureMapShapes {
      starts.append(n)
      n += s.height * s.width * anchorsPerLocation
    }
    return starts
  }

  /// Generates all anchors, `[count, 4]` flat normalized `[ymin, xmin, ymax, xmax]`.
  /// `featureMapShapes` defaults to `featureMapShapes(imageHeight:imageWidth:)`; pass the
  /// network's actual shapes (one per level, minLevel first) when they are known.
  public func generate(imageHeight: Int, imageWidth: Int,
                       featureMapShapes shapes: [(height: Int, width: Int)]? = nil) -> [Float] {
    precondition(imageHeight > 0 && imageWidth > 0,
                 "AnchorGenerator needs a positive image size, got \(imageHeight)×\(imageWidth)")
    let shapes = shapes ?? featureMapShapes(imageHeight: imageHeight, imageWidth: imageWidth)
    precondition(shapes.count == maxLevel - minLevel + 1,
                 "AnchorGenerator expects \(maxLevel - minLevel + 1) feature maps (levels \(minLevel)...\(maxLevel)), got \(shapes.count)")
    // Python floats become float32 tensors: scales 2^(s/n) and the base are computed in
    // double, then rounded once.
    let scales = (0..<scalesPerOctave).map { Float(pow2(Double($0) / Double(scalesPerOctave))) }
    let ratioSqrts = aspectRatios.map { $0.squareRoot() }
    let invH = Float(1) / Float(imageHeight)
    let invW = Float(1) / Float(imageWidth)
    var out = [Float]()
    out.reserveCapacity(anchorCount(featureMapShapes: shapes) * 4)
    for (li, shape) in shapes.enumerated() {
      let level = minLevel + li
      let strideInt = 1 << level
      let stride = Float(strideInt)
      let base = Float(Double(strideInt) * Double(anchorScale))
      let offsetY: Float = imageHeight % strideInt == 0 ? stride / 2 : 0
      let offsetX: Float = imageWidth % strideInt == 0 ? stride / 2 : 0
      // Per-location sizes, aspect-major then scale (ops.meshgrid(scales, aspect_ratios)).
      var halfH = [Float](), halfW = [Float]()
      for r in ratioSqrts {
        for s in scales {
          halfH.append(0.5 * ((s / r) * base))
          halfW.append(0.5 * ((s * r) * base))
        }
      }
      for y in 0..<shape.height {
        let yc = Float(y) * stride + offsetY
        for x in 0..<shape.width {
          let xc = Float(x) * stride + offsetX
          for a in 0..<halfH.count {
            out.append((yc - halfH[a]) * invH)
            out.append((xc - halfW[a]) * invW)
            out.append((yc + halfH[a]) * invH)
            out.append((xc + halfW[a]) * invW)
          }
        }
      }
    }
    return out
  }

  /// 2^e as Python's `2**e` computes it (C `pow` in double).
  private func pow2(_ e: Double) -> Double { Foundation.pow(2.0, e) }
}
