import Foundation

/// The mistakes that would otherwise surface only after a training phase, checked before
/// the first step (`ssd train`, once in the coordinator before any worker starts, and
/// `ssd config check` given the same flags): `--model_dir` not creatable or not writable,
/// input globs matching nothing, label maps missing or unparsable, `fine_tune_checkpoint`
/// missing. Each problem names the field or flag and the path. Reading the checkpoint
/// itself (and counting what it restores) needs the Checkpoint module and the model; the
/// commands do that next.
public enum Preflight {
  /// Every problem of a plan's files. `modelDir` is checked as `--model_dir` (`create`:
  /// create it now, as training does; otherwise only check that it could be created);
  /// `evalAnnotations` is `--eval_annotations`, if given.
  public static func problems(plan: ModelMainPlan, modelDir: String?, create: Bool,
                              evalAnnotations: String? = nil) -> [PreflightProblem] {
    var out: [PreflightProblem] = []
    if let modelDir, let p = modelDirProblem(modelDir, create: create) { out.append(p) }
    switch plan.mode {
    case .train:
      out += readerProblems(plan.config.trainInputReader, field: "train_input_reader", role: "the train reader")
      out += readerProblems(plan.evaluationInputReader, field: "eval_input_reader[0]",
                            role: "the eval reader, read after each training phase")
      let resumes = modelDir.map { FileManager.default.fileExists(atPath: $0 + "/checkpoint") } ?? false
      if plan.restoresFineTuneCheckpoint && !resumes,
         let p = fineTuneCheckpointProblem(plan.config.trainConfig.fineTuneCheckpoint) {
        out.append(p)
      }
    case .evaluate(let checkpointDir, _, let onTrainingData):
      out += onTrainingData
        ? readerProblems(plan.evaluationInputReader, field: "train_input_reader", role: "the train reader, evaluated with --eval_training_data")
        : readerProblems(plan.evaluationInputReader, field: "eval_input_reader[0]", role: "the eval reader")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: checkpointDir, isDirectory: &isDirectory), !isDirectory.boolValue {
        out.append(PreflightProblem(field: "--checkpoint_dir", message: "'\(checkpointDir)' is a file; give the model_dir the checkpoints are written to"))
      }
    }
    if let evalAnnotations, !FileManager.default.isReadableFile(atPath: evalAnnotations) {
      out.append(PreflightProblem(field: "--eval_annotations",
                                  message: "cannot read '\(evalAnnotations)' (\(FileProblem.describe(evalAnnotations)))"))
    }
    return out
  }

  /// `--model_dir`: a directory we can write in, or one we can create (`create`: create it;
  /// otherwise a probe file is created and removed in its nearest existing ancestor).
  public static func modelDirProblem(_ path: String, create: Bool) -> PreflightProblem? {
    let fm = FileManager.default
    let field = "--model_dir"
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        return PreflightProblem(field: field, message: "'\(path)' is a file, not a directory; give a directory for checkpoints and results")
      }
      return writeProblem(directory: path).map { PreflightProblem(field: field, message: "cannot write in '\(path)': \($0)") }
    }
    // The nearest existing ancestor must be a directory we can write in.
    var ancestor = PathParts.parent(path)
    while !ancestor.isEmpty && ancestor != "/" && !fm.fileExists(atPath: ancestor) {
      ancestor = PathParts.parent(ancestor)
    }
    if ancestor.isEmpty { ancestor = "." }
    if fm.fileExists(atPath: ancestor, isDirectory: &isDirectory), !isDirectory.boolValue {
      return PreflightProblem(field: field, message: "cannot create '\(path)': '\(ancestor)' is a file, not a directory")
    }
    if create {
      do {
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        return PreflightProblem(field: field, message: "cannot create '\(path)': \(FileProblem.errnoText(error) ?? error.localizedDescription)")
      }
      return writeProblem(directory: path).map { PreflightProblem(field: field, message: "cannot write in '\(path)': \($0)") }
    }
    return writeProblem(directory: ancestor).map {
      PreflightProblem(field: field, message: "cannot create '\(path)': cannot write in '\(ancestor)': \($0)")
    }
  }

  /// Why a file cannot be created in `directory` (creating and removing a probe file, which
  /// also catches read-only file systems), or nil.
  static func writeProblem(directory: String) -> String? {
    let probe = directory + "/.ssd-write-check-\(getpid())"
    let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    if fd < 0 { return String(cString: strerror(errno)) }
    close(fd)
    unlink(probe)
    return nil
  }

  /// An input reader's globs and label map. `field` is the reader's path in the config
  /// (`eval_input_reader[0]`), `role` says which reader it is in the message.
  public static func readerProblems(_ reader: InputReaderConfig, field: String, role: String) -> [PreflightProblem] {
    var out: [PreflightProblem] = []
    for pattern in reader.inputPaths.flatMap(InputGlob.patterns) {
      switch InputGlob.match(pattern) {
      case .files: break
      case .none:
        out.append(PreflightProblem(field: field + ".tf_record_input_reader.input_path",
                                    message: "no file matches '\(pattern)' (\(role)); check the path or glob"))
      case .failed(let code):
        out.append(PreflightProblem(field: field + ".tf_record_input_reader.input_path",
                                    message: "cannot list '\(pattern)' (\(role)): \(String(cString: strerror(code)))"))
      }
    }
    if reader.inputPaths.flatMap(InputGlob.patterns).isEmpty {
      out.append(PreflightProblem(field: field + ".tf_record_input_reader.input_path", message: "no input path (\(role))"))
    }
    if !reader.labelMapPath.isEmpty {
      let path = reader.labelMapPath
      if !FileManager.default.isReadableFile(atPath: path) {
        out.append(PreflightProblem(field: field + ".label_map_path",
                                    message: "cannot read '\(path)' (\(FileProblem.describe(path))), the label map of \(role)"))
      } else {
        do {
          _ = try LabelMap.load(path: path)
        } catch {
          out.append(PreflightProblem(field: field + ".label_map_path",
                                      message: "'\(path)', the label map of \(role), does not parse:\n\(error)"))
        }
      }
    }
    return out
  }

  /// `train_config.fine_tune_checkpoint`: a V2 prefix (`<path>.index`), a V1 file, or a
  /// directory with a `checkpoint` state file must exist.
  public static func fineTuneCheckpointProblem(_ path: String) -> PreflightProblem? {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: path + ".index") { return nil }
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
      if !isDirectory.boolValue || fm.fileExists(atPath: path + "/checkpoint") { return nil }
    }
    let dataFiles = (try? fm.contentsOfDirectory(atPath: PathParts.parent(path).isEmpty
      ? "." : PathParts.parent(path))) ?? []
    let base = PathParts.last(path)
    let near = dataFiles.filter { $0.hasPrefix(base) }.sorted().prefix(3)
    return PreflightProblem(
      field: "train_config.fine_tune_checkpoint",
      message: "'\(path)' not found (neither \(base).index nor a checkpoint file of that name"
        + (near.isEmpty ? "" : "; the directory has \(near.joined(separator: ", "))")
        + "); fix the path, or pass --hparams_overrides load_pretrained=false to train from the initializers")
  }
}

/// One problem found before training: the config field or flag, and what is wrong.
public struct PreflightProblem: Error, Equatable, Sendable, CustomStringConvertible {
  /// e.g. `eval_input_reader[0].label_map_path`, `--model_dir`.
  public var field: String
  public var message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field): \(message)" }
}

/// Several problems at once (`description`: one per line).
public struct PreflightError: Error, Equatable, Sendable, CustomStringConvertible {
  public var problems: [PreflightProblem]

  public init(_ problems: [PreflightProblem]) { self.problems = problems }

  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

enum FileProblem {
  /// errno's text for a missing or unreadable file.
  static func describe(_ path: String) -> String {
    if access(path, F_OK) != 0 { return String(cString: strerror(errno)) }
    if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
    return "unreadable"
  }

  /// The POSIX error text inside a Foundation error, if it carries one.
  static func errnoText(_ error: Error) -> String? {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return ns.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(ns.code))) : nil
  }
}
