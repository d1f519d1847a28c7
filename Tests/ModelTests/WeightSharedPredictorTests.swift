import Testing
@testable import Model

/// Weight-shared predictor: sharing, per-level BN, flatten order, gradients.
struct WeightSharedPredictorTests {
  func config() -> SSDConfig {
    var c = SSDConfig.tiny
    c.numClasses = 2
    c.aspectRatios = [1, 2]; c.scalesPerOctave = 1  // 2 anchors per location
    return c
  }

  @Test func variablesAndFlattenOrder() {
    var rng = SplitMix64(seed: 4)
    let params = ParameterStore()
    let cfg = config()
    let pred = WeightSharedPredictor(config: cfg, inDepth: 8, params: params, rng: &rng, scratch: ScratchArena())
    let names = params.variables.map(\.name)
    // 2 tower convs × 2 towers × (1 kernel + 3 levels × 4 BN) + 2 heads × 2.
    #expect(names.count == 2 * 2 * (1 + 3 * 4) + 4)
    #expect(names[0] == "WeightSharedConvolutionalBoxPredictor/BoxPredictionTower/conv2d_0/weights")
    #expect(names[1] == "WeightSharedConvolutionalBoxPredictor/BoxPredictionTower/conv2d_0/BatchNorm/feature_0/gamma")
    #expect(params.read(pred.classHead[0].bias!).allSatisfy { $0 == -4.6 })
    #expect(pred.boxTower[1][2].weight == pred.boxTower[1][0].weight)
    #expect(pred.boxBN[1][2].gamma != pred.boxBN[1][0].gamma)
    let feats = [Tensor.random([2, 4, 4, 8], rng: &rng), Tensor.random([2, 2, 2, 8], rng: &rng),
                 Tensor.random([2, 1, 1, 8], rng: &rng)]
    let (box, cls) = pred.forward(feats, params: params)
    let anchors = (16 + 4 + 1) * 2
    #expect(box.shape == [2, anchors, 4] && cls.shape == [2, anchors, 3])
    // Level 1 (2×2) of image 1, location (y=1, x=0), anchor 1, code 2 = box head output
    // channel 1·4 + 2 at that location; global row 16·2 + (1·2 + 0)·2 + 1.
    let level1 = pred.boxHead[1]
    let row = 16 * 2 + (1 * 2 + 0) * 2 + 1
    // Re-run the level-1 box path with the same layers (training-mode BN, same batch), then
    // the head as a direct convolution.
    var b = feats[1]
    for i in 0..<pred.boxTower.count {
      b = pred.boxBN[i][1].forward(pred.boxTower[i][1].forward(b, params: params), params: params)
    }
    let head = NaiveConv2D.forward(level1.shape(for: b), x: b.data, w: params.read(level1.weight),
                                   b: params.read(level1.bias!))
    let headIndex = ((1 * 2 + 1) * 2 + 0) * 8 + 1 * 4 + 2
    #expect(abs(box.data[(1 * anchors + row) * 4 + 2] - head[headIndex]) < 1e-5)
  }

  @Test func gradientsMatchFiniteDifferences() {
    var rng = SplitMix64(seed: 6)
    let params = ParameterStore()
    let pred = WeightSharedPredictor(config: config(), inDepth: 8, params: params, rng: &rng, scratch: ScratchArena())
    for layer in pred.boxTower + pred.classTower {
      params.write(layer[0].weight, Initializer.normal(stddev: 0.3).values(layer[0].weight.count, rng: &rng))
    }
    for h in [pred.boxHead[0], pred.classHead[0]] {
      params.write(h.weight, Initializer.normal(stddev: 0.3).values(h.weight.count, rng: &rng))
    }
    let feats = [Tensor.random([2, 4, 4, 8], rng: &rng), Tensor.random([2, 2, 2, 8], rng: &rng),
                 Tensor.random([2, 1, 1, 8], rng: &rng)]
    let checked = (pred.boxTower + pred.classTower).map { $0[0].weight }
      + [pred.boxHead[0].weight, pred.boxHead[0].bias!, pred.classHead[0].weight, pred.classHead[0].bias!]
      + pred.batchNorms.flatMap { [$0.gamma, $0.beta] }
    var boxCount = 0, boxShape: [Int] = [], clsShape: [Int] = []
    GradientCheck(epsilon: 1e-3, tolerance: 3e-2, samples: 6).run(
      inputs: feats, params: params, checking: checked, rng: &rng,
      forward: {
        let (b, c) = pred.forward($0, params: params)
        boxCount = b.count; boxShape = b.shape; clsShape = c.shape
        return Tensor(shape: [b.count + c.count], data: b.data + c.data)
      },
      backward: { g in
        pred.backward(dBoxEncodings: Tensor(shape: boxShape, data: Array(g.data[..<boxCount])),
                      dClassLogits: Tensor(shape: clsShape, data: Array(g.data[boxCount...])), params: params)
      })
  }
}
