import Foundation

/// The Faster R-CNN box coder of the Object Detection API (`FasterRcnnBoxCoder`), float32.
///
/// Boxes and anchors are `[ymin, xmin, ymax, xmax]`; codes are `[ty, tx, th, tw]`.
/// Encode (training targets), with 1e−8 added to every height and width:
/// ```
/// h = ymax − ymin, w = xmax − xmin, yc = ymin + h/2, xc = xmin + w/2   (box and anchor)
/// ha += 1e−8; wa += 1e−8; h += 1e−8; w += 1e−8
/// ty = ((yc − yca) / ha) · 10,  tx = ((xc − xca) / wa) · 10
/// th = ln(h / ha) · 5,          tw = ln(w / wa) · 5
/// ```
/// Decode (inference) is the inverse with no epsilons and no clamping:
/// `ty /= 10 …; w = exp(tw)·wa; h = exp(th)·ha; yc = ty·ha + yca; xc = tx·wa + xca`,
/// box = `[yc − h/2, xc − w/2, yc + h/2, xc + w/2]`.
public struct FasterRCNNBoxCoder {
  /// Scale factors for (ty, tx, th, tw); SSD320 uses [10, 10, 5, 5].
  public var scaleFactors: [Float]
  /// Added to heights and widths before encoding (TensorFlow's `EPSILON = 1e-8`).
  public static let epsilon: Float = 1e-8
  /// Codes per box.
  public static let codeSize = 4

  public init(scaleFactors: [Float] = [10, 10, 5, 5]) {
    precondition(scaleFactors.count == 4 && scaleFactors.allSatisfy { $0 > 0 },
                 "FasterRCNNBoxCoder needs 4 positive scale factors, got \(scaleFactors)")
    self.scaleFactors = scaleFactors
  }

  /// Encodes one box against one anchor; writes `[ty, tx, th, tw]` to `code[0..<4]`.
  @inline(__always)
  public func encode(box b: UnsafePointer<Float>, anchor a: UnsafePointer<Float>,
                     into code: UnsafeMutablePointer<Float>) {
    let eps = FasterRCNNBoxCoder.epsilon
    var ha = a[2] - a[0], wa = a[3] - a[1]
    let yca = a[0] + ha / 2, xca = a[1] + wa / 2
    var h = b[2] - b[0], w = b[3] - b[1]
    let yc = b[0] + h / 2, xc = b[1] + w / 2
    ha += eps; wa += eps; h += eps; w += eps
    code[0] = ((yc - yca) / ha) * scaleFactors[0]
    code[1] = ((xc - xca) / wa) * scaleFactors[1]
    code[2] = Foundation.log(h / ha) * scaleFactors[2]
    code[3] = Foundation.log(w / wa) * scaleFactors[3]
  }

  /// Encodes `[n, 4]` boxes against `[n, 4]` anchors (row i against row i) → `[n, 4]` codes.
  public func encode(boxes: [Float], anchors: [Float]) -> [Float] {
    precondition(boxes.count == anchors.count && boxes.count % 4 == 0,
                 "encode needs equal [n, 4] boxes and anchors, got \(boxes.count) and \(anchors.count) values")
    var out = [Float](repeating: 0, count: boxes.count)
    boxes.withUnsafeBufferPointer { b in
      anchors.withUnsafeBufferPointer { a in
        out.withUnsafeMutableBufferPointer { o in
          for i in 0..<(boxes.count / 4) {
            encode(box: b.baseAddress! + 4 * i, anchor: a.baseAddress! + 4 * i, into: o.baseAddress! + 4 * i)
          }
        }
      }
    }
    return out
  }

  /// Decodes one code against one anchor; writes `[ymin, xmin, ymax, xmax]` to `box[0..<4]`.
  @inline(__always)
  public func decode(code t: UnsafePointer<Float>, anchor a: UnsafePointer<Float>,
                     into box: UnsafeMutablePointer<Float>) {
    let ha = a[2] - a[0], wa = a[3] - a[1]
    let yca = a[0] + ha / 2, xca = a[1] + wa / 2
    let ty = t[0] / scaleFactors[0], tx = t[1] / scaleFactors[1]
    let th = t[2] / scaleFactors[2], tw = t[3] / scaleFactors[3]
    let w = Foundation.exp(tw) * wa
    let h = Foundation.exp(th) * ha
    let yc = ty * ha + yca
    let xc = tx * wa + xca
    box[0] = yc - h / 2
    box[1] = xc - w / 2
    box[2] = yc + h / 2
    box[3] = xc + w / 2
  }

  /// Decodes `[n, 4]` codes against `[n, 4]` anchors → `[n, 4]` boxes.
  public func decode(codes: [Float], anchors: [Float]) -> [Float] {
    precondition(codes.count == anchors.count && codes.count % 4 == 0,
                 "decode needs equal [n, 4] codes and anchors, got \(codes.count) and \(anchors.count) values")
    var out = [Float](repeating: 0, count: codes.count)
    codes.withUnsafeBufferPointer { c in
      anchors.withUnsafeBufferPointer { a in
        out.withUnsafeMutableBufferPointer { o in
          for i in 0..<(codes.count / 4) {
            decode(code: c.baseAddress! + 4 * i, anchor: a.baseAddress! + 4 * i, into: o.baseAddress! + 4 * i)
          }
        }
      }
    }
    return out
  }
}
