#!/usr/bin/env python3
"""Records the distribution of TensorFlow's sample_distorted_bounding_box crop windows, into
Tests/Fixtures/crop_sampler.json (read by DataTests/CropSamplerDistributionTests). TF's
Philox sequence cannot be reproduced, so the test compares distributions: histograms of crop
height, width, y and x offsets over many draws, and how often the whole image is returned.

Usage (TensorFlow 2.x CPU):
    pip install tensorflow-cpu numpy
    python3 scripts/gen-crop-sampler-fixtures.py Tests/Fixtures/crop_sampler.json
"""
import collections
import json
import sys

import numpy as np
import tensorflow as tf

DRAWS = 20000

CONFIGS = [
    # SSD320 v1.2 config values, landscape image, no boxes (the whole image stands in).
    {"name": "ssd320 640x480 no boxes", "height": 480, "width": 640, "boxes": [],
     "min_object_covered": 0.0, "aspect_ratio_range": [0.75, 3.0], "area_range": [0.75, 1.0]},
    # SSD320 values, portrait image with boxes.
    {"name": "ssd320 500x333 with boxes", "height": 500, "width": 333,
     "boxes": [[0.1, 0.2, 0.5, 0.6], [0.6, 0.0, 1.0, 0.3]],
     "min_object_covered": 0.0, "aspect_ratio_range": [0.75, 3.0], "area_range": [0.75, 1.0]},
    # Proto defaults (min_object_covered 1, aspect 0.75...1.33, area 0.1...1): coverage matters.
    {"name": "defaults 200x300 two boxes", "height": 200, "width": 300,
     "boxes": [[0.05, 0.1, 0.35, 0.3], [0.5, 0.55, 0.95, 0.95]],
     "min_object_covered": 1.0, "aspect_ratio_range": [0.75, 1.33], "area_range": [0.1, 1.0]},
]


def main(out):
    results = []
    for c in CONFIGS:
        boxes = np.array(c["boxes"], dtype=np.float32).reshape(1, -1, 4)
        hist = {k: collections.Counter() for k in ("h", "w", "y", "x")}
        whole = 0
        fn = tf.function(lambda seed: tf.image.stateless_sample_distorted_bounding_box(
            [c["height"], c["width"], 3], bounding_boxes=boxes, seed=seed,
            min_object_covered=c["min_object_covered"], aspect_ratio_range=c["aspect_ratio_range"],
            area_range=c["area_range"], max_attempts=100, use_image_if_no_bounding_boxes=True))
        for i in range(DRAWS):
            begin, size, _ = fn(tf.constant([i, 12345], dtype=tf.int64))
            y, x = int(begin[0]), int(begin[1])
            h, w = int(size[0]), int(size[1])
            hist["h"][h] += 1
            hist["w"][w] += 1
            hist["y"][y] += 1
            hist["x"][x] += 1
            if h == c["height"] and w == c["width"]:
                whole += 1
        r = dict(c)
        r["draws"] = DRAWS
        r["whole_image"] = whole
        for k, v in hist.items():
            r["hist_" + k] = {str(a): n for a, n in sorted(v.items())}
        results.append(r)
    with open(out, "w") as f:
        json.dump({"generator": "scripts/gen-crop-sampler-fixtures.py", "tensorflow": tf.__version__,
                   "configs": results}, f, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/crop_sampler.json")
