import Events
import Foundation
import TestSupport
import Testing

/// Event files written by the `tensorboard` package's own writer
/// (Tests/EventsData/make_reference_events.py) read back exactly.
@Suite struct TensorFlowFileTests {
  static let dir = Fixtures.packageRoot.appendingPathComponent("Tests/EventsData/tensorflow_model_dir").path

  @Test func trainingFileOfTensorBoardsWriter() throws {
    let files = EventFileName.files(in: Self.dir)
    #expect(files.map { ($0 as NSString).lastPathComponent } == ["events.out.tfevents.1700000000.tensorboard-writer"])
    let file = try EventFile.read(path: files[0])
    #expect(file.fileVersion == "brain.Event:2" && file.incompleteTailBytes == 0)
    #expect(file.events[1] == TFEvent(wallTime: 1_700_000_001, step: 0, content: .sessionLog(SessionLog(status: .start))))
    let s = file.scalars
    #expect(s.map(\.step) == [100, 100, 100, 100, 100, 200, 200, 200, 200])
    #expect(s.map(\.tag) == ["learning_rate", "loss", "global_norm/gradient_norm", EventTags.avgNumPositiveAnchorsPerImage,
                             "global_step/sec", "learning_rate", "loss", "global_norm/gradient_norm",
                             EventTags.avgNumPositiveAnchorsPerImage])
    #expect(s.map(\.value) == [0.02, 1.25, 3.5, 12, 2.5, 0.04, 0.75, 2.5, 14])
    #expect(file.events[2].wallTime == 1_700_000_100.5)
    #expect(file.events.last == TFEvent(wallTime: 1_700_000_201, step: 200,
                                        content: .sessionLog(SessionLog(status: .checkpoint, checkpointPath: "/results/model.ckpt"))))
  }

  @Test func evaluationFileOfTensorBoardsWriter() throws {
    let files = EventFileName.files(in: Self.dir + "/eval")
    let file = try EventFile.read(path: files[0])
    #expect(file.events.count == 2 && file.events[1].step == 200)
    let tags = file.scalars.map(\.tag)
    #expect(Array(tags.prefix(12)) == EventTags.cocoMetrics)
    #expect(tags.contains(EventTags.perCategoryAP("traffic light")) && tags.contains(EventTags.totalLoss))
    #expect(file.scalars.first { $0.tag == "DetectionBoxes_Precision/mAP (small)" }?.value == -1)
    let images = file.images
    #expect(images.count == 1 && images[0].tag == EventTags.detectionImage(0))
    #expect(images[0].image.width == 4 && images[0].image.height == 2 && images[0].image.colorspace == 3)
    #expect(images[0].image.mimeType == "image/png")
    // Our writer's bytes for the same event read back the same.
    let again = try EventFile.parse(RecordFraming.frame(file.events[1].serialized()), path: "again")
    #expect(again.events == [file.events[1]])
  }
}
