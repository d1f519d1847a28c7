/// Chroma subsampling of a JPEG (`.gray` = single luma component).
public enum JPEGSubsampling: String, Sendable, CaseIterable {
  case s444 = "4:4:4", s422 = "4:2:2", s420 = "4:2:0", gray = "gray", s440 = "4:4:0", s411 = "4:1:1"
  /// A layout TurboJPEG cannot name (still decodable).
  case other = "other"
}

/// What a JPEG header says, read without decoding the image.
public struct JPEGHeader: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public let subsampling: JPEGSubsampling
}
