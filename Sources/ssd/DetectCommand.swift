import ArgumentParser
import Checkpoint
import Config
import Formats
import Foundation
import Inference
import Model
import Recipe

/// `ssd detect`: runs a trained detector on JPEG files (spec §2.3–2.4 preprocessing, §8
/// post-processing with the config's thresholds) and writes COCO results JSON; optionally
/// draws the detections into copies of the images.
struct DetectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detect",
    abstract: "Detect objects in JPEG images with a trained checkpoint; write COCO results JSON and drawings.",
    discussion: """
      Each image (any size) is stretched to the config's input size with TensorFlow's legacy bilinear resize \
      and mean-subtracted exactly as evaluation does; the network runs with batch-norm moving statistics; \
      detections are post-processed with the config's NMS thresholds (spec §8) and reported in pixels of \
      the original image. Class names come from the label map of the config's eval_input_reader \
      (or --label_map); classes not in the label map are dropped, as the recipe's evaluator does.
      Unreadable or non-JPEG files are reported and skipped; the exit status is 1 if any file was skipped.
      COCO image ids: a file named like 000000397133.jpg gets id 397133; other names get ids after the \
      largest such id, in order.

      Examples:
        ssd detect --pipeline_config_path configs/ssd320_full_1gpus.config --checkpoint /results/model.ckpt-12500 \\
                   --output dets.json --draw_dir drawn/ images/
        ssd detect --pipeline_config_path pipeline.config --checkpoint /tmp/small --score_threshold 0.5 photo.jpg
        ssd detect --pipeline_config_path pipeline.config --checkpoint /tmp/small --score_threshold 0 \
                   --output dets.json val_images/ && ssd eval --annotations instances_val.json --detections dets.json
      """)

  @Option(name: .customLong("pipeline_config_path"), help: "The pipeline.config the checkpoint was trained with.")
  var pipelineConfigPath: String

  @Option(help: "Checkpoint prefix (model.ckpt-N, V2 or V1; ours or TensorFlow's) or a model_dir (its newest checkpoint).")
  var checkpoint: String

  @Argument(help: "JPEG files and/or directories (their *.jpg/*.jpeg files, not recursive).")
  var inputs: [String]

  @Option(help: "Where to write the COCO results JSON.")
  var output: String = "detections.json"

  @Option(name: .customLong("score_threshold"), help: "Leave out detections scoring below this (0...1); use 0 to keep all (up to 100 per image) for COCO evaluation with ssd eval.")
  var scoreThreshold: Float = 0.3

  @Option(name: .customLong("draw_dir"), help: "Also write each image with its boxes, class names and scores drawn, as JPEG, here.")
  var drawDir: String?

  @Option(name: .customLong("label_map"), help: "Label map (.pbtxt) for class names (default: the config's eval_input_reader label_map_path).")
  var labelMap: String?

  @Option(name: .customLong("batch_size"), help: "Images per forward pass (results do not depend on it).")
  var batchSize: Int = 1

  @Option(help: "Compute threads (OpenBLAS and element-wise work).")
  var threads: Int = 2

  @Flag(help: "Do not print one line per image.")
  var quiet = false

  func validate() throws {
    guard (0...1).contains(scoreThreshold) else {
      throw ValidationError("--score_threshold \(scoreThreshold): use a value between 0 and 1 (e.g. 0.3)")
    }
    guard batchSize >= 1 else { throw ValidationError("--batch_size \(batchSize): use 1 or more") }
    guard threads >= 1 else { throw ValidationError("--threads \(threads): use 1 or more") }
  }

  func run() throws {
    BLASRuntime.setGEMMThreads(threads)
    Parallel.threads = threads
    let config: PipelineConfig
    do {
      config = try PipelineConfig.load(path: pipelineConfigPath)
    } catch {
      throw ValidationError("\(error)")
    }
    let detector: Detector
    let summary: CheckpointLoadReport
    do {
      let loader: CheckpointLoader
      do {
        loader = try CheckpointLoader(path: checkpoint)  // fail fast, before building the network
      } catch CheckpointError.notFound {
        throw InferenceError.checkpointNotFound(path: checkpoint)
      }
      detector = try Detector(config: config)
      summary = try detector.loadWeights(from: loader)
    } catch {
      throw ValidationError("\(error)")
    }
    let categories = try Self.categories(config: config, labelMapPath: labelMap, numClasses: detector.model.numClasses)
    let paths: [String]
    do {
      paths = try ImageFiles.collect(inputs)
    } catch {
      throw ValidationError("\(error)")
    }
    print("Loaded \(summary.checkpoint) (\(summary.format), step \(summary.globalStep.map(String.init) ?? "?"), "
          + "\(summary.restored.count) variables); \(paths.count) images; model input \(detector.model.imageHeight)x"
          + "\(detector.model.imageWidth)")
    var options = DetectionRun.Options()
    options.batchSize = batchSize
    options.minimumScore = scoreThreshold
    options.drawDirectory = drawDir
    let start = Date()
    let run = DetectionRun.run(detector: detector, paths: paths, categories: categories, options: options) { line in
      if line.hasPrefix("skipped") {
        FileHandle.standardError.write(Data("\(line)\n".utf8))
      } else if !quiet {
        print(line)
      }
    }
    let seconds = Date().timeIntervalSince(start)
    if !quiet {
      for r in run.results {
        let top = r.objects.prefix(3).map { "\($0.categoryName) \(String(format: "%.2f", $0.score))" }.joined(separator: ", ")
        print("\(r.path) (\(r.width)x\(r.height), image_id \(r.imageID)): \(r.objects.count) detections"
              + (top.isEmpty ? "" : " — \(top)"))
      }
    }
    do {
      try AtomicFile.write([UInt8](run.resultsJSON()), to: output)
    } catch {
      throw ValidationError("cannot write \(output): \(error.localizedDescription); pass a writable --output path")
    }
    let count = run.results.reduce(0) { $0 + $1.objects.count }
    print(String(format: "Wrote %d detections for %d images to %@ (%.2f s, %.2f images/s)", count, run.results.count,
                 output, seconds, Double(run.results.count) / max(seconds, 1e-9)))
    if !run.failures.isEmpty {
      FileHandle.standardError.write(Data("\(run.failures.count) of \(paths.count) images skipped:\n".utf8))
      for f in run.failures { FileHandle.standardError.write(Data("  \(f.message)\n".utf8)) }
      throw ExitCode(1)
    }
  }

  /// COCO id → name from `--label_map`, else the config's eval (then train) reader label map;
  /// nil (keep all ids, named "class N") when the config names none.
  static func categories(config: PipelineConfig, labelMapPath: String?, numClasses: Int) throws -> [Int: String]? {
    let path = labelMapPath ?? [config.evalInputReader?.labelMapPath, config.trainInputReader.labelMapPath]
      .compactMap { $0 }.first { !$0.isEmpty }
    guard let path else { return nil }
    do {
      let map = try LabelMap.load(path: path)
      return Dictionary(map.categories(maxNumClasses: numClasses).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    } catch {
      throw ValidationError("label map \(path): \(error)\nPass --label_map with a readable label map "
                            + "(e.g. mscoco_label_map.pbtxt) or fix label_map_path in the config")
    }
  }
}
