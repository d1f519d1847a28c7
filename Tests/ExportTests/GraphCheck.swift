import Export

/// An independent structural check of an exported graph: every node input is defined
/// before use (graph input, initializer or an earlier node's output), no value is defined
/// twice, every value has a recorded shape, and for the shape-preserving, broadcasting,
/// convolution, pooling, slicing, concatenation, transposition and reshaping nodes the
/// recorded output shape follows from the input shapes by the operator's definition.
/// Returns the problems found (empty: well formed).
enum GraphCheck {
  typealias Dim = ONNXValueInfo.Dim

  static func problems(_ model: ONNXModel) -> [String] {
    var problems: [String] = []
    var shapes: [String: [Dim]] = [:]
    var constants: [String: ONNXTensor] = [:]
    for i in model.inputs { shapes[i.name] = i.dims }
    for t in model.initializers {
      if shapes[t.name] != nil { problems.append("initializer \(t.name) defined twice") }
      shapes[t.name] = t.dims.map { .fixed($0) }
      constants[t.name] = t
    }
    var recorded: [String: [Dim]] = [:]
    for v in model.valueInfo + model.outputs {
      if recorded[v.name] != nil { problems.append("value \(v.name) has two recorded shapes") }
      recorded[v.name] = v.dims
    }
    var nodeNames = Set<String>()
    for n in model.nodes {
      if !nodeNames.insert(n.name).inserted { problems.append("node name \(n.name) used twice") }
      var ins: [[Dim]] = []
      for i in n.inputs {
        if i.isEmpty { ins.append([]); continue }
        guard let s = shapes[i] else { problems.append("\(n.name): input \(i) is not defined before use"); ins.append([]); continue }
        ins.append(s)
      }
      for o in n.outputs {
        if shapes[o] != nil { problems.append("\(n.name): output \(o) is defined twice") }
        guard let s = recorded[o] else { problems.append("\(n.name): output \(o) has no recorded shape"); continue }
        shapes[o] = s
      }
      guard let out = recorded[n.outputs[0]] else { continue }
      if let expected = expectedShape(n, ins, constants), expected != out {
        problems.append("\(n.name) (\(n.opType)): output shape \(out) but the inputs \(ins) give \(expected)")
      }
    }
    for o in model.outputs where shapes[o.name] == nil { problems.append("graph output \(o.name) is never computed") }
    return problems
  }

  private static func fixed(_ d: Dim) -> Int? { if case .fixed(let n) = d { return n } else { return nil } }

  private static func broadcast(_ shapes: [[Dim]]) -> [Dim]? {
    let rank = shapes.map(\.count).max() ?? 0
    var out: [Dim] = []
    for k in 0..<rank {
      var d: Dim = .fixed(1)
      for s in shapes {
        let i = k - (rank - s.count)
        guard i >= 0 else { continue }
        let e = s[i]
        if e == .fixed(1) { continue }
        if d == .fixed(1) { d = e } else if d != e { return nil }
      }
      out.append(d)
    }
    return out
  }

  private static func ints(_ n: ONNXNode, _ name: String) -> [Int]? {
    if case .ints(let v) = n.attribute(name) { return v }
    return nil
  }

  private static func int(_ n: ONNXNode, _ name: String) -> Int? {
    if case .int(let v) = n.attribute(name) { return v }
    return nil
  }

  /// The output shape the operator's definition gives, nil where this check does not model it.
  private static func expectedShape(_ n: ONNXNode, _ ins: [[Dim]], _ constants: [String: ONNXTensor]) -> [Dim]? {
    switch n.opType {
    case "Add", "Sub", "Mul", "Div", "Greater", "Mod":
      return broadcast(ins) ?? [.symbolic("<not broadcastable>")]
    case "Where":
      return broadcast(ins) ?? [.symbolic("<not broadcastable>")]
    case "Clip", "Relu", "Sigmoid", "Exp", "Identity", "Cast":
      return ins[0]
    case "Transpose":
      guard let perm = ints(n, "perm") else { return nil }
      return perm.map { ins[0][$0] }
    case "Concat":
      guard let axis = int(n, "axis") else { return nil }
      var out = ins[0]
      var total = 0
      for s in ins {
        guard s.count == out.count, let v = fixed(s[axis]) else { return [.symbolic("<bad concat>")] }
        for k in s.indices where k != axis && s[k] != out[k] { return [.symbolic("<bad concat>")] }
        total += v
      }
      out[axis] = .fixed(total)
      return out
    case "Conv", "MaxPool":
      let x = ins[0]
      guard x.count == 4, let h = fixed(x[2]), let w = fixed(x[3]), let k = ints(n, "kernel_shape"),
            let s = ints(n, "strides"), let p = ints(n, "pads") else { return [.symbolic("<bad window>")] }
      var channels = x[1]
      if n.opType == "Conv" {
        let wt = ins[1]
        guard wt.count == 4, wt[1] == x[1], fixed(wt[2]) == k[0], fixed(wt[3]) == k[1] else { return [.symbolic("<bad kernel>")] }
        if ins.count > 2, ins[2] != [wt[0]] { return [.symbolic("<bad bias>")] }
        channels = wt[0]
      }
      return [x[0], channels, .fixed((h + p[0] + p[2] - k[0]) / s[0] + 1), .fixed((w + p[1] + p[3] - k[1]) / s[1] + 1)]
    case "Slice":
      guard let starts = constants[n.inputs[1]]?.int64s, let ends = constants[n.inputs[2]]?.int64s,
            let axes = constants[n.inputs[3]]?.int64s else { return nil }
      let steps = n.inputs.count > 4 ? constants[n.inputs[4]]?.int64s ?? [] : Array(repeating: 1, count: axes.count)
      var out = ins[0]
      for (k, axis) in axes.enumerated() {
        guard let size = fixed(out[Int(axis)]) else { return nil }
        let start = min(Int(starts[k]), size), end = Int(min(ends[k], Int64(size))), step = Int(steps[k])
        out[Int(axis)] = .fixed(max(0, (end - start + step - 1) / step))
      }
      return out
    case "Resize":
      guard let scales = constants[n.inputs[2]]?.floats else { return nil }
      return zip(ins[0], scales).map { d, s in fixed(d).map { .fixed(Int(Float($0) * s)) } ?? d }
    case "Reshape":
      guard let target = constants[n.inputs[1]]?.int64s else { return nil }
      let out: [Dim] = target.enumerated().map { k, v in v == 0 ? ins[0][k] : .fixed(Int(v)) }
      let inCount = ins[0].dropFirst().compactMap(fixed).reduce(1, *)
      let outCount = out.dropFirst().compactMap(fixed).reduce(1, *)
      return inCount == outCount && ins[0][0] == out[0] ? out : [.symbolic("<element count changes>")]
    default:
      return nil
    }
  }
}
