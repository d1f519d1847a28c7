import ArgumentParser
import Comm
import Foundation

/// `--stall-rank` / `--soak-seconds`: failure drills of the stall detector under a real MPI job,
/// on training's own gradient exchange (`GradientReduction`: bucketed ZeRO-1 reduce-scatter,
/// then the all-gather, each under the `StallDetector`).
extension BenchAllreduceCommand {
  /// Runs training's exchange steps (4 MiB arena, 1 MiB buckets) with a `--stall-timeout`
  /// deadline. With `--stall-rank R`, rank R skips the first step and sleeps; the other ranks
  /// must print `CommError.stalled` naming bucket 0 and rank R, and abort the job
  /// (`MPI_Abort`, `AbortCode.collectiveStalled`). With `--soak-seconds S`, steps repeat for S
  /// seconds (rank 0 prints progress) so that a link can be cut meanwhile (`shape.sh NODE down`).
  func failureDrill(comm: Communicator, thread: CommThread) throws {
    let rank = comm.rank
    let transport = try thread.sync { MPITransport(communicator: comm) }
    let variables = (0..<4).map { VariableLayout(name: "drill/v\($0)", shape: [1 << 18], offset: $0 << 18) }
    let plan = BucketPlan(variables: variables, bucketBytes: 1 << 20)
    let ring = RingAllReduce(transport: transport, timeout: .milliseconds(Int(stallTimeout * 1000)))
    let reduction = GradientReduction(plan: plan, ring: ring, thread: thread)
    var arena = [Float](repeating: Float(rank), count: plan.totalCount)
    if let stallRank {
      if rank == stallRank {
        print("rank \(rank): deliberately not joining the bucketed all-reduce")
        Thread.sleep(forTimeInterval: 4 * stallTimeout + 10)
        print("rank \(rank): still alive after the drill: the other ranks did not abort the job")
        throw ExitCode(2)
      }
      try exchangeStep(reduction, arena: &arena, step: 0)
      print("rank \(rank): the exchange finished although rank \(stallRank) never joined")
      throw ExitCode(2)
    }
    let start = ContinuousClock.now
    var step = 0
    while (ContinuousClock.now - start) < .milliseconds(Int((soakSeconds ?? 0) * 1000)) {
      try exchangeStep(reduction, arena: &arena, step: step)
      if rank == 0 && step % 10 == 0 {
        print("soak step \(step) at \(String(format: "%.1f", Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000)) s")
        fflush(stdout)
      }
      step += 1
      // Steps must not drift apart: every rank runs a fixed number of steps decided by rank 0.
      let more: [UInt8] = try thread.sync {
        try ring.broadcast(bytes: [ContinuousClock.now - start < .milliseconds(Int((soakSeconds ?? 0) * 1000)) ? 1 : 0],
                           root: 0)
      }
      if more == [0] { break }
    }
    if rank == 0 { print("soak finished after \(step) steps") }
  }

  /// One training exchange of `arena` as both gradients and weights: reduce-scatter of every
  /// bucket, this rank's averaged shard copied into the arena, all-gather. Afterwards `arena`
  /// is the average over ranks (the ring's summation order).
  func exchangeStep(_ reduction: GradientReduction, arena: inout [Float], step: Int) throws {
    let shard = reduction.shards[reduction.rank]
    reduction.begin(step: step)
    try arena.withUnsafeMutableBufferPointer { a in
      let averaged = try reduction.finish(gradients: UnsafeBufferPointer(a))
      for i in shard { a[i] = averaged[i] }
      try reduction.allGather(a, step: step)
    }
  }
}
