import Events
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import TestSupport
import Testing

/// Reports of model_dirs with TensorBoard event files: the training scalars, evaluations and
/// gallery pictures they hold, the per-worker step-time split, resumed runs, a model_dir
/// written by TensorFlow's tools, and the warnings for missing sources.
@Suite struct EventSourcesTests {
  static func attribute(_ e: XMLElement, _ name: String) -> String? { RunReportTests.attribute(e, name) }

  static func svgs(_ doc: XMLDocument) throws -> [XMLElement] {
    try doc.nodes(forXPath: "//*[local-name()='svg']").compactMap { $0 as? XMLElement }
  }

  /// `data-points` of a stacked plot's layer.
  static func layer(_ svg: XMLElement, _ name: String) -> [(Double, Double)]? {
    for g in (try? svg.nodes(forXPath: ".//*[local-name()='g'][@class='layer']")) ?? [] {
      guard let e = g as? XMLElement, attribute(e, "data-name") == name, let raw = attribute(e, "data-points") else { continue }
      return raw.split(separator: " ").map { p in
        let xy = p.split(separator: ",")
        return (Double(xy[0])!, Double(xy[1])!)
      }
    }
    return nil
  }

  static let jpeg1: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]
  static let jpeg2: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7]

  /// Training scalars at steps 10, 20, 30 (losses, learning rate, throughput, the step-time
  /// split for the job and two workers — worker 1 slower) and one evaluation at step 30 with
  /// metrics, losses, per-category AP and three pictures (one not an image).
  static func writeEventModelDir(_ dir: String) throws {
    let train = try EventFileWriter(directory: dir, time: Date(timeIntervalSince1970: 1_700_000_000), hostname: "h")
    try train.addSessionLog(SessionLog(status: .start), step: 0)
    for step in [10, 20, 30] {
      let s = Float(step)
      var values: [(tag: String, value: Float)] = [
        (EventTags.totalLoss, 4 - s / 10), (EventTags.classificationLoss, 2 - s / 20), (EventTags.localizationLoss, 1.5),
        (EventTags.regularizationLoss, 0.5 - s / 100), (EventTags.learningRate, s / 1000), (EventTags.imagesPerSecond, 30 + s),
        (EventTags.stepMillisecondsCompute, 500 + s), (EventTags.stepMillisecondsExposedComm, 90), (EventTags.stepMillisecondsInput, 5),
      ]
      for w in 0..<2 {
        values.append((EventTags.perWorker(EventTags.stepMillisecondsCompute, worker: w), 400 + 100 * Float(w) + s))
        values.append((EventTags.perWorker(EventTags.stepMillisecondsExposedComm, worker: w), 90 - 10 * Float(w)))
        values.append((EventTags.perWorker(EventTags.stepMillisecondsInput, worker: w), 5 + Float(w)))
      }
      try train.addScalars(values, step: Int64(step))
    }
    train.close()
    let eval = try EventFileWriter(directory: dir + "/eval_validation_data", time: Date(timeIntervalSince1970: 1_700_000_100), hostname: "h")
    var metrics = EventTags.cocoMetrics.enumerated().map { (tag: $0.element, value: Float($0.offset + 1) / 16) }
    metrics += [(EventTags.perCategoryAP("person"), 0.5), (EventTags.perCategoryAP("car"), 0.25), (EventTags.totalLoss, 2.5)]
    try eval.addScalars(metrics, step: 30)
    try eval.addImages([(EventTags.detectionImage(1), SummaryImage(height: 3, width: 4, encoded: jpeg2)),
                        (EventTags.detectionImage(0), SummaryImage(height: 2, width: 4, encoded: jpeg1)),
                        (EventTags.detectionImage(2), SummaryImage(height: 1, width: 1, encoded: [1, 2, 3]))], step: 30)
    eval.close()
  }

  @Test func eventFilesGiveSeriesEvaluationsGalleryAndStepTimes() throws {
    let dir = try TempDir.make("report-events")
    defer { TempDir.remove(dir) }
    try Self.writeEventModelDir(dir)
    let h = try RunHistory(modelDir: dir)
    #expect(h.series["total_loss"]?.map(\.step) == [10, 20, 30])
    #expect(h.series["total_loss"]?.map(\.value) == [3, 2, 1])
    #expect(h.series["train_throughput"]?.map(\.value) == [40, 50, 60])
    #expect(h.evaluations.count == 1 && h.evaluations[0].name == "validation_data" && h.evaluations[0].step == 30)
    #expect(h.evaluations[0].metrics["Precision/mAP"] == 1.0 / 16 && h.evaluations[0].metrics["Recall/AR@100 (large)"] == 12.0 / 16)
    #expect(h.evaluations[0].losses["Loss/total_loss"] == 2.5)
    #expect(h.evaluations[0].perCategory.map(\.name) == ["person", "car"])
    #expect(h.gallery.map(\.tag) == [EventTags.detectionImage(0), EventTags.detectionImage(1), EventTags.detectionImage(2)])
    #expect(h.warnings.contains { $0.contains("DLLogger") } && h.warnings.contains { $0.contains("checkpoint state") })
    #expect(h.warnings.contains { $0.contains("pipeline.config") })
    #expect(!h.warnings.contains { $0.contains("event files") } && !h.warnings.contains { $0.contains("gallery") })

    let result = try RunReport.make(modelDir: dir)
    #expect(result.warnings == h.warnings)
    let html = try String(contentsOfFile: result.path, encoding: .utf8)
    let doc = try XMLDocument(xmlString: html, options: [])
    // Pictures are data: URIs of exactly the stored bytes, in index order; the non-image is named, not embedded.
    let srcs = try doc.nodes(forXPath: "//*[local-name()='img']/@src").compactMap(\.stringValue)
    #expect(srcs == [Self.jpeg1, Self.jpeg2].map { "data:image/jpeg;base64," + Data($0).base64EncodedString() })
    #expect(html.contains("Detections_Left_Groundtruth_Right/2/0: not a PNG, JPEG or GIF image (3 bytes); left out"))
    for banned in ["<script", "href=", "@import", "url("] { #expect(!html.contains(banned), "\(banned)") }
    #expect(html.components(separatedBy: "src=").count - 1 == srcs.count)

    // Step time: the critical path, then one plot per worker, each split in three layers.
    let plots = try Self.svgs(doc).filter { Self.attribute($0, "class") == "plot stacked" }
    #expect(plots.map { Self.attribute($0, "aria-label") ?? "" } == [
      "Step time, critical path (the worker with the most compute)", "Step time, worker 0", "Step time, worker 1"])
    #expect(Self.layer(plots[0], "compute")?.map(\.1) == [510, 520, 530])
    #expect(Self.layer(plots[2], "compute")?.map(\.1) == [510, 520, 530])
    #expect(Self.layer(plots[1], "compute")?.map(\.1) == [410, 420, 430])
    #expect(Self.layer(plots[2], "exposed communication")?.map(\.1) == [80, 80, 80])
    #expect(Self.layer(plots[2], "input wait")?.map(\.0) == [10, 20, 30])
    #expect(Self.layer(plots[2], "input wait")?.map(\.1) == [6, 6, 6])
    // The perf/ values are not also shown as separate line plots.
    #expect(!(try Self.svgs(doc)).contains { (Self.attribute($0, "aria-label") ?? "").hasPrefix("perf/") })
    // Missing sources are listed in the page.
    let listed = try doc.nodes(forXPath: "//*[local-name()='ul'][@class='warnings']/*").compactMap(\.stringValue)
    #expect(listed == h.warnings)
  }

  /// A resumed run's new file starts with a session START at the resume step: what the old
  /// file logged at or after that step is dropped (TensorBoard's rule), the rest joins.
  @Test func resumedRunsJoinAtTheStartMarker() throws {
    let dir = try TempDir.make("report-resume")
    defer { TempDir.remove(dir) }
    let first = try EventFileWriter(directory: dir, time: Date(timeIntervalSince1970: 1_700_000_000), hostname: "h")
    for step in [10, 20, 30, 40, 50] { try first.addScalars([(EventTags.totalLoss, Float(step))], step: Int64(step)) }
    first.close()
    let second = try EventFileWriter(directory: dir, time: Date(timeIntervalSince1970: 1_700_000_500), hostname: "h")
    try second.addSessionLog(SessionLog(status: .start), step: 30)
    for step in [40, 50, 60] { try second.addScalars([(EventTags.totalLoss, Float(step) + 0.5)], step: Int64(step)) }
    second.close()
    let h = try RunHistory(modelDir: dir)
    #expect(h.series["total_loss"]?.map(\.step) == [10, 20, 40, 50, 60])
    #expect(h.series["total_loss"]?.map(\.value) == [10, 20, 40.5, 50.5, 60.5])
  }

  /// A model_dir written by TensorFlow's own tools (the `tensorboard` package's writer, laid
  /// out as model_main.py's Estimator does: training at the top, evaluation in `eval/`).
  @Test func modelDirOfTensorFlow() throws {
    let dir = try TempDir.make("report-tf")
    defer { TempDir.remove(dir) }
    let source = Fixtures.packageRoot.appendingPathComponent("Tests/EventsData/tensorflow_model_dir").path
    try FileManager.default.removeItem(atPath: dir)
    try FileManager.default.copyItem(atPath: source, toPath: dir)
    let h = try RunHistory(modelDir: dir)
    #expect(h.series["total_loss"]?.map(\.step) == [100, 200] && h.series["total_loss"]?.map(\.value) == [1.25, 0.75])
    #expect(h.series["learning_rate"]?.map(\.value) == [Double(Float(0.02)), Double(Float(0.04))])
    #expect(h.series["global_step/sec"]?.map(\.value) == [2.5])
    #expect(h.evaluations.count == 1 && h.evaluations[0].name == "eval" && h.evaluations[0].step == 200)
    #expect(h.evaluations[0].metrics["Precision/mAP"] == 0.125 && h.evaluations[0].metrics["Precision/mAP (small)"] == -1)
    #expect(h.evaluations[0].perCategory.map(\.name) == ["person", "traffic light"])
    #expect(h.evaluations[0].perCategory.map(\.id) == [-1, -1])
    #expect(h.gallery.count == 1 && h.gallery[0].image.mimeType == "image/png")
    let page = HTMLReport(history: h, modelDir: dir).html()
    let doc = try XMLDocument(xmlString: page, options: [])
    let titles = try Self.svgs(doc).map { Self.attribute($0, "aria-label") ?? "" }
    #expect(titles.contains("Training loss") && titles.contains("global_norm/gradient_norm")
            && titles.contains(EventTags.avgNumPositiveAnchorsPerImage))
    #expect(try doc.nodes(forXPath: "//*[local-name()='img']").count == 1)
  }

  @Test func consoleTimingLinesGivePhaseMeans() throws {
    let dir = try TempDir.make("report-timing")
    defer { TempDir.remove(dir) }
    let log = """
      step 10 | loss 1.2345 | cls 0.9000 | loc 0.2000 | reg 0.1345 | lr 0.010000 | 31.2 img/s | 812 ms/step | input wait 7 ms
      step 20 | loss 1.1000 | cls 0.8000 | loc 0.2000 | reg 0.1000 | lr 0.020000 | 33.0 img/s | 790 ms/step | input wait 3 ms
      timing | 2 workers | 19 steps | step 800.0 ms = compute 700.5 + exposed comm 90.25 + input 4.0 + other 5.25 ms
      step 30 | loss 1.0000 | cls 0.7000 | loc 0.2000 | reg 0.1000 | lr 0.030000 | 33.0 img/s | 780 ms/step | input wait 2 ms
      timing | 2 workers | 9 steps | step 780.0 ms = compute 690.0 + exposed comm 80.0 + input 2.0 + other 8.0 ms
      timing (whole run, first step excluded) | 2 workers | 29 steps | step 790.0 ms = compute 695.0 + exposed comm 85.0 + input 3.0 + other 7.0 ms
      """
    try log.write(toFile: dir + "/train.log", atomically: true, encoding: .utf8)
    let h = try RunHistory(modelDir: dir)
    #expect(h.series["input_wait_ms"]?.map(\.value) == [7, 3, 2])
    #expect(h.series[TimingLine.compute]?.map(\.step) == [20, 30])
    #expect(h.series[TimingLine.compute]?.map(\.value) == [700.5, 690])
    #expect(h.series[TimingLine.exposedComm]?.map(\.value) == [90.25, 80])
    let page = HTMLReport(history: h, modelDir: dir).html()
    let doc = try XMLDocument(xmlString: page, options: [])
    let plots = try Self.svgs(doc).filter { Self.attribute($0, "class") == "plot stacked" }
    #expect(plots.map { Self.attribute($0, "aria-label") ?? "" } == ["Step time, critical path (means per training phase)"])
    #expect(Self.layer(plots[0], "input wait")?.map(\.1) == [4, 2])
    #expect(page.contains("perf/worker_k/step_ms_compute"))

    // Without timing lines: the progress lines' step time with the input wait split off.
    try log.split(separator: "\n").filter { !$0.hasPrefix("timing") }.joined(separator: "\n")
      .write(toFile: dir + "/train.log", atomically: true, encoding: .utf8)
    let plain = HTMLReport(history: try RunHistory(modelDir: dir), modelDir: dir).html()
    let plainPlots = try Self.svgs(try XMLDocument(xmlString: plain, options: [])).filter { Self.attribute($0, "class") == "plot stacked" }
    #expect(Self.layer(plainPlots[0], "compute + communication")?.map(\.1) == [805, 787, 778])
  }

  /// The page is replaced whole: the old one until the rename, no temporary file left.
  @Test func reportIsReplacedAtomically() throws {
    let dir = try TempDir.make("report-atomic")
    defer { TempDir.remove(dir) }
    try Self.writeEventModelDir(dir)
    try "old".write(toFile: dir + "/report.html", atomically: false, encoding: .utf8)
    let first = try RunReport.write(modelDir: dir)
    let a = try String(contentsOfFile: first, encoding: .utf8)
    #expect(a.hasPrefix("<!DOCTYPE html>") && a.hasSuffix("</html>\n"))
    try RunReport.write(modelDir: dir)
    let names = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
    #expect(throws: ReportError.self) { try RunReport.write(modelDir: dir, output: dir + "/no/such/dir/report.html") }
  }
}
