import Config
import Formats
import ArgumentParser
import Data
import Foundation

/// `ssd bench data`: input pipeline throughput (decode + augment + resize + normalize).
struct BenchDataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Images/s of JPEG decode + SSD320 augmentation + resize, per thread and with the pipeline.",
    discussion: """
      Measures, on the fixture TFRecords (if found) and on synthetic full-size JPEGs:
      decode alone, decode + flip + crop + resize + mean subtraction (the SSD320 recipe,
      fast path), the float reference path, and the threaded BatchPipeline.
      Also checks every fixture image against TensorFlow's decoded-pixel SHA-256.
      Use a release build:  swift build -c release && .build/release/ssd bench data
      """)

  @Option(help: "Fixtures directory (default: $SSD_FIXTURES or ../shared/fixtures).")
  var fixtures: String?

  @Option(help: "Size of the synthetic JPEGs, WIDTHxHEIGHT.")
  var size = "640x480"

  @Option(help: "Network input size, HEIGHTxWIDTH.")
  var output = "320x320"

  @Option(help: "Number of distinct synthetic JPEGs.")
  var images = 48

  @Option(help: "Seconds to spend per measurement.")
  var seconds = 2.0

  @Option(help: "Thread counts for the pipeline measurement (comma-separated).")
  var threads = "1,2"

  func run() throws {
    let out = try Self.pair(output, "--output")
    let synthSize = try Self.pair(size, "--size")
    let config = PreprocessingConfig.ssd320Training.resized(height: out.0, width: out.1)
    print("input pipeline: \(config.augmentations.count) augmentations (flip, crop), output \(out.0)x\(out.1), "
      + "\(ProcessInfo.processInfo.activeProcessorCount) cores")

    let dir = fixtures ?? ProcessInfo.processInfo.environment["SSD_FIXTURES"] ?? "../shared/fixtures"
    if FileManager.default.fileExists(atPath: dir + "/tfrecord") {
      let samples = try fixtureSamples(dir)
      try checkFixturePixels(dir)
      measure("fixtures (\(samples.count) JPEGs, 200-640 px)", samples: samples, config: config)
    } else {
      print("fixtures: not found at \(dir) (pass --fixtures)")
    }

    let synthetic = try syntheticSamples(width: synthSize.0, height: synthSize.1)
    measure("synthetic \(synthSize.0)x\(synthSize.1) JPEGs", samples: synthetic, config: config)
    for t in threads.split(separator: ",").compactMap({ Int($0) }) where t > 0 {
      measurePipeline(samples: synthetic, config: config, threads: t)
    }
  }

  static func pair(_ text: String, _ name: String) throws -> (Int, Int) {
    let p = text.lowercased().split(separator: "x").compactMap { Int($0) }
    guard p.count == 2, p[0] > 0, p[1] > 0 else { throw ValidationError("\(name) must look like 640x480, got '\(text)'") }
    return (p[0], p[1])
  }

  func fixtureSamples(_ dir: String) throws -> [EncodedSample] {
    let labelMap = try LabelMap(contentsOfFile: dir + "/mscoco_label_map.pbtxt")
    let source = try TFRecordSampleSource(inputPath: dir + "/tfrecord/synth_*.record-*", labelMap: labelMap)
    return try (0..<source.count).map { try source.sample($0) }
  }

  /// Decodes every fixture image and compares the pixels' SHA-256 with TensorFlow's.
  func checkFixturePixels(_ dir: String) throws {
    let decoder = JPEGDecoder()
    var same = 0, total = 0
    for split in ["train", "val"] {
      let data = try Foundation.Data(contentsOf: URL(fileURLWithPath: dir + "/tfrecord/manifest_synth_\(split).json"))
      let manifest = try JSONSerialization.jsonObject(with: data) as! [String: Any]
      for entry in manifest["files"] as! [[String: Any]] {
        let file = try TFRecordFile(path: dir + "/tfrecord/" + (entry["file"] as! String))
        for rec in entry["records"] as! [[String: Any]] {
          let example = try DetectionExampleDecoder(labelMap: nil).decode(try file.readRecord(rec["index_in_file"] as! Int))
          let pixels = try decoder.decode(example.encodedImage).pixels
          total += 1
          if SHA256.hexDigest(pixels) == rec["decoded_sha256_tf"] as! String { same += 1 }
        }
      }
    }
    print("decode check: \(same)/\(total) fixture images decode to exactly TensorFlow's pixels (SHA-256)")
  }

  func syntheticSamples(width: Int, height: Int) throws -> [EncodedSample] {
    let dataset = SyntheticDataset(options: .init(trainCount: images, valCount: 0, seed: 2026, size: (width, height)))
    let encoder = JPEGEncoder()
    return try (0..<images).map { i in
      let (scene, jpeg) = try dataset.image(split: "train", index: i, encoder: encoder)
      let gt = GroundTruth(
        boxes: scene.objects.map {
          BoundingBox(ymin: Float($0.y) / Float(height), xmin: Float($0.x) / Float(width),
                      ymax: Float($0.y + $0.h) / Float(height), xmax: Float($0.x + $0.w) / Float(width))
        },
        classes: scene.objects.map { Int32($0.classId) })
      return EncodedSample(jpeg: jpeg, groundTruth: gt, info: SampleInfo(sourceId: "\(i)", storedHeight: height, storedWidth: width))
    }
  }

  /// CPU seconds used so far by the calling thread (or the whole process).
  static func cpuSeconds(process: Bool = false) -> Double {
    var t = timespec()
    clock_gettime(process ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  /// Runs `body` over the samples repeatedly for about `seconds`; returns images per
  /// thread-CPU-second (robust when other processes share the cores) and per wall second.
  func rate(_ count: Int, _ body: (Int) throws -> Void) rethrows -> (cpu: Double, wall: Double) {
    var done = 0
    let start = Date(), cpu0 = Self.cpuSeconds()
    while Date().timeIntervalSince(start) < seconds || done < count {
      try body(done % count)
      done += 1
    }
    return (Double(done) / (Self.cpuSeconds() - cpu0), Double(done) / Date().timeIntervalSince(start))
  }

  static func line(_ label: String, _ r: (cpu: Double, wall: Double)) -> String {
    String(format: "  %@ %8.1f images/s per CPU-second (%.1f per wall second)",
           label.padding(toLength: 34, withPad: " ", startingAt: 0), r.cpu, r.wall)
  }

  func measure(_ label: String, samples: [EncodedSample], config: PreprocessingConfig) {
    let decoder = JPEGDecoder()
    let pre = Preprocessor(config: config)
    let decoded = samples.map { try! decoder.decode($0.jpeg) }
    let megapixels = Double(decoded.reduce(0) { $0 + $1.width * $1.height }) / Double(decoded.count) / 1e6
    var output = [Float](repeating: 0, count: pre.outputCount)
    let decodeRate = rate(samples.count) { _ = try! decoder.decode(samples[$0].jpeg) }
    let augmentRate = output.withUnsafeMutableBufferPointer { out in
      rate(samples.count) { i in
        var rng = SampleRandom(seed: 1, epoch: 0, sampleIndex: i)
        _ = pre.process(decoded[i], groundTruth: samples[i].groundTruth, rng: &rng, into: out.baseAddress!)
      }
    }
    let referenceRate = rate(min(samples.count, 8)) { i in
      var rng = SampleRandom(seed: 1, epoch: 0, sampleIndex: i)
      _ = pre.processReference(decoded[i], groundTruth: samples[i].groundTruth, rng: &rng)
    }
    let loader = SampleLoader(source: InMemorySampleSource(samples), preprocessing: config, seed: 1)
    let fullRate = output.withUnsafeMutableBufferPointer { out in
      rate(samples.count) { i in _ = try! loader.load(index: i, epoch: 0, into: out.baseAddress!) }
    }
    print(label + String(format: ", %.2f Mpixel avg (one thread):", megapixels))
    print(Self.line("decode only", decodeRate))
    print(Self.line("augment+resize (fast path)", augmentRate))
    print(Self.line("augment+resize (float reference)", referenceRate))
    print(Self.line("decode+augment+resize", fullRate))
  }

  func measurePipeline(samples: [EncodedSample], config: PreprocessingConfig, threads: Int) {
    let batch = 8
    let schedule = SampleSchedule.training(sampleCount: samples.count, globalBatchSize: batch, seed: 1)
    let pipeline = try! BatchPipeline(source: InMemorySampleSource(samples), schedule: schedule, preprocessing: config,
                                 threads: threads, prefetch: 2 * threads)
    defer { pipeline.stop() }
    _ = try! pipeline.next()  // warm-up
    var imagesDone = 0
    let start = Date(), cpu0 = Self.cpuSeconds(process: true)
    while Date().timeIntervalSince(start) < seconds {
      imagesDone += try! pipeline.next()!.size
    }
    let wall = Double(imagesDone) / Date().timeIntervalSince(start)
    let cpu = Double(imagesDone) / (Self.cpuSeconds(process: true) - cpu0)
    print(String(format: "  BatchPipeline, %d thread(s), batch %d: %8.1f images/s wall (%.1f per thread), "
                   + "%.1f images per process CPU-second", threads, batch, wall, wall / Double(threads), cpu))
  }
}
