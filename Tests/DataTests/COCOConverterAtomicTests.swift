import Foundation
import Testing
@testable import Data
import TestSupport

/// `ssd data from-coco` writes shards under temporary names and renames them only when every
/// image is written: a failure leaves no file under a final name.
struct COCOConverterAtomicTests {
  /// An instances JSON over `count` images named i.jpg (one annotation each); the JPEG bytes
  /// need not decode (the converter copies them).
  func dataset(_ dir: String, count: Int, writeImages: Set<Int>) throws -> String {
    let images = dir + "/images"
    try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
    var imageList: [String] = [], annotations: [String] = []
    for i in 1...count {
      imageList.append("{\"id\": \(i), \"file_name\": \"\(i).jpg\", \"height\": 10, \"width\": 10}")
      annotations.append("{\"id\": \(i), \"image_id\": \(i), \"category_id\": 1, \"bbox\": [1, 1, 2, 2], \"area\": 4, \"iscrowd\": 0}")
      if writeImages.contains(i) { try Foundation.Data([0xFF, 0xD8, UInt8(i)]).write(to: URL(fileURLWithPath: "\(images)/\(i).jpg")) }
    }
    let json = "{\"images\": [\(imageList.joined(separator: ","))], \"annotations\": [\(annotations.joined(separator: ","))], "
      + "\"categories\": [{\"id\": 1, \"name\": \"thing\"}]}"
    let path = dir + "/instances.json"
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func files(_ dir: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
  }

  @Test func failureLeavesNoShardUnderAFinalName() throws {
    let dir = try Fixtures.temporaryDirectory("from-coco-fail")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // 80 images in batches of 32; image 70 is missing, so the third batch fails after two
    // batches were written.
    let annotations = try dataset(dir, count: 80, writeImages: Set(1...80).subtracting([70]))
    let converter = try COCOConverter(imagesDirectory: dir + "/images", annotationsPath: annotations)
    let out = dir + "/out"
    var sawTemporary = false
    #expect(throws: (any Error).self) {
      try converter.run(outputPrefix: out + "/coco.record", shards: 3) { done, _, _ in
        // While it runs, only temporary names exist.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        sawTemporary = sawTemporary || (!names.isEmpty && names.allSatisfy { $0.hasSuffix(".incomplete") })
        #expect(names.allSatisfy { $0.hasSuffix(".incomplete") }, "after \(done) images: \(names)")
      }
    }
    #expect(sawTemporary)
    let left = try files(out)
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test func successRenamesEveryShard() throws {
    let dir = try Fixtures.temporaryDirectory("from-coco-ok")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let annotations = try dataset(dir, count: 5, writeImages: Set(1...5))
    let converter = try COCOConverter(imagesDirectory: dir + "/images", annotationsPath: annotations)
    let report = try converter.run(outputPrefix: dir + "/out/coco.record", shards: 2)
    #expect(try files(dir + "/out") == ["coco.record-00000-of-00002", "coco.record-00001-of-00002"])
    #expect(report.outputFiles.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    #expect(try TFRecordFile(path: report.outputFiles[0]).count == 3)
  }

  /// A failed run does not touch shards a previous run left under the final names.
  @Test func failureKeepsAnOlderOutput() throws {
    let dir = try Fixtures.temporaryDirectory("from-coco-old")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let good = try dataset(dir, count: 2, writeImages: [1, 2])
    _ = try COCOConverter(imagesDirectory: dir + "/images", annotationsPath: good).run(outputPrefix: dir + "/out/c", shards: 1)
    let before = try Foundation.Data(contentsOf: URL(fileURLWithPath: dir + "/out/c-00000-of-00001"))
    try FileManager.default.removeItem(atPath: dir + "/images/2.jpg")
    #expect(throws: (any Error).self) {
      try COCOConverter(imagesDirectory: dir + "/images", annotationsPath: good).run(outputPrefix: dir + "/out/c", shards: 1)
    }
    #expect(try files(dir + "/out") == ["c-00000-of-00001"])
    #expect(try Foundation.Data(contentsOf: URL(fileURLWithPath: dir + "/out/c-00000-of-00001")) == before)
  }
}
