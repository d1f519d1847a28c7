import Events

/// The report's step-time plots: where a training step's time goes — compute, exposed
/// communication (collectives nothing overlaps), input wait — per worker when the sources
/// hold it, else for the job (the critical path), else from the console's phase means, else
/// the console's step time with only the input wait split off. Each plot is a
/// `StackedAreaPlot` over steps, in milliseconds; per-worker plots share one y range so a
/// straggler stands out.
struct StepTimeBreakdown {
  static let layerNames = ["compute", "exposed communication", "input wait"]
  static let colors = ["#1f77b4", "#d62728", "#2ca02c"]
  static let splitSuffixes = ["step_ms_compute", "step_ms_exposed_comm", "step_ms_input"]

  var plots: [StackedAreaPlot] = []
  /// What the plots are made from, and what is missing.
  var note: String

  /// Keys of `RunHistory.series` the breakdown uses (left out of the generic plots).
  static func isStepTimeKey(_ key: String) -> Bool {
    (key.hasPrefix("perf/") && key != EventTags.imagesPerSecond) || key.hasPrefix("timing/")
      || key == "step_time_ms" || key == "input_wait_ms"
  }

  static let coordinatorMustWrite = "The coordinator writes the per-worker split at every logged step, for each worker k: "
    + "perf/worker_k/step_ms_compute, perf/worker_k/step_ms_exposed_comm and perf/worker_k/step_ms_input (milliseconds, "
    + "means over the steps since the previous logged step), both in that step's DLLogger LOG line and as event scalars; "
    + "the job's critical path under perf/step_ms_compute, perf/step_ms_exposed_comm, perf/step_ms_input."

  init(series: [String: [(step: Int, value: Double)]]) {
    func values(_ key: String) -> [Double: Double] {
      var out: [Double: Double] = [:]
      for p in series[key] ?? [] { out[Double(p.step)] = p.value }
      return out
    }
    func plot(_ title: String, prefix: String) -> StackedAreaPlot {
      StackedAreaPlot(title: title, xLabel: "step", yLabel: "ms per step",
                      layers: (0..<3).map { .init(name: Self.layerNames[$0], color: Self.colors[$0],
                                                   values: values(prefix + Self.splitSuffixes[$0])) })
    }
    let workers = Set(series.keys.compactMap { EventTags.parsePerWorker($0)?.worker }).sorted()
    let hasJob = Self.splitSuffixes.contains { series["perf/" + $0] != nil }
    if !workers.isEmpty {
      var perWorker = workers.map { plot("Step time, worker \($0)", prefix: "perf/worker_\($0)/") }
      let top = perWorker.map(\.maxTotal).max() ?? 0
      for i in perWorker.indices { perWorker[i].yMax = top }
      if hasJob { plots.append(plot("Step time, critical path (the worker with the most compute)", prefix: "perf/")) }
      plots += perWorker
      note = "Per worker, from the perf/worker_k/ values (same y range for every worker, so a straggler stands out)."
    } else if hasJob {
      plots = [plot("Step time, critical path (the worker with the most compute)", prefix: "perf/")]
      note = "The sources hold the job's critical path only, not each worker's split. " + Self.coordinatorMustWrite
    } else if series[TimingLine.compute] != nil {
      plots = [plot("Step time, critical path (means per training phase)", prefix: "timing/")]
      note = "From the console's timing lines: means per training phase on the critical path; no per-worker split in "
        + "the sources. " + Self.coordinatorMustWrite
    } else if let total = series["step_time_ms"] {
      let input = values("input_wait_ms")
      var rest: [Double: Double] = [:]
      for p in total { rest[Double(p.step)] = max(0, p.value - (input[Double(p.step)] ?? 0)) }
      plots = [StackedAreaPlot(title: "Step time (compute and communication not split)", xLabel: "step", yLabel: "ms per step",
                               layers: [.init(name: "compute + communication", color: Self.colors[0], values: rest),
                                        .init(name: "input wait", color: Self.colors[2], values: input)])]
      note = "From the console's progress lines, which give the step time and the input wait only. " + Self.coordinatorMustWrite
    } else {
      note = "No step times in the sources. " + Self.coordinatorMustWrite
    }
  }
}
