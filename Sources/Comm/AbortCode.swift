/// Exit codes of `MPI_Abort`, one per reason, so that mpirun's "exited with code N" says
/// which kind of failure ended the job (the rank's last stderr line says the details).
public enum AbortCode: Int32, Sendable, CustomStringConvertible {
  /// The coordinator failed (bad input, a worker's protocol error, a diverged replica).
  case coordinatorFailed = 2
  /// A worker failed (its message names the worker, its host and the error).
  case workerFailed = 3
  /// A gradient collective stalled: a rank never joined or its data stopped (`StallDetector`).
  case collectiveStalled = 4
  /// The coordinator could not reach the workers (sending a command or fetching the weights).
  case workersUnreachable = 5

  public var description: String {
    switch self {
    case .coordinatorFailed: return "coordinator failed"
    case .workerFailed: return "worker failed"
    case .collectiveStalled: return "gradient collective stalled"
    case .workersUnreachable: return "workers unreachable"
    }
  }
}
