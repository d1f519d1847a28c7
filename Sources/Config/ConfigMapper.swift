/// Reads typed config values out of a checked `TrainEvalPipelineConfig` message, reporting
/// missing required values and oneof choices this trainer does not implement. Paths in
/// diagnostics are the dotted field paths of the file.
struct ConfigMapper {
  let file: String
  private(set) var diagnostics: [ConfigDiagnostic] = []

  init(file: String) {
    self.file = file
  }

  private mutating func report(_ location: SourceLocation?, _ path: String, _ problem: ConfigProblem) {
    diagnostics.append(ConfigDiagnostic(file: file, location: location ?? .fileStart, path: path, problem: problem))
  }

  private func join(_ path: String, _ field: String) -> String { path.isEmpty ? field : path + "." + field }

  /// A message field that must be present; reports at the parent's block when absent.
  private mutating func require(_ parent: ProtoMessage, _ field: String, path: String, hint: String) -> ProtoMessage? {
    if parent.has(field) { return parent.message(field) }
    report(parent.location, join(path, field), .missingRequired("missing; \(hint)"))
    return nil
  }

  /// The member set in a oneof that must be set, if it is one of `supported`.
  private mutating func choice(_ parent: ProtoMessage, oneof: String, path: String, supported: [String])
    -> (name: String, message: ProtoMessage, path: String)?
  {
    guard let (name, message) = parent.whichOneof(oneof) else {
      let members = parent.messageSchema.oneofMembers(oneof)
      let wanted = supported.count == 1 ? "add `\(supported[0]) { ... }`" : "add one of: " + supported.joined(separator: ", ")
      report(parent.location, path, .missingRequired("no \(oneof) is set (\(members.joined(separator: " / "))); \(wanted)"))
      return nil
    }
    let memberPath = join(path, name)
    guard supported.contains(name) else {
      report(parent.location(of: name), memberPath,
             .unsupported("this trainer implements only \(supported.joined(separator: ", ")) here"))
      return nil
    }
    return (name, message, memberPath)
  }

  // MARK: - Pipeline

  mutating func pipeline(_ root: ProtoMessage) -> PipelineConfig? {
    let modelMessage = require(root, "model", path: "", hint: "add `model { ssd { ... } }`")
    let trainMessage = require(root, "train_config", path: "", hint: "add `train_config { ... }`")
    let trainReaderMessage = require(root, "train_input_reader", path: "",
                                     hint: "add `train_input_reader { tf_record_input_reader { input_path: ... } }`")
    var ssd: SSDModelConfig?
    if let modelMessage, let (_, ssdMessage, ssdPath) = choice(modelMessage, oneof: "model", path: "model", supported: ["ssd"]) {
      ssd = self.ssd(ssdMessage, path: ssdPath)
    }
    let train = trainMessage.flatMap { trainConfig($0, path: "train_config") }
    let trainReader = trainReaderMessage.flatMap { inputReader($0, path: "train_input_reader") }
    var evalReaders: [InputReaderConfig] = []
    for (i, m) in root.messages("eval_input_reader").enumerated() {
      if let r = inputReader(m, path: "eval_input_reader[\(i)]") { evalReaders.append(r) }
    }
    let eval = evalConfig(root.message("eval_config"))
    guard let ssd, let train, let trainReader, diagnostics.isEmpty else { return nil }
    return PipelineConfig(file: file, model: DetectionModelConfig(ssd: ssd), trainConfig: train,
                          trainInputReader: trainReader, evalConfig: eval, evalInputReaders: evalReaders, proto: root)
  }

  // MARK: - Model

