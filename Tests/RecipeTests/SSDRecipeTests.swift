import Config
import Foundation
import Model
import Testing
@testable import Recipe
import TestSupport

/// The recipe's config maps onto `SSDConfig.ssd320` and the spec's loss/schedule values.
@Test func recipeConfigMapsToSSD320() throws {
  let config = try PipelineConfig.load(path: Fixtures.path("../configs/ssd320_full_8gpus.config"))
  let setup = try SSDRecipe(config: config)
  var expected = SSDConfig.ssd320
  expected.l2Weight = 0.0004
  #expect(setup.model == expected)
  #expect(setup.anchors.count == 12804 * 4)
  #expect(setup.batchSize == 32 && setup.momentum == 0.9)
  #expect(setup.schedule.learningRate(step: 0) == 0.0693312)
  #expect(setup.schedule.learningRate(step: 1000) == 0.16)
  #expect(setup.schedule.learningRate(step: 12500) == 0)
  #expect(setup.loss.focal.alpha == 0.25 && setup.loss.focal.gamma == 2)
  #expect(setup.loss.regularizer.scale == 0.0004)
  #expect(setup.postProcessor.iouThreshold == 0.6 && setup.postProcessor.maxTotalDetections == 100)
  #expect(setup.trainPreprocessing.augmentations.count == 2)
  #expect(setup.evalPreprocessing.augmentations.isEmpty)
}

/// The shipped small config is the same family, scaled down.
@Test func smallConfigIsAScaledDownSSD() throws {
  let config = try PipelineConfig.load(path: TinyModel.smallConfigPath)
  let setup = try SSDRecipe(config: config)
  #expect(setup.model.imageHeight == 128 && setup.model.imageWidth == 128)
  #expect(setup.model.depthMultiplier == 0.125 && setup.model.minLevel == 3 && setup.model.maxLevel == 5)
  #expect(setup.model.backboneDepth == 50 && setup.model.numClasses == 90)
  #expect(setup.anchors.count == (16 * 16 + 8 * 8 + 4 * 4) * 6 * 4)
}

/// Unsupported choices are reported with the field to change.
@Test func unsupportedChoicesNameTheField() throws {
  let config = try PipelineConfig.load(path: TinyModel.smallConfigPath)
  let bad = try config.applyingOverrides(["model.ssd.image_resizer.fixed_shape_resizer.height=100"])
  do {
    _ = try SSDRecipe(config: bad)
    Issue.record("100 px does not halve down to level 5")
  } catch let error as RecipeError {
    #expect(error.field == "model.ssd.image_resizer.fixed_shape_resizer")
  }
}
