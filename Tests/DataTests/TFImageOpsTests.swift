import Foundation
import Testing
@testable import Data

/// TensorFlow's own outputs for the image ops we re-implement, recorded as exact float32 bit
/// patterns by `python3 scripts/gen-image-op-fixtures.py Tests/Fixtures/image_ops.json`
/// (TensorFlow 2.21 CPU; TF1-compatible ops, colour ops as the OD API's preprocessor.py
/// applies them: clip(adjust(image / 255, p) * 255, 0, 255)).
private struct ImageOps {
  let image: RGBImage
  let cases: [[String: Any]]

  static func load() throws -> ImageOps {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/image_ops.json")
    let doc = try JSONSerialization.jsonObject(with: Foundation.Data(contentsOf: url)) as! [String: Any]
    let h = doc["height"] as! Int, w = doc["width"] as! Int
    let image = RGBImage(height: h, width: w, pixels: (doc["image"] as! [Int]).map { UInt8($0) })
    return ImageOps(image: image, cases: doc["cases"] as! [[String: Any]])
  }

  func cases(_ op: String) -> [[String: Any]] { cases.filter { $0["op"] as! String == op } }
}

private func floats(_ c: [String: Any], _ key: String = "output") -> [Float] {
  (c[key] as! [Int]).map { Float(bitPattern: UInt32($0)) }
}

/// Legacy bilinear resize, reference and fast path: bit-identical to TensorFlow.
@Test func resizeMatchesTensorFlowBitwise() throws {
  let ops = try ImageOps.load()
  let src = ops.image.toFloat()
  for c in ops.cases("resize") {
    let h = c["height"] as! Int, w = c["width"] as! Int
    let expected = floats(c)
    #expect(BilinearResize.reference(src, height: h, width: w).values == expected, "\(c["name"]!) reference")
    var fast = [Float](repeating: .nan, count: h * w * 3)
    fast.withUnsafeMutableBufferPointer {
      BilinearResize.resizeView(ops.image, view: .whole(height: src.height, width: src.width), height: h, width: w,
                                means: [0, 0, 0], into: $0.baseAddress!)
    }
    #expect(fast == expected, "\(c["name"]!) fast path")
  }
}

/// Flip then crop (tf.image.flip_left_right + tf.slice) and the fused flip/crop/resize view.
@Test func flipCropResizeMatchesTensorFlowBitwise() throws {
  let ops = try ImageOps.load()
  let (H, W) = (ops.image.height, ops.image.width)
  let c1 = ops.cases("flip_crop")[0]
  let (y, x, h, w) = (c1["y"] as! Int, c1["x"] as! Int, c1["h"] as! Int, c1["w"] as! Int)
  #expect(ops.image.toFloat().flippedLeftRight().cropped(y: y, x: x, height: h, width: w).values == floats(c1))
  let c2 = ops.cases("flip_crop_resize")[0]
  let oh = c2["height"] as! Int, ow = c2["width"] as! Int
  let view = PixelView.whole(height: H, width: W).flippedLeftRight()
    .cropped(CropWindow(y: y, x: x, height: h, width: w, imageHeight: H, imageWidth: W))
  var fast = [Float](repeating: .nan, count: oh * ow * 3)
  fast.withUnsafeMutableBufferPointer {
    BilinearResize.resizeView(ops.image, view: view, height: oh, width: ow, means: [0, 0, 0], into: $0.baseAddress!)
  }
  #expect(fast == floats(c2))
}

/// Colour ops against TF's CPU kernels: bit-identical (contrast sums its means in
/// AdjustContrastv2's folding order).
@Test func colorOpsMatchTensorFlow() throws {
  let ops = try ImageOps.load()
  for op in ["brightness", "contrast", "saturation", "hue"] {
    for c in ops.cases(op) {
      let p = Float(bitPattern: UInt32(c["param_bits"] as! Int))
      var img = ops.image.toFloat()
      switch op {
      case "brightness": ColorAdjustment.brightness(delta: p).apply(to: &img)
      case "contrast": ColorAdjustment.contrast(factor: p).apply(to: &img)
      case "saturation": ColorAdjustment.saturation(factor: p).apply(to: &img)
      default: ColorAdjustment.hue(delta: p).apply(to: &img)
      }
      let expected = floats(c)
      let maxDiff = zip(img.values, expected).map { abs($0 - $1) }.max()!
      #expect(img.values == expected, "\(c["name"]!): max |diff| \(maxDiff)")
    }
  }
}