  private mutating func ssd(_ m: ProtoMessage, path: String) -> SSDModelConfig? {
    let numClasses = m.int("num_classes")
    if !m.has("num_classes") {
      report(m.location, join(path, "num_classes"),
             .missingRequired("missing; give the number of object classes without background (90 for COCO)"))
    } else if numClasses <= 0 {
      report(m.location(of: "num_classes"), join(path, "num_classes"), .invalidValue("must be positive, got \(numClasses)"))
    }
    let resizer = require(m, "image_resizer", path: path, hint: "add `image_resizer { fixed_shape_resizer { height: 320 width: 320 } }`")
      .flatMap { imageResizer($0, path: join(path, "image_resizer")) }
    let extractor = require(m, "feature_extractor", path: path, hint: "add `feature_extractor { type: 'ssd_resnet50_v1_fpn' ... }`")
      .flatMap { featureExtractor($0, path: join(path, "feature_extractor")) }
    let coder = require(m, "box_coder", path: path, hint: "add `box_coder { faster_rcnn_box_coder { } }`").flatMap {
      choice($0, oneof: "box_coder_oneof", path: join(path, "box_coder"), supported: ["faster_rcnn_box_coder"])
    }.map { c in
      SSDModelConfig.FasterRCNNBoxCoder(yScale: c.message.float("y_scale"), xScale: c.message.float("x_scale"),
                                        heightScale: c.message.float("height_scale"), widthScale: c.message.float("width_scale"))
    }
    let matcher = require(m, "matcher", path: path, hint: "add `matcher { argmax_matcher { ... } }`").flatMap {
      choice($0, oneof: "matcher_oneof", path: join(path, "matcher"), supported: ["argmax_matcher"])
    }.map { c in
      let a = c.message
      return SSDModelConfig.ArgMaxMatcher(
        matchedThreshold: a.float("matched_threshold"), unmatchedThreshold: a.float("unmatched_threshold"),
        ignoreThresholds: a.bool("ignore_thresholds"), negativesLowerThanUnmatched: a.bool("negatives_lower_than_unmatched"),
        forceMatchForEachRow: a.bool("force_match_for_each_row"), useMatmulGather: a.bool("use_matmul_gather"))
    }
    let similarity = require(m, "similarity_calculator", path: path, hint: "add `similarity_calculator { iou_similarity { } }`").flatMap {
      choice($0, oneof: "region_similarity", path: join(path, "similarity_calculator"),
             supported: ["iou_similarity", "ioa_similarity", "neg_sq_dist_similarity", "thresholded_iou_similarity"])
    }.map { c -> SSDModelConfig.SimilarityCalculator in
      switch c.name {
      case "iou_similarity": return .iou
      case "ioa_similarity": return .ioa
      case "neg_sq_dist_similarity": return .negativeSquaredDistance
      default: return .thresholdedIoU(threshold: c.message.float("iou_threshold"))
      }
    }
    let predictor = require(m, "box_predictor", path: path,
                            hint: "add `box_predictor { weight_shared_convolutional_box_predictor { ... } }`").flatMap {
      choice($0, oneof: "box_predictor_oneof", path: join(path, "box_predictor"),
             supported: ["weight_shared_convolutional_box_predictor"])
    }.map { c in boxPredictor(c.message) }
    let anchors = require(m, "anchor_generator", path: path,
                          hint: "add `anchor_generator { multiscale_anchor_generator { ... } }`").flatMap {
      choice($0, oneof: "anchor_generator_oneof", path: join(path, "anchor_generator"),
             supported: ["multiscale_anchor_generator"])
    }.flatMap { c in anchorGenerator(c.message, path: c.path) }
    let loss = require(m, "loss", path: path, hint: "add `loss { classification_loss { ... } localization_loss { ... } }`")
      .flatMap { self.loss($0, path: join(path, "loss")) }
    let post = m.message("post_processing")
    let nms = post.message("batch_non_max_suppression")
    let postProcessing = SSDModelConfig.PostProcessing(
      scoreThreshold: nms.float("score_threshold"), iouThreshold: nms.float("iou_threshold"),
      maxDetectionsPerClass: nms.int("max_detections_per_class"), maxTotalDetections: nms.int("max_total_detections"),
      useStaticShapes: nms.bool("use_static_shapes"),
      scoreConverter: .init(rawValue: post.enumName("score_converter"))!, logitScale: post.float("logit_scale"))
    guard let resizer, let extractor, let coder, let matcher, let similarity, let predictor, let anchors, let loss else {
      return nil
    }
    if let fpn = extractor.fpn, (fpn.minLevel, fpn.maxLevel) != (anchors.minLevel, anchors.maxLevel) {
      let generator = m.message("anchor_generator").message("multiscale_anchor_generator")
      report(generator.location, join(path, "anchor_generator.multiscale_anchor_generator"),
             .invalidValue("anchor levels \(anchors.minLevel)-\(anchors.maxLevel) differ from the FPN levels "
               + "\(fpn.minLevel)-\(fpn.maxLevel); they must match (one anchor grid per feature map)"))
      return nil
    }
    return SSDModelConfig(
      numClasses: numClasses, imageResizer: resizer, featureExtractor: extractor, boxCoder: coder, matcher: matcher,
      similarityCalculator: similarity, encodeBackgroundAsZeros: m.bool("encode_background_as_zeros"),
      negativeClassWeight: m.float("negative_class_weight"), boxPredictor: predictor, anchorGenerator: anchors,
      postProcessing: postProcessing, normalizeLossByNumMatches: m.bool("normalize_loss_by_num_matches"),
      normalizeLocLossByCodesize: m.bool("normalize_loc_loss_by_codesize"), loss: loss,
      freezeBatchnorm: m.bool("freeze_batchnorm"), inplaceBatchnormUpdate: m.bool("inplace_batchnorm_update"),
      addBackgroundClass: m.bool("add_background_class"), explicitBackgroundClass: m.bool("explicit_background_class"),
      useConfidencesAsTargets: m.bool("use_confidences_as_targets"), implicitExampleWeight: m.float("implicit_example_weight"))
  }

