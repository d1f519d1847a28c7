/// Everything that sizes the SSD ResNet-v1-FPN network (and its anchors). The whole model
/// is built from one of these; `.ssd320` is the recipe's model, `.tiny` a small member of
/// the same family for tests and the quick-start.
///
/// `depthMultiplier` scales EVERY channel width — backbone, FPN and box/class towers — as
/// `max(Int(Float(c)·m), minDepth)`. TensorFlow's ResNet-FPN extractor accepts only 1.0 and
/// applies `min_depth`/multiplier to the FPN depth alone; this wider rule is ours, so that
/// small family members keep the same topology. At 1.0 nothing changes.
public struct SSDConfig: Equatable {
  public var imageHeight: Int = 320
  public var imageWidth: Int = 320
  /// ResNet v1 depth: 50, 101 or 152.
  public var backboneDepth: Int = 50
  public var depthMultiplier: Float = 1
  public var minDepth: Int = 16
  /// FPN levels (feature stride 2^level); levels ≤ 5 come from ResNet blocks, the rest
  /// from stride-2 convs.
  public var minLevel: Int = 3
  public var maxLevel: Int = 7
  /// FPN channel count (`additional_layer_depth`), before the multiplier.
  public var fpnDepth: Int = 256
  /// Box/class tower channel count, before the multiplier.
  public var predictorDepth: Int = 256
  public var numLayersBeforePredictor: Int = 4
  /// Tower and predictor kernel size.
  public var kernelSize: Int = 3
  /// Object classes, without the background slot (logits have numClasses + 1).
  public var numClasses: Int = 90
  /// Anchors: aspect ratios (width/height) × scales per octave at each location.
  public var aspectRatios: [Float] = [1.0, 2.0, 0.5]
  public var scalesPerOctave: Int = 2
  public var anchorScale: Float = 4.0
  /// Backbone BN ε. The recipe's graph asks for 1e−5; TF 1.15's fused batch norm (what
  /// trained the published model) clamps it to 1.001e−5, which we use.
  public var backboneBatchNormEpsilon: Float = 1.001e-5
  /// FPN and predictor BN ε.
  public var batchNormEpsilon: Float = 1e-3
  public var batchNormDecay: Float = 0.997
  public var classPredictionBiasInit: Float = -4.6
  /// L2 weight of slim's regularizer: loss 0.0004·Σw²/2, gradient 0.0004·w (conv kernels).
  public var l2Weight: Float = 0.0004

  public init() {}

  /// The SSD320 v1.2 model (spec §3).
  public static let ssd320 = SSDConfig()

  /// A small, fast member: 64×64 input, widths ×1/8 (min 8), levels 3–5, 32-channel FPN and
  /// towers with 2 layers, 3 classes.
  public static let tiny: SSDConfig = {
    var c = SSDConfig()
    c.imageHeight = 64; c.imageWidth = 64
    c.depthMultiplier = 0.125; c.minDepth = 8
    c.minLevel = 3; c.maxLevel = 5
    c.numLayersBeforePredictor = 2
    c.numClasses = 3
    return c
  }()

  /// A channel width after the multiplier.
  public func depth(_ c: Int) -> Int { max(Int(Float(c) * depthMultiplier), minDepth) }

  public var anchorsPerLocation: Int { aspectRatios.count * scalesPerOctave }
  /// Logit channels per anchor: classes + background.
  public var numClassSlots: Int { numClasses + 1 }

  /// Units per ResNet block.
  public var blockUnits: [Int] {
    switch backboneDepth {
    case 50: return [3, 4, 6, 3]
    case 101: return [3, 4, 23, 3]
    case 152: return [3, 8, 36, 3]
    default: preconditionFailure("backbone depth \(backboneDepth) unsupported: use 50, 101 or 152")
    }
  }

  /// `FeatureExtractor/resnet_v1_<depth>`.
  public var backboneScope: String { "FeatureExtractor/resnet_v1_\(backboneDepth)" }

  /// Highest level taken from the backbone (TF's `base_fpn_max_level`).
  public var baseMaxLevel: Int { min(maxLevel, 5) }

  /// Feature-map size of a level: ceil(size / 2^level), as the convs produce it.
  public func featureSize(level: Int) -> (height: Int, width: Int) {
    let s = 1 << level
    return ((imageHeight + s - 1) / s, (imageWidth + s - 1) / s)
  }

  /// Σ over levels of H_l·W_l·anchorsPerLocation.
  public var numAnchors: Int {
    (minLevel...maxLevel).reduce(0) { acc, l in
      let f = featureSize(level: l)
      return acc + f.height * f.width * anchorsPerLocation
    }
  }

  /// Traps with the reason when the configuration cannot be built.
  public func validate() {
    _ = blockUnits
    precondition((2...5).contains(minLevel), "min_level \(minLevel) unsupported: use 2...5 (ResNet blocks 1–4)")
    precondition(maxLevel >= max(minLevel, 5), "max_level \(maxLevel) must be ≥ 5 and ≥ min_level \(minLevel)")
    precondition(kernelSize % 2 == 1, "kernel size \(kernelSize) must be odd")
    precondition(numLayersBeforePredictor >= 0 && numClasses > 0)
    // Top-down upsampling needs each backbone level to be exactly twice the next.
    for l in minLevel..<baseMaxLevel {
      let a = featureSize(level: l), b = featureSize(level: l + 1)
      precondition(a.height == 2 * b.height && a.width == 2 * b.width,
                   "image \(imageHeight)x\(imageWidth): level \(l) is \(a), level \(l + 1) is \(b); pick sizes divisible by 2^\(baseMaxLevel)")
    }
  }
}
