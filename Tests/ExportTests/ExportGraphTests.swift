@testable import Export
import Foundation
import Inference
import Model
import Testing

@Suite struct ExportGraphTests {
  /// The tiny fixture detector and its two exports.
  static func exports(seed: UInt64 = 3) throws -> (detector: Detector, full: ONNXModel, raw: ONNXModel) {
    let dir = try ExportFixture.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let detector = try ExportFixture.detector(configPath: try ExportFixture.writeConfig(in: dir), seed: seed)
    let means = detector.preprocessing.channelMeans
    let full = SSDExporter.model(network: detector.network, postProcessor: detector.postProcessor, channelMeans: means,
                                 outputs: .detections)
    let raw = SSDExporter.model(network: detector.network, postProcessor: detector.postProcessor, channelMeans: means,
                                outputs: .raw)
    return (detector, full, raw)
  }

  @Test func exportedGraphsAreWellFormed() throws {
    let (detector, full, raw) = try Self.exports()
    #expect(GraphCheck.problems(full) == [])
    #expect(GraphCheck.problems(raw) == [])
    let a = detector.model.numAnchors, k = detector.model.numClassSlots
    #expect(full.inputs.map(\.name) == ["image"])
    #expect(full.inputs[0].dims == [.symbolic("N"), .fixed(64), .fixed(64), .fixed(3)])
    #expect(full.outputs.map(\.name) == ["detection_boxes", "detection_scores", "detection_classes", "num_detections"])
    #expect(full.outputs.map(\.dims) == [[.symbolic("N"), .fixed(100), .fixed(4)], [.symbolic("N"), .fixed(100)],
                                         [.symbolic("N"), .fixed(100)], [.symbolic("N")]])
    #expect(raw.outputs.map(\.name) == ["box_encodings", "class_predictions", "anchors"])
    #expect(raw.outputs.map(\.dims) == [[.symbolic("N"), .fixed(a), .fixed(4)], [.symbolic("N"), .fixed(a), .fixed(k)],
                                        [.fixed(a), .fixed(4)]])
    // The raw graph is the full graph's prefix: the same network nodes.
    let rawNodes = raw.nodes.filter { $0.opType != "Identity" }
    #expect(Array(full.nodes.prefix(rawNodes.count)) == rawNodes)
    #expect(full.opsetVersion == 17 && full.irVersion == 8)
    // The anchors output is the post-processor's anchors.
    #expect(raw.initializers.first { $0.name == "const/anchors" }?.floats == detector.postProcessor.anchors)
  }

  /// Weights in the graph = the model's parameters minus what batch-norm folding removes:
  /// a batch norm after a convolution applied once (4·C values: γ, β, moving mean and
  /// variance) becomes its C-value bias; one after a tower convolution shared across levels
  /// becomes a C-value scale and a C-value shift. Every kernel appears once (shared ones
  /// too), in OIHW order; constants (`const/…`) are not parameters.
  @Test func initializersHoldTheParametersMinusFoldedStatistics() throws {
    let (detector, full, _) = try Self.exports()
    let params = detector.network.params
    var expected = 0
    var bnFolded = 0, bnPerLevel = 0
    for v in params.variables {
      let n = v.shape.reduce(1, *)
      if v.name.hasSuffix("/BatchNorm/gamma") { expected += n; bnFolded += 1 }
      else if v.name.contains("/BatchNorm/feature_") { if v.name.hasSuffix("/gamma") { expected += 2 * n; bnPerLevel += 1 } }
      else if !v.name.contains("/BatchNorm/") { expected += n }
    }
    let weights = full.initializers.filter { !$0.name.hasPrefix("const/") }
    #expect(weights.reduce(0) { $0 + $1.elementCount } == expected)
    #expect(bnFolded > 0 && bnPerLevel > 0)
    // The same count from the parameter store's totals.
    let bnChannels = detector.network.batchNorms.map(\.channels)
    let perLevel = detector.network.predictor.batchNorms.count
    let folded = bnChannels.count - perLevel
    #expect(perLevel == bnPerLevel && folded == bnFolded)
    let removed = zip(bnChannels.indices, bnChannels).reduce(0) { acc, e in
      acc + (e.0 < folded ? 3 * e.1 : 2 * e.1)  // predictor batch norms come last
    }
    #expect(expected == params.totalCount - removed)
    // Every kernel is there, transposed to OIHW, once.
    for v in params.variables where v.name.hasSuffix("/weights") {
      let scope = String(v.name.dropLast("/weights".count))
      let found = weights.filter { $0.name == v.name || $0.name == scope + "/weights_folded" }
      #expect(found.count == 1, "kernel \(v.name)")
      #expect(found.first?.dims == [v.shape[3], v.shape[2], v.shape[0], v.shape[1]], "kernel \(v.name)")
    }
  }

  /// Folding: a folded kernel is the checkpoint kernel times the batch norm's scale, and its
  /// bias the batch norm's shift (`BatchNorm.inferenceAffine`), element by element.
  @Test func foldedKernelsAreKernelTimesScale() throws {
    let (detector, full, _) = try Self.exports()
    let net = detector.network, params = net.params
    let unit = net.backbone.blocks[1][0]
    let scope = params.variables[unit.conv2.weight.index].name.replacingOccurrences(of: "/weights", with: "")
    let w = try #require(full.initializers.first { $0.name == scope + "/weights_folded" }).floats
    let b = try #require(full.initializers.first { $0.name == scope + "/biases_folded" }).floats
    let (scale, shift) = unit.bn2.inferenceAffine(params: params)
    let hwio = params.read(unit.conv2.weight)
    let k = 3, ci = unit.conv2.inChannels, co = unit.conv2.outChannels
    #expect(b == shift)
    for (o, i, y, x) in [(0, 0, 0, 0), (co - 1, ci - 1, 2, 2), (3, 5, 1, 2)] {
      #expect(w[((o * ci + i) * k + y) * k + x] == hwio[((y * k + x) * ci + i) * co + o] * scale[o])
    }
    #expect(scale.contains { abs($0 - 1) > 0.1 }, "the fixture's batch norms are randomized")
  }

  @Test func encodingRoundTripsAndIsDeterministic() throws {
    let (_, full, raw) = try Self.exports()
    let bytes = ONNXCodec.encode(full)
    #expect(try ONNXCodec.decode(bytes) == full)
    #expect(try ONNXCodec.decode(ONNXCodec.encode(raw)) == raw)
    // A second detector from the same seed (same weights) gives the same bytes.
    let (_, again, _) = try Self.exports()
    #expect(ONNXCodec.encode(again) == bytes)
    // Other weights, other bytes.
    let (_, other, _) = try Self.exports(seed: 4)
    #expect(ONNXCodec.encode(other) != bytes)
    #expect(throws: ONNXCodec.Failure.self) { try ONNXCodec.decode([0xFF, 0xFF, 0xFF]) }
  }

  @Test func paddingGeometryMatchesOurConvolutions() {
    // conv1: 7×7/2 conv2d_same on 320 → pad 3/3, 160.
    let c1 = NetworkGraph.geometry(h: 320, w: 320, kernel: 7, stride: 2, padding: .conv2dSame)
    #expect(c1.pads == [3, 3, 3, 3] && c1.outH == 160)
    // pool1 3×3/2 SAME on 160: 0 before, 1 after → 80.
    let p = NetworkGraph.geometry(h: 160, w: 160, kernel: 3, stride: 2, padding: .same)
    #expect(p.pads == [0, 0, 1, 1] && p.outH == 80)
    // P6/P7: 3×3/2 SAME 10 → 5 (0, 1), 5 → 3 (1, 1).
    let p6 = NetworkGraph.geometry(h: 10, w: 10, kernel: 3, stride: 2, padding: .same)
    #expect(p6.pads == [0, 0, 1, 1] && p6.outH == 5)
    let p7 = NetworkGraph.geometry(h: 5, w: 5, kernel: 3, stride: 2, padding: .same)
    #expect(p7.pads == [1, 1, 1, 1] && p7.outH == 3)
    let s1 = NetworkGraph.geometry(h: 40, w: 20, kernel: 3, stride: 1, padding: .same)
    #expect(s1.pads == [1, 1, 1, 1] && s1.outH == 40 && s1.outW == 20)
  }
}
