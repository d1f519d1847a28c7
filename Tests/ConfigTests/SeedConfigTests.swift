import Testing
@testable import Config
import TestSupport

/// The four seed configs parse with exactly the values written in them (spec §7 table) and
/// the proto defaults for everything else. Floats compare exactly: the file's decimal text
/// rounded once to Float32, as TensorFlow stores it.
struct SeedConfigTests {
  @Test(arguments: [
    ("ssd320_full_1gpus.config", 100_000, Float(0.02), Float(0.0086664), 8_000, "/data/*train*", "/data/*val*"),
    ("ssd320_full_4gpus.config", 25_000, Float(0.08), Float(0.0346656), 2_000,
     "/data/coco2017_tfrecords/*train*", "/data/coco2017_tfrecords/*val*"),
    ("ssd320_full_8gpus.config", 12_500, Float(0.16), Float(0.0693312), 1_000,
     "/data/coco_train.record*", "/data/coco_val.record*"),
    ("ssd320_bench.config", 1_250, Float(0.02), Float(0.0086664), 400,
     "/data/coco2017_tfrecords/*train*", "/data/coco2017_tfrecords/*val*"),
  ])
  func seedScheduleAndPaths(file: String, steps: Int, base: Float, warmupRate: Float, warmupSteps: Int,
                            trainPath: String, evalPath: String) throws
  {
    let config = try PipelineConfig.load(path: Fixtures.config(file))
    #expect(config.trainConfig.numSteps == steps)
    let cosine = try #require(config.trainConfig.optimizer.learningRate.cosineDecay)
    #expect(cosine.learningRateBase == base)
    #expect(cosine.totalSteps == steps)
    #expect(cosine.warmupLearningRate == warmupRate)
    #expect(cosine.warmupSteps == warmupSteps)
    #expect(cosine.holdBaseRateSteps == 0)
    #expect(config.trainInputReader.inputPaths == [trainPath])
    #expect(config.evalInputReaders.map(\.inputPaths) == [[evalPath]])
    try expectCommonSeedValues(config)
  }

