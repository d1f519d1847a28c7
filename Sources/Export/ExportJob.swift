import Formats
import Foundation

/// One `ssd export`: builds the ONNX model from an `ExportSource`, writes it and its JSON
/// sidecar, and reports sizes and times.
public struct ExportJob {
  public struct Result: Sendable {
    public var modelPath: String
    public var sidecarPath: String
    public var bytes: Int
    public var sha256: String
    public var nodes: Int
    public var initializers: Int
    /// Elements over all initializers (weights and constants).
    public var initializerElements: Int
    /// Seconds to build the graph (weights folded and transposed) and to encode it.
    public var buildSeconds: Double
    public var encodeSeconds: Double
  }

  public var outputs: SSDExporter.Outputs = .detections

  public init(outputs: SSDExporter.Outputs = .detections) { self.outputs = outputs }

  /// The model, built from the source's current weights.
  public func model(_ source: ExportSource) -> ONNXModel {
    var meta: [(key: String, value: String)] = [
      ("swift_ssd.outputs", outputs.rawValue),
      ("swift_ssd.num_classes", "\(source.network.config.numClasses)"),
      ("swift_ssd.input", "image float32 [N, \(source.network.config.imageHeight), \(source.network.config.imageWidth), 3] RGB 0-255"),
    ]
    if let step = source.globalStep { meta.append(("swift_ssd.global_step", "\(step)")) }
    return SSDExporter.model(network: source.network, postProcessor: source.postProcessor,
                             channelMeans: source.channelMeans, outputs: outputs, metadata: meta)
  }

  /// Writes the model to `path` and the sidecar to `sidecarPath` (default: `path` with
  /// `.json` instead of `.onnx`).
  public func write(_ source: ExportSource, to path: String, sidecarPath: String? = nil) throws -> Result {
    let sidecar = sidecarPath ?? Self.defaultSidecarPath(for: path)
    for p in [path, sidecar] { try Self.checkWritable(p) }
    let t0 = Date()
    let model = model(source)
    let t1 = Date()
    let bytes = ONNXCodec.encode(model)
    let t2 = Date()
    let sha = SHA256.hexDigest(bytes)
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    } catch {
      throw ExportError.cannotWrite(path: path, reason: error.localizedDescription)
    }
    let json = ExportSidecar(modelFile: (path as NSString).lastPathComponent, modelSHA256: sha, model: model,
                             config: source.network.config, postProcessor: source.postProcessor,
                             channelMeans: source.channelMeans, outputs: outputs, labelMap: source.labelMap,
                             pipelineConfig: source.pipelineConfigPath, checkpoint: source.checkpointPrefix,
                             globalStep: source.globalStep).json()
    do {
      try json.write(to: URL(fileURLWithPath: sidecar))
    } catch {
      throw ExportError.cannotWrite(path: sidecar, reason: error.localizedDescription)
    }
    return Result(modelPath: path, sidecarPath: sidecar, bytes: bytes.count, sha256: sha, nodes: model.nodes.count,
                  initializers: model.initializers.count,
                  initializerElements: model.initializers.reduce(0) { $0 + $1.elementCount },
                  buildSeconds: t1.timeIntervalSince(t0), encodeSeconds: t2.timeIntervalSince(t1))
  }

  public static func defaultSidecarPath(for path: String) -> String {
    let ns = path as NSString
    return (ns.pathExtension.lowercased() == "onnx" ? ns.deletingPathExtension : path) + ".json"
  }

  /// Fails early (before minutes of work) when `path` cannot be created: its directory
  /// is missing or not writable, or it names a directory.
  public static func checkWritable(_ path: String) throws {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDir) {
      if isDir.boolValue { throw ExportError.cannotWrite(path: path, reason: "it is a directory") }
      if !fm.isWritableFile(atPath: path) { throw ExportError.cannotWrite(path: path, reason: "the file is not writable") }
      return
    }
    let dir = (path as NSString).deletingLastPathComponent
    let d = dir.isEmpty ? "." : dir
    guard fm.fileExists(atPath: d, isDirectory: &isDir), isDir.boolValue else {
      throw ExportError.cannotWrite(path: path, reason: "directory \(d) does not exist")
    }
    guard fm.isWritableFile(atPath: d) else {
      throw ExportError.cannotWrite(path: path, reason: "directory \(d) is not writable")
    }
  }
}
