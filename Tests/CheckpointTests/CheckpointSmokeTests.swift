import Testing
@testable import Checkpoint

@Test func checkpointModuleLoads() {}
