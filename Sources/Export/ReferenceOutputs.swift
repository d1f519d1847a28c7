import Data
import Foundation
import Inference
import Model

/// Our own outputs for some images, written next to an export so that another runtime's
/// results can be compared with ours (`scripts/check-onnx.sh` does): for JPEG files, the
/// exported graph's input and what `Detector` (the `ssd detect` path) computes from it.
///
/// Files in the directory (NumPy `.npy`, float32): `image.npy` [n, H, W, 3] (each image
/// stretched to the model size with the evaluation resize, RGB 0–255: the graph input),
/// `box_encodings.npy`, `class_predictions.npy` (raw network outputs on `image − means`,
/// computed in float32 as the graph does), `detection_boxes.npy`, `detection_scores.npy`,
/// `detection_classes.npy` (1-based, 0 for padding rows), `num_detections.npy`, and
/// `images.txt` (one line per image: path, original height, width).
public enum ReferenceOutputs {
  public static func write(source: ExportSource, images paths: [String], to directory: String, batchSize: Int = 4) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw ExportError.cannotWrite(path: directory, reason: error.localizedDescription)
    }
    let detector = source.detector
    let m = detector.model
    let h = m.imageHeight, w = m.imageWidth, per = h * w * 3
    let means = source.channelMeans
    let decoder = JPEGDecoder()
    var inputs: [Float] = [], boxes: [Float] = [], logits: [Float] = []
    var detBoxes: [Float] = [], detScores: [Float] = [], detClasses: [Float] = [], counts: [Float] = []
    var lines: [String] = []
    let rows = SSDExporter.detectionRows(detector.postProcessor)
    var start = 0
    while start < paths.count {
      let chunk = Array(paths[start..<min(paths.count, start + max(1, batchSize))])
      start += chunk.count
      var resized = [Float](repeating: 0, count: chunk.count * per)
      for (i, path) in chunk.enumerated() {
        let image: RGBImage
        do {
          image = try ImageFiles.load(path, decoder: decoder)
        } catch {
          throw ExportError.unreadableImage(path: path, reason: "\(error)")
        }
        resized.withUnsafeMutableBufferPointer { buf in
          BilinearResize.resizeView(image, view: .whole(height: image.height, width: image.width), height: h, width: w,
                                    means: [0, 0, 0], into: buf.baseAddress! + i * per)
        }
        lines.append("\(path)\t\(image.height)\t\(image.width)")
      }
      // The graph's Sub node: image − means in float32.
      var centered = resized
      for i in centered.indices { centered[i] = resized[i] - means[i % 3] }
      detector.network.training = false
      let (boxEncodings, classLogits) = detector.network.forward(Tensor(shape: [chunk.count, h, w, 3], data: centered))
      let detections = detector.postProcessor.detect(boxEncodings: boxEncodings, classLogits: classLogits)
      inputs += resized
      boxes += boxEncodings.data
      logits += classLogits.data
      for d in detections {
        for r in 0..<rows {
          let real = r < d.count
          for k in 0..<4 { detBoxes.append(real ? d.boxes[4 * r + k] : 0) }
          detScores.append(real ? d.scores[r] : 0)
          detClasses.append(real ? Float(d.classes[r] + 1) : 0)
        }
        counts.append(Float(d.count))
      }
    }
    let n = paths.count, a = m.numAnchors
    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
    try NPYFile.write(inputs, shape: [n, h, w, 3], to: path("image.npy"))
    try NPYFile.write(boxes, shape: [n, a, 4], to: path("box_encodings.npy"))
    try NPYFile.write(logits, shape: [n, a, m.numClassSlots], to: path("class_predictions.npy"))
    try NPYFile.write(detBoxes, shape: [n, rows, 4], to: path("detection_boxes.npy"))
    try NPYFile.write(detScores, shape: [n, rows], to: path("detection_scores.npy"))
    try NPYFile.write(detClasses, shape: [n, rows], to: path("detection_classes.npy"))
    try NPYFile.write(counts, shape: [n], to: path("num_detections.npy"))
    do {
      try (lines.joined(separator: "\n") + "\n").write(toFile: path("images.txt"), atomically: true, encoding: .utf8)
    } catch {
      throw ExportError.cannotWrite(path: path("images.txt"), reason: error.localizedDescription)
    }
  }
}