  /// Everything the four files share (model, augmentation, optimizer, readers, eval).
  func expectCommonSeedValues(_ config: PipelineConfig) throws {
    let ssd = config.model.ssd
    #expect(ssd.numClasses == 90)
    #expect(ssd.inplaceBatchnormUpdate && ssd.freezeBatchnorm)
    #expect(ssd.boxCoder == .init(yScale: 10, xScale: 10, heightScale: 5, widthScale: 5))
    #expect(ssd.matcher == .init(matchedThreshold: 0.5, unmatchedThreshold: 0.5, ignoreThresholds: false,
                                 negativesLowerThanUnmatched: true, forceMatchForEachRow: true, useMatmulGather: true))
    #expect(ssd.similarityCalculator == .iou)
    #expect(ssd.encodeBackgroundAsZeros)
    #expect(ssd.negativeClassWeight == 1)
    #expect(ssd.anchorGenerator == .init(minLevel: 3, maxLevel: 7, anchorScale: 4, aspectRatios: [1, 2, 0.5],
                                         scalesPerOctave: 2, normalizeCoordinates: true))
    #expect(ssd.imageResizer == .fixedShape(height: 320, width: 320, method: .bilinear, convertToGrayscale: false))

    let predictor = ssd.boxPredictor
    #expect(predictor.depth == 256 && predictor.numLayersBeforePredictor == 4 && predictor.kernelSize == 3)
    #expect(predictor.classPredictionBiasInit == -4.6)
    #expect(predictor.boxCodeSize == 4 && !predictor.useDropout && !predictor.sharePredictionTower)
    #expect(predictor.scoreConverter == "IDENTITY" && predictor.boxEncodingsClipRange == nil)
    #expect(predictor.convHyperparams == Hyperparams(
      op: .conv, regularizer: .l2(weight: 0.0004), initializer: .randomNormal(mean: 0, stddev: 0.01),
      activation: .relu6, normalizer: .batchNorm(.init(decay: 0.997, center: true, scale: true, epsilon: 0.001, train: true)),
      regularizeDepthwise: false))

    let extractor = ssd.featureExtractor
    #expect(extractor.type == "ssd_resnet50_v1_fpn")
    #expect(extractor.fpn == .init(minLevel: 3, maxLevel: 7, additionalLayerDepth: 256))
    #expect(extractor.minDepth == 16 && extractor.depthMultiplier == 1 && extractor.padToMultiple == 1)
    #expect(extractor.overrideBaseFeatureExtractorHyperparams)
    #expect(extractor.convHyperparams.initializer == .truncatedNormal(mean: 0, stddev: 0.03))
    #expect(extractor.convHyperparams.l2Weight == 0.0004)
    #expect(extractor.convHyperparams.batchNorm?.decay == 0.997)
    #expect(extractor.convHyperparams.activation == .relu6)

    #expect(ssd.loss.classification == .sigmoidFocal(alpha: 0.25, gamma: 2))
    #expect(ssd.loss.localization == .smoothL1(delta: 1))
    #expect(ssd.loss.classificationWeight == 1 && ssd.loss.localizationWeight == 1)
    #expect(ssd.loss.hardExampleMiner == nil && ssd.loss.expectedLossWeights == "NONE")
    #expect(ssd.normalizeLossByNumMatches && ssd.normalizeLocLossByCodesize)
    #expect(ssd.postProcessing == .init(scoreThreshold: 1e-8, iouThreshold: 0.6, maxDetectionsPerClass: 100,
                                        maxTotalDetections: 100, useStaticShapes: false, scoreConverter: .sigmoid,
                                        logitScale: 1))

    let train = config.trainConfig
    #expect(train.fineTuneCheckpoint == "/checkpoints/resnet_v1_50/model.ckpt")
    #expect(train.fineTuneCheckpointType == "classification")
    #expect(train.batchSize == 32)
    #expect(train.syncReplicas && train.startupDelaySteps == 0 && train.replicasToAggregate == 8)
    #expect(train.maxNumberOfBoxes == 100 && !train.unpadGroundtruthTensors)
    #expect(train.addRegularizationLoss && train.gradientClippingByNorm == 0)
    #expect(train.dataAugmentationOptions == [
      .randomHorizontalFlip(keypointFlipPermutation: []),
      .randomCropImage(.init(minObjectCovered: 0, minAspectRatio: 0.75, maxAspectRatio: 3, minArea: 0.75, maxArea: 1,
                             overlapThresh: 0, clipBoxes: true, randomCoef: 0)),
    ])
    #expect(train.optimizer.momentumOptimizerValue == 0.9)
    #expect(!train.optimizer.useMovingAverage && train.optimizer.movingAverageDecay == 0.9999)

    #expect(config.trainInputReader.labelMapPath == "object_detection/data/mscoco_label_map.pbtxt")
    #expect(config.trainInputReader.shuffle && config.trainInputReader.numReaders == 64)
    #expect(config.trainInputReader.maxNumberOfBoxes == 100)
    let eval = try #require(config.evalInputReader)
    #expect(!eval.shuffle && eval.numReaders == 1 && eval.numEpochs == 0)
    #expect(eval.labelMapPath == "object_detection/data/mscoco_label_map.pbtxt")
    #expect(config.evalConfig.metricsSet == ["coco_detection_metrics"])
    #expect(!config.evalConfig.useMovingAverages && config.evalConfig.numExamples == 8000)

    #expect(config.warnings.isEmpty)
    #expect(config.ignoredFields.map(\.path) == [
      "model.ssd.inplace_batchnorm_update", "model.ssd.freeze_batchnorm",
      "model.ssd.matcher.argmax_matcher.use_matmul_gather",
      "train_config.sync_replicas", "train_config.startup_delay_steps", "train_config.replicas_to_aggregate",
      "train_config.max_number_of_boxes", "train_config.unpad_groundtruth_tensors", "eval_config.num_examples",
      "eval_input_reader[0].shuffle", "eval_input_reader[0].num_readers",
    ])
  }

  @Test func ignoredFieldsCarryLocationsAndReasons() throws {
    let config = try PipelineConfig.load(path: Fixtures.config("ssd320_full_8gpus.config"))
    let sync = try #require(config.ignoredFields.first { $0.path == "train_config.sync_replicas" })
    #expect(sync.location == SourceLocation(line: 137, column: 3))
    #expect(sync.reason.contains("legacy"))
    let freeze = try #require(config.ignoredFields.first { $0.path == "model.ssd.freeze_batchnorm" })
    #expect(freeze.location == SourceLocation(line: 9, column: 5))
  }
}

/// Locating fields of a loaded config for diagnostics the trainer raises itself.
struct LocationTests {
  @Test func locationsOfFieldsAndElements() throws {
    let config = try PipelineConfig.load(path: Fixtures.config("ssd320_full_8gpus.config"))
    #expect(config.location(of: "model.ssd.feature_extractor.type") == SourceLocation(line: 77, column: 7))
    #expect(config.location(of: "train_config.data_augmentation_options[1].random_crop_image")
      == SourceLocation(line: 146, column: 5))
    #expect(config.location(of: "model.ssd.anchor_generator.multiscale_anchor_generator.aspect_ratios[2]")
      == SourceLocation(line: 39, column: 35))
    #expect(config.location(of: "eval_input_reader[0].shuffle") == SourceLocation(line: 191, column: 3))
    #expect(config.location(of: "model.ssd.mask_head_config") == nil)
    #expect(config.location(of: "eval_input_reader[3]") == nil)
    #expect(config.location(of: "no_such_field") == nil)
    let d = config.diagnostic("model.ssd.feature_extractor.fpn.additional_layer_depth", .unsupported("only 256 is implemented"))
    #expect(d.description == "\(Fixtures.config("ssd320_full_8gpus.config")):78:7: error: model.ssd.feature_extractor.fpn.additional_layer_depth: only 256 is implemented")
  }
}
