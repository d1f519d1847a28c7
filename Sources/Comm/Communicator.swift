import CMPI
import Foundation

/// An MPI communicator and the process's MPI session: made once (`Communicator.world()`, which
/// calls `MPI_Init_thread`), then passed down to whatever needs it — never a global.
///
/// Threading: every MPI call must be made on the thread that made the world communicator
/// (checked by `precondition`). Run that thread as the `CommThread` of a training process;
/// other threads submit work to it. Errors return (`MPI_ERRORS_RETURN`) and are thrown as
/// `MPIError`.
///
/// The corresponding C functions are `MPI_Init_thread`, `MPI_Comm_rank`, `MPI_Comm_size`,
/// `MPI_Comm_split`, `MPI_Get_processor_name`, `MPI_Barrier`, `MPI_Allreduce`, `MPI_Abort`
/// and `MPI_Finalize`.
public final class Communicator {
  /// This process's rank in the communicator.
  public let rank: Int
  /// Number of processes in the communicator.
  public let size: Int
  /// The C handle (for `MPITransport`).
  let handle: MPI_Comm
  /// The thread allowed to call MPI.
  let owner: pthread_t
  /// True for the world communicator (the one that finalizes MPI).
  public let isWorld: Bool
  private var freed = false

  private init(handle: MPI_Comm, owner: pthread_t, isWorld: Bool) throws {
    self.handle = handle
    self.owner = owner
    self.isWorld = isWorld
    var r: Int32 = 0, s: Int32 = 0
    try Communicator.check(MPI_Comm_rank(handle, &r), "MPI_Comm_rank")
    try Communicator.check(MPI_Comm_size(handle, &s), "MPI_Comm_size")
    rank = Int(r)
    size = Int(s)
  }

  /// Initializes MPI (`MPI_Init_thread`, asking for `MPI_THREAD_FUNNELED`: only this thread
  /// will call MPI) and returns `MPI_COMM_WORLD`, with errors returned instead of aborting.
  /// Call once per process, on the thread that will make every MPI call.
  public static func world() throws -> Communicator {
    var initialized: Int32 = 0
    MPI_Initialized(&initialized)
    precondition(initialized == 0, "MPI is already initialized: make one world Communicator and pass it down")
    var provided: Int32 = 0
    try check(MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided), "MPI_Init_thread")
    guard provided >= cmpi_thread_funneled() else {
      throw MPIError(call: "MPI_Init_thread", code: provided,
                     message: "this MPI library provides thread level \(provided), below MPI_THREAD_FUNNELED; "
                       + "use an Open MPI build with thread support")
    }
    try check(MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()), "MPI_Comm_set_errhandler")
    return try Communicator(handle: cmpi_comm_world(), owner: pthread_self(), isWorld: true)
  }

  /// True when this process was started by `mpirun` (Open MPI sets `OMPI_COMM_WORLD_SIZE`).
  public static var launchedByMPIRun: Bool {
    ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil
  }

  /// Splits into sub-communicators: ranks with equal `color` share one, ordered by `key`
  /// (then by rank). Collective over this communicator.
  public func split(color: Int, key: Int) throws -> Communicator {
    checkThread()
    var newHandle: MPI_Comm? = nil
    try Communicator.check(MPI_Comm_split(handle, Int32(color), Int32(key), &newHandle), "MPI_Comm_split")
    guard let newHandle else {
      throw MPIError(call: "MPI_Comm_split", code: 0, message: "returned no communicator")
    }
    try Communicator.check(MPI_Comm_set_errhandler(newHandle, cmpi_errors_return()), "MPI_Comm_set_errhandler")
    return try Communicator(handle: newHandle, owner: owner, isWorld: false)
  }

  /// The host name MPI reports for this process (`MPI_Get_processor_name`).
  public func processorName() throws -> String {
    checkThread()
    var bytes = [CChar](repeating: 0, count: Int(cmpi_max_processor_name()) + 1)
    var length: Int32 = 0
    try Communicator.check(MPI_Get_processor_name(&bytes, &length), "MPI_Get_processor_name")
    return String(decoding: bytes[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Blocks until every rank arrives (`MPI_Barrier`; busy-polls inside Open MPI).
  public func barrier() throws {
    checkThread()
    try Communicator.check(MPI_Barrier(handle), "MPI_Barrier")
  }

  /// Open MPI's own all-reduce (sum) of `buffer` in place (`MPI_Allreduce` with
  /// `MPI_IN_PLACE`); the baseline `ssd bench allreduce` compares the ring against.
  public func mpiAllReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
    checkThread()
    precondition(buffer.count <= Int(Int32.max), "MPI_Allreduce counts are 32-bit")
    try Communicator.check(MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, Int32(buffer.count), cmpi_float(),
                                         cmpi_sum(), handle), "MPI_Allreduce")
  }

  /// The maximum of `value` over all ranks (`MPI_Allreduce` with `MPI_MAX` on one double).
  public func maxOverRanks(_ value: Double) throws -> Double {
    checkThread()
    var input = value, output = 0.0
    try Communicator.check(MPI_Allreduce(&input, &output, 1, cmpi_double(), cmpi_max(), handle), "MPI_Allreduce")
    return output
  }

  /// The sum of `value` over all ranks (`MPI_Allreduce` with `MPI_SUM` on one double).
  public func sumOverRanks(_ value: Double) throws -> Double {
    checkThread()
    var input = value, output = 0.0
    try Communicator.check(MPI_Allreduce(&input, &output, 1, cmpi_double(), cmpi_sum(), handle), "MPI_Allreduce")
    return output
  }

  /// Kills every process of the job (`MPI_Abort` on this communicator, exit code `code`)
  /// after printing `reason` to standard error.
  public func abort(_ code: AbortCode, reason: String) -> Never {
    FileHandle.standardError.write("rank \(rank): aborting the MPI job (\(code), code \(code.rawValue)): \(reason)\n"
                                     .data(using: .utf8)!)
    MPI_Abort(handle, code.rawValue)
    exit(code.rawValue)
  }

  /// Frees a split communicator, or finalizes MPI for the world one (`MPI_Comm_free`,
  /// `MPI_Finalize`). Call once, after the last collective, on the owner thread.
  public func finalize() throws {
    checkThread()
    precondition(!freed, "Communicator finalized twice")
    freed = true
    if isWorld {
      try Communicator.check(MPI_Finalize(), "MPI_Finalize")
    } else {
      var h: MPI_Comm? = handle
      try Communicator.check(MPI_Comm_free(&h), "MPI_Comm_free")
    }
  }

  /// Traps unless called on the thread that initialized MPI.
  func checkThread(_ function: StaticString = #function) {
    precondition(pthread_equal(pthread_self(), owner) != 0,
                 "Communicator.\(function) called off the MPI thread: submit it to the CommThread that made the Communicator")
  }

  /// Throws `MPIError` for a non-success return code, with `MPI_Error_string`'s text.
  static func check(_ code: Int32, _ call: String) throws {
    if code == cmpi_success() { return }
    throw MPIError(call: call, code: code, message: errorString(code))
  }

  static func errorString(_ code: Int32) -> String {
    var bytes = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
    var length: Int32 = 0
    guard MPI_Error_string(code, &bytes, &length) == cmpi_success() else { return "unknown MPI error" }
    return String(decoding: bytes[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
