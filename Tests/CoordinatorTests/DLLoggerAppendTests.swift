import Foundation
import Testing
@testable import Coordinator
import TestSupport

/// `--raport_file` is appended to, never truncated: a resumed, eval-only or repeated run keeps
/// the lines of the runs before it.
@Test func dlloggerAppendsAcrossRuns() throws {
  let dir = try Fixtures.temporaryDirectory("dllogger-append")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/sub/summary.json"
  do {
    let first = try DLLogger(path: path)
    first.log([("total_loss", 1.5)], step: 10)
  }
  do {
    let second = try DLLogger(path: path)
    second.log([("total_loss", 0.5)], step: 20)
  }
  let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
  #expect(lines.count == 6)  // two METADATA lines and one LOG line per run
  #expect(lines.allSatisfy { $0.hasPrefix("DLLL {") })
  #expect(lines[2].contains("\"step\": [10]") && lines[5].contains("\"step\": [20]"))
}

@Test func dlloggerThatCannotBeOpenedSaysWhichFlag() throws {
  #expect(throws: CoordinatorError.self) { try DLLogger(path: "/sys/ssd-no/summary.json") }
}
