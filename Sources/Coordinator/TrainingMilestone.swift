/// A point of a run where its files in model_dir changed, for whoever watches the run
/// (`ssd train` rewrites `report.html`; tests look at the event files while the run goes on).
/// Delivered on the coordinator's thread after the files are written and flushed.
public enum TrainingMilestone: Equatable, Sendable {
  /// A training step was logged (event scalars and DLLogger line written); the step count
  /// after it.
  case loggedStep(Int)
  /// A checkpoint was saved (`prefix` is its path prefix).
  case checkpoint(step: Int, prefix: String)
  /// An evaluation's metrics, detections and events were written.
  case evaluation(name: String, step: Int)
}
