import Model

/// Emits the post-processing of `PostProcessor` (spec §8) as ONNX nodes after the raw
/// outputs, so the exported model returns what `ssd detect` computes:
///
///  1. scores = Sigmoid(logits / logit_scale), background slot dropped → [N, K, A];
///  2. boxes decoded against constant anchor sizes and centres (Faster R-CNN coder, the
///     config's scale factors, same float32 operation order as `FasterRCNNBoxCoder.decode`);
///  3. `NonMaxSuppression` per image and class on the unclipped boxes (corner format
///     [y1, x1, y2, x2]) with the config's IoU and score thresholds and per-class limit;
///  4. the selected scores are scattered into a dense [N, K·A] matrix at column
///     `class·A + anchor` (−1 elsewhere and for boxes whose clipped area is 0), and
///     `TopK` takes the best `max_total_detections` per image. TopK breaks equal scores by
///     the lower column, i.e. lower class, then lower anchor: the order of our stable sort
///     of the class-major concatenation (within a class, equal scores are selected lower
///     anchor first);
///  5. boxes clipped to [0, 1]; rows past `num_detections` are zeros, as in `Detections`.
///
/// What ONNX Runtime's `NonMaxSuppression` does differently from ours (`NonMaxSuppression`):
/// equal scores within a class are visited in heap order rather than lower index first, so
/// when two overlapping boxes of one class have exactly equal scores either may be kept.
/// Its score test (strictly greater), IoU test (strictly greater), its IoU formula (same
/// float32 operations, areas and intersection from min/max-reordered corners, zero-area
/// boxes never suppress) match ours.
struct PostProcessingGraph {
  let post: PostProcessor
  let b: GraphBuilder

  /// The anchors' heights/widths and centres, `[A, 2]` each, as `decode` computes them.
  static func anchorGeometry(_ anchors: [Float]) -> (sizes: [Float], centers: [Float]) {
    let a = anchors.count / 4
    var sizes = [Float](repeating: 0, count: 2 * a), centers = sizes
    for j in 0..<a {
      let ha = anchors[4 * j + 2] - anchors[4 * j], wa = anchors[4 * j + 3] - anchors[4 * j + 1]
      sizes[2 * j] = ha; sizes[2 * j + 1] = wa
      centers[2 * j] = anchors[4 * j] + ha / 2; centers[2 * j + 1] = anchors[4 * j + 1] + wa / 2
    }
    return (sizes, centers)
  }

  /// Rows of the outputs: `min(max_total_detections, classes · anchors)`.
  var detectionRows: Int { min(post.maxTotalDetections, post.numClasses * post.anchorCount) }

