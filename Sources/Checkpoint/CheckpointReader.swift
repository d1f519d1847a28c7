import Foundation

/// Reads a TensorFlow checkpoint in either format (spec §10): a V1 single table file
/// (`SaverDef.V1`, e.g. the TF-slim `resnet_v1_50.ckpt`) or a V2 tensor bundle
/// (`<prefix>.index` + `<prefix>.data-*`). Opening reads the variable list only; values are
/// read (and CRC-checked) per variable.
///
/// `path` may be a V2 prefix (`dir/model.ckpt-100`), its `.index` or `.data-*` file, a V1
/// file, or a directory holding a `checkpoint` state file (its newest checkpoint is opened).
public final class CheckpointReader {
  public enum Format: String, Sendable {
    /// One table file of `SavedTensorSlices` records.
    case v1 = "V1 (tensor slices)"
    /// `.index` table of `BundleEntryProto` + `.data-*` shards.
    case v2 = "V2 (tensor bundle)"
  }

  public let format: Format
  /// The resolved checkpoint: the V2 prefix or the V1 file.
  public let path: String
  /// All variables, sorted bytewise by name.
  public let variables: [CheckpointVariable]

  private enum Backend {
    case v1(TensorSliceFile)
    case v2(TensorBundle)
  }
  private let backend: Backend
  private let byName: [String: CheckpointVariable]

  public init(path: String) throws {
    let (format, resolved) = try Self.locate(path)
    self.format = format
    self.path = resolved
    switch format {
    case .v1:
      let file = try TensorSliceFile(path: resolved, file: try FileIO.readAll(resolved))
      backend = .v1(file)
      variables = file.variables
    case .v2:
      let bundle = try TensorBundle(prefix: resolved)
      backend = .v2(bundle)
      variables = bundle.variables
    }
    byName = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// The variable named `name`, if present.
  public func variable(named name: String) -> CheckpointVariable? { byName[name] }

  /// The variable's raw little-endian row-major bytes (CRC-checked for V2).
  public func readBytes(_ name: String) throws -> [UInt8] {
    switch backend {
    case let .v1(file): return try file.readBytes(name)
    case let .v2(bundle): return try bundle.readBytes(name)
    }
  }

  /// Where a PATH argument points: (format, V1 file or V2 prefix).
  static func locate(_ path: String) throws -> (Format, String) {
    if FileIO.isDirectory(path) {
      guard let state = try CheckpointState.read(directory: path) else {
        throw CheckpointError.notFound(path: path, detail: "directory without a `checkpoint` file")
      }
      var newest = CheckpointState.resolve(state.modelCheckpointPath, in: path)
      // A model directory that was moved keeps TF1's absolute paths: fall back to the file name.
      let local = joinPath(path, String(newest.split(separator: "/").last ?? ""))
      if !FileIO.exists(newest + ".index") && !FileIO.isRegularFile(newest) && FileIO.exists(local + ".index") {
        newest = local
      }
      do { return try locate(newest) } catch CheckpointError.notFound(_, let detail) {
        throw CheckpointError.notFound(
          path: path, detail: "its `checkpoint` file names \(newest), which is missing (\(detail))")
      }
    }
    if path.hasSuffix(".index"), FileIO.isRegularFile(path) {
      return (.v2, String(path.dropLast(".index".count)))
    }
    if FileIO.isRegularFile(path + ".index") { return (.v2, path) }
    if let range = path.range(of: ".data-", options: .backwards),
       FileIO.isRegularFile(String(path[..<range.lowerBound]) + ".index") {
      return (.v2, String(path[..<range.lowerBound]))
    }
    if FileIO.isRegularFile(path) { return (.v1, path) }
    throw CheckpointError.notFound(path: path, detail: "no such file, and no \(path).index")
  }
}
