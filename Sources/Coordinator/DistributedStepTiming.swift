import Foundation

/// Where one distributed step's time went, seen from the coordinator: the wall time from
/// sending `TrainMessage` to the last reply, and for the worker with the most compute (the
/// critical path) its compute (forward, loss, backward, shard update), exposed communication
/// (the wait for the reduce-scatter buckets still running after backward, plus the
/// all-gather: `StepStats.communicationSeconds`) and input wait. Wall − compute −
/// communication − input is control messaging (sending the command, collecting replies).
public struct DistributedStepTiming: Sendable {
  public var step: Int
  public var wallSeconds: Double
  public var computeSeconds: Double
  public var communicationSeconds: Double
  public var inputSeconds: Double

  /// One grep-able line of means over `timings` (nil when empty):
  /// `timing | 4 workers | 20 steps | step 812.0 ms = compute 700.1 + exposed comm 90.2 + input 1.0 + other 20.7 ms`
  public static func summary<C: Collection>(_ timings: C, workers: Int) -> String? where C.Element == DistributedStepTiming {
    guard !timings.isEmpty else { return nil }
    let n = Double(timings.count)
    func mean(_ k: KeyPath<DistributedStepTiming, Double>) -> Double { timings.map { $0[keyPath: k] }.reduce(0, +) / n * 1000 }
    let wall = mean(\.wallSeconds), compute = mean(\.computeSeconds), comm = mean(\.communicationSeconds)
    let input = mean(\.inputSeconds)
    return String(format: "timing | %d workers | %d steps | step %.1f ms = compute %.1f + exposed comm %.1f + input %.1f + other %.1f ms",
                  workers, timings.count, wall, compute, comm, input, wall - compute - comm - input)
  }
}
