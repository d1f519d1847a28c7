/// The exit statuses a distributed job (mpirun, hence `launch/run.sh`) ends with, as the
/// supervisor reads them. mpirun exits with the `MPI_Abort` code of the rank that aborted, the
/// exit code of the first rank that exited non-zero, or 128 + the signal that killed a rank.
/// docs/distributed.md has the table.
public enum ExitStatus {
  /// The coordinator failed (its last line says why: bad input, a diverged replica, a
  /// protocol error).
  public static let coordinatorFailed: Int32 = 2
  /// A worker failed (its message names the worker, its host and the error).
  public static let workerFailed: Int32 = 3
  /// A gradient collective stalled: a worker never joined or its data stopped.
  public static let collectiveStalled: Int32 = 4
  /// The coordinator could not reach the workers.
  public static let workersUnreachable: Int32 = 5
  /// Command-line or config errors found before MPI started (ArgumentParser's EX_USAGE).
  public static let usage: Int32 = 64
  /// The job stopped on a signal after writing a checkpoint at the current step (EX_TEMPFAIL:
  /// start it again to continue).
  public static let stoppedOnSignal: Int32 = 75

  /// True for the BSD sysexits range (64 usage … 78 config): errors about the input that a
  /// restart would repeat.
  public static func isInputError(_ status: Int32) -> Bool { (64...78).contains(status) && status != stoppedOnSignal }
}
