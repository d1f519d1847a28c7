import Evaluation
import Events
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import Testing

/// Issue 14 part 3: label names, file names and config strings that reach the report are
/// text, never markup, and the page stays well-formed XHTML whatever they hold — markup,
/// quotes, newlines, `]]>`, control characters XML cannot carry.
@Suite struct UntrustedTextTests {
  static let evilNames = [
    "<script>alert(\"x\")</script>", "a\"b'c\nd e", "]]>&amp;<![CDATA[", "\u{1}bell\u{1B}[31m", "<img src=x onerror=alert(1)>",
  ]

  /// As an XML parser reads the escaped text back: characters XML cannot hold are U+FFFD.
  static func shown(_ s: String) -> String {
    String(String.UnicodeScalarView(s.unicodeScalars.map { c in
      [0x9, 0xA, 0xD].contains(c.value) || c.value >= 0x20 ? c : "\u{FFFD}"
    }))
  }

  @Test func markupInLabelMapPathsAndConfigRendersAsText() throws {
    // The model_dir itself has markup, quotes, a newline and a control character in its name.
    let parent = try TempDir.make("report-untrusted")
    defer { TempDir.remove(parent) }
    let dir = parent + "/run <b>\"q\" & 'x'\n\u{1}"
    try FileManager.default.createDirectory(atPath: dir + "/eval_val <i>", withIntermediateDirectories: true)

    // Metrics as the trainer writes them, with the label map's names.
    let cats = Self.evilNames.enumerated().map { COCOCategoryAP(id: $0.offset + 1, name: $0.element, ap: 0.1 * Double($0.offset), ap50: 0.5) }
    let m = COCOMetrics(stats: (0..<12).map { Double($0) / 20 }, summaryLines: Array(repeating: "x", count: 12),
                        perCategory: cats, imageCount: 2, groundTruthCount: 3, detectionCount: 4)
    try m.jsonData().write(to: URL(fileURLWithPath: dir + "/eval_val <i>/metrics-7.json"))
    // Event files: per-category tags and a picture tag with markup.
    let ev = try EventFileWriter(directory: dir + "/eval_val <i>", hostname: "host\"<x>")
    try ev.addScalars(Self.evilNames.map { (EventTags.perCategoryAP($0), Float(0.5)) }, step: 7)
    try ev.addImages([("Detections_Left_Groundtruth_Right/0/0\"><script>", SummaryImage(height: 1, width: 1, encoded: [0xFF, 0xD8, 0xFF, 0]))], step: 7)
    ev.close()
    let train = try EventFileWriter(directory: dir, hostname: "h")
    try train.addScalars([("perf/<svg onload=alert(1)>", 1), ("Loss/total_loss", 2)], step: 7)
    train.close()
    // DLLogger parameters and keys, a console log, the checkpoint list, pipeline.config.
    let dlll = [
      "DLLL {\"type\": \"LOG\", \"step\": \"PARAMETER\", \"data\": {\"label_map_path\": \"/data/<evil>\\\"\\n.pbtxt\\u0001\", "
        + "\"<key & \\\"quote\\\">\": \"]]>\"}}",
      "DLLL {\"type\": \"LOG\", \"step\": [7], \"data\": {\"<img src=x onerror=alert(1)>\": 1.5, \"a\\nb\\u0002\": 2}}",
    ].joined(separator: "\n")
    try dlll.write(toFile: dir + "/summary.json", atomically: true, encoding: .utf8)
    try "step 7 | <b> 1.0 | \"q\" 2.0\n".write(toFile: dir + "/train <x>.log", atomically: true, encoding: .utf8)
    try "all_model_checkpoint_paths: \"model<x>&.ckpt-7\"\n".write(toFile: dir + "/checkpoint", atomically: true, encoding: .utf8)
    try "label_map_path: \"</pre><script>alert(1)</script>]]>\u{1}\"\n".write(toFile: dir + "/pipeline.config", atomically: true, encoding: .utf8)

    let path = try RunReport.write(modelDir: dir)
    let html = try String(contentsOfFile: path, encoding: .utf8)
    let doc = try XMLDocument(xmlString: html, options: [])

    // No element or attribute came from the data: no script, one picture (a data: URI), no on* handlers.
    #expect(try doc.nodes(forXPath: "//*[local-name()='script']").isEmpty)
    #expect(try doc.nodes(forXPath: "//@*[starts-with(local-name(), 'on')]").isEmpty)
    let srcs = try doc.nodes(forXPath: "//@src").compactMap(\.stringValue)
    #expect(srcs == ["data:image/jpeg;base64," + Data([0xFF, 0xD8, 0xFF, 0]).base64EncodedString()])
    #expect(!html.contains("\u{1}") && !html.contains("\u{2}") && !html.contains("\u{1B}"))

    // The names read back as the same text (control characters as U+FFFD).
    let classes = try doc.nodes(forXPath: "//*[local-name()='table'][contains(@class,'ap-by-id')]/*[local-name()='tr']/*[local-name()='td'][3]")
      .compactMap(\.stringValue)
    #expect(classes == Self.evilNames.map(Self.shown))
    let dirText = try doc.nodes(forXPath: "//*[local-name()='p'][@class='dir']").first?.stringValue
    #expect(dirText == Self.shown(dir))
    let alt = try doc.nodes(forXPath: "//*[local-name()='img']/@alt").first?.stringValue
    #expect(alt == "Detections_Left_Groundtruth_Right/0/0\"><script>")
    let pre = try doc.nodes(forXPath: "//*[local-name()='pre']").first?.stringValue
    #expect(pre == Self.shown("label_map_path: \"</pre><script>alert(1)</script>]]>\u{1}\"\n"))
    let labels = try doc.nodes(forXPath: "//*[local-name()='svg']/@aria-label").compactMap(\.stringValue)
    #expect(labels.contains("<img src=x onerror=alert(1)>") && labels.contains("<b>") && labels.contains("\"q\""))
    #expect(labels.contains("a\nb\u{FFFD}"))
    let params = try doc.nodes(forXPath: "//*[local-name()='table'][@class='kv']/*[local-name()='tr']/*[local-name()='td']")
      .compactMap(\.stringValue)
    #expect(params.contains("/data/<evil>\"\n.pbtxt\u{FFFD}") && params.contains("]]>"))
    #expect(html.contains("model&lt;x&gt;&amp;.ckpt-7"))
  }
}
