import Config
import Data
import Model
import Worker

/// The trained detector at inference time: an `SSDNetwork` with batch norm in inference
/// mode (moving statistics), the evaluation preprocessing (spec §2.3–2.4: legacy bilinear
/// resize of the whole image to the config size, mean subtraction; no augmentation) and the
/// config's post-processing (spec §8). Images of any size in, `Detections` (normalized
/// `[ymin, xmin, ymax, xmax]` relative to the original image, since the resize stretches) out.
///
/// Not thread-safe: the network keeps its activations between calls; use one per thread.
public final class Detector {
  public let model: SSDConfig
  public let network: SSDNetwork
  public let postProcessor: PostProcessor
  public let preprocessing: PreprocessingConfig

  /// Builds the network, anchors and post-processing a pipeline config describes, with
  /// freshly initialized weights (`seed`); call `loadWeights(from:)` next for a trained model.
  /// Throws a located config error for settings this project does not implement.
  public convenience init(config: PipelineConfig, seed: UInt64 = 0) throws {
    let model = try SSDConfig(pipeline: config)
    let ssd = config.model.ssd
    let pp = ssd.postProcessing
    guard pp.scoreConverter == .sigmoid else {
      throw ConfigError([config.diagnostic("model.ssd.post_processing.score_converter",
                                           .unsupported("only SIGMOID is implemented (SSD320 uses SIGMOID)"))])
    }
    let coder = FasterRCNNBoxCoder(scaleFactors: [ssd.boxCoder.yScale, ssd.boxCoder.xScale,
                                                  ssd.boxCoder.heightScale, ssd.boxCoder.widthScale])
    let post = PostProcessor(anchors: Self.anchors(model), numClasses: model.numClasses, boxCoder: coder,
                             scoreThreshold: pp.scoreThreshold, iouThreshold: pp.iouThreshold,
                             maxDetectionsPerClass: pp.maxDetectionsPerClass,
                             maxTotalDetections: pp.maxTotalDetections, logitScale: pp.logitScale)
    let network = SSDNetwork(config: model, seed: seed)
    network.keepsActivations = false  // forward-only: memory is the live tensors only
    self.init(network: network, postProcessor: post)
  }

  /// A detector over an existing network (its weights are used as they are) and
  /// post-processor; the preprocessing follows the network's input size. Switches the
  /// network to inference mode; set `network.keepsActivations = false` too when it will
  /// never train (saves the activation memory).
  public init(network: SSDNetwork, postProcessor: PostProcessor) {
    precondition(postProcessor.anchorCount == network.config.numAnchors,
                 "post-processor has \(postProcessor.anchorCount) anchors, the network predicts \(network.config.numAnchors)")
    self.model = network.config
    self.network = network
    self.postProcessor = postProcessor
    network.training = false
    preprocessing = PreprocessingConfig.ssd320Evaluation.resized(height: network.config.imageHeight,
                                                                 width: network.config.imageWidth)
  }

  /// The anchors of a model, `[numAnchors, 4]` flat normalized (spec §4).
  public static func anchors(_ model: SSDConfig) -> [Float] {
    AnchorGenerator(minLevel: model.minLevel, maxLevel: model.maxLevel, anchorScale: model.anchorScale,
                    aspectRatios: model.aspectRatios, scalesPerOctave: model.scalesPerOctave)
      .generate(imageHeight: model.imageHeight, imageWidth: model.imageWidth)
  }

  /// Loads the weights from a checkpoint prefix or model_dir (see `WeightLoader`).
  @discardableResult
  public func loadWeights(from path: String) throws -> WeightLoader.Summary {
    try WeightLoader.load(into: network.params, from: path)
  }

  /// Floats per preprocessed image: height·width·3.
  public var inputCount: Int { model.imageHeight * model.imageWidth * 3 }

  /// Writes the network input of `image` (`inputCount` floats, HWC) to `output`: legacy
  /// bilinear resize of the whole image, minus the channel means (spec §2.3–2.4).
  public func preprocess(_ image: RGBImage, into output: UnsafeMutablePointer<Float>) {
    BilinearResize.resizeView(image, view: .whole(height: image.height, width: image.width),
                              height: model.imageHeight, width: model.imageWidth,
                              means: preprocessing.channelMeans, into: output)
  }

  /// Preprocesses a batch of images into one `[B, H, W, 3]` tensor.
  public func preprocess(_ images: [RGBImage]) -> Tensor {
    let n = inputCount
    return Tensor(uninitialized: [images.count, model.imageHeight, model.imageWidth, 3]) { buf in
      for (i, image) in images.enumerated() { preprocess(image, into: buf.baseAddress! + i * n) }
    }
  }

  /// Network + post-processing of a preprocessed batch `[B, H, W, 3]`.
  public func infer(_ batch: Tensor) -> [Detections] {
    network.training = false
    let (boxes, logits) = network.forward(batch)
    return postProcessor.detect(boxEncodings: boxes, classLogits: logits)
  }

  /// Preprocessing, network and post-processing of a batch of decoded images.
  public func detect(_ images: [RGBImage]) -> [Detections] {
    guard !images.isEmpty else { return [] }
    return infer(preprocess(images))
  }
}
