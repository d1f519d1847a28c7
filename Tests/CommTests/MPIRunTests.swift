import Foundation
import Testing
import TestSupport

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
  for candidate in [bundleDir.appendingPathComponent("ssd"), Fixtures.packageRoot.appendingPathComponent(".build/debug/ssd")]
  where FileManager.default.isExecutableFile(atPath: candidate.path) {
    return candidate.path
  }
  return nil
}

/// An `mpirun` command line (`--allow-run-as-root` as root, `--oversubscribe`, then
/// `options`) running this build's `ssd` with `arguments`; nil with a note when mpirun is
/// missing (the test is skipped), nil with an issue when the binary is.
func mpirunSSD(_ options: [String], _ arguments: [String], for test: String = #function) -> [String]? {
  guard let mpirun = which("mpirun") else {
    print("skipping \(test): mpirun is not on PATH (apt-get install openmpi-bin)")
    return nil
  }
  guard let ssd = locateSSD() else {
    Issue.record("no ssd binary next to the test bundle or in .build/debug; run `swift build` first or set SSD_BINARY")
    return nil
  }
  return [mpirun] + (getuid() == 0 ? ["--allow-run-as-root"] : []) + ["--oversubscribe"] + options + [ssd] + arguments
}

/// Runs `ssd bench allreduce --check` as a real 3-rank MPI job: ring all-reduce and
/// MPI_Allreduce on lengths 1…16384 floats (none divisible by 3, several pipelined chunks),
/// the layout check, training's gradient exchange on the comm thread, and a refused mismatch.
@Test func ringAndBucketsPassUnderMpirunWithThreeRanks() throws {
  guard let arguments = mpirunSSD(["--mca", "mpi_yield_when_idle", "1", "-np", "3"],
                                  ["bench", "allreduce", "--check", "--min-bytes", "4", "--max-bytes", "65536",
                                   "--chunk-kib", "1", "--iterations", "1"]) else { return }
  let (status, text) = try runWithTimeout(arguments, seconds: 180)
  #expect(status == 0, "mpirun exited with \(status):\n\(text)")
  #expect(text.contains("CHECK OK (3 ranks)"), "\(text)")
  #expect(text.contains("table check OK"), "\(text)")
}

/// The stall drill as a real MPI job: rank 1 never joins training's gradient exchange; ranks
/// 0 and 2 must name bucket 0 and rank 1 within the 2 s deadline and abort the whole job.
@Test func aRankThatNeverJoinsIsReportedAndTheMPIJobAborted() throws {
  guard let arguments = mpirunSSD(["-np", "3"], ["bench", "allreduce", "--stall-rank", "1", "--stall-timeout", "2"])
  else { return }
  let started = ContinuousClock.now
  let (status, text) = try runWithTimeout(arguments, seconds: 60)
  #expect(status != 0, "the job should have been aborted:\n\(text)")
  #expect(ContinuousClock.now - started < .seconds(30), "abort took too long:\n\(text)")
  #expect(text.contains("gradient bucket 0 of step 0 stalled"), "\(text)")
  #expect(text.contains("ranks [1] never joined it"), "\(text)")
  #expect(!text.contains("still alive after the drill"), "\(text)")
}

/// Runs `arguments` under `timeout -k 10 seconds` (when available); returns the exit status
/// and the combined output.
func runWithTimeout(_ arguments: [String], seconds: Int) throws -> (Int32, String) {
  let process = Process()
  if let timeout = which("timeout") {
    process.executableURL = URL(fileURLWithPath: timeout)
    process.arguments = ["-k", "10", String(seconds)] + arguments
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
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
