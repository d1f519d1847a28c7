import Config
import Coordinator
import Data
import Evaluation
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Inference
import Report
import Testing
import Worker
import TestSupport

/// `ssd report` and `ssd detect` on what `ssd train` really leaves in a model_dir.
@Suite struct TrainedRunTests {
  /// The tiny training config (64x64, widths x1/8, 1 tower layer, batch 2) on the fixture
  /// records, with `overrides` on top.
  static func config(_ overrides: [String]) throws -> PipelineConfig { try TinyModel.config(batch: 2, overrides) }

  /// Trains with `ssd train`'s code path into `modelDir` (DLLogger report in it) and returns
  /// the last evaluation's metrics.
  static func train(_ config: PipelineConfig, modelDir: String, flags: [String]) throws -> COCOMetrics? {
    var f = ModelMainFlags()
    f.modelDir = modelDir
    f.pipelineConfigPath = config.file
    f.hparamsOverrides = "load_pretrained=false"
    for kv in flags {
      let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
      try f.set(parts[0], to: parts[1])
    }
    var o = TrainingOptions()
    o.seed = 5
    o.logEveryNSteps = 1
    o.evalBatchSize = 4
    o.raportFile = modelDir + "/summary.json"
    let plan = try ModelMainPlan(flags: f, config: config)
    let worker = try TrainingWorker(plan: plan, seed: o.seed, inputThreads: o.inputThreads)
    return try TrainingCoordinator(plan: plan, modelDir: modelDir, options: o, backend: worker).run()
  }

  @Test func reportOfAShortTrainingRun() throws {
    let dir = try Fixtures.temporaryDirectory("trained-report")
    defer { Fixtures.remove(dir) }
    let config = try Self.config([
      "train_config.num_steps=4",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps=8",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.warmup_steps=2",
    ])
    let metrics = try #require(try Self.train(config, modelDir: dir, flags: ["eval_count=2", "sample_1_of_n_eval_examples=8"]))
    let path = try RunReport.write(modelDir: dir)
    let doc = try XMLDocument(xmlString: try String(contentsOfFile: path, encoding: .utf8), options: [])
    let svgs = try doc.nodes(forXPath: "//*[local-name()='svg']")
    let labels = try doc.nodes(forXPath: "//*[local-name()='svg']/@aria-label").compactMap(\.stringValue)
    #expect(svgs.count == labels.count)
    // What the trainer writes today: per-phase throughput and metrics in the DLLogger report,
    // metrics files per evaluation (per-step losses are only on its console).
    #expect(labels.contains("Training throughput") && labels.contains("COCO average precision")
            && labels.contains("COCO average recall"))
    let history = try RunHistory(modelDir: dir)
    #expect(history.evaluations.map(\.step) == [2, 4])
    #expect(history.evaluations.last?.metrics["Precision/mAP"] == metrics.stats[0])
    #expect(history.evaluations.last?.perCategory.count == metrics.perCategory.count)
    #expect(history.phaseThroughput.count == 2)
    let apSeries = try doc.nodes(forXPath: "//*[local-name()='g'][@data-name='AP']/@data-points").compactMap(\.stringValue)
    #expect(apSeries.first?.hasSuffix("4,\(LinePlot.number(metrics.stats[0]))") == true)
    #expect(history.checkpoints.contains { $0.hasSuffix("model.ckpt-4") })
  }

  /// The trainer's checkpoint loads into `ssd detect`'s detector, whose detections on the
  /// val images (extracted from the record) equal the trainer's own evaluation detections,
  /// so scoring them with the Evaluation module gives the trainer's mAP.
  @Test func detectOnTrainerCheckpointMatchesTrainerEvaluation() throws {
    let dir = try Fixtures.temporaryDirectory("trained-detect")
    defer { Fixtures.remove(dir) }
    let config = try Self.config([
      "train_config.num_steps=2",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps=8",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.warmup_steps=2",
    ])
    _ = try Self.train(config, modelDir: dir, flags: ["sample_1_of_n_eval_examples=8"])
    let trainerDetections = try COCODetection.loadResults(contentsOf: dir + "/eval_validation_data/detections-2.json")

    let detector = try Detector(config: config)
    let summary = try detector.loadWeights(from: dir)
    #expect(summary.globalStep == 2 && summary.unused > 0)  // momentum slots and bookkeeping ignored
    let images = try TinyPipeline.valJPEGs(count: 32)
    var paths: [String] = []
    for (k, (id, jpeg)) in images.enumerated() where k % 8 == 0 {
      let p = "\(dir)/\(id).jpg"
      try Foundation.Data(jpeg).write(to: URL(fileURLWithPath: p))
      paths.append(p)
    }
    let labelMap = try LabelMap.load(path: Fixtures.path("mscoco_label_map.pbtxt"))
    let categories = Dictionary(uniqueKeysWithValues: labelMap.categories(maxNumClasses: 90).map { ($0.id, $0.name) })
    var options = DetectionRun.Options()
    options.minimumScore = 0
    let run = DetectionRun.run(detector: detector, paths: paths, categories: categories, options: options)
    #expect(run.failures.isEmpty)
    // The trainer keys images by the hashed source id (spec §9.1); compare per image in order.
    var byImage = Dictionary(grouping: trainerDetections, by: \.imageID)
    let trainerOrder = byImage.keys.sorted()
    #expect(byImage.count == run.results.count)
    let ours = run.results.map { r in r.objects.map { ($0.categoryID, $0.bbox, $0.score) } }
    var matched = 0
    for r in ours {
      // Find the trainer image with the same detections (ids differ: hashed vs file name).
      if let id = trainerOrder.first(where: { id in
        guard let t = byImage[id] else { return false }
        return t.count == r.count && zip(t, r).allSatisfy { a, b in
          a.categoryID == b.0 && abs(a.bbox.x - b.1.x) < 1e-3 && abs(a.bbox.y - b.1.y) < 1e-3
            && abs(a.bbox.width - b.1.width) < 1e-3 && abs(a.bbox.height - b.1.height) < 1e-3
            && abs(a.score - Double(b.2)) < 1e-5
        }
      }) { matched += 1; byImage.removeValue(forKey: id) }
    }
    #expect(matched == run.results.count)
  }
}
