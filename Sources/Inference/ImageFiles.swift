import Data
import Foundation

/// Finding and decoding the image files `ssd detect` is given.
public enum ImageFiles {
  /// File extensions taken from directories (case-insensitive).
  public static let extensions: Set<String> = ["jpg", "jpeg", "jpe"]

  /// Expands command-line inputs into image paths, in the order given: a file is taken as
  /// it is (whatever its name; decoding decides), a directory contributes its `.jpg`/`.jpeg`
  /// files (not recursive), sorted by name. Throws for a path that does not exist and for a
  /// directory without JPEGs.
  public static func collect(_ inputs: [String]) throws -> [String] {
    let fm = FileManager.default
    var out: [String] = []
    for input in inputs {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: input, isDirectory: &isDir) else { throw InferenceError.noSuchInput(path: input) }
      if !isDir.boolValue { out.append(input); continue }
      let names = (try? fm.contentsOfDirectory(atPath: input)) ?? []
      let images = names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
      if images.isEmpty { throw InferenceError.noImagesInDirectory(path: input) }
      out += images.map { (input as NSString).appendingPathComponent($0) }
    }
    return out
  }

  /// Reads and decodes one image file to RGB (as TensorFlow's `decode_jpeg(channels=3)`
  /// would). Throws `InferenceError.unreadableImage` saying what is wrong with the file.
  public static func load(_ path: String, decoder: JPEGDecoder) throws -> RGBImage {
    let bytes: [UInt8]
    do {
      bytes = try FileBytes.read(path, purpose: "read the image")
    } catch {
      throw InferenceError.unreadableImage(path: path, reason: "cannot read the file: \(error)")
    }
    return try decode(bytes, path: path, decoder: decoder)
  }

  /// Decodes JPEG file bytes; `path` names the file in errors.
  public static func decode(_ bytes: [UInt8], path: String, decoder: JPEGDecoder) throws -> RGBImage {
    if bytes.isEmpty { throw InferenceError.unreadableImage(path: path, reason: "the file is empty") }
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
      throw InferenceError.unreadableImage(path: path, reason: "PNG images are not supported; convert to JPEG first")
    }
    do {
      return try decoder.decode(bytes)
    } catch let error as JPEGError {
      let reason: String
      switch error {
      case .notJPEG(let count, let first, _):
        let hex = first.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
        reason = "not a JPEG file (\(count) bytes starting \(hex)); pass JPEG images"
      case .badHeader(_, let message):
        reason = "damaged JPEG header (\(message)); the file is probably cut short: copy it again"
      case .truncated(let w, let h, let count):
        reason = "truncated JPEG (\(w)x\(h), data ends after \(count) bytes); copy the complete file again"
      case .corrupt(let w, let h, let message):
        reason = "corrupt JPEG data (\(w)x\(h)): \(message); re-encode the image"
      case .badSize(let w, let h):
        reason = "the JPEG declares an unusable size \(w)x\(h)"
      case .encodeFailed:
        reason = "\(error)"
      }
      throw InferenceError.unreadableImage(path: path, reason: reason)
    }
  }
}
