import Comm
import Foundation
import Testing
import Wire

/// `ControlChannel.receive` waits without holding the comm thread (the overlapped weight
/// all-gather runs on that thread while a worker waits for its next command), and a receive
/// that times out leaves nothing posted that could swallow a later message.
@Suite struct ControlChannelTests {
  /// Two ranks of an in-process world, each with its own comm thread and channel.
  static func channels() -> (sender: ControlChannel, receiver: ControlChannel) {
    let world = InProcessWorld(size: 2)
    return (ControlChannel(transport: world.transport(rank: 0), thread: CommThread(name: "rank0")),
            ControlChannel(transport: world.transport(rank: 1), thread: CommThread(name: "rank1")))
  }

  @Test func aWaitingReceiveLeavesTheCommThreadFree() throws {
    let (sender, receiver) = Self.channels()
    let message = MomentumMessage(worker: 0, shard: [1, 2.5, -3])
    final class Outcome: @unchecked Sendable {
      let condition = NSCondition()
      var result: Result<MomentumMessage, Error>?
    }
    let outcome = Outcome(), received = outcome.condition
    Thread.detachNewThread {
      let r = Result {
        try receiver.receive(MomentumMessage.self, from: 0, operation: "test receive", timeout: .seconds(5), what: "test")
      }
      received.lock()
      outcome.result = r
      received.signal()
      received.unlock()
    }
    Thread.sleep(forTimeInterval: 0.2)  // the receive is polling by now
    // A job queued behind the waiting receive (as a gather piece is) runs at once, not when
    // the message comes.
    let start = ContinuousClock.now
    let answer = try receiver.thread.sync { 42 }
    let waited = ContinuousClock.now - start
    #expect(answer == 42)
    #expect(waited < .seconds(1), "a job on the comm thread waited \(waited) behind a pending receive")
    received.lock()
    #expect(outcome.result == nil, "the receive returned before anything was sent")
    received.unlock()
    Thread.sleep(forTimeInterval: 1.5)  // the message comes well after the job (a held thread would delay the job this long)
    try sender.send(message, to: 1)
    received.lock()
    while outcome.result == nil { received.wait() }
    received.unlock()
    #expect(try outcome.result!.get() == message)
  }

  @Test func aTimedOutReceiveLeavesTheNextMessageIntact() throws {
    let (sender, receiver) = Self.channels()
    #expect {
      _ = try receiver.receive(from: 0, operation: "waiting for nothing", timeout: .milliseconds(100))
    } throws: { error in
      guard case let CommError.timedOut(operation, peer, _) = error else { return false }
      return operation == "waiting for nothing" && peer == 0
    }
    // The timed-out receive's posted request was withdrawn: the next message goes to the next receive.
    let first = MomentumMessage(worker: 3, shard: Array(repeating: 7, count: 1000))
    let second = MomentumMessage(worker: 4, shard: [])
    try sender.send(first, to: 1)
    try sender.send(second, to: 1)
    #expect(try receiver.receive(MomentumMessage.self, from: 0, operation: "first", timeout: .seconds(10), what: "first") == first)
    #expect(try receiver.receive(MomentumMessage.self, from: 0, operation: "second", timeout: .seconds(10), what: "second") == second)
  }
}
