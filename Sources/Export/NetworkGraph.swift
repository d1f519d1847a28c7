import Model

/// Emits an `SSDNetwork` in inference mode as ONNX nodes (spec §3), NCHW inside the graph:
///
///     image [N, H, W, 3] → Sub(channel means) → Transpose → ResNet → FPN → towers/heads
///     → box_encodings [N, A, 4], class_predictions [N, A, K+1] (logits, slot 0 background)
///
/// Batch norm uses the moving statistics. A convolution applied once has its batch norm
/// folded in: kernel·scale (per output channel) and bias = shift (+ its own bias·scale),
/// with `scale`/`shift` from `BatchNorm.inferenceAffine`, the map our forward pass applies.
/// The predictor towers share one kernel across pyramid levels but have a batch norm per
/// level, so their kernels are stored once and each level gets `Mul(scale)` + `Add(shift)`
/// after the convolution (folding would store the kernel once per level). Kernels are
/// HWIO in the arena and OIHW in ONNX. Activations: relu6 = `Clip(0, 6)`, relu = `Relu`.
///
/// Initializer names are the TensorFlow variable scopes: `<scope>/weights_folded`,
/// `<scope>/biases_folded` (batch norm folded), `<scope>/weights`, `<scope>/biases` (as in
/// the checkpoint, transposed), `<scope>/BatchNorm/feature_<f>/scale|shift` (tower levels).
struct NetworkGraph {
  let network: SSDNetwork
  let b: GraphBuilder
  private var params: ParameterStore { network.params }
  private var config: SSDConfig { network.config }

  init(network: SSDNetwork, builder: GraphBuilder) {
    self.network = network
    b = builder
  }

  /// Emits the network on the graph input `image`; returns the raw output value names.
  func emit(image: String, channelMeans: [Float]) -> (boxEncodings: String, classPredictions: String) {
    let n = GraphBuilder.batch
    let h = config.imageHeight, w = config.imageWidth
    let centered = b.node("Sub", [image, b.constant("channel_means", floats: channelMeans)], scope: "Preprocessor",
                          dims: [n, .fixed(h), .fixed(w), .fixed(3)])
    let nchw = b.node("Transpose", [centered], [ONNXAttribute("perm", .ints([0, 3, 1, 2]))], scope: "Preprocessor",
                      dims: [n, .fixed(3), .fixed(h), .fixed(w)])
    let endPoints = backbone(nchw)
    let c = Array(endPoints[(config.minLevel - 2)...(config.baseMaxLevel - 2)])
    let p = pyramid(c)
    return predictor(p)
  }

  // MARK: Layers

  /// TensorFlow scope of a convolution (its `weights` variable without `/weights`).
  private func scope(_ conv: Conv2D) -> String {
    let name = params.variables[conv.weight.index].name
    return name.hasSuffix("/weights") ? String(name.dropLast("/weights".count)) : name
  }

  /// ONNX `pads` (top, left, bottom, right) and output size of a convolution or pooling
  /// window over an input of `h`×`w`, with our padding rules (`ConvPadding`).
  static func geometry(h: Int, w: Int, kernel k: Int, stride s: Int, padding: ConvPadding)
    -> (pads: [Int], outH: Int, outW: Int) {
    func axis(_ n: Int) -> (before: Int, after: Int, out: Int) {
      let g = AxisGeometry(input: n, kernel: k, stride: s, padding: padding)
      // ONNX: out = floor((n + before + after − k) / s) + 1; the smallest `after` giving
      // our output size is the one TensorFlow uses (SAME: total − before; conv2d_same with
      // stride > 1: k − 1 − before, of which any excess is never read).
      let after: Int
      switch padding {
      case .conv2dSame where s > 1: after = k - 1 - g.padBefore
      case .valid: after = 0
      default: after = max((g.output - 1) * s + k - n, 0) - g.padBefore
      }
      return (g.padBefore, after, g.output)
    }
    let y = axis(h), x = axis(w)
    return ([y.before, x.before, y.after, x.after], y.out, x.out)
  }

  /// The kernel in OIHW order, each output channel multiplied by `scale[o]` when given.
  private func kernelOIHW(_ conv: Conv2D, scale: [Float]?) -> [Float] {
    let hwio = params.read(conv.weight)
    let k = conv.kernel, ci = conv.inChannels, co = conv.outChannels
    var out = [Float](repeating: 0, count: hwio.count)
    for o in 0..<co {
      let s = scale?[o]
      for i in 0..<ci {
        for y in 0..<k {
          for x in 0..<k {
            let v = hwio[((y * k + x) * ci + i) * co + o]
            out[((o * ci + i) * k + y) * k + x] = s.map { v * $0 } ?? v
          }
        }
      }
    }
    return out
  }