  /// Reports a non-positive integer field; returns whether it was positive.
  private mutating func requirePositive(_ m: ProtoMessage, _ field: String, path: String) -> Bool {
    let value = m.int(field)
    if value > 0 { return true }
    report(m.location(of: field) ?? m.location, join(path, field), .invalidValue("must be positive, got \(value)"))
    return false
  }

  private mutating func anchorGenerator(_ a: ProtoMessage, path: String) -> SSDModelConfig.MultiscaleAnchorGenerator? {
    let generator = SSDModelConfig.MultiscaleAnchorGenerator(
      minLevel: a.int("min_level"), maxLevel: a.int("max_level"), anchorScale: a.float("anchor_scale"),
      aspectRatios: a.floats("aspect_ratios"), scalesPerOctave: a.int("scales_per_octave"),
      normalizeCoordinates: a.bool("normalize_coordinates"))
    var ok = requirePositive(a, "scales_per_octave", path: path)
    if generator.minLevel < 1 || generator.maxLevel < generator.minLevel {
      report(a.location(of: "max_level") ?? a.location(of: "min_level") ?? a.location, join(path, "max_level"),
             .invalidValue("levels must satisfy 1 <= min_level <= max_level, got \(generator.minLevel)-\(generator.maxLevel)"))
      ok = false
    }
    if generator.aspectRatios.isEmpty {
      report(a.location, join(path, "aspect_ratios"), .missingRequired("no aspect_ratios; add e.g. aspect_ratios: [1.0, 2.0, 0.5]"))
      ok = false
    } else if let bad = generator.aspectRatios.firstIndex(where: { !($0 > 0) }) {
      report(a.entry("aspect_ratios")?.valueLocations[bad] ?? a.location, "\(join(path, "aspect_ratios"))[\(bad)]",
             .invalidValue("aspect ratios must be positive, got \(generator.aspectRatios[bad])"))
      ok = false
    }
    if !(generator.anchorScale > 0) {
      report(a.location(of: "anchor_scale") ?? a.location, join(path, "anchor_scale"),
             .invalidValue("must be positive, got \(generator.anchorScale)"))
      ok = false
    }
    return ok ? generator : nil
  }

