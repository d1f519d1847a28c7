import ArgumentParser
import Config
import Coordinator
import Foundation

/// `ssd config check`: the verdict `ssd train` would give, without training. Takes ssd train's
/// command line: the config is loaded and checked field by field (`TrainerVerdict`: every
/// field used, ignored with a note, or refused), the flags are checked as train checks them
/// (`ModelMainPlan`), and with `--model_dir` (or `--check_files`) the files are checked as
/// train checks them before its first step (`Preflight`: globs match, label maps parse,
/// fine_tune_checkpoint readable, model_dir creatable and writable), so a config can be
/// validated on a login node before a job is submitted.
struct ConfigCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a pipeline.config (and, given ssd train's flags, its files) as ssd train would; print what it trains.",
    discussion: """
      Takes ssd train's flags (see ssd train --help); only --pipeline_config_path is required.
        --config_override PATH=VALUE   a field override (e.g. train_config.batch_size=8); repeatable
        --check_files                  check the files without --model_dir
      Exit status 1 if the config, an override, a flag or a file has a problem; config
      problems print as file:line:column: error: <field path>: <what>.

      Examples:
        ssd config check --pipeline_config_path configs/ssd_small_synth.config
        ssd config check --pipeline_config_path cfg.config --model_dir /results/run1 --num_train_steps 100
      """)

  @Argument(parsing: .captureForPassthrough, help: "ssd train's flags (--pipeline_config_path required).")
  var arguments: [String] = []

  static let extraFlags: [ModelMainFlags.Spec] = ModelMainFlags.trainerSpecs + [
    .init(name: "config_override", kind: .string, defaultValue: nil,
          help: "A field override path=value (e.g. train_config.batch_size=8); repeatable."),
    .init(name: "check_files", kind: .boolean, defaultValue: "false",
          help: "Check the config's files (inputs, label maps, fine_tune_checkpoint) without --model_dir."),
  ]

  func run() throws {
    if arguments.contains(where: { ["--help", "-h", "-help", "--helpfull"].contains($0) }) {
      print(Self.helpMessage())
      return
    }
    var problems = 0
    let commandLine: ModelMainFlags.CommandLine
    do {
      commandLine = try ModelMainFlags.parse(arguments, extra: Self.extraFlags, requireRequired: false)
    } catch {
      throw ValidationError("\(error)")
    }
    guard let path = commandLine.flags.pipelineConfigPath else { throw ValidationError("--pipeline_config_path is required") }
    if !commandLine.positional.isEmpty {
      throw ValidationError("unexpected arguments: \(commandLine.positional.joined(separator: " "))")
    }
    for flag in commandLine.loggingFlags { printError("note: \(flag): absl logging flag, no effect here") }
    let config: PipelineConfig
    do {
      var loaded = try PipelineConfig.load(path: path)
      let overrides = commandLine.extraValues["config_override"] ?? []
      if !overrides.isEmpty { loaded = try loaded.applyingOverrides(overrides, source: "--config_override") }
      config = loaded
    } catch let error as ConfigError {
      printError(error.description)
      throw ExitCode.failure
    }
    for warning in config.warnings { printError(warning.description) }
    let verdict = TrainerVerdict(config: config)
    for field in verdict.ignored {
      print("\(path):\(field.location): note: \(field.path): ignored: \(field.reason)")
    }
    for error in verdict.errors { printError(error.description) }
    problems += verdict.errors.count

    var plan: ModelMainPlan?
    if verdict.errors.isEmpty {
      do {
        plan = try ModelMainPlan(flags: commandLine.flags, config: config, requireModelDir: false)
      } catch {
        printError("error: \(error)")
        problems += 1
      }
    }
    let modelDir = commandLine.flags.modelDir
    if let plan, modelDir != nil || commandLine.extra("check_files") == "true" {
      // ssd train's checks before its first step, creating nothing.
      let result = RunPreflight.check(plan: plan, modelDir: modelDir, evalAnnotations: commandLine.extra("eval_annotations"),
                                      create: false)
      for note in result.notes { print(note) }
      for p in result.problems { printError("error: \(p)") }
      problems += result.problems.count
      if result.problems.isEmpty {
        print("files: inputs, label maps\(plan.restoresFineTuneCheckpoint ? ", fine_tune_checkpoint" : "")"
              + "\(modelDir != nil ? ", --model_dir" : "") checked")
      }
    }
    for line in config.summaryLines { print(line) }
    if let plan { print("load_pretrained: \(plan.hparams.loadPretrained)") }
    if problems > 0 {
      printError("\(path): \(problems) problem\(problems == 1 ? "" : "s"); ssd train would stop before its first step")
      throw ExitCode.failure
    }
  }

  private func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
