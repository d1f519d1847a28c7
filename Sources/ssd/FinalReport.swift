import Coordinator
import Foundation
import Report

/// Writes `report.html` into the model dir during a run (after every checkpoint and
/// evaluation: `live`) and at its end (`ssd train`, `ssd coordinator`), from the same sources `ssd report MODEL_DIR` reads (every DLLogger file, event file,
/// metrics file and log in the model dir), so running `ssd report` later never gives a poorer
/// page. A `--raport_file` outside the model dir is added, with a note that `ssd report`
/// needs it passed explicitly. A report that cannot be written is a warning, never a failed
/// run: the training is done.
enum FinalReport {
  static func write(modelDir: String, raportFile: String?, live: Bool = false) {
    var raports: [String]?
    if let raportFile, FileManager.default.fileExists(atPath: raportFile), !isTopLevel(raportFile, of: modelDir) {
      let inDir = ((try? FileManager.default.contentsOfDirectory(atPath: modelDir)) ?? []).sorted()
        .map { (modelDir as NSString).appendingPathComponent($0) }
        .filter { DLLoggerRecord.looksLikeReport(path: $0) }
      raports = inDir + [raportFile]
      if !live { print("note: --raport_file \(raportFile) is outside the model dir; pass it to ssd report "
            + "(ssd report \(modelDir) --raport_file \(raportFile)) to see its lines again") }
    }
    do {
      let path = try RunReport.write(modelDir: modelDir, raportFiles: raports)
      if !live { print("report: \(path)") }
    } catch {
      FileHandle.standardError.write(Data("warning: no report written: \(error)\n".utf8))
    }
  }

  static func isTopLevel(_ file: String, of directory: String) -> Bool {
    let a = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path
    let b = URL(fileURLWithPath: directory).standardizedFileURL.path
    return a == b
  }
}

extension FinalReport {
  /// The milestone handler of `ssd train` and `ssd coordinator`: `report.html` rewritten
  /// (atomically) after every checkpoint and evaluation, so it shows a running job.
  static func live(modelDir: String, raportFile: String?) -> (TrainingMilestone) -> Void {
    { milestone in
      switch milestone {
      case .checkpoint, .evaluation: write(modelDir: modelDir, raportFile: raportFile, live: true)
      case .loggedStep: break
      }
    }
  }
}
