import Config

/// `pipeline.config` (protobuf text format) → schema check → `PipelineConfig` (the config
/// mapping), then what `ssd train` and `ssd config check` do with a loaded config.
/// Input: the file's text (invalid UTF-8 is repaired the way `String(decoding:)` does).
enum PipelineConfigTarget {
  static let file = "fuzz-input.config"

  static func run(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    do {
      let config = try PipelineConfig.parse(text, file: file)
      _ = config.summaryLines
      _ = config.ignoredFields.map(\.description)
      _ = config.warnings.map(\.description)
      _ = try? config.applyingOverrides(["num_steps=7", "batch_size=3"])
    } catch {
      expectNamesInput(error, file)
    }
  }
}

/// Label maps (`StringIntLabelMap` text) → `LabelMap`, and the lookups the record decoder,
/// evaluation and `ssd detect` make. Input: the file's text.
enum LabelMapTarget {
  static let file = "fuzz-input.pbtxt"

  static func run(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    do {
      let map = try LabelMap.parse(text, file: file)
      for category in map.categories(maxNumClasses: 90) {
        fuzzCheck(map.contains(id: category.id), "a category id is not in the map")
      }
      _ = map.categories(maxNumClasses: Int.max, useDisplayName: false)
      for item in map.items {
        _ = map.classID(forText: item.name)
        _ = map.displayName(forId: item.id)
      }
      _ = map.idsByName(useDisplayName: true)
      _ = map.maxId
    } catch {
      expectNamesInput(error, file)
    }
  }
}
