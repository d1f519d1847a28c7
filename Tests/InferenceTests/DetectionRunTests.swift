import Config
import Data
import Evaluation
import Foundation
import Inference
import Model
import Testing
import TestSupport

/// `ssd detect`'s library path on the fixture val images (extracted from the TFRecord) with
/// a tiny model whose weights go through a V2 checkpoint.
@Suite struct DetectionRunTests {
  @Test func detectWritesValidCOCOJSONAndSkipsBadImages() throws {
    let dir = try Fixtures.temporaryDirectory("detect")
    defer { Fixtures.remove(dir) }
    let config = try TinyPipeline.config()
    // Weights: a network with a non-default seed, saved as a checkpoint.
    let trained = try Detector(config: config, seed: 11)
    let prefix = try TinyPipeline.saveCheckpoint(trained.network.params, in: dir + "/model")

    // Images: 5 fixture JPEGs under their COCO-style names, a truncated JPEG and a text file.
    let images = try TinyPipeline.valJPEGs(count: 5)
    var paths: [String] = []
    for (id, jpeg) in images {
      let p = dir + "/" + String(repeating: "0", count: 12 - id.count) + id + ".jpg"
      try Foundation.Data(jpeg).write(to: URL(fileURLWithPath: p))
      paths.append(p)
    }
    let truncated = dir + "/truncated.jpg"
    try Foundation.Data(images[0].jpeg.prefix(images[0].jpeg.count / 3)).write(to: URL(fileURLWithPath: truncated))
    let text = dir + "/notes.jpg"
    try Foundation.Data("not an image\n".utf8).write(to: URL(fileURLWithPath: text))
    let inputs = [paths[0], paths[1], truncated, paths[2], text, paths[3], paths[4]]

    // A fresh detector (other seed) loads the checkpoint.
    let detector = try Detector(config: config, seed: 99)
    let summary = try detector.loadWeights(from: dir + "/model")  // model_dir → newest checkpoint
    #expect(summary.checkpoint == prefix)
    #expect(summary.globalStep == 7)
    #expect(summary.restored.count == detector.network.params.variables.count)

    let labelMap = try LabelMap.load(path: Fixtures.path("mscoco_label_map.pbtxt"))
    let categories = Dictionary(uniqueKeysWithValues: labelMap.categories(maxNumClasses: 90).map { ($0.id, $0.name) })
    var options = DetectionRun.Options()
    options.minimumScore = 0
    options.batchSize = 2
    options.drawDirectory = dir + "/drawn"
    var logged: [String] = []
    let run = DetectionRun.run(detector: detector, paths: inputs, categories: categories, options: options) {
      logged.append($0)
    }

    // Bad files: reported by name, in order, the rest processed.
    #expect(run.failures.map(\.path) == [truncated, text])
    #expect(run.failures[0].message.contains("truncated.jpg") && run.failures[0].message.contains("JPEG"))
    #expect(run.failures[1].message.contains("not a JPEG"))
    #expect(logged.filter { $0.hasPrefix("skipped") }.count == 2)
    #expect(run.results.map(\.path) == paths)
    #expect(run.results.map(\.imageID) == images.map { Int($0.sourceID)! }, "\(run.results.map(\.imageID)) \(images.map(\.sourceID))")

    // Same detections as running the saved network directly: the weights were loaded.
    let decoder = JPEGDecoder()
    for (k, r) in run.results.enumerated() {
      let image = try decoder.decode(images[k].jpeg)
      #expect(r.height == image.height && r.width == image.width)
      let direct = trained.detect([image])[0]
      let expected = DetectedObject.from(direct, imageHeight: image.height, imageWidth: image.width,
                                         categories: categories, minimumScore: 0)
      #expect(r.objects == expected)
      #expect(!r.objects.isEmpty)  // threshold 1e-8: an untrained net still scores every class
      for o in r.objects {
        #expect(categories[o.categoryID] == o.categoryName)
        #expect(o.bbox.x >= 0 && o.bbox.y >= 0 && o.bbox.width >= 0 && o.bbox.height >= 0)
        #expect(o.bbox.x + o.bbox.width <= Double(image.width) + 1e-3)
        #expect(o.bbox.y + o.bbox.height <= Double(image.height) + 1e-3)
      }
      #expect(r.objects.count <= 100)
      #expect(zip(r.objects, r.objects.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    // The JSON is a COCO results list the evaluator (and pycocotools) reads, with the ids and
    // boxes exactly as computed.
    let json = run.resultsJSON()
    let loaded = try COCODetection.loadResults(jsonData: json)
    #expect(loaded == run.cocoDetections)
    let raw = try JSONSerialization.jsonObject(with: json) as! [[String: Any]]
    #expect(raw.count == loaded.count)
    #expect(Set(raw.map { $0["category_name"] as! String }).isSubset(of: Set(categories.values)))

    // Drawings: one decodable JPEG per good image, same size as the original.
    for (k, r) in run.results.enumerated() {
      let drawn = try decoder.decode(try FileBytes.read(dir + "/drawn/" + (r.path as NSString).lastPathComponent))
      #expect(drawn.height == r.height && drawn.width == r.width)
      #expect(drawn.pixels != (try decoder.decode(images[k].jpeg)).pixels)
    }
  }

  @Test func batchSizeDoesNotChangeDetections() throws {
    let config = try TinyPipeline.config()
    let detector = try Detector(config: config, seed: 3)
    let decoder = JPEGDecoder()
    let images = try TinyPipeline.valJPEGs(count: 3).map { try decoder.decode($0.jpeg) }
    let batched = detector.detect(images)
    for (k, image) in images.enumerated() {
      let single = detector.detect([image])[0]
      #expect(single.count == batched[k].count)
      #expect(single.classes == batched[k].classes)
      // BLAS blocking may differ between batch sizes: scores agree to float rounding.
      for (a, b) in zip(single.scores, batched[k].scores) { #expect(abs(a - b) <= 1e-5) }
    }
  }

  @Test func imageIDsComeFromNumericNamesOrPositions() {
    #expect(DetectionRun.imageIDs(for: ["a/000000397133.jpg", "b/12.jpeg"]) == [397133, 12])
    #expect(DetectionRun.imageIDs(for: ["a/1.jpg", "b/1.jpg"]) == [1, 2])  // duplicate stems
    #expect(DetectionRun.imageIDs(for: ["x/cat.jpg", "x/7.jpg", "dog.jpg"]) == [8, 7, 9])
    #expect(DetectionRun.imageIDs(for: ["x/cat.jpg"]) == [1])
    #expect(DetectionRun.imageIDs(for: []) == [])
  }

  @Test func collectExpandsDirectoriesAndRejectsMissingPaths() throws {
    let dir = try Fixtures.temporaryDirectory("collect")
    defer { Fixtures.remove(dir) }
    for name in ["b.JPG", "a.jpeg", "c.png", "d.txt"] {
      try Foundation.Data([0]).write(to: URL(fileURLWithPath: dir + "/" + name))
    }
    #expect(try ImageFiles.collect([dir]) == [dir + "/a.jpeg", dir + "/b.JPG"])
    #expect(try ImageFiles.collect([dir + "/c.png"]) == [dir + "/c.png"])
    #expect(throws: InferenceError.noSuchInput(path: dir + "/none.jpg")) { try ImageFiles.collect([dir + "/none.jpg"]) }
    try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: false)
    #expect(throws: InferenceError.noImagesInDirectory(path: dir + "/empty")) { try ImageFiles.collect([dir + "/empty"]) }
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    #expect(throws: InferenceError.self) { try ImageFiles.decode(png, path: "x.png", decoder: JPEGDecoder()) }
  }

  @Test func checkpointOfAnotherModelIsRejectedByName() throws {
    let dir = try Fixtures.temporaryDirectory("mismatch")
    defer { Fixtures.remove(dir) }
    // A model with 3 tower layers needs conv2d_2 variables that a 2-layer checkpoint lacks.
    var text = try TinyPipeline.text()
    text = text.replacingOccurrences(of: "num_layers_before_predictor: 2", with: "num_layers_before_predictor: 3")
    let deeper = try Detector(config: try PipelineConfig.parse(text, file: "deeper.config"), seed: 1)
    let tiny = try Detector(config: try TinyPipeline.config(), seed: 1)
    let prefix = try TinyPipeline.saveCheckpoint(tiny.network.params, in: dir)
    do {
      try deeper.loadWeights(from: prefix)
      Issue.record("a checkpoint without the third tower layer loaded into a 3-layer model")
    } catch let error as InferenceError {
      guard case .missingVariable(let c, let name) = error else { Issue.record("unexpected \(error)"); return }
      #expect(c == prefix && name.contains("BoxPredictionTower/conv2d_2"))
      #expect(error.description.contains("pipeline config"))
    }
    // Wider model: same names, other shapes.
    let wide = try Detector(config: try PipelineConfig.parse(try TinyPipeline.text().replacingOccurrences(
      of: "depth_multiplier: 0.125", with: "depth_multiplier: 0.25"), file: "wide.config"), seed: 1)
    #expect(throws: InferenceError.self) { try wide.loadWeights(from: prefix) }
    #expect(throws: InferenceError.checkpointNotFound(path: dir + "/nothing")) { try wide.loadWeights(from: dir + "/nothing") }
  }
}