  private mutating func imageResizer(_ m: ProtoMessage, path: String) -> SSDModelConfig.ImageResizer? {
    guard let c = choice(m, oneof: "image_resizer_oneof", path: path,
                         supported: ["fixed_shape_resizer", "keep_aspect_ratio_resizer"]) else { return nil }
    let r = c.message
    let method = SSDModelConfig.ResizeMethod(rawValue: r.enumName("resize_method"))!
    if c.name == "fixed_shape_resizer" {
      let heightOK = requirePositive(r, "height", path: c.path)
      guard requirePositive(r, "width", path: c.path), heightOK else { return nil }
      return .fixedShape(height: r.int("height"), width: r.int("width"), method: method,
                         convertToGrayscale: r.bool("convert_to_grayscale"))
    }
    return .keepAspectRatio(minDimension: r.int("min_dimension"), maxDimension: r.int("max_dimension"), method: method,
                            padToMaxDimension: r.bool("pad_to_max_dimension"),
                            convertToGrayscale: r.bool("convert_to_grayscale"),
                            perChannelPadValue: r.floats("per_channel_pad_value"))
  }

  private mutating func featureExtractor(_ m: ProtoMessage, path: String) -> SSDModelConfig.FeatureExtractor? {
    if m.string("type").isEmpty {
      report(m.location(of: "type") ?? m.location, join(path, "type"),
             .missingRequired("missing or empty; name the feature extractor, e.g. type: 'ssd_resnet50_v1_fpn'"))
      return nil
    }
    let fpn = m.has("fpn") ? m.message("fpn") : nil
    return SSDModelConfig.FeatureExtractor(
      type: m.string("type"), depthMultiplier: m.float("depth_multiplier"), minDepth: m.int("min_depth"),
      convHyperparams: hyperparams(m.message("conv_hyperparams")),
      overrideBaseFeatureExtractorHyperparams: m.bool("override_base_feature_extractor_hyperparams"),
      padToMultiple: m.int("pad_to_multiple"), useExplicitPadding: m.bool("use_explicit_padding"),
      useDepthwise: m.bool("use_depthwise"),
      fpn: fpn.map { SSDModelConfig.FPN(minLevel: $0.int("min_level"), maxLevel: $0.int("max_level"),
                                        additionalLayerDepth: $0.int("additional_layer_depth")) })
  }

  private func boxPredictor(_ p: ProtoMessage) -> SSDModelConfig.WeightSharedBoxPredictor {
    var clip: ClosedRange<Float>?
    if p.has("box_encodings_clip_range") {
      let r = p.message("box_encodings_clip_range")
      clip = min(r.float("min"), r.float("max"))...max(r.float("min"), r.float("max"))
    }
    return SSDModelConfig.WeightSharedBoxPredictor(
      convHyperparams: hyperparams(p.message("conv_hyperparams")),
      numLayersBeforePredictor: p.int("num_layers_before_predictor"), depth: p.int("depth"),
      kernelSize: p.int("kernel_size"), boxCodeSize: p.int("box_code_size"),
      classPredictionBiasInit: p.float("class_prediction_bias_init"), useDropout: p.bool("use_dropout"),
      dropoutKeepProbability: p.float("dropout_keep_probability"), sharePredictionTower: p.bool("share_prediction_tower"),
      useDepthwise: p.bool("use_depthwise"), scoreConverter: p.enumName("score_converter"), boxEncodingsClipRange: clip)
  }

