/// A ResNet v1 bottleneck unit (slim `bottleneck_v1`) run at stride 1, as
/// `store_non_strided_activations` runs every unit:
///
///     shortcut = x                      if Cin == D
///              = BN(conv1x1_D(x))       otherwise (no activation)
///     h = relu6(BN(conv1x1_d(x)))
///     h = relu6(BN(conv3x3_d(h)))       conv2d_same, stride 1 = SAME
///     y = relu(BN(conv1x1_D(h)) + shortcut)
///
/// Scope `<block>/unit_<k>/bottleneck_v1`; variables in TF order: shortcut, conv1, conv2,
/// conv3, each `weights` then `BatchNorm/{gamma,beta,moving_mean,moving_variance}`.
///
/// In training the two inner activations (the inputs of conv2 and conv3) are not kept:
/// backward recomputes each from its batch norm's kept input just before it is needed
/// (`BatchNorm.releaseOutput`), unless `recomputesActivations` is false.
public final class BottleneckUnit {
  public let shortcutConv: Conv2D?, shortcutBN: BatchNorm?
  public let conv1: Conv2D, bn1: BatchNorm
  public let conv2: Conv2D, bn2: BatchNorm
  public let conv3: Conv2D, bn3: BatchNorm
  /// Drop the inner activations after forward and recompute them in backward (same bits).
  public var recomputesActivations = true

  public init(scope: String, inDepth: Int, depth: Int, bottleneck: Int, epsilon: Float, decay: Float,
              params: ParameterStore, rng: inout SplitMix64, scratch: ScratchArena) {
    let w = Initializer.truncatedNormal(stddev: 0.03)
    func conv(_ name: String, _ cin: Int, _ cout: Int, _ k: Int, _ act: Activation,
              _ rng: inout SplitMix64) -> (Conv2D, BatchNorm) {
      let c = Conv2D(scope: scope + "/" + name, inChannels: cin, outChannels: cout, kernel: k,
                     padding: .conv2dSame, weightInit: w, params: params, rng: &rng, scratch: scratch)
      let b = BatchNorm(scope: scope + "/" + name + "/BatchNorm", channels: cout, epsilon: epsilon,
                        decay: decay, activation: act, params: params, rng: &rng)
      return (c, b)
    }
    if inDepth != depth {
      let (c, b) = conv("shortcut", inDepth, depth, 1, .none, &rng)
      shortcutConv = c; shortcutBN = b
    } else {
      shortcutConv = nil; shortcutBN = nil
    }
    (conv1, bn1) = conv("conv1", inDepth, bottleneck, 1, .relu6, &rng)
    (conv2, bn2) = conv("conv2", bottleneck, bottleneck, 3, .relu6, &rng)
    (conv3, bn3) = conv("conv3", bottleneck, depth, 1, .relu, &rng)
  }

  public var batchNorms: [BatchNorm] { [shortcutBN, bn1, bn2, bn3].compactMap { $0 } }
  public var convs: [Conv2D] { [shortcutConv, conv1, conv2, conv3].compactMap { $0 } }

  /// [N, H, W, Cin] → [N, H, W, D].
  public func forward(_ x: Tensor, params: ParameterStore) -> Tensor {
    var shortcut = x
    if let shortcutConv, let shortcutBN {
      shortcut = shortcutBN.forward(shortcutConv.forward(x, params: params), params: params)
    }
    var h = conv1.forward(x, params: params, then: bn1)
    h = conv2.forward(h, params: params, then: bn2)  // forward-only runs: Winograd F(4×4), BN folded in
    if recomputesActivations { bn1.releaseOutput(savedBy: conv2) }
    h = conv3.forward(h, params: params)
    if recomputesActivations { bn2.releaseOutput(savedBy: conv3) }
    return bn3.forward(consume h, residual: shortcut, params: params)
  }

  /// dOutput → dInput; parameter gradients accumulate in `params`.
  public func backward(_ dy: Tensor, params: ParameterStore) -> Tensor {
    let (d3, dShortcut) = bn3.backward(dy, params: params)
    bn2.restoreOutput(for: conv3)
    var dh = conv3.backward(d3, params: params)!
    dh = bn2.backward(dh, params: params).dx
    bn1.restoreOutput(for: conv2)
    dh = conv2.backward(dh, params: params)!
    dh = bn1.backward(dh, params: params).dx
    let dx = conv1.backward(dh, params: params)!
    if let shortcutConv, let shortcutBN {
      let ds = shortcutBN.backward(dShortcut!, params: params).dx
      return Resample.add(dx, shortcutConv.backward(ds, params: params)!)
    }
    return Resample.add(dx, dShortcut!)
  }
}