  /// A `Conv` node with attributes for `conv`'s geometry on input `x`.
  private func convNode(_ conv: Conv2D, _ x: String, weights: String, bias: String?, scope: String,
                        output: String? = nil) -> String {
    let (h, w) = (b.size(x, 2), b.size(x, 3))
    precondition(b.size(x, 1) == conv.inChannels, "\(scope): \(conv.inChannels) input channels expected, \(b.dims(x)) given")
    let g = Self.geometry(h: h, w: w, kernel: conv.kernel, stride: conv.stride, padding: conv.padding)
    return b.node("Conv", [x, weights] + (bias.map { [$0] } ?? []),
                  [ONNXAttribute("kernel_shape", .ints([conv.kernel, conv.kernel])),
                   ONNXAttribute("strides", .ints([conv.stride, conv.stride])),
                   ONNXAttribute("pads", .ints(g.pads))],
                  scope: scope, dims: [GraphBuilder.batch, .fixed(conv.outChannels), .fixed(g.outH), .fixed(g.outW)],
                  output: output)
  }

  private func activation(_ act: Activation, _ x: String, scope: String) -> String {
    switch act {
    case .none: return x
    case .relu: return b.node("Relu", [x], scope: scope, dims: b.dims(x))
    case .relu6: return b.node("Clip", [x, b.scalar("zero", 0), b.scalar("six", 6)], scope: scope, dims: b.dims(x))
    }
  }

  /// conv → batch norm (folded) → activation; `applyActivation` false leaves the
  /// activation to the caller (after a residual add).
  private func convBN(_ conv: Conv2D, _ bn: BatchNorm?, _ x: String, applyActivation: Bool = true) -> String {
    let s = scope(conv)
    var weights: String, bias: String?
    if let bn {
      let (scale, shift) = bn.inferenceAffine(params: params)
      var folded = shift
      if let cb = conv.bias {
        let v = params.read(cb)
        for o in folded.indices { folded[o] = v[o] * scale[o] + shift[o] }
      }
      weights = b.floats(s + "/weights_folded", [conv.outChannels, conv.inChannels, conv.kernel, conv.kernel],
                         kernelOIHW(conv, scale: scale))
      bias = b.floats(s + "/biases_folded", [conv.outChannels], folded)
    } else {
      weights = b.floats(s + "/weights", [conv.outChannels, conv.inChannels, conv.kernel, conv.kernel],
                         kernelOIHW(conv, scale: nil))
      bias = conv.bias.map { b.floats(s + "/biases", [conv.outChannels], params.read($0)) }
    }
    let y = convNode(conv, x, weights: weights, bias: bias, scope: s)
    guard let bn, applyActivation else { return y }
    return activation(bn.activation, y, scope: s)
  }

  // MARK: Backbone (spec §3.2)

  private func backbone(_ images: String) -> [String] {
    let net = network.backbone
    let root = config.backboneScope
    var x = convBN(net.conv1, net.bn1, images)
    let g = Self.geometry(h: b.size(x, 2), w: b.size(x, 3), kernel: net.pool1.kernel, stride: net.pool1.stride,
                          padding: .same)
    x = b.node("MaxPool", [x], [ONNXAttribute("kernel_shape", .ints([net.pool1.kernel, net.pool1.kernel])),
                                ONNXAttribute("strides", .ints([net.pool1.stride, net.pool1.stride])),
                                ONNXAttribute("pads", .ints(g.pads))],
               scope: root + "/pool1", dims: [GraphBuilder.batch, .fixed(b.size(x, 1)), .fixed(g.outH), .fixed(g.outW)])
    var endPoints: [String] = []
    for (k, units) in net.blocks.enumerated() {
      for unit in units { x = bottleneck(unit, x) }
      endPoints.append(x)
      if k < net.blocks.count - 1 {
        // subsample2x: out[i, j] = in[2i, 2j].
        let (h, w) = (b.size(x, 2), b.size(x, 3))
        x = b.node("Slice", [x, b.constant("zeros2", int64s: [0, 0]), b.constant("int64_max2", int64s: [Int64.max, Int64.max]),
                             b.constant("axes_hw", int64s: [2, 3]), b.constant("steps2", int64s: [2, 2])],
                   scope: "\(root)/block\(k + 1)/subsample",
                   dims: [GraphBuilder.batch, .fixed(b.size(x, 1)), .fixed((h + 1) / 2), .fixed((w + 1) / 2)])
      }
    }
    return endPoints
  }

  private func bottleneck(_ u: BottleneckUnit, _ x: String) -> String {
    var shortcut = x
    if let sc = u.shortcutConv { shortcut = convBN(sc, u.shortcutBN, x) }
    var h = convBN(u.conv1, u.bn1, x)
    h = convBN(u.conv2, u.bn2, h)
    h = convBN(u.conv3, u.bn3, h, applyActivation: false)
    let s = scope(u.conv3)
    let sum = b.node("Add", [h, shortcut], scope: s.replacingOccurrences(of: "/conv3", with: ""), dims: b.dims(h))
    return activation(u.bn3.activation, sum, scope: s.replacingOccurrences(of: "/conv3", with: ""))
  }

