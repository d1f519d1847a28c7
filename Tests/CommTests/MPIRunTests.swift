import Foundation
import Testing

/// The first executable named `name` on PATH.
func which(_ name: String) -> String? {
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
    let path = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: path) { return path }
  }
  return nil
}

/// The `ssd` binary of this build: `$SSD_BINARY`, else next to the test bundle (SwiftPM puts
/// products and the test bundle in one directory), else `<package>/.build/debug/ssd`.
func locateSSD() -> String? {
  if let path = ProcessInfo.processInfo.environment["SSD_BINARY"] { return path }
  let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  for candidate in [bundleDir.appendingPathComponent("ssd"), root.appendingPathComponent(".build/debug/ssd")]
  where FileManager.default.isExecutableFile(atPath: candidate.path) {
    return candidate.path
  }
  return nil
}

/// Runs `ssd bench allreduce --check` as a real 3-rank MPI job: ring all-reduce and
/// MPI_Allreduce on lengths 1…16384 floats (none divisible by 3, several pipelined chunks),
/// the layout check, overlapped bucket reduction on the comm thread, and a refused mismatch.
@Test func ringAndBucketsPassUnderMpirunWithThreeRanks() throws {
  guard let mpirun = which("mpirun") else {
    print("skipping ringAndBucketsPassUnderMpirunWithThreeRanks: mpirun is not on PATH (apt-get install openmpi-bin)")
    return
  }
  guard let ssd = locateSSD() else {
    Issue.record("no ssd binary next to the test bundle or in .build/debug; run `swift build` first or set SSD_BINARY")
    return
  }
  var arguments = [mpirun]
  if getuid() == 0 { arguments.append("--allow-run-as-root") }
  arguments += ["--oversubscribe", "--mca", "mpi_yield_when_idle", "1", "-np", "3",
                ssd, "bench", "allreduce", "--check", "--min-bytes", "4", "--max-bytes", "65536",
                "--chunk-kib", "1", "--iterations", "1"]
  let process = Process()
  if let timeout = which("timeout") {
    process.executableURL = URL(fileURLWithPath: timeout)
    process.arguments = ["-k", "10", "180"] + arguments
  } else {
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
  }
  let output = Pipe()
  process.standardOutput = output
  process.standardError = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let text = String(decoding: data, as: UTF8.self)
  #expect(process.terminationStatus == 0, "mpirun exited with \(process.terminationStatus):\n\(text)")
  #expect(text.contains("CHECK OK (3 ranks)"), "\(text)")
  #expect(text.contains("table check OK"), "\(text)")
}
