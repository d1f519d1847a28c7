/// An Object Detection API label map (`StringIntLabelMap` in protobuf text format):
/// `item { name: "/m/01g317" id: 1 display_name: "person" }` entries. Comments (`#`), both
/// quote styles, `:` before `{`, `<...>` blocks and unknown fields (skipped) are accepted.
///
/// `classId(forText:)` implements the decoder rule for `image/object/class/text`: the text is
/// looked up by `name` and by `display_name`, the larger id wins, -1 when neither matches.
public struct LabelMap: Sendable, Equatable {
  /// One `item { ... }` entry.
  public struct Item: Sendable, Equatable {
    public var name: String
    public var id: Int
    public var displayName: String?

    public init(name: String, id: Int, displayName: String? = nil) {
      self.name = name
      self.id = id
      self.displayName = displayName
    }
  }

  public let items: [Item]
  private let byName: [String: Int]
  private let byDisplayName: [String: Int]
  private let ids: Set<Int>

  /// A label map from explicit items (later items win on duplicate names, as in
  /// label_map_util's dictionaries).
  public init(items: [Item]) {
    self.items = items
    var byName: [String: Int] = [:]
    var byDisplayName: [String: Int] = [:]
    for item in items {
      byName[item.name] = item.id
      if let d = item.displayName { byDisplayName[d] = item.id }
    }
    self.byName = byName
    self.byDisplayName = byDisplayName
    self.ids = Set(items.map(\.id))
  }

  /// Reads and parses a `.pbtxt` label map file.
  public init(contentsOfFile path: String) throws {
    let bytes = try FileBytes.read(path, purpose: "read label map")
    try self.init(text: String(decoding: bytes, as: UTF8.self), path: path)
  }

  /// Parses label map text; `path` only names the source in errors.
  public init(text: String, path: String = "<label map>") throws {
    var parser = TextFormatScanner(text: text, path: path)
    var items: [Item] = []
    while let token = try parser.next() {
      guard case let .identifier(field) = token else { throw parser.error("expected 'item', found \(token)") }
      guard field == "item" else {
        try parser.skipField(named: field)
        continue
      }
      let close = try parser.openBlock()
      var name: String?
      var id: Int?
      var displayName: String?
      let itemLine = parser.line
      while true {
        guard let t = try parser.next() else { throw parser.error("unterminated item starting at line \(itemLine)") }
        if t == .symbol(close) { break }
        guard case let .identifier(key) = t else { throw parser.error("expected a field name, found \(t)") }
        switch key {
        case "name": name = try parser.stringValue()
        case "display_name": displayName = try parser.stringValue()
        case "id": id = try parser.intValue()
        default: try parser.skipField(named: key)
        }
      }
      guard let itemId = id else { throw parser.error("item ending here has no id") }
      items.append(Item(name: name ?? "", id: itemId, displayName: displayName))
    }
    self.init(items: items)
  }

  /// The class id for `text`: max of the `name` and `display_name` lookups, -1 if neither matches.
  public func classId(forText text: String) -> Int {
    max(byName[text] ?? -1, byDisplayName[text] ?? -1)
  }

  /// Whether some item has this id.
  public func contains(id: Int) -> Bool { ids.contains(id) }

  /// The largest id (0 for an empty map).
  public var maxId: Int { items.map(\.id).max() ?? 0 }

  /// display_name (or name) by id, for printing.
  public func displayName(forId id: Int) -> String? {
    guard let item = items.last(where: { $0.id == id }) else { return nil }
    return item.displayName ?? item.name
  }

  public static func == (a: LabelMap, b: LabelMap) -> Bool { a.items == b.items }
}
