/// The weight-shared convolutional box predictor (spec §3.4), scope
/// `WeightSharedConvolutionalBoxPredictor`. For every pyramid level f, with the conv
/// kernels shared across levels and the batch norms per level:
///
///     b = F_f;  repeat i: b = relu6(BN_{i,f}(BoxPredictionTower/conv2d_i(b)))     no bias
///     box = BoxPredictor(b)        k×k, A·4 channels + bias
///     c = F_f;  repeat i: c = relu6(BN_{i,f}(ClassPredictionTower/conv2d_i(c)))
///     cls = ClassPredictor(c)      k×k, A·(K+1) channels + bias (init −4.6)
///
/// Outputs are flattened per level as (y, x, anchor, code) and concatenated over levels:
/// box encodings [B, numAnchors, 4], class logits [B, numAnchors, K+1].
/// Variables in the spec's table order: box tower convs (each `weights` then BN
/// `feature_0…feature_{L−1}`), class tower convs, BoxPredictor, ClassPredictor.
public final class WeightSharedPredictor {
  public let levels: Int, anchorsPerLocation: Int, classSlots: Int
  /// [layer][level]: conv applications sharing one kernel per layer.
  public private(set) var boxTower: [[Conv2D]] = [], classTower: [[Conv2D]] = []
  /// [layer][level].
  public private(set) var boxBN: [[BatchNorm]] = [], classBN: [[BatchNorm]] = []
  /// [level], sharing one kernel + bias.
  public private(set) var boxHead: [Conv2D] = [], classHead: [Conv2D] = []
  /// Drop tower activations after forward and recompute them in backward (same bits).
  public var recomputesActivations = true
  private var levelRows: [Int] = []      // anchors per image per level
  private var levelShapes: [[Int]] = []  // head output shapes per level

  public init(config: SSDConfig, inDepth: Int, params: ParameterStore, rng: inout SplitMix64,
              scratch: ScratchArena) {
    levels = config.maxLevel - config.minLevel + 1
    anchorsPerLocation = config.anchorsPerLocation
    classSlots = config.numClassSlots
    let scope = "WeightSharedConvolutionalBoxPredictor"
    let depth = config.depth(config.predictorDepth), k = config.kernelSize
    let w = Initializer.normal(stddev: 0.01)
    func tower(_ name: String, _ rng: inout SplitMix64) -> ([[Conv2D]], [[BatchNorm]]) {
      var convs: [[Conv2D]] = [], bns: [[BatchNorm]] = []
      var cin = inDepth
      for i in 0..<config.numLayersBeforePredictor {
        let s = "\(scope)/\(name)/conv2d_\(i)"
        let first = Conv2D(scope: s, inChannels: cin, outChannels: depth, kernel: k, weightInit: w,
                           params: params, rng: &rng, scratch: scratch)
        convs.append([first] + (1..<levels).map { _ in Conv2D(sharing: first) })
        bns.append((0..<levels).map { f in
          BatchNorm(scope: "\(s)/BatchNorm/feature_\(f)", channels: depth, epsilon: config.batchNormEpsilon,
                    decay: config.batchNormDecay, activation: .relu6, params: params, rng: &rng)
        })
        cin = depth
      }
      return (convs, bns)
    }
    (boxTower, boxBN) = tower("BoxPredictionTower", &rng)
    (classTower, classBN) = tower("ClassPredictionTower", &rng)
    let headIn = config.numLayersBeforePredictor > 0 ? depth : inDepth
    let box = Conv2D(scope: "\(scope)/BoxPredictor", inChannels: headIn, outChannels: anchorsPerLocation * 4,
                     kernel: k, bias: true, weightInit: w, params: params, rng: &rng, scratch: scratch)
    let cls = Conv2D(scope: "\(scope)/ClassPredictor", inChannels: headIn,
                     outChannels: anchorsPerLocation * classSlots, kernel: k, bias: true, weightInit: w,
                     biasInit: config.classPredictionBiasInit, params: params, rng: &rng, scratch: scratch)
    boxHead = [box] + (1..<levels).map { _ in Conv2D(sharing: box) }
    classHead = [cls] + (1..<levels).map { _ in Conv2D(sharing: cls) }
  }

  public var batchNorms: [BatchNorm] { (boxBN + classBN).flatMap { $0 } }

