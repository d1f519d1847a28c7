import ArgumentParser
import Config
import Data
import Dispatch
import Foundation
import Inference
import Model
import Recipe

/// `ssd bench infer`: the seed's inference benchmark (`SSD320_inference.py`, spec §11–12):
/// images/s and latency percentiles per batch size, with preprocessing excluded (network +
/// post-processing on ready input tensors) and included (JPEG decode + resize + mean
/// subtraction + network + post-processing).
struct BenchInferCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "infer",
    abstract: "Inference throughput and latency per batch size (the seed's inference benchmark).",
    discussion: """
      For each batch size: warm-up iterations, then timed iterations, each timing (a) the network in inference \
      mode plus post-processing (spec §8) on a preprocessed batch, then (b) the same including JPEG decoding, \
      legacy bilinear resize and mean subtraction of each image (on --threads threads). images/s is the \
      mean over iterations of batch/latency, as the seed's script computes it; latencies are in ms \
      (average, 90/95/99th percentile). Images come from the TFRecords of --data (default: the config's \
      eval_input_reader, if present) or are synthetic 640x480 scenes. Weights are random unless --checkpoint \
      is given (timing does not depend on them: the score threshold 1e-8 keeps NMS fully loaded either way).
      Use a release build (swift build -c release).

      Examples:
        ssd bench infer --config ssd320 --batch_sizes 1,2,4,8 --iterations 10 --json infer.json
        ssd bench infer --pipeline_config_path configs/ssd320_full_1gpus.config --data '/data/*val*' --threads 2
        ssd bench infer --config tiny --iterations 50
      """)

  @Option(help: "Model preset when no pipeline config is given: ssd320 or tiny.")
  var config: String = "ssd320"

  @Option(name: .customLong("pipeline_config_path"), help: "Build the model and post-processing from this pipeline.config instead.")
  var pipelineConfigPath: String?

  @Option(help: "Checkpoint prefix or model_dir to load (optional).")
  var checkpoint: String?

  @Option(help: "TFRecord files (glob or comma list) to take JPEGs from (default: the config's eval data, else synthetic).")
  var data: String?

  @Option(name: .customLong("batch_sizes"), help: "Comma-separated batch sizes (the seed's table: 1,2,4,8,16,32,64).")
  var batchSizes: String = "1,2,4,8,16,32,64"

  @Option(help: "Timed iterations per batch size and mode (the seed: 300).")
  var iterations: Int = 10

  @Option(help: "Untimed warm-up iterations per batch size and mode (the seed: 100).")
  var warmup: Int = 2

  @Option(help: "Threads for OpenBLAS, element-wise work and JPEG decoding.")
  var threads: Int = 2

  @Option(help: "Kernel variant: portable, avx2 or avx512 (default: the widest this CPU runs; SSD_KERNELS also sets it).")
  var kernels: String?
  @Option(help: "Rows·columns of the square SGEMM timed for reference.") var gemmSize: Int = 2048
  @Option(help: "Also write the results as JSON to this path.")
  var json: String?

  func validate() throws {
    guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): use 1 or more") }
    guard warmup >= 0 else { throw ValidationError("--warmup \(warmup): use 0 or more") }
    guard threads >= 1 else { throw ValidationError("--threads \(threads): use 1 or more") }
    _ = try parsedBatchSizes()
  }

  func parsedBatchSizes() throws -> [Int] {
    let sizes = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
      throw ValidationError("--batch_sizes \(batchSizes): give positive integers separated by commas, e.g. 1,2,4,8")
    }
    return sizes.map { $0! }
  }

  func makeDetector() throws -> (Detector, String, PipelineConfig?) {
    if let path = pipelineConfigPath {
      do {
        let pipeline = try PipelineConfig.load(path: path)
        return (try Detector(config: pipeline), path, pipeline)
      } catch {
        throw CommandFailure(error)
      }
    }
    let model: SSDConfig
    switch config {
    case "ssd320": model = .ssd320
    case "tiny": model = .tiny
    default: throw ValidationError("--config \(config): use ssd320 or tiny, or pass --pipeline_config_path")
    }
    let network = SSDNetwork(config: model, seed: 0)
    network.keepsActivations = false
    return (Detector(network: network, postProcessor: PostProcessor(anchors: model.anchors(), numClasses: model.numClasses)),
            config, nil)
  }

  /// JPEG bytes to run on: the TFRecords of `--data` / the config's eval reader, else synthetic.
  func images(pipeline: PipelineConfig?, count: Int) throws -> (jpegs: [[UInt8]], source: String) {
    let pattern = data ?? pipeline?.evalInputReader.map { $0.inputPaths.joined(separator: ",") }
    if let pattern, !pattern.isEmpty {
      do {
        let source = try TFRecordSampleSource(inputPath: pattern, labelMap: nil)
        if source.count > 0 {
          return (try (0..<min(count, source.count)).map { try source.sample($0).jpeg }, pattern)
        }
      } catch where data == nil {
        print("note: eval data \(pattern) not readable (\(error)); using synthetic images")
      }
    }
    let dataset = SyntheticDataset(options: .init(trainCount: count, valCount: 0, seed: 2026, size: (640, 480)))
    let encoder = JPEGEncoder()
    return (try (0..<count).map { try dataset.image(split: "train", index: $0, encoder: encoder).1 }, "synthetic 640x480")
  }

  func run() throws {
    BLASRuntime.setGEMMThreads(threads)
    Parallel.threads = threads
    let sizes = try parsedBatchSizes()
    if let kernels {
      guard let isa = Kernels.ISA.allCases.first(where: { $0.name == kernels }) else {
        throw ValidationError("--kernels \(kernels): use portable, avx2 or avx512")
      }
      guard Kernels.select(isa) else {
        throw ValidationError("--kernels \(kernels): this CPU runs at most \(Kernels.supported.name)")
      }
    }
    let (detector, name, pipeline) = try makeDetector()
    if let checkpoint {
      do { try detector.loadWeights(from: checkpoint) } catch { throw CommandFailure(error) }
    }
    let (jpegs, source) = try images(pipeline: pipeline, count: min(64, sizes.max()!))
    print("model \(name): \(detector.model.imageHeight)x\(detector.model.imageWidth), \(detector.model.numAnchors) anchors, "
          + "\(detector.model.numClasses) classes; images: \(source) (\(jpegs.count) distinct); threads \(threads); "
          + "OpenBLAS \(BLASRuntime.coreName); \(warmup) warm-up + \(iterations) timed iterations")
    print("C kernels: \(Kernels.description); GEMM threads: \(BLASRuntime.threadingDescription)")
    let gemm = SGEMMReference.rate(size: gemmSize, repeats: 3)
    print(String(format: "SGEMM %dx%dx%d (same run, for reference): %.1f GFLOP/s wall (best of 3)",
                 gemmSize, gemmSize, gemmSize, gemm.wall))
    // The network's multiply-adds per image, for GFLOP/s next to the SGEMM's.
    let flopPerImage = 2 * Double(ModelSummary(config: detector.network.config).forwardMACs)
    let decoders = (0..<threads).map { _ in JPEGDecoder() }
    let n = detector.inputCount
    // Preprocessing of one batch on `threads` threads (each image decoded and resized once).
    func preprocess(_ batch: [[UInt8]]) throws -> Tensor {
      var failure: Error?
      let lock = NSLock()
      let t = Tensor(uninitialized: [batch.count, detector.model.imageHeight, detector.model.imageWidth, 3]) { buf in
        let base = buf.baseAddress!
        DispatchQueue.concurrentPerform(iterations: min(threads, batch.count)) { worker in
          for i in stride(from: worker, to: batch.count, by: min(threads, batch.count)) {
            do {
              let image = try decoders[worker].decode(batch[i])
              detector.preprocess(image, into: base + i * n)
            } catch {
              lock.lock(); failure = error; lock.unlock()
            }
          }
        }
      }
      if let failure { throw failure }
      return t
    }
    func time(_ body: () throws -> Void) rethrows -> Double {
      let t0 = DispatchTime.now().uptimeNanoseconds
      try body()
      return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
    var rows: [(batch: Int, excluded: LatencyStats, included: LatencyStats)] = []
    print("")
    print(" batch | net+NMS img/s | latency ms avg / 90% / 95% / 99%     | +preprocessing img/s | latency ms avg / 90% / 95% / 99%"
          + "     | ms/image net / post | post % | net GFLOP/s (% of SGEMM)")
    for b in sizes {
      let batchJPEGs = (0..<b).map { jpegs[$0 % jpegs.count] }
      let input = try preprocess(batchJPEGs)
      var excluded: [Double] = [], included: [Double] = [], network: [Double] = [], post: [Double] = []
      // The two modes alternate, so a change in machine load affects both alike.
      for i in 0..<(warmup + iterations) {
        var outputs: (Tensor, Tensor)?
        let n = time { outputs = detector.network.forward(input) }
        let p = time { _ = detector.postProcessor.detect(boxEncodings: outputs!.0, classLogits: outputs!.1) }
        outputs = nil
        let b = try time { _ = detector.infer(try preprocess(batchJPEGs)) }
        if i >= warmup {
          excluded.append(n + p)
          network.append(n)
          post.append(p)
          included.append(b)
        }
      }
      let e = LatencyStats(batchSize: b, seconds: excluded), inc = LatencyStats(batchSize: b, seconds: included)
      rows.append((b, e, inc))
      func lat(_ s: LatencyStats) -> String {
        String(format: "%8.1f / %8.1f / %8.1f / %8.1f", s.averageMilliseconds, s.percentileMilliseconds(90),
               s.percentileMilliseconds(95), s.percentileMilliseconds(99))
      }
      let netMs = 1000 * network.reduce(0, +) / Double(network.count) / Double(b)
      let postMs = 1000 * post.reduce(0, +) / Double(post.count) / Double(b)
      let netRate = flopPerImage / (netMs / 1000) / 1e9
      print(String(format: "%6d | %13.2f | %@ | %20.2f | %@ | %7.1f / %5.1f | %5.1f%% | %6.1f (%.0f%%)", b, e.imagesPerSecond,
                   lat(e), inc.imagesPerSecond, lat(inc), netMs, postMs, 100 * postMs / (netMs + postMs), netRate,
                   100 * netRate / gemm.wall))
      fflush(stdout)
    }
    if let json {
      func obj(_ s: LatencyStats) -> String {
        "{\"images_per_second\": \(s.imagesPerSecond), \"latency_ms\": {\"avg\": \(s.averageMilliseconds), "
          + "\"p90\": \(s.percentileMilliseconds(90)), \"p95\": \(s.percentileMilliseconds(95)), "
          + "\"p99\": \(s.percentileMilliseconds(99))}}"
      }
      var out = "{\n  \"benchmark\": \"infer\",\n  \"model\": \"\(name)\",\n  \"image_size\": [\(detector.model.imageHeight), "
        + "\(detector.model.imageWidth)],\n  \"images\": \"\(source)\",\n  \"threads\": \(threads),\n  \"openblas_core\": "
        + "\"\(BLASRuntime.coreName)\",\n  \"c_kernels\": \"\(Kernels.isa.name)\",\n  \"sgemm_gflops\": \(gemm.wall),\n  \"warmup\": \(warmup),\n  \"iterations\": \(iterations),\n  \"results\": ["
      out += rows.map { "\n    {\"batch_size\": \($0.batch), \"preprocessing_excluded\": \(obj($0.excluded)), "
        + "\"preprocessing_included\": \(obj($0.included))}" }.joined(separator: ",")
      out += "\n  ]\n}\n"
      do {
        try out.write(toFile: json, atomically: true, encoding: .utf8)
      } catch {
        throw CommandFailure("cannot write \(json): \(error.localizedDescription); pass a writable --json path")
      }
      print("Wrote \(json)")
    }
  }
}
