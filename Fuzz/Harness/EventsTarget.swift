import Events
import Report

/// TensorBoard event files as `ssd report` reads them back: the TFRecord framing and CRCs
/// (`RecordFraming`), `tensorflow.Event` protos (protobuf-c) and what `EventFile` derives
/// from them; with flags bit 1 also a model_dir holding the file as its training and its
/// evaluation events, read by `RunHistory` and rendered by `HTMLReport`.
/// Input: a flags byte (bit 0: fix every record's CRCs first), then the event file.
enum EventsTarget {
  static let path = "fuzz-input.tfevents"

  static func run(_ input: [UInt8]) {
    var (flags, bytes) = input.flagsAndBody
    if flags & 1 != 0 { TFRecordTarget.repairCRCs(&bytes) }
    do {
      let file = try EventFile.parse(bytes, path: path)
      _ = file.fileVersion
      _ = file.scalars
      _ = file.images
      for event in file.events {
        fuzzCheck(TFEvent(serialized: event.serialized()) != nil, "an event read from the file does not read back")
      }
    } catch {
      expectNamesInput(error, path)
    }
    let kept = try? EventFile.parse(bytes, path: path, keepingEventsBeforeDamage: true)
    fuzzCheck(kept != nil, "keepingEventsBeforeDamage threw for bytes in memory")
    if let damage = kept?.damage { expectNamesInput(damage, path) }
    guard flags & 2 != 0 else { return }
    let dir = Scratch.folder("events_model_dir")
    _ = Scratch.folder("events_model_dir/eval_val")
    let training = Scratch.write("events_model_dir/events.out.tfevents.1700000000.fuzz", bytes)
    Scratch.write("events_model_dir/eval_val/events.out.tfevents.1700000001.fuzz", bytes)
    do {
      let history = try RunHistory(modelDir: dir)
      for warning in history.warnings where warning.contains("tfevents") {
        fuzzCheck(warning.contains(dir), "a warning about an event file does not name it: \(warning)")
      }
      _ = HTMLReport(history: history, modelDir: dir).html()
    } catch {
      expectNamesInput(error, dir)
    }
    _ = training
  }

  /// The event files TensorFlow wrote (Tests/EventsData), with and without the repair and
  /// model_dir flags.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    paths.compactMap(Scratch.read).flatMap { bytes in [0, 1, 2, 3].map { [UInt8($0)] + bytes } }
  }
}
