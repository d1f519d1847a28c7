#!/usr/bin/env python3
"""Records TensorFlow's outputs for the image ops the input pipeline re-implements, as exact
float32 bit patterns, into Tests/Fixtures/image_ops.json (read by DataTests/TFImageOpsTests).

Usage (TensorFlow 2.x CPU, any recent version; the ops are the TF1-compatible ones):
    pip install tensorflow-cpu numpy
    python3 scripts/gen-image-op-fixtures.py Tests/Fixtures/image_ops.json

Recorded, for a fixed pseudo-random 12x17 RGB uint8 image cast to float32:
- resize: tf.compat.v1.image.resize_bilinear(align_corners=False, half_pixel_centers=False)
  (what resize_images(BILINEAR) does in TF1) to 9x7 and 20x26, also after a flip and a crop;
- colour ops exactly as the Object Detection API's preprocessor.py applies them:
  clip(tf.image.adjust_*(image / 255, p) * 255, 0, 255).
"""
import json
import sys

import numpy as np
import tensorflow as tf

tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.threading.set_intra_op_parallelism_threads(1)


def bits(a):
    return np.asarray(a, dtype=np.float32).reshape(-1).view(np.uint32).tolist()


def main(out):
    rng = np.random.RandomState(20261126)
    h, w = 12, 17
    image_u8 = rng.randint(0, 256, size=(h, w, 3)).astype(np.uint8)
    image = tf.constant(image_u8.astype(np.float32))
    cases = []

    def resize(name, img, oh, ow):
        out = tf.compat.v1.image.resize_bilinear(img[None], [oh, ow], align_corners=False,
                                                 half_pixel_centers=False)[0]
        cases.append({"op": "resize", "name": name, "height": oh, "width": ow, "output": bits(out.numpy())})

    resize("resize 9x7", image, 9, 7)
    resize("resize 20x26", image, 20, 26)
    flipped = tf.image.flip_left_right(image)
    cropped = tf.slice(flipped, [2, 3, 0], [8, 11, -1])
    cases.append({"op": "flip_crop", "name": "flip then crop [2,3,8,11]", "y": 2, "x": 3, "h": 8, "w": 11,
                  "output": bits(cropped.numpy())})
    resize_fc = tf.compat.v1.image.resize_bilinear(cropped[None], [13, 10], align_corners=False,
                                                   half_pixel_centers=False)[0]
    cases.append({"op": "flip_crop_resize", "name": "flip, crop [2,3,8,11], resize 13x10", "y": 2, "x": 3,
                  "h": 8, "w": 11, "height": 13, "width": 10, "output": bits(resize_fc.numpy())})

    def color(op, param):
        x = image / 255
        if op == "brightness":
            y = tf.image.adjust_brightness(x, param)
        elif op == "contrast":
            y = tf.image.adjust_contrast(x, param)
        elif op == "saturation":
            y = tf.image.adjust_saturation(x, param)
        else:
            y = tf.image.adjust_hue(x, param)
        y = tf.clip_by_value(y * 255, 0.0, 255.0)
        cases.append({"op": op, "name": f"{op} {param}", "param_bits": bits([param])[0], "output": bits(y.numpy())})

    for op, params in [("brightness", [0.13, -0.2]), ("contrast", [0.8, 1.25]), ("saturation", [0.5, 1.4]),
                       ("hue", [0.02, -0.15])]:
        for p in params:
            color(op, np.float32(p))

    doc = {"generator": "scripts/gen-image-op-fixtures.py", "tensorflow": tf.__version__,
           "height": h, "width": w, "image": image_u8.reshape(-1).tolist(), "cases": cases}
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/image_ops.json")
