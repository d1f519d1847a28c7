extension PipelineConfig {
  /// A few human-readable lines describing what will be trained, for logs and `ssd config check`.
  public var summaryLines: [String] {
    let ssd = model.ssd
    var lines: [String] = []
    let fe = ssd.featureExtractor
    var input = "?"
    switch ssd.imageResizer {
    case .fixedShape(let h, let w, let method, _): input = "\(w)x\(h) (fixed_shape_resizer, \(method.rawValue))"
    case .keepAspectRatio(let lo, let hi, let method, _, _, _):
      input = "\(lo)..\(hi) (keep_aspect_ratio_resizer, \(method.rawValue))"
    }
    let fpn = fe.fpn.map { ", FPN levels \($0.minLevel)-\($0.maxLevel)" } ?? ""
    lines.append("model: \(fe.type)\(fpn), \(ssd.numClasses) classes, input \(input)")
    let a = ssd.anchorGenerator
    lines.append("anchors: levels \(a.minLevel)-\(a.maxLevel), anchor_scale \(format(a.anchorScale)), aspect ratios "
      + "[\(a.aspectRatios.map(format).joined(separator: ", "))], \(a.scalesPerOctave) scales per octave")
    let p = ssd.boxPredictor
    lines.append("box predictor: weight-shared, \(p.numLayersBeforePredictor) layers of depth \(p.depth), "
      + "kernel \(p.kernelSize), class bias init \(format(p.classPredictionBiasInit))")
    var loss = ""
    switch ssd.loss.classification {
    case .sigmoidFocal(let alpha, let gamma):
      loss = "sigmoid focal (alpha \(alpha.map(format) ?? "none"), gamma \(format(gamma)))"
    case .weightedSigmoid: loss = "weighted sigmoid"
    case .weightedSoftmax(let scale): loss = "weighted softmax (logit scale \(format(scale)))"
    }
    switch ssd.loss.localization {
    case .smoothL1(let delta): loss += " + smooth L1 (delta \(format(delta)))"
    case .l2: loss += " + L2"
    case .iou: loss += " + IoU"
    }
    lines.append("loss: \(loss)")
    let t = trainConfig
    var schedule = ""
    switch t.optimizer.learningRate {
    case .constant(let lr): schedule = "constant \(format(lr))"
    case .cosineDecay(let c):
      schedule = "cosine decay base \(format(c.learningRateBase)) over \(c.totalSteps) steps, warmup "
        + "\(format(c.warmupLearningRate)) for \(c.warmupSteps) steps"
    case .exponentialDecay(let e): schedule = "exponential decay from \(format(e.initialLearningRate))"
    case .manualStep(let m): schedule = "manual steps from \(format(m.initialLearningRate)) (\(m.schedule.count) steps)"
    }
    var optimizer = ""
    switch t.optimizer.kind {
    case .momentum(let m): optimizer = "momentum \(format(m))"
    case .rmsProp(let m, _, _): optimizer = "RMSProp momentum \(format(m))"
    case .adam: optimizer = "Adam"
    }
    lines.append("training: \(t.numSteps) steps, batch \(t.batchSize) per worker, \(optimizer), \(schedule)")
    lines.append("augmentation: " + (t.dataAugmentationOptions.isEmpty ? "none"
      : t.dataAugmentationOptions.map(\.name).joined(separator: ", ")))
    if !t.fineTuneCheckpoint.isEmpty {
      lines.append("fine-tune checkpoint: \(t.fineTuneCheckpoint) (\(t.fineTuneCheckpointType.isEmpty ? "type unset" : t.fineTuneCheckpointType))")
    }
    lines.append("train input: \(trainInputReader.inputPaths.joined(separator: ", "))")
    for (i, r) in evalInputReaders.enumerated() {
      lines.append("eval input[\(i)]: \(r.inputPaths.joined(separator: ", "))")
    }
    return lines
  }

  private func format(_ x: Float) -> String {
    x == x.rounded() && abs(x) < 1e7 ? String(Int(x)) : String(x)
  }
}
