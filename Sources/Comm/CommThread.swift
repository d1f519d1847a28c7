import Foundation

/// A dedicated thread that runs submitted closures one at a time, in order: the one thread
/// of a process that calls MPI. Make the `Communicator` with `sync { try Communicator.world() }`
/// and route every later MPI use (collectives, `GradientReduction`) through it.
/// Idle, it sleeps on a condition variable.
///
/// Wiring in a training process:
/// ```
/// let thread = CommThread()
/// let comm = try thread.sync { try Communicator.world() }
/// let transport = try thread.sync { MPITransport(communicator: comm) }
/// let ring = RingAllReduce(transport: transport, timeout: .seconds(300))
/// let plan = BucketPlan(variables: layouts, bucketBytes: 8 << 20)
/// try thread.sync { try LayoutCheck.verify(plan, ring: ring) }
/// try thread.sync { try ring.broadcast(weights, root: 0, slot: .parameters) }
/// let reduction = GradientReduction(plan: plan, ring: ring, thread: thread)
/// … per step: reduction.begin / gradientsReady / finish, update, allGather …
/// try thread.sync { try comm.finalize() }
/// ```
public final class CommThread: @unchecked Sendable {
  /// The job queue, shared with the thread (which must not retain the `CommThread` itself).
  private final class Queue: @unchecked Sendable {
    let condition = NSCondition()
    var jobs: [() -> Void] = []
    var stopping = false
    var finished = false
    var thread: Thread?

    func loop() {
      while true {
        condition.lock()
        while jobs.isEmpty && !stopping { condition.wait() }
        if jobs.isEmpty && stopping {
          finished = true
          condition.broadcast()
          condition.unlock()
          return
        }
        let job = jobs.removeFirst()
        condition.unlock()
        job()
      }
    }
  }

  private let queue = Queue()

  /// Starts the thread (named `name`, 8 MiB stack).
  public init(name: String = "comm") {
    let queue = self.queue
    let thread = Thread { queue.loop() }
    thread.name = name
    thread.stackSize = 8 << 20
    queue.thread = thread
    thread.start()
  }

  deinit {
    stop()
  }

  /// True when called on this comm thread.
  public var isCurrent: Bool { Thread.current.isEqual(queue.thread) }

  /// Queues `job` to run after the jobs already queued; returns at once.
  public func async(_ job: @escaping () -> Void) {
    queue.condition.lock()
    precondition(!queue.stopping, "CommThread.async after stop()")
    queue.jobs.append(job)
    queue.condition.signal()
    queue.condition.unlock()
  }

  /// `async`, or false (nothing queued) once `stop()` was called.
  public func asyncUnlessStopping(_ job: @escaping () -> Void) -> Bool {
    queue.condition.lock()
    defer { queue.condition.unlock() }
    if queue.stopping { return false }
    queue.jobs.append(job)
    queue.condition.signal()
    return true
  }

  /// Runs `job` on the thread (after the jobs already queued) and returns its result or error.
  /// Must not be called from the thread itself.
  public func sync<T>(_ job: @escaping () throws -> T) throws -> T {
    precondition(!isCurrent, "CommThread.sync called from the comm thread itself (deadlock)")
    let done = NSCondition()
    var result: Result<T, Error>?
    async {
      let r = Result { try job() }
      done.lock()
      result = r
      done.signal()
      done.unlock()
    }
    done.lock()
    while result == nil { done.wait() }
    done.unlock()
    return try result!.get()
  }

  /// Lets the queued jobs finish, then ends the thread and waits for it. Idempotent.
  public func stop() {
    queue.condition.lock()
    queue.stopping = true
    queue.condition.broadcast()
    if !isCurrent {
      while !queue.finished { queue.condition.wait() }
    }
    queue.condition.unlock()
  }
}
