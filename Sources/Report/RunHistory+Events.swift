import Events
import Foundation

/// Reading TensorBoard event files into a `RunHistory`.
extension RunHistory {
  /// Training tags → the report's per-step keys (the DLLogger names).
  static let trainingTagKeys = [
    EventTags.totalLoss: "total_loss", EventTags.classificationLoss: "classification_loss",
    EventTags.localizationLoss: "localization_loss", EventTags.regularizationLoss: "regularization_loss",
    EventTags.learningRate: "learning_rate", EventTags.imagesPerSecond: "train_throughput",
  ]

  /// The scalars of the event files directly in `directory`, read in name order with
  /// TensorBoard's rule for restarts (a session START at step s drops values at steps ≥ s
  /// read before it). Damaged files contribute the events before the damage, with a warning.
  mutating func readEvents(in directory: String) -> (files: Int, events: [TFEvent]) {
    let paths = EventFileName.files(in: directory)
    var kept: [TFEvent] = []
    for path in paths {
      let file: EventFile
      do {
        file = try EventFile.read(path: path, keepingEventsBeforeDamage: true)
      } catch {
        warnings.append("\(error)")
        continue
      }
      sources.append(path)
      if let damage = file.damage { warnings.append("\(damage) (the report uses the \(file.events.count) events before it)") }
      for e in file.events {
        if case .sessionLog(let log) = e.content, log.status == .start {
          kept.removeAll { $0.step >= e.step && !$0.summaryValues.isEmpty }
        }
        kept.append(e)
      }
    }
    return (paths.count, kept)
  }

  /// `MODEL_DIR/events.out.tfevents.*`: per-step values under the report's keys.
  mutating func readTrainingEvents(_ modelDir: String) -> (files: Int, values: [String: [Int: Double]]) {
    let (files, events) = readEvents(in: modelDir)
    var values: [String: [Int: Double]] = [:]
    let tags = Set(events.flatMap { $0.summaryValues.map(\.tag) })
    for e in events {
      for v in e.summaryValues {
        guard let x = v.scalar else { continue }
        var key = Self.trainingTagKeys[v.tag] ?? v.tag
        if v.tag == EventTags.loss {
          // TensorFlow's own training files have `loss` and no `Loss/total_loss`.
          if tags.contains(EventTags.totalLoss) { continue }
          key = "total_loss"
        }
        values[key, default: [:]][Int(clamping: e.step)] = Double(x)
      }
    }
    return (files, values)
  }

  /// An evaluation directory's event files: one evaluation point per step that has the COCO
  /// AP (with losses and per-category AP when present), and the pictures of the newest step
  /// that has any.
  mutating func readEvaluationEvents(_ directory: String, name: String)
    -> (files: Int, points: [EvaluationPoint], images: [GalleryImage]) {
    let (files, events) = readEvents(in: directory)
    var byStep: [Int: EvaluationPoint] = [:]
    var images: [Int: [GalleryImage]] = [:]
    let perCategoryPrefix = "DetectionBoxes_PerformanceByCategory/mAP/"
    for e in events {
      let step = Int(clamping: e.step)
      for v in e.summaryValues {
        var point = byStep[step] ?? EvaluationPoint(step: step, name: name, metrics: [:], perCategory: [],
                                                    source: directory)
        switch v.kind {
        case .scalar(let x):
          if v.tag.hasPrefix(perCategoryPrefix) {
            point.perCategory.append(.init(id: -1, name: String(v.tag.dropFirst(perCategoryPrefix.count)), ap: Double(x), ap50: .nan))
          } else if v.tag.hasPrefix("DetectionBoxes_") {
            point.metrics[EvaluationPoint.canonical(v.tag)] = Double(x)
          } else if v.tag.hasPrefix("Loss/") {
            point.losses[v.tag] = Double(x)
          } else {
            continue
          }
          byStep[step] = point
        case .image(let image) where v.tag.hasPrefix(EventTags.detectionImagePrefix):
          images[step, default: []].append(GalleryImage(evaluation: name, step: step, tag: v.tag, image: image,
                                                        source: directory))
        default:
          continue
        }
      }
    }
    let points = byStep.values.filter { $0.metrics["Precision/mAP"] != nil }.sorted { $0.step < $1.step }
    let newest = images.keys.max().map { step in
      images[step]!.sorted { Self.imageIndex($0.tag) < Self.imageIndex($1.tag) }
    } ?? []
    return (files, points, newest)
  }

  /// `Detections_Left_Groundtruth_Right/<i>/0` → (i, tag) for ordering pictures by index.
  static func imageIndex(_ tag: String) -> (Int, String) {
    let parts = tag.split(separator: "/")
    return (parts.count > 1 ? Int(parts[1]) ?? Int.max : Int.max, tag)
  }
}
