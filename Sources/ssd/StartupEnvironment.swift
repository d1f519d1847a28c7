import Foundation
import Model

/// Settings that only work in the environment *before* a library loads, which `ssd` puts
/// there itself by re-executing once at start (`SSD_NO_REEXEC=1` turns this off; the
/// scripts in `scripts/` and `launch/` export `OPENBLAS_CORETYPE`, so their ranks start
/// right away):
///
/// - `OPENBLAS_CORETYPE`: OpenBLAS 0.3.21 picks its kernel once, when the library loads,
///   and falls back to the SSE3 "Prescott" kernel (about 5x slower GEMM) on CPUs newer
///   than its tables. When the kernel is a generic one and the CPU has AVX-512 (or AVX2),
///   we name the right one.
/// - `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, for the forward-only commands (`detect`,
///   `eval`, `bench infer`): activations of a batch are tens of MB each, so glibc maps them
///   fresh for every layer and the kernel faults them in 4 KiB pages; with this tunable
///   glibc asks for transparent huge pages (madvise): far fewer faults, about a quarter
///   less kernel time, SSD320 inference at batch 8 about 4% faster on average over three
///   alternating pairs of noisy runs. Training is left alone: with its 2 GiB of live
///   activations the same setting made the step 12% slower in two alternating pairs
///   (presumably the kernel assembling huge pages by compaction). Added only when the user's
///   `GLIBC_TUNABLES` does not set it and the kernel's transparent huge pages are not off.
enum StartupEnvironment {
  static let genericKernels: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem",
                                            "Atom", "Katmai", "Coppermine", "Northwood", "Banias",
                                            "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "unknown"]

  /// The OpenBLAS core type this CPU should use, from /proc/cpuinfo flags.
  static func preferredCoreType() -> String? {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) { return "SkylakeX" }
    if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
    return nil
  }

  /// Whether transparent huge pages can be had with madvise (mode "always" or "madvise").
  static var hugePagesAvailable: Bool {
    guard let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
    else { return false }
    return !mode.contains("[never]")
  }

  /// Whether the command line runs forward-only work (no training step).
  static func isForwardOnly(_ arguments: [String]) -> Bool {
    let words = arguments.dropFirst().filter { !$0.hasPrefix("-") }
    guard let first = words.first else { return false }
    return first == "detect" || first == "eval" || (first == "bench" && words.dropFirst().first == "infer")
  }

  /// The variables to set, from the current environment and command line (empty: nothing to do).
  static func changes(_ env: [String: String], arguments: [String]) -> [(name: String, value: String)] {
    var out: [(String, String)] = []
    if env["OPENBLAS_CORETYPE"] == nil, genericKernels.contains(BLASRuntime.coreName), let core = preferredCoreType() {
      out.append(("OPENBLAS_CORETYPE", core))
    }
    let tunables = env["GLIBC_TUNABLES"] ?? ""
    if isForwardOnly(arguments), !tunables.contains("glibc.malloc.hugetlb"), hugePagesAvailable {
      out.append(("GLIBC_TUNABLES", tunables.isEmpty ? "glibc.malloc.hugetlb=1" : tunables + ":glibc.malloc.hugetlb=1"))
    }
    return out
  }

  static func ensure() {
    let env = ProcessInfo.processInfo.environment
    if env["SSD_NO_REEXEC"] == "1" { return }
    let set = changes(env, arguments: CommandLine.arguments)
    if set.isEmpty { return }
    for (name, value) in set { setenv(name, value, 1) }
    setenv("SSD_NO_REEXEC", "1", 1)
    let args = CommandLine.arguments
    var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
    cArgs.append(nil)
    execv("/proc/self/exe", &cArgs)
    // exec failed: carry on as we are rather than not at all.
    let what = set.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    FileHandle.standardError.write("ssd: could not re-exec with \(what) (\(String(cString: strerror(errno)))); running the \(BLASRuntime.coreName) kernel with 4 KiB pages\n".data(using: .utf8)!)
  }
}
