/// The JPEG layer's image check for `DatasetInspector` (`ssd data inspect`): decodes
/// `image/encoded` the way training does (`JPEGDecoder`, TF's settings) and reports failures
/// as `DataError.undecodableImage` at the record. One decoder, reused; not thread-safe.
extension DatasetInspector {
  public static func jpegImageCheck() -> ImageCheck {
    let decoder = JPEGDecoder()
    var scratch = RGBImage(height: 0, width: 0, pixels: [])
    return { example, location in
      do {
        try example.encodedImage.withUnsafeBytes { try decoder.decode($0, into: &scratch) }
      } catch let error as JPEGError {
        throw DataError(.undecodableImage(field: "image/encoded", reason: error.description), at: location)
      }
    }
  }
}
