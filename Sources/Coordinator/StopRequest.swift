/// A request to stop a run early (`TrainingCoordinator.stopRequest`): the signal (SIGTERM,
/// SIGINT or SIGUSR1, e.g. Slurm's `--signal=USR1@120` warning, a preemption or Ctrl-C) and the
/// rank that received it, for the messages.
public struct StopRequest: Equatable, Sendable {
  public var signal: Int32
  /// "coordinator", "worker 1 (world rank 2) on node-b", "ssd train".
  public var receivedBy: String

  public init(signal: Int32, receivedBy: String) {
    self.signal = signal
    self.receivedBy = receivedBy
  }
}
