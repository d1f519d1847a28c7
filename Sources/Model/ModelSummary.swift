/// The variable list and size figures of an `SSDConfig`'s network, as `ssd model summary`
/// prints them: one line per variable (`name [shape]`, TF order), then
///
///     variables: 463 (trainable 269)
///     trainable parameters: 32840570
///     total parameters: 32916218
///     anchors: 12804
///     forward MACs per image: 22307953664
///
/// (figures for `.ssd320`). MACs count convolutions only, H_out·W_out·kh·kw·Cin·Cout, with
/// every backbone conv at stride 1 as the TF graph runs them (spec §3.8). A last line,
/// `forward MACs per image as run: N`, counts the GEMM multiply-adds training's forward
/// performs: the same convolutions, but 3×3 stride-1 ones run as Winograd
/// (`Winograd.variant`): 36·Cin·Cout per 4×4 output tile with F(4×4, 3×3) instead of 144,
/// 16·Cin·Cout per 2×2 tile with F(2×2, 3×3) instead of 36, the applications of a shared
/// tower kernel choosing together (transforms not counted).
public struct ModelSummary {
  public struct Entry: Equatable {
    public let name: String
    public let shape: [Int]
    public let trainable: Bool
  }

  public let variables: [Entry]
  public let trainableVariables: Int
  public let trainableParameters: Int
  public let totalParameters: Int
  public let regularizedKernels: Int
  public let anchors: Int
  public let forwardMACs: Int
  /// GEMM multiply-adds actually run per image (Winograd on 3×3 stride-1 convs).
  public let forwardMACsAsRun: Int

  /// Lays the network out (no values) to read its variables.
  public init(config: SSDConfig) {
    var rng = SplitMix64(seed: 0)
    let net = SSDNetwork(config: config, rng: &rng, layoutOnly: true)
    self.init(network: net)
  }

  public init(network net: SSDNetwork) {
    let config = net.config
    variables = net.params.variables.map { Entry(name: $0.name, shape: $0.shape, trainable: $0.param.trainable) }
    trainableVariables = net.params.variables.filter { $0.param.trainable }.count
    trainableParameters = net.params.trainableCount
    totalParameters = net.params.totalCount
    regularizedKernels = net.params.variables.filter(\.regularized).count
    anchors = config.numAnchors
    forwardMACs = ModelSummary.forwardMACs(network: net, asRun: false)
    forwardMACsAsRun = ModelSummary.forwardMACs(network: net, asRun: true)
  }

  /// Conv MACs per image of one forward pass, walking the network's convs at the spatial
  /// sizes they run at; `asRun` counts Winograd convs by their GEMM work.
  public static func forwardMACs(network net: SSDNetwork, asRun: Bool) -> Int {
    let config = net.config
    /// MACs of the applications of one kernel at the sizes (h, w) of `sizes`.
    func macs(_ conv: Conv2D, _ sizes: [(height: Int, width: Int)]) -> Int {
      let shapes = sizes.map {
        ConvShape(batch: 1, inHeight: $0.height, inWidth: $0.width, inChannels: conv.inChannels,
                  outChannels: conv.outChannels, kernel: conv.kernel, stride: conv.stride, padding: conv.padding)
      }
      if asRun && conv.useWinograd && shapes.allSatisfy(Winograd.applies(to:)) {
        let v = Winograd.variant(for: shapes, training: true)
        return shapes.map { Winograd.tiles($0, v) * v.planes * $0.inChannels * $0.outChannels }.reduce(0, +)
      }
      return shapes.map(\.macs).reduce(0, +)
    }
    func macs(_ conv: Conv2D, _ h: Int, _ w: Int) -> Int { macs(conv, [(h, w)]) }
    var total = 0
    let b = net.backbone
    total += macs(b.conv1, config.imageHeight, config.imageWidth)
    for (i, units) in b.blocks.enumerated() {
      let f = config.featureSize(level: i + 2)
      for u in units { for c in u.convs { total += macs(c, f.height, f.width) } }
    }
    let fpn = net.fpn
    for (i, p) in fpn.projections.enumerated() {
      let f = config.featureSize(level: config.minLevel + i)
      total += macs(p, f.height, f.width)
    }
    for (i, s) in fpn.smoothing.enumerated() {
      let f = config.featureSize(level: config.minLevel + i)
      total += macs(s, f.height, f.width)
    }
    for (j, c) in fpn.bottomUp.enumerated() {
      let f = config.featureSize(level: config.baseMaxLevel + j)
      total += macs(c, f.height, f.width)
    }
    let pr = net.predictor
    let levels = (0..<pr.levels).map { config.featureSize(level: config.minLevel + $0) }.map { ($0.height, $0.width) }
    for layer in pr.boxTower + pr.classTower { total += macs(layer[0], levels) }
    total += macs(pr.boxHead[0], levels) + macs(pr.classHead[0], levels)
    return total
  }

  /// The printed lines.
  public var lines: [String] {
    variables.map { "\($0.name) [\($0.shape.map(String.init).joined(separator: ", "))]" } + [
      "variables: \(variables.count) (trainable \(trainableVariables))",
      "trainable parameters: \(trainableParameters)",
      "total parameters: \(totalParameters)",
      "anchors: \(anchors)",
      "forward MACs per image: \(forwardMACs)",
      "forward MACs per image as run: \(forwardMACsAsRun)",
    ]
  }
}
