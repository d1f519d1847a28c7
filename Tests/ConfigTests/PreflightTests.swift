import Foundation
import Testing
@testable import Config
import TestSupport

/// The checks before the first step: each names the field or flag and the path.
struct PreflightTests {
  /// A plan of the small config whose readers point at `trainGlob` / `evalGlob` and label maps.
  /// (The small config names a fine_tune_checkpoint; it is restored only when `fineTune` is given.)
  func plan(dir: String, evalGlob: String, evalLabelMap: String, fineTune: String? = nil,
            loadPretrained: Bool? = nil) throws -> ModelMainPlan {
    let path = Fixtures.packageRoot.appendingPathComponent("configs/ssd_small_synth.config").path
    var overrides = [
      "train_input_reader.tf_record_input_reader.input_path=['\(dir)/train.record*']",
      "train_input_reader.label_map_path='\(dir)/label_map.pbtxt'",
      "eval_input_reader[0].tf_record_input_reader.input_path=['\(evalGlob)']",
      "eval_input_reader[0].label_map_path='\(evalLabelMap)'",
    ]
    if let fineTune { overrides.append("train_config.fine_tune_checkpoint='\(fineTune)'") }
    let config = try PipelineConfig.load(path: path).applyingOverrides(overrides)
    var flags = ModelMainFlags()
    flags.modelDir = dir + "/model"
    flags.pipelineConfigPath = path
    if !(loadPretrained ?? (fineTune != nil)) { flags.hparamsOverrides = "load_pretrained=false" }
    return try ModelMainPlan(flags: flags, config: config)
  }

  func scratch(_ tag: String) throws -> String {
    let dir = try Fixtures.temporaryDirectory(tag)
    try Data([1]).write(to: URL(fileURLWithPath: dir + "/train.record-00000-of-00001"))
    try Data([1]).write(to: URL(fileURLWithPath: dir + "/val.record-00000-of-00001"))
    try "item { id: 1 name: 'a' }\n".write(toFile: dir + "/label_map.pbtxt", atomically: true, encoding: .utf8)
    return dir
  }

  @Test func aGoodSetupHasNoProblems() throws {
    let dir = try scratch("preflight-ok")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let p = try plan(dir: dir, evalGlob: dir + "/val.record*", evalLabelMap: dir + "/label_map.pbtxt")
    #expect(Preflight.problems(plan: p, modelDir: dir + "/model", create: false).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: dir + "/model"))
    #expect(Preflight.problems(plan: p, modelDir: dir + "/model", create: true).isEmpty)
    #expect(FileManager.default.fileExists(atPath: dir + "/model"))
  }

  @Test func emptyEvalGlobNamesTheEvalReader() throws {
    let dir = try scratch("preflight-eval-glob")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let p = try plan(dir: dir, evalGlob: dir + "/nothing*", evalLabelMap: dir + "/label_map.pbtxt")
    let problems = Preflight.problems(plan: p, modelDir: nil, create: false)
    #expect(problems.map(\.field) == ["eval_input_reader[0].tf_record_input_reader.input_path"])
    #expect(problems[0].message.contains("no file matches '\(dir)/nothing*'") && problems[0].message.contains("the eval reader"))
  }

  @Test func missingEvalLabelMapNamesTheEvalReader() throws {
    let dir = try scratch("preflight-eval-map")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let p = try plan(dir: dir, evalGlob: dir + "/val.record*", evalLabelMap: dir + "/missing.pbtxt")
    let problems = Preflight.problems(plan: p, modelDir: nil, create: false)
    #expect(problems.map(\.field) == ["eval_input_reader[0].label_map_path"])
    #expect(problems[0].description.contains("the eval reader") && problems[0].description.contains("\(dir)/missing.pbtxt"))
  }

  @Test func missingFineTuneCheckpointSaysHowToSkipIt() throws {
    let dir = try scratch("preflight-ft")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let p = try plan(dir: dir, evalGlob: dir + "/val.record*", evalLabelMap: dir + "/label_map.pbtxt",
                     fineTune: dir + "/resnet/model.ckpt")
    let problems = Preflight.problems(plan: p, modelDir: nil, create: false)
    #expect(problems.map(\.field) == ["train_config.fine_tune_checkpoint"])
    #expect(problems[0].message.contains("load_pretrained=false"))
    // Not restored: not checked.
    let skip = try plan(dir: dir, evalGlob: dir + "/val.record*", evalLabelMap: dir + "/label_map.pbtxt",
                        fineTune: dir + "/resnet/model.ckpt", loadPretrained: false)
    #expect(Preflight.problems(plan: skip, modelDir: nil, create: false).isEmpty)
    // A V2 prefix with its .index exists: fine.
    try FileManager.default.createDirectory(atPath: dir + "/resnet", withIntermediateDirectories: true)
    try Data().write(to: URL(fileURLWithPath: dir + "/resnet/model.ckpt.index"))
    #expect(Preflight.problems(plan: p, modelDir: nil, create: false).isEmpty)
  }

  @Test func modelDirThatCannotBeWritten() throws {
    let dir = try scratch("preflight-model-dir")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data([1]).write(to: URL(fileURLWithPath: dir + "/afile"))
    // A file in the way: as model_dir itself, and as a parent.
    #expect(Preflight.modelDirProblem(dir + "/afile", create: true)?.message.contains("is a file, not a directory") == true)
    let under = Preflight.modelDirProblem(dir + "/afile/run1", create: false)
    #expect(under?.field == "--model_dir" && under?.message.contains("'\(dir)/afile' is a file") == true)
    #expect(Preflight.modelDirProblem(dir + "/afile/run1", create: true) != nil)
    // A file system that takes no new entries (sysfs refuses them even to root).
    #expect(Preflight.modelDirProblem("/sys/ssd-model-dir", create: true) != nil)
    #expect(Preflight.modelDirProblem("/sys/ssd-model-dir", create: false) != nil)
    #expect(Preflight.modelDirProblem("/sys", create: true)?.message.hasPrefix("cannot write in '/sys'") == true)
  }
}
