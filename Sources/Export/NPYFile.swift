import Foundation

/// NumPy's `.npy` format (version 1.0) for little-endian float32 arrays: the 6-byte magic
/// `\x93NUMPY`, version 1.0, a 2-byte header length, an ASCII dict header padded with
/// spaces to a 64-byte boundary (ending in a newline), then the C-order data. What the
/// reference outputs of `ssd export --reference_dir` are written in, so a Python check can
/// `numpy.load` them.
public enum NPYFile {
  public static func encode(_ values: [Float], shape: [Int]) -> Data {
    precondition(values.count == shape.reduce(1, *), "npy: \(values.count) values do not fit \(shape)")
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    var bytes = [UInt8](repeating: 0, count: values.count * 4)
    bytes.withUnsafeMutableBytes { b in
      for (i, v) in values.enumerated() { b.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
    }
    data.append(contentsOf: bytes)
    return data
  }

  public static func write(_ values: [Float], shape: [Int], to path: String) throws {
    do {
      try encode(values, shape: shape).write(to: URL(fileURLWithPath: path))
    } catch {
      throw ExportError.cannotWrite(path: path, reason: error.localizedDescription)
    }
  }
}
