/// The FPN of `ssd_resnet_v1_fpn` (spec §3.3), scope `<backbone>/fpn`. With k backbone
/// levels C_min…C_base (base = min(maxLevel, 5)):
///
///     T_base = projection_k(C_base)                       1×1 + bias, linear; P_base = T_base
///     T_l = upsample2x(T_{l+1}) + projection_i(C_l)       i = l − min + 1, 1×1 + bias, linear
///     P_l = relu6(BN(smoothing_i(T_l)))                   3×3 SAME, no bias
///     P_{l+1} = relu6(BN(bottom_up_block{l}(P_l)))        3×3/2 SAME, for l = base…max−1
///
/// The top-down path runs on the un-smoothed sums T. Variables in TF creation order:
/// projection_k, then per level downwards projection_i, smoothing_i, then bottom_up_block*.
public final class FeaturePyramid {
  public let minLevel: Int, baseLevel: Int, maxLevel: Int
  /// projections[i] is applied to C_{minLevel+i}.
  public private(set) var projections: [Conv2D] = []
  /// smoothing[i] / smoothingBN[i] make P_{minLevel+i}, for i < base − min.
  public private(set) var smoothing: [Conv2D] = []
  public private(set) var smoothingBN: [BatchNorm] = []
  /// bottomUp[j] makes P_{base+1+j}.
  public private(set) var bottomUp: [Conv2D] = []
  public private(set) var bottomUpBN: [BatchNorm] = []

  /// `inDepths[i]` = channels of C_{minLevel+i}.
  public init(config: SSDConfig, inDepths: [Int], params: ParameterStore, rng: inout SplitMix64,
              scratch: ScratchArena) {
    minLevel = config.minLevel; baseLevel = config.baseMaxLevel; maxLevel = config.maxLevel
    let k = baseLevel - minLevel + 1
    precondition(inDepths.count == k, "FPN needs \(k) input depths, got \(inDepths.count)")
    let scope = config.backboneScope + "/fpn"
    let depth = config.depth(config.fpnDepth)
    let w = Initializer.truncatedNormal(stddev: 0.03)
    let eps = config.batchNormEpsilon, decay = config.batchNormDecay
    var proj = [Conv2D?](repeating: nil, count: k)
    var smooth = [Conv2D?](repeating: nil, count: k - 1), smoothBN = [BatchNorm?](repeating: nil, count: k - 1)
    proj[k - 1] = Conv2D(scope: "\(scope)/projection_\(k)", inChannels: inDepths[k - 1], outChannels: depth,
                         kernel: 1, bias: true, weightInit: w, params: params, rng: &rng, scratch: scratch)
    for i in stride(from: k - 2, through: 0, by: -1) {
      proj[i] = Conv2D(scope: "\(scope)/projection_\(i + 1)", inChannels: inDepths[i], outChannels: depth,
                       kernel: 1, bias: true, weightInit: w, params: params, rng: &rng, scratch: scratch)
      smooth[i] = Conv2D(scope: "\(scope)/smoothing_\(i + 1)", inChannels: depth, outChannels: depth,
                         kernel: 3, weightInit: w, params: params, rng: &rng, scratch: scratch)
      smoothBN[i] = BatchNorm(scope: "\(scope)/smoothing_\(i + 1)/BatchNorm", channels: depth, epsilon: eps,
                              decay: decay, activation: .relu6, params: params, rng: &rng)
    }
    for l in baseLevel..<maxLevel {
      bottomUp.append(Conv2D(scope: "\(scope)/bottom_up_block\(l)", inChannels: depth, outChannels: depth,
                             kernel: 3, stride: 2, padding: .same, weightInit: w,
                             params: params, rng: &rng, scratch: scratch))
      bottomUpBN.append(BatchNorm(scope: "\(scope)/bottom_up_block\(l)/BatchNorm", channels: depth, epsilon: eps,
                                  decay: decay, activation: .relu6, params: params, rng: &rng))
    }
    projections = proj.map { $0! }
    smoothing = smooth.map { $0! }
    smoothingBN = smoothBN.map { $0! }
  }

  public var batchNorms: [BatchNorm] { smoothingBN + bottomUpBN }
  public var convs: [Conv2D] { projections + smoothing + bottomUp }

  /// C_min…C_base → P_min…P_max.
  public func forward(_ c: [Tensor], params: ParameterStore) -> [Tensor] {
    let k = projections.count
    precondition(c.count == k, "FPN expects \(k) feature maps, got \(c.count)")
    var p = [Tensor?](repeating: nil, count: k)
    var top = projections[k - 1].forward(c[k - 1], params: params)
    p[k - 1] = top
    for i in stride(from: k - 2, through: 0, by: -1) {
      let lateral = projections[i].forward(c[i], params: params)
      precondition(lateral.height == 2 * top.height && lateral.width == 2 * top.width,
                   "FPN level \(minLevel + i) is \(lateral.shape), twice \(top.shape) expected")
      top = Resample.add(lateral, Resample.upsample2x(top))
      p[i] = smoothing[i].forward(top, params: params, then: smoothingBN[i])
    }
    var out = p.map { $0! }
    var last = out[k - 1]
    for j in 0..<bottomUp.count {
      last = bottomUpBN[j].forward(bottomUp[j].forward(last, params: params), params: params)
      out.append(last)
    }
    return out
  }

  /// dP_min…dP_max → dC_min…dC_base.
  public func backward(_ dP: [Tensor], params: ParameterStore) -> [Tensor] {
    let k = projections.count
    precondition(dP.count == k + bottomUp.count, "FPN.backward expects \(k + bottomUp.count) gradients")
    // Bottom-up chain, top first: gradient into P_base accumulates.
    var dLast: Tensor? = nil
    for j in stride(from: bottomUp.count - 1, through: 0, by: -1) {
      let g = dLast.map { Resample.add(dP[k + j], $0) } ?? dP[k + j]
      dLast = bottomUp[j].backward(bottomUpBN[j].backward(g, params: params).dx, params: params)!
    }
    var dC = [Tensor?](repeating: nil, count: k)
    // dT_l for the lowest level first; the top-down sums fan out to the lateral and upward.
    var dT: Tensor? = nil  // gradient of T_{i} flowing from level i−1's upsample
    for i in 0..<(k - 1) {
      var g = smoothing[i].backward(smoothingBN[i].backward(dP[i], params: params).dx, params: params)!
      if let d = dT { g = Resample.add(g, d) }
      dC[i] = projections[i].backward(g, params: params)!
      dT = Resample.upsample2xBackward(g)
    }
    var gTop = dP[k - 1]
    if let d = dLast { gTop = Resample.add(gTop, d) }
    if let d = dT { gTop = Resample.add(gTop, d) }
    dC[k - 1] = projections[k - 1].backward(gTop, params: params)!
    return dC.map { $0! }
  }
}
