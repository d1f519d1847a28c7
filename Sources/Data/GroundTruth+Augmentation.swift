/// Box transforms of the augmentations (spec §2.2), float32 exactly as the OD API computes them.
extension GroundTruth {
  /// `_flip_boxes_left_right`: [ymin, 1 − xmax, ymax, 1 − xmin].
  public func flippedLeftRight() -> GroundTruth {
    var out = self
    out.boxes = boxes.map { BoundingBox(ymin: $0.ymin, xmin: 1 - $0.xmax, ymax: $0.ymax, xmax: 1 - $0.xmin) }
    return out
  }

  /// The boxes clipped to [0, 1] (what `random_crop_image` hands the window sampler).
  public var clippedBoxes: [BoundingBox] {
    boxes.map {
      BoundingBox(ymin: min(max($0.ymin, 0), 1), xmin: min(max($0.xmin, 0), 1),
                  ymax: min(max($0.ymax, 0), 1), xmax: min(max($0.xmax, 0), 1))
    }
  }

  /// The ground truth of an image cropped to `window` (`_strict_random_crop_image`):
  /// 1. drop boxes completely outside the window (`ymin ≥ win.ymax`, `xmin ≥ win.xmax`,
  ///    `ymax ≤ win.ymin` or `xmax ≤ win.xmin`);
  /// 2. keep boxes with area(box ∩ window) / area(box) ≥ `overlapThresh` (0/0 = NaN fails,
  ///    so zero-area boxes are dropped even at threshold 0);
  /// 3. re-express in the window frame: `(y − win.ymin)·(1/(win.ymax − win.ymin))`, same for x;
  /// 4. clip to [0, 1] if `clip`.
  /// Uses the unclipped boxes; classes and weights follow the kept boxes.
  public func cropped(to window: BoundingBox, overlapThresh: Float, clip: Bool) -> GroundTruth {
    var keep = [Int]()
    for (i, b) in boxes.enumerated() {
      if b.ymin >= window.ymax || b.xmin >= window.xmax || b.ymax <= window.ymin || b.xmax <= window.xmin {
        continue
      }
      let ih = max(0, min(window.ymax, b.ymax) - max(window.ymin, b.ymin))
      let iw = max(0, min(window.xmax, b.xmax) - max(window.xmin, b.xmin))
      let ioa = (ih * iw) / b.area
      if ioa >= overlapThresh { keep.append(i) }
    }
    var out = selecting(keep)
    let yScale = 1 / (window.ymax - window.ymin), xScale = 1 / (window.xmax - window.xmin)
    out.boxes = out.boxes.map { b in
      var n = BoundingBox(ymin: yScale * (b.ymin - window.ymin), xmin: xScale * (b.xmin - window.xmin),
                          ymax: yScale * (b.ymax - window.ymin), xmax: xScale * (b.xmax - window.xmin))
      if clip {
        n = BoundingBox(ymin: min(max(n.ymin, 0), 1), xmin: min(max(n.xmin, 0), 1),
                        ymax: min(max(n.ymax, 0), 1), xmax: min(max(n.xmax, 0), 1))
      }
      return n
    }
    return out
  }
}
