import ArgumentParser
import Checkpoint

/// `ssd ckpt inspect PATH`: format, global_step and every variable's dtype and shape.
struct CkptInspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "List a checkpoint's variables with dtypes and shapes, and its global_step.",
    discussion: """
      PATH is a V2 prefix (dir/model.ckpt-1000), its .index file, a V1 single-file checkpoint
      (e.g. resnet_v1_50.ckpt), or a model directory with a `checkpoint` file (newest is used).

      Examples:
        ssd ckpt inspect runs/small                       # newest checkpoint of a model dir
        ssd ckpt inspect /checkpoints/resnet_v1_50/model.ckpt --filter block1 --values 4
      """)

  @Argument(help: "Checkpoint prefix, .index file, V1 file or model directory.")
  var path: String

  @Option(name: .customLong("values"), help: "Also print the first N values of every variable.")
  var values: Int = 0

  @Option(name: .customLong("filter"), help: "Only variables whose name contains this text.")
  var filter: String?

  func run() throws {
    let reader = try CheckpointReader(path: path)
    let shown = reader.variables.filter { filter == nil || $0.name.contains(filter!) }
    print("checkpoint: \(reader.path)")
    print("format: \(reader.format.rawValue)")
    print("global_step: \(reader.globalStep.map(String.init) ?? "absent")")
    var elements: [String: Int] = [:]
    for v in reader.variables { elements[v.dtype.description, default: 0] += v.elementCount }
    let totals = elements.sorted { $0.key < $1.key }.map { "\($0.key) \(CkptCommand.groupDigits($0.value))" }.joined(separator: ", ")
    print("variables: \(reader.variables.count) (elements: \(totals.isEmpty ? "none" : totals))")
    let width = min(shown.map(\.name.count).max() ?? 0, 90)
    for v in shown {
      let shape = "[" + v.shape.map(String.init).joined(separator: ", ") + "]"
      var line = CkptCommand.pad(v.name, width) + "  " + CkptCommand.pad(v.dtype.description, 8) + "  " + shape
      if values > 0 {
        do {
          let all = try reader.readAsDoubles(v.name)
          let head = all.prefix(values).map { formatValue($0, v.dtype) }.joined(separator: ", ")
          line += "  = [" + head + (all.count > values ? ", ..." : "") + "]"
        } catch let error as CheckpointError {
          line += "  (values unreadable: \(error))"
        }
      }
      print(line)
    }
  }

  private func formatValue(_ v: Double, _ dtype: TensorDataType) -> String {
    switch dtype {
    case .float32, .float16, .bfloat16: return "\(Float(v))"
    case .float64: return "\(v)"
    default: return v.magnitude < 9.0e15 ? String(Int64(v)) : "\(v)"
    }
  }
}
