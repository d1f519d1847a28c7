/// The treatment of every field of the pipeline.config schema that a config can reach
/// through fields this trainer uses (`ProtoSchema.objectDetection`, spec §1–§11). A field is
/// found by its path first (`pathRules`, index-free: `eval_input_reader.shuffle`), then by
/// its message type (`typeRules`: `InputReader.shuffle`), so one message type can be treated
/// differently where it is reused (the train and eval readers, the feature extractor's and
/// the box predictor's conv hyperparameters). Fields inside a refused or ignored field are
/// not looked at. `FieldRulesTests` walks the schema and checks that every reachable field
/// has exactly one rule and every rule is reached.
public enum FieldRules {
  /// The treatment of `field` of message type `type`, reached at the index-free `path`.
  public static func treatment(type: String, field: String, path: String) -> FieldTreatment? {
    pathRules[path] ?? typeRules[type + "." + field]
  }

  // Reasons used more than once.
  static let legacyTrainer = "used only by the legacy train.py trainer; model_main.py averages gradients over all workers every step"
  static let legacyEval = "used only by the legacy eval.py; model_main.py's evaluation does not read it"
  static let visualization = "evaluation images for TensorBoard are not written yet (see docs/model_main.md, TensorBoard event files)"
  static let deprecatedReader = "deprecated; the OD API's tf.data input does not read it"
  static let trainOrder = "the input pipeline draws a seeded permutation of all training records every epoch "
    + "(docs/compatibility.md), so TF's shuffle buffers and reader parallelism have no counterpart"
  static let evalOrder = "evaluation reads every record of the eval input once; order and parallelism do not change the metrics"
  static let notImplemented = "this trainer does not implement it; remove it"

  static func oneOf(_ allowed: [String], _ what: String) -> FieldTreatment {
    .requires({ v in if case .string(let s) = v { return allowed.contains(s) } else { return false } },
              { v in "\(v) is not implemented; \(what): \(allowed.filter { !$0.isEmpty }.joined(separator: ", "))" })
  }

  static func float(_ value: Float, _ why: String) -> FieldTreatment { .requires(.float(value), why) }
  static func bool(_ value: Bool, _ why: String) -> FieldTreatment { .requires(.bool(value), why) }
  static func enumeration(_ value: String, _ why: String) -> FieldTreatment { .requires(.enumeration(value), why) }

  /// Rules for one path, overriding the type rule.
  static let pathRules: [String: FieldTreatment] = {
    let fe = "model.ssd.feature_extractor.conv_hyperparams.initializer."
    let bp = "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.conv_hyperparams.initializer."
    let feInit = "the backbone and FPN convolutions are initialized with truncated_normal_initializer { mean: 0 stddev: 0.03 } (spec 3.7)"
    let bpInit = "the box predictor convolutions are initialized with random_normal_initializer { mean: 0 stddev: 0.01 } (spec 3.7)"
    var r: [String: FieldTreatment] = [
      fe + "truncated_normal_initializer": .used,
      fe + "random_normal_initializer": .refused(reason: feInit),
      fe + "variance_scaling_initializer": .refused(reason: feInit),
      bp + "random_normal_initializer": .used,
      bp + "truncated_normal_initializer": .refused(reason: bpInit),
      bp + "variance_scaling_initializer": .refused(reason: bpInit),
      // The training reader: what shapes the training stream.
      "train_input_reader.shuffle": bool(true, "training always shuffles"),
      "train_input_reader.num_epochs": .requires(.uint(0), "training repeats the data until num_steps; 0 means forever"),
      "train_input_reader.sample_1_of_n_examples": .ignored(reason: "the fork's dataset builder never applies it"),
      // The eval readers: model_main.py evaluates every record once.
      "eval_input_reader.shuffle": .ignored(reason: evalOrder),
      "eval_input_reader.num_epochs": .ignored(reason: "model_main.py sets it to 1 for every eval reader"),
      "eval_input_reader.sample_1_of_n_examples": .ignored(reason:
        "the fork's dataset builder never applies it (--sample_1_of_n_eval_examples samples here)"),
    ]
    for field in ["shuffle_buffer_size", "filenames_shuffle_buffer_size", "num_readers", "num_parallel_batches",
                  "num_prefetch_batches", "read_block_length"] {
      r["train_input_reader." + field] = .ignored(reason: trainOrder)
      r["eval_input_reader." + field] = .ignored(reason: evalOrder)
    }
    return r
  }()

