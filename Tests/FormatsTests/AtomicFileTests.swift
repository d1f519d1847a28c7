import Foundation
import Testing
@testable import Formats

/// `AtomicFile` replaces a file whole, leaves no temporary behind, and names the failed call.
@Test func atomicWriteReplacesTheFileAndCleansUp() throws {
  let dir = NSTemporaryDirectory() + "ssd-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/metrics.json"
  try AtomicFile.write(Array("old".utf8), to: path)
  try AtomicFile.write(chunks: [Array("new ".utf8), Array("contents".utf8)], to: path)
  #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["metrics.json"])
  #expect(AtomicFile.directory(of: path) == dir && AtomicFile.directory(of: "x") == "." && AtomicFile.directory(of: "/x") == "/")

  // A missing directory: the error names the file and the call, and nothing is left over.
  do {
    try AtomicFile.write([1], to: dir + "/missing/metrics.json")
    Issue.record("wrote into a missing directory")
  } catch let error as FileWriteError {
    #expect(error.path.hasPrefix(dir + "/missing/metrics.json") && error.operation == "open for writing")
    #expect(error.code == ENOENT && error.description.contains("writable"))
  }
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["metrics.json"])
}
