/// One worker's batch, ready for the model (spec §2.1 steps 5 and 7):
/// - `images`: [size, height, width, 3] float32 NHWC, mean-subtracted (not scaled);
/// - `boxes`: [size, maxBoxes, 4] normalized [ymin, xmin, ymax, xmax], zero rows as padding;
/// - `classes`: [size, maxBoxes] COCO ids 1...90, 0 in padding rows (one-hot is `id − 1`);
/// - `weights`: [size, maxBoxes], 1 for real boxes, 0 for padding;
/// - `boxCounts`: [size] = min(N, maxBoxes) (images with more boxes keep the first maxBoxes).
/// Per image also its global sample index, `SampleInfo` (source id, decoded size, crowd
/// flags) and the full unpadded ground truth after augmentation (for evaluation).
public struct Batch: Sendable {
  /// Global step (counted from 0 across epochs) and its epoch.
  public let step: Int
  public let epoch: Int
  /// Number of images (the worker batch size; the last evaluation batch may be shorter, even 0).
  public let size: Int
  public let height: Int
  public let width: Int
  public let maxBoxes: Int
  public var images: [Float]
  public var boxes: [Float]
  public var classes: [Int32]
  public var weights: [Float]
  public var boxCounts: [Int]
  public var sampleIndices: [Int]
  public var infos: [SampleInfo]
  public var groundTruths: [GroundTruth]

  /// A zero-filled batch.
  public init(step: Int, epoch: Int, size: Int, height: Int, width: Int, maxBoxes: Int) {
    self.step = step
    self.epoch = epoch
    self.size = size
    self.height = height
    self.width = width
    self.maxBoxes = maxBoxes
    images = [Float](repeating: 0, count: size * height * width * 3)
    boxes = [Float](repeating: 0, count: size * maxBoxes * 4)
    classes = [Int32](repeating: 0, count: size * maxBoxes)
    weights = [Float](repeating: 0, count: size * maxBoxes)
    boxCounts = [Int](repeating: 0, count: size)
    sampleIndices = [Int](repeating: -1, count: size)
    infos = [SampleInfo](repeating: SampleInfo(sourceId: "", storedHeight: 0, storedWidth: 0), count: size)
    groundTruths = [GroundTruth](repeating: .empty, count: size)
  }

  /// Floats per image in `images`.
  public var imageStride: Int { height * width * 3 }

  /// Writes image `slot`'s padded ground truth rows.
  public mutating func setGroundTruth(_ gt: GroundTruth, slot: Int) {
    let n = min(gt.count, maxBoxes)
    boxCounts[slot] = n
    groundTruths[slot] = gt
    for k in 0..<maxBoxes {
      let row = slot * maxBoxes + k
      if k < n {
        let b = gt.boxes[k]
        boxes[4 * row] = b.ymin; boxes[4 * row + 1] = b.xmin; boxes[4 * row + 2] = b.ymax; boxes[4 * row + 3] = b.xmax
        classes[row] = gt.classes[k]
        weights[row] = gt.weights[k]
      } else {
        boxes[4 * row] = 0; boxes[4 * row + 1] = 0; boxes[4 * row + 2] = 0; boxes[4 * row + 3] = 0
        classes[row] = 0
        weights[row] = 0
      }
    }
  }
}
