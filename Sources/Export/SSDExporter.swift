import Model

/// Builds the ONNX model of a detector: the network (`NetworkGraph`) and, unless
/// `rawOutputs`, the post-processing (`PostProcessingGraph`).
///
/// Graph input `image` float32 [N, H, W, 3]: RGB 0–255, already resized to the model's
/// input size (mean subtraction is inside the graph). Outputs, as the Object Detection
/// API's exported models name them: `detection_boxes` [N, 100, 4], `detection_scores`,
/// `detection_classes` (1-based, float), `num_detections` [N]; with `rawOutputs`:
/// `box_encodings` [N, A, 4], `class_predictions` [N, A, K+1] (logits, slot 0 background)
/// and the constant `anchors` [A, 4]. The batch dimension `N` is dynamic.
public enum SSDExporter {
  /// What the graph returns.
  public enum Outputs: String, Sendable {
    /// The four `detection_*` / `num_detections` outputs.
    case detections
    /// The network's raw outputs and the anchors.
    case raw
  }

  /// The ONNX model of `network` (its current weights, batch norm in inference mode) and
  /// `postProcessor`. `metadata` goes to `ModelProto.metadata_props` as given.
  public static func model(network: SSDNetwork, postProcessor: PostProcessor, channelMeans: [Float],
                           outputs: Outputs, metadata: [(key: String, value: String)] = []) -> ONNXModel {
    precondition(postProcessor.anchorCount == network.config.numAnchors,
                 "post-processor has \(postProcessor.anchorCount) anchors, the network \(network.config.numAnchors)")
    let b = GraphBuilder()
    let c = network.config
    let image = b.input("image", .float, [GraphBuilder.batch, .fixed(c.imageHeight), .fixed(c.imageWidth), .fixed(3)],
                        doc: "[N, \(c.imageHeight), \(c.imageWidth), 3] RGB 0-255, resized to the model input (TF legacy bilinear); means are subtracted inside the graph")
    let raw = NetworkGraph(network: network, builder: b).emit(image: image, channelMeans: channelMeans)
    switch outputs {
    case .raw:
      b.output(raw.boxEncodings, doc: "[N, \(c.numAnchors), 4] box encodings [ty, tx, th, tw] against `anchors` (Faster R-CNN coder)")
      b.output(raw.classPredictions, doc: "[N, \(c.numAnchors), \(c.numClassSlots)] class logits; slot 0 is the background, slot k class id k")
      let anchors = b.constant("anchors", floats: postProcessor.anchors, dims: [postProcessor.anchorCount, 4])
      let out = b.node("Identity", [anchors], scope: "Anchors", dims: [.fixed(postProcessor.anchorCount), .fixed(4)],
                       output: "anchors")
      b.output(out, doc: "[\(postProcessor.anchorCount), 4] anchors, normalized [ymin, xmin, ymax, xmax]")
    case .detections:
      PostProcessingGraph(post: postProcessor, b: b).emit(boxEncodings: raw.boxEncodings,
                                                         classPredictions: raw.classPredictions)
    }
    var model = b.model
    model.graphName = "ssd_resnet\(c.backboneDepth)_v1_fpn_\(c.imageHeight)x\(c.imageWidth)"
    model.docString = "SSD ResNet-\(c.backboneDepth) v1 FPN (\(c.imageHeight)x\(c.imageWidth), \(c.numClasses) classes) "
      + "exported by swift-ssd; " + (outputs == .raw ? "raw outputs" : "post-processing inside the graph")
    model.metadata = metadata
    return model
  }

  /// Rows of the detection outputs for a post-processor.
  public static func detectionRows(_ post: PostProcessor) -> Int {
    min(post.maxTotalDetections, post.numClasses * post.anchorCount)
  }
}
