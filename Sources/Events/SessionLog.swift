/// A session marker (`tensorflow.SessionLog`). TensorFlow's training loop writes `start`
/// when a run (or a resumed run) begins — TensorBoard then drops data of an earlier attempt
/// at or after that step — and `checkpoint` with the checkpoint's path at every save.
public struct SessionLog: Equatable, Sendable {
  public enum Status: Int32, Sendable {
    case unspecified = 0
    case start = 1
    case stop = 2
    case checkpoint = 3
  }

  public var status: Status
  public var checkpointPath: String
  public var message: String

  public init(status: Status, checkpointPath: String = "", message: String = "") {
    self.status = status
    self.checkpointPath = checkpointPath
    self.message = message
  }
}
