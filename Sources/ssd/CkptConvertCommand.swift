import ArgumentParser
import Checkpoint

/// `ssd ckpt convert INPUT OUTPUT_PREFIX`: rewrites any readable checkpoint as a V2 bundle.
struct CkptConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Rewrite a checkpoint (V1 or V2) as a V2 bundle with the same variables and values.",
    discussion: """
      Example: turn the TF-slim V1 file into a V2 bundle
        ssd ckpt convert /checkpoints/resnet_v1_50/model.ckpt /tmp/resnet_v2/model.ckpt
      writes /tmp/resnet_v2/model.ckpt.index and .data-00000-of-00001 (the directory must exist).
      """)

  @Argument(help: "Checkpoint to read (prefix, .index, V1 file or model directory).")
  var input: String

  @Argument(help: "Prefix of the V2 checkpoint to write.")
  var outputPrefix: String

  func run() throws {
    let reader = try CheckpointReader(path: input)
    var tensors: [CheckpointTensor] = []
    for v in reader.variables {
      tensors.append(CheckpointTensor(name: v.name, dtype: v.dtype, shape: v.shape, bytes: try reader.readBytes(v.name)))
    }
    try BundleWriter.write(prefix: outputPrefix, tensors: tensors)
    let bytes = tensors.reduce(0) { $0 + $1.bytes.count }
    print("wrote \(outputPrefix).index and .data-00000-of-00001: \(tensors.count) variables, \(CkptCommand.groupDigits(bytes)) bytes")
  }
}