  func hyperparams(_ h: ProtoMessage) -> Hyperparams {
    var regularizer: Hyperparams.Regularizer?
    if let (name, r) = h.message("regularizer").whichOneof("regularizer_oneof") {
      regularizer = name == "l1_regularizer" ? .l1(weight: r.float("weight")) : .l2(weight: r.float("weight"))
    }
    var initializer: Hyperparams.Initializer?
    if let (name, i) = h.message("initializer").whichOneof("initializer_oneof") {
      switch name {
      case "truncated_normal_initializer": initializer = .truncatedNormal(mean: i.float("mean"), stddev: i.float("stddev"))
      case "random_normal_initializer": initializer = .randomNormal(mean: i.float("mean"), stddev: i.float("stddev"))
      default: initializer = .varianceScaling(factor: i.float("factor"), uniform: i.bool("uniform"), mode: i.enumName("mode"))
      }
    }
    var normalizer: Hyperparams.Normalizer?
    if let (name, n) = h.whichOneof("normalizer_oneof") {
      normalizer = name == "group_norm" ? .groupNorm
        : .batchNorm(.init(decay: n.float("decay"), center: n.bool("center"), scale: n.bool("scale"),
                           epsilon: n.float("epsilon"), train: n.bool("train")))
    }
    return Hyperparams(op: .init(rawValue: h.enumName("op"))!, regularizer: regularizer, initializer: initializer,
                       activation: .init(rawValue: h.enumName("activation"))!, normalizer: normalizer,
                       regularizeDepthwise: h.bool("regularize_depthwise"))
  }

  private mutating func loss(_ m: ProtoMessage, path: String) -> SSDModelConfig.Loss? {
    let classification = require(m, "classification_loss", path: path,
                                  hint: "add `classification_loss { weighted_sigmoid_focal { alpha: 0.25 gamma: 2.0 } }`").flatMap {
      choice($0, oneof: "classification_loss", path: join(path, "classification_loss"),
             supported: ["weighted_sigmoid_focal", "weighted_sigmoid", "weighted_softmax"])
    }.map { c -> SSDModelConfig.Loss.Classification in
      switch c.name {
      case "weighted_sigmoid_focal": return .sigmoidFocal(alpha: c.message.floatIfSet("alpha"), gamma: c.message.float("gamma"))
      case "weighted_sigmoid": return .weightedSigmoid
      default: return .weightedSoftmax(logitScale: c.message.float("logit_scale"))
      }
    }
    let localization = require(m, "localization_loss", path: path,
                                hint: "add `localization_loss { weighted_smooth_l1 { } }`").flatMap {
      choice($0, oneof: "localization_loss", path: join(path, "localization_loss"),
             supported: ["weighted_smooth_l1", "weighted_l2", "weighted_iou"])
    }.map { c -> SSDModelConfig.Loss.Localization in
      switch c.name {
      case "weighted_smooth_l1": return .smoothL1(delta: c.message.float("delta"))
      case "weighted_l2": return .l2
      default: return .iou
      }
    }
    guard let classification, let localization else { return nil }
    let miner = m.has("hard_example_miner") ? m.message("hard_example_miner") : nil
    return SSDModelConfig.Loss(
      classification: classification, localization: localization,
      classificationWeight: m.float("classification_weight"), localizationWeight: m.float("localization_weight"),
      hardExampleMiner: miner.map {
        .init(numHardExamples: $0.int("num_hard_examples"), iouThreshold: $0.float("iou_threshold"),
              lossType: $0.enumName("loss_type"), maxNegativesPerPositive: $0.int("max_negatives_per_positive"),
              minNegativesPerImage: $0.int("min_negatives_per_image"))
      },
      randomExampleSamplerPositiveFraction: m.has("random_example_sampler")
        ? m.message("random_example_sampler").float("positive_sample_fraction") : nil,
      expectedLossWeights: m.enumName("expected_loss_weights"))
  }

  // MARK: - Training

