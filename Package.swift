// swift-tools-version:6.0
// swift-ssd: a distributed CPU trainer for SSD320 v1.2 (ResNet-50 v1 + FPN + weight-shared
// box/class towers + focal loss). See README.md for the layout.
import PackageDescription

/// Release builds of the numeric modules skip Swift's exclusivity checks in hot loops.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
/// Modules with no hot loops (parsing a config, writing a report, sequencing a run, the
/// command line) are not optimized even in release builds: compiling them with -O took 45%
/// of a release build's CPU time (Config alone 27%), for no speed that matters.
let cold: [SwiftSetting] = [.unsafeFlags(["-Onone"], .when(configuration: .release))]

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
    // One training process per rank.
    .target(name: "Worker", dependencies: ["Model", "Comm", "Data", "Config"], swiftSettings: fast),
    // Step counting, evaluation schedule, checkpoint consolidation.
    .target(name: "Coordinator", dependencies: ["Model", "Comm", "Data", "Config", "Evaluation", "Checkpoint", "Worker"],
            swiftSettings: cold),
    // Running a trained detector on image files (ssd detect, ssd bench infer): checkpoint
    // loading by name, evaluation preprocessing, drawing with a built-in bitmap font.
    .target(name: "Inference", dependencies: ["Model", "Data", "Config", "Checkpoint", "Evaluation", "Worker"],
            swiftSettings: fast),
    // Self-contained HTML run reports with inline SVG plots (ssd report).
    .target(name: "Report", swiftSettings: cold),
    // The command-line tool.
    .executableTarget(name: "ssd", dependencies: [
      "Formats", "Model", "Comm", "Data", "Evaluation", "Checkpoint", "Config", "Worker", "Coordinator",
      "Inference", "Report",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ], swiftSettings: cold),

    // Test-only helpers shared by the test targets (the fixture locator).
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "FormatsTests", dependencies: ["Formats"]),
    .testTarget(name: "RandomTests", dependencies: ["Random"]),
    .testTarget(name: "ModelTests", dependencies: ["Model"]),
    .testTarget(name: "CommTests", dependencies: ["Comm"]),
    .testTarget(name: "DataTests", dependencies: ["TestSupport", "Data", "Formats", "Model", "Config"]),
    .testTarget(name: "EvaluationTests", dependencies: ["TestSupport", "Evaluation"]),
    .testTarget(name: "CheckpointTests", dependencies: ["TestSupport", "Checkpoint", "Formats"]),
    .testTarget(name: "ConfigTests", dependencies: ["TestSupport", "Config"]),
    .testTarget(name: "WorkerTests", dependencies: ["TestSupport", "Worker", "Model", "Data", "Config"]),
    .testTarget(name: "CoordinatorTests", dependencies: ["TestSupport", "Coordinator", "Worker", "Model", "Data", "Config",
                                                        "Evaluation", "Checkpoint"]),
    .testTarget(name: "InferenceTests", dependencies: ["TestSupport", "Inference", "Model", "Data", "Config", "Evaluation",
                                                      "Coordinator", "Worker", "Report"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "Evaluation"]),
  ],
  swiftLanguageModes: [.v5]
)
