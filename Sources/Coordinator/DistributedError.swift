/// A distributed run cannot go on (a worker disagrees, does not answer, or the replicas
/// diverged). The message names the worker, its world rank and host and what to do.
public struct DistributedError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
