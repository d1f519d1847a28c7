import Foundation

/// The library entry point for run reports: what `ssd report` and the trainer (at the end
/// of a run) call to write `report.html` into a model directory.
public enum RunReport {
  /// Reads `modelDir` (see `RunHistory`) and writes the HTML report to `output` (default
  /// `<modelDir>/report.html`), atomically. Returns the path written. Throws
  /// `ReportError.nothingToReport` when the directory holds nothing to show.
  @discardableResult
  public static func write(modelDir: String, raportFiles: [String]? = nil, trainLogs: [String]? = nil,
                           output: String? = nil) throws -> String {
    let history = try RunHistory(modelDir: modelDir, raportFiles: raportFiles, trainLogs: trainLogs)
    if history.isEmpty { throw ReportError.nothingToReport(path: modelDir) }
    let path = output ?? (modelDir as NSString).appendingPathComponent("report.html")
    let page = HTMLReport(history: history, modelDir: modelDir).html()
    do {
      try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw ReportError.cannotWrite(path: path, reason: error.localizedDescription)
    }
    return path
  }
}
