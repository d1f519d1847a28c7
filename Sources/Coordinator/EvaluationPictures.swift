import Config
import Data
import Evaluation
import Events
import Inference
import Visualization
import Wire

/// The image summaries of an evaluation: for the first `eval_config.num_visualizations`
/// evaluated images (in evaluation order, as the recipe's `VisualizeSingleFrameDetections`
/// collects them), the image decoded from its record at full size with the model's detections
/// on the left and the ground truth on the right (`SideBySideDetections`, with the config's
/// `min_score_threshold` and `max_num_boxes_to_visualize`), JPEG-encoded, under
/// `Detections_Left_Groundtruth_Right/<i>/0`.
///
/// Unlike the recipe, pictures are written whether or not `retain_original_images` is set
/// (docs/model_main.md); `num_visualizations: 0` turns them off.
struct EvaluationPictures {
  let drawing: SideBySideDetections
  let count: Int
  let categories: [Int: String]

  init(evalConfig: EvalConfig, categories: [COCOCategory]) {
    var names: [Int: String] = [:]
    for c in categories { names[c.id] = c.name }
    self.categories = names
    drawing = SideBySideDetections(categories: names, maxBoxes: evalConfig.maxNumBoxesToVisualize,
                                   minScore: evalConfig.minScoreThreshold)
    count = max(0, evalConfig.numVisualizations)
  }

  /// The pictures of `images` (records read again from `source`).
  func make(_ images: [EvaluatedImage], source: any SampleSource) throws -> [(tag: String, image: SummaryImage)] {
    guard count > 0 else { return [] }
    let decoder = JPEGDecoder()
    let encoder = ImageSummaryEncoder()
    var out: [(tag: String, image: SummaryImage)] = []
    for (i, evaluated) in images.prefix(count).enumerated() {
      let sample = try source.sample(evaluated.sampleIndex)
      let picture = try decoder.decode(sample.jpeg)
      let detections = DetectedObject.from(evaluated.detections, imageHeight: picture.height, imageWidth: picture.width,
                                           categories: categories, minimumScore: 0)
      let truth = SideBySideDetections.groundTruthObjects(evaluated.groundTruth, height: picture.height,
                                                          width: picture.width)
      let drawn = drawing.render(image: picture, detections: detections, groundTruth: truth)
      out.append((EventTags.detectionImage(i), try encoder.encode(drawn)))
    }
    return out
  }
}
