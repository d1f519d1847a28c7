import ArgumentParser
import Export
import Foundation
import Model

/// `ssd export`: the trained detector as an ONNX model (plus a JSON sidecar), with the
/// post-processing inside the graph or, with `--raw_outputs`, the network only.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a trained checkpoint to ONNX (opset \(ONNXModel.opsetVersion)), with post-processing in the graph, plus a JSON sidecar.",
    discussion: """
      The model the pipeline config builds, with the checkpoint's weights (loaded as ssd detect loads them), \
      becomes one ONNX file: batch norm folded into the convolutions (moving statistics), float32 weights, \
      input `image` float32 [N, H, W, 3] (NHWC, RGB 0-255, already resized to the model's input size with \
      TensorFlow's legacy bilinear resize; the channel means are subtracted inside the graph), dynamic batch N.
      Outputs, named as the Object Detection API's exported models name them: detection_boxes [N, 100, 4] \
      (normalized ymin, xmin, ymax, xmax), detection_scores [N, 100], detection_classes [N, 100] (1-based \
      class ids as float), num_detections [N]; the post-processing is the config's (sigmoid, box decoding, \
      per-class NMS with its IoU and score thresholds and per-class limit, top 100 over classes), equal to \
      ssd detect's. --raw_outputs exports the network only: box_encodings [N, A, 4], class_predictions \
      [N, A, K+1] (logits, slot 0 = background) and the constant anchors [A, 4].
      The sidecar (--sidecar, default: the output path with .json) holds the label map, input size, \
      preprocessing, output meanings and post-processing settings.
      --reference_dir also writes our own outputs for the --reference_images JPEGs (graph input, raw \
      outputs, detections; NumPy .npy) to compare another runtime against (scripts/check-onnx.sh does).
      Opset \(ONNXModel.opsetVersion) (IR \(ONNXModel.irVersion)) runs on ONNX Runtime 1.12 and newer.

      Examples:
        ssd export --pipeline_config_path configs/ssd320_full_1gpus.config --checkpoint /results/model.ckpt-12500 \\
                   --output ssd320.onnx
        ssd export --pipeline_config_path runs/small/pipeline.config --checkpoint runs/small --output small.onnx \\
                   --raw_outputs
        ssd export --pipeline_config_path pipeline.config --checkpoint model_dir --output m.onnx \\
                   --reference_dir ref/ --reference_images a.jpg b.jpg
      """)

  @Option(name: .customLong("pipeline_config_path"), help: "The pipeline.config the checkpoint was trained with.")
  var pipelineConfigPath: String

  @Option(help: "Checkpoint prefix (model.ckpt-N, V2 or V1; ours or TensorFlow's) or a model_dir (its newest checkpoint).")
  var checkpoint: String

  @Option(help: "Where to write the ONNX model.")
  var output: String

  @Flag(name: .customLong("raw_outputs"), help: "Export the network only (box_encodings, class_predictions, anchors), for runtimes without NonMaxSuppression.")
  var rawOutputs = false

  @Option(help: "Where to write the JSON sidecar (default: --output with .json).")
  var sidecar: String?

  @Option(name: .customLong("label_map"), help: "Label map (.pbtxt) for the sidecar (default: the config's eval_input_reader label_map_path).")
  var labelMap: String?

  @Option(name: .customLong("reference_dir"), help: "Also write our outputs for --reference_images here (.npy files).")
  var referenceDir: String?

  @Option(name: .customLong("reference_images"), parsing: .upToNextOption, help: "JPEG files for --reference_dir.")
  var referenceImages: [String] = []

  @Option(help: "Compute threads for --reference_dir.")
  var threads: Int = 2

  func validate() throws {
    guard (referenceDir == nil) == referenceImages.isEmpty else {
      throw ValidationError("--reference_dir and --reference_images go together: pass both or neither")
    }
    guard threads >= 1 else { throw ValidationError("--threads \(threads): use 1 or more") }
  }

  func run() throws {
    BLASRuntime.setGEMMThreads(threads)
    Parallel.threads = threads
    let started = Date()
    let job = ExportJob(outputs: rawOutputs ? .raw : .detections)
    let source: ExportSource
    let result: ExportJob.Result
    do {
      // Check the output paths before loading (which takes a while for SSD320).
      try ExportJob.checkWritable(output)
      try ExportJob.checkWritable(sidecar ?? ExportJob.defaultSidecarPath(for: output))
      source = try ExportSource.load(pipelineConfigPath: pipelineConfigPath, checkpoint: checkpoint, labelMapPath: labelMap)
      let loaded = Date()
      print("Loaded \(source.checkpointPrefix) (step \(source.globalStep.map(String.init) ?? "?")) in "
            + String(format: "%.2f s", loaded.timeIntervalSince(started)))
      result = try job.write(source, to: output, sidecarPath: sidecar)
    } catch let error as ExportError {
      throw ValidationError(error.description)
    }
    let total = Date().timeIntervalSince(started)
    print(String(format: "Wrote %@ (%.1f MB, %d nodes, %d initializers with %d values, opset %d; graph %.2f s, "
                   + "encoding %.2f s, %.2f s in all) and %@", result.modelPath, Double(result.bytes) / 1e6, result.nodes,
                 result.initializers, result.initializerElements, ONNXModel.opsetVersion, result.buildSeconds,
                 result.encodeSeconds, total, result.sidecarPath))
    print("sha256 \(result.sha256)")
    if let referenceDir {
      do {
        try ReferenceOutputs.write(source: source, images: referenceImages, to: referenceDir)
      } catch let error as ExportError {
        throw ValidationError(error.description)
      }
      print("Wrote reference outputs for \(referenceImages.count) images to \(referenceDir)")
    }
  }
}
