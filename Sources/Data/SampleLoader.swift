/// Loads one sample and turns it into batch rows: read from the source, decode the JPEG,
/// preprocess with the sample's own RNG `SampleRandom(seed, epoch, index)` (§2.1), write the
/// image into the batch's image memory. Everything about a sample depends only on
/// (seed, epoch, index), never on the thread, rank or batch position. Holds a JPEG decoder,
/// so use one loader per thread.
public final class SampleLoader {
  public let source: any SampleSource
  public let preprocessor: Preprocessor
  public let seed: UInt64
  private let decoder = JPEGDecoder()
  /// Decoded pixels of the previous sample; its memory is reused for the next one.
  private var scratch = RGBImage(height: 0, width: 0, pixels: [])

  public init(source: any SampleSource, preprocessing: PreprocessingConfig, seed: UInt64) {
    self.source = source
    self.preprocessor = Preprocessor(config: preprocessing)
    self.seed = seed
  }

  /// Loads sample `index` of `epoch` into `output` (`preprocessor.outputCount` floats) and
  /// returns its ground truth after augmentation and the sample's info (decoded size filled).
  /// JPEG errors become `DataError.undecodableImage` at the record's location.
  public func load(index: Int, epoch: Int, into output: UnsafeMutablePointer<Float>) throws
    -> (groundTruth: GroundTruth, info: SampleInfo) {
    let sample = try source.sample(index)
    do {
      try sample.jpeg.withUnsafeBytes { try decoder.decode($0, into: &scratch) }
    } catch let error as JPEGError {
      throw DataError(.undecodableImage(field: "image/encoded", reason: error.description), at: sample.info.location)
    }
    var info = sample.info
    info.decodedHeight = scratch.height
    info.decodedWidth = scratch.width
    var rng = SampleRandom(seed: seed, epoch: epoch, sampleIndex: index)
    let gt = preprocessor.process(scratch, groundTruth: sample.groundTruth, rng: &rng, into: output)
    return (gt, info)
  }

  /// Worker `rank`'s batch of global step `step`, built on the calling thread: the
  /// single-threaded reference the threaded `BatchPipeline` is tested against.
  public func batch(step: Int, schedule: SampleSchedule, rank: Int = 0, worldSize: Int = 1) throws -> Batch {
    let (epoch, _) = schedule.position(ofStep: step)
    let indices = schedule.workerBatch(step: step, rank: rank, worldSize: worldSize)
    let c = preprocessor.config
    let stride = preprocessor.outputCount
    var groundTruths: [GroundTruth] = [], infos: [SampleInfo] = []
    let images = try [Float](unsafeUninitializedCapacity: indices.count * stride) { buffer, initialized in
      for (slot, index) in indices.enumerated() {
        do {
          let (gt, info) = try load(index: index, epoch: epoch, into: buffer.baseAddress! + slot * stride)
          groundTruths.append(gt)
          infos.append(info)
        } catch {
          throw PipelineError.sample(index: index, epoch: epoch, step: step,
                                     location: source.location(of: index), underlying: error)
        }
      }
      initialized = indices.count * stride
    }
    return Batch(step: step, epoch: epoch, height: c.outputHeight, width: c.outputWidth, maxBoxes: c.maxBoxes,
                 images: images, groundTruths: groundTruths, sampleIndices: indices, infos: infos)
  }
}
