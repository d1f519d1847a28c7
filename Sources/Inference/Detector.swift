import Checkpoint
import Config
import Data
import Model
import Recipe

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

  /// Builds the network, anchors and post-processing a pipeline config describes (its
  /// `SSDRecipe` parts: no loss or optimizer is needed), with freshly initialized weights
  /// (`seed`); call `loadWeights(from:)` next for a trained model. Throws a located config
  /// error or `RecipeError` for settings this project does not implement.
  public convenience init(config: PipelineConfig, seed: UInt64 = 0) throws {
    let model = try SSDConfig(pipeline: config)
    try model.checkBuildable(config)
    let post = try PostProcessor(pipeline: config, anchors: model.anchors())
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

  /// Loads every variable from the checkpoint `path` names (a prefix, V1 file or model_dir:
  /// its newest checkpoint) through `CheckpointLoader`; all must be present with the
  /// model's shapes. Extra entries (`global_step`, momentum slots, our `ssd/…` bookkeeping)
  /// are ignored. Throws `InferenceError` naming the checkpoint and the first variable at
  /// fault, before any weight is overwritten.
  @discardableResult
  public func loadWeights(from path: String) throws -> CheckpointLoadReport {
    let loader: CheckpointLoader
    do {
      loader = try CheckpointLoader(path: path)
    } catch CheckpointError.notFound {
      throw InferenceError.checkpointNotFound(path: path)
    }
    return try loadWeights(from: loader)
  }

  /// `loadWeights(from:)` of an opened checkpoint.
  @discardableResult
  public func loadWeights(from loader: CheckpointLoader) throws -> CheckpointLoadReport {
    do {
      return try loader.load(into: network.params, requireAll: true)
    } catch let error as CheckpointLoadError {
      throw InferenceError(error)
    }
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
