import Foundation
import Testing
@testable import Evaluation

/// Issue 14 part 3: label names and file names that reach JSON files (COCO ground truth,
/// metrics, detection results) are encoded, so any string — markup, quotes, backslashes,
/// newlines, every control character, U+2028 — keeps the file valid JSON and reads back equal.
@Suite struct UntrustedJSONTextTests {
  static let names: [String] = [
    "<script>alert(\"x\")</script>", "a\"b'c\nd\\e", "]]>&amp;", "tab\there\r\n", "\u{2028}\u{2029}", "é 🙂 \u{7F}",
    String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))), "\\u0000", "",
  ]

  @Test func everyStringIsOneJSONStringThatReadsBackEqual() throws {
    for s in Self.names {
      let text = JSONText.string(s)
      let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
      #expect(parsed as? String == s, "\(text.debugDescription)")
    }
  }

  @Test func groundTruthWithHostileNamesRoundTrips() throws {
    let categories = Self.names.enumerated().map { COCOCategory(id: $0.offset + 1, name: $0.element, supercategory: $0.element) }
    let images = Self.names.enumerated().map { COCOImage(id: $0.offset + 1, width: 10, height: 10, fileName: $0.element) }
    let gt = COCO(images: images, annotations: [], categories: categories)
    let data = gt.jsonData()
    _ = try JSONSerialization.jsonObject(with: data)
    let back = try COCO(jsonData: data)
    #expect(back.categories == categories)
    #expect(back.images == images)
  }

  @Test func metricsWithHostileCategoryNamesStayValidJSON() throws {
    let cats = Self.names.enumerated().map { COCOCategoryAP(id: $0.offset + 1, name: $0.element, ap: 0.5, ap50: 0.25) }
    let m = COCOMetrics(stats: (0..<12).map { Double($0) / 20 }, summaryLines: Self.names + ["x", "y", "z"],
                        perCategory: cats, imageCount: 1, groundTruthCount: 1, detectionCount: 1)
    let object = try #require(try JSONSerialization.jsonObject(with: m.jsonData()) as? [String: Any])
    let perCategory = try #require(object["per_category"] as? [[String: Any]])
    #expect(perCategory.map { $0["name"] as? String } == Self.names.map { Optional($0) })
    #expect(object["summary"] as? [String] == m.summaryLines)
  }
}
