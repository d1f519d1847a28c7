/// A failed MPI call: which function, its error code and Open MPI's text for it.
public struct MPIError: Error, CustomStringConvertible, Equatable {
  /// The C function that failed, e.g. `MPI_Isend`.
  public let call: String
  public let code: Int32
  public let message: String

  public init(call: String, code: Int32, message: String) {
    self.call = call
    self.code = code
    self.message = message
  }

  public var description: String {
    "\(call) failed with MPI error \(code): \(message). Check the other ranks' logs and the network; "
      + "a rank that died takes the job with it"
  }
}
