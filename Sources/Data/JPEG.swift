import CTurboJPEG

/// JPEG decoding through libjpeg-turbo's TurboJPEG API, configured like TensorFlow's
/// `decode_jpeg(channels=3)` with an empty `dct_method` (spec §1.4, §13.1):
/// - `JDCT_IFAST` integer DCT (`TJFLAG_FASTDCT`; TF: "TensorFlow-chosen default is IFAST"),
/// - fancy (triangle-filter) chroma upsampling (no `TJFLAG_FASTUPSAMPLE`),
/// - output always 3-channel RGB: grayscale JPEGs come out with the gray value in R, G and B,
///   4:2:0 / 4:2:2 / 4:4:4 and progressive streams all decode the same way.
/// Warnings from libjpeg (e.g. extraneous bytes before a marker) are tolerated like TF does;
/// a stream that ends before the image does is an error (TF without `try_recover_truncated`).
///
/// One decoder owns one TurboJPEG handle: use one per thread (not thread-safe, cheap to keep).
/// All raw C for JPEG lives in this file.
public final class JPEGDecoder {
  private var handle: tjhandle

  public init() {
    guard let h = tjInitDecompress() else {
      fatalError("tjInitDecompress failed: \(String(cString: tjGetErrorStr2(nil)))")
    }
    handle = h
  }

  deinit { tjDestroy(handle) }

  /// Images of this many output bytes or more are refused before anything is allocated:
  /// TensorFlow's `decode_jpeg` stops at 2^29 bytes too (jpeg_mem.cc, "Image too large"),
  /// so a header of a few bytes cannot make the decoder allocate gigabytes.
  public static let maximumOutputBytes = 1 << 29

  /// Width, height and chroma subsampling from the JPEG header, without decoding.
  public func header(_ bytes: UnsafeRawBufferPointer) throws -> JPEGHeader {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
      throw JPEGError.notJPEG(byteCount: 0, firstBytes: [], message: "empty input")
    }
    var w: Int32 = 0, h: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
    if tjDecompressHeader3(handle, base, UInt(bytes.count), &w, &h, &subsamp, &colorspace) != 0 {
      defer { resetAfterError() }
      if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 {
        throw JPEGError.badHeader(byteCount: bytes.count, message: lastError())
      }
      throw JPEGError.notJPEG(byteCount: bytes.count, firstBytes: Array(bytes.prefix(4)),
                              message: lastError())
    }
    return JPEGHeader(width: Int(w), height: Int(h), subsampling: JPEGSubsampling(turboJPEG: subsamp))
  }

  /// Decodes to 8-bit RGB, `height x width x 3`.
  public func decode(_ bytes: UnsafeRawBufferPointer) throws -> RGBImage {
    var image = RGBImage(height: 0, width: 0, pixels: [])
    try decode(bytes, into: &image)
    return image
  }

  /// Decodes into `image`, reusing its pixel memory when it is large enough (saves a
  /// zero-filled allocation per image in the input pipeline). On error `image` is left empty.
  public func decode(_ bytes: UnsafeRawBufferPointer, into image: inout RGBImage) throws {
    var pixels = [UInt8]()
    swap(&pixels, &image.pixels)
    image = RGBImage(height: 0, width: 0, pixels: [])
    let head = try header(bytes)
    guard head.width > 0, head.height > 0, head.width <= 65_535, head.height <= 65_535,
          head.width * head.height * 3 < Self.maximumOutputBytes else {
      throw JPEGError.badSize(width: head.width, height: head.height)
    }
    let count = head.width * head.height * 3
    if pixels.count > count {
      pixels.removeLast(pixels.count - count)
    } else if pixels.count < count {
      pixels.append(contentsOf: repeatElement(0, count: count - pixels.count))
    }
    let flags = TJFLAG_FASTDCT
    let status = pixels.withUnsafeMutableBufferPointer { out in
      tjDecompress2(handle, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt(bytes.count),
                    out.baseAddress!, Int32(head.width), Int32(head.width * 3), Int32(head.height),
                    Int32(TJPF_RGB.rawValue), flags)
    }
    if status != 0 {
      let message = lastError()
      let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
      resetAfterError()
      if isWarning {
        // libjpeg "Premature end of JPEG file" (JWRN_JPEG_EOF): the rest was filled in by the
        // library, but TensorFlow refuses such images, so do we.
        if message.contains("Premature end") {
          throw JPEGError.truncated(width: head.width, height: head.height, byteCount: bytes.count)
        }
      } else {
        throw JPEGError.corrupt(width: head.width, height: head.height, message: message)
      }
    }
    image = RGBImage(height: head.height, width: head.width, pixels: pixels)
  }

  /// Decodes bytes held in an array.
  public func decode(_ bytes: [UInt8]) throws -> RGBImage {
    try bytes.withUnsafeBytes { try decode($0) }
  }

  private func lastError() -> String { String(cString: tjGetErrorStr2(handle)) }

  /// libjpeg-turbo can leave a handle in a state where the next header read reports a
  /// 0x0 image after a failed decode; a fresh handle per failure keeps one bad image from
  /// spoiling the next good one.
  private func resetAfterError() {
    guard let fresh = tjInitDecompress() else { return }
    tjDestroy(handle)
    handle = fresh
  }
}

