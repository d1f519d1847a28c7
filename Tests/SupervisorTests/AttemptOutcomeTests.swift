import Testing
@testable import Supervisor

/// Failure reports as Open MPI 4.1.4 (Debian 12) and the trainer print them, recorded on the
/// netns test cluster (hostfile names nodes by address).
struct AttemptOutcomeTests {
  static let banner = "coordinator (world rank 0, pid 812) on sd-n0: 3 workers, worker 0 (world rank 1, pid 815) on sd-n0 [10.200.0.1]; "
    + "worker 1 (world rank 2, pid 816) on sd-n1 [10.200.0.2]; worker 2 (world rank 3, pid 817) on sd-n2 [10.200.0.3]"
  static let hosts = ["10.200.0.1", "10.200.0.2", "10.200.0.3"]

  func classify(_ status: Int32, _ text: String, stop: Bool = false) -> AttemptOutcome {
    var out = AttemptOutput()
    out.consume(Array((Self.banner + "\nstep 1 | loss 3.0\nstep 2 | loss 2.9\n" + text + "\n").utf8))
    out.finish()
    #expect(out.lastStep == 2 && out.firstStep?.step == 1)
    return AttemptOutcome.classify(status: status, tail: out.tail, ranks: out.ranks, hosts: Self.hosts, stopRequested: stop)
  }

  @Test func bannerMapsRanksToHostsAndAddresses() {
    var r = RankHosts()
    let isBanner = r.read(line: Self.banner)
    #expect(isBanner)
    #expect(r.ranks[0]?.name == "sd-n0")
    #expect(r.ranks[3] == .init(name: "sd-n2", addresses: ["10.200.0.3"]))
    #expect(r.match("sd-n2", in: Self.hosts) == "10.200.0.3")
    #expect(r.match(nil, rank: 2, in: ["sd-n0", "sd-n1", "sd-n2"]) == "sd-n1")
    #expect(r.match("sd-n1.cluster", in: ["sd-n0", "sd-n1"]) == "sd-n1")
  }

  @Test func killedRankIsRestartedWithoutItsNode() {
    let o = classify(137, """
      --------------------------------------------------------------------------
      Primary job  terminated normally, but 1 process returned
      a non-zero exit code. Per user-direction, the job has been aborted.
      --------------------------------------------------------------------------
      --------------------------------------------------------------------------
      mpirun noticed that process rank 3 with PID 6901 on node 10.200.0.3 exited on signal 9 (Killed).
      --------------------------------------------------------------------------
      """)
    #expect(o == .restartable(cause: "world rank 3 (pid 6901) on 10.200.0.3 killed by signal 9 (Killed)", failedHosts: ["10.200.0.3"]))
  }

  @Test func lostDaemonNamesTheNode() {
    let o = classify(205, """
      ORTE has lost communication with a remote daemon.

        HNP daemon   : [[50155,0],0] on node sd-n0
        Remote daemon: [[50155,0],1] on node 10.200.0.2

      This is usually due to either a failure of the TCP network
      """)
    guard case let .restartable(cause, failed) = o else { Issue.record("\(o)"); return }
    #expect(failed == ["10.200.0.2"])
    #expect(cause.contains("lost contact with node 10.200.0.2"))
  }

  /// A survivor killed by SIGPIPE (it was sending to the dead node) is not the failed node:
  /// the lost daemon is (seen in a 4-node netns run, node 2 killed: mpirun reported both).
  @Test func brokenPipeSurvivorIsNotBlamedWhenADaemonWasLost() {
    let o = classify(205, """
      mpirun noticed that process rank 2 with PID 4836 on node 10.200.0.2 exited on signal 13 (Broken pipe).
      --------------------------------------------------------------------------
      ORTE has lost communication with a remote daemon.

        HNP daemon   : [[50155,0],0] on node sd-n0
        Remote daemon: [[50155,0],2] on node 10.200.0.3
      """)
    guard case let .restartable(cause, failed) = o else { Issue.record("\(o)"); return }
    #expect(failed == ["10.200.0.3"])
    #expect(cause.contains("lost contact with node 10.200.0.3"))
    // Alone, a broken pipe names no host to leave out.
    let alone = classify(141, "mpirun noticed that process rank 2 with PID 4836 on node 10.200.0.2 exited on signal 13 (Broken pipe).")
    guard case let .restartable(_, none) = alone else { Issue.record("\(alone)"); return }
    #expect(none.isEmpty)
  }

  @Test func stallAbortLeavesOutTheWorkerThatNeverJoined() {
    let o = classify(4, """
      rank 1: aborting the MPI job: worker 0 on sd-n0 [10.200.0.1]: gradient bucket 0 of step 2 stalled for 5 s: never joined: worker 2 (world rank 3) on sd-n2 [10.200.0.3]
      MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD
      with errorcode 4.
      """)
    guard case let .restartable(cause, failed) = o else { Issue.record("\(o)"); return }
    #expect(failed == ["10.200.0.3"])
    #expect(cause.hasPrefix("collective stalled: worker 0 on sd-n0"))
  }

  @Test func coordinatorErrorIsFatal() {
    let o = classify(2, """
      rank 0: aborting the MPI job: coordinator (world rank 0) on sd-n0: non-finite loss at step 3
      MPI_ABORT was invoked on rank 0 in communicator MPI_COMM_WORLD
      with errorcode 2.
      """)
    #expect(o == .fatal(reason: "rank 0 aborted with code 2: coordinator (world rank 0) on sd-n0: non-finite loss at step 3"))
  }

  @Test func mpiErrorUnderAWorkerIsRestartedWithoutExcludingIt() {
    let o = classify(3, """
      rank 2: aborting the MPI job: worker 1 (world rank 2) on sd-n1: MPI_Recv failed with MPI error 17: a peer closed. Check the other ranks' logs
      MPI_ABORT was invoked on rank 2 in communicator MPI_COMM_WORLD
      with errorcode 3.
      """)
    guard case let .restartable(_, failed) = o else { Issue.record("\(o)"); return }
    #expect(failed.isEmpty)
  }

  @Test func flagErrorBeforeMPIIsFatal() {
    let o = classify(64, """
      Error: --num_train_steps=x: expected an integer
      mpirun detected that one or more processes exited with non-zero status, thus causing
      the job to be terminated. The first process to do so was:

        Process name: [[49259,1],1]
        Exit code:    64
      """)
    guard case let .fatal(reason) = o else { Issue.record("\(o)"); return }
    #expect(reason.contains("world rank 1 exited with status 64"))
  }

  @Test func stopAfterACheckpointIsNotRestarted() {
    let o = classify(75, """
      mpirun detected that one or more processes exited with non-zero status, thus causing
      the job to be terminated. The first process to do so was:

        Process name: [[30934,1],0]
        Exit code:    75
      """)
    guard case .stopped = o else { Issue.record("\(o)"); return }
  }

  @Test func successAndStopRequest() {
    #expect(classify(0, "") == .finished)
    guard case .stopped = classify(143, "mpirun noticed that process rank 1 with PID 5 on node x exited on signal 15 (Terminated).", stop: true)
    else { Issue.record("not stopped"); return }
  }
}
