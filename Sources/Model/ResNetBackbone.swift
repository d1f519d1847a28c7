/// TF-slim `resnet_v1_<depth>` as the SSD feature extractor runs it (spec §3.2):
/// `conv1` (7×7/2 conv2d_same, BN, relu6) → `pool1` (3×3/2 SAME max-pool) → blocks 1–4 of
/// bottleneck units (d = 64·2^b, D = 4d), every unit at stride 1; the end point `block{b}`
/// is the block's full-resolution output, and blocks 1–3 hand `subsample2x` of it on.
/// End points for 320×320: 80×80×256, 40×40×512, 20×20×1024, 10×10×2048.
public final class ResNetBackbone {
  public let conv1: Conv2D, bn1: BatchNorm
  public let pool1 = MaxPool2D(kernel: 3, stride: 2)
  /// blocks[b][u] = block b+1, unit u+1.
  public let blocks: [[BottleneckUnit]]
  private var endPointShapes: [[Int]] = []
  /// Drop inner activations after forward and recompute them in backward (conv1's batch
  /// norm output and each unit's, `BottleneckUnit.recomputesActivations`): same bits.
  public var recomputesActivations = true {
    didSet { for u in blocks.joined() { u.recomputesActivations = recomputesActivations } }
  }
  /// unitOffsets[b][u]: the first trainable arena element of blocks[b][u] (its variables
  /// run from there to the next unit's offset; they are used by that unit only).
  public let unitOffsets: [[Int]]
  /// One past the backbone's last trainable arena element.
  public let endOffset: Int

  public init(config: SSDConfig, params: ParameterStore, rng: inout SplitMix64, scratch: ScratchArena) {
    let scope = config.backboneScope
    let eps = config.backboneBatchNormEpsilon, decay = config.batchNormDecay
    conv1 = Conv2D(scope: scope + "/conv1", inChannels: 3, outChannels: config.depth(64), kernel: 7, stride: 2,
                   padding: .conv2dSame, weightInit: .truncatedNormal(stddev: 0.03),
                   params: params, rng: &rng, scratch: scratch)
    conv1.needsInputGradient = false
    bn1 = BatchNorm(scope: scope + "/conv1/BatchNorm", channels: config.depth(64), epsilon: eps, decay: decay,
                    activation: .relu6, params: params, rng: &rng)
    var blocks: [[BottleneckUnit]] = []
    var offsets: [[Int]] = []
    var inDepth = config.depth(64)
    for (b, units) in config.blockUnits.enumerated() {
      let d = config.depth(64 << b), depth = config.depth(256 << b)
      var list: [BottleneckUnit] = []
      var unitStarts: [Int] = []
      for u in 0..<units {
        unitStarts.append(params.trainableCount)
        list.append(BottleneckUnit(scope: "\(scope)/block\(b + 1)/unit_\(u + 1)/bottleneck_v1",
                                   inDepth: inDepth, depth: depth, bottleneck: d, epsilon: eps, decay: decay,
                                   params: params, rng: &rng, scratch: scratch))
        inDepth = depth
      }
      blocks.append(list)
      offsets.append(unitStarts)
    }
    self.blocks = blocks
    unitOffsets = offsets
    endOffset = params.trainableCount
  }

  public var batchNorms: [BatchNorm] { [bn1] + blocks.flatMap { $0.flatMap(\.batchNorms) } }
  public var convs: [Conv2D] { [conv1] + blocks.flatMap { $0.flatMap(\.convs) } }

  /// images [N, H, W, 3] → end points `block1…block4` (full resolution).
  /// `weightsNeeded(offset)`, when given, runs before each part (conv1, each unit) with the
  /// end of the arena range its weights lie below (`SSDNetwork.weightsNeeded`).
  public func forward(_ images: Tensor, params: ParameterStore, weightsNeeded: ((Int) -> Void)? = nil) -> [Tensor] {
    let starts = unitOffsets.flatMap { $0 } + [endOffset]
    weightsNeeded?(starts[0])
    var unitIndex = 0
    var x = pool1.forward(bn1.forward(conv1.forward(images, params: params), params: params))
    if recomputesActivations { bn1.releaseOutput(savedBy: nil) }  // the pool keeps indices; backward recomputes
    var endPoints: [Tensor] = []
    for (b, units) in blocks.enumerated() {
      for unit in units {
        unitIndex += 1
        weightsNeeded?(starts[unitIndex])
        x = unit.forward(x, params: params)
      }
      endPoints.append(x)
      if b < blocks.count - 1 { x = Resample.subsample2x(x) }
    }
    endPointShapes = endPoints.map(\.shape)
    return endPoints
  }

  /// Gradients of the end points (nil = unused) → parameter gradients (no image gradient).
  /// `onGradientsReady(offset)` is called after each unit's backward with that unit's first
  /// arena element (from there to the end of the arena every gradient is then final, given
  /// that everything after the backbone already was), and with 0 after `conv1`.
  public func backward(_ dEndPoints: [Tensor?], params: ParameterStore, onGradientsReady: ((Int) -> Void)? = nil) {
    precondition(dEndPoints.count == blocks.count, "one gradient slot per block end point")
    var carried: Tensor? = nil  // gradient arriving from the next block through subsample2x
    for b in stride(from: blocks.count - 1, through: 0, by: -1) {
      var g: Tensor
      switch (carried, dEndPoints[b]) {
      case let (c?, e?): g = Resample.add(c, e)
      case let (c?, nil): g = c
      case let (nil, e?): g = e
      case (nil, nil): g = Tensor(zeros: endPointShapes[b])
      }
      carried = nil
      for u in stride(from: blocks[b].count - 1, through: 0, by: -1) {
        g = blocks[b][u].backward(g, params: params)
        onGradientsReady?(unitOffsets[b][u])
      }
      if b > 0 {
        carried = Resample.subsample2xBackward(g, inputShape: endPointShapes[b - 1])
      } else {
        let dPool = pool1.backward(g)
        bn1.restoreOutput(for: nil)
        let d = bn1.backward(dPool, params: params).dx
        conv1.backward(d, params: params)
        onGradientsReady?(0)
      }
    }
  }
}
