import Foundation

/// A label map (`StringIntLabelMap` in protobuf text format, e.g. `mscoco_label_map.pbtxt`)
/// as the OD API's `label_map_util` reads it: `item { name id display_name }` entries in
/// file order, validated like `_validate_label_map` (ids ≥ 0; id 0 only for "background").
/// The one label map of the project: the record decoder (`image/object/class/text` →
/// id), evaluation categories and `ssd detect`'s class names all read it.
public struct LabelMap: Equatable, Sendable {
  public struct Item: Equatable, Sendable {
    public var id: Int
    /// Empty when not given.
    public var name: String
    /// nil when not given.
    public var displayName: String?

    public init(id: Int, name: String, displayName: String?) {
      self.id = id
      self.name = name
      self.displayName = displayName
    }

    public init(name: String, id: Int, displayName: String? = nil) {
      self.init(id: id, name: name, displayName: displayName)
    }
  }

  /// A category for evaluation: id and the name reported for it.
  public struct Category: Equatable, Sendable {
    public var id: Int
    public var name: String
  }

  public let items: [Item]
  /// `classID(forText:)` for every name and display name, built once.
  private let textToID: [String: Int]
  private let ids: Set<Int>

  public init(items: [Item]) {
    self.items = items
    var table = LabelMap.idsByName(items, useDisplayName: false)
    for (text, id) in LabelMap.idsByName(items, useDisplayName: true) { table[text] = max(table[text] ?? -1, id) }
    textToID = table
    ids = Set(items.map(\.id))
  }

  public static func == (a: LabelMap, b: LabelMap) -> Bool { a.items == b.items }

  /// Reads and validates a label map file (`load(path:)`). Throws `ConfigError`.
  public init(contentsOfFile path: String) throws { self = try LabelMap.load(path: path) }

  /// Parses and validates label-map text; `path` names it in diagnostics. Throws `ConfigError`.
  public init(text: String, path: String = "<label map>") throws { self = try LabelMap.parse(text, file: path) }

  /// Reads and validates a label map file. Throws `ConfigError`.
  public static func load(path: String) throws -> LabelMap {
    let text = try ConfigError.readText(path, what: "the label map", hint: "label_map_path")
    return try parse(text, file: path)
  }

  /// Parses and validates label-map text; `file` names it in diagnostics. Throws `ConfigError`.
  public static func parse(_ text: String, file: String = "<string>") throws -> LabelMap {
    let (message, _) = try PipelineConfig.parseMessage(text, file: file, schema: .labelMap)
    var items: [Item] = []
    var diagnostics: [ConfigDiagnostic] = []
    for (i, m) in message.messages("item").enumerated() {
      let item = Item(id: m.int("id"), name: m.string("name"), displayName: m.has("display_name") ? m.string("display_name") : nil)
      let location = m.location(of: "id") ?? m.location ?? .fileStart
      if item.id < 0 {
        diagnostics.append(ConfigDiagnostic(file: file, location: location, path: "item[\(i)].id",
                                            problem: .invalidValue("label map ids must be >= 0, got \(item.id)")))
      } else if item.id == 0 && item.name != "background" && item.displayName != "background" {
        diagnostics.append(ConfigDiagnostic(file: file, location: location, path: "item[\(i)].id",
                                            problem: .invalidValue("id 0 is reserved for the background label; start at 1")))
      }
      items.append(item)
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    return LabelMap(items: items)
  }

  /// `convert_label_map_to_categories`: items with 0 < id ≤ maxNumClasses, first item per id,
  /// named by `display_name` when `useDisplayName` and it is given, else by `name`.
  public func categories(maxNumClasses: Int, useDisplayName: Bool = true) -> [Category] {
    var seen = Set<Int>()
    var result: [Category] = []
    for item in items where item.id > 0 && item.id <= maxNumClasses {
      if seen.insert(item.id).inserted {
        result.append(Category(id: item.id, name: useDisplayName ? item.displayName ?? item.name : item.name))
      }
    }
    return result
  }

  /// `get_label_map_dict`: name (or display name, "" when absent) → id; later items win.
  public func idsByName(useDisplayName: Bool) -> [String: Int] { LabelMap.idsByName(items, useDisplayName: useDisplayName) }

  /// `get_label_map_dict` over `items`: later items win; an absent field is the proto default "".
  private static func idsByName(_ items: [Item], useDisplayName: Bool) -> [String: Int] {
    var result: [String: Int] = [:]
    for item in items {
      result[useDisplayName ? item.displayName ?? "" : item.name] = item.id
    }
    return result
  }

  /// The class id TfExampleDecoder gives an `image/object/class/text` entry: the larger of
  /// its lookups in the name table and the display-name table, each −1 when absent.
  public func classID(forText text: String) -> Int { textToID[text] ?? -1 }

  /// Both lookup tables merged: text → class id (as `classID`).
  public func classIDTable() -> [String: Int] { textToID }

  /// Whether some item has this id.
  public func contains(id: Int) -> Bool { ids.contains(id) }

  /// The largest id (0 for an empty map).
  public var maxId: Int { items.map(\.id).max() ?? 0 }

  /// display_name (or name) of the last item with this id, for printing.
  public func displayName(forId id: Int) -> String? {
    guard let item = items.last(where: { $0.id == id }) else { return nil }
    return item.displayName ?? item.name
  }
}
