import Config
import Data
import Model

/// Everything a worker builds from a `pipeline.config`: the network's `SSDConfig`, the
/// loss, the post-processor, the preprocessing of training and evaluation images, the
/// learning-rate schedule and the momentum. One place maps config fields to model types so
/// that every rank (and the coordinator) derives the same objects from the same file.
public struct TrainingSetup {
  public var model: SSDConfig
  public var anchors: [Float]
  public var loss: DetectionLoss
  public var postProcessor: PostProcessor
  public var trainPreprocessing: PreprocessingConfig
  public var evalPreprocessing: PreprocessingConfig
  public var schedule: CosineDecayWithWarmup
  public var momentum: Float
  /// Images per worker per step (`train_config.batch_size`).
  public var batchSize: Int

  /// Maps `config` (spec §3–§8 fields). Throws `TrainingSetupError` naming the config field
  /// when the config asks for something this trainer does not implement.
  public init(config: PipelineConfig) throws {
    let file = config.file
    let ssd = config.model.ssd
    model = try SSDConfig(pipeline: config)
    try Self.checkBuildable(config, model)
    let gen = AnchorGenerator(minLevel: ssd.anchorGenerator.minLevel, maxLevel: ssd.anchorGenerator.maxLevel,
                              anchorScale: ssd.anchorGenerator.anchorScale,
                              aspectRatios: ssd.anchorGenerator.aspectRatios,
                              scalesPerOctave: ssd.anchorGenerator.scalesPerOctave)
    anchors = gen.generate(imageHeight: model.imageHeight, imageWidth: model.imageWidth)

    // Loss (spec §5–§6).
    let coder = FasterRCNNBoxCoder(scaleFactors: [ssd.boxCoder.yScale, ssd.boxCoder.xScale,
                                                  ssd.boxCoder.heightScale, ssd.boxCoder.widthScale])
    let m = ssd.matcher
    let matcher = m.ignoreThresholds
      ? ArgMaxMatcher(matchedThreshold: nil, unmatchedThreshold: nil,
                      negativesLowerThanUnmatched: m.negativesLowerThanUnmatched,
                      forceMatchForEachRow: m.forceMatchForEachRow)
      : ArgMaxMatcher(matchedThreshold: m.matchedThreshold, unmatchedThreshold: m.unmatchedThreshold,
                      negativesLowerThanUnmatched: m.negativesLowerThanUnmatched,
                      forceMatchForEachRow: m.forceMatchForEachRow)
    if ssd.similarityCalculator != .iou {
      throw TrainingSetupError(file: file, field: "model.ssd.similarity_calculator",
                               message: "only iou_similarity is implemented")
    }
    let assigner = TargetAssigner(matcher: matcher, boxCoder: coder, numClasses: ssd.numClasses,
                                  negativeClassWeight: ssd.negativeClassWeight)
    guard case .sigmoidFocal(let alphaOrNil, let gamma) = ssd.loss.classification else {
      throw TrainingSetupError(file: file, field: "model.ssd.loss.classification_loss",
                               message: "only weighted_sigmoid_focal is implemented")
    }
    guard let alpha = alphaOrNil else {
      throw TrainingSetupError(file: file, field: "model.ssd.loss.classification_loss.weighted_sigmoid_focal.alpha",
                               message: "focal loss without alpha is not implemented; set alpha (SSD320: 0.25)")
    }
    guard case .smoothL1(let delta) = ssd.loss.localization else {
      throw TrainingSetupError(file: file, field: "model.ssd.loss.localization_loss",
                               message: "only weighted_smooth_l1 is implemented")
    }
    if ssd.loss.hardExampleMiner != nil {
      throw TrainingSetupError(file: file, field: "model.ssd.loss.hard_example_miner",
                               message: "hard example mining is not implemented; remove it")
    }
    let l2 = ssd.featureExtractor.convHyperparams.l2Weight ?? 0
    loss = DetectionLoss(anchors: anchors, numClasses: ssd.numClasses, assigner: assigner,
                         focal: SigmoidFocalLoss(alpha: alpha, gamma: gamma),
                         smoothL1: WeightedSmoothL1Loss(delta: delta),
                         regularizer: L2Regularizer(scale: config.trainConfig.addRegularizationLoss ? l2 : 0),
                         classificationWeight: ssd.loss.classificationWeight,
                         localizationWeight: ssd.loss.localizationWeight,
                         normalizeByNumMatches: ssd.normalizeLossByNumMatches,
                         normalizeLocalizationByCodeSize: ssd.normalizeLocLossByCodesize)

    // Post-processing (spec §8).
    let pp = ssd.postProcessing
    if pp.scoreConverter != .sigmoid {
      throw TrainingSetupError(file: file, field: "model.ssd.post_processing.score_converter",
                               message: "only SIGMOID is implemented")
    }
    postProcessor = PostProcessor(anchors: anchors, numClasses: ssd.numClasses, boxCoder: coder,
                                  scoreThreshold: pp.scoreThreshold, iouThreshold: pp.iouThreshold,
                                  maxDetectionsPerClass: pp.maxDetectionsPerClass,
                                  maxTotalDetections: pp.maxTotalDetections, logitScale: pp.logitScale)

    // Preprocessing (spec §2).
    var augmentations: [AugmentationOption] = []
    for step in config.trainConfig.dataAugmentationOptions {
      augmentations.append(try Self.augmentation(step, file: file))
    }
    let maxBoxes = config.trainInputReader.maxNumberOfBoxes
    trainPreprocessing = PreprocessingConfig(augmentations: augmentations, outputHeight: model.imageHeight,
                                             outputWidth: model.imageWidth, maxBoxes: maxBoxes)
    evalPreprocessing = PreprocessingConfig(augmentations: [], outputHeight: model.imageHeight,
                                            outputWidth: model.imageWidth,
                                            maxBoxes: config.evalInputReader?.maxNumberOfBoxes ?? maxBoxes)

    // Optimizer (spec §7).
    let opt = config.trainConfig.optimizer
    guard let momentum = opt.momentumOptimizerValue else {
      throw TrainingSetupError(file: file, field: "train_config.optimizer",
                               message: "only momentum_optimizer is implemented")
    }
    self.momentum = momentum
    if opt.useMovingAverage {
      throw TrainingSetupError(file: file, field: "train_config.optimizer.use_moving_average",
                               message: "moving averages of weights are not implemented; set it to false")
    }
    switch opt.learningRate {
    case .cosineDecay(let c):
      do {
        schedule = try CosineDecayWithWarmup(learningRateBase: c.learningRateBase, totalSteps: c.totalSteps,
                                             warmupLearningRate: c.warmupLearningRate, warmupSteps: c.warmupSteps,
                                             holdBaseRateSteps: c.holdBaseRateSteps)
      } catch {
        throw TrainingSetupError(file: file, field: "train_config.optimizer.momentum_optimizer.learning_rate",
                                 message: "\(error)")
      }
    default:
      throw TrainingSetupError(file: file, field: "train_config.optimizer.momentum_optimizer.learning_rate",
                               message: "only cosine_decay_learning_rate is implemented")
    }
    batchSize = config.trainConfig.batchSize
  }

