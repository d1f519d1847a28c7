import Config
import Data
import Model

extension PreprocessingConfig {
  /// Training images (spec §2.1): the config's `data_augmentation_options`, resized to the
  /// network input, at most `train_input_reader.max_number_of_boxes` boxes.
  public static func training(pipeline config: PipelineConfig, model: SSDConfig) throws -> PreprocessingConfig {
    let augmentations = try config.trainConfig.dataAugmentationOptions.map { try AugmentationOption(step: $0, file: config.file) }
    return PreprocessingConfig(augmentations: augmentations, outputHeight: model.imageHeight,
                               outputWidth: model.imageWidth, maxBoxes: config.trainInputReader.maxNumberOfBoxes)
  }

  /// Evaluation images (spec §2.3): no augmentation, the eval reader's box limit (the train
  /// reader's when it has none).
  public static func evaluation(pipeline config: PipelineConfig, model: SSDConfig) -> PreprocessingConfig {
    PreprocessingConfig(augmentations: [], outputHeight: model.imageHeight, outputWidth: model.imageWidth,
                        maxBoxes: config.evalInputReader?.maxNumberOfBoxes ?? config.trainInputReader.maxNumberOfBoxes)
  }
}

extension AugmentationOption {
  /// The Data module's form of one `data_augmentation_options` entry.
  public init(step: PreprocessingStep, file: String) throws {
    switch step {
    case .randomHorizontalFlip(let perm):
      if !perm.isEmpty {
        throw RecipeError(file: file, field: "train_config.data_augmentation_options.random_horizontal_flip",
                          message: "keypoint flip permutations are not supported (no keypoints)")
      }
      self = .randomHorizontalFlip
    case .randomCropImage(let c):
      var p = RandomCropParameters()
      p.minObjectCovered = c.minObjectCovered; p.minAspectRatio = c.minAspectRatio
      p.maxAspectRatio = c.maxAspectRatio; p.minArea = c.minArea; p.maxArea = c.maxArea
      p.overlapThresh = c.overlapThresh; p.clipBoxes = c.clipBoxes; p.randomCoef = c.randomCoef
      self = .randomCropImage(p)
    case .randomAdjustBrightness(let d): self = .randomAdjustBrightness(maxDelta: d)
    case .randomAdjustContrast(let lo, let hi): self = .randomAdjustContrast(minDelta: lo, maxDelta: hi)
    case .randomAdjustHue(let d): self = .randomAdjustHue(maxDelta: d)
    case .randomAdjustSaturation(let lo, let hi): self = .randomAdjustSaturation(minDelta: lo, maxDelta: hi)
    case .randomDistortColor(let o): self = .randomDistortColor(colorOrdering: o)
    default:
      throw RecipeError(file: file, field: "train_config.data_augmentation_options.\(step.name)",
                        message: "this augmentation is not implemented; remove it from the config")
    }
  }
}
