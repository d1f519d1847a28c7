/// Flags of the distributed trainer shared by the coordinator and the workers (both parse
/// the same command line; see `ssd coordinator --help`).
public struct DistributedOptions: Sendable {
  /// A gradient collective that waits longer than this aborts the job with a stall report
  /// (which step, which workers never joined).
  public var stallTimeoutSeconds: Double = 300
  /// The coordinator aborts the job when a worker has not answered a command for this long
  /// (a step, a checkpoint gather or its share of an evaluation); a worker aborts it when the
  /// coordinator has sent no command for this long (a stopped or hung coordinator).
  public var replyTimeoutSeconds: Double = 1800
  /// After every step each worker sends a checksum of its weights; the coordinator aborts
  /// the job if any two differ (proves the replicas stay identical).
  public var checkReplicas = false
  /// Run batch norm in inference mode (moving statistics, no updates) during training. For
  /// equivalence tests only: per-worker batch statistics make W workers differ from one by
  /// design, frozen statistics make them equal.
  public var freezeBatchNorm = false
  /// Multiply both loss weights by the worker count (equivalence tests only): with the loss
  /// summed over the batch (`normalize_loss_by_num_matches: false`, no L2 loss) the averaged
  /// gradient of W workers is then the one-worker gradient of the same global batch, whatever
  /// W is, so a job restarted on fewer workers can be compared with one that was not.
  public var scaleLossByWorkers = false
  /// Failure drill (tests): worker `testHangWorker` stops answering (sleeps, never joins the
  /// collective) when asked for step `testHangStep`, so the others' stall detector fires.
  public var testHangWorker: Int?
  public var testHangStep = 0
  /// Floats per pipelined ring message.
  public var chunkElements = 1 << 18
  /// Reduce-scatter gradient buckets while backward runs (`BucketedReduceScatter`); false
  /// reduces the whole arena after backward (same results bit for bit; for comparisons).
  public var overlapCommunication = true
  /// Bucket size of the overlapped reduction.
  public var bucketBytes = 8 << 20
  /// All-gather the updated weights while the next step's forward runs, each part of the
  /// network waiting for its own weights (`TrainingWorker.overlapsWeightGather`); false
  /// gathers the whole arena at the end of the step (same weights bit for bit). Off by
  /// default: on the netns cluster it hides 0.45–0.9 s of communication per step, but all
  /// ranks there share 2 cores and the step does not get shorter (docs/distributed.md).
  public var overlapWeightGather = false
  /// Piece size of the overlapped weight all-gather: each piece is one ring all-gather, and a
  /// layer's forward waits only for the pieces that hold its weights.
  public var gatherPieceBytes = 8 << 20

  public init() {}

  /// The flags as `(name, help)` for the command help.
  public static let flags: [(name: String, kind: String, help: String)] = [
    ("stall_timeout_secs", "number, default 300", "Abort the job when a gradient collective waits this long; "
       + "the report names the step and the workers that never joined."),
    ("reply_timeout_secs", "number, default 1800", "Coordinator: abort when a worker does not answer a command "
       + "(step, checkpoint gather, evaluation share) for this long; workers: abort when the coordinator sends no command "
       + "for this long."),
    ("check_replicas", "boolean", "Compare a checksum of every worker's weights after each step; abort on a difference."),
    ("freeze_batchnorm_for_test", "boolean", "Batch norm in inference mode during training (equivalence tests only)."),
    ("scale_loss_by_workers_for_test", "boolean", "Multiply the loss weights by the worker count (equivalence tests of "
       + "restarts on another worker count only)."),
    ("test_hang_worker", "integer", "Failure drill: this worker stops answering at --test_hang_step (never joins the "
       + "gradient collective), to exercise the stall detector."),
    ("test_hang_step", "integer, default 0", "Step at which --test_hang_worker hangs."),
    ("overlap_comm", "boolean, default true", "Reduce-scatter gradient buckets while backward runs; "
       + "--overlap_comm=false reduces the whole arena after backward (bit-identical results, for timing comparisons)."),
    ("bucket_mib", "integer, default 8", "Gradient bucket size in MiB for --overlap_comm."),
    ("overlap_weight_gather", "boolean, default false", "All-gather the updated weights while the next step's "
       + "forward runs (each layer waits for its own); without it they are gathered at the end of the step "
       + "(bit-identical results either way)."),
    ("gather_piece_kib", "integer, default 8192", "Piece size in KiB of the --overlap_weight_gather all-gather "
       + "(a layer waits for the pieces holding its weights)."),
  ]
}
