import Data
import Events

/// Encodes pictures for image summaries and reports: JPEG through TurboJPEG, full-resolution
/// chroma (4:4:4) so the thin coloured boxes and 1-pixel glyph strokes stay sharp. The recipe
/// writes PNG; TensorBoard shows JPEG the same way, and a PNG encoder would need zlib, which
/// is not among the project's native dependencies. One encoder per thread.
public final class ImageSummaryEncoder {
  public let quality: Int
  private let jpeg = JPEGEncoder()

  public init(quality: Int = 90) {
    precondition((1...100).contains(quality), "JPEG quality must be 1...100, got \(quality)")
    self.quality = quality
  }

  /// The summary image (`colorspace` 3, RGB) of `image`.
  public func encode(_ image: RGBImage) throws -> SummaryImage {
    SummaryImage(height: image.height, width: image.width, colorspace: 3,
                 encoded: try jpeg.encode(image, quality: quality, subsampling: .s444))
  }
}
