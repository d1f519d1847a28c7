import Config
import Model

extension SSDConfig {
  /// The network described by a pipeline.config's `model.ssd` (spec §3): image size from
  /// `fixed_shape_resizer`, ResNet depth from the feature extractor type, `depth_multiplier`
  /// and `min_depth` (our wider rule, see `SSDConfig`), FPN levels and depth, the
  /// weight-shared predictor's depth/layers/kernel/bias init, anchors, class count, BN
  /// ε/decay of FPN and heads (backbone BN keeps slim's ε) and the L2 weight.
  /// Throws `TrainingSetupError` for choices the network does not implement.
  public init(pipeline config: PipelineConfig) throws {
    let file = config.file
    let ssd = config.model.ssd
    self.init()
    guard let size = ssd.imageResizer.fixedShape else {
      throw TrainingSetupError(file: file, field: "model.ssd.image_resizer",
                               message: "only fixed_shape_resizer is implemented")
    }
    imageHeight = size.height
    imageWidth = size.width
    let type = ssd.featureExtractor.type
    switch type {
    case "ssd_resnet50_v1_fpn": backboneDepth = 50
    case "ssd_resnet101_v1_fpn": backboneDepth = 101
    case "ssd_resnet152_v1_fpn": backboneDepth = 152
    default:
      throw TrainingSetupError(file: file, field: "model.ssd.feature_extractor.type",
                               message: "'\(type)' is not implemented; use ssd_resnet{50,101,152}_v1_fpn")
    }
    depthMultiplier = ssd.featureExtractor.depthMultiplier
    minDepth = ssd.featureExtractor.minDepth
    if let fpn = ssd.featureExtractor.fpn {
      minLevel = fpn.minLevel
      maxLevel = fpn.maxLevel
      fpnDepth = fpn.additionalLayerDepth
    }
    let a = ssd.anchorGenerator
    if a.minLevel != minLevel || a.maxLevel != maxLevel {
      throw TrainingSetupError(file: file, field: "model.ssd.anchor_generator.multiscale_anchor_generator",
                               message: "levels \(a.minLevel)...\(a.maxLevel) differ from the FPN's \(minLevel)...\(maxLevel); make them equal")
    }
    aspectRatios = a.aspectRatios
    scalesPerOctave = a.scalesPerOctave
    anchorScale = a.anchorScale
    let p = ssd.boxPredictor
    predictorDepth = p.depth
    numLayersBeforePredictor = p.numLayersBeforePredictor
    kernelSize = p.kernelSize
    classPredictionBiasInit = p.classPredictionBiasInit
    if p.sharePredictionTower || p.useDepthwise || p.useDropout || p.boxCodeSize != 4 {
      throw TrainingSetupError(file: file, field: "model.ssd.box_predictor.weight_shared_convolutional_box_predictor",
                               message: "share_prediction_tower, use_depthwise, use_dropout and box_code_size != 4 are not implemented")
    }
    numClasses = ssd.numClasses
    if let bn = ssd.featureExtractor.convHyperparams.batchNorm {
      batchNormEpsilon = bn.epsilon
      batchNormDecay = bn.decay
    }
    l2Weight = ssd.featureExtractor.convHyperparams.l2Weight ?? 0
    if !(2...5).contains(minLevel) || maxLevel < max(minLevel, 5) {
      throw TrainingSetupError(file: file, field: "model.ssd.feature_extractor.fpn",
                               message: "levels \(minLevel)...\(maxLevel) unsupported: min_level 2...5, max_level ≥ 5")
    }
    for l in minLevel..<baseMaxLevel {
      let s = featureSize(level: l), t = featureSize(level: l + 1)
      if s.height != 2 * t.height || s.width != 2 * t.width {
        throw TrainingSetupError(file: file, field: "model.ssd.image_resizer.fixed_shape_resizer",
                                 message: "\(imageHeight)x\(imageWidth) does not halve evenly down to level \(baseMaxLevel); use multiples of \(1 << baseMaxLevel)")
      }
    }
  }
}
