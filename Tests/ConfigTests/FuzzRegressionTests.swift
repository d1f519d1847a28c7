import Testing
@testable import Config
import TestSupport

/// Inputs found by fuzzing (scripts/fuzz.sh, docs/fuzzing.md) that crashed the process
/// before their fix; each now gives a `ConfigError` naming the file, line and column.
/// The inputs are committed under Tests/Fixtures/fuzz/<target>/.
struct FuzzRegressionTests {
  /// 20 000 nested blocks (`a{a{…`, 40 kB) overflowed the stack of the recursive parser
  /// (a segmentation fault); nesting now stops at `TextFormatParser.maximumDepth`.
  @Test func deeplyNestedBlocksAreASyntaxError() throws {
    let path = Fixtures.fuzzInputPath("pipeline-config", "nested-20000-blocks.config")
    let error = #expect(throws: ConfigError.self) { try PipelineConfig.load(path: path) }
    let depth = TextFormatParser.maximumDepth
    let fieldPath = Array(repeating: "a", count: depth + 1).joined(separator: ".")
    #expect(error?.description == "\(path):1:\(2 * depth + 2): error: \(fieldPath): blocks nested more than \(depth) deep; "
              + "a pipeline config needs far fewer (check the braces above this line)")
    // Label maps use the same parser.
    #expect(throws: ConfigError.self) { try LabelMap.load(path: path) }
    // The deepest accepted nesting still parses (and then fails the schema check, not the parser).
    let deepest = String(repeating: "a{", count: depth) + String(repeating: "}", count: depth)
    let schemaError = #expect(throws: ConfigError.self) { try PipelineConfig.parse(deepest, file: "d.config") }
    #expect(schemaError?.description.contains("unknown field") == true)
  }
}
