import Config
import Data

/// tf.Example payloads → `TFExample` (protobuf-c) → `DetectionExample`, as the input
/// pipeline decodes a record: with and without a label map (class text or class ids),
/// plus the serialize/parse round trip of the parsed example.
/// Input: one record payload.
enum ExampleTarget {
  static let location = RecordLocation(file: "fuzz-input.record", recordIndex: 3, byteOffset: 4096)
  static let labelMap = try! LabelMap(text: """
    item { name: "/m/01g317" id: 1 display_name: "person" }
    item { name: "/m/0199g" id: 2 display_name: "bicycle" }
    item { name: "cat" id: 17 }
    item { name: "background" id: 0 }
    """)
  static let decoders = [
    DetectionExampleDecoder(labelMap: nil, numClasses: 90),
    DetectionExampleDecoder(labelMap: labelMap, numClasses: 90),
    DetectionExampleDecoder(labelMap: nil, numClasses: 3),
  ]

  static func run(_ input: [UInt8]) {
    let example: TFExample
    do {
      example = try TFExample(serialized: input, location: location)
    } catch {
      expectNamesInput(error, location.file)
      return
    }
    let again = try? TFExample(serialized: example.serialized())
    fuzzCheck(again.map { $0.bitwiseEqual(example) } == true, "serialize → parse does not give the example back")
    for decoder in decoders {
      do {
        let d = try decoder.decode(example, location: location)
        let n = d.objectCount
        fuzzCheck([d.ymin.count, d.xmax.count, d.ymax.count, d.classes.count, d.isCrowd.count].allSatisfy { $0 == n },
                  "decoded per-object lists differ in length")
        fuzzCheck(d.classes.allSatisfy { (1...decoder.numClasses).contains($0) }, "class outside 1...numClasses")
        fuzzCheck(d.height > 0 && d.width > 0 && !d.encodedImage.isEmpty, "decoded example has no size or image")
        if d.classTexts.count == n {
          _ = d.tfExample(style: .current).serialized()
          _ = d.tfExample(style: .legacy).serialized()
        }
      } catch {
        expectNamesInput(error, location.file)
      }
    }
  }

  /// The payloads of the fixture records (the first 8 of each `.record` file; other files
  /// are payloads already), with `image/encoded`
  /// cut to its first 32 bytes: the decoder only passes the bytes on, and small seeds
  /// mutate faster.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    for path in paths {
      guard let bytes = Scratch.read(path) else { continue }
      guard path.contains(".record") else {  // a payload (regression inputs)
        out.append(bytes)
        continue
      }
      for record in TFRecordScanner.scan(bytes, path: path).records.prefix(8) {
        guard var example = try? TFExample(serialized: record.payload) else {
          out.append(record.payload)
          continue
        }
        if case .bytes(let v)? = example[DetectionExampleDecoder.Key.encoded], let image = v.first {
          example[DetectionExampleDecoder.Key.encoded] = .bytes([Array(image.prefix(32))])
        }
        out.append(example.serialized())
      }
    }
    return out
  }
}
