import ArgumentParser
import Foundation
import Model

/// `ssd bench model`: forward and training-step speed of the network, the SGEMM rate this
/// OpenBLAS reaches in the same process, peak memory and time per layer kind.
struct BenchModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Forward and forward+backward speed of the model, per layer kind.",
    discussion: """
      Use a release build. FLOP figures count convolutions only: forward = 2·MACs,
      training step = 3× forward (forward, dInput, dWeight). Example:
        OPENBLAS_CORETYPE=SkylakeX ssd bench model --config ssd320 --batch 8 --threads 2
      """)

  enum Preset: String, ExpressibleByArgument { case ssd320, tiny }

  @Option(help: "Model size: ssd320 or tiny.") var config: Preset = .ssd320
  @Option(help: "Images per batch.") var batch: Int = 8
  @Option(help: "Threads for OpenBLAS and element-wise work.") var threads: Int = 2
  @Option(help: "Timed iterations of each measurement.") var iterations: Int = 3
  @Option(help: "Untimed iterations first.") var warmup: Int = 1
  @Option(name: .underscored("gemm_size"), help: "Rows·columns of the square SGEMM timed for reference.") var gemmSize: Int = 2048
  @Flag(name: .underscored("skip_forward"), help: "Skip the forward-only (inference) measurement.") var skipForward = false
  @Flag(name: .underscored("skip_train"), help: "Skip the training-step measurement (inference figures only).") var skipTrain = false
  @Option(name: .underscored("elementwise_threads"), help: "Threads for element-wise work (default: --threads).") var elementwiseThreads: Int?
  @Option(name: .underscored("winograd_block_floats"), help: "Floats per Winograd tile block (tuning).") var winogradBlockFloats: Int = Winograd.blockFloats
  @Option(name: .underscored("im2col_block_floats"), help: "Floats per im2col row block (tuning).") var im2colBlockFloats: Int = Conv2D.blockFloats

  @Option(name: .underscored("kernels"), help: "Kernel variant: portable, avx2 or avx512 (default: the widest this CPU runs; SSD_KERNELS also sets it).")
  var kernels: String?
  @Option(name: .underscored("winograd_training"), help: "Winograd tile size in training: f4 (F(4x4) where cheaper, the default) or f2.")
  var winogradTraining: String?
  @Flag(name: .underscored("keep_activations"), help: "Keep every activation for backward instead of recomputing the cheap ones (memory comparison).")
  var keepActivations = false
  @Flag(name: .underscored("gemm_profile"), help: "Also print the time and GFLOP/s of each GEMM group (strategy, pass, shape) of the profiled runs.")
  var gemmProfile = false

  func validate() throws {
    guard batch >= 1 else { throw ValidationError("--batch \(batch): use 1 or more") }
    guard threads >= 1 else { throw ValidationError("--threads \(threads): use 1 or more") }
    guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): use 1 or more") }
    guard warmup >= 0 else { throw ValidationError("--warmup \(warmup): use 0 or more") }
    guard gemmSize >= 1 else { throw ValidationError("--gemm_size \(gemmSize): use 1 or more") }
    if let e = elementwiseThreads, e < 1 { throw ValidationError("--elementwise_threads \(e): use 1 or more") }
    guard winogradBlockFloats >= 1, im2colBlockFloats >= 1 else {
      throw ValidationError("--winograd_block_floats and --im2col_block_floats: use 1 or more")
    }
    if let kernels, Kernels.ISA.allCases.first(where: { $0.name == kernels }) == nil {
      throw ValidationError("--kernels \(kernels): use portable, avx2 or avx512")
    }
    if let winogradTraining, !["f2", "f4"].contains(winogradTraining) {
      throw ValidationError("--winograd_training \(winogradTraining): use f2 or f4")
    }
  }

  func run() throws {
    let cfg: SSDConfig = config == .ssd320 ? .ssd320 : .tiny
    BLASRuntime.setGEMMThreads(threads)
    Parallel.threads = elementwiseThreads ?? threads
    Winograd.blockFloats = winogradBlockFloats
    Conv2D.blockFloats = im2colBlockFloats
    if let kernels, let isa = Kernels.ISA.allCases.first(where: { $0.name == kernels }) {
      guard Kernels.select(isa) else {
        throw ValidationError("--kernels \(kernels): this CPU runs at most \(Kernels.supported.name)")
      }
    }
    if let winogradTraining { Winograd.trainingUsesF4 = winogradTraining == "f4" }
    print("OpenBLAS kernel: \(BLASRuntime.coreName), GEMM threads: \(BLASRuntime.threadingDescription), element-wise threads: \(Parallel.threads)")
    print("C kernels: \(Kernels.description); Winograd in training: \(Winograd.trainingUsesF4 ? "F(4x4) where cheaper, else F(2x2)" : "F(2x2)"); activations: \(keepActivations ? "all kept" : "inner ones recomputed in backward")")

    let (gemm, gemmCPU) = sgemmRate(size: gemmSize, repeats: 3)
    print(String(format: "SGEMM %dx%dx%d: %.1f GFLOP/s wall (best of 3), %.1f GFLOP per CPU-second",
                 gemmSize, gemmSize, gemmSize, gemm, gemmCPU))
    let gemmRef = (wall: gemm, cpu: gemmCPU)

    let summary = ModelSummary(config: cfg)
    let macs = Double(summary.forwardMACs)
    let fwdFlop = 2 * macs * Double(batch)
    print(String(format: "model %@: %dx%d, batch %d, %ld MACs/image (forward %.2f GFLOP/image)",
                 config.rawValue, cfg.imageHeight, cfg.imageWidth, batch, summary.forwardMACs, 2 * macs / 1e9))

    let t0 = now()
    let net = SSDNetwork(config: cfg, seed: 1)
    net.recomputesActivations = !keepActivations
    print(String(format: "built %d trainable parameters in %.1f s", net.params.trainableCount, now() - t0))
    var rng = SplitMix64(seed: 2)
    let images = Tensor.random([batch, cfg.imageHeight, cfg.imageWidth, 3], in: -120...130, rng: &rng)

    // Inference forward.
    if !skipForward {
      net.training = false
      net.keepsActivations = false
      var times: [(Double, Double)] = []
      for i in 0..<(warmup + iterations) {
        Profiler.enabled = i == warmup + iterations - 1
        Profiler.reset()
        let s = now(), c = cpuTime()
        _ = net.forward(images)
        if i >= warmup { times.append((now() - s, cpuTime() - c)) }
      }
      Profiler.enabled = false
      report("forward (inference BN)", times: times, flop: fwdFlop, gemm: gemmRef)
      printProfile("last inference forward", total: times.last!.0)
      printGEMMFloor("last inference forward", total: times.last!.0, directFlop: fwdFlop, sgemm: gemmRef.wall)
      print("peak memory so far (build + forward-only runs): \(peakMemory())")
      // The forward-only path (Winograd F(4×4), folded batch norm) against the path
      // training's evaluation would take with activations kept (F(2×2), separate BN).
      let fast = net.forward(images)
      for c in net.convs { c.transformedKernel.release() }  // keep the peak-memory figure honest
      net.keepsActivations = true
      let reference = net.forward(images)
      net.keepsActivations = false
      func relative(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.data, b.data).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) } / max(b.data.reduce(Float(0)) { max($0, abs($1)) }, 1e-30)
      }
      print(String(format: "forward-only path vs kept-activations path: max |Δ|/max |y| box %.1e, logits %.1e",
                    relative(fast.boxEncodings, reference.boxEncodings), relative(fast.classLogits, reference.classLogits)))
    }
    if skipTrain { return }

    // Training step: forward with batch statistics + backward.
    net.keepsActivations = true
    net.training = true
    let (box0, cls0) = net.forward(images)
    let dBox = Tensor.random(box0.shape, in: -1e-3...1e-3, rng: &rng)
    let dCls = Tensor.random(cls0.shape, in: -1e-3...1e-3, rng: &rng)
    _ = (box0, cls0)
    net.backward(dBoxEncodings: dBox, dClassLogits: dCls)
    var times: [(Double, Double)] = [], fwdTimes: [(Double, Double)] = []
    for i in 0..<(warmup + iterations) {
      Profiler.enabled = i == warmup + iterations - 1
      Profiler.reset()
      let s = now(), c = cpuTime()
      net.params.zeroGradients()
      _ = net.forward(images)
      let m = now(), mc = cpuTime()
      net.backward(dBoxEncodings: dBox, dClassLogits: dCls)
      if i >= warmup { times.append((now() - s, cpuTime() - c)); fwdTimes.append((m - s, mc - c)) }
    }
    Profiler.enabled = false
    report("forward (training BN)", times: fwdTimes, flop: fwdFlop, gemm: gemmRef)
    report("train step (fwd+bwd)", times: times, flop: 3 * fwdFlop, gemm: gemmRef)

    printProfile("last train step", total: times.last!.0)
    printGEMMFloor("last train step", total: times.last!.0, directFlop: 3 * fwdFlop, sgemm: gemmRef.wall)
    print("peak memory (VmHWM): \(peakMemory())")
  }

  /// Time per layer kind of the run the profiler recorded, as seconds and shares of `total`.
  func printProfile(_ label: String, total: Double) {
    print("time per layer kind (\(label), \(String(format: "%.2f", total)) s):")
    for k in Profiler.Kind.allCases {
      let t = Profiler.seconds[k.rawValue]
      print(String(format: "  %-17@ %8.3f s  %5.1f%%", k.label, t, 100 * t / total))
    }
    let accounted = Profiler.seconds.reduce(0, +)
    print(String(format: "  %-17@ %8.3f s  %5.1f%%", "unaccounted", total - accounted, 100 * (total - accounted) / total))
    guard gemmProfile else { return }
    print("GEMM groups (\(label)), by time: calls, seconds, GFLOP/s")
    for (name, e) in Profiler.gemms.sorted(by: { $0.value.seconds > $1.value.seconds }).prefix(30) {
      print(String(format: "  %-52@ %5d %8.3f s %7.1f", name, e.calls, e.seconds, 2 * e.macs / max(e.seconds, 1e-9) / 1e9))
    }
  }

  /// The GEMM work the profiled pass executed (after Winograd's savings) and the time it needs
  /// at the same-run SGEMM rate: with these algorithms, no kernel or overhead work makes the
  /// pass faster than that on this machine.
  func printGEMMFloor(_ label: String, total: Double, directFlop: Double, sgemm: Double) {
    let flop = 2 * Profiler.gemms.values.reduce(0) { $0 + $1.macs }
    let seconds = Profiler.gemms.values.reduce(0) { $0 + $1.seconds }
    guard flop > 0, seconds > 0, sgemm > 0 else { return }
    let floor = flop / (sgemm * 1e9)
    print(String(format: "GEMM work (%@): %.2f GFLOP per image, %.0f%% of the direct convolutions' %.2f; ran at %.1f GFLOP/s "
                   + "(%.0f%% of SGEMM); at the SGEMM rate it alone takes %.0f ms per image, %.0f%% of the pass",
                 label, flop / 1e9 / Double(batch), 100 * flop / directFlop, directFlop / 1e9 / Double(batch),
                 flop / seconds / 1e9, 100 * flop / seconds / 1e9 / sgemm, 1000 * floor / Double(batch),
                 100 * floor / total))
  }

  /// Wall-clock figures (best and worst) and the load-independent CPU-time figure: GFLOP per
  /// CPU-second of the step against the same figure of the reference SGEMM.
  func report(_ label: String, times: [(wall: Double, cpu: Double)], flop: Double,
              gemm: (wall: Double, cpu: Double)) {
    let best = times.map(\.wall).min()!, worst = times.map(\.wall).max()!
    let cpu = times.map(\.cpu).min()!
    let rate = Double(batch) / best
    print(String(format: "%@: best %.3f s (worst %.3f s over %d): %.2f img/s, %.1f GFLOP/s (%.0f%% of SGEMM wall); %.1f GFLOP per CPU-s (%.0f%% of SGEMM's)",
                 label, best, worst, times.count, rate, flop / best / 1e9, 100 * flop / best / 1e9 / gemm.wall,
                 flop / cpu / 1e9, 100 * flop / cpu / 1e9 / gemm.cpu))
  }

  /// User + system CPU seconds of this process so far.
  func cpuTime() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
      + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
  }

  func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

  /// Best wall GFLOP/s and best GFLOP per CPU-second of `repeats` n×n×n SGEMMs.
  func sgemmRate(size n: Int, repeats: Int) -> (Double, Double) { SGEMMReference.rate(size: n, repeats: repeats) }

  /// VmHWM from /proc/self/status, e.g. "2.91 GiB".
  func peakMemory() -> String {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return "unknown" }
    let kb = Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0)
    return String(format: "%.2f GiB (%@)", kb / 1_048_576, line.trimmingCharacters(in: .whitespaces))
  }
}
