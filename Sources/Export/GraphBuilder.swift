/// Builds an `ONNXModel` node by node while tracking every value's element type and shape
/// (the batch dimension is the symbolic `N`). Callers state each output's shape; the
/// builder records it as `value_info`, so the ONNX checker's shape inference verifies it.
/// Node names are unique (`<scope>/<Op>`, numbered on repeats) and each node's first
/// output is named after it.
final class GraphBuilder {
  typealias Dim = ONNXValueInfo.Dim
  /// The symbolic batch dimension.
  static let batch = Dim.symbolic("N")

  private(set) var model = ONNXModel()
  private var values: [String: (type: ONNXTensor.ElementType, dims: [Dim])] = [:]
  private var nodeNames: Set<String> = []
  private var initializerNames: Set<String> = []

  /// Declares a graph input.
  @discardableResult
  func input(_ name: String, _ type: ONNXTensor.ElementType, _ dims: [Dim], doc: String = "") -> String {
    define(name, type, dims, recordInfo: false)
    model.inputs.append(ONNXValueInfo(name: name, type: type, dims: dims, docString: doc))
    return name
  }

  /// Adds an initializer (constant input); returns its name. A constant with the same name
  /// and content is shared (e.g. the same shape vector used twice).
  @discardableResult
  func initializer(_ t: ONNXTensor) -> String {
    if initializerNames.contains(t.name) {
      precondition(model.initializers.first { $0.name == t.name } == t, "initializer \(t.name) defined twice with different values")
      return t.name
    }
    initializerNames.insert(t.name)
    define(t.name, t.type, t.dims.map { .fixed($0) }, recordInfo: false)
    model.initializers.append(t)
    return t.name
  }

  func floats(_ name: String, _ dims: [Int], _ v: [Float]) -> String {
    initializer(ONNXTensor(name: name, dims: dims, floats: v))
  }

  func int64s(_ name: String, _ dims: [Int], _ v: [Int64]) -> String {
    initializer(ONNXTensor(name: name, dims: dims, int64s: v))
  }

  /// A non-parameter constant, named `const/<name>`.
  func constant(_ name: String, floats v: [Float], dims: [Int]? = nil) -> String {
    floats("const/" + name, dims ?? [v.count], v)
  }

  func constant(_ name: String, int64s v: [Int64], dims: [Int]? = nil) -> String {
    int64s("const/" + name, dims ?? [v.count], v)
  }

  /// A float scalar constant (rank 0).
  func scalar(_ name: String, _ v: Float) -> String { floats("const/" + name, [], [v]) }

  /// Emits one single-output node; returns the output's name.
  @discardableResult
  func node(_ op: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], scope: String,
            type: ONNXTensor.ElementType = .float, dims: [Dim], output: String? = nil) -> String {
    nodes(op, inputs, attributes, scope: scope, outputs: [(output, type, dims)])[0]
  }

  /// Emits one node with several outputs (`name` nil: derived from the node name).
  func nodes(_ op: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], scope: String,
             outputs: [(name: String?, type: ONNXTensor.ElementType, dims: [Dim])]) -> [String] {
    for i in inputs where !i.isEmpty {
      precondition(values[i] != nil, "\(op) in \(scope): input \(i) is not defined yet")
    }
    let name = uniqueNodeName(scope.isEmpty ? op : "\(scope)/\(op)")
    let names = outputs.enumerated().map { k, o in o.name ?? (k == 0 ? name : "\(name):\(k)") }
    for (n, o) in zip(names, outputs) { define(n, o.type, o.dims) }
    model.nodes.append(ONNXNode(opType: op, name: name, inputs: inputs, outputs: names, attributes: attributes))
    return names
  }

  /// Marks an existing value as a graph output (its recorded type and shape).
  func output(_ name: String, doc: String = "") {
    guard let v = values[name] else { preconditionFailure("graph output \(name) is not defined") }
    model.valueInfo.removeAll { $0.name == name }
    model.outputs.append(ONNXValueInfo(name: name, type: v.type, dims: v.dims, docString: doc))
  }

  /// The recorded shape of a value.
  func dims(_ name: String) -> [Dim] {
    guard let v = values[name] else { preconditionFailure("value \(name) is not defined") }
    return v.dims
  }

  /// The fixed size of dimension `axis` of a value.
  func size(_ name: String, _ axis: Int) -> Int {
    guard case .fixed(let n) = dims(name)[axis] else { preconditionFailure("\(name) dimension \(axis) is not fixed") }
    return n
  }

  private func define(_ name: String, _ type: ONNXTensor.ElementType, _ dims: [Dim], recordInfo: Bool = true) {
    precondition(values[name] == nil, "value \(name) defined twice")
    values[name] = (type, dims)
    if recordInfo { model.valueInfo.append(ONNXValueInfo(name: name, type: type, dims: dims)) }
  }

  private func uniqueNodeName(_ base: String) -> String {
    var name = base, k = 1
    while nodeNames.contains(name) || values[name] != nil { name = "\(base)_\(k)"; k += 1 }
    nodeNames.insert(name)
    return name
  }
}
