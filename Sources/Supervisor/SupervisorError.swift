/// What stops the supervisor before or between attempts, with what to do about it.
public enum SupervisorError: Error, Equatable, CustomStringConvertible {
  case badHostfile(path: String, line: Int, reason: String)
  case cannotRead(path: String, what: String)
  case cannotWrite(path: String, reason: String)
  case badArguments(String)
  case cannotStart(command: String, reason: String)

  public var description: String {
    switch self {
    case let .badHostfile(path, line, reason):
      return "\(path):\(line): \(reason) (Open MPI hostfile syntax: `HOST slots=N`)"
    case let .cannotRead(path, what):
      return "cannot read \(what) \(path): check the path"
    case let .cannotWrite(path, reason):
      return "cannot write \(path): \(reason)"
    case let .badArguments(text):
      return text
    case let .cannotStart(command, reason):
      return "cannot start \(command): \(reason)"
    }
  }
}
