import Data
import Evaluation
import Events
import Foundation
import Inference
import TestSupport
import Testing
import Visualization

/// The way from a drawing to TensorBoard: side-by-side picture → summary image → event file →
/// reader → the same JPEG, decodable at the picture's size. With SSD_KEEP_TEST_OUTPUT set the
/// directory stays (a model_dir with training scalars and an evaluation with pictures, for a
/// look with TensorBoard or `ssd report`).
@Suite struct EventPicturesTests {
  @Test func picturesGoThroughAnEventFile() throws {
    let dir = try Fixtures.temporaryDirectory("event-pictures")
    defer { Fixtures.remove(dir) }
    let train = try EventFileWriter(directory: dir)
    try train.addSessionLog(SessionLog(status: .start), step: 0)
    for step in stride(from: 10, through: 50, by: 10) {
      let s = Float(step)
      try train.addScalars([(EventTags.totalLoss, 3 - s / 25), (EventTags.classificationLoss, 2 - s / 50),
                            (EventTags.localizationLoss, 0.8 - s / 100), (EventTags.regularizationLoss, 0.2),
                            (EventTags.learningRate, s / 1000), (EventTags.loss, 3 - s / 25),
                            (EventTags.globalStepPerSecond, 1.5), (EventTags.imagesPerSecond, 24),
                            (EventTags.stepMillisecondsCompute, 600), (EventTags.stepMillisecondsExposedComm, 50),
                            (EventTags.stepMillisecondsInput, 4)], step: Int64(step))
    }
    train.close()

    // Two pictures of a synthetic scene: a red square (person) and a blue one (car).
    var scene = RGBImage(height: 96, width: 128, fill: (235, 235, 220))
    let painter = BoxPainter(lineWidth: 1, textScale: 1)
    painter.fill(x0: 20, y0: 30, x1: 50, y1: 70, color: (200, 40, 40), on: &scene)
    painter.fill(x0: 80, y0: 40, x1: 110, y1: 60, color: (40, 40, 200), on: &scene)
    let drawing = SideBySideDetections(categories: [1: "person", 3: "car"])
    let detections = [DetectedObject(categoryID: 1, categoryName: "", score: 0.91, bbox: COCOBox(x: 19, y: 29, width: 33, height: 43)),
                      DetectedObject(categoryID: 3, categoryName: "", score: 0.62, bbox: COCOBox(x: 78, y: 41, width: 34, height: 20))]
    let gt = [SideBySideDetections.GroundTruthObject(categoryID: 1, bbox: COCOBox(x: 20, y: 30, width: 31, height: 41)),
              SideBySideDetections.GroundTruthObject(categoryID: 3, bbox: COCOBox(x: 80, y: 40, width: 31, height: 21))]
    let encoder = ImageSummaryEncoder()
    let pictures = try (0..<2).map { i in
      (tag: EventTags.detectionImage(i),
       image: try encoder.encode(drawing.render(image: scene, detections: i == 0 ? detections : [], groundTruth: gt)))
    }
    let eval = try EventFileWriter(directory: dir + "/eval_validation_data")
    try eval.addScalars(EventTags.cocoMetrics.map { ($0, 0.5) } + EventTags.losses.map { ($0, 1.0) }, step: 50)
    try eval.addImages(pictures, step: 50)
    eval.close()

    let back = try EventFile.read(path: eval.path).images
    #expect(back.map(\.tag) == ["Detections_Left_Groundtruth_Right/0/0", "Detections_Left_Groundtruth_Right/1/0"])
    #expect(back.map(\.image) == pictures.map(\.image))
    let decoded = try JPEGDecoder().decode(back[0].image.encoded)
    #expect(decoded.width == 256 && decoded.height == 96)
    if ProcessInfo.processInfo.environment["SSD_KEEP_TEST_OUTPUT"] != nil { print("event pictures kept in \(dir)") }
  }
}
