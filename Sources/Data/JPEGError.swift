/// Why a JPEG could not be decoded or encoded. The input pipeline wraps it with the file
/// and record it came from (`PipelineError.sample`).
public enum JPEGError: Error, Equatable, CustomStringConvertible {
  /// The bytes are not a JPEG stream at all (no SOI marker / unreadable header).
  case notJPEG(byteCount: Int, firstBytes: [UInt8], message: String)
  /// Starts like a JPEG (SOI marker) but the header is damaged or incomplete.
  case badHeader(byteCount: Int, message: String)
  /// The header parsed but the compressed data is corrupt or incomplete.
  case corrupt(width: Int, height: Int, message: String)
  /// The stream ends before the image data does (TensorFlow rejects these too).
  case truncated(width: Int, height: Int, byteCount: Int)
  /// The image dimensions are zero, or the RGB image would take 2^29 bytes or more
  /// (`JPEGDecoder.maximumOutputBytes`, TensorFlow's limit).
  case badSize(width: Int, height: Int)
  /// libjpeg-turbo refused to encode.
  case encodeFailed(width: Int, height: Int, message: String)

  public var description: String {
    switch self {
    case let .notJPEG(count, first, message):
      let hex = first.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
      return "not a JPEG (\(count) bytes starting \(hex)): \(message); "
        + "image/encoded must hold JPEG file bytes (re-create the record from the original image)"
    case let .badHeader(count, message):
      return "damaged JPEG header (\(count) bytes, starts with a JPEG marker): \(message); "
        + "the file is probably cut short: re-create the record from the complete image file"
    case let .corrupt(w, h, message):
      return "corrupt JPEG data (\(w)x\(h)): \(message); re-encode or drop this image"
    case let .truncated(w, h, count):
      return "truncated JPEG (\(w)x\(h) header, stream ends after \(count) bytes); "
        + "the image file was cut short: re-create the record from the complete file"
    case let .badSize(w, h):
      return "JPEG declares an unusable size \(w)x\(h) (zero, or 2^29 bytes of RGB pixels or more, "
        + "which TensorFlow's decode_jpeg refuses too); drop this image or downscale it"
    case let .encodeFailed(w, h, message):
      return "JPEG encoding of a \(w)x\(h) image failed: \(message)"
    }
  }
}
