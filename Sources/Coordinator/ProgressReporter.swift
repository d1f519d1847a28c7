import Foundation

/// Writes training progress: one grep-able line per `every` steps on stdout
/// (`step 120 | loss 1.2345 | cls 0.9 | loc 0.2 | reg 0.1 | lr 0.010000 | 31.2 img/s | 812 ms/step`)
/// and, when `bar` is on, a one-line progress bar with ETA on stderr, redrawn in place.
final class ProgressReporter {
  let every: Int
  let bar: Bool
  let totalSteps: Int
  private var windowStart = Date()
  private var windowImages = 0
  private var windowSteps = 0
  private var windowInput = 0.0
  private let runStart = Date()
  private var runStartStep: Int?

  init(every: Int, bar: Bool, totalSteps: Int) {
    self.every = max(1, every)
    self.bar = bar
    self.totalSteps = totalSteps
  }

  /// Called after each step (`stats.step` is the step that ran; the counter is now step + 1).
  func stepFinished(_ stats: StepStatsSummary, force: Bool = false) {
    if runStartStep == nil { runStartStep = stats.step }
    windowImages += stats.images
    windowSteps += 1
    windowInput += stats.inputSeconds
    let done = stats.step + 1
    if done % every == 0 || force {
      let elapsed = Date().timeIntervalSince(windowStart)
      let ips = elapsed > 0 ? Double(windowImages) / elapsed : 0
      let ms = windowSteps > 0 ? 1000 * elapsed / Double(windowSteps) : 0
      clearBar()
      print(String(format: "step %d | loss %.4f | cls %.4f | loc %.4f | reg %.4f | lr %.6f | %.1f img/s | %.0f ms/step | input wait %.0f ms",
                   done, stats.totalLoss, stats.classificationLoss, stats.localizationLoss,
                   stats.regularizationLoss, stats.learningRate, ips, ms, 1000 * windowInput / Double(max(windowSteps, 1))))
      fflush(stdout)
      windowStart = Date()
      windowImages = 0
      windowSteps = 0
      windowInput = 0
    }
    drawBar(done: done)
  }

  func message(_ text: String) {
    clearBar()
    print(text)
    fflush(stdout)
  }

  func clearBar() {
    if bar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  private func drawBar(done: Int) {
    guard bar, totalSteps > 0 else { return }
    let first = runStartStep ?? 0
    let elapsed = Date().timeIntervalSince(runStart)
    let ranSteps = done - first
    let eta = ranSteps > 0 ? elapsed / Double(ranSteps) * Double(max(0, totalSteps - done)) : 0
    let width = 30
    let filled = min(width, width * done / totalSteps)
    let text = "\r[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "] "
      + "\(done)/\(totalSteps) " + String(format: "%3d%%", 100 * done / totalSteps) + " ETA " + Self.duration(eta)
    FileHandle.standardError.write(Data(text.utf8))
  }

  static func duration(_ s: Double) -> String {
    let t = Int(s.rounded())
    if t >= 3600 { return String(format: "%dh%02dm%02ds", t / 3600, (t / 60) % 60, t % 60) }
    if t >= 60 { return String(format: "%dm%02ds", t / 60, t % 60) }
    return "\(t)s"
  }
}

/// The parts of `StepStats` the reporter prints.
struct StepStatsSummary {
  var step: Int
  var totalLoss: Float, classificationLoss: Float, localizationLoss: Float, regularizationLoss: Float
  var learningRate: Float
  var images: Int
  /// Time the step waited for its batch.
  var inputSeconds: Double = 0
}
