/// A multi-process test could not set up or run its job (missing binary, failed run,
/// unexpected config template); the message says which and what to do.
struct HarnessError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}
