/// An encoded image of a summary (`tensorflow.Summary.Image`): the file bytes of a PNG or
/// JPEG image and its size, as `tf.summary.image` writes it.
public struct SummaryImage: Equatable, Sendable {
  public var height: Int
  public var width: Int
  /// 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA.
  public var colorspace: Int
  public var encoded: [UInt8]

  public init(height: Int, width: Int, colorspace: Int = 3, encoded: [UInt8]) {
    self.height = height
    self.width = width
    self.colorspace = colorspace
    self.encoded = encoded
  }

  /// The MIME type of the encoded bytes, from their signature: `image/png`, `image/jpeg`,
  /// `image/gif`, or nil for anything else.
  public var mimeType: String? {
    let b = encoded
    if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
    if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
    return nil
  }
}
