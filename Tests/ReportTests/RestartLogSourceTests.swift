import Foundation
import Report
import Testing

/// A supervised run's restart log (`supervisor/restarts.jsonl`, as `ssd supervise` writes it)
/// shows up in the report: one row per attempt with its cause, hosts left out, steps lost and
/// downtime, and a summary line with the number of restarts.
struct RestartLogSourceTests {
  static let log = """
    {"attempt":1,"event":"start","excluded":[],"global_batch":12,"hosts":["10.200.0.1","10.200.0.2","10.200.0.3","10.200.0.4"],"per_worker_batch":3,"restart":0,"time":1796449523.8,"workers":4}
    {"attempt":1,"event":"first_step","step":1,"time":1796449537.2}
    {"attempt":1,"cause":"lost contact with node 10.200.0.3 (node down, link cut or its daemon killed)","checkpoint_step":4,"event":"end","failed_hosts":["10.200.0.3"],"last_step":5,"outcome":"restart","status":205,"steps_lost":1,"time":1796449568.4}
    {"attempt":2,"event":"start","excluded":["10.200.0.3"],"global_batch":12,"hosts":["10.200.0.1","10.200.0.2","10.200.0.4"],"per_worker_batch":4,"restart":1,"resume_step":4,"time":1796449568.5,"workers":3}
    {"attempt":2,"downtime_seconds":12.417,"event":"first_step","step":5,"time":1796449580.8}
    not json
    {"attempt":2,"cause":"training finished","checkpoint_step":10,"event":"end","last_step":10,"outcome":"finished","status":0,"time":1796449611.5}
    {"attempt":2,"event":"stop","reason":"training finished","status":0,"time":1796449611.5}

    """

  @Test func attemptsAndCausesAreShown() throws {
    let dir = try TempDir.make("restart-report")
    defer { TempDir.remove(dir) }
    try FileManager.default.createDirectory(atPath: dir + "/supervisor", withIntermediateDirectories: true)
    try Self.log.write(toFile: dir + "/supervisor/restarts.jsonl", atomically: true, encoding: .utf8)
    try "step 1 | loss 4.0 | lr 0.01\nstep 10 | loss 2.8 | lr 0.0\n".write(toFile: dir + "/train.log", atomically: true, encoding: .utf8)
    let history = try RunHistory(modelDir: dir)
    #expect(history.restarts.count == 2)
    #expect(history.restarts[0].failedHosts == ["10.200.0.3"] && history.restarts[0].stepsLost == 1)
    #expect(history.restarts[1].excluded == ["10.200.0.3"] && history.restarts[1].resumeStep == 4)
    #expect(history.restarts[1].downtimeSeconds == 12.417 && history.restarts[1].outcome == "finished")
    #expect(history.sources.contains(dir + "/supervisor/restarts.jsonl"))
    let page = HTMLReport(history: history, modelDir: dir).html()
    #expect(page.contains("<h2>Attempts and restarts</h2>"))
    #expect(page.contains("<tr><th>automatic restarts</th><td>1</td></tr>"))
    #expect(page.contains("lost contact with node 10.200.0.3 (node down, link cut or its daemon killed); failed: 10.200.0.3"))
    #expect(page.contains("<td>12 (4 per worker)</td><td>10.200.0.3</td><td>4</td><td>12.4</td>"), "\(page)")
  }

  @Test func unsupervisedRunHasNoRestartSection() throws {
    let dir = try TempDir.make("restart-none")
    defer { TempDir.remove(dir) }
    try "step 1 | loss 4.0 | lr 0.01\n".write(toFile: dir + "/train.log", atomically: true, encoding: .utf8)
    let history = try RunHistory(modelDir: dir)
    #expect(history.restarts.isEmpty)
    #expect(!HTMLReport(history: history, modelDir: dir).html().contains("Attempts and restarts"))
  }
}