  /// Rules by `MessageType.field`.
  static let typeRules: [String: FieldTreatment] = [
    // pipeline.proto
    "TrainEvalPipelineConfig.model": .used,
    "TrainEvalPipelineConfig.train_config": .used,
    "TrainEvalPipelineConfig.train_input_reader": .used,
    "TrainEvalPipelineConfig.eval_config": .used,
    "TrainEvalPipelineConfig.eval_input_reader": .used,
    "TrainEvalPipelineConfig.graph_rewriter": .refused(reason: "quantization-aware training is not implemented; remove graph_rewriter"),

    // model.proto, ssd.proto
    "DetectionModel.ssd": .used,
    "DetectionModel.faster_rcnn": .refused(reason: "this trainer builds SSD models only (model { ssd { ... } })"),
    "Ssd.num_classes": .used,
    "Ssd.image_resizer": .used,
    "Ssd.feature_extractor": .used,
    "Ssd.box_coder": .used,
    "Ssd.matcher": .used,
    "Ssd.similarity_calculator": .used,
    "Ssd.encode_background_as_zeros": bool(true, "the background slot's target is always 0 (spec 5)"),
    "Ssd.negative_class_weight": .used,
    "Ssd.box_predictor": .used,
    "Ssd.anchor_generator": .used,
    "Ssd.post_processing": .used,
    "Ssd.normalize_loss_by_num_matches": .used,
    "Ssd.normalize_loc_loss_by_codesize": .used,
    "Ssd.loss": .used,
    "Ssd.freeze_batchnorm": .ignored(reason:
      "ineffective for the slim ResNet-FPN extractor: batch norm still trains on batch statistics and updates its moving averages (spec 3.6)"),
    "Ssd.inplace_batchnorm_update": .ignored(reason:
      "only decides how TensorFlow attaches batch-norm update ops; moving statistics update once per step either way"),
    "Ssd.add_background_class": bool(true, "the class predictions always have a background slot"),
    "Ssd.explicit_background_class": bool(false, "the background slot is implicit"),
    "Ssd.use_confidences_as_targets": bool(false, "class targets are one-hot"),
    "Ssd.implicit_example_weight": .ignored(reason: "only read with use_confidences_as_targets, which must be false"),
    "Ssd.mask_head_config": .refused(reason: "mask prediction is not implemented; remove mask_head_config"),

    // image_resizer.proto
    "ImageResizer.fixed_shape_resizer": .used,
    "ImageResizer.keep_aspect_ratio_resizer": .refused(reason:
      "only fixed_shape_resizer is implemented (SSD320 uses fixed_shape_resizer { height: 320 width: 320 })"),
    "FixedShapeResizer.height": .used,
    "FixedShapeResizer.width": .used,
    "FixedShapeResizer.resize_method": enumeration("BILINEAR", "images are resized bilinearly"),
    "FixedShapeResizer.convert_to_grayscale": bool(false, "images stay RGB"),

    // ssd.proto: feature extractor
    "SsdFeatureExtractor.type": oneOf(["ssd_resnet50_v1_fpn", "ssd_resnet101_v1_fpn", "ssd_resnet152_v1_fpn",
                                       "ssd_resnet50_v1_fpn_keras", "ssd_resnet101_v1_fpn_keras", "ssd_resnet152_v1_fpn_keras"],
                                      "this trainer builds the ResNet v1 FPN extractors"),
    "SsdFeatureExtractor.depth_multiplier": .used,
    "SsdFeatureExtractor.min_depth": .used,
    "SsdFeatureExtractor.conv_hyperparams": .used,
    "SsdFeatureExtractor.override_base_feature_extractor_hyperparams": bool(true,
      "the backbone always takes conv_hyperparams (relu6, its L2 weight), as SSD320 asks; slim's resnet_arg_scope is not built"),
    "SsdFeatureExtractor.pad_to_multiple": .used,  // checked against the image size by TrainerVerdict
    "SsdFeatureExtractor.use_explicit_padding": bool(false, "the ResNet-FPN extractor uses SAME padding"),
    "SsdFeatureExtractor.use_depthwise": bool(false, "no depthwise convolutions"),
    "SsdFeatureExtractor.fpn": .used,
    "FeaturePyramidNetworks.min_level": .used,
    "FeaturePyramidNetworks.max_level": .used,
    "FeaturePyramidNetworks.additional_layer_depth": .used,

    // hyperparams.proto (the feature extractor's and the box predictor's)
    "Hyperparams.op": enumeration("CONV", "the hyperparameters apply to convolutions"),
    "Hyperparams.regularizer": .used,
    "Hyperparams.initializer": .used,
    "Hyperparams.activation": enumeration("RELU_6", "every convolution followed by batch norm applies relu6 (spec 3.1)"),
    "Hyperparams.batch_norm": .used,
    "Hyperparams.group_norm": .refused(reason: "group normalization is not implemented; use batch_norm"),
    "Hyperparams.regularize_depthwise": .ignored(reason: "there are no depthwise convolutions (use_depthwise must be false)"),
    "Regularizer.l2_regularizer": .used,
    "Regularizer.l1_regularizer": .refused(reason: "only l2_regularizer is implemented"),
    "L2Regularizer.weight": .used,
    "TruncatedNormalInitializer.mean": float(0, "the backbone and FPN initializer is truncated_normal(0, 0.03)"),
    "TruncatedNormalInitializer.stddev": float(0.03, "the backbone and FPN initializer is truncated_normal(0, 0.03)"),
    "RandomNormalInitializer.mean": float(0, "the box predictor initializer is random_normal(0, 0.01)"),
    "RandomNormalInitializer.stddev": float(0.01, "the box predictor initializer is random_normal(0, 0.01)"),
    "BatchNorm.decay": .used,
    "BatchNorm.center": bool(true, "batch norm always has beta"),
    "BatchNorm.scale": bool(true, "batch norm always has gamma"),
    "BatchNorm.epsilon": .used,
    "BatchNorm.train": bool(true, "batch norm trains on batch statistics (spec 3.6)"),

    // box_coder.proto, matcher.proto, region_similarity_calculator.proto
    "BoxCoder.faster_rcnn_box_coder": .used,
    "BoxCoder.mean_stddev_box_coder": .refused(reason: "only faster_rcnn_box_coder is implemented"),
    "BoxCoder.square_box_coder": .refused(reason: "only faster_rcnn_box_coder is implemented"),
    "BoxCoder.keypoint_box_coder": .refused(reason: "only faster_rcnn_box_coder is implemented"),
    "FasterRcnnBoxCoder.y_scale": .used,
    "FasterRcnnBoxCoder.x_scale": .used,
    "FasterRcnnBoxCoder.height_scale": .used,
    "FasterRcnnBoxCoder.width_scale": .used,
    "Matcher.argmax_matcher": .used,
    "Matcher.bipartite_matcher": .refused(reason: "only argmax_matcher is implemented"),
    "ArgMaxMatcher.matched_threshold": .used,
    "ArgMaxMatcher.unmatched_threshold": .used,
    "ArgMaxMatcher.ignore_thresholds": .used,
    "ArgMaxMatcher.negatives_lower_than_unmatched": .used,
    "ArgMaxMatcher.force_match_for_each_row": .used,
    "ArgMaxMatcher.use_matmul_gather": .ignored(reason: "a one-hot matmul gather gives the same result as a plain gather"),
    "RegionSimilarityCalculator.iou_similarity": .used,
    "RegionSimilarityCalculator.ioa_similarity": .refused(reason: "only iou_similarity is implemented"),
    "RegionSimilarityCalculator.neg_sq_dist_similarity": .refused(reason: "only iou_similarity is implemented"),
    "RegionSimilarityCalculator.thresholded_iou_similarity": .refused(reason: "only iou_similarity is implemented"),

    // box_predictor.proto
    "BoxPredictor.weight_shared_convolutional_box_predictor": .used,
    "BoxPredictor.convolutional_box_predictor": .refused(reason: "only weight_shared_convolutional_box_predictor is implemented"),
    "BoxPredictor.mask_rcnn_box_predictor": .refused(reason: "only weight_shared_convolutional_box_predictor is implemented"),
    "BoxPredictor.rfcn_box_predictor": .refused(reason: "only weight_shared_convolutional_box_predictor is implemented"),
    "WeightSharedConvolutionalBoxPredictor.conv_hyperparams": .used,
    "WeightSharedConvolutionalBoxPredictor.num_layers_before_predictor": .used,
    "WeightSharedConvolutionalBoxPredictor.depth": .used,
    "WeightSharedConvolutionalBoxPredictor.kernel_size": .requires(
      { v in if case .int(let k) = v { return k > 0 && k % 2 == 1 } else { return false } },
      { v in "kernel size \(v) must be odd and positive" }),
    "WeightSharedConvolutionalBoxPredictor.box_code_size": .requires(.int(4), "boxes are coded as [ty, tx, th, tw]"),
    "WeightSharedConvolutionalBoxPredictor.class_prediction_bias_init": .used,
    "WeightSharedConvolutionalBoxPredictor.use_dropout": bool(false, "no dropout in the box predictor"),
    "WeightSharedConvolutionalBoxPredictor.dropout_keep_probability": .ignored(reason: "only read with use_dropout, which must be false"),
    "WeightSharedConvolutionalBoxPredictor.share_prediction_tower": bool(false, "the box and class towers have separate weights"),
    "WeightSharedConvolutionalBoxPredictor.use_depthwise": bool(false, "no depthwise convolutions"),
    "WeightSharedConvolutionalBoxPredictor.score_converter": enumeration("IDENTITY",
      "the head outputs logits; post_processing.score_converter applies the sigmoid"),
    "WeightSharedConvolutionalBoxPredictor.box_encodings_clip_range": .refused(reason:
      "clipping box encodings is not implemented; remove box_encodings_clip_range"),

    // anchor_generator.proto, multiscale_anchor_generator.proto
    "AnchorGenerator.multiscale_anchor_generator": .used,
    "AnchorGenerator.grid_anchor_generator": .refused(reason: "only multiscale_anchor_generator is implemented"),
    "AnchorGenerator.ssd_anchor_generator": .refused(reason: "only multiscale_anchor_generator is implemented"),
    "MultiscaleAnchorGenerator.min_level": .used,
    "MultiscaleAnchorGenerator.max_level": .used,
    "MultiscaleAnchorGenerator.anchor_scale": .used,
    "MultiscaleAnchorGenerator.aspect_ratios": .used,
    "MultiscaleAnchorGenerator.scales_per_octave": .used,
    "MultiscaleAnchorGenerator.normalize_coordinates": bool(true, "anchors are in normalized coordinates"),

    // post_processing.proto
    "PostProcessing.batch_non_max_suppression": .used,
    "PostProcessing.score_converter": enumeration("SIGMOID", "scores are sigmoid(logit / logit_scale)"),
    "PostProcessing.logit_scale": .used,
    "BatchNonMaxSuppression.score_threshold": .used,
    "BatchNonMaxSuppression.iou_threshold": .used,
    "BatchNonMaxSuppression.max_detections_per_class": .used,
    "BatchNonMaxSuppression.max_total_detections": .used,
    "BatchNonMaxSuppression.use_static_shapes": bool(false,
      "zero-area boxes are removed after clipping, as the dynamic-shape NMS does (spec 8)"),

    // losses.proto
    "Loss.localization_loss": .used,
    "Loss.classification_loss": .used,
    "Loss.hard_example_miner": .refused(reason: "hard example mining is not implemented; remove it"),
    "Loss.classification_weight": .used,
    "Loss.localization_weight": .used,
    "Loss.random_example_sampler": .refused(reason: "random example sampling is not implemented; remove it"),
    "Loss.equalization_loss": .refused(reason: "the equalization loss is not implemented; remove it"),
    "Loss.expected_loss_weights": enumeration("NONE", "every anchor's loss has weight 1"),
    "Loss.min_num_negative_samples": .ignored(reason: "only read with expected_loss_weights, which must be NONE"),
    "Loss.desired_negative_sampling_ratio": .ignored(reason: "only read with expected_loss_weights, which must be NONE"),
    "LocalizationLoss.weighted_smooth_l1": .used,
    "LocalizationLoss.weighted_l2": .refused(reason: "only weighted_smooth_l1 is implemented"),
    "LocalizationLoss.weighted_iou": .refused(reason: "only weighted_smooth_l1 is implemented"),
    "WeightedSmoothL1LocalizationLoss.anchorwise_output": .ignored(reason: "the fork's losses_builder does not read it"),
    "WeightedSmoothL1LocalizationLoss.delta": .used,
    "ClassificationLoss.weighted_sigmoid_focal": .used,
    "ClassificationLoss.weighted_sigmoid": .refused(reason: "only weighted_sigmoid_focal is implemented"),
    "ClassificationLoss.weighted_softmax": .refused(reason: "only weighted_sigmoid_focal is implemented"),
    "ClassificationLoss.weighted_logits_softmax": .refused(reason: "only weighted_sigmoid_focal is implemented"),
    "ClassificationLoss.bootstrapped_sigmoid": .refused(reason: "only weighted_sigmoid_focal is implemented"),
    "SigmoidFocalClassificationLoss.anchorwise_output": .ignored(reason: "the fork's losses_builder does not read it"),
    "SigmoidFocalClassificationLoss.gamma": .used,
    "SigmoidFocalClassificationLoss.alpha": .used { v in
      v.isSet ? nil : "missing; focal loss without alpha is not implemented; set alpha (SSD320: 0.25)"
    },

    // train.proto
    "TrainConfig.batch_size": .used,
    "TrainConfig.data_augmentation_options": .used,
    "TrainConfig.sync_replicas": .ignored(reason: legacyTrainer),
    "TrainConfig.keep_checkpoint_every_n_hours": .requires(.float(10000),
      "checkpoints are kept by --keep_checkpoint_max only; remove keep_checkpoint_every_n_hours"),
    "TrainConfig.optimizer": .used,
    "TrainConfig.gradient_clipping_by_norm": .used,
    "TrainConfig.fine_tune_checkpoint": .used,
    "TrainConfig.fine_tune_checkpoint_type": oneOf(["", "classification", "detection"],
                                                   "fine_tune_checkpoint_type must be one of"),
    "TrainConfig.from_detection_checkpoint": .used,
    "TrainConfig.load_all_detection_checkpoint_vars": .used,
    "TrainConfig.num_steps": .used,
    "TrainConfig.startup_delay_steps": .ignored(reason: legacyTrainer),
    "TrainConfig.bias_grad_multiplier": .ignored(reason: "used only by the legacy train.py trainer; model_main.py does not read it"),
    "TrainConfig.update_trainable_variables": .used,
    "TrainConfig.freeze_variables": .used,
    "TrainConfig.replicas_to_aggregate": .ignored(reason: legacyTrainer),
    "TrainConfig.batch_queue_capacity": .ignored(reason: "used only by the legacy train.py trainer's input queues"),
    "TrainConfig.num_batch_queue_threads": .ignored(reason: "used only by the legacy train.py trainer's input queues"),
    "TrainConfig.prefetch_queue_capacity": .ignored(reason: "used only by the legacy train.py trainer's input queues"),
    "TrainConfig.merge_multiple_label_boxes": bool(false, "boxes are not merged"),
    "TrainConfig.use_multiclass_scores": bool(false, "class targets come from the labels"),
    "TrainConfig.add_regularization_loss": .used,
    "TrainConfig.max_number_of_boxes": .ignored(reason:
      "deprecated; train_input_reader.max_number_of_boxes (default 100) sets the ground-truth padding"),
    "TrainConfig.unpad_groundtruth_tensors": .ignored(reason:
      "padded ground-truth rows have weight 0 and never match, so padded and unpadded ground truth give the same targets (spec 5)"),
    "TrainConfig.retain_original_images": .ignored(reason: visualization),
    "TrainConfig.use_bfloat16": bool(false, "training is float32"),
    "TrainConfig.summarize_gradients": .ignored(reason: "gradient summaries for TensorBoard are not written"),

    // preprocessor.proto: the augmentations the input pipeline implements
    "PreprocessingStep.random_horizontal_flip": .used,
    "PreprocessingStep.random_crop_image": .used,
    "PreprocessingStep.random_adjust_brightness": .used,
    "PreprocessingStep.random_adjust_contrast": .used,
    "PreprocessingStep.random_adjust_hue": .used,
    "PreprocessingStep.random_adjust_saturation": .used,
    "PreprocessingStep.random_distort_color": .used,
    "PreprocessingStep.normalize_image": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_pixel_value_scale": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_image_scale": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_rgb_to_gray": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_jitter_boxes": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_pad_image": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_crop_pad_image": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_crop_to_aspect_ratio": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_black_patches": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_resize_method": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.scale_boxes_to_pixel_coordinates": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.resize_image": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.subtract_channel_mean": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.ssd_random_crop": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.ssd_random_crop_pad": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.ssd_random_crop_fixed_aspect_ratio": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.ssd_random_crop_pad_fixed_aspect_ratio": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_vertical_flip": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.random_rotation90": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.rgb_to_gray": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "PreprocessingStep.convert_class_logits_to_softmax": .refused(reason: "this augmentation is not implemented; remove it from the config"),
    "RandomHorizontalFlip.keypoint_flip_permutation": .used { v in
      v.values.isEmpty ? nil : "keypoint flip permutations are not supported (no keypoints); remove it"
    },
    "RandomCropImage.min_object_covered": .used,
    "RandomCropImage.min_aspect_ratio": .used,
    "RandomCropImage.max_aspect_ratio": .used,
    "RandomCropImage.min_area": .used,
    "RandomCropImage.max_area": .used,
    "RandomCropImage.overlap_thresh": .used,
    "RandomCropImage.clip_boxes": .used,
    "RandomCropImage.random_coef": .used,
    "RandomAdjustBrightness.max_delta": .used,
    "RandomAdjustContrast.min_delta": .used,
    "RandomAdjustContrast.max_delta": .used,
    "RandomAdjustHue.max_delta": .used,
    "RandomAdjustSaturation.min_delta": .used,
    "RandomAdjustSaturation.max_delta": .used,
    "RandomDistortColor.color_ordering": .used,

    // optimizer.proto
    "Optimizer.momentum_optimizer": .used,
    "Optimizer.rms_prop_optimizer": .refused(reason: "only momentum_optimizer is implemented"),
    "Optimizer.adam_optimizer": .refused(reason: "only momentum_optimizer is implemented"),
    "Optimizer.use_moving_average": bool(false, "moving averages of weights; its proto default is true, so set it to false"),
    "Optimizer.moving_average_decay": .ignored(reason: "only read with use_moving_average, which must be false"),
    "MomentumOptimizer.learning_rate": .used,
    "MomentumOptimizer.momentum_optimizer_value": .used,
    "LearningRate.cosine_decay_learning_rate": .used,
    "LearningRate.constant_learning_rate": .refused(reason: "only cosine_decay_learning_rate is implemented"),
    "LearningRate.exponential_decay_learning_rate": .refused(reason: "only cosine_decay_learning_rate is implemented"),
    "LearningRate.manual_step_learning_rate": .refused(reason: "only cosine_decay_learning_rate is implemented"),
    "CosineDecayLearningRate.learning_rate_base": .used,
    "CosineDecayLearningRate.total_steps": .used,
    "CosineDecayLearningRate.warmup_learning_rate": .used,
    "CosineDecayLearningRate.warmup_steps": .used,
    "CosineDecayLearningRate.hold_base_rate_steps": .used,

    // eval.proto
    "EvalConfig.batch_size": .ignored(reason: "--eval_batch_size sets the inference batch; results do not depend on it"),
    "EvalConfig.num_visualizations": .ignored(reason: visualization),
    "EvalConfig.num_examples": .ignored(reason: "model_main.py evaluates the whole eval input once (steps=None)"),
    "EvalConfig.eval_interval_secs": .ignored(reason:
      "model_main.py's continuous evaluation polls every 180 s whatever it says; --eval_poll_secs sets it here"),
    "EvalConfig.max_evals": .ignored(reason: legacyEval),
    "EvalConfig.save_graph": .ignored(reason: legacyEval),
    "EvalConfig.visualization_export_dir": .ignored(reason: legacyEval),
    "EvalConfig.eval_master": .ignored(reason: legacyEval),
    "EvalConfig.metrics_set": .used { v in
      let bad = v.values.first { $0 != .string("coco_detection_metrics") }
      return bad.map { "\($0) is not implemented; the only metrics set is coco_detection_metrics" }
    },
    "EvalConfig.export_path": .ignored(reason: legacyEval),
    "EvalConfig.ignore_groundtruth": bool(false, "evaluation always scores against ground truth"),
    "EvalConfig.use_moving_averages": bool(false, "there are no moving averages of weights"),
    "EvalConfig.eval_instance_masks": bool(false, "there are no masks"),
    "EvalConfig.min_score_threshold": .ignored(reason: visualization),
    "EvalConfig.max_num_boxes_to_visualize": .ignored(reason: visualization),
    "EvalConfig.skip_scores": .ignored(reason: legacyEval),
    "EvalConfig.skip_labels": .ignored(reason: legacyEval),
    "EvalConfig.visualize_groundtruth_boxes": .ignored(reason: legacyEval),
    "EvalConfig.groundtruth_box_visualization_color": .ignored(reason: legacyEval),
    "EvalConfig.keep_image_id_for_visualization_export": .ignored(reason: legacyEval),
    "EvalConfig.retain_original_images": .ignored(reason: visualization),
    "EvalConfig.include_metrics_per_category": .used,

    // input_reader.proto (train and eval readers; see pathRules for the differences)
    "InputReader.name": .ignored(reason: "model_main.py names evaluations validation_data or training_data, whatever the reader's name"),
    "InputReader.label_map_path": .used,
    "InputReader.queue_capacity": .ignored(reason: deprecatedReader),
    "InputReader.min_after_dequeue": .ignored(reason: deprecatedReader),
    "InputReader.prefetch_size": .ignored(reason: deprecatedReader),
    "InputReader.num_parallel_map_calls": .ignored(reason: deprecatedReader),
    "InputReader.num_additional_channels": .requires(.int(0), "images are RGB"),
    "InputReader.num_keypoints": .requires(.uint(0), "there are no keypoints"),
    "InputReader.max_number_of_boxes": .used,
    "InputReader.load_instance_masks": bool(false, "there are no masks"),
    "InputReader.mask_type": .ignored(reason: "only read with load_instance_masks, which must be false"),
    "InputReader.use_display_name": .ignored(reason:
      "class texts are looked up among the label map's names and display names alike (docs/compatibility.md)"),
    "InputReader.tf_record_input_reader": .used,
    "InputReader.external_input_reader": .refused(reason: "only tf_record_input_reader is implemented"),
    "TFRecordInputReader.input_path": .used,
  ]
}
