/// One named value of a `tensorflow.Summary`: a scalar (`simple_value`) or an encoded image.
public struct SummaryValue: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case scalar(Float)
    case image(SummaryImage)
    /// A kind this reader does not decode (histogram, audio, tensor): written by TensorFlow,
    /// never by us.
    case other
  }

  /// The name TensorBoard shows (`Loss/total_loss`).
  public var tag: String
  public var kind: Kind

  public init(tag: String, kind: Kind) {
    self.tag = tag
    self.kind = kind
  }

  public static func scalar(_ tag: String, _ value: Float) -> SummaryValue { SummaryValue(tag: tag, kind: .scalar(value)) }

  public var scalar: Float? { if case .scalar(let v) = kind { return v } else { return nil } }
  public var image: SummaryImage? { if case .image(let i) = kind { return i } else { return nil } }

  /// A tag as it is stored: control characters (U+0000–U+001F, U+007F–U+009F), which a C
  /// string or TensorBoard's tag list cannot show, become `_`; everything else (spaces,
  /// markup, quotes, non-ASCII) is kept, as the recipe keeps label names in per-category tags.
  public static func sanitizedTag(_ tag: String) -> String {
    var out = String.UnicodeScalarView()
    for s in tag.unicodeScalars {
      out.append(s.value < 0x20 || (0x7F...0x9F).contains(s.value) ? "_" : s)
    }
    return String(out)
  }
}
