/// The kinds of coordinator ↔ worker message (the first field of a `MessageHeader`). The
/// protocol, coordinator = world rank 0, worker w = world rank w + 1; the coordinator drives,
/// workers only answer:
/// ```
/// worker → coordinator  HelloMessage (host, pid, sizes)          once, at start
/// coordinator → all     TrainMessage(step)           → every worker: StepDoneMessage(stats)
/// coordinator → all     EndPhaseMessage               (no answer; input threads stop)
/// coordinator → all     SyncStatesMessage             worker 0 broadcasts its BN statistics
/// coordinator → w0      GetParametersMessage        → ParametersMessage(values, states)
/// coordinator → all     GetMomentumMessage          → MomentumMessage(own shard)
/// coordinator → all     SetParametersMessage(values, states)
/// coordinator → w       SetMomentumMessage(w's shard)
/// coordinator → w       EvaluateMessage(batch, indices) → EvaluatedMessage(images)
/// coordinator → all     ShutdownMessage               (workers finalize MPI and exit 0)
/// ```
public enum MessageKind: UInt64, CaseIterable, Sendable, CustomStringConvertible {
  case hello = 1, train, stepDone, endPhase, syncStates, getParameters, parameters, getMomentum, momentum,
    setParameters, setMomentum, evaluate, evaluated, shutdown

  public var description: String { "\(messageType)" }

  /// The message type of this kind.
  public var messageType: any WireMessage.Type {
    switch self {
    case .hello: return HelloMessage.self
    case .train: return TrainMessage.self
    case .stepDone: return StepDoneMessage.self
    case .endPhase: return EndPhaseMessage.self
    case .syncStates: return SyncStatesMessage.self
    case .getParameters: return GetParametersMessage.self
    case .parameters: return ParametersMessage.self
    case .getMomentum: return GetMomentumMessage.self
    case .momentum: return MomentumMessage.self
    case .setParameters: return SetParametersMessage.self
    case .setMomentum: return SetMomentumMessage.self
    case .evaluate: return EvaluateMessage.self
    case .evaluated: return EvaluatedMessage.self
    case .shutdown: return ShutdownMessage.self
    }
  }

  /// Decodes a payload of this kind (any message: the entry point for fuzzing).
  public func decode(_ payload: [UInt8], what: String = "message") throws -> any WireMessage {
    try messageType.init(payload: payload, what: what)
  }
}
