import Testing
@testable import Supervisor

struct RestartPolicyTests {
  @Test func keepsTheGlobalBatchWithCountsThatDivideIt() throws {
    let p = try RestartPolicy(maxRestarts: 2, minWorkers: 2, workers: 4, configBatch: 3)
    #expect(p.globalBatch == 12)
    #expect(p.workerCount(capacity: 8) == 4)   // never more than the first attempt
    #expect(p.workerCount(capacity: 3) == 3)
    #expect(p.perWorkerBatch(workers: 3) == 4)
    // 12 over 5 does not divide; with 4 slots left 4 workers, with 2 left 2.
    #expect(p.workerCount(capacity: 2) == 2)
    #expect(p.workerCount(capacity: 1) == nil)   // below --min_workers
  }

  @Test func skipsCountsThatDoNotDivide() throws {
    let p = try RestartPolicy(maxRestarts: 1, minWorkers: 1, workers: 4, configBatch: 2)   // global 8
    #expect(p.workerCount(capacity: 3) == 2)
    #expect(p.perWorkerBatch(workers: 2) == 4)
  }

  @Test func perWorkerBatchModeTakesEveryCount() throws {
    let p = try RestartPolicy(maxRestarts: 1, minWorkers: 1, workers: 4, configBatch: 2, keepGlobalBatch: false)
    #expect(p.workerCount(capacity: 3) == 3)
    #expect(p.perWorkerBatch(workers: 3) == 2)
  }

  @Test func refusesAnExplicitGlobalBatchThatDoesNotDivide() {
    #expect(throws: SupervisorError.self) {
      try RestartPolicy(maxRestarts: 1, minWorkers: 1, workers: 4, configBatch: 2, globalBatch: 10)
    }
    #expect(throws: SupervisorError.self) {
      try RestartPolicy(maxRestarts: 1, minWorkers: 5, workers: 4, configBatch: 2)
    }
  }
}
