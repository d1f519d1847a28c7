import ArgumentParser
import Comm
import Foundation

/// `ssd bench allreduce`: our ring all-reduce against `MPI_Allreduce`, in one `mpirun` job.
///
/// For each buffer size (powers of two from `--min_bytes` to `--max_bytes`) each algorithm runs
/// `--iterations` timed rounds after one warm-up; a round's time is the slowest rank's. Prints
/// time, algorithm bandwidth (bytes / time) and bus bandwidth as nccl-tests define it,
/// busbw = algbw · 2(n−1)/n. Inputs are small integers (`(rank·7 + i) mod 1021`), so all
/// results are exact and `--check` compares them element by element with the true sum.
struct BenchAllreduceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "allreduce",
    abstract: "Ring all-reduce vs MPI_Allreduce bandwidth (run under mpirun).",
    discussion: """
      Example (4 ranks on one machine, as root):
        mpirun --allow-run-as-root --oversubscribe -np 4 .build/release/ssd bench allreduce --json ar.json
      """)

  @Option(name: .underscored("min_bytes"), help: "Smallest buffer in bytes.") var minBytes: Int = 1 << 20
  @Option(name: .underscored("max_bytes"), help: "Largest buffer in bytes (sizes double from --min_bytes).") var maxBytes: Int = 128 << 20
  @Option(help: "Timed rounds per size and algorithm (default: 20 up to 4 MiB, 8 up to 32 MiB, 4 above).")
  var iterations: Int?
  @Option(name: .underscored("chunk_kib"), help: "Pipelined message size of the ring, in KiB.") var chunkKib: Int = 1024
  @Option(help: "Comma-separated algorithms: ring (ours), direct (ours, all-to-all schedule for one machine), mpi (MPI_Allreduce).")
  var algorithms: String = "ring,direct,mpi"
  @Flag(help: "Verify every result exactly; exit 1 on a mismatch.") var check = false
  @Option(help: "Also write the figures as JSON to this file (rank 0).") var json: String?
  @Flag(name: .underscored("idle_probe"), help: "Also measure the CPU a rank uses while it waits 2 s for a late peer.") var idleProbe = false
  @Option(name: .underscored("stall_rank"), help: "Failure drill instead of the table: this rank never joins a bucketed all-reduce; the others must report it and abort.")
  var stallRank: Int?
  @Option(name: .underscored("soak_seconds"), help: "Failure drill instead of the table: loop bucketed all-reduces of 4 MiB for this many seconds (cut a link meanwhile).")
  var soakSeconds: Double?
  @Option(name: .underscored("stall_timeout"), help: "Stall deadline of the failure drills, in seconds.") var stallTimeout: Double = 5

  struct Row: Codable {
    var algorithm: String
    var ranks: Int
    var bytes: Int
    var iterations: Int
    var avgSeconds: Double
    var medianSeconds: Double
    var bestSeconds: Double
    /// From the mean time, as nccl-tests reports it.
    var algbwMBps: Double
    var busbwMBps: Double
    /// From the median time (robust to a loaded machine).
    var medianBusbwMBps: Double
  }

  struct Report: Codable {
    var ranks: Int
    var hosts: [String]
    var chunkBytes: Int
    var rows: [Row]
    var waitingCPUPercentRing: Double?
    var waitingCPUPercentMPI: Double?
    /// --check given: every round verified (otherwise only each size's warm-up round).
    var checked: Bool
    /// No verified round was wrong.
    var checkPassed: Bool
  }

  func validate() throws {
    guard minBytes >= 4, maxBytes >= minBytes else {
      throw ValidationError("--min_bytes \(minBytes) --max_bytes \(maxBytes): use 4 ≤ min_bytes ≤ max_bytes (one float is 4 bytes)")
    }
    guard chunkKib >= 1 else { throw ValidationError("--chunk_kib \(chunkKib): use 1 or more") }
    if let n = iterations, n < 1 { throw ValidationError("--iterations \(n): use 1 or more") }
    if let r = stallRank, r < 0 { throw ValidationError("--stall_rank \(r): use a rank ≥ 0") }
    if let s = soakSeconds, !(s > 0) { throw ValidationError("--soak_seconds \(s): use seconds > 0") }
    guard stallTimeout > 0 else { throw ValidationError("--stall_timeout \(stallTimeout): use seconds > 0") }
  }

  func run() throws {
    // All MPI calls happen on one dedicated thread, as in training.
    let thread = CommThread(name: "mpi")
    let comm = try thread.sync { try Communicator.world() }
    if stallRank != nil || soakSeconds != nil {
      try failureDrill(comm: comm, thread: thread)
      try thread.sync { try comm.finalize() }
      thread.stop()
      return
    }
    let ok = try thread.sync { try self.measure(comm) }
    let selfTestOK = check ? try selfTest(comm: comm, thread: thread) : true
    try thread.sync { try comm.finalize() }
    thread.stop()
    if !ok || !selfTestOK { throw ExitCode(1) }
  }

  /// The bandwidth table (on the MPI thread). Returns false if a check failed.
  private func measure(_ comm: Communicator) throws -> Bool {
    let transport = MPITransport(communicator: comm)
    let ring = RingAllReduce(transport: transport, chunkElements: max(1, chunkKib * 1024 / 4))
    let p = comm.size, rank = comm.rank
    let hosts = try ring.gather(bytes: Array(try comm.processorName().utf8), root: 0)?
      .map { String(decoding: $0, as: UTF8.self) } ?? []
    let algos = algorithms.split(separator: ",").map(String.init)
    guard !algos.isEmpty, algos.allSatisfy({ ["ring", "direct", "mpi"].contains($0) }) else {
      throw ValidationError("--algorithms takes a comma-separated list of ring, direct and mpi, not \(algorithms)")
    }
    if rank == 0 && p == 1 {
      print("note: a single rank (bus bandwidth is 0); run under mpirun -np N for a meaningful comparison")
    }
    if rank == 0 {
      print("all-reduce of float32, \(p) ranks on \(Set(hosts).sorted().joined(separator: ",")), ring chunk \(chunkKib) KiB")
      print("busbw = algbw * 2(n-1)/n (nccl-tests); time of a round = slowest rank; rounds alternate ring/MPI")
      print(pad("bytes", 11) + "  " + pad("algorithm", -13) + pad("avg ms", 10) + pad("median ms", 10)
            + pad("best ms", 10) + pad("algbw MB/s", 11) + pad("busbw MB/s", 11) + pad("med. busbw", 12))
    }
    let maxCount = maxBytes / 4
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(maxCount, 1))
    defer { buffer.deallocate() }
    buffer.initialize(repeating: 0)
    var rows: [Row] = []
    var ok = true
    var bytes = minBytes
    while bytes <= maxBytes {
      let n = bytes / 4
      let data = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
      let rounds = iterations ?? (bytes <= 4 << 20 ? 20 : bytes <= 32 << 20 ? 8 : 4)
      // Rounds alternate between the algorithms so both see the same machine load.
      var times: [String: [Double]] = [:]
      for round in 0...rounds {
        for algo in (round % 2 == 0 ? algos : algos.reversed()) {
          fill(data, rank: rank)
          try comm.barrier()
          let start = ContinuousClock.now
          switch algo {
          case "ring": try ring.allReduce(data)
          case "direct": try ring.allReduceDirect(data)
          default: try comm.mpiAllReduceSum(data)
          }
          let elapsed = try comm.maxOverRanks((ContinuousClock.now - start).seconds)
          if check || round == 0 {
            let good = verify(data, ranks: p)
            if try comm.sumOverRanks(good ? 0 : 1) != 0 {
              ok = false
              if rank == 0 { print("CHECK FAILED: \(algo) at \(bytes) bytes gave a wrong sum on some rank") }
            }
          }
          if round > 0 { times[algo, default: []].append(elapsed) }
        }
      }
      var busbw: [String: Double] = [:]
      for algo in algos {
        let t = times[algo]!.sorted()
        let avg = t.reduce(0, +) / Double(t.count), median = t[t.count / 2], best = t[0]
        let algbw = Double(bytes) / avg / 1e6
        let bus = algbw * 2 * Double(p - 1) / Double(p)
        let medianBus = Double(bytes) / median / 1e6 * 2 * Double(p - 1) / Double(p)
        busbw[algo] = medianBus
        let name = algo == "mpi" ? "MPI_Allreduce" : algo
        rows.append(Row(algorithm: name, ranks: p, bytes: bytes, iterations: rounds, avgSeconds: avg,
                        medianSeconds: median, bestSeconds: best, algbwMBps: algbw, busbwMBps: bus,
                        medianBusbwMBps: medianBus))
        if rank == 0 {
          print(pad(String(bytes), 11) + "  " + pad(name, -13) + pad(String(format: "%.3f", avg * 1e3), 10)
                + pad(String(format: "%.3f", median * 1e3), 10) + pad(String(format: "%.3f", best * 1e3), 10)
                + pad(String(format: "%.1f", algbw), 11) + pad(String(format: "%.1f", bus), 11)
                + pad(String(format: "%.1f", medianBus), 12))
        }
      }
      if rank == 0, let m = busbw["mpi"], m > 0 {
        let ratios = ["ring", "direct"].compactMap { a in busbw[a].map { "\(a)/MPI \(String(format: "%.2f", $0 / m))" } }
        if !ratios.isEmpty { print(pad(String(bytes), 11) + "  median busbw ratios: " + ratios.joined(separator: ", ")) }
      }
      bytes *= 2
    }
    var ringCPU: Double? = nil, mpiCPU: Double? = nil
    if idleProbe && p > 1 {
      ringCPU = try waitingCPU(comm: comm, ring: ring, useMPI: false)
      mpiCPU = try waitingCPU(comm: comm, ring: ring, useMPI: true)
      if rank == 0 {
        print(String(format: "CPU of a rank waiting 2 s for a late peer: ring %.1f %% of a core, MPI_Allreduce %.1f %%",
                     ringCPU!, mpiCPU!))
      }
    }
    if check && rank == 0 { print(ok ? "table check OK" : "table check FAILED") }
    if rank == 0, let json {
      let report = Report(ranks: p, hosts: hosts, chunkBytes: chunkKib * 1024, rows: rows,
                          waitingCPUPercentRing: ringCPU, waitingCPUPercentMPI: mpiCPU, checked: check, checkPassed: ok)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(report).write(to: URL(fileURLWithPath: json))
    }
    return ok
  }

  /// `text` right-aligned in `width` columns (left-aligned for a negative width).
  private func pad(_ text: String, _ width: Int) -> String {
    let fill = String(repeating: " ", count: max(0, abs(width) - text.count))
    return width < 0 ? text + fill : fill + text
  }

  /// Element i of rank r: (r·7 + i) mod 1021, exact in float32 and in any sum over ≤ 16k ranks.
  private func fill(_ data: UnsafeMutableBufferPointer<Float>, rank: Int) {
    for i in 0..<data.count { data[i] = Float((rank * 7 + i) % 1021) }
  }

  private func verify(_ data: UnsafeMutableBufferPointer<Float>, ranks: Int) -> Bool {
    for i in 0..<data.count {
      var want = 0
      for r in 0..<ranks { want += (r * 7 + i) % 1021 }
      if data[i] != Float(want) { return false }
    }
    return true
  }

  /// Rank 0 joins a 1 MiB all-reduce 2 s late; returns the largest percentage of a core any
  /// other rank's thread used while it waited.
  private func waitingCPU(comm: Communicator, ring: RingAllReduce, useMPI: Bool) throws -> Double {
    var data = [Float](repeating: 1, count: 1 << 18)
    try comm.barrier()
    let cpu0 = threadCPUSeconds(), wall0 = ContinuousClock.now
    if comm.rank == 0 { Thread.sleep(forTimeInterval: 2) }
    try data.withUnsafeMutableBufferPointer { useMPI ? try comm.mpiAllReduceSum($0) : try ring.allReduce($0) }
    let percent = comm.rank == 0 ? 0 : 100 * (threadCPUSeconds() - cpu0) / (ContinuousClock.now - wall0).seconds
    return try comm.maxOverRanks(percent)
  }

  private func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }
}

extension Duration {
  fileprivate var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
