/// A tf.train.Example: named typed lists. Parsing and serialization go through protobuf-c
/// (`TFExample+Protobuf.swift`); serialization writes the map entries sorted by key, as
/// TensorFlow's deterministic serializer does, so equal examples give equal bytes.
public struct TFExample: Equatable, Sendable {
  public var features: [String: TFFeature]

  public init(features: [String: TFFeature] = [:]) {
    self.features = features
  }

  public subscript(key: String) -> TFFeature? {
    get { features[key] }
    set { features[key] = newValue }
  }

  /// Bit-level equality of all features (NaN-safe), see `TFFeature.bitwiseEqual`.
  public func bitwiseEqual(_ other: TFExample) -> Bool {
    guard features.count == other.features.count else { return false }
    for (k, v) in features {
      guard let w = other.features[k], v.bitwiseEqual(w) else { return false }
    }
    return true
  }

  /// Keys in serialization order: sorted by their UTF-8 bytes.
  public var sortedKeys: [String] {
    features.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }
}
