/// The coordinator process: step counting, eval schedule, checkpoint consolidation.
/// Filled by the training and distribution issues.
public enum CoordinatorRole {}
