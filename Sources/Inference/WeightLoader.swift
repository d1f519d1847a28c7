import Checkpoint
import Foundation
import Model

/// Fills a network's variables from a TensorFlow checkpoint (V1 single file or V2 bundle),
/// matching by TensorFlow variable name: the checkpoints this project writes and TF Object
/// Detection API checkpoints of the same model use the same names and shapes. Extra entries
/// (`global_step`, `…/Momentum` slots, our `ssd/…` bookkeeping) are ignored.
public enum WeightLoader {
  /// What a load found.
  public struct Summary: Equatable, Sendable {
    /// The checkpoint file prefix that was read.
    public var checkpoint: String
    public var format: String
    public var globalStep: Int?
    /// Variables restored (all of the network's).
    public var restored: Int
    /// Checkpoint entries the network does not use.
    public var unused: Int
  }

  /// The checkpoint prefix `path` names: itself when it is a checkpoint (`P.index` or a V1
  /// file `P`), else the newest checkpoint of the directory `path` (its `checkpoint` file).
  public static func resolve(_ path: String) throws -> String {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: path + ".index") { return path }
    if fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { return path }
    if isDir.boolValue, let latest = try CheckpointState.latestCheckpoint(directory: path) { return latest }
    throw InferenceError.checkpointNotFound(path: path)
  }

  /// Overwrites every variable of `params` (trainable weights and BN moving statistics)
  /// from the checkpoint at `path` (see `resolve`). Throws naming the first missing or
  /// misshapen variable; `params` is then partly overwritten and should be discarded.
  @discardableResult
  public static func load(into params: ParameterStore, from path: String) throws -> Summary {
    let prefix = try resolve(path)
    let reader = try CheckpointReader(path: prefix)
    var used = Set<String>()
    for v in params.variables {
      guard let found = reader.variable(named: v.name) else {
        throw InferenceError.missingVariable(checkpoint: prefix, name: v.name)
      }
      guard found.shape == v.shape else {
        throw InferenceError.shapeMismatch(checkpoint: prefix, name: v.name, checkpointShape: found.shape,
                                           modelShape: v.shape)
      }
      params.write(v.param, try reader.readFloat32(v.name, shape: v.shape))
      used.insert(v.name)
    }
    return Summary(checkpoint: prefix, format: reader.format.rawValue, globalStep: reader.globalStep.map(Int.init),
                   restored: used.count, unused: reader.variables.count - used.count)
  }
}
