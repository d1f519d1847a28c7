/// `model { ssd { ... } }`: the SSD meta-architecture settings this trainer reads.
/// Oneof choices the trainer does not implement are rejected when the config is loaded
/// (`ConfigProblem.unsupported`), so each choice here has one typed form.
public struct SSDModelConfig: Equatable, Sendable {
  /// Number of object classes, without background (COCO: 90 slots).
  public var numClasses: Int
  public var imageResizer: ImageResizer
  public var featureExtractor: FeatureExtractor
  public var boxCoder: FasterRCNNBoxCoder
  public var matcher: ArgMaxMatcher
  public var similarityCalculator: SimilarityCalculator
  public var encodeBackgroundAsZeros: Bool
  public var negativeClassWeight: Float
  public var boxPredictor: WeightSharedBoxPredictor
  public var anchorGenerator: MultiscaleAnchorGenerator
  public var postProcessing: PostProcessing
  public var normalizeLossByNumMatches: Bool
  public var normalizeLocLossByCodesize: Bool
  public var loss: Loss
  /// Read but ineffective for slim-based extractors (spec §3.6); listed in `ignoredFields`.
  public var freezeBatchnorm: Bool
  public var inplaceBatchnormUpdate: Bool
  public var addBackgroundClass: Bool
  public var explicitBackgroundClass: Bool
  public var useConfidencesAsTargets: Bool
  public var implicitExampleWeight: Float

  public enum ImageResizer: Equatable, Sendable {
    /// `fixed_shape_resizer`: resize to height×width ignoring aspect ratio.
    case fixedShape(height: Int, width: Int, method: ResizeMethod, convertToGrayscale: Bool)
    /// `keep_aspect_ratio_resizer`.
    case keepAspectRatio(minDimension: Int, maxDimension: Int, method: ResizeMethod, padToMaxDimension: Bool,
                         convertToGrayscale: Bool, perChannelPadValue: [Float])

    /// The fixed output size, if the resizer is `fixed_shape_resizer`.
    public var fixedShape: (height: Int, width: Int)? {
      if case .fixedShape(let h, let w, _, _) = self { return (h, w) }
      return nil
    }
  }

  /// `ResizeType` of image_resizer.proto.
  public enum ResizeMethod: String, Equatable, Sendable {
    case bilinear = "BILINEAR", nearestNeighbor = "NEAREST_NEIGHBOR", bicubic = "BICUBIC", area = "AREA"
  }

  /// `feature_extractor { type depth_multiplier min_depth conv_hyperparams fpn ... }`.
  public struct FeatureExtractor: Equatable, Sendable {
    /// e.g. `ssd_resnet50_v1_fpn`.
    public var type: String
    public var depthMultiplier: Float
    public var minDepth: Int
    public var convHyperparams: Hyperparams
    public var overrideBaseFeatureExtractorHyperparams: Bool
    public var padToMultiple: Int
    public var useExplicitPadding: Bool
    public var useDepthwise: Bool
    /// nil when no `fpn { }` block is given.
    public var fpn: FPN?
  }

  /// `fpn { min_level max_level additional_layer_depth }` (defaults 3, 7, 256).
  public struct FPN: Equatable, Sendable {
    public var minLevel: Int
    public var maxLevel: Int
    public var additionalLayerDepth: Int
  }

  /// `faster_rcnn_box_coder { y_scale x_scale height_scale width_scale }` (defaults 10, 10, 5, 5).
  public struct FasterRCNNBoxCoder: Equatable, Sendable {
    public var yScale: Float
    public var xScale: Float
    public var heightScale: Float
    public var widthScale: Float
  }

  /// `argmax_matcher { ... }`.
  public struct ArgMaxMatcher: Equatable, Sendable {
    public var matchedThreshold: Float
    public var unmatchedThreshold: Float
    public var ignoreThresholds: Bool
    public var negativesLowerThanUnmatched: Bool
    public var forceMatchForEachRow: Bool
    public var useMatmulGather: Bool
  }

  public enum SimilarityCalculator: Equatable, Sendable {
    case iou, ioa, negativeSquaredDistance
    case thresholdedIoU(threshold: Float)
  }

  /// `weight_shared_convolutional_box_predictor { ... }`.
  public struct WeightSharedBoxPredictor: Equatable, Sendable {
    public var convHyperparams: Hyperparams
    public var numLayersBeforePredictor: Int
    public var depth: Int
    public var kernelSize: Int
    public var boxCodeSize: Int
    public var classPredictionBiasInit: Float
    public var useDropout: Bool
    public var dropoutKeepProbability: Float
    public var sharePredictionTower: Bool
    public var useDepthwise: Bool
    /// IDENTITY or SIGMOID (the predictor's own converter, applied to class predictions).
    public var scoreConverter: String
    /// `box_encodings_clip_range { min max }`, if given.
    public var boxEncodingsClipRange: ClosedRange<Float>?
  }

  /// `multiscale_anchor_generator { ... }`.
  public struct MultiscaleAnchorGenerator: Equatable, Sendable {
    public var minLevel: Int
    public var maxLevel: Int
    public var anchorScale: Float
    /// In the order written (width/height ratios).
    public var aspectRatios: [Float]
    public var scalesPerOctave: Int
    public var normalizeCoordinates: Bool
  }

  /// `post_processing { batch_non_max_suppression { ... } score_converter logit_scale }`.
  public struct PostProcessing: Equatable, Sendable {
    public enum ScoreConverter: String, Equatable, Sendable {
      case identity = "IDENTITY", sigmoid = "SIGMOID", softmax = "SOFTMAX"
    }
    public var scoreThreshold: Float
    public var iouThreshold: Float
    public var maxDetectionsPerClass: Int
    public var maxTotalDetections: Int
    public var useStaticShapes: Bool
    public var scoreConverter: ScoreConverter
    public var logitScale: Float
  }

  /// `loss { classification_loss localization_loss ... }`.
  public struct Loss: Equatable, Sendable {
    public enum Classification: Equatable, Sendable {
      /// `weighted_sigmoid_focal`; `alpha` nil when not given (no α weighting).
      case sigmoidFocal(alpha: Float?, gamma: Float)
      case weightedSigmoid
      case weightedSoftmax(logitScale: Float)
    }
    public enum Localization: Equatable, Sendable {
      /// `weighted_smooth_l1` (Huber with `delta`, default 1).
      case smoothL1(delta: Float)
      case l2
      case iou
    }
    /// `hard_example_miner { ... }`.
    public struct HardExampleMiner: Equatable, Sendable {
      public var numHardExamples: Int
      public var iouThreshold: Float
      /// BOTH, CLASSIFICATION or LOCALIZATION.
      public var lossType: String
      public var maxNegativesPerPositive: Int
      public var minNegativesPerImage: Int
    }
    public var classification: Classification
    public var localization: Localization
    public var classificationWeight: Float
    public var localizationWeight: Float
    public var hardExampleMiner: HardExampleMiner?
    /// `random_example_sampler.positive_sample_fraction`, if a sampler is given.
    public var randomExampleSamplerPositiveFraction: Float?
    /// NONE, EXPECTED_SAMPLING or REWEIGHTING_UNMATCHED_ANCHORS.
    public var expectedLossWeights: String
  }
}

/// `model { ... }`: the detection meta-architecture (only `ssd` is trained here).
public struct DetectionModelConfig: Equatable, Sendable {
  public var ssd: SSDModelConfig
}
