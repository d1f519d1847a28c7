import Events
import Foundation

/// The job's TensorBoard event files, written by the coordinator only (workers never write
/// events): `MODEL_DIR/events.out.tfevents.<seconds>.<host>` for training and
/// `MODEL_DIR/eval_<name>/events.out.tfevents.*` per evaluation. Each file is created on first
/// use, so a run that only evaluates has no training file; a new run (resumed or not) adds new
/// files and never appends to an old one. Every record reaches the file as it is written
/// (`EventFileWriter`), so TensorBoard and `ssd report` see a running job.
///
/// A file that cannot be created or written is an `EventFileError` naming it and saying what
/// to check: the run stops rather than leaving a model_dir that silently lacks its curves.
final class RunEventLog {
  let modelDir: String
  private var training: EventFileWriter?
  private var evaluations: [String: EventFileWriter] = [:]

  init(modelDir: String) { self.modelDir = modelDir }

  /// The training file, created with a session START marker at `firstStep`, the first step
  /// this run trains (the resume step + 1): TensorBoard then drops what an earlier attempt
  /// logged at or after it — steps trained after its last checkpoint, which this run trains
  /// again — and keeps the earlier values, so the curve continues.
  func startTraining(firstStep: Int) throws {
    guard training == nil else { return }
    let w = try open(directory: modelDir)
    try w.addSessionLog(SessionLog(status: .start), step: Int64(firstStep))
    training = w
  }

  /// Scalars of one logged training step.
  func trainingScalars(_ values: [(tag: String, value: Float)], step: Int) throws {
    guard let w = training else { preconditionFailure("RunEventLog.trainingScalars before startTraining") }
    try w.addScalars(values, step: Int64(step))
  }

  /// A CHECKPOINT marker with the checkpoint's path (as TensorFlow's saver hook writes).
  func checkpointSaved(prefix: String, step: Int) throws {
    guard let w = training else { return }
    try w.addSessionLog(SessionLog(status: .checkpoint, checkpointPath: prefix), step: Int64(step))
  }

  /// One evaluation's scalars and pictures at the checkpoint's step, in `eval_<name>/`.
  func evaluation(name: String, scalars: [(tag: String, value: Float)], images: [(tag: String, image: SummaryImage)],
                  step: Int) throws {
    let w: EventFileWriter
    if let existing = evaluations[name] {
      w = existing
    } else {
      w = try open(directory: (modelDir as NSString).appendingPathComponent("eval_\(name)"))
      evaluations[name] = w
    }
    try w.addScalars(scalars, step: Int64(step))
    try w.addImages(images, step: Int64(step))
  }

  /// Paths of the files written so far (training first).
  var paths: [String] {
    (training.map { [$0.path] } ?? []) + evaluations.keys.sorted().map { evaluations[$0]!.path }
  }

  func close() {
    training?.close()
    for w in evaluations.values { w.close() }
  }

  private func open(directory: String) throws -> EventFileWriter {
    try EventFileWriter(directory: directory)
  }
}
