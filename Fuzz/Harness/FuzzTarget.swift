/// One fuzz target: a name (`SSD_FUZZ_TARGET`, `scripts/fuzz.sh NAME`), a function that
/// feeds one input to a parser, and one that turns fixture files into seed inputs in the
/// target's input layout. A target traps (`fuzzCheck`) only when the code under test
/// misbehaves: a thrown error is the expected outcome for most inputs, but it must name the
/// input file (`expectNamesInput`).
struct FuzzTarget {
  let name: String
  let run: ([UInt8]) -> Void
  /// Seed inputs from the fixture files scripts/fuzz.sh passes.
  let seeds: ([String]) -> [[UInt8]]

  /// Every target; add a new one here and its fixture list in scripts/fuzz.sh.
  static let all: [FuzzTarget] = [
    FuzzTarget(name: "tfrecord", run: TFRecordTarget.run, seeds: TFRecordTarget.seeds),
    FuzzTarget(name: "example", run: ExampleTarget.run, seeds: ExampleTarget.seeds),
    FuzzTarget(name: "jpeg", run: JPEGTarget.run, seeds: JPEGTarget.seeds),
    FuzzTarget(name: "pipeline-config", run: PipelineConfigTarget.run, seeds: fileContents),
    FuzzTarget(name: "label-map", run: LabelMapTarget.run, seeds: fileContents),
    FuzzTarget(name: "checkpoint-v1", run: CheckpointV1Target.run, seeds: CheckpointV1Target.seeds),
    FuzzTarget(name: "checkpoint-v2", run: CheckpointV2Target.run, seeds: CheckpointV2Target.seeds),
    FuzzTarget(name: "snappy", run: SnappyTarget.run, seeds: SnappyTarget.seeds),
    FuzzTarget(name: "coco-json", run: COCOJSONTarget.run, seeds: COCOJSONTarget.seeds),
    FuzzTarget(name: "dllogger", run: DLLoggerTarget.run, seeds: DLLoggerTarget.seeds),
    FuzzTarget(name: "events", run: EventsTarget.run, seeds: EventsTarget.seeds),
    FuzzTarget(name: "wire", run: WireTarget.run, seeds: WireTarget.seeds),
  ]

  /// Seeds that are the fixture files themselves.
  static func fileContents(_ paths: [String]) -> [[UInt8]] { paths.compactMap(Scratch.read) }
}
