import Events
import Foundation
import TestSupport
import Testing

/// Issue 14 part 3: tags made from label names (per-category AP) and picture tags holding
/// markup, quotes and non-ASCII are stored as they are (protobuf strings with their length)
/// and read back equal, control characters (newline, ESC) as `_` (`SummaryValue.sanitizedTag`);
/// the file stays valid (every CRC checks).
@Suite struct UntrustedTagTests {
  @Test func hostileTagsRoundTripThroughAnEventFile() throws {
    let dir = try Fixtures.temporaryDirectory("events-untrusted")
    defer { Fixtures.remove(dir) }
    let names = ["<script>alert(\"x\")</script>", "a\"b'c\nd\\e", "]]>", "\u{1}\u{1B}[31m", "é 🙂", ""]
    let writer = try EventFileWriter(directory: dir, hostname: "h")
    try writer.addScalars(names.map { (EventTags.perCategoryAP($0), Float(0.25)) }, step: 3)
    try writer.addImages(names.map { ($0 + "/0", SummaryImage(height: 1, width: 1, encoded: [0xFF, 0xD8])) }, step: 3)
    writer.close()
    let file = try EventFile.read(path: writer.path)
    #expect(file.damage == nil && file.incompleteTailBytes == 0)
    let stored = ["<script>alert(\"x\")</script>", "a\"b'c_d\\e", "]]>", "__[31m", "é 🙂", ""]
    #expect(file.scalars.map(\.tag) == stored.map(EventTags.perCategoryAP))
    #expect(file.images.map(\.tag) == stored.map { $0 + "/0" })
  }
}
