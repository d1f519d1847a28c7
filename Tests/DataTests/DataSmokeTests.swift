import Testing
@testable import Data

@Test func dataModuleLoads() {}
