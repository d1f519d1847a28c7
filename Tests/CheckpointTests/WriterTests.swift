import Random
import Formats
import Foundation
import Testing
@testable import Checkpoint
import TestSupport

/// One tensor of every writable dtype, including scalars, empty tensors and extreme values.
func allDtypeTensors() -> [CheckpointTensor] {
  var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
  func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
  var tensors: [CheckpointTensor] = [
    .float32("FeatureExtractor/resnet_v1_50/conv1/weights", shape: [7, 7, 3, 4], (0..<588).map { Float($0) * 0.25 - 60 }),
    .float32("learning_rate", shape: [], [0.0125]),
    .float32("empty", shape: [0, 3], []),
    .float64("some/float64", shape: [2, 3], [.pi, -0.0, .infinity, -.greatestFiniteMagnitude, 1e-300, 5]),
    .int32("some/int32", shape: [4], [.min, -1, 0, .max]),
    .int64("some/int64", shape: [5], [.min, -1, 0, 1 << 40, .max]),
  ]
  for (dtype, name) in [(TensorDataType.int8, "i8"), (.int16, "i16"), (.uint8, "u8"), (.uint16, "u16"),
                        (.uint32, "u32"), (.uint64, "u64"), (.float16, "f16"), (.bfloat16, "bf16")] {
    tensors.append(CheckpointTensor(name: "dtypes/\(name)", dtype: dtype, shape: [3, 2], bytes: bytes(6 * dtype.byteSize!)))
  }
  tensors.append(CheckpointTensor(name: "dtypes/bool", dtype: .bool, shape: [5], bytes: [0, 1, 1, 0, 1]))
  return tensors
}

/// Write → read of our V2 bundle for every dtype: names sorted, dtypes, shapes and bytes equal.
@Test func bundleRoundTripAllDtypes() throws {
  let dir = try Fixtures.temporaryDirectory()
  defer { Fixtures.remove(dir) }
  let tensors = allDtypeTensors()
  try BundleWriter.write(prefix: dir + "/model.ckpt-7", tensors: tensors)
  let reader = try CheckpointReader(path: dir + "/model.ckpt-7")
  #expect(reader.format == .v2)
  let sortedNames = tensors.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  #expect(reader.variables.map(\.name) == sortedNames)
  for t in tensors {
    let v = try #require(reader.variable(named: t.name))
    #expect(v.dtype == t.dtype && v.shape == t.shape, "\(t.name)")
    #expect(try reader.readBytes(t.name) == t.bytes, "\(t.name)")
  }
  #expect(try reader.readFloat32("learning_rate") == [0.0125])
  #expect(try reader.readInt64("some/int64") == [.min, -1, 0, 1 << 40, .max])
  #expect(try reader.readAsDoubles("dtypes/bool") == [0, 1, 1, 0, 1])
  #expect(reader.globalStep == nil)
  // The temporary files are gone; only the two bundle files remain.
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
          == ["model.ckpt-7.data-00000-of-00001", "model.ckpt-7.index"])
  // Data file = tensors back to back in name order.
  let data = try Fixtures.bytesAt(dir + "/model.ckpt-7.data-00000-of-00001")
  let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.bytes) })
  #expect(data == sortedNames.flatMap { byName[$0]! })
}

