import Random

/// A deterministic, COCO-like synthetic evaluation problem, for benchmarks and tests.
///
/// Each image gets 0...14 objects (mean ~7, like COCO val) of all sizes, about 1 in 30 a
/// crowd region, and exactly `detectionsPerImage` detections (SSD always emits its top
/// 100): about half are jittered copies of the image's objects (sometimes with the wrong
/// class), the rest are background boxes; scores are rounded to 1/1000 so ties occur.
public enum COCOSyntheticData {
  public static func make(images: Int, categories: Int = 80, detectionsPerImage: Int = 100,
                          seed: UInt64 = 1) -> (groundTruth: COCO, detections: [COCODetection]) {
    precondition(images >= 0 && categories >= 1 && detectionsPerImage >= 0,
                 "COCOSyntheticData needs images >= 0, categories >= 1, detectionsPerImage >= 0")
    var rng = SplitMix64(seed: seed)
    func next() -> UInt64 { rng.next() }
    func uniform() -> Double { rng.nextUnitDouble() }
    func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }  // modulo, as the recorded problems were drawn

    var imageList: [COCOImage] = [], anns: [COCOAnnotation] = [], dets: [COCODetection] = []
    dets.reserveCapacity(images * detectionsPerImage)
    for n in 0..<images {
      let id = 100_000 + n * 7
      let width = 320 + below(320), height = 240 + below(400)
      imageList.append(COCOImage(id: id, width: width, height: height))
      var objects: [(box: COCOBox, category: Int)] = []
      for _ in 0..<below(15) {
        let side = [12.0, 50.0, 180.0][below(3)] * (0.5 + uniform())
        let box = COCOBox(x: uniform() * Double(width) * 0.8, y: uniform() * Double(height) * 0.8,
                          width: side * (0.6 + 0.8 * uniform()), height: side)
        let category = 1 + below(categories)
        let crowd = below(30) == 0
        anns.append(COCOAnnotation(id: anns.count + 1, imageID: id, categoryID: category, bbox: box,
                                   area: box.area * (crowd ? 0.5 : 0.6 + 0.4 * uniform()), isCrowd: crowd))
        objects.append((box, category))
      }
      for _ in 0..<detectionsPerImage {
        let score = (uniform() * 1000).rounded() / 1000
        if !objects.isEmpty && below(2) == 0 {
          let o = objects[below(objects.count)]
          func jitter(_ v: Double, _ scale: Double) -> Double { v + scale * 0.3 * (uniform() - 0.5) }
          let box = COCOBox(x: jitter(o.box.x, o.box.width), y: jitter(o.box.y, o.box.height),
                            width: jitter(o.box.width, o.box.width), height: jitter(o.box.height, o.box.height))
          dets.append(COCODetection(imageID: id, categoryID: below(6) == 0 ? 1 + below(categories) : o.category,
                                    bbox: box, score: score))
        } else {
          let side = 8 + uniform() * 250
          dets.append(COCODetection(imageID: id, categoryID: 1 + below(categories),
                                    bbox: COCOBox(x: uniform() * Double(width), y: uniform() * Double(height),
                                                  width: side * (0.5 + uniform()), height: side),
                                    score: score))
        }
      }
    }
    let cats = (1...categories).map { COCOCategory(id: $0, name: "class\($0)") }
    return (COCO(images: imageList, annotations: anns, categories: cats), dets)
  }
}
