import Config
import ArgumentParser
import Data
import Foundation

/// `ssd data inspect PATH...`: validates every record and prints counts and a class histogram.
struct DataInspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Validate TFRecords (framing, tf.Example, detection fields) and print counts per class.",
    discussion: """
      PATH may be a file, a glob ('/data/coco_train.record*', quote it) or a comma-separated
      list. Stops with a non-zero exit status at the first corrupt record unless
      --continue_on_error, which counts and lists the bad records instead.
      Examples:
        ssd data inspect '/data/coco2017_tfrecords/*val*' --label_map mscoco_label_map.pbtxt
        ssd data inspect bad.record --continue_on_error
      """)

  @Argument(help: "TFRecord files, globs or comma-separated lists.")
  var paths: [String]

  @Option(name: .underscored("label_map"), help: "Label map (.pbtxt) to turn image/object/class/text into ids (needed for files without class/label).")
  var labelMap: String?

  @Option(name: .underscored("num_classes"), help: "Valid class ids are 1...num_classes.")
  var numClasses = 90

  @Flag(name: .underscored("continue_on_error"), help: "Count and list bad records instead of stopping at the first one.")
  var continueOnError = false

  @Flag(name: .customLong("list"), help: "Print one line per valid record.")
  var list = false

  @Flag(name: .underscored("skip_jpeg_check"),
        help: "Do not decode image/encoded (faster on large sets; only its presence is checked).")
  var skipJPEGCheck = false

  func run() throws {
    do {
      try inspect()
    } catch let error as DataError {
      writeToStandardError("error: \(error)\n")
      throw ExitCode(1)
    }
  }

  private func inspect() throws {
    let map = try labelMap.map { try LabelMap(contentsOfFile: $0) }
    var files: [String] = []
    for p in paths { files += try InputPaths.expand(p) }
    // Every image is decoded as training decodes it, unless asked not to.
    let inspector = DatasetInspector(
      decoder: DetectionExampleDecoder(labelMap: map, numClasses: numClasses),
      continueOnError: continueOnError, imageCheck: skipJPEGCheck ? nil : DatasetInspector.jpegImageCheck())
    let summary = try inspector.inspect(
        paths: files,
        onFile: { file in
          let stop = file.framingError.map { " (framing breaks at byte \($0.location?.byteOffset ?? 0))" } ?? ""
          print("\(file.path): \(file.count) records framed, \(file.fileSize) bytes\(stop)")
        },
        onRecord: { location, e in
          guard list else { return }
          print("  record \(location.recordIndex) @\(location.byteOffset): \(e.filename) id \(e.sourceId) "
            + "\(e.width)x\(e.height) \(e.format) \(e.encodedImage.count) B, \(e.objectCount) objects (\(e.crowdCount) crowd)")
        })
    print("files \(summary.files) | records \(summary.records) | images \(summary.images) | objects \(summary.objects)"
      + " | crowd objects \(summary.crowdObjects) | images without objects \(summary.imagesWithoutObjects)"
      + " | bad records \(summary.badRecords.count)")
    print(inspector.imageCheck == nil
      ? "image/encoded: present (JPEG decoding skipped: --skip-jpeg-check)"
      : "image/encoded: every JPEG decodes")
    if !summary.classCounts.isEmpty {
      print("class histogram:")
      print("   id  name                      objects    crowd")
      for id in summary.classCounts.keys.sorted() {
        let name = map?.displayName(forId: id) ?? "-"
        let padded = name.count >= 24 ? name : name + String(repeating: " ", count: 24 - name.count)
        print(String(format: "  %3d  ", id) + padded + String(format: "  %7d  %7d", summary.classCounts[id]!, summary.crowdClassCounts[id, default: 0]))
      }
    }
    if !summary.badRecords.isEmpty {
      print("bad records:")
      for e in summary.badRecords { print("  [\(e.kindName)] \(e)") }
    }
  }
}

/// Writes `text` to standard error unbuffered.
func writeToStandardError(_ text: String) {
  FileHandle.standardError.write(Foundation.Data(text.utf8))
}