/// Rewriting TensorFlow's small fixture through our writer gives a bundle whose every
/// variable reads back identical (bytes via SHA-256 in values.json).
@Test func rewriteOfTensorFlowFixtureReadsBackIdentically() throws {
  let source = try CheckpointReader(path: Fixtures.path("checkpoint/small/v1/model.ckpt"))
  let tensors = try source.variables.map {
    CheckpointTensor(name: $0.name, dtype: $0.dtype, shape: $0.shape, bytes: try source.readBytes($0.name))
  }
  let dir = try Fixtures.temporaryDirectory()
  defer { Fixtures.remove(dir) }
  try BundleWriter.write(prefix: dir + "/copy", tensors: tensors)
  let copy = try CheckpointReader(path: dir + "/copy.index")
  #expect(copy.variables == source.variables)
  for e in try ExpectedVariable.load("small") { #expect(SHA256.hexDigest(try copy.readBytes(e.name)) == e.sha256) }
  #expect(copy.globalStep == 123_456_789_012)
}

/// The saver writes `<basename>-<step>` with global_step, names it in `checkpoint`, keeps the
/// newest `keep` and deletes older files; opening the directory opens the newest.
@Test func saverKeepsNewestAndUpdatesStateFile() throws {
  let dir = try Fixtures.temporaryDirectory() + "/nested/model_dir"
  defer { Fixtures.remove(dir) }
  let saver = CheckpointSaver(directory: dir, keep: 2)
  for step in [100, 200, 300, 400] as [Int64] {
    try saver.save(step: step, tensors: [.float32("w", shape: [2], [Float(step), 1])])
  }
  let state = try #require(try CheckpointState.read(directory: dir))
  #expect(state.modelCheckpointPath == "model.ckpt-400")
  #expect(state.allModelCheckpointPaths == ["model.ckpt-300", "model.ckpt-400"])
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
    "checkpoint", "model.ckpt-300.data-00000-of-00001", "model.ckpt-300.index",
    "model.ckpt-400.data-00000-of-00001", "model.ckpt-400.index"])
  #expect(try CheckpointState.latestCheckpoint(directory: dir) == dir + "/model.ckpt-400")
  #expect(try CheckpointState.latestCheckpoint(directory: dir + "/absent") == nil)
  let newest = try CheckpointReader(path: dir)
  #expect(newest.path == dir + "/model.ckpt-400")
  #expect(newest.globalStep == 400)
  #expect(try newest.readFloat32("w", shape: [2]) == [400, 1])
  // Saving the same step again replaces it without duplicating its state entry.
  try saver.save(step: 400, tensors: [.float32("w", shape: [2], [4, 4])])
  #expect(try CheckpointState.read(directory: dir)?.allModelCheckpointPaths == ["model.ckpt-300", "model.ckpt-400"])
  #expect(try CheckpointReader(path: dir).readFloat32("w") == [4, 4])
}

/// A save that fails at any stage leaves the previous checkpoint the newest and readable,
/// and leaves no temporary files; the next save succeeds.
@Test(arguments: [BundleWriter.Stage.dataWritten, .indexWritten, .dataRenamed])
func failedSaveLeavesPreviousCheckpointNewest(_ stage: BundleWriter.Stage) throws {
  struct InjectedFailure: Error {}
  let dir = try Fixtures.temporaryDirectory("failedSave\(stage)")
  defer { Fixtures.remove(dir) }
  let saver = CheckpointSaver(directory: dir, keep: 1)
  try saver.save(step: 1, tensors: [.float32("w", shape: [3], [1, 2, 3])])
  #expect(throws: InjectedFailure.self) {
    try saver.save(step: 2, tensors: [.float32("w", shape: [3], [4, 5, 6])]) { s in
      if s == stage { throw InjectedFailure() }
    }
  }
  #expect(try CheckpointState.read(directory: dir)?.modelCheckpointPath == "model.ckpt-1")
  let reader = try CheckpointReader(path: dir)
  #expect(reader.globalStep == 1)
  #expect(try reader.readFloat32("w") == [1, 2, 3])
  let files = try FileManager.default.contentsOfDirectory(atPath: dir)
  #expect(!files.contains { $0.contains(".tmp-") }, "\(files)")
  #expect(files.sorted() == ["checkpoint", "model.ckpt-1.data-00000-of-00001", "model.ckpt-1.index"], "\(files)")
  try saver.save(step: 2, tensors: [.float32("w", shape: [3], [4, 5, 6])])
  #expect(try CheckpointReader(path: dir).globalStep == 2)
  #expect(!FileManager.default.fileExists(atPath: dir + "/model.ckpt-1.index"))
}

