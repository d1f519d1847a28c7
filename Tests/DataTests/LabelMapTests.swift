import Testing
@testable import Data

@Test func cocoLabelMapHas80ItemsWithTheGaps() throws {
  let map = try LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt"))
  #expect(map.items.count == 80)
  let ids = Set(map.items.map(\.id))
  #expect(ids == Set(1...90).subtracting([12, 26, 29, 30, 45, 66, 68, 69, 71, 83]))
  #expect(map.items[0] == LabelMap.Item(name: "/m/01g317", id: 1, displayName: "person"))
  #expect(map.classId(forText: "person") == 1)
  #expect(map.classId(forText: "toothbrush") == 90)
  #expect(map.classId(forText: "/m/01g317") == 1)
  #expect(map.classId(forText: "label_91") == -1)
  #expect(map.maxId == 90)
}

@Test func labelMapParserHandlesCommentsQuotesAndUnknownFields() throws {
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
  // Name lookups: later items win on duplicate names (7 then 2 -> 2); by display name 7.
  #expect(map.classId(forText: "shared") == 2)
  #expect(map.classId(forText: "seven") == 7)
  // Larger id wins between the name and display_name tables.
  let clash = LabelMap(items: [.init(name: "a", id: 5, displayName: "b"), .init(name: "b", id: 9, displayName: "c")])
  #expect(clash.classId(forText: "b") == 9)
  #expect(clash.classId(forText: "a") == 5)
}

@Test func labelMapSyntaxErrorsNameTheLine() throws {
  let error = try #require(throws: DataError.self) {
    try LabelMap(text: "item {\n  name: \"x\"\n  id: seven\n}", path: "bad.pbtxt")
  }
  guard case let .syntax(path, line, _) = error.kind else { Issue.record("wrong kind \(error)"); return }
  #expect(path == "bad.pbtxt" && line == 3)
  #expect(throws: DataError.self) { try LabelMap(text: "item { name: \"x\" }") }
  #expect(throws: DataError.self) { try LabelMap(text: "item { id: 1 name: \"x ") }
}
