import Testing
@testable import Config

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
}
