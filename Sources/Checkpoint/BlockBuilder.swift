import Formats

/// Builds one block: prefix-compressed entries, then the restart array and its length.
struct BlockBuilder {
  let restartInterval: Int
  private var buffer: [UInt8] = []
  private var restarts: [UInt32] = [0]
  private var counter = 0
  private var lastKey: [UInt8] = []

  init(restartInterval: Int) { self.restartInterval = restartInterval }

  var isEmpty: Bool { buffer.isEmpty }
  var estimatedSize: Int { buffer.count + 4 * restarts.count + 4 }

  mutating func add(key: [UInt8], value: ArraySlice<UInt8>) {
    var shared = 0
    if counter < restartInterval {
      let n = min(lastKey.count, key.count)
      while shared < n && lastKey[shared] == key[shared] { shared += 1 }
    } else {
      restarts.append(UInt32(buffer.count))
      counter = 0
    }
    buffer.appendVarint(UInt64(shared))
    buffer.appendVarint(UInt64(key.count - shared))
    buffer.appendVarint(UInt64(value.count))
    buffer += key[shared...]
    buffer += value
    lastKey = key
    counter += 1
  }

  mutating func finish() -> [UInt8] {
    var out = buffer
    for r in restarts { out.appendLE(r) }
    out.appendLE(UInt32(restarts.count))
    return out
  }
}
