import ArgumentParser
import Foundation
import Report

/// `ssd report MODEL_DIR`: a self-contained HTML page about a training run.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report (inline SVG plots) of a training run's model_dir.",
    discussion: """
      Reads everything ssd train leaves in MODEL_DIR: DLLogger reports (files starting with 'DLLL ', e.g. the \
      --raport_file), TensorBoard event files (events.out.tfevents.* for training, eval*/events.out.tfevents.* for \
      evaluations and their Detections_Left_Groundtruth_Right pictures), eval_*/metrics-<step>.json, saved console \
      logs (*.log with 'step N | loss …' and 'timing | …' lines), the checkpoint list and pipeline.config. It also \
      reads a model_dir written by TensorFlow's model_main.py (its event files). Plots total and per-part loss, \
      learning rate and images/s over steps, the step time split into compute, exposed communication and input \
      wait (per worker when the run logged it), AP and AR over evaluations; a gallery of detections; tables of \
      every evaluation and of the last per-class AP (classes present in the ground truth, sortable); the run \
      configuration. Each source that is missing is named on standard error and in the page. The page has no \
      scripts and loads nothing from the network; it is replaced atomically (temporary file, fsync, rename), so \
      it can be rewritten while a browser shows it.

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
      let result = try RunReport.make(modelDir: modelDir, raportFiles: raportFiles.isEmpty ? nil : raportFiles,
                                      trainLogs: trainLogs.isEmpty ? nil : trainLogs, output: output)
      for w in result.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
      print("Wrote \(result.path)")
    } catch let error as ReportError {
      throw ValidationError(error.description)
    }
  }
}
