/// The transformed F(4×4) kernel of one `Conv2D` weight, kept between inference forwards
/// while the parameter values are unchanged (`ParameterStore.valuesVersion`). Shared by
/// every application of a shared kernel (the pyramid levels of a tower).
public final class TransformedKernelCache {
  private var storage: UnsafeMutablePointer<Float>?
  private var count = 0
  private var store: ObjectIdentifier?
  private var version: UInt64 = 0

  public init() {}
  deinit { storage?.deallocate() }

  /// U [36][Cin][Cout] of `weight` [3,3,Cin,Cout], transformed again only when the values
  /// changed since the last call.
  func kernel(of weight: Param, in params: ParameterStore, inChannels c: Int, outChannels k: Int) -> UnsafePointer<Float> {
    let n = Winograd.kernelFloats(.f4, inChannels: c, outChannels: k)
    if let storage, count == n, store == ObjectIdentifier(params), version == params.valuesVersion {
      return UnsafePointer(storage)
    }
    if count != n {
      storage?.deallocate()
      storage = .allocate(capacity: n)
      count = n
    }
    let u = storage!
    params.values.withUnsafeBufferPointer { v in
      Profiler.measure(.im2col) { Winograd.transformKernel(.f4, v.baseAddress! + weight.offset, c: c, k: k, u: u) }
    }
    store = ObjectIdentifier(params)
    version = params.valuesVersion
    return UnsafePointer(u)
  }

  /// Frees the kernel (training holds no inference state).
  public func release() {
    storage?.deallocate()
    storage = nil
    count = 0
  }
}
