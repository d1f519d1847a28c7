import Config
import Model

extension PostProcessor {
  /// `model.ssd.post_processing` (spec §8): sigmoid scores, per-class NMS with the config's
  /// thresholds and limits, boxes decoded with the config's box coder.
  public init(pipeline config: PipelineConfig, anchors: [Float]) throws {
    let ssd = config.model.ssd
    let pp = ssd.postProcessing
    if pp.scoreConverter != .sigmoid {
      throw RecipeError(file: config.file, field: "model.ssd.post_processing.score_converter",
                        message: "only SIGMOID is implemented (SSD320 uses SIGMOID)")
    }
    self.init(anchors: anchors, numClasses: ssd.numClasses, boxCoder: FasterRCNNBoxCoder(pipeline: config),
              scoreThreshold: pp.scoreThreshold, iouThreshold: pp.iouThreshold,
              maxDetectionsPerClass: pp.maxDetectionsPerClass,
              maxTotalDetections: pp.maxTotalDetections, logitScale: pp.logitScale)
  }
}
