import Formats
import Foundation
import Testing
@testable import Checkpoint
import TestSupport

/// Expected facts about one variable, from the fixture's values.json (written by TensorFlow).
/// Decoded with JSONDecoder, which keeps doubles and int64s exact.
struct ExpectedVariable: Decodable {
  /// A JSON number that is either an exact integer or a double.
  enum Number: Decodable {
    case integer(Int64), double(Double)
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let i = try? c.decode(Int64.self) { self = .integer(i) } else { self = .double(try c.decode(Double.self)) }
    }
    var double: Double {
      switch self {
      case let .integer(i): return Double(i)
      case let .double(d): return d
      }
    }
    var int64: Int64? {
      if case let .integer(i) = self { return i }
      return nil
    }
  }

  var name = ""
  let dtype: String
  let shape: [Int]
  let first8: [Number]
  let sum: Number
  let sha256: String

  enum CodingKeys: String, CodingKey {
    case dtype, shape, first8, sum
    case sha256 = "sha256_le_row_major"
  }

  private struct File: Decodable { let variables: [String: ExpectedVariable] }

  static func load(_ checkpoint: String) throws -> [ExpectedVariable] {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("checkpoint/\(checkpoint)/values.json")))
    return try JSONDecoder().decode(File.self, from: data).variables.map { name, v in
      var v = v
      v.name = name
      return v
    }.sorted { $0.name < $1.name }
  }
}

/// Every fixture checkpoint (TF-written, both formats): each variable's dtype, shape, first
/// values (exact), sum (relative 1e-12: numpy sums pairwise, we sum in order) and SHA-256 of
/// the row-major little-endian bytes match values.json.
@Test(arguments: ["small/v1/model.ckpt", "small/v2/model.ckpt", "resnet_v1_50_partial/v1/model.ckpt",
                  "resnet_v1_50_partial/v2/model.ckpt"])
func fixtureCheckpointMatchesValuesJSON(_ relative: String) throws {
  let kind = String(relative.split(separator: "/")[0])
  let expected = try ExpectedVariable.load(kind)
  let reader = try CheckpointReader(path: Fixtures.path("checkpoint/" + relative))
  #expect(reader.format == (relative.contains("/v1/") ? .v1 : .v2))
  #expect(reader.variables.map(\.name).sorted() == expected.map(\.name))
  #expect(reader.variables.map(\.name) == reader.variables.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  for e in expected {
    let v = try #require(reader.variable(named: e.name))
    #expect(v.dtype.description == e.dtype, "\(e.name)")
    #expect(v.shape == e.shape, "\(e.name)")
    let bytes = try reader.readBytes(e.name)
    #expect(SHA256.hexDigest(bytes) == e.sha256, "\(e.name)")
    switch v.dtype {
    case .int64:
      let values = try reader.readInt64(e.name, shape: e.shape)
      #expect(Array(values.prefix(8)).map(Optional.some) == e.first8.map(\.int64), "\(e.name)")
    case .int32:
      let values = try reader.readInt32(e.name, shape: e.shape)
      #expect(Array(values.prefix(8)).map(Optional.some) == e.first8.map { $0.int64.map(Int32.init) }, "\(e.name)")
    case .float32:
      let values = try reader.readFloat32(e.name, shape: e.shape)
      #expect(Array(values.prefix(8)).map(Double.init) == e.first8.map(\.double), "\(e.name)")
    case .float64:
      let values = try reader.readFloat64(e.name, shape: e.shape)
      #expect(Array(values.prefix(8)) == e.first8.map(\.double), "\(e.name)")
    default:
      Issue.record("unexpected dtype \(v.dtype) for \(e.name)")
    }
    let sum = try reader.readAsDoubles(e.name).reduce(0, +)
    #expect(abs(sum - e.sum.double) <= 1e-12 * max(1, abs(e.sum.double)), "\(e.name): sum \(sum) vs \(e.sum)")
  }
}

/// The V1 and V2 forms of each fixture hold identical bytes for every variable, and
/// `global_step` of the small checkpoint is TensorFlow's 123456789012.
@Test(arguments: ["small", "resnet_v1_50_partial"])
func v1AndV2FixturesAgree(_ kind: String) throws {
  let v1 = try CheckpointReader(path: Fixtures.path("checkpoint/\(kind)/v1/model.ckpt"))
  let v2 = try CheckpointReader(path: Fixtures.path("checkpoint/\(kind)/v2/model.ckpt"))
  #expect(v1.variables == v2.variables)
  for v in v1.variables { #expect(try v1.readBytes(v.name) == v2.readBytes(v.name), "\(v.name)") }
  if kind == "small" {
    #expect(v1.globalStep == 123_456_789_012)
    #expect(v2.globalStep == 123_456_789_012)
  } else {
    #expect(v1.globalStep == nil)
  }
}

/// PATH forms accepted: V2 prefix, `.index`, `.data-*` file, V1 file; unknown paths and
/// directories without a `checkpoint` file are `notFound`.
@Test func pathResolution() throws {
  let v2 = Fixtures.path("checkpoint/small/v2/model.ckpt")
  for p in [v2, v2 + ".index", v2 + ".data-00000-of-00001"] {
    let r = try CheckpointReader(path: p)
    #expect(r.format == .v2 && r.path == v2)
  }
  #expect(try CheckpointReader(path: Fixtures.path("checkpoint/small/v1/model.ckpt")).format == .v1)
  #expect(throws: CheckpointError.self) { try CheckpointReader(path: v2 + "-nope") }
  do {
    _ = try CheckpointReader(path: Fixtures.path("checkpoint/small/v2"))
    Issue.record("a directory without `checkpoint` must not open")
  } catch let CheckpointError.notFound(path, _) {
    #expect(path.hasSuffix("small/v2"))
  }
}

/// Typed reads check the dtype and the shape and name the file and variable.
@Test func typedReadsCheckTypeAndShape() throws {
  let reader = try CheckpointReader(path: Fixtures.path("checkpoint/small/v2/model.ckpt"))
  #expect(throws: CheckpointError.shapeMismatch(path: reader.path, name: "learning_rate", expected: [1], found: [])) {
    try reader.readFloat32("learning_rate", shape: [1])
  }
  #expect(throws: CheckpointError.dataTypeMismatch(path: reader.path, name: "global_step", expected: .float32,
                                                   found: .int64)) {
    try reader.readFloat32("global_step")
  }
  #expect(throws: CheckpointError.variableNotFound(path: reader.path + ".index", name: "nope")) {
    try reader.readBytes("nope")
  }
}
