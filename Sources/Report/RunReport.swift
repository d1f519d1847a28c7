import Foundation

/// The library entry point for run reports: what `ssd report` and the trainer (at each
/// checkpoint and evaluation, and at the end of a run) call to write `report.html` into a
/// model directory.
public enum RunReport {
  /// What `make` wrote.
  public struct Result: Sendable {
    public var path: String
    /// Missing or damaged sources (`RunHistory.warnings`), also listed in the page.
    public var warnings: [String]
  }

  /// Reads `modelDir` (see `RunHistory`) and replaces the HTML report at `output` (default
  /// `<modelDir>/report.html`) atomically: a temporary file, fsync, rename. Throws
  /// `ReportError.nothingToReport` when the directory holds nothing to show.
  public static func make(modelDir: String, raportFiles: [String]? = nil, trainLogs: [String]? = nil,
                          output: String? = nil, generatedAt: Date = Date()) throws -> Result {
    let history = try RunHistory(modelDir: modelDir, raportFiles: raportFiles, trainLogs: trainLogs)
    if history.isEmpty { throw ReportError.nothingToReport(path: modelDir) }
    let path = output ?? (modelDir as NSString).appendingPathComponent("report.html")
    let page = HTMLReport(history: history, modelDir: modelDir, generatedAt: generatedAt).html()
    try AtomicFile.write(Array(page.utf8), to: path)
    return Result(path: path, warnings: history.warnings)
  }

  /// `make`, returning only the path written.
  @discardableResult
  public static func write(modelDir: String, raportFiles: [String]? = nil, trainLogs: [String]? = nil,
                           output: String? = nil) throws -> String {
    try make(modelDir: modelDir, raportFiles: raportFiles, trainLogs: trainLogs, output: output).path
  }
}
