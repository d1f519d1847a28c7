import Foundation
import Testing
import TestSupport
@testable import Supervisor

struct RestartLogTests {
  @Test func recordsRoundTripAsSnakeCaseJSONLines() throws {
    let dir = try Fixtures.temporaryDirectory("restart-log")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let log = try RestartLog(modelDir: dir)
    var a = RestartRecord(event: "start", attempt: 1, time: 100)
    a.workers = 4
    a.hosts = ["n0", "n1"]
    var b = RestartRecord(event: "end", attempt: 1, time: 130.5)
    b.status = 137
    b.stepsLost = 2
    b.failedHosts = ["n1"]
    try log.append(a)
    try log.append(b)
    let text = try String(contentsOfFile: log.path, encoding: .utf8)
    #expect(text.split(separator: "\n").count == 2)
    #expect(text.contains(#""steps_lost":2"#) && text.contains(#""failed_hosts":["n1"]"#))
    #expect(RestartLog.read(path: log.path) == [a, b])
  }

  @Test func checkpointStepComesFromTheStateFile() throws {
    let dir = try Fixtures.temporaryDirectory("restart-ckpt")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(Supervisor.checkpointStep(modelDir: dir) == nil)
    try "model_checkpoint_path: \"model.ckpt-12\"\nall_model_checkpoint_paths: \"model.ckpt-12\"\n"
      .write(toFile: dir + "/checkpoint", atomically: true, encoding: .utf8)
    #expect(Supervisor.checkpointStep(modelDir: dir) == 12)
  }
}
