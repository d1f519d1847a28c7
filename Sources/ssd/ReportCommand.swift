import ArgumentParser
import Foundation
import Report

/// `ssd report MODEL_DIR`: a self-contained HTML page about a training run.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report (inline SVG plots) of a training run's model_dir.",
    discussion: """
      Reads what ssd train leaves in MODEL_DIR: DLLogger reports (files starting with 'DLLL ', e.g. the \
      --raport_file), saved console logs (*.log with 'step N | loss …' lines), eval_*/metrics-<step>.json, \
      the checkpoint list and pipeline.config. Plots total and per-part loss, learning rate and images/s over \
      steps, AP and AR over evaluations; tables of every evaluation and of the last per-class AP; the run \
      configuration. The page has no scripts and loads nothing from the network.

      Examples:
        ssd report /results/ssd320                 # writes /results/ssd320/report.html
        ssd report /tmp/small --raport_file /tmp/summary.json --train_log /tmp/train.log --output small.html
      """)

  @Argument(help: "The model_dir of the run.")
  var modelDir: String

  @Option(name: .customLong("raport_file"), help: "DLLogger report(s) to read (default: every file in MODEL_DIR that starts with 'DLLL ').")
  var raportFiles: [String] = []

  @Option(name: .customLong("train_log"), help: "Saved console output(s) of ssd train (default: MODEL_DIR/*.log).")
  var trainLogs: [String] = []

  @Option(help: "Where to write the page (default: MODEL_DIR/report.html).")
  var output: String?

  func run() throws {
    do {
      let path = try RunReport.write(modelDir: modelDir, raportFiles: raportFiles.isEmpty ? nil : raportFiles,
                                     trainLogs: trainLogs.isEmpty ? nil : trainLogs, output: output)
      print("Wrote \(path)")
    } catch let error as ReportError {
      throw ValidationError(error.description)
    }
  }
}
