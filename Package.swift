// swift-tools-version:6.0
// swift-ssd: a distributed CPU trainer for SSD320 v1.2 (ResNet-50 v1 + FPN + weight-shared
// box/class towers + focal loss). See README.md for the layout.
import PackageDescription

/// Release builds of the numeric modules skip Swift's exclusivity checks in hot loops.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
/// Modules with no hot loops (parsing a config, writing a report, sequencing a run, the
/// command line) are not optimized even in release builds: compiling them with -O took 45%
/// of a release build's CPU time (Config alone 27%), for no speed that matters. The fuzz
/// harness (SSD_FUZZ, below) optimizes them: its campaigns run the config and report parsers
/// millions of times (Swift's overflow, bounds and precondition checks stay in at -O).
let cold: [SwiftSetting] = Context.environment["SSD_FUZZ"] != nil ? []
  : [.unsafeFlags(["-Onone"], .when(configuration: .release))]

let package = Package(
  name: "swift-ssd",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "ssd", targets: ["ssd"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // C bridges: Debian packages installed by scripts/setup.sh.
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas"),
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c"),
    .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg"),
    .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c"),

    // protobuf-c code generated from TensorFlow's .proto files (proto/), committed; see
    // scripts/gen-*-protos.sh. tf.Example for the input pipeline; checkpoint protos.
    .target(name: "CExampleProto", dependencies: ["CProtobufC"]),
    .target(name: "CCheckpointProtos", dependencies: ["CProtobufC"]),
    // The model's element-wise and transform kernels in C: portable, AVX2 and AVX-512
    // variants of one source, chosen at run time from cpuid (SSD_KERNELS overrides).
    .target(name: "CKernels"),
    // protobuf-c code generated from ONNX's official onnx.proto (scripts/gen-onnx-protos.sh).
    .target(name: "CONNXProto", dependencies: ["CProtobufC"]),
    // TensorBoard event records (tensorflow.Event, tensorflow.Summary).
    .target(name: "CEventProtos", dependencies: ["CProtobufC"]),

    // Byte-level building blocks shared by file formats (CRC32C, little-endian readers).
    .target(name: "Formats", swiftSettings: fast),
    // The one random generator (SplitMix64 streams keyed by seed, purpose and index).
    .target(name: "Random", swiftSettings: fast),
    // Math: tensors, parameter arena, layers, ResNet + FPN + SSD head, anchors, loss, NMS.
    .target(name: "Model", dependencies: ["COpenBLAS", "CKernels", "Random"], swiftSettings: fast),
    // Transport, ring all-reduce, MPI.
    .target(name: "Comm", dependencies: ["CMPI"], swiftSettings: fast),
    // Input pipeline: TFRecord, tf.Example, JPEG, augmentation, synthetic data.
    .target(name: "Data", dependencies: ["Formats", "Config", "Random", "CTurboJPEG", "CProtobufC", "CExampleProto"],
            swiftSettings: fast),
    // COCO detection metrics, identical to pycocotools.
    .target(name: "Evaluation", dependencies: ["Random"], swiftSettings: fast),
    // TensorFlow checkpoints (V1 single file, V2 tensor bundle).
    .target(name: "Checkpoint", dependencies: ["Formats", "CProtobufC", "CCheckpointProtos"], swiftSettings: fast),
    // pipeline.config (protobuf text format) and model_main.py flags.
    .target(name: "Config", swiftSettings: cold),
    // The coordinator-worker protocol: every message (encode + decode in one type) and the
    // results they carry (step statistics, evaluated images).
    .target(name: "Wire", dependencies: ["Comm", "Model", "Data"]),
    // What a pipeline.config builds (model, anchors, loss, post-processing, preprocessing,
    // optimizer), its input readers, and the one checkpoint loader.
    .target(name: "Recipe", dependencies: ["Model", "Data", "Config", "Checkpoint"]),
    // One training process per rank.
    .target(name: "Worker", dependencies: ["Model", "Comm", "Data", "Config", "Recipe", "Wire"], swiftSettings: fast),
    // Step counting, evaluation schedule, checkpoint consolidation, the job's event files and
    // pipeline.config.
    .target(name: "Coordinator", dependencies: ["Formats", "Model", "Comm", "Data", "Config", "Evaluation", "Checkpoint",
                                                "Recipe", "Wire", "Events", "Inference", "Visualization"],
            swiftSettings: cold),
    // Running a trained detector on image files (ssd detect, ssd bench infer): evaluation
    // preprocessing, drawing with a built-in bitmap font.
    .target(name: "Inference", dependencies: ["Model", "Data", "Config", "Checkpoint", "Evaluation", "Recipe"],
            swiftSettings: fast),
    // `ssd export`: the trained detector as an ONNX model (network with batch norm folded,
    // post-processing inside the graph) plus a JSON sidecar.
    .target(name: "Export", dependencies: ["Model", "Data", "Config", "Inference", "Recipe", "Formats", "CProtobufC", "CONNXProto"],
            swiftSettings: fast),
    // TensorBoard event files: writer, reader, the recipe's tags.
    .target(name: "Events", dependencies: ["Formats", "CProtobufC", "CEventProtos"]),
    // Pictures for event files and reports: the recipe's Detections_Left_Groundtruth_Right
    // side-by-side drawing and the image-summary encoder.
    .target(name: "Visualization", dependencies: ["Events", "Inference", "Data", "Evaluation"]),
    // Self-contained HTML run reports with inline SVG plots (ssd report).
    .target(name: "Report", dependencies: ["Events"], swiftSettings: cold),
    // Automatic restart of a distributed job (ssd supervise): failure reports, host
    // exclusion, the restart log.
    .target(name: "Supervisor", dependencies: ["Checkpoint"]),
    // The command-line tool.
    .executableTarget(name: "ssd", dependencies: [
      "Formats", "Model", "Comm", "Data", "Evaluation", "Checkpoint", "Config", "Recipe", "Wire", "Worker", "Coordinator",
      "Inference", "Report", "Export", "Supervisor",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ], swiftSettings: cold),

    // Test-only helpers shared by the test targets (the fixture locator).
    .target(name: "TestSupport", dependencies: ["Config", "Data"], path: "Tests/TestSupport"),
    .testTarget(name: "FormatsTests", dependencies: ["Formats", "Random"]),
    .testTarget(name: "RandomTests", dependencies: ["Random"]),
    .testTarget(name: "ModelTests", dependencies: ["Model"]),
    .testTarget(name: "CommTests", dependencies: ["TestSupport", "Comm", "Random"]),
    .testTarget(name: "DataTests", dependencies: ["TestSupport", "Data", "Formats", "Model", "Config"]),
    .testTarget(name: "EvaluationTests", dependencies: ["TestSupport", "Evaluation", "Random"]),
    .testTarget(name: "CheckpointTests", dependencies: ["TestSupport", "Checkpoint", "Formats", "Random"]),
    .testTarget(name: "ConfigTests", dependencies: ["TestSupport", "Config", "Random"]),
    .testTarget(name: "WireTests", dependencies: ["TestSupport", "Wire", "Comm", "Model", "Data", "Random"]),
    .testTarget(name: "RecipeTests", dependencies: ["TestSupport", "Recipe", "Model", "Data", "Config", "Checkpoint"]),
    .testTarget(name: "WorkerTests", dependencies: ["TestSupport", "Worker", "Recipe", "Comm", "Model", "Data", "Config"]),
    .testTarget(name: "CoordinatorTests", dependencies: ["TestSupport", "Coordinator", "Recipe", "Wire", "Worker", "Model", "Data", "Config",
                                                        "Evaluation", "Checkpoint", "Events", "Report"]),
    .testTarget(name: "InferenceTests", dependencies: ["TestSupport", "Inference", "Model", "Data", "Config", "Evaluation",
                                                      "Coordinator", "Recipe", "Wire", "Worker", "Report"]),
    .testTarget(name: "ExportTests", dependencies: ["TestSupport", "Export", "Inference", "Model", "Config", "Checkpoint"]),
    .testTarget(name: "ReportTests", dependencies: ["TestSupport", "Report", "Evaluation", "Events"]),
    .testTarget(name: "EventsTests", dependencies: ["TestSupport", "Events", "Formats"]),
    .testTarget(name: "SupervisorTests", dependencies: ["TestSupport", "Supervisor"]),
    .testTarget(name: "VisualizationTests", dependencies: ["TestSupport", "Visualization", "Events", "Inference", "Data", "Evaluation"]),
  ],
  swiftLanguageModes: [.v5]
)

// libFuzzer harnesses for every parser of outside input (docs/fuzzing.md). They exist only
// when SSD_FUZZ is set: they must be built with `-sanitize=fuzzer` (scripts/fuzz.sh does
// that, in its own build folder), so `swift build` and `swift test` never see them.
if Context.environment["SSD_FUZZ"] != nil {
  package.targets += [
    // libFuzzer's `LLVMFuzzerRunDriver`, from the toolchain's fuzzer runtime.
    .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    .executableTarget(name: "ssd-fuzz", dependencies: ["CLibFuzzer", "Formats", "Data", "Config", "Checkpoint",
                                                       "Evaluation", "Report", "Events", "Wire", "Model"],
                      path: "Fuzz/Harness"),
  ]
}
