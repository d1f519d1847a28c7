import Foundation
import Testing
import TestSupport

/// The `launch/` scripts build the mpirun line users run (checked with `DRY_RUN=1`, which
/// prints it without starting MPI): argument order as in the seed's examples, the
/// coordinator/worker split, the MPI flags the trainer needs, and arguments passed through.
struct LaunchScriptTests {
  /// `launch/SCRIPT ARGS` with `SSD_BIN=/bin/true`, `DRY_RUN` unset and `env` on top, not started.
  func launchScript(_ script: String, _ args: [String], env: [String: String] = [:]) -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Fixtures.packageRoot.path + "/launch/" + script)
    p.arguments = args
    var e = ProcessInfo.processInfo.environment
    e["DRY_RUN"] = nil
    e["SSD_BIN"] = "/bin/true"
    for (k, v) in env { e[k] = v }
    p.environment = e
    return p
  }

  func dryRun(_ script: String, _ args: [String], env: [String: String] = [:]) throws -> String {
    let p = launchScript(script, args, env: ["DRY_RUN": "1"].merging(env) { $1 })
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw HarnessError("\(script) failed (\(p.terminationStatus)): \(out)") }
    return out
  }

  @Test func fourWorkerScriptMirrorsTheSeedExample() throws {
    let configs = try Fixtures.temporaryDirectory("launch")
    defer { try? FileManager.default.removeItem(atPath: configs) }
    _ = FileManager.default.createFile(atPath: configs + "/ssd320_full_4gpus.config", contents: Data())
    let line = try dryRun("SSD320_FP32_4WORKER.sh", ["/tmp/results4", configs, "--eval_count=2", "--seed=7"],
                          env: ["THREADS_PER_RANK": "3", "OPENBLAS_CORETYPE": "Haswell"])
    let args = " --pipeline_config_path \(configs)/ssd320_full_4gpus.config --model_dir /tmp/results4 --eval_count=2 --seed=7"
    // Open MPI applies `-x NAME=VALUE` to the app context it precedes only: every context
    // carries the ranks' environment (before, the workers ran without OPENBLAS_NUM_THREADS).
    let env = "-x OPENBLAS_NUM_THREADS=3 -x OPENBLAS_CORETYPE=Haswell"
    #expect(line.contains("-np 1 \(env) /bin/true coordinator" + args + " : -np 4 \(env) /bin/true worker" + args), "\(line)")
    for flag in ["--bind-to none", "--mca mpi_yield_when_idle 1", "--mca oob_tcp_keepalive_time 5",
                 "--mca oob_tcp_keepalive_intvl 2", "--mca oob_tcp_keepalive_probes 3", "--oversubscribe"] {
      #expect(line.contains(flag), "missing \(flag) in \(line)")
    }
    #expect(line.contains("--allow-run-as-root") == (getuid() == 0))
  }

  @Test func multinodeScriptUsesTheHostfileSlots() throws {
    let dir = try Fixtures.temporaryDirectory("launch-mn")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "# nodes\nnode-a slots=2\nnode-b slots=2\nnode-c\n".write(toFile: dir + "/hosts", atomically: true, encoding: .utf8)
    _ = FileManager.default.createFile(atPath: dir + "/c.config", contents: Data())
    let line = try dryRun("SSD320_multinode.sh", [dir + "/hosts", dir + "/c.config", dir + "/model"])
    #expect(line.contains("--hostfile \(dir)/hosts"), "\(line)")
    #expect(line.contains("--map-by node"))
    #expect(line.contains(": -np 4 -x OPENBLAS_NUM_THREADS="), "5 slots = coordinator + 4 workers: \(line)")
    #expect(!line.contains("--oversubscribe"))
  }

  @Test func evaluateScriptRunsOnceOnTheCheckpointDirectory() throws {
    let dir = try Fixtures.temporaryDirectory("launch-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = FileManager.default.createFile(atPath: dir + "/ssd320_full_1gpus.config", contents: Data())
    let line = try dryRun("SSD320_evaluate.sh", ["/ckpts/run1", dir], env: ["WORKERS": "2"])
    #expect(line.contains("--model_dir /results --checkpoint_dir /ckpts/run1 --run_once : -np 2 -x OPENBLAS_NUM_THREADS="), "\(line)")
  }

  /// Inside a Slurm allocation (the variables sbatch sets): one worker per node, mapped by
  /// Open MPI's ppr mapper with no hostfile, threads from the node's allocated CPUs.
  @Test func slurmBatchScriptRunsOneWorkerPerNode() throws {
    let dir = try Fixtures.temporaryDirectory("launch-slurm")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = FileManager.default.createFile(atPath: dir + "/c.config", contents: Data())
    var e = ["SLURM_JOB_ID": "7", "SLURM_JOB_NUM_NODES": "3", "SLURM_CPUS_ON_NODE": "8", "SSD_ROOT": Fixtures.packageRoot.path]
    let line = try dryRun("slurm.sbatch", [dir + "/c.config", dir + "/model", "--seed=1"], env: e)
    #expect(line.contains("3 worker(s) (1 per node), 8 thread(s) each"), "\(line)")
    #expect(line.contains("--map-by ppr:1:node") && !line.contains("--hostfile"), "\(line)")
    #expect(line.contains("--bind-to none"))
    #expect(line.contains("-np 1 -x OPENBLAS_NUM_THREADS=8 "), "\(line)")
    #expect(line.contains("/bin/true coordinator --pipeline_config_path \(dir)/c.config --model_dir \(dir)/model --seed=1 : -np 3 -x OPENBLAS_NUM_THREADS=8 "), "\(line)")
    e["SSD_WORKERS_PER"] = "socket"
    let sockets = try dryRun("slurm.sbatch", [dir + "/c.config", dir + "/model"], env: e)
    #expect(sockets.contains("--map-by ppr:1:socket") && sockets.contains("--bind-to socket"), "\(sockets)")
  }

  /// `--max_restarts` (or `--min_workers`) hands the job to `ssd supervise` with everything else.
  @Test func restartFlagsHandTheJobToTheSupervisor() throws {
    let dir = try Fixtures.temporaryDirectory("launch-sup")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = FileManager.default.createFile(atPath: dir + "/c.config", contents: Data())
    let line = try dryRun("run.sh", ["4", dir + "/c.config", dir + "/m", "--max_restarts", "2", "--seed=3"])
    #expect(line.hasPrefix("/bin/true supervise --launcher \(Fixtures.packageRoot.path)/launch/run.sh 4 \(dir)/c.config \(dir)/m --max_restarts 2 --seed=3"),
            "\(line)")
  }

  /// One stop request reaches mpirun as one SIGUSR1 (CI at b81dd9c: a plain `scancel` aborted
  /// the job without a checkpoint). Slurm signals launch/run.sh and mpirun at once; a SIGTERM
  /// pending at mpirun (blocked there) shows only at run.sh's next tick, and run.sh forwarded it
  /// as a second SIGUSR1 that, on a loaded machine, reached the ranks more than 2 s after the
  /// first: a "second signal", so they aborted. A fake mpirun records the SIGUSR1s it gets: the
  /// signal to mpirun 1.5 s after the one to run.sh is merged; a second signal to run.sh 3.5 s
  /// after the first (a user aborting) still goes through.
  @Test func signalsToTheScriptAndToMpirunReachMpirunAsOneStopRequest() throws {
    let dir = try Fixtures.temporaryDirectory("launch-signals")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = FileManager.default.createFile(atPath: dir + "/c.config", contents: Data())
    let log = dir + "/mpirun.log", fake = dir + "/fake-mpirun"
    try """
      #!/usr/bin/env bash
      trap 'echo "usr1 ${EPOCHREALTIME//[!0-9]/}" >> "\(log)"' USR1
      echo "started $$" >> "\(log)"
      for i in $(seq 90); do sleep 0.1; done
      echo done >> "\(log)"

      """.write(toFile: fake, atomically: true, encoding: .utf8)
    chmod(fake, 0o755)
    let p = launchScript("run.sh", ["2", dir + "/c.config", dir + "/m"], env: ["MPIRUN": fake])
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    func lines() -> [Substring] {
      ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
    }
    let deadline = Date().addingTimeInterval(20)
    var mpirun: Int32?
    while mpirun == nil && Date() < deadline {
      mpirun = lines().first { $0.hasPrefix("started ") }.flatMap { Int32($0.dropFirst(8)) }
      if mpirun == nil { Thread.sleep(forTimeInterval: 0.05) }
    }
    guard let mpirun else {
      p.terminate()
      throw HarnessError("the fake mpirun did not start: \(lines())")
    }
    kill(p.processIdentifier, SIGTERM)   // the whole job: run.sh ...
    Thread.sleep(forTimeInterval: 1.5)
    kill(mpirun, SIGTERM)                // ... and mpirun, seen a tick later
    Thread.sleep(forTimeInterval: 2)
    kill(p.processIdentifier, SIGTERM)   // a deliberate second signal, 3.5 s after the first
    p.waitUntilExit()
    let usr1 = lines().filter { $0.hasPrefix("usr1 ") }.compactMap { Int64($0.dropFirst(5)) }
    #expect(lines().last == "done", "\(lines())")
    #expect(usr1.count == 2, "mpirun got \(usr1.count) SIGUSR1 (expected 2: the stop request, the second signal): \(lines())")
    if usr1.count == 2 {
      #expect(usr1[1] - usr1[0] > 2_000_000, "the two SIGUSR1 are \(usr1[1] - usr1[0]) us apart")
    }
  }
}