  /// Emits the nodes and marks the four outputs.
  func emit(boxEncodings: String, classPredictions: String) {
    let n = GraphBuilder.batch
    let a = post.anchorCount, k = post.numClasses
    let s = "Postprocessor"
    func slice(_ x: String, _ from: Int, _ to: Int, axis: Int, dims: [ONNXValueInfo.Dim], scope: String) -> String {
      b.node("Slice", [x, b.constant("start_\(from)", int64s: [Int64(from)]), b.constant("end_\(to)", int64s: [Int64(to)]),
                       b.constant("axis_\(axis)", int64s: [Int64(axis)])], scope: scope, dims: dims)
    }
    // 1. Scores.
    var logits = classPredictions
    if post.logitScale != 1 {
      logits = b.node("Div", [logits, b.scalar("logit_scale", post.logitScale)], scope: s + "/scores", dims: b.dims(logits))
    }
    let sig = b.node("Sigmoid", [logits], scope: s + "/scores", dims: b.dims(logits))
    let scores = slice(sig, 1, k + 1, axis: 2, dims: [n, .fixed(a), .fixed(k)], scope: s + "/scores")
    let scoresT = b.node("Transpose", [scores], [ONNXAttribute("perm", .ints([0, 2, 1]))], scope: s + "/scores",
                         dims: [n, .fixed(k), .fixed(a)])
    // 2. Decode.
    let d = s + "/decode"
    let geometry = Self.anchorGeometry(post.anchors)
    let sizes = b.constant("anchor_sizes", floats: geometry.sizes, dims: [a, 2])
    let centers = b.constant("anchor_centers", floats: geometry.centers, dims: [a, 2])
    let pair: [ONNXValueInfo.Dim] = [n, .fixed(a), .fixed(2)]
    let t = b.node("Div", [boxEncodings, b.constant("box_coder_scales", floats: post.boxCoder.scaleFactors)],
                   scope: d, dims: [n, .fixed(a), .fixed(4)])
    let tYX = slice(t, 0, 2, axis: 2, dims: pair, scope: d)
    let tHW = slice(t, 2, 4, axis: 2, dims: pair, scope: d)
    let hw = b.node("Mul", [b.node("Exp", [tHW], scope: d, dims: pair), sizes], scope: d, dims: pair)
    let center = b.node("Add", [b.node("Mul", [tYX, sizes], scope: d, dims: pair), centers], scope: d, dims: pair)
    let half = b.node("Div", [hw, b.scalar("two", 2)], scope: d, dims: pair)
    let lo = b.node("Sub", [center, half], scope: d, dims: pair)
    let hi = b.node("Add", [center, half], scope: d, dims: pair)
    let boxes = b.node("Concat", [lo, hi], [ONNXAttribute("axis", .int(2))], scope: d,
                       dims: [n, .fixed(a), .fixed(4)], output: "decoded_boxes")
    // Clipped boxes and which have a positive clipped area.
    let c = s + "/clip"
    let clipped = b.node("Clip", [boxes, b.scalar("zero", 0), b.scalar("one", 1)], scope: c, dims: b.dims(boxes))
    let extent = b.node("Sub", [slice(clipped, 2, 4, axis: 2, dims: pair, scope: c), slice(clipped, 0, 2, axis: 2, dims: pair, scope: c)],
                        scope: c, dims: pair)
    let one: [ONNXValueInfo.Dim] = [n, .fixed(a), .fixed(1)]
    let area = b.node("Mul", [slice(extent, 0, 1, axis: 2, dims: one, scope: c), slice(extent, 1, 2, axis: 2, dims: one, scope: c)],
                      scope: c, dims: one)
    let positive = b.node("Greater", [area, b.scalar("zero", 0)], scope: c, type: .bool, dims: one)
    let valid = b.node("Squeeze", [positive, b.constant("axis_2", int64s: [2])], scope: c, type: .bool, dims: [n, .fixed(a)])
    // 3. Per-class NMS.
    let m = s + "/nms"
    let kSel = ONNXValueInfo.Dim.symbolic("num_selected")
    let selected = b.node("NonMaxSuppression",
                          [boxes, scoresT, b.constant("max_detections_per_class", int64s: [Int64(min(post.maxDetectionsPerClass, a))]),
                           b.constant("iou_threshold", floats: [post.iouThreshold]),
                           b.constant("score_threshold", floats: [post.scoreThreshold])],
                          [ONNXAttribute("center_point_box", .int(0))], scope: m, type: .int64, dims: [kSel, .fixed(3)])
    func column(_ i: Int) -> String {
      b.node("Gather", [selected, b.int64s("const/index_\(i)", [], [Int64(i)])], [ONNXAttribute("axis", .int(1))],
             scope: m, type: .int64, dims: [kSel])
    }
    let selBatch = column(0), selClass = column(1), selAnchor = column(2)
    let selScore = b.node("GatherND", [scoresT, selected], scope: m, dims: [kSel])
    let selBA = b.node("Gather", [selected, b.constant("index_0_2", int64s: [0, 2])], [ONNXAttribute("axis", .int(1))],
                       scope: m, type: .int64, dims: [kSel, .fixed(2)])
    let selValid = b.node("GatherND", [valid, selBA], scope: m, type: .bool, dims: [kSel])
    let update = b.node("Where", [selValid, selScore, b.scalar("minus_one", -1)], scope: m, dims: [kSel])
    // 4. Dense [N, K·A] scores, column class·A + anchor; the top max_total over classes.
    let t4 = s + "/top"
    let columnIndex = b.node("Add", [b.node("Mul", [selClass, b.int64s("const/anchor_count", [], [Int64(a)])], scope: t4,
                                            type: .int64, dims: [kSel]), selAnchor], scope: t4, type: .int64, dims: [kSel])
    let axis1 = b.constant("axis_1", int64s: [1])
    let scatterIndex = b.node("Concat", [b.node("Unsqueeze", [selBatch, axis1], scope: t4, type: .int64, dims: [kSel, .fixed(1)]),
                                         b.node("Unsqueeze", [columnIndex, axis1], scope: t4, type: .int64, dims: [kSel, .fixed(1)])],
                              [ONNXAttribute("axis", .int(1))], scope: t4, type: .int64, dims: [kSel, .fixed(2)])
    let batchSize = b.node("Shape", [boxEncodings], [ONNXAttribute("start", .int(0)), ONNXAttribute("end", .int(1))],
                           scope: t4, type: .int64, dims: [.fixed(1)])
    let denseShape = b.node("Concat", [batchSize, b.constant("dense_columns", int64s: [Int64(k * a)])],
                            [ONNXAttribute("axis", .int(0))], scope: t4, type: .int64, dims: [.fixed(2)])
    let empty = b.node("ConstantOfShape", [denseShape],
                       [ONNXAttribute("value", .tensor(ONNXTensor(name: "value", dims: [1], floats: [-1])))],
                       scope: t4, dims: [n, .fixed(k * a)])
    let dense = b.node("ScatterND", [empty, scatterIndex, update], scope: t4, dims: [n, .fixed(k * a)])
    let rows = detectionRows
    let top = b.nodes("TopK", [dense, b.constant("max_total_detections", int64s: [Int64(rows)])],
                      [ONNXAttribute("axis", .int(1)), ONNXAttribute("largest", .int(1)), ONNXAttribute("sorted", .int(1))],
                      scope: t4, outputs: [(nil, .float, [n, .fixed(rows)]), (nil, .int64, [n, .fixed(rows)])])
    let (topScore, topIndex) = (top[0], top[1])
    // 5. Outputs; rows past num_detections are zeros.
    let o = s + "/outputs"
    let isDetection = b.node("Greater", [topScore, b.scalar("minus_half", -0.5)], scope: o, type: .bool, dims: [n, .fixed(rows)])
    let count = b.node("ReduceSum", [b.node("Cast", [isDetection], [ONNXAttribute("to", .int(Int(ONNXTensor.ElementType.float.rawValue)))],
                                            scope: o, dims: [n, .fixed(rows)]), axis1],
                       [ONNXAttribute("keepdims", .int(0))], scope: o, dims: [n], output: "num_detections")
    let outScores = b.node("Where", [isDetection, topScore, b.scalar("zero", 0)], scope: o, dims: [n, .fixed(rows)],
                           output: "detection_scores")
    let anchorCount = b.int64s("const/anchor_count", [], [Int64(a)])
    let cls = b.node("Div", [topIndex, anchorCount], scope: o, type: .int64, dims: [n, .fixed(rows)])
    let anchor = b.node("Mod", [topIndex, anchorCount], scope: o, type: .int64, dims: [n, .fixed(rows)])
    let cocoID = b.node("Cast", [b.node("Add", [cls, b.int64s("const/one_int64", [], [1])], scope: o, type: .int64, dims: [n, .fixed(rows)])],
                        [ONNXAttribute("to", .int(Int(ONNXTensor.ElementType.float.rawValue)))], scope: o, dims: [n, .fixed(rows)])
    let outClasses = b.node("Where", [isDetection, cocoID, b.scalar("zero", 0)], scope: o, dims: [n, .fixed(rows)],
                            output: "detection_classes")
    let anchorIndex = b.node("Unsqueeze", [anchor, b.constant("axis_2", int64s: [2])], scope: o, type: .int64,
                             dims: [n, .fixed(rows), .fixed(1)])
    let picked = b.node("GatherND", [clipped, anchorIndex], [ONNXAttribute("batch_dims", .int(1))], scope: o,
                        dims: [n, .fixed(rows), .fixed(4)])
    let rowMask = b.node("Unsqueeze", [isDetection, b.constant("axis_2", int64s: [2])], scope: o, type: .bool,
                         dims: [n, .fixed(rows), .fixed(1)])
    let outBoxes = b.node("Where", [rowMask, picked, b.scalar("zero", 0)], scope: o, dims: [n, .fixed(rows), .fixed(4)],
                          output: "detection_boxes")
    b.output(outBoxes, doc: "[N, \(rows), 4] normalized [ymin, xmin, ymax, xmax] in [0, 1], best score first; rows past num_detections are 0")
    b.output(outScores, doc: "[N, \(rows)] sigmoid scores, descending; 0 past num_detections")
    b.output(outClasses, doc: "[N, \(rows)] class ids (1-based, COCO ids for COCO models) as float; 0 past num_detections")
    b.output(count, doc: "[N] number of valid rows, as float")
  }
}
