import Config
import Model

extension DetectionLoss {
  /// The loss of `model.ssd` (spec §5–§6): argmax matcher, IoU similarity, Faster R-CNN box
  /// coder, weighted sigmoid focal classification and smooth-L1 localization losses, the
  /// feature extractor's L2 weight (when `train_config.add_regularization_loss`).
  public init(pipeline config: PipelineConfig, anchors: [Float]) throws {
    let file = config.file
    let ssd = config.model.ssd
    let m = ssd.matcher
    let matcher = m.ignoreThresholds
      ? ArgMaxMatcher(matchedThreshold: nil, unmatchedThreshold: nil,
                      negativesLowerThanUnmatched: m.negativesLowerThanUnmatched,
                      forceMatchForEachRow: m.forceMatchForEachRow)
      : ArgMaxMatcher(matchedThreshold: m.matchedThreshold, unmatchedThreshold: m.unmatchedThreshold,
                      negativesLowerThanUnmatched: m.negativesLowerThanUnmatched,
                      forceMatchForEachRow: m.forceMatchForEachRow)
    if ssd.similarityCalculator != .iou {
      throw RecipeError(file: file, field: "model.ssd.similarity_calculator", message: "only iou_similarity is implemented")
    }
    let assigner = TargetAssigner(matcher: matcher, boxCoder: FasterRCNNBoxCoder(pipeline: config),
                                  numClasses: ssd.numClasses, negativeClassWeight: ssd.negativeClassWeight)
    guard case .sigmoidFocal(let alphaOrNil, let gamma) = ssd.loss.classification else {
      throw RecipeError(file: file, field: "model.ssd.loss.classification_loss",
                        message: "only weighted_sigmoid_focal is implemented")
    }
    guard let alpha = alphaOrNil else {
      throw RecipeError(file: file, field: "model.ssd.loss.classification_loss.weighted_sigmoid_focal.alpha",
                        message: "focal loss without alpha is not implemented; set alpha (SSD320: 0.25)")
    }
    guard case .smoothL1(let delta) = ssd.loss.localization else {
      throw RecipeError(file: file, field: "model.ssd.loss.localization_loss", message: "only weighted_smooth_l1 is implemented")
    }
    if ssd.loss.hardExampleMiner != nil {
      throw RecipeError(file: file, field: "model.ssd.loss.hard_example_miner",
                        message: "hard example mining is not implemented; remove it")
    }
    let l2 = ssd.featureExtractor.convHyperparams.l2Weight ?? 0
    self.init(anchors: anchors, numClasses: ssd.numClasses, assigner: assigner,
              focal: SigmoidFocalLoss(alpha: alpha, gamma: gamma),
              smoothL1: WeightedSmoothL1Loss(delta: delta),
              regularizer: L2Regularizer(scale: config.trainConfig.addRegularizationLoss ? l2 : 0),
              classificationWeight: ssd.loss.classificationWeight,
              localizationWeight: ssd.loss.localizationWeight,
              normalizeByNumMatches: ssd.normalizeLossByNumMatches,
              normalizeLocalizationByCodeSize: ssd.normalizeLocLossByCodesize)
  }
}
