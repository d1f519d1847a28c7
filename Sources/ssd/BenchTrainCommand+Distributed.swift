import ArgumentParser
import Data
import Foundation

/// `ssd bench train --workers N` (N > 1): the seed's multi-GPU training benchmark rows, on N
/// worker ranks of the distributed trainer. Starts `launch/run.sh N CONFIG DIR` (coordinator +
/// N workers under mpirun) with `--num_train_steps M --log_every_n_steps 1`, echoes its output,
/// and reads the per-step `ms/step` figures of the last `--last` steps from its step lines:
/// images/s = N × batch per worker / mean step time. Training data: `--data`, else a synthetic
/// 640x480 TFRecord set written to a temporary directory (the config's input paths are
/// replaced by it). The evaluation the trainer runs after the last step is not timed.
extension BenchTrainCommand {
  /// The step times (seconds) of the last `timed` step lines of a distributed run.
  static func stepSeconds(fromLog lines: [String], timed: Int) -> [Double] {
    var seconds: [Double] = []
    for line in lines where line.hasPrefix("step ") {
      let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      if let ms = parts.first(where: { $0.hasSuffix("ms/step") }),
         let v = Double(ms.dropLast("ms/step".count).trimmingCharacters(in: .whitespaces)) {
        seconds.append(v / 1000)
      }
    }
    return Array(seconds.suffix(timed))
  }

  /// `input_path` and `label_map_path` values of every reader replaced by the given ones.
  static func pointing(config text: String, inputPath: String, labelMap: String?) -> String {
    var out = text.replacingOccurrences(of: #"input_path\s*:\s*("[^"]*"|'[^']*')"#,
                                        with: "input_path: \"\(inputPath)\"", options: .regularExpression)
    if let labelMap {
      out = out.replacingOccurrences(of: #"label_map_path\s*:\s*("[^"]*"|'[^']*')"#,
                                     with: "label_map_path: \"\(labelMap)\"", options: .regularExpression)
    }
    return out
  }

  func runDistributed(workers: Int, timed: Int, batchPerWorker: Int) throws {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    // The source tree holding this binary (.build/<triple>/<config>/ssd): the nearest
    // ancestor with launch/run.sh.
    var dir = binary.deletingLastPathComponent()
    for _ in 0..<5 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("launch/run.sh").path) {
      dir = dir.deletingLastPathComponent()
    }
    let launcher = ProcessInfo.processInfo.environment["SSD_LAUNCH"]
      ?? dir.appendingPathComponent("launch/run.sh").path
    guard FileManager.default.isExecutableFile(atPath: launcher) else {
      throw ValidationError("--workers \(workers) runs launch/run.sh, not found at \(launcher); "
                            + "run the ssd built in the source tree (.build/release/ssd) or set SSD_LAUNCH")
    }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("ssd-bench-train-\(getpid())").path
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }

    var inputPath = data, labelMap: String? = nil
    if inputPath == nil {
      let count = max(2 * batchPerWorker * workers, 16)
      print("writing \(count) synthetic 640x480 training images to \(work)/data")
      _ = try SyntheticDataset(options: .init(trainCount: count, valCount: 4, seed: 2026, size: (640, 480)))
        .write(to: work + "/data")
      inputPath = work + "/data/synth_train.record-*"
      labelMap = work + "/data/label_map.pbtxt"
    }
    let text: String
    do {
      text = try String(contentsOfFile: pipelineConfigPath, encoding: .utf8)
    } catch {
      throw CommandFailure("cannot read \(pipelineConfigPath): \(error.localizedDescription)")
    }
    var config = Self.pointing(config: text, inputPath: inputPath!, labelMap: labelMap)
    if let b = batchSize {
      config = config.replacingOccurrences(of: #"batch_size\s*:\s*[0-9]+"#, with: "batch_size: \(b)",
                                           options: .regularExpression)
    }
    let configPath = work + "/pipeline.config"
    try config.write(toFile: configPath, atomically: true, encoding: .utf8)

    fflush(stdout)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: launcher)
    process.arguments = ["\(workers)", configPath, work + "/model", "--num_train_steps", "\(steps)",
                         "--log_every_n_steps", "1", "--hparams_overrides", "load_pretrained=false",
                         "--save_checkpoints_steps", "\(steps)", "--sample_1_of_n_eval_examples", "4"]
    var env = ProcessInfo.processInfo.environment
    env["SSD_BIN"] = binary.path
    env["THREADS_PER_RANK"] = env["THREADS_PER_RANK"] ?? "\(max(1, threads / workers))"
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    var lines: [String] = []
    var pending = Data()
    while true {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      FileHandle.standardOutput.write(chunk)
      pending.append(chunk)
      while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
        lines.append(String(decoding: pending[pending.startIndex..<nl], as: UTF8.self))
        pending.removeSubrange(pending.startIndex...nl)
      }
    }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CommandFailure("the distributed run failed (exit \(process.terminationStatus)); its output is above")
    }
    let seconds = Self.stepSeconds(fromLog: lines, timed: timed)
    guard seconds.count == timed else {
      throw CommandFailure("found \(seconds.count) step lines in the trainer's output, expected at least \(timed)")
    }
    let mean = seconds.reduce(0, +) / Double(timed)
    let ips = Double(workers * batchPerWorker) / mean
    print("")
    print(" workers | batch/worker | steps timed | images/s | ms/step")
    print(String(format: "%8d | %12d | %11d | %8.2f | %7.0f", workers, batchPerWorker, timed, ips, 1000 * mean))
    if let json {
      let out = "{\n  \"benchmark\": \"train\",\n  \"pipeline_config_path\": \"\(pipelineConfigPath)\",\n"
        + "  \"workers\": \(workers),\n  \"batch_size_per_worker\": \(batchPerWorker),\n  \"steps\": \(steps),\n"
        + "  \"timed_steps\": \(timed),\n  \"images_per_second\": \(ips),\n  \"ms_per_step\": \(1000 * mean),\n"
        + "  \"step_seconds\": [\(seconds.map { "\($0)" }.joined(separator: ", "))]\n}\n"
      try out.write(toFile: json, atomically: true, encoding: .utf8)
      print("Wrote \(json)")
    }
  }
}
