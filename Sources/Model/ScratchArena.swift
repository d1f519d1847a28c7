/// One growable float buffer reused by every layer for temporaries (im2col columns,
/// their gradients). Layers ask for a region, use it within one call and let go; the
/// network shares one arena so the largest request sets the footprint.
public final class ScratchArena {
  private var storage: UnsafeMutablePointer<Float>?
  public private(set) var capacity: Int = 0

  public init() {}
  deinit { storage?.deallocate() }

  /// At least `count` floats, valid until the next call (contents undefined).
  public func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
    if count > capacity || storage == nil {
      storage?.deallocate()
      capacity = max(count, 1)
      storage = .allocate(capacity: capacity)
    }
    return storage!
  }

  /// Frees the buffer (the next request allocates again).
  public func release() {
    storage?.deallocate()
    storage = nil
    capacity = 0
  }
}
