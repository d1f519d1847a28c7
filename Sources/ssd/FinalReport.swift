import Foundation
import Report

/// Writes `report.html` into the model dir at the end of a run (`ssd train`, `ssd coordinator`).
/// A report that cannot be written is a warning, never a failed run: the training is done.
enum FinalReport {
  static func write(modelDir: String, raportFile: String?) {
    let raports = raportFile.flatMap { FileManager.default.fileExists(atPath: $0) ? [$0] : nil }
    do {
      let path = try RunReport.write(modelDir: modelDir, raportFiles: raports)
      print("report: \(path)")
    } catch {
      FileHandle.standardError.write(Data("warning: no report written: \(error)\n".utf8))
    }
  }
}
