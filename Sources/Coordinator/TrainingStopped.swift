/// Thrown by `TrainingCoordinator.run()` when a `StopRequest` ended the run early: training
/// finished its current step and wrote the checkpoint `checkpoint` (the newest committed one),
/// or eval-only mode stopped waiting (`checkpoint` nil). Not a failure: the command ends with
/// `exitStatus`, and the same command started again resumes from the checkpoint.
public struct TrainingStopped: Error, CustomStringConvertible {
  /// EX_TEMPFAIL (sysexits.h): "try again later". launch/run.sh, mpirun and `ssd supervise`
  /// pass it through; `ssd supervise` does not restart a job that ended with it.
  public static let exitStatus: Int32 = 75

  public var request: StopRequest
  /// The global step the run stopped at.
  public var step: Int
  /// The checkpoint prefix written (or already committed) at `step`; nil in eval-only mode.
  public var checkpoint: String?

  public init(request: StopRequest, step: Int, checkpoint: String?) {
    self.request = request
    self.step = step
    self.checkpoint = checkpoint
  }

  public var description: String {
    "stopped on signal \(request.signal) (\(Self.signalName(request.signal)), received by \(request.receivedBy))"
      + (checkpoint.map { " at step \(step): checkpoint \($0); start the same job again to resume from it" }
         ?? " in eval-only mode (last evaluated step \(step))")
  }

  static func signalName(_ s: Int32) -> String {
    switch s {
    case 15: return "SIGTERM"
    case 2: return "SIGINT"
    case 10: return "SIGUSR1"
    case 1: return "SIGHUP"
    default: return "signal \(s)"
    }
  }
}
