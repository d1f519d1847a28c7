import Testing
@testable import Model

/// Variable list and size figures against spec §3.5 and §3.8.
struct ModelSummaryTests {
  @Test func ssd320Figures() {
    let s = ModelSummary(config: .ssd320)
    let tail = Array(s.lines.suffix(6))
    #expect(Array(tail.prefix(5)) == ["variables: 463 (trainable 269)", "trainable parameters: 32840570",
                                      "total parameters: 32916218", "anchors: 12804",
                                      "forward MACs per image: 22307953664"])
    #expect(s.lines.count == 463 + 6)
    // As run in training: every 3×3 stride-1 conv of SSD320 (block conv2s, FPN smoothing,
    // towers, predictors) runs as Winograd F(4×4, 3×3), tiles·36·Cin·Cout instead of
    // positions·9·Cin·Cout (the towers' levels choosing together).
    var winograd = 0, direct = 0
    func tiles(_ h: Int) -> Int { ((h + 3) / 4) * ((h + 3) / 4) }
    for (h, units, d) in [(80, 3, 64), (40, 4, 128), (20, 6, 256), (10, 3, 512)] {
      winograd += units * tiles(h) * 36 * d * d
      direct += units * h * h * 9 * d * d
    }
    let smoothing = [40, 20].map { tiles($0) * 36 * 256 * 256 }.reduce(0, +)
    winograd += smoothing; direct += [40, 20].map { $0 * $0 * 9 * 256 * 256 }.reduce(0, +)
    let towerTiles = [40, 20, 10, 5, 3].map(tiles).reduce(0, +)
    winograd += towerTiles * 36 * 256 * (8 * 256 + 24 + 546)
    direct += 2134 * 9 * 256 * (8 * 256 + 24 + 546)
    #expect(Winograd.trainingUsesF4, "run the suite without SSD_WINOGRAD_TRAINING=f2")
    #expect(tail[5] == "forward MACs per image as run: \(22307953664 - direct + winograd)")
    #expect(s.regularizedKernels == 70)
    #expect(s.variables.first?.name == "FeatureExtractor/resnet_v1_50/conv1/weights")
    #expect(s.variables.first?.shape == [7, 7, 3, 64])
    #expect(s.variables[5].name == "FeatureExtractor/resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/weights")
    #expect(s.variables.contains(Entry("FeatureExtractor/resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/BatchNorm/moving_variance", [2048], false)))
    #expect(s.variables.contains(Entry("FeatureExtractor/resnet_v1_50/fpn/projection_3/biases", [256], true)))
    #expect(s.variables.contains(Entry("FeatureExtractor/resnet_v1_50/fpn/bottom_up_block6/weights", [3, 3, 256, 256], true)))
    #expect(s.variables.contains(Entry("WeightSharedConvolutionalBoxPredictor/ClassPredictionTower/conv2d_3/BatchNorm/feature_4/gamma", [256], true)))
    #expect(s.variables.suffix(2).map(\.name) == ["WeightSharedConvolutionalBoxPredictor/ClassPredictor/weights",
                                                  "WeightSharedConvolutionalBoxPredictor/ClassPredictor/biases"])
    #expect(s.variables.last?.shape == [546])
    #expect(Set(s.variables.map(\.name)).count == s.variables.count)
  }

  @Test func deeperBackbonesAndTiny() {
    // ResNet-101: 17 more block3 units of 3 convs + BN (5 variables each).
    let s101 = ModelSummary(config: { var c = SSDConfig.ssd320; c.backboneDepth = 101; return c }())
    #expect(s101.variables.count == 463 + 17 * 3 * 5)
    #expect(s101.variables[0].name == "FeatureExtractor/resnet_v1_101/conv1/weights")
    let tiny = ModelSummary(config: .tiny)
    #expect(tiny.anchors == (64 + 16 + 4) * 6)
    #expect(tiny.variables.contains(Entry("WeightSharedConvolutionalBoxPredictor/ClassPredictor/weights", [3, 3, 32, 24], true)))
    #expect(tiny.regularizedKernels == 53 + 5 + 2 * 2 + 2)
  }

  private func Entry(_ n: String, _ s: [Int], _ t: Bool) -> ModelSummary.Entry {
    ModelSummary.Entry(name: n, shape: s, trainable: t)
  }
}
