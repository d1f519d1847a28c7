import ArgumentParser
import Config
import Data
import Foundation
import Model
import Recipe
import Worker

/// `ssd bench train`: the seed's training benchmark (`SSD320_*GPU_BENCHMARK.sh` with
/// `ssd320_bench.config`): run M training steps, report images/s over the last N (spec §11:
/// the seed averages the last quarter of its global_step/sec lines × batch × GPUs).
///
/// One worker, in this process, through the trainer's `TrainingWorker` (the same step
/// `ssd train` runs: input pipeline, forward, loss, backward, momentum update).
/// With `--workers N` (N > 1) it runs the distributed trainer instead (coordinator + N
/// workers under mpirun, `BenchTrainCommand+Distributed.swift`), for the seed's 4- and
/// 8-GPU rows.
struct BenchTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Training throughput: images/s over the last N of M steps (the seed's training benchmark).",
    discussion: """
      Runs --steps training steps of the model in --pipeline_config_path with the config's batch size \
      (or --batch_size), augmentation, loss and optimizer, and reports images/s over the last --last steps \
      (global batch x steps / their wall time), with the mean input-wait and compute time per step. Images \
      come from --data (TFRecords) or are synthetic 640x480 scenes held in memory; weights start from the \
      initializers (no checkpoint needed). Use a release build.
      With --workers N (N > 1) it runs the distributed trainer instead: launch/run.sh starts a coordinator \
      and N workers under mpirun (batch per worker as above, global batch N times that), and images/s come \
      from the last --last of its step lines. Do not start this command itself with mpirun.

      Examples:
        ssd bench train --pipeline_config_path configs/ssd320_bench.config --steps 20 --last 10 --batch_size 8
        ssd bench train --pipeline_config_path configs/ssd_small_synth.config --steps 40 --last 30 --json train.json
        ssd bench train --pipeline_config_path configs/ssd_small_synth.config --workers 4 --steps 30 --last 20
      """)

  @Option(name: .customLong("pipeline_config_path"), help: "The model, batch size, augmentation and optimizer (e.g. the seed's ssd320_bench.config).")
  var pipelineConfigPath: String

  @Option(help: "Training steps to run (the seed: 1,250).")
  var steps: Int = 20

  @Option(help: "Steps at the end that are timed (the seed: the last quarter).")
  var last: Int?

  @Option(name: .customLong("batch_size"), help: "Images per step (default: train_config.batch_size).")
  var batchSize: Int?

  @Option(help: "TFRecord files (glob or comma list) to train on (default: synthetic images in memory).")
  var data: String?

  @Option(help: "Compute threads (OpenBLAS and element-wise work).")
  var threads: Int = 2

  @Option(name: .customLong("input_threads"), help: "Input pipeline threads (JPEG decode and augmentation).")
  var inputThreads: Int = 1

  @Option(help: "Also write the results as JSON to this path.")
  var json: String?

  @Option(help: "Worker ranks: 1 measures in this process; N > 1 runs the distributed trainer under mpirun.")
  var workers: Int = 1

  func validate() throws {
    guard steps >= 2 else { throw ValidationError("--steps \(steps): use 2 or more (the first step is warm-up)") }
    let l = last ?? max(1, steps / 4)
    guard l >= 1, l < steps else { throw ValidationError("--last \(l): use 1 ... --steps − 1 (\(steps - 1))") }
    guard workers >= 1 else { throw ValidationError("--workers \(workers): use 1 or more") }
    guard threads >= 1, inputThreads >= 1 else { throw ValidationError("--threads and --input_threads: use 1 or more") }
    if let b = batchSize, b < 1 { throw ValidationError("--batch_size \(b): use 1 or more") }
  }

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    if let size = (env["OMPI_COMM_WORLD_SIZE"] ?? env["PMI_SIZE"]).flatMap(Int.init), size > 1 {
      throw ValidationError("bench train was started as \(size) MPI ranks; run it without mpirun and pass "
                            + "--workers \(size) (it starts the coordinator and workers itself)")
    }
    if workers > 1 {
      let batch: Int
      if let b = batchSize {
        batch = b
      } else {
        do {
          batch = try SSDRecipe(config: try PipelineConfig.load(path: pipelineConfigPath)).batchSize
        } catch {
          throw ValidationError("\(error)")
        }
      }
      try runDistributed(workers: workers, timed: last ?? max(1, steps / 4), batchPerWorker: batch)
      return
    }
    BLASRuntime.setGEMMThreads(threads)
    Parallel.threads = threads
    var setup: SSDRecipe
    do {
      let pipeline = try PipelineConfig.load(path: pipelineConfigPath)
      setup = try SSDRecipe(config: pipeline)
    } catch {
      throw ValidationError("\(error)")
    }
    if let b = batchSize { setup.batchSize = b }
    let timed = last ?? max(1, steps / 4)
    let source: any SampleSource
    let sourceName: String
    if let data {
      do {
        source = try TFRecordSampleSource(inputPath: data, labelMap: nil, numClasses: setup.model.numClasses)
      } catch {
        throw ValidationError("--data \(data): \(error)")
      }
      sourceName = data
    } else {
      let count = max(2 * setup.batchSize, 16)
      let dataset = SyntheticDataset(options: .init(trainCount: count, valCount: 0, seed: 2026, size: (640, 480)))
      let encoder = JPEGEncoder()
      source = InMemorySampleSource(try (0..<count).map { i in
        let (scene, jpeg) = try dataset.image(split: "train", index: i, encoder: encoder)
        let gt = GroundTruth(
          boxes: scene.objects.map {
            BoundingBox(ymin: Float($0.y) / 480, xmin: Float($0.x) / 640, ymax: Float($0.y + $0.h) / 480,
                        xmax: Float($0.x + $0.w) / 640)
          },
          classes: scene.objects.map { Int32($0.classId) })
        return EncodedSample(jpeg: jpeg, groundTruth: gt, info: SampleInfo(sourceId: "\(i + 1)", storedHeight: 480, storedWidth: 640))
      })
      sourceName = "synthetic 640x480 (\(count) images in memory)"
    }
    let worker = TrainingWorker(recipe: setup, trainSource: source, seed: 1, inputThreads: inputThreads)
    print("model \(setup.model.imageHeight)x\(setup.model.imageWidth), \(worker.parameters.trainableCount) trainable "
          + "parameters; batch \(setup.batchSize); 1 worker; data: \(sourceName); threads \(threads) + \(inputThreads) input; "
          + "OpenBLAS \(BLASRuntime.coreName); \(steps) steps, last \(timed) timed")
    var stepSeconds: [Double] = [], input: [Double] = [], compute: [Double] = []
    for step in 0..<steps {
      let t0 = Date()
      let stats = try worker.step(globalStep: step)
      let s = Date().timeIntervalSince(t0)
      print(String(format: "step %d | loss %.4f | %.1f img/s | input %.0f ms | compute %.0f ms", step + 1, stats.totalLoss,
                   Double(stats.images) / s, 1000 * stats.inputSeconds, 1000 * stats.computeSeconds))
      fflush(stdout)
      if step >= steps - timed {
        stepSeconds.append(s); input.append(stats.inputSeconds); compute.append(stats.computeSeconds)
      }
    }
    worker.pauseInput()
    let total = stepSeconds.reduce(0, +)
    let ips = Double(setup.batchSize * timed) / total
    let meanInput = 1000 * input.reduce(0, +) / Double(timed), meanCompute = 1000 * compute.reduce(0, +) / Double(timed)
    print("")
    print(" workers | batch/worker | steps timed | images/s | ms/step | input ms | compute ms")
    print(String(format: "%8d | %12d | %11d | %8.2f | %7.0f | %8.1f | %10.1f", 1, setup.batchSize, timed, ips,
                 1000 * total / Double(timed), meanInput, meanCompute))
    if let json {
      let out = "{\n  \"benchmark\": \"train\",\n  \"pipeline_config_path\": \"\(pipelineConfigPath)\",\n  \"workers\": 1,\n"
        + "  \"batch_size_per_worker\": \(setup.batchSize),\n  \"steps\": \(steps),\n  \"timed_steps\": \(timed),\n"
        + "  \"threads\": \(threads),\n  \"input_threads\": \(inputThreads),\n  \"images_per_second\": \(ips),\n"
        + "  \"ms_per_step\": \(1000 * total / Double(timed)),\n  \"input_ms_per_step\": \(meanInput),\n"
        + "  \"compute_ms_per_step\": \(meanCompute),\n  \"step_seconds\": [\(stepSeconds.map { "\($0)" }.joined(separator: ", "))]\n}\n"
      do {
        try out.write(toFile: json, atomically: true, encoding: .utf8)
      } catch {
        throw ValidationError("cannot write \(json): \(error.localizedDescription); pass a writable --json path")
      }
      print("Wrote \(json)")
    }
  }
}
