import ArgumentParser
import Data
import Foundation

/// `ssd data from-coco`: COCO images + instances JSON -> sharded TFRecords, like
/// tensorflow/models' create_coco_tf_record.py (without masks).
struct DataFromCocoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "from-coco",
    abstract: "Convert COCO images + instances JSON into sharded detection TFRecords.",
    discussion: """
      Same rules as create_coco_tf_record.py: annotations with w<=0, h<=0, x+w>W or y+h>H are
      skipped; image i goes to shard i % N; files are named PREFIX-%05d-of-%05d.
      Example:
        ssd data from-coco --images /data/val2017 \\
          --annotations /data/annotations/instances_val2017.json \\
          --out /data/coco2017_tfrecords/coco_val.record --shards 10
      """)

  @Option(help: "Directory holding the images named by the JSON's file_name.")
  var images: String

  @Option(help: "COCO instances_*.json.")
  var annotations: String

  @Option(help: "Output prefix; shards are PREFIX-00000-of-0000N.")
  var out: String

  @Option(help: "Number of output shards.")
  var shards = 1

  @Flag(help: "Write the 2018/2019 converter's keys (no image/object/class/label, object keys always present).")
  var legacy = false

  func validate() throws {
    guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
  }

  func run() throws {
    let started = Date()
    var lineOpen = false  // a progress line is drawn without its newline
    do {
      let converter = try COCOConverter(imagesDirectory: images, annotationsPath: annotations,
                                        style: legacy ? .legacy : .current)
      var lastDraw = Date.distantPast
      let report = try converter.run(outputPrefix: out, shards: shards) { done, total, skipped in
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) >= 0.5 else { return }
        lastDraw = now
        let rate = Double(done) / max(1e-9, now.timeIntervalSince(started))
        let percent = total == 0 ? 100 : 100 * Double(done) / Double(total)
        writeToStandardError(String(format: "\rfrom-coco: %d/%d images (%.1f%%), %.1f images/s, %d annotations skipped",
                                    done, total, percent, rate, skipped) + (done == total ? "\n" : ""))
        lineOpen = done != total
      }
      print("wrote \(report.images) images (\(report.imagesWithoutAnnotations) without annotations), "
        + "\(report.annotationsWritten) objects, skipped \(report.annotationsSkipped) annotations, "
        + "into \(report.outputFiles.count) shards: \(report.outputFiles.first ?? "")"
        + (report.outputFiles.count > 1 ? " ... \(report.outputFiles.last!)" : ""))
    } catch let error as DataError {
      writeToStandardError((lineOpen ? "\n" : "") + "error: \(error)\n")
      throw ExitCode(1)
    }
  }
}