  private mutating func trainConfig(_ t: ProtoMessage, path: String) -> TrainConfig? {
    let optimizer = require(t, "optimizer", path: path, hint: "add `optimizer { momentum_optimizer { learning_rate { ... } } }`")
      .flatMap { self.optimizer($0, path: join(path, "optimizer")) }
    let steps = t.messages("data_augmentation_options").enumerated().compactMap { (i, step) -> PreprocessingStep? in
      guard let (name, m) = step.whichOneof("preprocessing_step") else {
        report(step.location, "\(path).data_augmentation_options[\(i)]",
               .missingRequired("empty augmentation step; add e.g. `random_horizontal_flip { }` or remove the block"))
        return nil
      }
      return PreprocessingStep.from(name: name, m)
    }
    guard requirePositive(t, "batch_size", path: path), let optimizer else { return nil }
    return TrainConfig(
      batchSize: t.int("batch_size"), dataAugmentationOptions: steps, syncReplicas: t.bool("sync_replicas"),
      keepCheckpointEveryNHours: t.float("keep_checkpoint_every_n_hours"), optimizer: optimizer,
      gradientClippingByNorm: t.float("gradient_clipping_by_norm"), fineTuneCheckpoint: t.string("fine_tune_checkpoint"),
      fineTuneCheckpointType: t.string("fine_tune_checkpoint_type"),
      fromDetectionCheckpoint: t.bool("from_detection_checkpoint"),
      loadAllDetectionCheckpointVars: t.bool("load_all_detection_checkpoint_vars"), numSteps: t.int("num_steps"),
      startupDelaySteps: t.float("startup_delay_steps"), biasGradMultiplier: t.float("bias_grad_multiplier"),
      updateTrainableVariables: t.strings("update_trainable_variables"), freezeVariables: t.strings("freeze_variables"),
      replicasToAggregate: t.int("replicas_to_aggregate"), batchQueueCapacity: t.int("batch_queue_capacity"),
      numBatchQueueThreads: t.int("num_batch_queue_threads"), prefetchQueueCapacity: t.int("prefetch_queue_capacity"),
      mergeMultipleLabelBoxes: t.bool("merge_multiple_label_boxes"), useMulticlassScores: t.bool("use_multiclass_scores"),
      addRegularizationLoss: t.bool("add_regularization_loss"), maxNumberOfBoxes: t.int("max_number_of_boxes"),
      unpadGroundtruthTensors: t.bool("unpad_groundtruth_tensors"), retainOriginalImages: t.bool("retain_original_images"),
      useBfloat16: t.bool("use_bfloat16"), summarizeGradients: t.bool("summarize_gradients"))
  }

  private mutating func optimizer(_ o: ProtoMessage, path: String) -> OptimizerConfig? {
    guard let c = choice(o, oneof: "optimizer", path: path,
                         supported: ["momentum_optimizer", "rms_prop_optimizer", "adam_optimizer"]) else { return nil }
    let kind: OptimizerConfig.Kind
    switch c.name {
    case "momentum_optimizer": kind = .momentum(momentum: c.message.float("momentum_optimizer_value"))
    case "rms_prop_optimizer":
      kind = .rmsProp(momentum: c.message.float("momentum_optimizer_value"), decay: c.message.float("decay"),
                      epsilon: c.message.float("epsilon"))
    default: kind = .adam
    }
    guard let lr = require(c.message, "learning_rate", path: c.path,
                           hint: "add `learning_rate { cosine_decay_learning_rate { ... } }`")
      .flatMap({ learningRate($0, path: join(c.path, "learning_rate")) })
    else { return nil }
    return OptimizerConfig(kind: kind, learningRate: lr, useMovingAverage: o.bool("use_moving_average"),
                           movingAverageDecay: o.float("moving_average_decay"))
  }

