/// The samples `indices` of another source, renumbered 0 ..< indices.count (evaluation of
/// every n-th example, or one worker's share of the evaluation set).
public struct SubsetSampleSource: SampleSource {
  public let base: any SampleSource
  public let indices: [Int]
  public init(base: any SampleSource, indices: [Int]) {
    precondition(indices.allSatisfy { $0 >= 0 && $0 < base.count },
                 "SubsetSampleSource: index outside 0..<\(base.count)")
    self.base = base
    self.indices = indices
  }
  public var count: Int { indices.count }
  public func sample(_ index: Int) throws -> EncodedSample { try base.sample(indices[index]) }
  public func location(of index: Int) -> RecordLocation? { base.location(of: indices[index]) }
}
