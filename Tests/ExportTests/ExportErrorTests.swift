import Export
import Foundation
import Model
import Testing

/// What a user gets for bad input: the first mismatching checkpoint variable by name and
/// shape, an unwritable output, a config option the graph cannot express.
@Suite struct ExportErrorTests {
  @Test func checkpointOfAnotherModelNamesTheFirstMismatch() throws {
    let dir = try ExportFixture.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A checkpoint of the same family with 3 classes: the class predictor differs.
    let small = try ExportFixture.writeConfig(in: dir, numClasses: 3)
    let detector = try ExportFixture.detector(configPath: small)
    let prefix = try ExportFixture.saveCheckpoint(detector.network.params, in: dir + "/ckpt")
    let config = try ExportFixture.writeConfig(in: dir + "/ckpt", numClasses: 90)
    do {
      _ = try ExportSource.load(pipelineConfigPath: config, checkpoint: prefix)
      Issue.record("a 3-class checkpoint loaded into a 90-class model")
    } catch let error as ExportError {
      let text = error.description
      #expect(text.contains("WeightSharedConvolutionalBoxPredictor/ClassPredictor/weights"), "\(text)")
      #expect(text.contains("[3, 3, 32, 24]") && text.contains("[3, 3, 32, 546]"), "\(text)")
    }
    // A missing variable is named too.
    let missing = "FeatureExtractor/resnet_v1_50/conv1/BatchNorm/moving_variance"
    let partial = try ExportFixture.saveCheckpoint(detector.network.params, in: dir + "/partial", skipping: [missing])
    do {
      _ = try ExportSource.load(pipelineConfigPath: small, checkpoint: partial)
      Issue.record("a checkpoint without \(missing) loaded")
    } catch let error as ExportError {
      #expect(error.description.contains(missing), "\(error)")
    }
    #expect(throws: ExportError.self) { try ExportSource.load(pipelineConfigPath: small, checkpoint: dir + "/nothing") }
  }

  @Test func unwritableOutputsAreReportedBeforeWork() throws {
    let dir = try ExportFixture.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(throws: ExportError.cannotWrite(path: dir + "/no/such/dir/m.onnx", reason: "directory \(dir)/no/such/dir does not exist")) {
      try ExportJob.checkWritable(dir + "/no/such/dir/m.onnx")
    }
    #expect(throws: ExportError.cannotWrite(path: dir, reason: "it is a directory")) { try ExportJob.checkWritable(dir) }
    try ExportJob.checkWritable(dir + "/m.onnx")
    #expect(ExportJob.defaultSidecarPath(for: "a/m.onnx") == "a/m.json")
    #expect(ExportJob.defaultSidecarPath(for: "a/m.bin") == "a/m.bin.json")
  }

  @Test func unsupportedConfigOptionsAreNamed() throws {
    let dir = try ExportFixture.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let detector = try ExportFixture.detector(configPath: try ExportFixture.writeConfig(in: dir))
    let prefix = try ExportFixture.saveCheckpoint(detector.network.params, in: dir + "/ckpt")
    func config(_ a: String, _ b: String) throws -> String {
      let text = try ExportFixture.configText().replacingOccurrences(of: a, with: b)
      #expect(text != (try ExportFixture.configText()), "the seed config contains \(a)")
      let path = dir + "/edited.config"
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      return path
    }
    do {
      _ = try ExportSource.load(pipelineConfigPath: try config("iou_threshold: 0.6", "iou_threshold: 1.5"), checkpoint: prefix)
      Issue.record("iou_threshold 1.5 was accepted")
    } catch let error as ExportError {
      #expect(error.description.contains("iou_threshold"), "\(error)")
    }
    do {
      _ = try ExportSource.load(pipelineConfigPath: try config("score_converter: SIGMOID", "score_converter: SOFTMAX"),
                                checkpoint: prefix)
      Issue.record("score_converter SOFTMAX was accepted")
    } catch let error as ExportError {
      #expect(error.description.contains("score_converter"), "\(error)")
    }
  }

  @Test func npyFilesHaveNumpysHeader() {
    let data = [UInt8](NPYFile.encode([1, 2, 3, 4, 5, 6], shape: [2, 3]))
    #expect(Array(data.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    #expect((10 + headerLength) % 64 == 0)
    let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }") && header.hasSuffix("\n"))
    #expect(data.count == 10 + headerLength + 24)
    #expect(Array(data.suffix(4)) == [0, 0, 0xC0, 0x40])  // 6.0f little-endian
  }
}
