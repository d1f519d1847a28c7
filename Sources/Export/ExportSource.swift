import Config
import Foundation
import Inference
import Model
import Recipe

/// What an export reads, loaded the way `ssd detect` loads it: the pipeline config, the
/// `Detector` it builds (network, anchors, post-processing settings, evaluation
/// preprocessing) with the checkpoint's weights (`CheckpointLoader`, by TensorFlow variable
/// name), and the label map. The one file of this module that calls the Config and
/// Inference APIs, so the exporter follows their changes here.
public struct ExportSource {
  public let pipelineConfigPath: String
  public let detector: Detector
  /// The checkpoint prefix that was read and its global step.
  public let checkpointPrefix: String
  public let globalStep: Int?
  /// COCO id → name of the label map (the config's eval, then train reader's, or the one
  /// given), nil when the config names none.
  public let labelMap: [(id: Int, name: String)]?
  /// Where the label map came from.
  public let labelMapPath: String?

  public var network: SSDNetwork { detector.network }
  public var postProcessor: PostProcessor { detector.postProcessor }
  public var channelMeans: [Float] { detector.preprocessing.channelMeans }

  /// Loads config, model, weights and label map. Errors name the file and the first
  /// thing wrong in it (for a checkpoint: the first variable missing or of another shape).
  public static func load(pipelineConfigPath: String, checkpoint: String, labelMapPath: String? = nil) throws -> ExportSource {
    let config: PipelineConfig
    do {
      config = try PipelineConfig.load(path: pipelineConfigPath)
    } catch {
      throw ExportError.badConfig(path: pipelineConfigPath, reason: "\(error)")
    }
    let loader: CheckpointLoader
    do {
      loader = try CheckpointLoader(path: checkpoint)
    } catch {
      throw ExportError.checkpointMismatch(checkpoint: checkpoint, reason: "\(error)")
    }
    let detector: Detector
    do {
      detector = try Detector(config: config)
    } catch {
      throw ExportError.badConfig(path: pipelineConfigPath, reason: "\(error)")
    }
    try checkSupported(detector.postProcessor)
    let summary: CheckpointLoadReport
    do {
      summary = try detector.loadWeights(from: loader)
    } catch {
      throw ExportError.checkpointMismatch(checkpoint: loader.reader.path, reason: "\(error)")
    }
    let mapPath = labelMapPath ?? [config.evalInputReader?.labelMapPath, config.trainInputReader.labelMapPath]
      .compactMap { $0 }.first { !$0.isEmpty }
    var labels: [(id: Int, name: String)]?
    if let mapPath {
      do {
        let map = try LabelMap.load(path: mapPath)
        labels = map.categories(maxNumClasses: detector.model.numClasses).map { ($0.id, $0.name) }
      } catch {
        throw ExportError.badConfig(path: mapPath, reason: "label map: \(error)\nPass --label_map with a readable label "
                                      + "map (e.g. mscoco_label_map.pbtxt) or fix label_map_path in the config")
      }
    }
    return ExportSource(pipelineConfigPath: pipelineConfigPath, detector: detector, checkpointPrefix: summary.checkpoint,
                        globalStep: summary.globalStep, labelMap: labels, labelMapPath: mapPath)
  }

  /// Post-processing settings ONNX's operators cannot express.
  static func checkSupported(_ post: PostProcessor) throws {
    let path = "model.ssd.post_processing.batch_non_max_suppression"
    guard (0...1).contains(post.iouThreshold) else {
      throw ExportError.unsupported(setting: path + ".iou_threshold",
                                    reason: "\(post.iouThreshold): ONNX NonMaxSuppression takes an IoU threshold in [0, 1]")
    }
    guard post.maxTotalDetections >= 1 else {
      throw ExportError.unsupported(setting: path + ".max_total_detections",
                                    reason: "\(post.maxTotalDetections): the exported graph needs at least 1 detection row")
    }
    guard post.logitScale > 0 else {
      throw ExportError.unsupported(setting: "model.ssd.post_processing.logit_scale",
                                    reason: "\(post.logitScale): use a positive logit scale")
    }
  }
}