  private mutating func learningRate(_ l: ProtoMessage, path: String) -> LearningRate? {
    guard let c = choice(l, oneof: "learning_rate", path: path,
                         supported: ["constant_learning_rate", "exponential_decay_learning_rate",
                                     "manual_step_learning_rate", "cosine_decay_learning_rate"]) else { return nil }
    let m = c.message
    switch c.name {
    case "constant_learning_rate":
      return .constant(m.float("learning_rate"))
    case "exponential_decay_learning_rate":
      return .exponentialDecay(.init(
        initialLearningRate: m.float("initial_learning_rate"), decaySteps: m.int("decay_steps"),
        decayFactor: m.float("decay_factor"), staircase: m.bool("staircase"),
        burninLearningRate: m.float("burnin_learning_rate"), burninSteps: m.int("burnin_steps"),
        minLearningRate: m.float("min_learning_rate")))
    case "manual_step_learning_rate":
      return .manualStep(.init(initialLearningRate: m.float("initial_learning_rate"),
                               schedule: m.messages("schedule").map { ($0.int("step"), $0.float("learning_rate")) },
                               warmup: m.bool("warmup")))
    default:
      let cosine = LearningRate.CosineDecay(
        learningRateBase: m.float("learning_rate_base"), totalSteps: m.int("total_steps"),
        warmupLearningRate: m.float("warmup_learning_rate"), warmupSteps: m.int("warmup_steps"),
        holdBaseRateSteps: m.int("hold_base_rate_steps"))
      // The checks learning_schedules.cosine_decay_with_warmup makes before building the schedule.
      if cosine.totalSteps < cosine.warmupSteps {
        report(m.location(of: "total_steps") ?? m.location, join(c.path, "total_steps"),
               .invalidValue("total_steps (\(cosine.totalSteps)) must be at least warmup_steps (\(cosine.warmupSteps))"))
        return nil
      }
      if cosine.warmupSteps > 0 && cosine.learningRateBase < cosine.warmupLearningRate {
        report(m.location(of: "warmup_learning_rate") ?? m.location, join(c.path, "warmup_learning_rate"),
               .invalidValue("warmup_learning_rate (\(cosine.warmupLearningRate)) must not exceed learning_rate_base (\(cosine.learningRateBase))"))
        return nil
      }
      return .cosineDecay(cosine)
    }
  }

  // MARK: - Input and evaluation

  private mutating func inputReader(_ r: ProtoMessage, path: String) -> InputReaderConfig? {
    guard let c = choice(r, oneof: "input_reader", path: path, supported: ["tf_record_input_reader"]) else { return nil }
    let paths = c.message.strings("input_path")
    if paths.isEmpty {
      report(c.message.location ?? r.location, join(c.path, "input_path"),
             .missingRequired("no input_path; add input_path: \"/data/coco_train.record*\" (a TFRecord file or glob)"))
      return nil
    }
    return InputReaderConfig(
      name: r.string("name"), labelMapPath: r.string("label_map_path"), shuffle: r.bool("shuffle"),
      shuffleBufferSize: r.int("shuffle_buffer_size"), filenamesShuffleBufferSize: r.int("filenames_shuffle_buffer_size"),
      numEpochs: r.int("num_epochs"), sample1OfNExamples: r.int("sample_1_of_n_examples"), numReaders: r.int("num_readers"),
      numParallelBatches: r.int("num_parallel_batches"), numPrefetchBatches: r.int("num_prefetch_batches"),
      readBlockLength: r.int("read_block_length"), numAdditionalChannels: r.int("num_additional_channels"),
      numKeypoints: r.int("num_keypoints"), maxNumberOfBoxes: r.int("max_number_of_boxes"),
      loadInstanceMasks: r.bool("load_instance_masks"), maskType: r.enumName("mask_type"),
      useDisplayName: r.bool("use_display_name"), inputPaths: paths)
  }

  private func evalConfig(_ e: ProtoMessage) -> EvalConfig {
    EvalConfig(
      batchSize: e.int("batch_size"), numVisualizations: e.int("num_visualizations"), numExamples: e.int("num_examples"),
      evalIntervalSecs: e.int("eval_interval_secs"), maxEvals: e.int("max_evals"), metricsSet: e.strings("metrics_set"),
      useMovingAverages: e.bool("use_moving_averages"), minScoreThreshold: e.float("min_score_threshold"),
      maxNumBoxesToVisualize: e.int("max_num_boxes_to_visualize"),
      includeMetricsPerCategory: e.bool("include_metrics_per_category"),
      retainOriginalImages: e.bool("retain_original_images"), ignoreGroundtruth: e.bool("ignore_groundtruth"))
  }
}