  // MARK: FPN (spec §3.3)

  private func pyramid(_ c: [String]) -> [String] {
    let fpn = network.fpn
    let k = fpn.projections.count
    var p = [String](repeating: "", count: k)
    var top = convBN(fpn.projections[k - 1], nil, c[k - 1])
    p[k - 1] = top
    for i in stride(from: k - 2, through: 0, by: -1) {
      let lateral = convBN(fpn.projections[i], nil, c[i])
      let s = scope(fpn.projections[i])
      var up = b.dims(top)
      up[2] = .fixed(2 * b.size(top, 2)); up[3] = .fixed(2 * b.size(top, 3))
      // Nearest-neighbour 2× upsampling: out[2i + a, 2j + b] = in[i, j].
      let upsampled = b.node("Resize", [top, "", b.constant("upsample_scales", floats: [1, 1, 2, 2])],
                             [ONNXAttribute("mode", .string("nearest")),
                              ONNXAttribute("coordinate_transformation_mode", .string("asymmetric")),
                              ONNXAttribute("nearest_mode", .string("floor"))],
                             scope: s + "/upsample", dims: up)
      top = b.node("Add", [lateral, upsampled], scope: s + "/top_down", dims: b.dims(lateral))
      p[i] = convBN(fpn.smoothing[i], fpn.smoothingBN[i], top)
    }
    var out = p
    var last = out[k - 1]
    for j in 0..<fpn.bottomUp.count {
      last = convBN(fpn.bottomUp[j], fpn.bottomUpBN[j], last)
      out.append(last)
    }
    return out
  }

  // MARK: Predictor (spec §3.4)

  private func predictor(_ features: [String]) -> (boxEncodings: String, classPredictions: String) {
    let pr = network.predictor
    func tower(_ convs: [[Conv2D]], _ bns: [[BatchNorm]], _ x: String, level f: Int) -> String {
      var y = x
      for (i, layer) in convs.enumerated() {
        let conv = layer[f], bn = bns[i][f]
        let s = scope(conv)
        let weights = b.floats(s + "/weights", [conv.outChannels, conv.inChannels, conv.kernel, conv.kernel],
                               kernelOIHW(conv, scale: nil))
        let bnScope = "\(s)/BatchNorm/feature_\(f)"
        let (scale, shift) = bn.inferenceAffine(params: params)
        y = convNode(conv, y, weights: weights, bias: nil, scope: bnScope)
        y = b.node("Mul", [y, b.floats(bnScope + "/scale", [conv.outChannels, 1, 1], scale)], scope: bnScope, dims: b.dims(y))
        y = b.node("Add", [y, b.floats(bnScope + "/shift", [conv.outChannels, 1, 1], shift)], scope: bnScope, dims: b.dims(y))
        y = activation(bn.activation, y, scope: bnScope)
      }
      return y
    }
    func head(_ conv: Conv2D, _ x: String, code: Int, level f: Int) -> String {
      let s = scope(conv)
      let weights = b.floats(s + "/weights", [conv.outChannels, conv.inChannels, conv.kernel, conv.kernel],
                             kernelOIHW(conv, scale: nil))
      let bias = b.floats(s + "/biases", [conv.outChannels], params.read(conv.bias!))
      let ls = "\(s)/level_\(f)"
      let y = convNode(conv, x, weights: weights, bias: bias, scope: ls)
      let (h, w, ch) = (b.size(y, 2), b.size(y, 3), b.size(y, 1))
      let nhwc = b.node("Transpose", [y], [ONNXAttribute("perm", .ints([0, 2, 3, 1]))], scope: ls,
                        dims: [GraphBuilder.batch, .fixed(h), .fixed(w), .fixed(ch)])
      let rows = h * w * ch / code
      return b.node("Reshape", [nhwc, b.constant("rows_\(rows)_\(code)", int64s: [0, Int64(rows), Int64(code)])],
                    scope: ls, dims: [GraphBuilder.batch, .fixed(rows), .fixed(code)])
    }
    var boxes: [String] = [], logits: [String] = []
    for (f, x) in features.enumerated() {
      boxes.append(head(pr.boxHead[f], tower(pr.boxTower, pr.boxBN, x, level: f), code: 4, level: f))
      logits.append(head(pr.classHead[f], tower(pr.classTower, pr.classBN, x, level: f), code: pr.classSlots, level: f))
    }
    let a = config.numAnchors
    let boxOut = b.node("Concat", boxes, [ONNXAttribute("axis", .int(1))], scope: "WeightSharedConvolutionalBoxPredictor",
                        dims: [GraphBuilder.batch, .fixed(a), .fixed(4)], output: "box_encodings")
    let clsOut = b.node("Concat", logits, [ONNXAttribute("axis", .int(1))], scope: "WeightSharedConvolutionalBoxPredictor",
                        dims: [GraphBuilder.batch, .fixed(a), .fixed(pr.classSlots)], output: "class_predictions")
    return (boxOut, clsOut)
  }
}
