import Foundation
import Model

/// The JSON file written next to the ONNX model: everything a consumer needs besides the
/// model itself (input size and preprocessing, output meanings, label map, the
/// post-processing settings, where the weights came from). Keys are sorted and numbers
/// are the shortest float32 round-trip decimals, so equal exports give equal bytes.
public struct ExportSidecar {
  public var modelFile: String
  public var modelSHA256: String
  public var model: ONNXModel
  public var config: SSDConfig
  public var postProcessor: PostProcessor
  public var channelMeans: [Float]
  public var outputs: SSDExporter.Outputs
  public var labelMap: [(id: Int, name: String)]?
  public var pipelineConfig: String
  public var checkpoint: String
  public var globalStep: Int?

  /// Float32 as its shortest decimal (so 123.68 stays 123.68 in JSON).
  private static func number(_ v: Float) -> Double { Double("\(v)") ?? Double(v) }

  public func json() -> Data {
    let c = config, p = postProcessor
    var outputsList: [[String: Any]] = model.outputs.map { o in
      ["name": o.name, "shape": o.dims.map { d -> Any in
        switch d {
        case .fixed(let n): return n
        case .symbolic(let s): return s
        }
      }, "dtype": o.type == .float ? "float32" : "int64", "meaning": o.docString]
    }
    outputsList.sort { ($0["name"] as! String) < ($1["name"] as! String) }
    var root: [String: Any] = [
      "format": "swift-ssd ONNX export sidecar",
      "format_version": 1,
      "model_file": modelFile,
      "model_sha256": modelSHA256,
      "onnx": ["ir_version": model.irVersion, "opset": model.opsetVersion, "domain": "ai.onnx (default)"],
      "architecture": [
        "name": "ssd_resnet\(c.backboneDepth)_v1_fpn",
        "num_classes": c.numClasses,
        "class_slots": c.numClassSlots,
        "num_anchors": c.numAnchors,
        "fpn_levels": [c.minLevel, c.maxLevel],
        "anchors": ["anchor_scale": Self.number(c.anchorScale), "aspect_ratios": c.aspectRatios.map(Self.number),
                    "scales_per_octave": c.scalesPerOctave, "order": "level, y, x, aspect ratio, scale"],
      ],
      "input": [
        "name": "image",
        "shape": ["N", c.imageHeight, c.imageWidth, 3],
        "dtype": "float32",
        "layout": "NHWC",
        "channels": "RGB",
        "value_range": [0, 255],
        "resize": "stretch the whole image to \(c.imageHeight)x\(c.imageWidth) (aspect ratio not kept) with "
          + "TensorFlow 1's tf.image.resize_images BILINEAR: align_corners=false, half_pixel_centers=false; "
          + "keep the float result (no rounding)",
        "channel_means": channelMeans.map(Self.number),
        "mean_subtraction": "inside the graph (image - channel_means); do not subtract them again",
      ],
      "outputs": outputsList,
      "box_coder": ["type": "faster_rcnn", "scale_factors": p.boxCoder.scaleFactors.map(Self.number),
                    "code_order": "ty, tx, th, tw", "box_order": "ymin, xmin, ymax, xmax (normalized)"],
      "post_processing": [
        "in_graph": outputs == .detections,
        "score_converter": "sigmoid",
        "logit_scale": Self.number(p.logitScale),
        "score_threshold": Self.number(p.scoreThreshold),
        "iou_threshold": Self.number(p.iouThreshold),
        "max_detections_per_class": p.maxDetectionsPerClass,
        "max_total_detections": p.maxTotalDetections,
        "boxes": "detection boxes are relative to the original image (the resize stretches); multiply by "
          + "[height, width, height, width] for pixels",
      ],
      "source": ["pipeline_config": pipelineConfig, "checkpoint": checkpoint, "global_step": globalStep.map { $0 as Any } ?? NSNull()],
    ]
    if let labelMap {
      root["label_map"] = labelMap.map { ["id": $0.id, "name": $0.name] as [String: Any] }
    } else {
      root["label_map"] = NSNull()
    }
    var data = try! JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    data.append(0x0A)
    return data
  }
}
