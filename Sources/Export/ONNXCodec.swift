import CONNXProto
import CProtobufC
import Foundation

/// Serializes an `ONNXModel` to ONNX protobuf bytes and reads them back, through the
/// protobuf-c code generated from ONNX's `onnx.proto` (Sources/CONNXProto,
/// scripts/gen-onnx-protos.sh). The one file of this module that touches C.
///
/// Encoding builds the C message tree in memory owned by a `CMessageArena` (freed when the
/// call returns) and packs it; protobuf-c writes fields in field-number order, so equal
/// models give equal bytes.
public enum ONNXCodec {
  public struct Failure: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
  }

  // MARK: Encoding

  /// The `ModelProto` bytes of `model`.
  public static func encode(_ model: ONNXModel) -> [UInt8] {
    let arena = CMessageArena()
    var m = Onnx__ModelProto()
    onnx__model_proto__init(&m)
    m.has_ir_version = 1
    m.ir_version = Int64(model.irVersion)
    let opset = arena.message(Onnx__OperatorSetIdProto(), onnx__operator_set_id_proto__init)
    opset.pointee.domain = arena.string("")
    opset.pointee.has_version = 1
    opset.pointee.version = Int64(model.opsetVersion)
    (m.n_opset_import, m.opset_import) = arena.pointerArray([opset])
    m.producer_name = arena.string(model.producerName)
    m.producer_version = arena.string(model.producerVersion)
    m.doc_string = arena.string(model.docString)
    (m.n_metadata_props, m.metadata_props) = arena.pointerArray(model.metadata.map { entry(arena, $0.key, $0.value) })

    let g = arena.message(Onnx__GraphProto(), onnx__graph_proto__init)
    g.pointee.name = arena.string(model.graphName)
    (g.pointee.n_node, g.pointee.node) = arena.pointerArray(model.nodes.map { node(arena, $0) })
    (g.pointee.n_initializer, g.pointee.initializer) = arena.pointerArray(model.initializers.map { tensor(arena, $0) })
    (g.pointee.n_input, g.pointee.input) = arena.pointerArray(model.inputs.map { valueInfo(arena, $0) })
    (g.pointee.n_output, g.pointee.output) = arena.pointerArray(model.outputs.map { valueInfo(arena, $0) })
    (g.pointee.n_value_info, g.pointee.value_info) = arena.pointerArray(model.valueInfo.map { valueInfo(arena, $0) })
    m.graph = g

    let size = onnx__model_proto__get_packed_size(&m)
    var bytes = [UInt8](repeating: 0, count: size)
    let written = bytes.withUnsafeMutableBufferPointer { onnx__model_proto__pack(&m, $0.baseAddress!) }
    precondition(written == size, "protobuf-c packed \(written) of \(size) bytes")
    return bytes
  }

  private static func entry(_ arena: CMessageArena, _ key: String, _ value: String)
    -> UnsafeMutablePointer<Onnx__StringStringEntryProto> {
    let e = arena.message(Onnx__StringStringEntryProto(), onnx__string_string_entry_proto__init)
    e.pointee.key = arena.string(key)
    e.pointee.value = arena.string(value)
    return e
  }

  private static func tensor(_ arena: CMessageArena, _ t: ONNXTensor) -> UnsafeMutablePointer<Onnx__TensorProto> {
    let p = arena.message(Onnx__TensorProto(), onnx__tensor_proto__init)
    p.pointee.name = arena.string(t.name)
    (p.pointee.n_dims, p.pointee.dims) = arena.array(t.dims.map { Int64($0) })
    p.pointee.has_data_type = 1
    p.pointee.data_type = t.type.rawValue
    p.pointee.has_raw_data = 1
    p.pointee.raw_data = arena.bytes(t.rawData)
    return p
  }

  private static func node(_ arena: CMessageArena, _ n: ONNXNode) -> UnsafeMutablePointer<Onnx__NodeProto> {
    let p = arena.message(Onnx__NodeProto(), onnx__node_proto__init)
    p.pointee.op_type = arena.string(n.opType)
    p.pointee.name = arena.string(n.name)
    p.pointee.domain = arena.string("")
    (p.pointee.n_input, p.pointee.input) = arena.array(n.inputs.map { arena.string($0) })
    (p.pointee.n_output, p.pointee.output) = arena.array(n.outputs.map { arena.string($0) })
    (p.pointee.n_attribute, p.pointee.attribute) = arena.pointerArray(n.attributes.map { attribute(arena, $0) })
    return p
  }

  private static func attribute(_ arena: CMessageArena, _ a: ONNXAttribute) -> UnsafeMutablePointer<Onnx__AttributeProto> {
    let p = arena.message(Onnx__AttributeProto(), onnx__attribute_proto__init)
    p.pointee.name = arena.string(a.name)
    p.pointee.has_type = 1
    switch a.value {
    case .int(let v):
      p.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
      p.pointee.has_i = 1
      p.pointee.i = Int64(v)
    case .ints(let v):
      p.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
      (p.pointee.n_ints, p.pointee.ints) = arena.array(v.map { Int64($0) })
    case .float(let v):
      p.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
      p.pointee.has_f = 1
      p.pointee.f = v
    case .string(let v):
      p.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING
      p.pointee.has_s = 1
      p.pointee.s = arena.bytes(Array(v.utf8))
    case .tensor(let t):
      p.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
      p.pointee.t = tensor(arena, t)
    }
    return p
  }

  private static func valueInfo(_ arena: CMessageArena, _ v: ONNXValueInfo) -> UnsafeMutablePointer<Onnx__ValueInfoProto> {
    let shape = arena.message(Onnx__TensorShapeProto(), onnx__tensor_shape_proto__init)
    (shape.pointee.n_dim, shape.pointee.dim) = arena.pointerArray(v.dims.map { d in
      let p = arena.message(Onnx__TensorShapeProto__Dimension(), onnx__tensor_shape_proto__dimension__init)
      switch d {
      case .fixed(let n):
        p.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
        p.pointee.dim_value = Int64(n)
      case .symbolic(let s):
        p.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
        p.pointee.dim_param = arena.string(s)
      }
      return p
    })
    let tt = arena.message(Onnx__TypeProto__Tensor(), onnx__type_proto__tensor__init)
    tt.pointee.has_elem_type = 1
    tt.pointee.elem_type = v.type.rawValue
    tt.pointee.shape = shape
    let type = arena.message(Onnx__TypeProto(), onnx__type_proto__init)
    type.pointee.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
    type.pointee.tensor_type = tt
    let p = arena.message(Onnx__ValueInfoProto(), onnx__value_info_proto__init)
    p.pointee.name = arena.string(v.name)
    p.pointee.type = type
    if !v.docString.isEmpty { p.pointee.doc_string = arena.string(v.docString) }
    return p
  }

  // MARK: Decoding

  /// Reads `ModelProto` bytes back into an `ONNXModel` (the kinds of field this exporter
  /// writes; tensors stored as `float_data`/`int64_data` are converted to raw bytes).
  /// Throws when the bytes are not a model or use a field this reader does not know.
  public static func decode(_ bytes: [UInt8]) throws -> ONNXModel {
    let message = bytes.withUnsafeBufferPointer { b -> UnsafeMutablePointer<Onnx__ModelProto>? in
      var empty: UInt8 = 0
      return b.count == 0 ? onnx__model_proto__unpack(nil, 0, &empty) : onnx__model_proto__unpack(nil, b.count, b.baseAddress)
    }
    guard let message else { throw Failure(reason: "not an ONNX ModelProto (protobuf-c could not unpack it)") }
    defer { onnx__model_proto__free_unpacked(message, nil) }
    let m = message.pointee
    var model = ONNXModel()
    model.irVersion = Int(m.ir_version)
    guard m.n_opset_import == 1, let opset = m.opset_import[0]?.pointee, string(opset.domain).isEmpty else {
      throw Failure(reason: "expected one opset import of the default domain, found \(m.n_opset_import)")
    }
    model.opsetVersion = Int(opset.version)
    model.producerName = string(m.producer_name)
    model.producerVersion = string(m.producer_version)
    model.docString = string(m.doc_string)
    model.metadata = (0..<m.n_metadata_props).map { i in
      let e = m.metadata_props[i]!.pointee
      return (string(e.key), string(e.value))
    }
    guard let g = m.graph?.pointee else { throw Failure(reason: "the model has no graph") }
    model.graphName = string(g.name)
    model.nodes = try (0..<g.n_node).map { try node(g.node[$0]!.pointee) }
    model.initializers = try (0..<g.n_initializer).map { try tensor(g.initializer[$0]!.pointee) }
    model.inputs = try (0..<g.n_input).map { try valueInfo(g.input[$0]!.pointee) }
    model.outputs = try (0..<g.n_output).map { try valueInfo(g.output[$0]!.pointee) }
    model.valueInfo = try (0..<g.n_value_info).map { try valueInfo(g.value_info[$0]!.pointee) }
    return model
  }

  private static func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

  private static func tensor(_ t: Onnx__TensorProto) throws -> ONNXTensor {
    let name = string(t.name)
    guard let type = ONNXTensor.ElementType(rawValue: t.data_type) else {
      throw Failure(reason: "tensor \(name): element type \(t.data_type) is not one this reader knows")
    }
    let dims = (0..<t.n_dims).map { Int(t.dims[$0]) }
    let count = dims.reduce(1, *)
    if t.has_raw_data != 0 {
      guard t.raw_data.len == count * type.byteSize else {
        throw Failure(reason: "tensor \(name): \(t.raw_data.len) raw bytes for \(dims) of \(type)")
      }
      let bytes = t.raw_data.len == 0 ? [] : Array(UnsafeBufferPointer(start: t.raw_data.data, count: t.raw_data.len))
      return ONNXTensor(name: name, type: type, dims: dims, rawData: bytes)
    }
    switch type {
    case .float where t.n_float_data == count:
      return ONNXTensor(name: name, dims: dims, floats: (0..<count).map { t.float_data[$0] })
    case .int64 where t.n_int64_data == count:
      return ONNXTensor(name: name, dims: dims, int64s: (0..<count).map { t.int64_data[$0] })
    default:
      throw Failure(reason: "tensor \(name): values of \(dims) \(type) missing")
    }
  }

  private static func node(_ n: Onnx__NodeProto) throws -> ONNXNode {
    let domain = string(n.domain)
    guard domain.isEmpty || domain == "ai.onnx" else {
      throw Failure(reason: "node \(string(n.name)): domain '\(domain)' is not the default one")
    }
    let attrs = try (0..<n.n_attribute).map { i -> ONNXAttribute in
      let a = n.attribute[i]!.pointee
      let name = string(a.name)
      switch a.type {
      case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: return ONNXAttribute(name, .int(Int(a.i)))
      case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS: return ONNXAttribute(name, .ints((0..<a.n_ints).map { Int(a.ints[$0]) }))
      case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: return ONNXAttribute(name, .float(a.f))
      case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
        let s = a.s.len == 0 ? "" : String(decoding: UnsafeBufferPointer(start: a.s.data, count: a.s.len), as: UTF8.self)
        return ONNXAttribute(name, .string(s))
      case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
        guard let t = a.t?.pointee else { throw Failure(reason: "attribute \(name) has no tensor") }
        return ONNXAttribute(name, .tensor(try tensor(t)))
      default:
        throw Failure(reason: "attribute \(name): type \(a.type.rawValue) is not one this reader knows")
      }
    }
    return ONNXNode(opType: string(n.op_type), name: string(n.name),
                    inputs: (0..<n.n_input).map { string(n.input[$0]) },
                    outputs: (0..<n.n_output).map { string(n.output[$0]) }, attributes: attrs)
  }

  private static func valueInfo(_ v: Onnx__ValueInfoProto) throws -> ONNXValueInfo {
    let name = string(v.name)
    guard let type = v.type?.pointee, type.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE,
          let tt = type.tensor_type?.pointee, let elem = ONNXTensor.ElementType(rawValue: tt.elem_type) else {
      throw Failure(reason: "value \(name) is not a tensor of a known element type")
    }
    var dims: [ONNXValueInfo.Dim] = []
    if let shape = tt.shape?.pointee {
      for i in 0..<shape.n_dim {
        let d = shape.dim[i]!.pointee
        switch d.value_case {
        case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE: dims.append(.fixed(Int(d.dim_value)))
        case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM: dims.append(.symbolic(string(d.dim_param)))
        default: throw Failure(reason: "value \(name): dimension \(i) has neither a size nor a name")
        }
      }
    }
    return ONNXValueInfo(name: name, type: elem, dims: dims, docString: string(v.doc_string))
  }
}