/// JPEG encoding through TurboJPEG (for synthetic data sets and drawings), baseline or
/// progressive, any chroma subsampling; `.gray` writes a 1-component JPEG from the luma.
/// One encoder per thread.
public final class JPEGEncoder {
  private let handle: tjhandle

  public init() {
    guard let h = tjInitCompress() else {
      fatalError("tjInitCompress failed: \(String(cString: tjGetErrorStr2(nil)))")
    }
    handle = h
  }

  deinit { tjDestroy(handle) }

  /// The JPEG file bytes of `image` at `quality` 1...100.
  public func encode(_ image: RGBImage, quality: Int = 90, subsampling: JPEGSubsampling = .s420,
                     progressive: Bool = false) throws -> [UInt8] {
    precondition((1...100).contains(quality), "JPEG quality must be 1...100, got \(quality)")
    guard image.width > 0, image.height > 0 else {
      throw JPEGError.encodeFailed(width: image.width, height: image.height, message: "empty image")
    }
    var out: UnsafeMutablePointer<UInt8>? = nil
    var size: UInt = 0
    let flags = progressive ? TJFLAG_PROGRESSIVE : 0
    let status = image.pixels.withUnsafeBufferPointer { src in
      tjCompress2(handle, src.baseAddress!, Int32(image.width), Int32(image.width * 3),
                  Int32(image.height), Int32(TJPF_RGB.rawValue), &out, &size,
                  subsampling.turboJPEG, Int32(quality), flags)
    }
    defer { if let out { tjFree(out) } }
    guard status == 0, let out else {
      throw JPEGError.encodeFailed(width: image.width, height: image.height,
                                   message: String(cString: tjGetErrorStr2(handle)))
    }
    return Array(UnsafeBufferPointer(start: out, count: Int(size)))
  }
}

extension JPEGSubsampling {
  init(turboJPEG value: Int32) {
    switch value {
    case Int32(TJSAMP_444.rawValue): self = .s444
    case Int32(TJSAMP_422.rawValue): self = .s422
    case Int32(TJSAMP_420.rawValue): self = .s420
    case Int32(TJSAMP_GRAY.rawValue): self = .gray
    case Int32(TJSAMP_440.rawValue): self = .s440
    case Int32(TJSAMP_411.rawValue): self = .s411
    default: self = .other
    }
  }

  var turboJPEG: Int32 {
    switch self {
    case .s444: return Int32(TJSAMP_444.rawValue)
    case .s422: return Int32(TJSAMP_422.rawValue)
    case .s420: return Int32(TJSAMP_420.rawValue)
    case .gray: return Int32(TJSAMP_GRAY.rawValue)
    case .s440: return Int32(TJSAMP_440.rawValue)
    case .s411: return Int32(TJSAMP_411.rawValue)
    case .other: preconditionFailure("cannot encode with an unknown chroma subsampling")
    }
  }
}
