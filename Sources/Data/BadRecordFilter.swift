/// `--skip-bad-records`: checks every record once before training (tf.Example decode and
/// validation, full JPEG decode) and returns a source of the good ones, renumbered, plus a
/// description of each skipped record. TFRecord files whose framing breaks are read up to the
/// break (the rest of that file is lost; reported by the dataset's own tolerant reader).
/// Without the flag the first bad record stops the run with its file and record.
public enum BadRecordFilter {
  public static func filter(_ source: any SampleSource) -> (source: any SampleSource, skipped: [String]) {
    var decoder = JPEGDecoder()
    var good: [Int] = []
    var skipped: [String] = []
    for i in 0..<source.count {
      do {
        let s = try source.sample(i)
        _ = try decoder.decode(s.jpeg)
        good.append(i)
      } catch {
        decoder = JPEGDecoder()  // a decoder that failed may keep the failure's state (seen: next image "0x0")
        let text = "\(error)"
        let place = source.location(of: i).map { "\($0)" } ?? "record \(i)"
        skipped.append(text.hasPrefix(place) ? text : "\(place): \(text)")
      }
    }
    if skipped.isEmpty { return (source, []) }
    return (SubsetSampleSource(base: source, indices: good), skipped)
  }
}
