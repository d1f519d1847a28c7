/// What a worker can be told (the coordinator → worker messages), decoded from a received
/// kind and payload. A worker → coordinator kind is a protocol error (`WireError`).
public enum Command: Equatable {
  case train(TrainMessage)
  case endPhase
  case syncStates
  case getParameters
  case getMomentum
  case setParameters(SetParametersMessage)
  case setMomentum(SetMomentumMessage)
  case evaluate(EvaluateMessage)
  case shutdown

  public init(kind: MessageKind, payload: [UInt8], what: String) throws {
    switch kind {
    case .train: self = .train(try TrainMessage(payload: payload, what: what))
    case .endPhase: _ = try EndPhaseMessage(payload: payload, what: what); self = .endPhase
    case .syncStates: _ = try SyncStatesMessage(payload: payload, what: what); self = .syncStates
    case .getParameters: _ = try GetParametersMessage(payload: payload, what: what); self = .getParameters
    case .getMomentum: _ = try GetMomentumMessage(payload: payload, what: what); self = .getMomentum
    case .setParameters: self = .setParameters(try SetParametersMessage(payload: payload, what: what))
    case .setMomentum: self = .setMomentum(try SetMomentumMessage(payload: payload, what: what))
    case .evaluate: self = .evaluate(try EvaluateMessage(payload: payload, what: what))
    case .shutdown: _ = try ShutdownMessage(payload: payload, what: what); self = .shutdown
    case .hello, .stepDone, .parameters, .momentum, .evaluated:
      throw WireError(what: what, reason: "\(kind) is sent by workers, not to them")
    }
  }
}
