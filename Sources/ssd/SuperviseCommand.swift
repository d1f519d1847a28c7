import ArgumentParser
import Config
import Foundation
import Supervisor

/// `ssd supervise`: runs a distributed job through `launch/run.sh` and restarts it after
/// failures a restart can fix (`launch/run.sh … --max_restarts N` starts it).
struct SuperviseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "supervise",
    abstract: "Run a distributed job and restart it from its newest checkpoint when a rank, node or link dies.",
    discussion: """
      ssd supervise [--max_restarts N] [--min_workers M] [--global_batch_size G] [--keep_per_worker_batch] \\
                    [--launcher PATH] WORKERS PIPELINE_CONFIG MODEL_DIR [ssd train flags...]

      Runs `launch/run.sh WORKERS PIPELINE_CONFIG MODEL_DIR FLAGS` (one mpirun) and passes its output through. \
      When the job fails because a rank, node or link died or a collective stalled, it is started again (the \
      trainer resumes from the newest committed checkpoint in MODEL_DIR), leaving out the hosts that failed, \
      as long as at least M workers remain and fewer than N restarts were made. Configuration and data errors, \
      a non-finite loss and signals end it. `launch/run.sh ... --max_restarts N [--min_workers M]` runs this.

      Hosts: HOSTFILE (an Open MPI hostfile, re-read before every attempt; slots = workers on that host, the \
      coordinator runs beside the first host's workers; a host left out comes back once the file is written \
      after its failure), else the Slurm allocation (SLURM_JOB_NODELIST, SSD_WORKERS_PER_NODE workers per node, \
      default 1), else this machine (the same worker count every attempt).

      Batch: the global batch (the config's batch_size × WORKERS, or --global_batch_size) is kept: each \
      attempt's workers get global / workers, and a worker count that does not divide it is not used (the \
      next smaller one that does is). --keep_per_worker_batch keeps the config's per-worker batch instead.

      Every attempt is logged in MODEL_DIR/supervisor/restarts.jsonl (cause, hosts left out, steps lost, \
      downtime) and shown by ssd report. Exit status: 0 when training finished, else the last attempt's.

      Example:
        HOSTFILE=hosts launch/run.sh 4 configs/ssd_small_synth.config runs/x --max_restarts 2 --min_workers 2
      """)

  @Argument(parsing: .captureForPassthrough, help: "Supervisor options, then WORKERS PIPELINE_CONFIG MODEL_DIR and ssd train flags.")
  var arguments: [String] = []

  func run() throws {
    setvbuf(stdout, nil, _IOLBF, 0)
    if arguments.contains(where: { ["--help", "-h"].contains($0) }) { throw CleanExit.helpRequest(Self.self) }
    var maxRestarts = 0, minWorkers = 1, keepPerWorker = false
    var globalBatch: Int?
    var launcher: String?
    var rest: [String] = []
    var i = 0
    func value(_ name: String, _ inline: String?) throws -> String {
      if let inline { return inline }
      i += 1
      guard i < arguments.count else { throw ValidationError("--\(name) needs a value") }
      return arguments[i]
    }
    func integer(_ name: String, _ text: String, min: Int) throws -> Int {
      guard let n = Int(text), n >= min else { throw ValidationError("--\(name)=\(text): expected an integer ≥ \(min)") }
      return n
    }
    while i < arguments.count {
      let a = arguments[i]
      let body = a.hasPrefix("--") ? String(a.dropFirst(2)) : ""
      let name = String(body.prefix { $0 != "=" })
      let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
      switch name {
      case "max_restarts": maxRestarts = try integer(name, try value(name, inline), min: 0)
      case "min_workers": minWorkers = try integer(name, try value(name, inline), min: 1)
      case "global_batch_size": globalBatch = try integer(name, try value(name, inline), min: 1)
      case "keep_per_worker_batch": keepPerWorker = inline.map { $0 != "false" } ?? true
      case "launcher": launcher = try value(name, inline)
      case "": if a != "--" { rest.append(a) }
      default: rest.append(a)
      }
      i += 1
    }
    let positional = rest.prefix(3)
    guard positional.count == 3, !positional.contains(where: { $0.hasPrefix("-") }) else {
      throw ValidationError("expected WORKERS PIPELINE_CONFIG MODEL_DIR before the ssd train flags")
    }
    guard let workers = Int(positional[positional.startIndex]), workers >= 1 else {
      throw ValidationError("WORKERS must be a positive integer, got '\(positional[positional.startIndex])'")
    }
    let config = rest[1], modelDir = rest[2]
    let flags = Array(rest.dropFirst(3))
    let configBatch: Int
    do {
      configBatch = try PipelineConfig.load(path: config).trainConfig.batchSize
    } catch {
      throw ValidationError("\(error)")
    }
    let env = ProcessInfo.processInfo.environment
    let launcherPath = launcher ?? Self.defaultLauncher()
    guard FileManager.default.isExecutableFile(atPath: launcherPath) else {
      throw ValidationError("launcher \(launcherPath) is not executable: pass --launcher PATH/launch/run.sh")
    }
    let hosts: HostSource
    if let hostfile = env["HOSTFILE"], !hostfile.isEmpty {
      hosts = .hostfile(path: hostfile)
    } else if env["SLURM_JOB_ID"] != nil, let nodelist = env["SLURM_JOB_NODELIST"] ?? env["SLURM_NODELIST"] {
      let perNode = Int(env["SSD_WORKERS_PER_NODE"] ?? "1") ?? 1
      hosts = .slurm(nodes: try Self.slurmHostnames(nodelist), perNode: max(1, perNode))
    } else {
      hosts = .local
    }
    do {
      try FileManager.default.createDirectory(atPath: modelDir, withIntermediateDirectories: true)
      let policy = try RestartPolicy(maxRestarts: maxRestarts, minWorkers: minWorkers, workers: workers,
                                     configBatch: configBatch, globalBatch: globalBatch, keepGlobalBatch: !keepPerWorker)
      var environment = env
      environment["SSD_SUPERVISED"] = "1"
      let supervisor = try Supervisor(options: .init(launcher: launcherPath, config: config, modelDir: modelDir, flags: flags,
                                                     policy: policy, hosts: hosts, environment: environment,
                                                     passGlobalBatch: true))
      let status = try supervisor.run()
      if status != 0 { throw ExitCode(status) }
    } catch let error as SupervisorError {
      throw ValidationError(error.description)
    }
  }

  /// `launch/run.sh` of the checkout this binary was built in (`.build/…/ssd`): the first
  /// directory above the executable that has one.
  static func defaultLauncher() -> String {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0])
    for start in [exe, exe.resolvingSymlinksInPath()] {
      var dir = start.deletingLastPathComponent()
      for _ in 0..<5 {
        let candidate = dir.appendingPathComponent("launch/run.sh").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
      }
    }
    return "launch/run.sh"
  }

  /// Expands a Slurm node list ("n[0-3],login") with `scontrol show hostnames`.
  static func slurmHostnames(_ nodelist: String) throws -> [String] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["scontrol", "show", "hostnames", nodelist]
    let pipe = Pipe()
    p.standardOutput = pipe
    do {
      try p.run()
    } catch {
      throw ValidationError("cannot run scontrol to expand SLURM_JOB_NODELIST=\(nodelist): \(error)")
    }
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let names = out.split(whereSeparator: \.isNewline).map(String.init)
    guard p.terminationStatus == 0, !names.isEmpty else {
      throw ValidationError("scontrol show hostnames \(nodelist) failed (status \(p.terminationStatus))")
    }
    return names
  }
}
