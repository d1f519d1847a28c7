/// Why a run report could not be made; each case names the file and what to do.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  case notADirectory(path: String)
  case unreadable(path: String, reason: String)
  /// A DLLogger line that is not `DLLL ` + a JSON object.
  case badLogLine(path: String, line: Int, reason: String)
  /// A metrics JSON file without the expected fields.
  case badMetrics(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  /// Nothing in the model directory to report on.
  case nothingToReport(path: String)

  public var description: String {
    switch self {
    case .notADirectory(let p):
      return "\(p): not a directory; pass the model_dir of a training run (the --model_dir given to ssd train)"
    case .unreadable(let p, let r):
      return "\(p): cannot read (\(r)); check the path and permissions"
    case .badLogLine(let p, let l, let r):
      return "\(p):\(l): not a DLLogger line (\(r)); each line must be 'DLLL ' followed by a JSON object. "
        + "Remove the damaged line or pass another --raport_file"
    case .badMetrics(let p, let r):
      return "\(p): not an evaluation metrics file (\(r)); it should be what ssd train/ssd eval writes "
        + "(eval_<name>/metrics-<step>.json). Move it out of model_dir or re-run the evaluation"
    case .cannotWrite(let p, let r):
      return "\(p): cannot write the report (\(r)); pass a writable --output path"
    case .nothingToReport(let p):
      return "\(p): no DLLogger report, training log, event file or eval_*/metrics-*.json found; train with "
        + "--raport_file \(p)/summary.json (or pass --raport_file / --train_log) and try again"
    }
  }
}