  /// What `SSDConfig(pipeline:)` leaves to the network's preconditions, as errors.
  static func checkBuildable(_ config: PipelineConfig, _ model: SSDConfig) throws {
    let file = config.file
    let p = config.model.ssd.boxPredictor
    if p.sharePredictionTower || p.useDepthwise || p.useDropout || p.boxCodeSize != 4 {
      throw TrainingSetupError(file: file, field: "model.ssd.box_predictor.weight_shared_convolutional_box_predictor",
                               message: "share_prediction_tower, use_depthwise, use_dropout and box_code_size != 4 are not implemented")
    }
    if !(2...5).contains(model.minLevel) || model.maxLevel < max(model.minLevel, 5) {
      throw TrainingSetupError(file: file, field: "model.ssd.feature_extractor.fpn",
                               message: "levels \(model.minLevel)...\(model.maxLevel) unsupported: min_level 2...5, max_level ≥ 5")
    }
    if model.kernelSize % 2 == 0 {
      throw TrainingSetupError(file: file, field: "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.kernel_size",
                               message: "kernel size \(model.kernelSize) must be odd")
    }
    for l in model.minLevel..<model.baseMaxLevel {
      let s = model.featureSize(level: l), t = model.featureSize(level: l + 1)
      if s.height != 2 * t.height || s.width != 2 * t.width {
        throw TrainingSetupError(file: file, field: "model.ssd.image_resizer.fixed_shape_resizer",
                                 message: "\(model.imageHeight)x\(model.imageWidth) does not halve evenly down to level \(model.baseMaxLevel); use multiples of \(1 << model.baseMaxLevel)")
      }
    }
  }

  /// The Data module's form of one `data_augmentation_options` entry.
  static func augmentation(_ step: PreprocessingStep, file: String) throws -> AugmentationOption {
    switch step {
    case .randomHorizontalFlip(let perm):
      if !perm.isEmpty {
        throw TrainingSetupError(file: file, field: "train_config.data_augmentation_options.random_horizontal_flip",
                                 message: "keypoint flip permutations are not supported (no keypoints)")
      }
      return .randomHorizontalFlip
    case .randomCropImage(let c):
      var p = RandomCropParameters()
      p.minObjectCovered = c.minObjectCovered; p.minAspectRatio = c.minAspectRatio
      p.maxAspectRatio = c.maxAspectRatio; p.minArea = c.minArea; p.maxArea = c.maxArea
      p.overlapThresh = c.overlapThresh; p.clipBoxes = c.clipBoxes; p.randomCoef = c.randomCoef
      return .randomCropImage(p)
    case .randomAdjustBrightness(let d): return .randomAdjustBrightness(maxDelta: d)
    case .randomAdjustContrast(let lo, let hi): return .randomAdjustContrast(minDelta: lo, maxDelta: hi)
    case .randomAdjustHue(let d): return .randomAdjustHue(maxDelta: d)
    case .randomAdjustSaturation(let lo, let hi): return .randomAdjustSaturation(minDelta: lo, maxDelta: hi)
    case .randomDistortColor(let o): return .randomDistortColor(colorOrdering: o)
    default:
      throw TrainingSetupError(file: file, field: "train_config.data_augmentation_options.\(step.name)",
                               message: "this augmentation is not implemented; remove it from the config")
    }
  }
}

/// A config value the trainer cannot act on: names the file and field and what to change.
public struct TrainingSetupError: Error, CustomStringConvertible {
  public var file: String
  public var field: String
  public var message: String
  public init(file: String, field: String, message: String) {
    self.file = file
    self.field = field
    self.message = message
  }
  public var description: String { "\(file): \(field): \(message)" }
}
