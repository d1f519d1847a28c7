import ArgumentParser
import Data
import Foundation

/// `ssd data synth`: a synthetic COCO-style detection data set (TFRecords + instances JSON +
/// label map) whose classes a small detector can learn from shape and colour.
struct DataSynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Write a synthetic COCO-style detection set: TFRecords, instances JSON, label map.",
    discussion: """
      Eight classes, each a shape + colour/texture mapped to a COCO id (1 person = red rectangle,
      3 car = green ellipse, 13 stop sign = blue triangle, 27 backpack = yellow striped rectangle,
      44 bottle = magenta ellipse, 67 dining table = cyan striped triangle, 84 book = orange
      checkered ellipse, 90 toothbrush = white checkered rectangle) on noisy backgrounds, with
      some tiny, border-cut and crowd objects and a few empty images. Records use the keys of
      create_coco_tf_record.py. The output depends only on the options.
      Output in DIR: synth_train.record-*, synth_val.record-*, instances_train.json,
      instances_val.json, label_map.pbtxt (and train/, val/ JPEGs with --write_images).
      Example:
        ssd data synth --out /tmp/synth --train 2000 --val 200 --seed 1 --size 320x240
      """)

  @Option(help: "Output directory (created if needed).")
  var out: String

  @Option(help: "Number of training images.")
  var train: Int

  @Option(help: "Number of validation images.")
  var val: Int

  @Option(help: "Seed: the data set is a pure function of it and the other options.")
  var seed: UInt64 = 1

  @Option(help: "Fixed image size WIDTHxHEIGHT (default: random non-square sizes, sides 256-640).")
  var size: String?

  @Option(name: .underscored("train_shards"), help: "TFRecord shards for the training split.")
  var trainShards = 1

  @Option(name: .underscored("val_shards"), help: "TFRecord shards for the validation split.")
  var valShards = 1

  @Flag(name: .underscored("write_images"), help: "Also write the JPEG files (DIR/train, DIR/val), e.g. for `ssd data from-coco`.")
  var writeImages = false

  func validate() throws {
    guard train >= 0, val >= 0 else { throw ValidationError("--train and --val must be ≥ 0") }
    guard trainShards >= 1, valShards >= 1 else { throw ValidationError("shard counts must be ≥ 1") }
    _ = try parsedSize()
  }

  /// `WIDTHxHEIGHT` → (width, height).
  func parsedSize() throws -> (width: Int, height: Int)? {
    guard let size else { return nil }
    let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] >= 16, parts[1] >= 16, parts[0] <= 8192, parts[1] <= 8192 else {
      throw ValidationError("--size must be WIDTHxHEIGHT with sides 16...8192, e.g. 640x480 (got '\(size)')")
    }
    return (parts[0], parts[1])
  }

  func run() throws {
    let started = Date()
    let options = SyntheticDataset.Options(trainCount: train, valCount: val, seed: seed, size: try parsedSize(),
                                           trainShards: trainShards, valShards: valShards, writeImages: writeImages)
    var lastDraw = Date.distantPast
    do {
      let summary = try SyntheticDataset(options: options).write(to: out) { split, done, total in
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) >= 0.5 else { return }
        lastDraw = now
        writeToStandardError("\rsynth: \(split) \(done)/\(total) images" + (done == total ? "\n" : ""))
      }
      for split in ["train", "val"] {
        print("\(split): \(summary.images[split] ?? 0) images, \(summary.objects[split] ?? 0) objects "
          + "(\(summary.crowdObjects[split] ?? 0) crowd)")
      }
      print("wrote \(summary.files.count) files to \(out) in "
        + String(format: "%.1f s", Date().timeIntervalSince(started)))
    } catch let error as DataError {
      writeToStandardError("error: \(error)\n")
      throw ExitCode(1)
    }
  }
}
