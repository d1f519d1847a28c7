extension Detections {
  /// Rebuilds detections received from another process (the distributed evaluation gathers
  /// each worker's results at the coordinator). Shapes as documented on the properties.
  public init(receivedBoxes boxes: [Float], scores: [Float], classes: [Int], anchorIndices: [Int], count: Int) {
    precondition(boxes.count == 4 * scores.count && classes.count == scores.count && anchorIndices.count == scores.count
                 && (0...scores.count).contains(count),
                 "Detections needs 4 box coordinates, one class and one anchor per score and count ≤ rows; got "
                   + "\(boxes.count), \(scores.count), \(classes.count), \(anchorIndices.count), count \(count)")
    self.boxes = boxes
    self.scores = scores
    self.classes = classes
    self.anchorIndices = anchorIndices
    self.count = count
  }
}