/// The `checkpoint` text file: our output, TF1's absolute paths with timestamps, escapes,
/// and errors with line numbers.
@Test func checkpointStateFile() throws {
  let ours = CheckpointState(modelCheckpointPath: "model.ckpt-20", allModelCheckpointPaths: ["model.ckpt-10", "model.ckpt-20"])
  #expect(ours.serialized() == """
    model_checkpoint_path: "model.ckpt-20"
    all_model_checkpoint_paths: "model.ckpt-10"
    all_model_checkpoint_paths: "model.ckpt-20"

    """)
  #expect(try CheckpointState.parse(ours.serialized(), path: "x") == ours)
  let tf = """
    model_checkpoint_path: "/results/model.ckpt-1000"
    all_model_checkpoint_paths: "/results/model.ckpt-500"
    all_model_checkpoint_paths: "/results/model.ckpt-1000"
    all_model_checkpoint_timestamps: 1700000000.123
    last_preserved_timestamp: 1699999999.5
    """
  let parsed = try CheckpointState.parse(tf, path: "x")
  #expect(parsed.modelCheckpointPath == "/results/model.ckpt-1000")
  #expect(parsed.allModelCheckpointPaths.count == 2)
  #expect(CheckpointState.resolve(parsed.modelCheckpointPath, in: "/elsewhere") == "/results/model.ckpt-1000")
  #expect(CheckpointState.resolve("model.ckpt-5", in: "/d") == "/d/model.ckpt-5")
  let odd = CheckpointState(modelCheckpointPath: "we\"ird\\dir/ckpt\tx-ü", allModelCheckpointPaths: [])
  #expect(try CheckpointState.parse(odd.serialized(), path: "x") == odd)
  #expect(try CheckpointState.parse("model_checkpoint_path: 'a\\101\\x42'", path: "x").modelCheckpointPath == "aAB")
  #expect(throws: CheckpointError.badStateFile(path: "f", line: 2, reason: "expected `field: value`, got 'garbage'")) {
    try CheckpointState.parse("model_checkpoint_path: \"a\"\ngarbage", path: "f")
  }
  #expect(throws: CheckpointError.self) { try CheckpointState.parse("model_checkpoint_path: unquoted", path: "f") }
  #expect(throws: CheckpointError.self) { try CheckpointState.parse("all_model_checkpoint_paths: \"a\"", path: "f") }
}

/// A model directory whose `checkpoint` file was written by TF1's Saver with absolute paths
/// and then moved: the reader falls back to the file name inside the directory, and the
/// saver never deletes files outside its directory when it rotates old entries away.
@Test func movedModelDirectoryWithAbsolutePaths() throws {
  let root = try Fixtures.temporaryDirectory()
  defer { Fixtures.remove(root) }
  let elsewhere = root + "/elsewhere", dir = root + "/model_dir"
  try CheckpointSaver(directory: elsewhere, keep: 0).save(step: 5, tensors: [.float32("w", shape: [1], [5])])
  try CheckpointSaver(directory: dir, keep: 0).save(step: 7, tensors: [.float32("w", shape: [1], [7])])
  try CheckpointState(modelCheckpointPath: "/gone/results/model.ckpt-7",
                      allModelCheckpointPaths: [elsewhere + "/model.ckpt-5", "/gone/results/model.ckpt-7"])
    .write(directory: dir)
  let reader = try CheckpointReader(path: dir)
  #expect(reader.path == dir + "/model.ckpt-7" && reader.globalStep == 7)
  try CheckpointSaver(directory: dir, keep: 1).save(step: 9, tensors: [.float32("w", shape: [1], [9])])
  #expect(FileManager.default.fileExists(atPath: elsewhere + "/model.ckpt-5.index"))
  #expect(try CheckpointState.read(directory: dir)?.allModelCheckpointPaths == ["model.ckpt-9"])
  #expect(try CheckpointReader(path: dir).globalStep == 9)
}
