/// One worker's batch, ready for the model (spec §2.1 steps 5 and 7):
/// - `images`: [size, height, width, 3] float32 NHWC, mean-subtracted (not scaled), written
///   once by the input threads straight into this array (no zero fill, no copy);
/// - `targets`: what the loss consumes, per image: its boxes after augmentation (normalized
///   [ymin, xmin, ymax, xmax]), COCO class ids 1...90 and weights, the first
///   `min(N, maxBoxes)` of them (TF pads to `maxBoxes` with weight-0 rows that change neither
///   matching nor loss; here they are simply absent).
/// Per image also its global sample index, `SampleInfo` (source id, decoded size, crowd
/// flags) and the full ground truth after augmentation (`groundTruths`, for evaluation).
public struct Batch: Sendable {
  /// Global step (counted from 0 across epochs) and its epoch.
  public let step: Int
  public let epoch: Int
  /// Number of images (the worker batch size; the last evaluation batch may be shorter, even 0).
  public let size: Int
  public let height: Int
  public let width: Int
  /// `max_number_of_boxes`: the most boxes of an image the loss sees.
  public let maxBoxes: Int
  public var images: [Float]
  public var targets: [GroundTruth]
  public var groundTruths: [GroundTruth]
  public var sampleIndices: [Int]
  public var infos: [SampleInfo]

  /// A batch of `sampleIndices.count` images; `targets` are cut from `groundTruths`.
  public init(step: Int, epoch: Int, height: Int, width: Int, maxBoxes: Int, images: [Float],
              groundTruths: [GroundTruth], sampleIndices: [Int], infos: [SampleInfo]) {
    let size = sampleIndices.count
    precondition(images.count == size * height * width * 3 && groundTruths.count == size && infos.count == size,
                 "Batch of \(size) images needs \(size * height * width * 3) image values, \(size) ground truths and "
                   + "infos; got \(images.count), \(groundTruths.count), \(infos.count)")
    self.step = step
    self.epoch = epoch
    self.size = size
    self.height = height
    self.width = width
    self.maxBoxes = maxBoxes
    self.images = images
    self.groundTruths = groundTruths
    self.targets = groundTruths.map { $0.count <= maxBoxes ? $0 : $0.selecting(Array(0..<maxBoxes)) }
    self.sampleIndices = sampleIndices
    self.infos = infos
  }

  /// Floats per image in `images`.
  public var imageStride: Int { height * width * 3 }
}
