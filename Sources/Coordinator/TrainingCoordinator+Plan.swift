import Config
import Data
import Worker

extension TrainingCoordinator {
  /// Builds the single-process run of `plan`: the TFRecord sources named by the config's
  /// readers (label maps applied), one `TrainingWorker` holding the whole arena, and the
  /// coordinator over it. Throws for unreadable inputs and unsupported config choices.
  public static func singleProcess(plan: ModelMainPlan, modelDir: String, options: TrainingOptions) throws
    -> TrainingCoordinator
  {
    let setup = try TrainingSetup(config: plan.config)
    let numClasses = setup.model.numClasses
    let trainSource: any SampleSource
    switch plan.mode {
    case .train:
      trainSource = try source(for: plan.config.trainInputReader, numClasses: numClasses, what: "train_input_reader",
                               skipBadRecords: options.skipBadRecords).0
    case .evaluate:
      trainSource = InMemorySampleSource([])  // eval-only: the worker never trains
    }
    let worker = TrainingWorker(setup: setup, trainSource: trainSource, seed: options.seed,
                                inputThreads: options.inputThreads)
    let reader = plan.evaluationInputReader
    var cached: (any SampleSource, LabelMap?)?
    let eval: () throws -> (any SampleSource, LabelMap?) = {
      if let c = cached { return c }
      let c = try source(for: reader, numClasses: numClasses, what: "eval_input_reader",
                         skipBadRecords: options.skipBadRecords)
      cached = c
      return c
    }
    return TrainingCoordinator(plan: plan, modelDir: modelDir, options: options, backend: worker,
                               trainExamples: trainSource.count, globalBatchSize: setup.batchSize,
                               numClasses: numClasses, evalSource: eval)
  }

  /// The records of an input reader, decoded with its label map (if any); with
  /// `skipBadRecords`, only the records that decode (`BadRecordFilter`), the others listed.
  public static func source(for reader: InputReaderConfig, numClasses: Int, what: String,
                            skipBadRecords: Bool = false) throws -> (any SampleSource, LabelMap?)
  {
    let labelMap = reader.labelMapPath.isEmpty ? nil : try LabelMap(contentsOfFile: reader.labelMapPath)
    let pattern = reader.inputPaths.joined(separator: ",")
    let dataset = try TFRecordDataset(inputPath: pattern, tolerateFramingErrors: skipBadRecords)
    var source: any SampleSource = TFRecordSampleSource(
      dataset: dataset, decoder: DetectionExampleDecoder(labelMap: labelMap, numClasses: numClasses))
    if skipBadRecords {
      let (good, skipped) = BadRecordFilter.filter(source)
      for s in skipped { print("warning: \(what): skipping bad record \(s)") }
      if !skipped.isEmpty { print("\(what): \(skipped.count) bad records skipped, \(good.count) used") }
      source = good
    }
    if source.count == 0 { throw CoordinatorError.noData(what: what, pattern: pattern) }
    return (source, labelMap)
  }
}
