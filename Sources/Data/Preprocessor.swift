/// Turns one decoded image and its ground truth into network input (spec §2.1 steps 1–5):
/// drop NaN boxes, augment (`config.augmentations`, random choices from the sample's RNG),
/// legacy bilinear resize to `outputHeight x outputWidth`, subtract the channel means.
/// Output image: float32 HWC, `outputHeight·outputWidth·3` values.
///
/// Two executors with identical results: the fast path crops/flips/resizes straight from the
/// 8-bit pixels when there is no colour jitter (the SSD320 recipe); otherwise, and as the
/// reference, `processReference` materializes the float image and applies each step.
public struct Preprocessor: Sendable {
  public let config: PreprocessingConfig

  public init(config: PreprocessingConfig) { self.config = config }

  public var outputCount: Int { config.outputHeight * config.outputWidth * 3 }

  /// Preprocesses into `output` (`outputCount` floats) and returns the transformed,
  /// unpadded ground truth. `rng` is only drawn from if there are augmentations.
  public func process(_ image: RGBImage, groundTruth: GroundTruth, rng: inout SampleRandom,
                      into output: UnsafeMutablePointer<Float>) -> GroundTruth {
    let plan = AugmentationPlan.make(options: config.augmentations, imageHeight: image.height,
                                     imageWidth: image.width, groundTruth: groundTruth.droppingNaNBoxes(), rng: &rng)
    if let view = plan.pixelView(sourceHeight: image.height, sourceWidth: image.width) {
      BilinearResize.resizeView(image, view: view, height: config.outputHeight, width: config.outputWidth,
                                means: config.channelMeans, into: output)
    } else {
      let augmented = plan.apply(to: image.toFloat())
      BilinearResize.resize(augmented, height: config.outputHeight, width: config.outputWidth,
                            means: config.channelMeans, into: output)
    }
    return plan.groundTruth
  }

  /// Convenience: returns the image as an array.
  public func process(_ image: RGBImage, groundTruth: GroundTruth,
                      rng: inout SampleRandom) -> (image: [Float], groundTruth: GroundTruth) {
    var out = [Float](repeating: 0, count: outputCount)
    let gt = out.withUnsafeMutableBufferPointer { process(image, groundTruth: groundTruth, rng: &rng, into: $0.baseAddress!) }
    return (out, gt)
  }

  /// Reference: float image, each step applied in turn, naive resize, then means.
  public func processReference(_ image: RGBImage, groundTruth: GroundTruth,
                               rng: inout SampleRandom) -> (image: [Float], groundTruth: GroundTruth) {
    let plan = AugmentationPlan.make(options: config.augmentations, imageHeight: image.height,
                                     imageWidth: image.width, groundTruth: groundTruth.droppingNaNBoxes(), rng: &rng)
    let resized = BilinearResize.reference(plan.apply(to: image.toFloat()),
                                           height: config.outputHeight, width: config.outputWidth)
    var values = resized.values
    for i in 0..<values.count { values[i] -= config.channelMeans[i % 3] }
    return (values, plan.groundTruth)
  }
}