  /// Feature maps P_min…P_max → (box encodings [B, A, 4], class logits [B, A, K+1]).
  public func forward(_ features: [Tensor], params: ParameterStore) -> (boxEncodings: Tensor, classLogits: Tensor) {
    precondition(features.count == levels, "predictor expects \(levels) feature maps, got \(features.count)")
    // Layer by layer over all levels: in forward-only runs each shared kernel then runs
    // every level through one set of GEMMs (`Conv2D.forward(_:_:params:then:)`); in
    // training it is the per-level conv + batch norm, the same operations as level by level.
    // In training each tower layer's output is dropped once the next layer has run on it and
    // recomputed in backward (`BatchNorm.releaseOutput`), unless `recomputesActivations` is false.
    let none = [BatchNorm?](repeating: nil, count: levels)
    func tower(_ convs: [[Conv2D]], _ bns: [[BatchNorm]], _ head: [Conv2D]) -> [Tensor] {
      var x = features
      for i in 0..<convs.count {
        x = Conv2D.forward(convs[i], x, params: params, then: bns[i])
        if i > 0 { release(bns[i - 1], savedBy: convs[i]) }
      }
      let out = Conv2D.forward(head, x, params: params, then: none)
      if let last = bns.last { release(last, savedBy: head) }
      return out
    }
    let boxes = tower(boxTower, boxBN, boxHead)
    let logits = tower(classTower, classBN, classHead)
    levelRows = boxes.map { $0.height * $0.width * anchorsPerLocation }
    levelShapes = boxes.map { [$0.batch, $0.height, $0.width] }
    return (Profiler.measure(.other) { concatenate(boxes, code: 4) },
            Profiler.measure(.other) { concatenate(logits, code: classSlots) })
  }

  /// Output gradients → dP_min…dP_max (box and class paths summed). Layer by layer over all
  /// levels, as forward: each shared kernel's gradient is one pass over every level's tiles
  /// (`Conv2D.backward(_:_:params:)`).
  public func backward(dBoxEncodings: Tensor, dClassLogits: Tensor, params: ParameterStore) -> [Tensor] {
    let dBoxes = Profiler.measure(.other) { split(dBoxEncodings, code: 4) }
    let dLogits = Profiler.measure(.other) { split(dClassLogits, code: classSlots) }
    func tower(_ head: [Conv2D], _ dOut: [Tensor], _ convs: [[Conv2D]], _ bns: [[BatchNorm]]) -> [Tensor] {
      if let last = bns.last { restore(last, for: head) }
      var g = Conv2D.backward(head, dOut, params: params).map { $0! }
      for i in stride(from: convs.count - 1, through: 0, by: -1) {
        let dz = (0..<levels).map { f in bns[i][f].backward(g[f], params: params).dx }
        if i > 0 { restore(bns[i - 1], for: convs[i]) }
        g = Conv2D.backward(convs[i], dz, params: params).map { $0! }
      }
      return g
    }
    let gb = tower(boxHead, dBoxes, boxTower, boxBN)
    let gc = tower(classHead, dLogits, classTower, classBN)
    return zip(gb, gc).map { Resample.add($0, $1) }
  }

  /// Drops the levels' batch-norm outputs `convs` saved (recomputed by `restore`).
  private func release(_ bns: [BatchNorm], savedBy convs: [Conv2D]) {
    guard recomputesActivations else { return }
    for (bn, conv) in zip(bns, convs) { bn.releaseOutput(savedBy: conv) }
  }

  private func restore(_ bns: [BatchNorm], for convs: [Conv2D]) {
    for (bn, conv) in zip(bns, convs) { bn.restoreOutput(for: conv) }
  }

  /// Per-level [B, H, W, A·code] → [B, ΣH·W·A, code].
  private func concatenate(_ parts: [Tensor], code: Int) -> Tensor {
    let batch = parts[0].batch
    let total = levelRows.reduce(0, +)
    return Tensor(uninitialized: [batch, total, code]) { out in
      var start = 0
      for (f, p) in parts.enumerated() {
        let n = levelRows[f] * code
        p.data.withUnsafeBufferPointer { src in
          for b in 0..<batch {
            (out.baseAddress! + (b * total) * code + start).update(from: src.baseAddress! + b * n, count: n)
          }
        }
        start += n
      }
    }
  }

  /// The inverse of `concatenate`: [B, A, code] → per-level [B, H, W, A·code].
  private func split(_ g: Tensor, code: Int) -> [Tensor] {
    let total = levelRows.reduce(0, +)
    precondition(g.rank == 3 && g.shape[1] == total && g.shape[2] == code,
                 "predictor gradient must be [B, \(total), \(code)], got \(g.shape)")
    let batch = g.shape[0]
    var start = 0
    var parts: [Tensor] = []
    g.data.withUnsafeBufferPointer { src in
      for f in 0..<levels {
        let n = levelRows[f] * code
        parts.append(Tensor(uninitialized: levelShapes[f] + [anchorsPerLocation * code]) { out in
          for b in 0..<batch {
            (out.baseAddress! + b * n).update(from: src.baseAddress! + b * total * code + start, count: n)
          }
        })
        start += n
      }
    }
    return parts
  }
}
