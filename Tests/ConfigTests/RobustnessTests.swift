import Random
import Testing
@testable import Config
import TestSupport

/// Damaged configs must produce diagnostics, never a crash: the seed file with random
/// spans deleted, duplicated or replaced by tokens (seeded `SplitMix64`, 400 variants).
struct RobustnessTests {
  @Test func mutatedSeedConfigsNeverTrap() throws {
    let original = Array(try String(contentsOfFile: Fixtures.config("ssd320_full_8gpus.config"), encoding: .utf8))
    let tokens = ["{", "}", "<", ">", "[", "]", ":", ",", ";", "\"", "'", "-", "0x", "1e", ".", "#", "\n", "x", "9",
                  "ssd", "true", "RELU_6", "fpn {", "}}", "\\"]
    var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
    func next(_ bound: Int) -> Int { rng.nextInt(below: bound) }
    var failures = 0
    var successes = 0
    for _ in 0..<400 {
      var text = original
      for _ in 0..<(1 + next(3)) {
        let start = next(text.count)
        let length = min(1 + next(12), text.count - start)
        switch next(3) {
        case 0: text.removeSubrange(start..<(start + length))
        case 1: text.insert(contentsOf: text[start..<(start + length)], at: start)
        default: text.replaceSubrange(start..<(start + length), with: Array(tokens[next(tokens.count)]))
        }
      }
      do {
        _ = try PipelineConfig.parse(String(text), file: "m.config")
        successes += 1
      } catch let error as ConfigError {
        #expect(!error.diagnostics.isEmpty)
        #expect(error.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
        failures += 1
      }
    }
    #expect(failures + successes == 400)
    #expect(failures > 100)  // the mutations are mostly harmful
  }
}
