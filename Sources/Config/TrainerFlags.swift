extension ModelMainFlags {
  /// This trainer's own flags of `ssd train` (and `ssd coordinator` / `ssd worker`), next to
  /// model_main.py's: one spelling style, model_main.py's underscores; the one dashed flag
  /// of earlier versions (`--skip-bad-records`) stays accepted as an alias.
  public static let trainerSpecs: [Spec] = [
    Spec(name: "seed", kind: .integer, defaultValue: "0",
         help: "Seed of the weight initializers, the data order and every sample's augmentation."),
    Spec(name: "save_checkpoints_steps", kind: .integer, defaultValue: nil,
         help: "Checkpoint every N steps (default num_steps/eval_count, as RunConfig does); "
           + "a checkpoint is also written at the end of each training phase."),
    Spec(name: "keep_checkpoint_max", kind: .integer, defaultValue: "5",
         help: "Checkpoints kept in model_dir (older ones are deleted)."),
    Spec(name: "log_every_n_steps", kind: .integer, defaultValue: "10",
         help: "One log line (step, losses, lr, images/s) every N steps."),
    Spec(name: "threads", kind: .integer, defaultValue: "2", help: "Input pipeline threads (JPEG decode and augmentation)."),
    Spec(name: "eval_annotations", kind: .string, defaultValue: nil,
         help: "COCO instances JSON to score against (ground truth rebuilt from the eval records otherwise, "
           + "as the recipe does; spec §9.1)."),
    Spec(name: "eval_batch_size", kind: .integer, defaultValue: "8",
         help: "Images per inference batch during evaluation (results do not depend on it)."),
    Spec(name: "eval_poll_secs", kind: .number, defaultValue: "180",
         help: "Continuous evaluation: seconds between looks for a new checkpoint."),
    Spec(name: "global_batch_size", kind: .integer, defaultValue: nil,
         help: "Images per step over all workers: each of W workers takes global/W (W must divide it) "
           + "instead of the config's batch_size. ssd supervise passes it so that a restart on fewer workers keeps the batch."),
    Spec(name: "skip_bad_records", kind: .boolean, defaultValue: "false",
         help: "Check every record first (tf.Example, JPEG) and skip those that fail, listing them; "
           + "without it the first bad record stops the run naming its file and record.",
         aliases: ["skip-bad-records"]),
  ]
}
