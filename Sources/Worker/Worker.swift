/// The training process of one rank (data shard, train step, gradient sync).
/// Filled by the training and distribution issues.
public enum WorkerRole {}
