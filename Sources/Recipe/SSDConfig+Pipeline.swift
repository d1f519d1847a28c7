import Config
import Model

extension SSDConfig {
  /// The network an OD API `pipeline.config` describes (`model { ssd { ... } }`).
  ///
  /// Fields the network does not depend on (matcher, losses, post-processing) are read
  /// elsewhere. Throws a located `ConfigError` for a feature extractor this trainer does
  /// not build or a resizer other than `fixed_shape_resizer`.
  public init(pipeline: PipelineConfig) throws {
    let ssd = pipeline.model.ssd
    self.init()
    var problems: [ConfigDiagnostic] = []
    let fe = ssd.featureExtractor
    let extractorPath = "model.ssd.feature_extractor.type"
    switch fe.type {
    case "ssd_resnet50_v1_fpn", "ssd_resnet50_v1_fpn_keras": backboneDepth = 50
    case "ssd_resnet101_v1_fpn", "ssd_resnet101_v1_fpn_keras": backboneDepth = 101
    case "ssd_resnet152_v1_fpn", "ssd_resnet152_v1_fpn_keras": backboneDepth = 152
    default:
      problems.append(pipeline.diagnostic(extractorPath, .unsupported(
        "feature extractor '\(fe.type)': this trainer builds ssd_resnet50_v1_fpn, ssd_resnet101_v1_fpn and ssd_resnet152_v1_fpn")))
    }
    if let size = ssd.imageResizer.fixedShape {
      imageHeight = size.height
      imageWidth = size.width
    } else {
      problems.append(pipeline.diagnostic("model.ssd.image_resizer", .unsupported(
        "only fixed_shape_resizer is implemented (SSD320 uses fixed_shape_resizer { height: 320 width: 320 })")))
    }
    depthMultiplier = fe.depthMultiplier
    minDepth = fe.minDepth
    if let fpn = fe.fpn {
      minLevel = fpn.minLevel
      maxLevel = fpn.maxLevel
      fpnDepth = fpn.additionalLayerDepth
    }
    let anchors = ssd.anchorGenerator
    if anchors.minLevel != minLevel || anchors.maxLevel != maxLevel {
      problems.append(pipeline.diagnostic("model.ssd.anchor_generator.multiscale_anchor_generator.min_level", .invalidValue(
        "anchor levels \(anchors.minLevel)...\(anchors.maxLevel) must equal the FPN levels \(minLevel)...\(maxLevel)")))
    }
    aspectRatios = anchors.aspectRatios
    scalesPerOctave = anchors.scalesPerOctave
    anchorScale = anchors.anchorScale
    let predictor = ssd.boxPredictor
    predictorDepth = predictor.depth
    numLayersBeforePredictor = predictor.numLayersBeforePredictor
    kernelSize = predictor.kernelSize
    classPredictionBiasInit = predictor.classPredictionBiasInit
    numClasses = ssd.numClasses
    // FPN and predictor batch norm follow the config; the backbone keeps slim's 1e-5
    // (as 1.001e-5, TF 1.15's fused-kernel clamp), whatever the config says (spec §3.6).
    if let bn = predictor.convHyperparams.batchNorm {
      batchNormEpsilon = bn.epsilon
      batchNormDecay = bn.decay
    }
    if let w = predictor.convHyperparams.l2Weight ?? fe.convHyperparams.l2Weight { l2Weight = w }
    if !problems.isEmpty { throw ConfigError(problems) }
  }

  /// What `init(pipeline:)` leaves to the network's preconditions, as errors: predictor
  /// options not built, pyramid levels, kernel size, an input size that does not halve
  /// evenly down the pyramid.
  public func checkBuildable(_ config: PipelineConfig) throws {
    let file = config.file
    let p = config.model.ssd.boxPredictor
    if p.sharePredictionTower || p.useDepthwise || p.useDropout || p.boxCodeSize != 4 {
      throw RecipeError(file: file, field: "model.ssd.box_predictor.weight_shared_convolutional_box_predictor",
                        message: "share_prediction_tower, use_depthwise, use_dropout and box_code_size != 4 are not implemented")
    }
    if !(2...5).contains(minLevel) || maxLevel < max(minLevel, 5) {
      throw RecipeError(file: file, field: "model.ssd.feature_extractor.fpn",
                        message: "levels \(minLevel)...\(maxLevel) unsupported: min_level 2...5, max_level ≥ 5")
    }
    if kernelSize % 2 == 0 {
      throw RecipeError(file: file, field: "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.kernel_size",
                        message: "kernel size \(kernelSize) must be odd")
    }
    for l in minLevel..<baseMaxLevel {
      let s = featureSize(level: l), t = featureSize(level: l + 1)
      if s.height != 2 * t.height || s.width != 2 * t.width {
        throw RecipeError(file: file, field: "model.ssd.image_resizer.fixed_shape_resizer",
                          message: "\(imageHeight)x\(imageWidth) does not halve evenly down to level \(baseMaxLevel); use multiples of \(1 << baseMaxLevel)")
      }
    }
  }

  /// The anchors of this network, `[numAnchors, 4]` flat normalized (spec §4).
  public func anchors() -> [Float] {
    AnchorGenerator(minLevel: minLevel, maxLevel: maxLevel, anchorScale: anchorScale, aspectRatios: aspectRatios,
                    scalesPerOctave: scalesPerOctave)
      .generate(imageHeight: imageHeight, imageWidth: imageWidth)
  }
}
