import Comm
import Foundation

/// `--check`: the training path under a real MPI job — layout check, training's gradient
/// exchange (`GradientReduction`) overlapped with a simulated backward on the comm thread,
/// and a refused mismatched layout.
extension BenchAllreduceCommand {
  /// Prints one line per check and `CHECK OK (n ranks)` on rank 0 when all pass.
  func selfTest(comm: Communicator, thread: CommThread) throws -> Bool {
    let p = comm.size, rank = comm.rank
    let transport = try thread.sync { MPITransport(communicator: comm) }
    let counts = [1000, 3, 50_000, 7, 123_457, 1, 0, 2048]
    var offset = 0
    let variables = counts.enumerated().map { i, n -> VariableLayout in
      defer { offset += n }
      return VariableLayout(name: "selftest/v\(i)", shape: [n], offset: offset)
    }
    let plan = BucketPlan(variables: variables, bucketBytes: 64 << 10)
    var failures: [String] = []

    // 1. Identical layouts pass.
    try thread.sync { try LayoutCheck.verify(plan, ring: RingAllReduce(transport: transport)) }

    // 2. Training's exchange, buckets released during a simulated backward: reduce-scatter,
    // shard copied, all-gather; bit-identical to the ring reference (averaged).
    let inputs: [[Float]] = (0..<p).map { r -> [Float] in
      (0..<plan.totalCount).map { i -> Float in
        let base = Float((r * 7 + i) % 1021)
        return base * 0.37 - Float(r) * 1.5
      }
    }
    let want = RingAllReduce.reference(inputs, average: true)
    let ring = RingAllReduce(transport: transport, chunkElements: 4096, timeout: .seconds(60))
    let reduction = GradientReduction(plan: plan, ring: ring, thread: thread)
    let shard = reduction.shards[rank]
    for step in 0..<3 {
      var arena = inputs[rank]
      try arena.withUnsafeMutableBufferPointer { a in
        reduction.begin(step: step)
        for bucket in plan.buckets {
          Thread.sleep(forTimeInterval: 0.002)  // "backward" of this bucket's variables
          reduction.gradientsReady(from: bucket.range.lowerBound, gradients: UnsafeBufferPointer(a))
        }
        let averaged = try reduction.finish(gradients: UnsafeBufferPointer(a))
        for i in shard { a[i] = averaged[i] }
        try reduction.allGather(a, step: step)
      }
      if !zip(arena, want).allSatisfy({ $0.bitPattern == $1.bitPattern }) {
        failures.append("gradient exchange step \(step) differs from the reference on rank \(rank)")
      }
    }

    // 3. A rank with a different layout is refused everywhere.
    var changed = variables
    if rank == p - 1 && p > 1 { changed[2] = VariableLayout(name: "selftest/other", shape: [50_000], offset: changed[2].offset) }
    let refused: Bool = try thread.sync {
      do {
        try LayoutCheck.verify(BucketPlan(variables: changed, bucketBytes: 64 << 10), ring: RingAllReduce(transport: transport))
        return false
      } catch CommError.layoutMismatch(let report) {
        if rank == 0 { print("layout mismatch report (expected):\n\(report)") }
        return report.contains("selftest/other")
      }
    }
    if p > 1 && !refused { failures.append("mismatched layout was not refused on rank \(rank)") }

    // 4. Split into even and odd ranks; a ring all-reduce inside each half.
    let halfOK: Bool = try thread.sync {
      let half = try comm.split(color: rank % 2, key: rank)
      defer { try? half.finalize() }
      var x: [Float] = [Float(rank), 1]
      try RingAllReduce(transport: MPITransport(communicator: half)).allReduce(&x)
      let members = Array(stride(from: rank % 2, to: p, by: 2))
      return half.size == members.count && half.rank == rank / 2
        && x == [Float(members.reduce(0, +)), Float(members.count)]
    }
    if !halfOK { failures.append("all-reduce within a split communicator was wrong on rank \(rank)") }

    let failed = try thread.sync { try comm.sumOverRanks(Double(failures.count)) }
    for failure in failures { print("CHECK FAILED: \(failure)") }
    if rank == 0 {
      print("gradient exchange: \(plan.buckets.count) buckets, 3 steps, bit-identical to the reference: \(failed == 0)")
      print(failed == 0 ? "CHECK OK (\(p) ranks)" : "CHECK FAILED (\(p) ranks)")
    }
    return failed == 0
  }
}
