extension PipelineConfig {
  /// Where the field at `path` was written (`model.ssd.feature_extractor.type`,
  /// `train_config.data_augmentation_options[1].random_crop_image`), or nil when it is not set.
  /// Paths use the same syntax as diagnostics and overrides.
  public func location(of path: String) -> SourceLocation? {
    var message = proto
    let parts = path.split(separator: ".").map(String.init)
    for (n, part) in parts.enumerated() {
      var name = Substring(part)
      var index: Int?
      if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
        name = part[..<open]
        index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
        if index == nil { return nil }
      }
      guard message.messageSchema.field(String(name)) != nil, let entry = message.entry(String(name)) else { return nil }
      let isLast = n == parts.count - 1
      let valueIndex = index ?? entry.values.count - 1
      guard entry.values.indices.contains(valueIndex) else { return nil }
      if isLast {
        return index == nil ? entry.location : entry.valueLocations[valueIndex] ?? entry.location
      }
      guard case .message(let sub) = entry.values[valueIndex] else { return nil }
      message = sub
    }
    return nil
  }

  /// A diagnostic for the field at `path`, located where the field (or, if it is not set, its
  /// nearest written ancestor) appears; for problems the trainer finds in a loaded config,
  /// e.g. `config.diagnostic("model.ssd.feature_extractor.type", .unsupported("..."))`.
  public func diagnostic(_ path: String, _ problem: ConfigProblem) -> ConfigDiagnostic {
    var parts = path.split(separator: ".").map(String.init)
    var location: SourceLocation?
    while location == nil && !parts.isEmpty {
      location = self.location(of: parts.joined(separator: "."))
      parts.removeLast()
    }
    return ConfigDiagnostic(file: file, location: location ?? .fileStart, path: path, problem: problem)
  }
}
