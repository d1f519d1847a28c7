// The message and enum types of the TensorFlow Object Detection API's `protos/*.proto` as
// NVIDIA's SSD320 v1.2 fork (DeepLearningExamples TensorFlow/Detection/SSD) has them: names,
// numbers, labels, types, `[default = ...]`, oneofs and `deprecated` flags. Nested types are
// qualified with their parent (`Ssd.MaskHead`). Root: `TrainEvalPipelineConfig`
// (pipeline.proto); `StringIntLabelMap` (label maps) is included too.
// Checked field by field against a descriptor set compiled from those .proto files.

extension ProtoSchema {
  /// The OD API pipeline.config schema (root `TrainEvalPipelineConfig`).
  public static let objectDetection = ProtoSchema(
    root: "TrainEvalPipelineConfig", messages: objectDetectionMessages, enums: objectDetectionEnums)

  /// The label-map schema (root `StringIntLabelMap`, `item { name id display_name }`).
  public static let labelMap = ProtoSchema(
    root: "StringIntLabelMap", messages: objectDetectionMessages, enums: objectDetectionEnums)
}

let objectDetectionEnums: [ProtoEnumSchema] = [
    ProtoEnumSchema("LVISFrequency", [("UNSPECIFIED", 0), ("FREQUENT", 1), ("COMMON", 2), ("RARE", 3)]),
    ProtoEnumSchema("InstanceMaskType", [("DEFAULT", 0), ("NUMERICAL_MASKS", 1), ("PNG_MASKS", 2)]),
    ProtoEnumSchema("ResizeType", [("BILINEAR", 0), ("NEAREST_NEIGHBOR", 1), ("BICUBIC", 2), ("AREA", 3)]),
    ProtoEnumSchema("WeightSharedConvolutionalBoxPredictor.ScoreConverter", [("IDENTITY", 0), ("SIGMOID", 1)]),
    ProtoEnumSchema("Hyperparams.Op", [("CONV", 1), ("FC", 2)]),
    ProtoEnumSchema("Hyperparams.Activation", [("NONE", 0), ("RELU", 1), ("RELU_6", 2)]),
    ProtoEnumSchema("VarianceScalingInitializer.Mode", [("FAN_IN", 0), ("FAN_OUT", 1), ("FAN_AVG", 2)]),
    ProtoEnumSchema("Loss.ExpectedLossWeights", [("NONE", 0), ("EXPECTED_SAMPLING", 1), ("REWEIGHTING_UNMATCHED_ANCHORS", 2)]),
    ProtoEnumSchema("HardExampleMiner.LossType", [("BOTH", 0), ("CLASSIFICATION", 1), ("LOCALIZATION", 2)]),
    ProtoEnumSchema("PostProcessing.ScoreConverter", [("IDENTITY", 0), ("SIGMOID", 1), ("SOFTMAX", 2)]),
    ProtoEnumSchema("ResizeImage.Method", [("AREA", 1), ("BICUBIC", 2), ("BILINEAR", 3), ("NEAREST_NEIGHBOR", 4)]),]

