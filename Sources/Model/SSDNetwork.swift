/// The SSD ResNet-v1-FPN network of an `SSDConfig`: backbone → FPN → weight-shared
/// predictor, ending at the raw outputs (box encodings [B, numAnchors, 4] and class logits
/// [B, numAnchors, K+1], spec §3.4 flatten order). Owns the `ParameterStore` (variables
/// in TensorFlow's names, shapes and order) and one `ScratchArena`.
public final class SSDNetwork {
  public let config: SSDConfig
  public let params: ParameterStore
  public let scratch: ScratchArena
  public let backbone: ResNetBackbone
  public let fpn: FeaturePyramid
  public let predictor: WeightSharedPredictor
  /// First trainable arena element of the FPN's and of the predictor's variables (the
  /// backbone's start at 0; creation order is backbone, FPN, predictor).
  public let fpnOffset: Int, predictorOffset: Int

  /// Every batch norm uses batch statistics (and moves its averages) when true.
  public var training: Bool = true {
    didSet {
      for bn in batchNorms { bn.training = training }
      // Inference's transformed kernels are rebuilt on the next forward-only run.
      if training { for c in convs { c.transformedKernel.release() } }
    }
  }

  /// Builds the variables, drawing initial values from `SplitMix64(seed:)` in creation order.
  public convenience init(config: SSDConfig, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    self.init(config: config, rng: &rng)
  }

  /// With `layoutOnly`, variables get names, shapes and offsets but no values (the network
  /// can describe itself, e.g. for `ModelSummary`, but not run).
  public init(config: SSDConfig, rng: inout SplitMix64, layoutOnly: Bool = false) {
    config.validate()
    self.config = config
    params = ParameterStore(layoutOnly: layoutOnly)
    scratch = ScratchArena()
    backbone = ResNetBackbone(config: config, params: params, rng: &rng, scratch: scratch)
    fpnOffset = params.trainableCount
    let inDepths = (config.minLevel...config.baseMaxLevel).map { config.depth(256 << ($0 - 2)) }
    fpn = FeaturePyramid(config: config, inDepths: inDepths, params: params, rng: &rng, scratch: scratch)
    predictorOffset = params.trainableCount
    predictor = WeightSharedPredictor(config: config, inDepth: config.depth(config.fpnDepth),
                                      params: params, rng: &rng, scratch: scratch)
  }

  /// False for forward-only use (evaluation, inference benchmarks): no layer keeps its
  /// activations, so memory is the live tensors only and `backward` cannot run.
  public var keepsActivations: Bool = true {
    didSet {
      for bn in batchNorms { bn.keepsActivations = keepsActivations }
      for c in convs { c.keepsActivations = keepsActivations }
      backbone.pool1.keepsActivations = keepsActivations
    }
  }

  /// Training drops the activations that only a convolution's backward or a batch norm's
  /// mask needs and recomputes them there (the backbone's and the towers'; about a fifth of
  /// SSD320's training memory); false keeps them. Gradients are the same bits either way.
  public var recomputesActivations: Bool = true {
    didSet {
      backbone.recomputesActivations = recomputesActivations
      predictor.recomputesActivations = recomputesActivations
    }
  }

  public var batchNorms: [BatchNorm] { backbone.batchNorms + fpn.batchNorms + predictor.batchNorms }
  /// Every convolution application (shared kernels appear once per pyramid level).
  public var convs: [Conv2D] {
    backbone.convs + fpn.convs + predictor.boxTower.flatMap { $0 } + predictor.classTower.flatMap { $0 }
      + predictor.boxHead + predictor.classHead
  }

  /// Called on the calling thread during `forward`, before each part of the network reads
  /// its weights (conv1, each backbone unit, the FPN, the predictor), with the arena offset
  /// below which every weight read so far and by that part lies (offsets increase; the last
  /// is `params.trainableCount`): lets weights still arriving from other workers be awaited
  /// layer by layer (`TrainingWorker`'s overlapped all-gather). Nil: nothing is called.
  public var weightsNeeded: ((Int) -> Void)?

  /// images [B, H, W, 3] (preprocessed) → raw predictions. Saves what backward needs.
  public func forward(_ images: Tensor) -> (boxEncodings: Tensor, classLogits: Tensor) {
    precondition(images.rank == 4 && images.height == config.imageHeight && images.width == config.imageWidth
                 && images.channels == 3,
                 "SSDNetwork expects [B, \(config.imageHeight), \(config.imageWidth), 3], got \(images.shape)")
    // Forward-only passes run their GEMMs on our own threads (`BLASRuntime.Threading`);
    // training passes hold OpenBLAS's settings against them (`BLASPassGate`).
    let run = { () -> (boxEncodings: Tensor, classLogits: Tensor) in
      let needed = self.weightsNeeded
      let endPoints = self.backbone.forward(images, params: self.params, weightsNeeded: needed)
      let c = Array(endPoints[(self.config.minLevel - 2)...(self.config.baseMaxLevel - 2)])
      needed?(self.predictorOffset)
      let p = self.fpn.forward(c, params: self.params)
      needed?(self.params.trainableCount)
      return self.predictor.forward(p, params: self.params)
    }
    return keepsActivations ? BLASRuntime.forTrainingPass(run) : BLASRuntime.forForwardOnlyPass(run)
  }

  /// Adds every parameter gradient for the given output gradients into `params.gradients`
  /// (call `params.zeroGradients()` once per step first). Releases saved activations.
  ///
  /// `onGradientsReady(offset)` reports progress for overlapping communication with
  /// backward: when it is called, `params.gradients[offset..<trainableCount]` are final (no
  /// later accumulation touches them in this pass; anything added before `backward`, such
  /// as the L2 term, is included). Offsets strictly decrease: after the predictor (all its
  /// levels, so the shared kernels are complete), after the FPN, after each backbone unit,
  /// and 0 last. Called on the calling thread.
  public func backward(dBoxEncodings: Tensor, dClassLogits: Tensor, onGradientsReady: ((Int) -> Void)? = nil) {
    BLASRuntime.forTrainingPass {
      backwardPass(dBoxEncodings: dBoxEncodings, dClassLogits: dClassLogits, onGradientsReady: onGradientsReady)
    }
  }

  private func backwardPass(dBoxEncodings: Tensor, dClassLogits: Tensor, onGradientsReady: ((Int) -> Void)?) {
    let dP = predictor.backward(dBoxEncodings: dBoxEncodings, dClassLogits: dClassLogits, params: params)
    onGradientsReady?(predictorOffset)
    let dC = fpn.backward(dP, params: params)
    onGradientsReady?(fpnOffset)
    var dEnd = [Tensor?](repeating: nil, count: backbone.blocks.count)
    for (i, g) in dC.enumerated() { dEnd[config.minLevel - 2 + i] = g }
    backbone.backward(dEnd, params: params, onGradientsReady: onGradientsReady)
  }
}
