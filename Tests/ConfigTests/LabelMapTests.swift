import Testing
@testable import Config
import TestSupport

/// Label maps as label_map_util and TfExampleDecoder read them.
struct LabelMapTests {
  @Test func cocoLabelMapFixture() throws {
    let map = try LabelMap.load(path: Fixtures.fixtures.appendingPathComponent("mscoco_label_map.pbtxt").path)
    #expect(map.items.count == 80)
    let categories = map.categories(maxNumClasses: 90)
    #expect(categories.count == 80)
    #expect(categories.first == .init(id: 1, name: "person"))
    #expect(categories.last == .init(id: 90, name: "toothbrush"))
    let ids = Set(categories.map(\.id))
    #expect(Set(1...90).subtracting(ids) == [12, 26, 29, 30, 45, 66, 68, 69, 71, 83])
    #expect(map.classID(forText: "stop sign") == 13)
    #expect(map.classID(forText: "no such class") == -1)
    #expect(map.classIDTable()["person"] == 1)
  }

  @Test func lookupTakesTheLargerOfNameAndDisplayName() throws {
    let map = try LabelMap.parse("""
      item { name: "/m/cat" id: 3 display_name: "cat" }
      item { name: "cat" id: 5 }
      item { name: "dog" id: 7 display_name: "hound" }
      item { id: 7 name: "dup" display_name: "dupe" }
      item { id: 200 name: "big" }
      """)
    #expect(map.classID(forText: "cat") == 5)
    #expect(map.classID(forText: "/m/cat") == 3)
    #expect(map.classID(forText: "hound") == 7)
    #expect(map.classIDTable() == ["/m/cat": 3, "cat": 5, "dog": 7, "hound": 7, "dup": 7, "dupe": 7, "big": 200, "": 200])
    // First item per id, ids beyond max_num_classes dropped, display name preferred.
    #expect(map.categories(maxNumClasses: 90) == [.init(id: 3, name: "cat"), .init(id: 5, name: "cat"),
                                                  .init(id: 7, name: "hound")])
    #expect(map.categories(maxNumClasses: 90, useDisplayName: false).map(\.name) == ["/m/cat", "cat", "dog"])
  }

  @Test func invalidIds() {
    #expect(throws: ConfigError.self) { try LabelMap.parse("item { id: 0 name: 'x' }") }
    #expect((try? LabelMap.parse("item { id: 0 name: 'background' }"))?.items.count == 1)
    do {
      _ = try LabelMap.parse("item {\n  name: 'x'\n  id: -2\n}", file: "l.pbtxt")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)" == "l.pbtxt:3:3: error: item[0].id: label map ids must be >= 0, got -2")
    }
    do {
      _ = try LabelMap.parse("item { nam: 'x' }", file: "l.pbtxt")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)" == "l.pbtxt:1:8: error: item[0].nam: unknown field 'nam' in message StringIntLabelMapItem; did you mean 'name'?")
    }
  }

  /// The record decoder's side (formerly a second parser in Data): comments, both quote
  /// styles, `:` before `{`, `;` separators, `<…>` blocks, and the fields of newer
  /// label maps (keypoints, LVIS frequency) parse; later items win on duplicate names.
  @Test func syntaxVariantsAndNewerFields() throws {
    let text = """
      # a comment
      item {
        name: 'NA'  # trailing comment
        id: 3
        display_name: "car \\"fast\\""
      }
      item: {
        id: 7; name: "shared" display_name: 'seven'
        keypoints { id: 0 label: "nose" }
        frequency: FREQUENT
        ancestor_ids: [1, 2]
        instance_count: 12
      }
      item <
        name: "shared"
        id: 2
      >
      """
    let map = try LabelMap(text: text)
    #expect(map.items == [
      LabelMap.Item(name: "NA", id: 3, displayName: "car \"fast\""),
      LabelMap.Item(name: "shared", id: 7, displayName: "seven"),
      LabelMap.Item(name: "shared", id: 2, displayName: nil),
    ])
    #expect(map.classID(forText: "shared") == 2)
    #expect(map.classID(forText: "seven") == 7)
    #expect(map.contains(id: 7) && !map.contains(id: 4))
    #expect(map.maxId == 7)
    #expect(map.displayName(forId: 3) == "car \"fast\"" && map.displayName(forId: 2) == "shared")
    let clash = LabelMap(items: [.init(name: "a", id: 5, displayName: "b"), .init(name: "b", id: 9, displayName: "c")])
    #expect(clash.classID(forText: "b") == 9)
    #expect(clash.classID(forText: "a") == 5)
  }

  /// Errors name the file, line and column; an unreadable file names the path.
  @Test func syntaxErrorsNameTheLine() throws {
    do {
      _ = try LabelMap(text: "item {\n  name: \"x\"\n  id: seven\n}", path: "bad.pbtxt")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".hasPrefix("bad.pbtxt:3:"), "\(error)")
    }
    #expect(throws: ConfigError.self) { try LabelMap(text: "item { id: 1 name: \"x ") }
    do {
      _ = try LabelMap(contentsOfFile: "/nonexistent/label_map.pbtxt")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("/nonexistent/label_map.pbtxt"), "\(error)")
    }
  }
}
