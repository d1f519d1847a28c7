@testable import Report

/// What `ssd report` reads back from a model_dir: a DLLogger report (`DLLL {json}` lines),
/// an evaluation metrics file (`eval_<name>/metrics-<step>.json`) or a console training
/// log (`step N | loss …`), gathered by `RunHistory` and rendered by `HTMLReport`.
/// Input: a flags byte, then the file. The flags' value modulo 3 picks the kind of file;
/// bit 2 set: the whole model_dir is read and rendered (slow), else only the file's parser
/// runs (`DLLoggerRecord.parse` per line, `RunHistory.readMetrics`, `TrainLogLine.parse`).
enum DLLoggerTarget {
  static let files = ["model_dir/report.json", "model_dir/eval_val/metrics-5.json", "model_dir/train.log"]

  static func run(_ input: [UInt8]) {
    let (flags, body) = input.flagsAndBody
    let dir = Scratch.folder("model_dir")
    _ = Scratch.folder("model_dir/eval_val")
    for f in files { Scratch.remove(Scratch.directory + "/" + f) }
    let path = Scratch.write(files[Int(flags % 3)], body)
    if flags & 4 == 0 {
      parseOnly(kind: flags % 3, body, path: path)
      return
    }
    do {
      let history = try RunHistory(modelDir: dir, raportFiles: flags % 3 == 0 ? [path] : [])
      _ = HTMLReport(history: history, modelDir: dir).html()
    } catch {
      expectNamesInput(error, path)
    }
  }

  static func parseOnly(kind: UInt8, _ body: [UInt8], path: String) {
    let text = String(decoding: body, as: UTF8.self)
    switch kind {
    case 0:
      for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        do { _ = try DLLoggerRecord.parse(line, path: path, lineNumber: i + 1) } catch { expectNamesInput(error, path) }
      }
    case 1:
      do { _ = try RunHistory.readMetrics(path: path, step: 5, name: "val") } catch { expectNamesInput(error, path) }
    default:
      for line in text.split(separator: "\n") { _ = TrainLogLine.parse(line) }
    }
  }

  /// A DLLogger report with every step form, a metrics file and a training log, plus the
  /// files in `paths`.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    let report = """
      DLLL {"timestamp": "1700000000.1", "elapsedtime": "0.2", "datetime": "2023-11-14 22:13:20", "type": "METADATA", "metric": "train_throughput", "metadata": {"unit": "images/s"}}
      DLLL {"timestamp": "1700000000.2", "datetime": "x", "elapsedtime": "0.3", "type": "LOG", "step": "PARAMETER", "data": {"num_steps": 1000, "model_dir": "/tmp/m"}}
      DLLL {"timestamp": "1700000001", "datetime": "x", "elapsedtime": 1.5, "type": "LOG", "step": [0, 120], "data": {"total_loss": 1.25, "learning_rate": 0.01, "n": NaN, "p": -Infinity}}
      DLLL {"timestamp": "1700000002", "datetime": "x", "elapsedtime": "2", "type": "LOG", "step": 240, "data": {"total_loss": 1.0}}
      DLLL {"timestamp": "1700000003", "type": "LOG", "step": [], "data": {"train_throughput": 31.5}}
      DLLL {"type": "LOG", "step": [240], "data": {"Precision/mAP": 0.25, "Precision/mAP@.50IOU": 0.5, "Recall/AR@100": 0.3}}
      DLLL {"type": "LOG", "step": [], "data": {"Precision/mAP": 0.3}}
      not a DLLogger line

      """
    let metrics = """
      {
        "metrics": {"Precision/mAP": 0.25, "Precision/mAP@.50IOU": 0.5, "Recall/AR@1": -1.0},
        "stats": [0.25, 0.5],
        "per_category": [{"id": 1, "name": "person", "ap": 0.2, "ap50": 0.4}, {"id": 2, "name": "<b>", "ap": -1.0, "ap50": -1.0}]
      }

      """
    let log = """
      step 120 | loss 1.2345 | cls 0.9 | loc 0.2 | reg 0.1 | lr 0.010000 | 31.2 img/s | 812 ms/step
      step 240 | loss 1.0 | lr 0.02
      Saved checkpoint /tmp/x/model.ckpt-240

      """
    var seeds = [[0] + Array(report.utf8), [1] + Array(metrics.utf8), [2] + Array(log.utf8),
                 [4] + Array(report.utf8), [5] + Array(metrics.utf8), [6] + Array(log.utf8)]
    // Regression inputs: `*.log` training logs, `metrics-*.json` files, DLLogger reports.
    for path in paths {
      guard let bytes = Scratch.read(path) else { continue }
      let name = path.split(separator: "/").last ?? ""
      let kind: UInt8 = name.hasSuffix(".log") ? 2 : name.hasPrefix("metrics-") ? 1 : 0
      seeds += [[kind] + bytes, [kind | 4] + bytes]
    }
    return seeds
  }
}
