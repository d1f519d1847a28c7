/// How a worker combines its gradients with the other workers' before the update, split
/// the way ZeRO-1 needs it (spec §7: gradients are averaged over workers):
///
/// 1. `reduceScatter`: afterwards `gradients[shards[rank]]` holds the average over all
///    workers of that range (other ranges may hold anything);
/// 2. the worker updates its own shard of the values with its own momentum;
/// 3. `allGather`: afterwards every worker's `values` hold every shard's updated values.
///
/// `shards` partitions the trainable arena into `worldSize` contiguous ranges (`ShardLayout`).
/// With one worker both calls do nothing (`IdentityGradientReducer`); the distributed
/// trainer plugs in the ring all-reduce here.
public protocol GradientReducer: AnyObject {
  var rank: Int { get }
  var worldSize: Int { get }
  func reduceScatter(_ gradients: UnsafeMutableBufferPointer<Float>, shards: [Range<Int>]) throws
  func allGather(_ values: UnsafeMutableBufferPointer<Float>, shards: [Range<Int>]) throws
}

/// The reducer of a single worker: its gradients are already the average.
public final class IdentityGradientReducer: GradientReducer {
  public init() {}
  public var rank: Int { 0 }
  public var worldSize: Int { 1 }
  public func reduceScatter(_ gradients: UnsafeMutableBufferPointer<Float>, shards: [Range<Int>]) throws {}
  public func allGather(_ values: UnsafeMutableBufferPointer<Float>, shards: [Range<Int>]) throws {}
}
