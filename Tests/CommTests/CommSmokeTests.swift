import Testing
@testable import Comm

@Test func commModuleLoads() {}
