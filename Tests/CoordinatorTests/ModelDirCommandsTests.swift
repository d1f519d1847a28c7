import Config
import Data
import Events
import Foundation
import Testing
import TestSupport

/// A model_dir describes itself: `ssd train` leaves pipeline.config (the config as used),
/// event files and report.html in it, and eval-only mode, `ssd eval`, `ssd detect` and
/// `ssd report` then need only the directory. Runs the `ssd` binary as a user does.
@Suite(.serialized) struct ModelDirCommandsTests {
  /// Runs `ssd ARGS` in `dir`; returns its exit status and output.
  func ssd(_ arguments: [String], in dir: String, log: String) throws -> (status: Int32, output: String) {
    let job = try DistributedJob(executable: DistributedJob.ssdBinary, arguments: arguments,
                                 environment: ["OPENBLAS_NUM_THREADS": "1"], log: dir + "/" + log)
    let result = job.finish(timeout: 600)
    print("ssd \(arguments.first ?? ""): exit \(result.status) after \(String(format: "%.1f", result.seconds)) s")
    #expect(!result.timedOut, "ssd \(arguments.joined(separator: " ")) timed out")
    return (result.status, job.output)
  }

  @Test func modelDirAloneIsEnough() throws {
    let work = try Fixtures.temporaryDirectory("modeldir-cli")
    defer { try? FileManager.default.removeItem(atPath: work) }
    let config = try TestRuns.config()
    let configPath = work + "/tiny.config"
    try config.savedText().write(toFile: configPath, atomically: true, encoding: .utf8)
    let run = work + "/run"

    // Training: pipeline.config, event files, report.html.
    let train = try ssd(["train", "--pipeline_config_path", configPath, "--model_dir", run, "--seed", "3",
                         "--hparams_overrides", "load_pretrained=false", "--sample_1_of_n_eval_examples", "8",
                         "--log_every_n_steps", "1"], in: work, log: "train.log")
    try #require(train.status == 0, "\(train.output)")
    let saved = try PipelineConfig.load(path: run + "/pipeline.config")
    #expect(saved.model == config.model && saved.evalInputReaders[0].sample1OfNExamples == 8)
    #expect(EventFileName.files(in: run).count == 1)
    #expect(EventFileName.files(in: run + "/eval_validation_data").count == 1)
    let report = try String(contentsOfFile: run + "/report.html", encoding: .utf8)
    #expect(report.contains("data:image/jpeg;base64,"))  // the gallery of the evaluation pictures

    // Resuming with the model_dir alone (no --pipeline_config_path) for 2 more steps: a second
    // training event file continuing at step 5; pipeline.config rewritten as now used.
    let resumed = try ssd(["train", "--model_dir", run, "--hparams_overrides", "load_pretrained=false", "--seed", "3",
                           "--num_train_steps", "6", "--log_every_n_steps", "1", "--sample_1_of_n_eval_examples", "8"],
                          in: work, log: "resume.log")
    try #require(resumed.status == 0, "\(resumed.output)")
    let trainingFiles = try EventFileName.files(in: run).map { try EventFile.read(path: $0) }
    try #require(trainingFiles.count == 2)
    #expect(Set(trainingFiles[1].scalars.map(\.step)) == [5, 6])
    #expect(try PipelineConfig.load(path: run + "/pipeline.config").trainConfig.numSteps == 6)

    // Eval-only into a fresh model_dir: the config comes from --checkpoint_dir's pipeline.config.
    let evalOnly = try ssd(["train", "--model_dir", work + "/evalonly", "--checkpoint_dir", run, "--run_once",
                            "--hparams_overrides", "load_pretrained=false", "--seed", "3", "--sample_1_of_n_eval_examples", "8"],
                           in: work, log: "evalonly.log")
    #expect(evalOnly.status == 0, "\(evalOnly.output)")
    let evalFiles = EventFileName.files(in: work + "/evalonly/eval_validation_data")
    try #require(evalFiles.count == 1)
    #expect(try EventFile.read(path: evalFiles[0]).scalars.contains { $0.tag == "DetectionBoxes_Precision/mAP" && $0.step == 6 })

    // ssd eval --model_dir: the newest detections scored against the ground truth rebuilt from
    // the records pipeline.config names: the mAP training's evaluation wrote.
    let eval = try ssd(["eval", "--model_dir", run], in: work, log: "eval.log")
    #expect(eval.status == 0, "\(eval.output)")
    let json = try JSONSerialization.jsonObject(with: Foundation.Data(contentsOf: URL(fileURLWithPath: run + "/eval_validation_data/metrics-6.json")))
    let mAP = try #require(((json as? [String: Any])?["metrics"] as? [String: Double])?["DetectionBoxes_Precision/mAP"])
    let line = try #require(eval.output.split(separator: "\n").first {
      $0.contains("Average Precision") && $0.contains("0.50:0.95") && $0.contains("all") && $0.contains("maxDets=100")
    })
    #expect(line.hasSuffix(String(format: "%.3f", mAP)), "\(line) vs \(mAP)")

    // ssd detect with the checkpoint directory only.
    let records = try TinyModel.trainSource()
    try Fixtures.writeBytes(try records.sample(0).jpeg, to: work + "/image.jpg")
    let detect = try ssd(["detect", "--checkpoint", run, "--output", work + "/dets.json", "--score_threshold", "0",
                          work + "/image.jpg"], in: work, log: "detect.log")
    #expect(detect.status == 0, "\(detect.output)")
    #expect(FileManager.default.fileExists(atPath: work + "/dets.json"))

    // ssd report on the model_dir.
    let rep = try ssd(["report", run, "--output", work + "/report.html"], in: work, log: "report.log")
    #expect(rep.status == 0, "\(rep.output)")

    // Neither a flag nor a pipeline.config: one clear error naming both.
    let none = try ssd(["train", "--model_dir", work + "/empty"], in: work, log: "none.log")
    #expect(none.status != 0)
    #expect(none.output.contains("pipeline.config") && none.output.contains("--pipeline_config_path"), "\(none.output)")
    let noneDetect = try ssd(["detect", "--checkpoint", work + "/empty", work + "/image.jpg"], in: work, log: "none-detect.log")
    #expect(noneDetect.status != 0 && noneDetect.output.contains("--pipeline_config_path"), "\(noneDetect.output)")
  }
}