/// Owns the C memory of one message tree being encoded; frees it all on deinit.
private final class CMessageArena {
  private var blocks: [UnsafeMutableRawPointer] = []

  deinit { for b in blocks { free(b) } }

  private func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
    let p = malloc(max(bytes, 1))!
    blocks.append(p)
    return p
  }

  /// A zeroed message initialized by its protobuf-c `__init` function.
  func message<M>(_ zero: M, _ initialize: (UnsafeMutablePointer<M>?) -> Void) -> UnsafeMutablePointer<M> {
    let p = allocate(MemoryLayout<M>.size).bindMemory(to: M.self, capacity: 1)
    p.initialize(to: zero)
    initialize(p)
    return p
  }

  func string(_ s: String) -> UnsafeMutablePointer<CChar> {
    let utf8 = Array(s.utf8CString)
    let p = allocate(utf8.count).bindMemory(to: CChar.self, capacity: utf8.count)
    p.initialize(from: utf8, count: utf8.count)
    return p
  }

  func array<T>(_ values: [T]) -> (Int, UnsafeMutablePointer<T>?) {
    if values.isEmpty { return (0, nil) }
    let p = allocate(MemoryLayout<T>.stride * values.count).bindMemory(to: T.self, capacity: values.count)
    p.initialize(from: values, count: values.count)
    return (values.count, p)
  }

  func pointerArray<T>(_ values: [UnsafeMutablePointer<T>]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<T>?>?) {
    array(values.map { Optional($0) })
  }

  func bytes(_ data: [UInt8]) -> ProtobufCBinaryData {
    let p = allocate(data.count).bindMemory(to: UInt8.self, capacity: max(data.count, 1))
    data.withUnsafeBufferPointer { if let b = $0.baseAddress { p.initialize(from: b, count: data.count) } }
    return ProtobufCBinaryData(len: data.count, data: p)
  }
}
