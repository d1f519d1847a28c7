import ArgumentParser
import Config
import Foundation

/// A model_main.py-style command line split into this trainer's own flags and model_main.py's
/// flags (`ssd train`, `ssd coordinator`, `ssd worker` share it). Own flags take
/// `--name=value` or `--name value`; boolean ones `--name`, `--name=false` or `--noname`.
/// Everything else goes to `ModelMainFlags.parse` with absl's syntax: unknown flags are
/// warned about and ignored, as `tf.app.run` tolerates them; stray positional words are errors.
struct TrainerCommandLine {
  var own: [String: String] = [:]
  var modelMain: ModelMainFlags

  init(_ arguments: [String], valued: Set<String>, booleans: Set<String>) throws {
    var rest: [String] = []
    var i = 0
    while i < arguments.count {
      let a = arguments[i]
      i += 1
      let body = a.hasPrefix("--") ? String(a.dropFirst(2)) : (a.hasPrefix("-") ? String(a.dropFirst()) : nil)
      guard let body else { rest.append(a); continue }
      let eq = body.firstIndex(of: "=") ?? body.endIndex
      let name = String(body[..<eq])
      let value = eq < body.endIndex ? String(body[body.index(after: eq)...]) : nil
      if booleans.contains(name) {
        own[name] = value ?? "true"
      } else if name.hasPrefix("no"), booleans.contains(String(name.dropFirst(2))), value == nil {
        own[String(name.dropFirst(2))] = "false"
      } else if valued.contains(name) {
        if let value {
          own[name] = value
        } else {
          guard i < arguments.count else { throw ValidationError("--\(name) needs a value (--\(name)=VALUE)") }
          own[name] = arguments[i]
          i += 1
        }
      } else {
        rest.append(a)
      }
    }
    let parsed: (flags: ModelMainFlags, ignored: [String], positional: [String])
    do {
      parsed = try ModelMainFlags.parse(rest)
    } catch {
      throw ValidationError("\(error)")
    }
    for flag in parsed.ignored { FileHandle.standardError.write(Data("warning: unknown flag \(flag) ignored\n".utf8)) }
    if !parsed.positional.isEmpty {
      throw ValidationError("unexpected arguments: \(parsed.positional.joined(separator: " "))")
    }
    modelMain = parsed.flags
  }
}
