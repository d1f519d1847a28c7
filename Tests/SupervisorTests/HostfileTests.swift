import Testing
@testable import Supervisor

struct HostfileTests {
  @Test func parsesSlotsCommentsAndRepeatedHosts() throws {
    let h = try Hostfile.parse("# nodes\n10.200.0.1 slots=2\n\nnode-b   # the second\n10.200.0.1 slots=1 max_slots=4\n", path: "h")
    #expect(h.entries == [.init(host: "10.200.0.1", slots: 3), .init(host: "node-b", slots: 1)])
    #expect(h.totalSlots == 4)
    #expect(h.rendered() == "10.200.0.1 slots=3\nnode-b slots=1\n")
  }

  @Test func badSlotsNameTheLine() {
    #expect(throws: SupervisorError.badHostfile(path: "h", line: 2, reason: "slots must be an integer ≥ 1, got 'x'")) {
      try Hostfile.parse("a\nb slots=x\n", path: "h")
    }
  }

  @Test func planTakesHostsInOrderSkipsExcludedAndAddsTheCoordinatorSlot() {
    let hosts = Hostfile(entries: [.init(host: "a", slots: 1), .init(host: "b", slots: 2), .init(host: "c", slots: 1),
                                   .init(host: "d", slots: 1)])
    #expect(HostPlan.capacity(hosts, excluding: ["b"]) == 3)
    let plan = HostPlan(hosts: hosts, excluding: ["b"], workers: 2)
    #expect(plan.entries == [.init(host: "a", slots: 1), .init(host: "c", slots: 1)])
    #expect(plan.excluded == ["b"])
    #expect(plan.hostfile.rendered() == "a slots=2\nc slots=1\n")
    // A host's slots are cut to what the worker count needs.
    #expect(HostPlan(hosts: hosts, excluding: [], workers: 2).entries == [.init(host: "a", slots: 1), .init(host: "b", slots: 1)])
  }
}
