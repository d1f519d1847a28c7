import Foundation
import Model

/// Makes Debian's OpenBLAS run its fast kernel on CPUs it does not recognise.
///
/// OpenBLAS 0.3.21 picks its kernel once, when the library loads, and falls back to the
/// SSE3 "Prescott" kernel (about 5x slower GEMM) on CPUs newer than its tables; only
/// `OPENBLAS_CORETYPE` in the environment *before* loading overrides that. The `ssd`
/// binary links OpenBLAS, so by the time `main` runs the choice is made: when the kernel
/// is a generic one and the CPU has AVX-512 (or AVX2), we set the variable and re-exec
/// ourselves once. `SSD_NO_REEXEC=1` turns this off.
enum FastKernel {
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

  static func ensure() {
    let env = ProcessInfo.processInfo.environment
    if env["OPENBLAS_CORETYPE"] != nil || env["SSD_NO_REEXEC"] == "1" { return }
    guard genericKernels.contains(BLASRuntime.coreName), let core = preferredCoreType() else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    setenv("SSD_NO_REEXEC", "1", 1)
    let args = CommandLine.arguments
    var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
    cArgs.append(nil)
    execv("/proc/self/exe", &cArgs)
    // exec failed: carry on with the slow kernel rather than not at all.
    FileHandle.standardError.write("ssd: could not re-exec with OPENBLAS_CORETYPE=\(core) (\(String(cString: strerror(errno)))); running the \(BLASRuntime.coreName) kernel\n".data(using: .utf8)!)
  }
}
