import ArgumentParser

extension NameSpecification {
  /// A long option in the tool's one spelling, model_main.py's `--words_with_underscores`,
  /// plus the `--words-with-dashes` spelling earlier versions used, still accepted.
  static func underscored(_ name: String) -> NameSpecification {
    let dashed = name.replacingOccurrences(of: "_", with: "-")
    return dashed == name ? [.customLong(name)] : [.customLong(name), .customLong(dashed)]
  }
}