let objectDetectionMessages: [ProtoMessageSchema] = [
    ProtoMessageSchema("TrainEvalPipelineConfig", [
      opt("model", 1, msg("DetectionModel")),
      opt("train_config", 2, msg("TrainConfig")),
      opt("train_input_reader", 3, msg("InputReader")),
      opt("eval_config", 4, msg("EvalConfig")),
      rep("eval_input_reader", 5, msg("InputReader")),
      opt("graph_rewriter", 6, msg("GraphRewriter"))
    ]),
    ProtoMessageSchema("DetectionModel", [
      one("faster_rcnn", 1, msg("FasterRcnn"), oneof: "model"),
      one("ssd", 2, msg("Ssd"), oneof: "model")
    ]),
    ProtoMessageSchema("Ssd.MaskHead", [
      opt("mask_height", 1, .int32, 15),
      opt("mask_width", 2, .int32, 15),
      opt("masks_are_class_agnostic", 3, .bool, true),
      opt("mask_prediction_conv_depth", 4, .int32, 256),
      opt("mask_prediction_num_conv_layers", 5, .int32, 2),
      opt("convolve_then_upsample_masks", 6, .bool, false),
      opt("mask_loss_weight", 7, .float, 5.0),
      opt("mask_loss_sample_size", 8, .int32, 16),
      opt("conv_hyperparams", 9, msg("Hyperparams")),
      opt("initial_crop_size", 10, .int32, 15)
    ]),
    ProtoMessageSchema("Ssd", [
      opt("num_classes", 1, .int32),
      opt("image_resizer", 2, msg("ImageResizer")),
      opt("feature_extractor", 3, msg("SsdFeatureExtractor")),
      opt("box_coder", 4, msg("BoxCoder")),
      opt("matcher", 5, msg("Matcher")),
      opt("similarity_calculator", 6, msg("RegionSimilarityCalculator")),
      opt("encode_background_as_zeros", 12, .bool, false),
      opt("negative_class_weight", 13, .float, 1.0),
      opt("box_predictor", 7, msg("BoxPredictor")),
      opt("anchor_generator", 8, msg("AnchorGenerator")),
      opt("post_processing", 9, msg("PostProcessing")),
      opt("normalize_loss_by_num_matches", 10, .bool, true),
      opt("normalize_loc_loss_by_codesize", 14, .bool, false),
      opt("loss", 11, msg("Loss")),
      opt("freeze_batchnorm", 16, .bool, false),
      opt("inplace_batchnorm_update", 15, .bool, false),
      opt("add_background_class", 21, .bool, true),
      opt("explicit_background_class", 24, .bool, false),
      opt("use_confidences_as_targets", 22, .bool, false),
      opt("implicit_example_weight", 23, .float, 1.0),
      opt("mask_head_config", 25, msg("Ssd.MaskHead"))
    ]),
    ProtoMessageSchema("SsdFeatureExtractor", [
      opt("type", 1, .string),
      opt("depth_multiplier", 2, .float, 1.0),
      opt("min_depth", 3, .int32, 16),
      opt("conv_hyperparams", 4, msg("Hyperparams")),
      opt("override_base_feature_extractor_hyperparams", 9, .bool, false),
      opt("pad_to_multiple", 5, .int32, 1),
      opt("use_explicit_padding", 7, .bool, false),
      opt("use_depthwise", 8, .bool, false),
      opt("fpn", 10, msg("FeaturePyramidNetworks"))
    ]),
    ProtoMessageSchema("FeaturePyramidNetworks", [
      opt("min_level", 1, .int32, 3),
      opt("max_level", 2, .int32, 7),
      opt("additional_layer_depth", 3, .int32, 256)
    ]),
    ProtoMessageSchema("FasterRcnn", [
      opt("number_of_stages", 1, .int32, 2),
      opt("num_classes", 3, .int32),
      opt("image_resizer", 4, msg("ImageResizer")),
      opt("feature_extractor", 5, msg("FasterRcnnFeatureExtractor")),
      opt("first_stage_anchor_generator", 6, msg("AnchorGenerator")),
      opt("first_stage_atrous_rate", 7, .int32, 1),
      opt("first_stage_box_predictor_conv_hyperparams", 8, msg("Hyperparams")),
      opt("first_stage_box_predictor_kernel_size", 9, .int32, 3),
      opt("first_stage_box_predictor_depth", 10, .int32, 512),
      opt("first_stage_minibatch_size", 11, .int32, 256),
      opt("first_stage_positive_balance_fraction", 12, .float, 0.5),
      opt("first_stage_nms_score_threshold", 13, .float, 0.0),
      opt("first_stage_nms_iou_threshold", 14, .float, 0.7),
      opt("first_stage_max_proposals", 15, .int32, 300),
      opt("first_stage_localization_loss_weight", 16, .float, 1.0),
      opt("first_stage_objectness_loss_weight", 17, .float, 1.0),
      opt("initial_crop_size", 18, .int32),
      opt("maxpool_kernel_size", 19, .int32),
      opt("maxpool_stride", 20, .int32),
      opt("second_stage_box_predictor", 21, msg("BoxPredictor")),
      opt("second_stage_batch_size", 22, .int32, 64),
      opt("second_stage_balance_fraction", 23, .float, 0.25),
      opt("second_stage_post_processing", 24, msg("PostProcessing")),
      opt("second_stage_localization_loss_weight", 25, .float, 1.0),
      opt("second_stage_classification_loss_weight", 26, .float, 1.0),
      opt("second_stage_mask_prediction_loss_weight", 27, .float, 1.0),
      opt("hard_example_miner", 28, msg("HardExampleMiner")),
      opt("second_stage_classification_loss", 29, msg("ClassificationLoss")),
      opt("inplace_batchnorm_update", 30, .bool, false),
      opt("use_matmul_crop_and_resize", 31, .bool, false),
      opt("clip_anchors_to_image", 32, .bool, false),
      opt("use_matmul_gather_in_matcher", 33, .bool, false),
      opt("use_static_balanced_label_sampler", 34, .bool, false),
      opt("use_static_shapes", 35, .bool, false),
      opt("resize_masks", 36, .bool, true),
      opt("use_static_shapes_for_eval", 37, .bool, false)
    ]),
    ProtoMessageSchema("FasterRcnnFeatureExtractor", [
      opt("type", 1, .string),
      opt("first_stage_features_stride", 2, .int32, 16),
      opt("batch_norm_trainable", 3, .bool, false)
    ]),
    ProtoMessageSchema("TrainConfig", [
      opt("batch_size", 1, .uint32, 32),
      rep("data_augmentation_options", 2, msg("PreprocessingStep")),
      opt("sync_replicas", 3, .bool, false),
      opt("keep_checkpoint_every_n_hours", 4, .float, 10000.0),
      opt("optimizer", 5, msg("Optimizer")),
      opt("gradient_clipping_by_norm", 6, .float, 0.0),
      opt("fine_tune_checkpoint", 7, .string, ""),
      opt("fine_tune_checkpoint_type", 22, .string, ""),
      opt("from_detection_checkpoint", 8, .bool, false, deprecated: true),
      opt("load_all_detection_checkpoint_vars", 19, .bool, false),
      opt("num_steps", 9, .uint32, 0),
      opt("startup_delay_steps", 10, .float, 15.0),
      opt("bias_grad_multiplier", 11, .float, 0.0),
      rep("update_trainable_variables", 25, .string),
      rep("freeze_variables", 12, .string),
      opt("replicas_to_aggregate", 13, .int32, 1),
      opt("batch_queue_capacity", 14, .int32, 150),
      opt("num_batch_queue_threads", 15, .int32, 8),
      opt("prefetch_queue_capacity", 16, .int32, 5),
      opt("merge_multiple_label_boxes", 17, .bool, false),
      opt("use_multiclass_scores", 24, .bool, false),
      opt("add_regularization_loss", 18, .bool, true),
      opt("max_number_of_boxes", 20, .int32, 100, deprecated: true),
      opt("unpad_groundtruth_tensors", 21, .bool, true),
      opt("retain_original_images", 23, .bool, false),
      opt("use_bfloat16", 26, .bool, false),
      opt("summarize_gradients", 27, .bool, false)
    ]),
    ProtoMessageSchema("EvalConfig", [
      opt("batch_size", 25, .uint32, 1),
      opt("num_visualizations", 1, .uint32, 10),
      opt("num_examples", 2, .uint32, 5000, deprecated: true),
      opt("eval_interval_secs", 3, .uint32, 300),
      opt("max_evals", 4, .uint32, 0, deprecated: true),
      opt("save_graph", 5, .bool, false),
      opt("visualization_export_dir", 6, .string, ""),
      opt("eval_master", 7, .string, ""),
      rep("metrics_set", 8, .string),
      opt("export_path", 9, .string, ""),
      opt("ignore_groundtruth", 10, .bool, false),
      opt("use_moving_averages", 11, .bool, false),
      opt("eval_instance_masks", 12, .bool, false),
      opt("min_score_threshold", 13, .float, 0.5),
      opt("max_num_boxes_to_visualize", 14, .int32, 20),
      opt("skip_scores", 15, .bool, false),
      opt("skip_labels", 16, .bool, false),
      opt("visualize_groundtruth_boxes", 17, .bool, false),
      opt("groundtruth_box_visualization_color", 18, .string, "black"),
      opt("keep_image_id_for_visualization_export", 19, .bool, false),
      opt("retain_original_images", 23, .bool, true),
      opt("include_metrics_per_category", 24, .bool, false)
    ]),
    ProtoMessageSchema("InputReader", [
      opt("name", 23, .string, ""),
      opt("label_map_path", 1, .string, ""),
      opt("shuffle", 2, .bool, true),
      opt("shuffle_buffer_size", 11, .uint32, 2048),
      opt("filenames_shuffle_buffer_size", 12, .uint32, 100),
      opt("num_epochs", 5, .uint32, 0),
      opt("sample_1_of_n_examples", 22, .uint32, 1),
      opt("num_readers", 6, .uint32, 64),
      opt("num_parallel_batches", 19, .uint32, 8),
      opt("num_prefetch_batches", 20, .int32, 2),
      opt("queue_capacity", 3, .uint32, 2000, deprecated: true),
      opt("min_after_dequeue", 4, .uint32, 1000, deprecated: true),
      opt("read_block_length", 15, .uint32, 32),
      opt("prefetch_size", 13, .uint32, 512, deprecated: true),
      opt("num_parallel_map_calls", 14, .uint32, 64, deprecated: true),
      opt("num_additional_channels", 18, .int32, 0),
      opt("num_keypoints", 16, .uint32, 0),
      opt("max_number_of_boxes", 21, .int32, 100),
      opt("load_instance_masks", 7, .bool, false),
      opt("mask_type", 10, enm("InstanceMaskType"), "NUMERICAL_MASKS"),
      opt("use_display_name", 17, .bool, false),
      one("tf_record_input_reader", 8, msg("TFRecordInputReader"), oneof: "input_reader"),
      one("external_input_reader", 9, msg("ExternalInputReader"), oneof: "input_reader")
    ]),
    ProtoMessageSchema("TFRecordInputReader", [
      rep("input_path", 1, .string)
    ]),
    ProtoMessageSchema("ExternalInputReader", []),
    ProtoMessageSchema("GraphRewriter", [
      opt("quantization", 1, msg("Quantization"))
    ]),
    ProtoMessageSchema("Quantization", [
      opt("delay", 1, .int32, 500000),
      opt("weight_bits", 2, .int32, 8),
      opt("activation_bits", 3, .int32, 8)
    ]),
    ProtoMessageSchema("ImageResizer", [
      one("keep_aspect_ratio_resizer", 1, msg("KeepAspectRatioResizer"), oneof: "image_resizer_oneof"),
      one("fixed_shape_resizer", 2, msg("FixedShapeResizer"), oneof: "image_resizer_oneof")
    ]),
    ProtoMessageSchema("KeepAspectRatioResizer", [
      opt("min_dimension", 1, .int32, 600),
      opt("max_dimension", 2, .int32, 1024),
      opt("resize_method", 3, enm("ResizeType"), "BILINEAR"),
      opt("pad_to_max_dimension", 4, .bool, false),
      opt("convert_to_grayscale", 5, .bool, false),
      rep("per_channel_pad_value", 6, .float)
    ]),
    ProtoMessageSchema("FixedShapeResizer", [
      opt("height", 1, .int32, 300),
      opt("width", 2, .int32, 300),
      opt("resize_method", 3, enm("ResizeType"), "BILINEAR"),
      opt("convert_to_grayscale", 4, .bool, false)
    ]),
    ProtoMessageSchema("AnchorGenerator", [
      one("grid_anchor_generator", 1, msg("GridAnchorGenerator"), oneof: "anchor_generator_oneof"),
      one("ssd_anchor_generator", 2, msg("SsdAnchorGenerator"), oneof: "anchor_generator_oneof"),
      one("multiscale_anchor_generator", 3, msg("MultiscaleAnchorGenerator"), oneof: "anchor_generator_oneof")
    ]),
    ProtoMessageSchema("MultiscaleAnchorGenerator", [
      opt("min_level", 1, .int32, 3),
      opt("max_level", 2, .int32, 7),
      opt("anchor_scale", 3, .float, 4.0),
      rep("aspect_ratios", 4, .float),
      opt("scales_per_octave", 5, .int32, 2),
      opt("normalize_coordinates", 6, .bool, true)
    ]),
    ProtoMessageSchema("GridAnchorGenerator", [
      opt("height", 1, .int32, 256),
      opt("width", 2, .int32, 256),
      opt("height_stride", 3, .int32, 16),
      opt("width_stride", 4, .int32, 16),
      opt("height_offset", 5, .int32, 0),
      opt("width_offset", 6, .int32, 0),
      rep("scales", 7, .float),
      rep("aspect_ratios", 8, .float)
    ]),
    ProtoMessageSchema("SsdAnchorGenerator", [
      opt("num_layers", 1, .int32, 6),
      opt("min_scale", 2, .float, 0.2),
      opt("max_scale", 3, .float, 0.95),
      rep("scales", 12, .float),
      rep("aspect_ratios", 4, .float),
      opt("interpolated_scale_aspect_ratio", 13, .float, 1.0),
      opt("reduce_boxes_in_lowest_layer", 5, .bool, true),
      opt("base_anchor_height", 6, .float, 1.0),
      opt("base_anchor_width", 7, .float, 1.0),
      rep("height_stride", 8, .int32),
      rep("width_stride", 9, .int32),
      rep("height_offset", 10, .int32),
      rep("width_offset", 11, .int32)
    ]),
    ProtoMessageSchema("BoxPredictor", [
      one("convolutional_box_predictor", 1, msg("ConvolutionalBoxPredictor"), oneof: "box_predictor_oneof"),
      one("mask_rcnn_box_predictor", 2, msg("MaskRCNNBoxPredictor"), oneof: "box_predictor_oneof"),
      one("rfcn_box_predictor", 3, msg("RfcnBoxPredictor"), oneof: "box_predictor_oneof"),
      one("weight_shared_convolutional_box_predictor", 4, msg("WeightSharedConvolutionalBoxPredictor"), oneof: "box_predictor_oneof")
    ]),
    ProtoMessageSchema("ConvolutionalBoxPredictor", [
      opt("conv_hyperparams", 1, msg("Hyperparams")),
      opt("min_depth", 2, .int32, 0),
      opt("max_depth", 3, .int32, 0),
      opt("num_layers_before_predictor", 4, .int32, 0),
      opt("use_dropout", 5, .bool, true),
      opt("dropout_keep_probability", 6, .float, 0.8),
      opt("kernel_size", 7, .int32, 1),
      opt("box_code_size", 8, .int32, 4),
      opt("apply_sigmoid_to_scores", 9, .bool, false),
      opt("class_prediction_bias_init", 10, .float, 0.0),
      opt("use_depthwise", 11, .bool, false)
    ]),
    ProtoMessageSchema("WeightSharedConvolutionalBoxPredictor.BoxEncodingsClipRange", [
      opt("min", 1, .float),
      opt("max", 2, .float)
    ]),
    ProtoMessageSchema("WeightSharedConvolutionalBoxPredictor", [
      opt("conv_hyperparams", 1, msg("Hyperparams")),
      opt("num_layers_before_predictor", 4, .int32, 0),
      opt("depth", 2, .int32, 0),
      opt("kernel_size", 7, .int32, 3),
      opt("box_code_size", 8, .int32, 4),
      opt("class_prediction_bias_init", 10, .float, 0.0),
      opt("use_dropout", 11, .bool, false),
      opt("dropout_keep_probability", 12, .float, 0.8),
      opt("share_prediction_tower", 13, .bool, false),
      opt("use_depthwise", 14, .bool, false),
      opt("score_converter", 16, enm("WeightSharedConvolutionalBoxPredictor.ScoreConverter"), "IDENTITY"),
      opt("box_encodings_clip_range", 17, msg("WeightSharedConvolutionalBoxPredictor.BoxEncodingsClipRange"))
    ]),
    ProtoMessageSchema("MaskRCNNBoxPredictor", [
      opt("fc_hyperparams", 1, msg("Hyperparams")),
      opt("use_dropout", 2, .bool, false),
      opt("dropout_keep_probability", 3, .float, 0.5),
      opt("box_code_size", 4, .int32, 4),
      opt("conv_hyperparams", 5, msg("Hyperparams")),
      opt("predict_instance_masks", 6, .bool, false),
      opt("mask_prediction_conv_depth", 7, .int32, 256),
      opt("predict_keypoints", 8, .bool, false),
      opt("mask_height", 9, .int32, 15),
      opt("mask_width", 10, .int32, 15),
      opt("mask_prediction_num_conv_layers", 11, .int32, 2),
      opt("masks_are_class_agnostic", 12, .bool, false),
      opt("share_box_across_classes", 13, .bool, false),
      opt("convolve_then_upsample_masks", 14, .bool, false)
    ]),
    ProtoMessageSchema("RfcnBoxPredictor", [
      opt("conv_hyperparams", 1, msg("Hyperparams")),
      opt("num_spatial_bins_height", 2, .int32, 3),
      opt("num_spatial_bins_width", 3, .int32, 3),
      opt("depth", 4, .int32, 1024),
      opt("box_code_size", 5, .int32, 4),
      opt("crop_height", 6, .int32, 12),
      opt("crop_width", 7, .int32, 12)
    ]),
    ProtoMessageSchema("Hyperparams", [
      opt("op", 1, enm("Hyperparams.Op"), "CONV"),
      opt("regularizer", 2, msg("Regularizer")),
      opt("initializer", 3, msg("Initializer")),
      opt("activation", 4, enm("Hyperparams.Activation"), "RELU"),
      one("batch_norm", 5, msg("BatchNorm"), oneof: "normalizer_oneof"),
      one("group_norm", 7, msg("GroupNorm"), oneof: "normalizer_oneof"),
      opt("regularize_depthwise", 6, .bool, false)
    ]),
    ProtoMessageSchema("Regularizer", [
      one("l1_regularizer", 1, msg("L1Regularizer"), oneof: "regularizer_oneof"),
      one("l2_regularizer", 2, msg("L2Regularizer"), oneof: "regularizer_oneof")
    ]),
    ProtoMessageSchema("L1Regularizer", [
      opt("weight", 1, .float, 1.0)
    ]),
    ProtoMessageSchema("L2Regularizer", [
      opt("weight", 1, .float, 1.0)
    ]),
    ProtoMessageSchema("Initializer", [
      one("truncated_normal_initializer", 1, msg("TruncatedNormalInitializer"), oneof: "initializer_oneof"),
      one("variance_scaling_initializer", 2, msg("VarianceScalingInitializer"), oneof: "initializer_oneof"),
      one("random_normal_initializer", 3, msg("RandomNormalInitializer"), oneof: "initializer_oneof")
    ]),
    ProtoMessageSchema("TruncatedNormalInitializer", [
      opt("mean", 1, .float, 0.0),
      opt("stddev", 2, .float, 1.0)
    ]),
    ProtoMessageSchema("VarianceScalingInitializer", [
      opt("factor", 1, .float, 2.0),
      opt("uniform", 2, .bool, false),
      opt("mode", 3, enm("VarianceScalingInitializer.Mode"), "FAN_IN")
    ]),
    ProtoMessageSchema("RandomNormalInitializer", [
      opt("mean", 1, .float, 0.0),
      opt("stddev", 2, .float, 1.0)
    ]),
    ProtoMessageSchema("BatchNorm", [
      opt("decay", 1, .float, 0.999),
      opt("center", 2, .bool, true),
      opt("scale", 3, .bool, false),
      opt("epsilon", 4, .float, 0.001),
      opt("train", 5, .bool, true)
    ]),
    ProtoMessageSchema("GroupNorm", []),
    ProtoMessageSchema("Loss.EqualizationLoss", [
      opt("weight", 1, .float, 0.0),
      rep("exclude_prefixes", 2, .string)
    ]),
    ProtoMessageSchema("Loss", [
      opt("localization_loss", 1, msg("LocalizationLoss")),
      opt("classification_loss", 2, msg("ClassificationLoss")),
      opt("hard_example_miner", 3, msg("HardExampleMiner")),
      opt("classification_weight", 4, .float, 1.0),
      opt("localization_weight", 5, .float, 1.0),
      opt("random_example_sampler", 6, msg("RandomExampleSampler")),
      opt("equalization_loss", 7, msg("Loss.EqualizationLoss")),
      opt("expected_loss_weights", 18, enm("Loss.ExpectedLossWeights"), "NONE"),
      opt("min_num_negative_samples", 19, .float, 0.0),
      opt("desired_negative_sampling_ratio", 20, .float, 3.0)
    ]),
    ProtoMessageSchema("LocalizationLoss", [
      one("weighted_l2", 1, msg("WeightedL2LocalizationLoss"), oneof: "localization_loss"),
      one("weighted_smooth_l1", 2, msg("WeightedSmoothL1LocalizationLoss"), oneof: "localization_loss"),
      one("weighted_iou", 3, msg("WeightedIOULocalizationLoss"), oneof: "localization_loss")
    ]),
    ProtoMessageSchema("WeightedL2LocalizationLoss", [
      opt("anchorwise_output", 1, .bool, false)
    ]),
    ProtoMessageSchema("WeightedSmoothL1LocalizationLoss", [
      opt("anchorwise_output", 1, .bool, false),
      opt("delta", 2, .float, 1.0)
    ]),
    ProtoMessageSchema("WeightedIOULocalizationLoss", []),
    ProtoMessageSchema("ClassificationLoss", [
      one("weighted_sigmoid", 1, msg("WeightedSigmoidClassificationLoss"), oneof: "classification_loss"),
      one("weighted_softmax", 2, msg("WeightedSoftmaxClassificationLoss"), oneof: "classification_loss"),
      one("weighted_logits_softmax", 5, msg("WeightedSoftmaxClassificationAgainstLogitsLoss"), oneof: "classification_loss"),
      one("bootstrapped_sigmoid", 3, msg("BootstrappedSigmoidClassificationLoss"), oneof: "classification_loss"),
      one("weighted_sigmoid_focal", 4, msg("SigmoidFocalClassificationLoss"), oneof: "classification_loss")
    ]),
    ProtoMessageSchema("WeightedSigmoidClassificationLoss", [
      opt("anchorwise_output", 1, .bool, false)
    ]),
    ProtoMessageSchema("SigmoidFocalClassificationLoss", [
      opt("anchorwise_output", 1, .bool, false),
      opt("gamma", 2, .float, 2.0),
      opt("alpha", 3, .float)
    ]),
    ProtoMessageSchema("WeightedSoftmaxClassificationLoss", [
      opt("anchorwise_output", 1, .bool, false),
      opt("logit_scale", 2, .float, 1.0)
    ]),
    ProtoMessageSchema("WeightedSoftmaxClassificationAgainstLogitsLoss", [
      opt("anchorwise_output", 1, .bool, false),
      opt("logit_scale", 2, .float, 1.0)
    ]),
    ProtoMessageSchema("BootstrappedSigmoidClassificationLoss", [
      opt("alpha", 1, .float),
      opt("hard_bootstrap", 2, .bool, false),
      opt("anchorwise_output", 3, .bool, false)
    ]),
    ProtoMessageSchema("HardExampleMiner", [
      opt("num_hard_examples", 1, .int32, 64),
      opt("iou_threshold", 2, .float, 0.7),
      opt("loss_type", 3, enm("HardExampleMiner.LossType"), "BOTH"),
      opt("max_negatives_per_positive", 4, .int32, 0),
      opt("min_negatives_per_image", 5, .int32, 0)
    ]),
    ProtoMessageSchema("RandomExampleSampler", [
      opt("positive_sample_fraction", 1, .float, 0.01)
    ]),
    ProtoMessageSchema("Optimizer", [
      one("rms_prop_optimizer", 1, msg("RMSPropOptimizer"), oneof: "optimizer"),
      one("momentum_optimizer", 2, msg("MomentumOptimizer"), oneof: "optimizer"),
      one("adam_optimizer", 3, msg("AdamOptimizer"), oneof: "optimizer"),
      opt("use_moving_average", 4, .bool, true),
      opt("moving_average_decay", 5, .float, 0.9999)
    ]),
    ProtoMessageSchema("RMSPropOptimizer", [
      opt("learning_rate", 1, msg("LearningRate")),
      opt("momentum_optimizer_value", 2, .float, 0.9),
      opt("decay", 3, .float, 0.9),
      opt("epsilon", 4, .float, 1.0)
    ]),
    ProtoMessageSchema("MomentumOptimizer", [
      opt("learning_rate", 1, msg("LearningRate")),
      opt("momentum_optimizer_value", 2, .float, 0.9)
    ]),
    ProtoMessageSchema("AdamOptimizer", [
      opt("learning_rate", 1, msg("LearningRate"))
    ]),
    ProtoMessageSchema("LearningRate", [
      one("constant_learning_rate", 1, msg("ConstantLearningRate"), oneof: "learning_rate"),
      one("exponential_decay_learning_rate", 2, msg("ExponentialDecayLearningRate"), oneof: "learning_rate"),
      one("manual_step_learning_rate", 3, msg("ManualStepLearningRate"), oneof: "learning_rate"),
      one("cosine_decay_learning_rate", 4, msg("CosineDecayLearningRate"), oneof: "learning_rate")
    ]),
    ProtoMessageSchema("ConstantLearningRate", [
      opt("learning_rate", 1, .float, 0.002)
    ]),
    ProtoMessageSchema("ExponentialDecayLearningRate", [
      opt("initial_learning_rate", 1, .float, 0.002),
      opt("decay_steps", 2, .uint32, 4000000),
      opt("decay_factor", 3, .float, 0.95),
      opt("staircase", 4, .bool, true),
      opt("burnin_learning_rate", 5, .float, 0.0),
      opt("burnin_steps", 6, .uint32, 0),
      opt("min_learning_rate", 7, .float, 0.0)
    ]),
    ProtoMessageSchema("ManualStepLearningRate.LearningRateSchedule", [
      opt("step", 1, .uint32),
      opt("learning_rate", 2, .float, 0.002)
    ]),
    ProtoMessageSchema("ManualStepLearningRate", [
      opt("initial_learning_rate", 1, .float, 0.002),
      rep("schedule", 2, msg("ManualStepLearningRate.LearningRateSchedule")),
      opt("warmup", 3, .bool, false)
    ]),
    ProtoMessageSchema("CosineDecayLearningRate", [
      opt("learning_rate_base", 1, .float, 0.002),
      opt("total_steps", 2, .uint32, 4000000),
      opt("warmup_learning_rate", 3, .float, 0.0002),
      opt("warmup_steps", 4, .uint32, 10000),
      opt("hold_base_rate_steps", 5, .uint32, 0)
    ]),
    ProtoMessageSchema("BatchNonMaxSuppression", [
      opt("score_threshold", 1, .float, 0.0),
      opt("iou_threshold", 2, .float, 0.6),
      opt("max_detections_per_class", 3, .int32, 100),
      opt("max_total_detections", 5, .int32, 100),
      opt("use_static_shapes", 6, .bool, false)
    ]),
    ProtoMessageSchema("PostProcessing", [
      opt("batch_non_max_suppression", 1, msg("BatchNonMaxSuppression")),
      opt("score_converter", 2, enm("PostProcessing.ScoreConverter"), "IDENTITY"),
      opt("logit_scale", 3, .float, 1.0)
    ]),
    ProtoMessageSchema("Matcher", [
      one("argmax_matcher", 1, msg("ArgMaxMatcher"), oneof: "matcher_oneof"),
      one("bipartite_matcher", 2, msg("BipartiteMatcher"), oneof: "matcher_oneof")
    ]),
    ProtoMessageSchema("ArgMaxMatcher", [
      opt("matched_threshold", 1, .float, 0.5),
      opt("unmatched_threshold", 2, .float, 0.5),
      opt("ignore_thresholds", 3, .bool, false),
      opt("negatives_lower_than_unmatched", 4, .bool, true),
      opt("force_match_for_each_row", 5, .bool, false),
      opt("use_matmul_gather", 6, .bool, false)
    ]),
    ProtoMessageSchema("BipartiteMatcher", [
      opt("use_matmul_gather", 6, .bool, false)
    ]),
    ProtoMessageSchema("BoxCoder", [
      one("faster_rcnn_box_coder", 1, msg("FasterRcnnBoxCoder"), oneof: "box_coder_oneof"),
      one("mean_stddev_box_coder", 2, msg("MeanStddevBoxCoder"), oneof: "box_coder_oneof"),
      one("square_box_coder", 3, msg("SquareBoxCoder"), oneof: "box_coder_oneof"),
      one("keypoint_box_coder", 4, msg("KeypointBoxCoder"), oneof: "box_coder_oneof")
    ]),
    ProtoMessageSchema("FasterRcnnBoxCoder", [
      opt("y_scale", 1, .float, 10.0),
      opt("x_scale", 2, .float, 10.0),
      opt("height_scale", 3, .float, 5.0),
      opt("width_scale", 4, .float, 5.0)
    ]),
    ProtoMessageSchema("KeypointBoxCoder", [
      opt("num_keypoints", 1, .int32),
      opt("y_scale", 2, .float, 10.0),
      opt("x_scale", 3, .float, 10.0),
      opt("height_scale", 4, .float, 5.0),
      opt("width_scale", 5, .float, 5.0)
    ]),
    ProtoMessageSchema("MeanStddevBoxCoder", [
      opt("stddev", 1, .float, 0.01)
    ]),
    ProtoMessageSchema("SquareBoxCoder", [
      opt("y_scale", 1, .float, 10.0),
      opt("x_scale", 2, .float, 10.0),
      opt("length_scale", 3, .float, 5.0)
    ]),
    ProtoMessageSchema("RegionSimilarityCalculator", [
      one("neg_sq_dist_similarity", 1, msg("NegSqDistSimilarity"), oneof: "region_similarity"),
      one("iou_similarity", 2, msg("IouSimilarity"), oneof: "region_similarity"),
      one("ioa_similarity", 3, msg("IoaSimilarity"), oneof: "region_similarity"),
      one("thresholded_iou_similarity", 4, msg("ThresholdedIouSimilarity"), oneof: "region_similarity")
    ]),
    ProtoMessageSchema("NegSqDistSimilarity", []),
    ProtoMessageSchema("IouSimilarity", []),
    ProtoMessageSchema("IoaSimilarity", []),
    ProtoMessageSchema("ThresholdedIouSimilarity", [
      opt("iou_threshold", 1, .float, 0.5)
    ]),
    ProtoMessageSchema("PreprocessingStep", [
      one("normalize_image", 1, msg("NormalizeImage"), oneof: "preprocessing_step"),
      one("random_horizontal_flip", 2, msg("RandomHorizontalFlip"), oneof: "preprocessing_step"),
      one("random_pixel_value_scale", 3, msg("RandomPixelValueScale"), oneof: "preprocessing_step"),
      one("random_image_scale", 4, msg("RandomImageScale"), oneof: "preprocessing_step"),
      one("random_rgb_to_gray", 5, msg("RandomRGBtoGray"), oneof: "preprocessing_step"),
      one("random_adjust_brightness", 6, msg("RandomAdjustBrightness"), oneof: "preprocessing_step"),
      one("random_adjust_contrast", 7, msg("RandomAdjustContrast"), oneof: "preprocessing_step"),
      one("random_adjust_hue", 8, msg("RandomAdjustHue"), oneof: "preprocessing_step"),
      one("random_adjust_saturation", 9, msg("RandomAdjustSaturation"), oneof: "preprocessing_step"),
      one("random_distort_color", 10, msg("RandomDistortColor"), oneof: "preprocessing_step"),
      one("random_jitter_boxes", 11, msg("RandomJitterBoxes"), oneof: "preprocessing_step"),
      one("random_crop_image", 12, msg("RandomCropImage"), oneof: "preprocessing_step"),
      one("random_pad_image", 13, msg("RandomPadImage"), oneof: "preprocessing_step"),
      one("random_crop_pad_image", 14, msg("RandomCropPadImage"), oneof: "preprocessing_step"),
      one("random_crop_to_aspect_ratio", 15, msg("RandomCropToAspectRatio"), oneof: "preprocessing_step"),
      one("random_black_patches", 16, msg("RandomBlackPatches"), oneof: "preprocessing_step"),
      one("random_resize_method", 17, msg("RandomResizeMethod"), oneof: "preprocessing_step"),
      one("scale_boxes_to_pixel_coordinates", 18, msg("ScaleBoxesToPixelCoordinates"), oneof: "preprocessing_step"),
      one("resize_image", 19, msg("ResizeImage"), oneof: "preprocessing_step"),
      one("subtract_channel_mean", 20, msg("SubtractChannelMean"), oneof: "preprocessing_step"),
      one("ssd_random_crop", 21, msg("SSDRandomCrop"), oneof: "preprocessing_step"),
      one("ssd_random_crop_pad", 22, msg("SSDRandomCropPad"), oneof: "preprocessing_step"),
      one("ssd_random_crop_fixed_aspect_ratio", 23, msg("SSDRandomCropFixedAspectRatio"), oneof: "preprocessing_step"),
      one("ssd_random_crop_pad_fixed_aspect_ratio", 24, msg("SSDRandomCropPadFixedAspectRatio"), oneof: "preprocessing_step"),
      one("random_vertical_flip", 25, msg("RandomVerticalFlip"), oneof: "preprocessing_step"),
      one("random_rotation90", 26, msg("RandomRotation90"), oneof: "preprocessing_step"),
      one("rgb_to_gray", 27, msg("RGBtoGray"), oneof: "preprocessing_step"),
      one("convert_class_logits_to_softmax", 28, msg("ConvertClassLogitsToSoftmax"), oneof: "preprocessing_step")
    ]),
    ProtoMessageSchema("NormalizeImage", [
      opt("original_minval", 1, .float),
      opt("original_maxval", 2, .float),
      opt("target_minval", 3, .float, 0.0),
      opt("target_maxval", 4, .float, 1.0)
    ]),
    ProtoMessageSchema("RandomHorizontalFlip", [
      rep("keypoint_flip_permutation", 1, .int32)
    ]),
    ProtoMessageSchema("RandomVerticalFlip", [
      rep("keypoint_flip_permutation", 1, .int32)
    ]),
    ProtoMessageSchema("RandomRotation90", []),
    ProtoMessageSchema("RandomPixelValueScale", [
      opt("minval", 1, .float, 0.9),
      opt("maxval", 2, .float, 1.1)
    ]),
    ProtoMessageSchema("RandomImageScale", [
      opt("min_scale_ratio", 1, .float, 0.5),
      opt("max_scale_ratio", 2, .float, 2.0)
    ]),
    ProtoMessageSchema("RandomRGBtoGray", [
      opt("probability", 1, .float, 0.1)
    ]),
    ProtoMessageSchema("RandomAdjustBrightness", [
      opt("max_delta", 1, .float, 0.2)
    ]),
    ProtoMessageSchema("RandomAdjustContrast", [
      opt("min_delta", 1, .float, 0.8),
      opt("max_delta", 2, .float, 1.25)
    ]),
    ProtoMessageSchema("RandomAdjustHue", [
      opt("max_delta", 1, .float, 0.02)
    ]),
    ProtoMessageSchema("RandomAdjustSaturation", [
      opt("min_delta", 1, .float, 0.8),
      opt("max_delta", 2, .float, 1.25)
    ]),
    ProtoMessageSchema("RandomDistortColor", [
      opt("color_ordering", 1, .int32)
    ]),
    ProtoMessageSchema("RandomJitterBoxes", [
      opt("ratio", 1, .float, 0.05)
    ]),
    ProtoMessageSchema("RandomCropImage", [
      opt("min_object_covered", 1, .float, 1.0),
      opt("min_aspect_ratio", 2, .float, 0.75),
      opt("max_aspect_ratio", 3, .float, 1.33),
      opt("min_area", 4, .float, 0.1),
      opt("max_area", 5, .float, 1.0),
      opt("overlap_thresh", 6, .float, 0.3),
      opt("clip_boxes", 8, .bool, true),
      opt("random_coef", 7, .float, 0.0)
    ]),
    ProtoMessageSchema("RandomPadImage", [
      opt("min_image_height", 1, .int32),
      opt("min_image_width", 2, .int32),
      opt("max_image_height", 3, .int32),
      opt("max_image_width", 4, .int32),
      rep("pad_color", 5, .float)
    ]),
    ProtoMessageSchema("RandomCropPadImage", [
      opt("min_object_covered", 1, .float, 1.0),
      opt("min_aspect_ratio", 2, .float, 0.75),
      opt("max_aspect_ratio", 3, .float, 1.33),
      opt("min_area", 4, .float, 0.1),
      opt("max_area", 5, .float, 1.0),
      opt("overlap_thresh", 6, .float, 0.3),
      opt("clip_boxes", 11, .bool, true),
      opt("random_coef", 7, .float, 0.0),
      rep("min_padded_size_ratio", 8, .float),
      rep("max_padded_size_ratio", 9, .float),
      rep("pad_color", 10, .float)
    ]),
    ProtoMessageSchema("RandomCropToAspectRatio", [
      opt("aspect_ratio", 1, .float, 1.0),
      opt("overlap_thresh", 2, .float, 0.3),
      opt("clip_boxes", 3, .bool, true)
    ]),
    ProtoMessageSchema("RandomBlackPatches", [
      opt("max_black_patches", 1, .int32, 10),
      opt("probability", 2, .float, 0.5),
      opt("size_to_image_ratio", 3, .float, 0.1)
    ]),
    ProtoMessageSchema("RandomResizeMethod", [
      opt("target_height", 1, .float),
      opt("target_width", 2, .float)
    ]),
    ProtoMessageSchema("RGBtoGray", []),
    ProtoMessageSchema("ScaleBoxesToPixelCoordinates", []),
    ProtoMessageSchema("ResizeImage", [
      opt("new_height", 1, .int32),
      opt("new_width", 2, .int32),
      opt("method", 3, enm("ResizeImage.Method"), "BILINEAR")
    ]),
    ProtoMessageSchema("SubtractChannelMean", [
      rep("means", 1, .float)
    ]),
    ProtoMessageSchema("SSDRandomCropOperation", [
      opt("min_object_covered", 1, .float),
      opt("min_aspect_ratio", 2, .float),
      opt("max_aspect_ratio", 3, .float),
      opt("min_area", 4, .float),
      opt("max_area", 5, .float),
      opt("overlap_thresh", 6, .float),
      opt("clip_boxes", 8, .bool, true),
      opt("random_coef", 7, .float)
    ]),
    ProtoMessageSchema("SSDRandomCrop", [
      rep("operations", 1, msg("SSDRandomCropOperation"))
    ]),
    ProtoMessageSchema("SSDRandomCropPadOperation", [
      opt("min_object_covered", 1, .float),
      opt("min_aspect_ratio", 2, .float),
      opt("max_aspect_ratio", 3, .float),
      opt("min_area", 4, .float),
      opt("max_area", 5, .float),
      opt("overlap_thresh", 6, .float),
      opt("clip_boxes", 13, .bool, true),
      opt("random_coef", 7, .float),
      rep("min_padded_size_ratio", 8, .float),
      rep("max_padded_size_ratio", 9, .float),
      opt("pad_color_r", 10, .float),
      opt("pad_color_g", 11, .float),
      opt("pad_color_b", 12, .float)
    ]),
    ProtoMessageSchema("SSDRandomCropPad", [
      rep("operations", 1, msg("SSDRandomCropPadOperation"))
    ]),
    ProtoMessageSchema("SSDRandomCropFixedAspectRatioOperation", [
      opt("min_object_covered", 1, .float),
      opt("min_area", 4, .float),
      opt("max_area", 5, .float),
      opt("overlap_thresh", 6, .float),
      opt("clip_boxes", 8, .bool, true),
      opt("random_coef", 7, .float)
    ]),
    ProtoMessageSchema("SSDRandomCropFixedAspectRatio", [
      rep("operations", 1, msg("SSDRandomCropFixedAspectRatioOperation")),
      opt("aspect_ratio", 2, .float, 1.0)
    ]),
    ProtoMessageSchema("SSDRandomCropPadFixedAspectRatioOperation", [
      opt("min_object_covered", 1, .float),
      opt("min_aspect_ratio", 2, .float),
      opt("max_aspect_ratio", 3, .float),
      opt("min_area", 4, .float),
      opt("max_area", 5, .float),
      opt("overlap_thresh", 6, .float),
      opt("clip_boxes", 8, .bool, true),
      opt("random_coef", 7, .float)
    ]),
    ProtoMessageSchema("SSDRandomCropPadFixedAspectRatio", [
      rep("operations", 1, msg("SSDRandomCropPadFixedAspectRatioOperation")),
      opt("aspect_ratio", 2, .float, 1.0),
      rep("min_padded_size_ratio", 3, .float),
      rep("max_padded_size_ratio", 4, .float)
    ]),
    ProtoMessageSchema("ConvertClassLogitsToSoftmax", [
      opt("temperature", 1, .float, 1.0)
    ]),
    // Current TensorFlow models' string_int_label_map.proto: the fork's three fields plus
    // keypoints, ancestor/descendant ids, LVIS frequency and instance count, so label maps
    // written for newer Object Detection API versions parse (the extra fields are unused).
    ProtoMessageSchema("StringIntLabelMapItem", [
      opt("name", 1, .string),
      opt("id", 2, .int32),
      opt("display_name", 3, .string),
      rep("keypoints", 4, msg("StringIntLabelMapItem.KeypointMap")),
      rep("ancestor_ids", 5, .int32),
      rep("descendant_ids", 6, .int32),
      opt("frequency", 7, enm("LVISFrequency")),
      opt("instance_count", 8, .int32)
    ]),
    ProtoMessageSchema("StringIntLabelMapItem.KeypointMap", [
      opt("id", 1, .int32),
      opt("label", 2, .string)
    ]),
    ProtoMessageSchema("StringIntLabelMap", [
      rep("item", 1, msg("StringIntLabelMapItem"))
    ]),]
