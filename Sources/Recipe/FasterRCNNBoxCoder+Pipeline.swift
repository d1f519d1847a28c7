import Config
import Model

extension FasterRCNNBoxCoder {
  /// `model.ssd.box_coder.faster_rcnn_box_coder` (y, x, height, width scales).
  public init(pipeline: PipelineConfig) {
    let c = pipeline.model.ssd.boxCoder
    self.init(scaleFactors: [c.yScale, c.xScale, c.heightScale, c.widthScale])
  }
}
