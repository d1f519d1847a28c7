/// One line of the restart log (`MODEL_DIR/supervisor/restarts.jsonl`, JSON lines, keys in
/// snake case), written by the supervisor and read by `ssd report`:
///
/// - `start`: an attempt starts — `restart` (0 for the first attempt), `workers`, `hosts`,
///   `excluded` (left out after failures), `global_batch`, `per_worker_batch`, `resume_step`
///   (newest committed checkpoint, absent on a fresh start);
/// - `first_step`: the attempt's first step line — `step`, and on a restart `downtime_seconds`
///   (from the end of the failed attempt to this line);
/// - `end`: an attempt ended — `status`, `outcome` (finished, restart, fatal, stopped), `cause`,
///   `failed_hosts`, `last_step` (highest step logged), `checkpoint_step` (newest committed
///   checkpoint), `steps_lost` (steps since that checkpoint, trained again after a restart);
/// - `stop`: the supervisor exits — `status`, `reason`.
///
/// `time` is Unix seconds.
public struct RestartRecord: Codable, Equatable, Sendable {
  public var event: String
  public var attempt: Int
  public var time: Double
  public var restart: Int?
  public var workers: Int?
  public var hosts: [String]?
  public var excluded: [String]?
  public var globalBatch: Int?
  public var perWorkerBatch: Int?
  public var resumeStep: Int?
  public var step: Int?
  public var downtimeSeconds: Double?
  public var status: Int32?
  public var outcome: String?
  public var cause: String?
  public var failedHosts: [String]?
  public var lastStep: Int?
  public var checkpointStep: Int?
  public var stepsLost: Int?
  public var reason: String?

  public init(event: String, attempt: Int, time: Double) {
    self.event = event
    self.attempt = attempt
    self.time = time
  }
}
