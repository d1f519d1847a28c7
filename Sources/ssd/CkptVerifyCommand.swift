import ArgumentParser
import Checkpoint
import Foundation
import Formats

/// `ssd ckpt verify PATH`: proves checkpoints are whole — every variable read back with its
/// CRC checked and its size matching dtype × shape — and prints a digest of each checkpoint's
/// values, so two runs can be compared bit for bit (`scripts/chaos.sh` does).
struct CkptVerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Read every variable of a checkpoint (or of every checkpoint in a model dir) and check it.",
    discussion: """
      PATH is a model directory, a V2 prefix, its .index file or a V1 file. For a model
      directory, every checkpoint its `checkpoint` file lists (the committed ones) and every
      other `<prefix>.index` under a final name must verify; data shards without an index and
      temporary files (`.tmp-<pid>`, left by an interrupted write) are listed as notes. A
      directory without a `checkpoint` file and without checkpoints has nothing to verify.

      One line per checkpoint: its name, global_step, variables, bytes and the SHA-256 of its
      values (names, dtypes, shapes and bytes, in name order). Exit status 1 if any fails.

      Examples:
        ssd ckpt verify runs/small
        ssd ckpt verify runs/small/model.ckpt-1000 --digest-only
      """)

  @Argument(help: "Model directory, checkpoint prefix, .index file or V1 file.")
  var path: String

  @Flag(name: .customLong("digest-only"), help: "Print only the digest of the (newest) checkpoint.")
  var digestOnly = false

  func run() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || FileManager.default.fileExists(atPath: path + ".index") else {
      throw ValidationError("\(path): no such file or directory")
    }
    if !isDirectory.boolValue {
      let result = try Self.verify(path)
      print(digestOnly ? result.digest : result.line)
      return
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    var prefixes: [String] = []
    let state = try CheckpointState.read(directory: path)
    if let state {
      for p in state.allModelCheckpointPaths + [state.modelCheckpointPath] {
        let name = String(p.split(separator: "/").last ?? "")
        if !prefixes.contains(name) { prefixes.append(name) }
      }
    }
    let committed = Set(prefixes)
    for f in files where f.hasSuffix(".index") {
      let name = String(f.dropLast(".index".count))
      if !prefixes.contains(name) { prefixes.append(name) }
    }
    if prefixes.isEmpty {
      if !digestOnly { print("\(path): no checkpoint (no `checkpoint` file, no .index file): nothing to verify") }
      return
    }
    var failures = 0
    for name in prefixes {
      let tag = committed.contains(name) ? "committed" : "not in `checkpoint`"
      do {
        let result = try Self.verify(path + "/" + name)
        if digestOnly {
          if name == state.map({ String($0.modelCheckpointPath.split(separator: "/").last ?? "") }) { print(result.digest) }
        } else {
          print("ok      \(result.line) (\(tag))")
        }
      } catch {
        failures += 1
        print("FAILED  \(name) (\(tag)): \(error)")
      }
    }
    if !digestOnly {
      let indexed = Set(prefixes)
      for f in files {
        if f.contains(".tmp-") {
          print("note    \(f): temporary file of an interrupted write (never read; a later write of that name replaces it)")
        } else if let r = f.range(of: ".data-"), !indexed.contains(String(f[..<r.lowerBound])) {
          print("note    \(f): data shard without an index (an interrupted write or deletion; not a checkpoint)")
        }
      }
    }
    if failures > 0 {
      print("\(failures) of \(prefixes.count) checkpoints in \(path) failed to verify")
      throw ExitCode(1)
    }
  }

  /// Reads every variable of the checkpoint at `path`; returns its summary line and digest.
  static func verify(_ path: String) throws -> (line: String, digest: String) {
    let reader = try CheckpointReader(path: path)
    var sha = SHA256()
    var bytes = 0
    for v in reader.variables {
      let data = try reader.readBytes(v.name)
      if let expected = v.byteCount, data.count != expected {
        throw ValidationError("\(reader.path): variable \(v.name) has \(data.count) bytes, \(v.dtype) \(v.shape) needs \(expected)")
      }
      bytes += data.count
      sha.update(Array("\(v.name)\u{0}\(v.dtype)\u{0}\(v.shape)\u{0}".utf8))
      sha.update(data)
    }
    guard let step = reader.globalStep else {
      throw ValidationError("\(reader.path): no global_step variable")
    }
    let digest = SHA256.hex(sha.finalize())
    let name = reader.path.split(separator: "/").last.map(String.init) ?? reader.path
    return ("\(name): global_step \(step), \(reader.variables.count) variables, \(CkptCommand.groupDigits(bytes)) bytes, sha256 \(digest)",
            digest)
  }
}
