import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One attempt's launcher process (`launch/run.sh`, which execs mpirun), started with
/// `posix_spawn` in its own process group with standard output and error on one pipe.
///
/// Its own process group: a Ctrl-C in the terminal reaches only the supervisor, which forwards
/// the signal once (`signal(_:)`); mpirun would otherwise get it twice.
final class ChildProcess {
  let pid: pid_t
  /// The read end of the output pipe.
  let output: Int32
  private(set) var exitStatus: Int32?

  init(executable: String, arguments: [String], environment: [String: String]) throws {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else {
      throw SupervisorError.cannotStart(command: executable, reason: "pipe: \(String(cString: strerror(errno)))")
    }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setpgroup(&attributes, 0)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in Supervisor.forwardedSignals + [SIGPIPE] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var child: pid_t = 0
    let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    close(fds[1])
    guard rc == 0 else {
      close(fds[0])
      throw SupervisorError.cannotStart(command: executable, reason: String(cString: strerror(rc)))
    }
    pid = child
    output = fds[0]
  }

  deinit { close(output) }

  /// Sends `signal` to the launcher (mpirun forwards it to the ranks).
  func signal(_ signal: Int32) {
    if exitStatus == nil { kill(pid, signal) }
  }

  /// Reads output until the process has exited and its output is drained (or 3 s after the
  /// exit, if something it started still holds the pipe), passing each chunk to `sink`.
  /// Returns the exit status (128 + signal number when a signal ended it).
  func pump(_ sink: ([UInt8]) -> Void) -> Int32 {
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var exitedAt: Date?
    while true {
      var p = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
      let ready = poll(&p, 1, 200)
      if ready > 0 {
        let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
        if n > 0 {
          sink(Array(buffer[0..<n]))
          continue
        }
        if n == 0 { break }  // EOF: every writer is gone
        if errno != EINTR && errno != EAGAIN { break }
      }
      if exitStatus == nil { reap(blocking: false) }
      if exitStatus != nil {
        if exitedAt == nil { exitedAt = Date() }
        if Date().timeIntervalSince(exitedAt!) > 3 { break }
      }
    }
    if exitStatus == nil { reap(blocking: true) }
    return exitStatus!
  }

  private func reap(blocking: Bool) {
    var status: Int32 = 0
    while true {
      let r = waitpid(pid, &status, blocking ? 0 : WNOHANG)
      if r == pid { break }
      if r == 0 { return }
      if r < 0 && errno == EINTR { continue }
      exitStatus = 255
      return
    }
    let signal = status & 0x7f
    exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }
}
