/// One coordinator ↔ worker message over the world communicator (coordinator = world rank 0,
/// worker w = world rank w + 1). Sent as a 32-byte header (kind, step, argument, payload
/// length) on `ControlChannel.headerTag`, then the payload (if any) on `payloadTag`.
///
/// Protocol (the coordinator drives; workers only answer):
/// ```
/// worker → coordinator  hello(payload: host, pid, train examples)      once, at start
/// coordinator → all     train(step)            → every worker: stepDone(payload: stats)
/// coordinator → all     endPhase                 (no answer; input threads stop)
/// coordinator → all     syncStates               worker 0 broadcasts its BN statistics
/// coordinator → w0      getParameters          → parameters(values, states)
/// coordinator → all     getMomentum            → momentum(own shard)
/// coordinator → all     setParameters(values, states)
/// coordinator → all     setMomentum(own shard)
/// coordinator → all     evaluate(arg: batch, payload: indices) → evaluated(images)
/// coordinator → all     shutdown                 (workers finalize MPI and exit 0)
/// ```
public struct ControlMessage {
  public enum Kind: UInt64, CustomStringConvertible {
    case hello = 1, train, stepDone, endPhase, syncStates, getParameters, parameters, getMomentum, momentum,
      setParameters, setMomentum, evaluate, evaluated, shutdown
    public var description: String { "\(self)" }
  }

  public var kind: Kind
  public var step: Int
  public var argument: Int
  public var payload: [UInt8]

  public init(_ kind: Kind, step: Int = 0, argument: Int = 0, payload: [UInt8] = []) {
    self.kind = kind
    self.step = step
    self.argument = argument
    self.payload = payload
  }
}
