import ArgumentParser
import Model

struct BenchModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Forward and forward+backward speed of the model, per layer kind.")

  func run() throws {
    print("OpenBLAS kernel: \(BLASRuntime.coreName)")
  }
}
