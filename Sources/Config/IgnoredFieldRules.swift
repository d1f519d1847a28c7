/// Which set fields have no effect in the fork's `model_main.py` path (spec §1.5, §3.6,
/// §5, §7, §9.1) and therefore none here; only fields the file actually sets are listed.
enum IgnoredFieldRules {
  static let legacyTrainer = "used only by the legacy train.py trainer; model_main.py averages gradients over all workers every step"

  /// (path from the root, reason). A `*` component matches every element of a repeated field.
  static let rules: [(path: [String], reason: String)] = [
    (["train_config", "sync_replicas"], legacyTrainer),
    (["train_config", "replicas_to_aggregate"], legacyTrainer),
    (["train_config", "startup_delay_steps"], legacyTrainer),
    (["train_config", "max_number_of_boxes"],
     "deprecated; train_input_reader.max_number_of_boxes (default 100) sets the ground-truth padding"),
    (["model", "ssd", "freeze_batchnorm"],
     "ineffective for the slim ResNet-FPN extractor: batch norm still trains on batch statistics and updates its moving averages (spec 3.6)"),
    (["model", "ssd", "inplace_batchnorm_update"],
     "only decides how TensorFlow attaches batch-norm update ops; moving statistics update once per step either way"),
    (["model", "ssd", "matcher", "argmax_matcher", "use_matmul_gather"],
     "a one-hot matmul gather gives the same result as a plain gather"),
    (["eval_config", "num_examples"], "model_main.py evaluates the whole eval input once (steps=None)"),
    (["train_input_reader", "sample_1_of_n_examples"], "the fork's dataset builder never applies it"),
    (["eval_input_reader", "*", "sample_1_of_n_examples"], "the fork's dataset builder never applies it"),
  ]

  static func find(in root: ProtoMessage) -> [IgnoredField] {
    var found: [IgnoredField] = []
    for rule in rules {
      collect(root, rule.path[...], prefix: "", reason: rule.reason, into: &found)
    }
    return found.sorted { $0.location < $1.location }
  }

  private static func collect(_ m: ProtoMessage, _ path: ArraySlice<String>, prefix: String, reason: String,
                              into found: inout [IgnoredField])
  {
    guard let name = path.first, m.messageSchema.field(name) != nil, let entry = m.entry(name) else { return }
    let here = prefix.isEmpty ? name : prefix + "." + name
    let rest = path.dropFirst()
    if rest.isEmpty {
      found.append(IgnoredField(path: here, location: entry.location ?? .fileStart, reason: reason))
      return
    }
    if rest.first == "*" {
      for (i, value) in entry.values.enumerated() {
        if case .message(let sub) = value { collect(sub, rest.dropFirst(), prefix: "\(here)[\(i)]", reason: reason, into: &found) }
      }
    } else if case .message(let sub) = entry.values.last {
      collect(sub, rest, prefix: here, reason: reason, into: &found)
    }
  }
}
