import Foundation
import Testing
import TestSupport

/// Root with iproute2 (network namespaces need CAP_NET_ADMIN and CAP_SYS_ADMIN).
let netnsClusterPossible =
  getuid() == 0 && ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].contains { FileManager.default.isExecutableFile(atPath: $0) }

extension DistributedRunTests {
  /// A 3-node job on the netns test cluster (`../shared/tools/netns-cluster`, or
  /// `$NETNS_CLUSTER_TOOLS`): each node is a network namespace with its own address and host
  /// name, and all MPI traffic crosses veth links. Needs root (CI runs as root); the cluster
  /// gets a private prefix and is always torn down.
  @Suite(.serialized, .enabled(if: netnsClusterPossible))
  struct DistributedMultiNodeTests {
    static let subnet = "10.200.0"

    static let tools: String = {
      if let t = ProcessInfo.processInfo.environment["NETNS_CLUSTER_TOOLS"], !t.isEmpty { return t }
      return URL(fileURLWithPath: Fixtures.packageRoot.path + "/../shared/tools/netns-cluster").standardized.path
    }()

    /// Runs a cluster script with `prefix`; returns its status.
    @discardableResult
    static func cluster(_ script: String, _ args: [String], prefix: String) throws -> Int32 {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: tools + "/" + script)
      p.arguments = args
      var env = ProcessInfo.processInfo.environment
      env["NETNS_CLUSTER_PREFIX"] = prefix
      env["NETNS_CLUSTER_SUBNET"] = subnet
      p.environment = env
      p.standardOutput = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
      return p.terminationStatus
    }

    func job(prefix: String, config: String, modelDir: String, flags: [String], log: String) throws -> DistributedJob {
      try DistributedJob(executable: Fixtures.packageRoot.path + "/launch/run.sh",
                         arguments: ["2", config, modelDir] + DistributedConfigs.commonFlags + flags,
                         environment: ["SSD_BIN": DistributedJob.ssdBinary, "THREADS_PER_RANK": "1",
                                       "NETNS_CLUSTER_PREFIX": prefix, "NETNS_CLUSTER_SUBNET": Self.subnet, "MPIRUN": Self.tools + "/cluster-mpirun.sh",
                                       "MPIRUN_EXTRA": "--map-by node"],
                         log: log)
    }

    /// Coordinator on node 0, workers on nodes 1 and 2: the run completes and checkpoints;
    /// then a second run loses node 2's link mid-training (silent partition) and ends within
    /// 30 s with mpirun's report naming the lost node, status non-zero.
    @Test func threeNodeRunAndLinkCut() throws {
      let prefix = "sd\(getpid() % 100_000)"
      let dir = try Fixtures.temporaryDirectory("dist-netns")
      defer {
        _ = try? Self.cluster("teardown.sh", ["-f"], prefix: prefix)
        try? FileManager.default.removeItem(atPath: dir)
      }
      try #require(try Self.cluster("setup.sh", ["3"], prefix: prefix) == 0, "netns-cluster setup.sh 3 failed")
      let config = "\(dir)/b2.config"
      try DistributedConfigs.write(to: config, batch: 2, steps: 3)

      let ok = try job(prefix: prefix, config: config, modelDir: "\(dir)/ok", flags: [], log: "\(dir)/ok.log")
      let r = ok.finish(timeout: 180)
      try #require(r.status == 0 && !r.timedOut, "3-node run failed (status \(r.status)):\n\(ok.output.suffix(3000))")
      #expect(ok.output.contains("coordinator (world rank 0, pid") && ok.output.contains("on \(prefix)-n0:"))
      #expect(ok.output.contains("on \(prefix)-n1") && ok.output.contains("on \(prefix)-n2"),
              "workers not on nodes 1 and 2:\n\(ok.output.prefix(3000))")
      #expect(ok.losses.count == 3)
      let ckpt = try CheckpointContents(modelDir: "\(dir)/ok", config: config)
      #expect(ckpt.step == 3)

      let cut = try job(prefix: prefix, config: config, modelDir: "\(dir)/cut", flags: ["--num_train_steps=1000"],
                        log: "\(dir)/cut.log")
      try #require(cut.waitFor("step 3 |", timeout: 120), "the job never reached step 3:\n\(cut.output.suffix(2000))")
      let cutAt = Date()
      try Self.cluster("shape.sh", ["2", "down"], prefix: prefix)
      let c = cut.finish(timeout: 30, since: cutAt)
      #expect(!c.timedOut, "still running 30 s after node 2's link went down")
      #expect(c.status != 0)
      #expect(cut.output.contains("lost communication") && cut.output.contains("\(Self.subnet).3"),
              "no report naming the lost node:\n\(cut.output.suffix(2000))")
      // The start-up banner maps that node (address) to its rank.
      #expect(cut.output.range(of: #"worker 1 \(world rank 2, pid \d+\) on "# + prefix + #"-n2 \[10\.200\.0\.3\]"#,
                               options: .regularExpression) != nil, "banner does not map node 2 to world rank 2")
    }
  }
}
