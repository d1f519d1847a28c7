import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// The fuzz target this process runs (`SSD_FUZZ_TARGET`), chosen once at start.
nonisolated(unsafe) private var selected: FuzzTarget?

/// Entry point: SwiftPM links executables with `main` = `<module>_main`; this one hands
/// control to libFuzzer's driver, which parses libFuzzer's own flags and corpus folders.
/// With `SSD_FUZZ_SEEDS_OUT=DIR` it instead writes the target's seed inputs, made from the
/// fixture files named on the command line, into DIR and exits.
@_cdecl("ssd_fuzz_main")
func ssdFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  let name = getenv("SSD_FUZZ_TARGET").map { String(cString: $0) } ?? ""
  guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
    let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
    fputs("ssd-fuzz: set SSD_FUZZ_TARGET to one of: \(names) (got '\(name)'); scripts/fuzz.sh does it\n", stderr)
    return 2
  }
  if let out = getenv("SSD_FUZZ_SEEDS_OUT").map({ String(cString: $0) }) {
    let paths = (1..<Int(argc)).compactMap { argv?[$0].map { String(cString: $0) } }
    let seeds = target.seeds(paths)
    for (k, seed) in seeds.enumerated() {
      let path = "\(out)/seed-\(k)"
      guard let f = fopen(path, "wb") else {
        fputs("ssd-fuzz: cannot write \(path)\n", stderr)
        return 1
      }
      _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
      fclose(f)
    }
    fputs("ssd-fuzz: \(seeds.count) seed inputs for \(name) in \(out)\n", stderr)
    return 0
  }
  selected = target
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
}

/// libFuzzer's per-input callback. The runtime's own `main` (unused: SwiftPM's `main` is
/// `ssd_fuzz_main`) references it by this name, so it must exist.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
  selected!.run(bytes)
  return 0
}
