import Testing
@testable import Data

/// Each epoch's order is a permutation, differs between epochs and seeds, is reproducible.
@Test func epochOrderIsASeededPermutation() {
  let s = SampleSchedule.training(sampleCount: 100, globalBatchSize: 8, seed: 3)
  let e0 = s.order(epoch: 0), e1 = s.order(epoch: 1)
  #expect(e0.sorted() == Array(0..<100) && e1.sorted() == Array(0..<100))
  #expect(e0 != e1 && e0 != Array(0..<100))
  #expect(e0 == s.order(epoch: 0))
  #expect(e0 != SampleSchedule.training(sampleCount: 100, globalBatchSize: 8, seed: 4).order(epoch: 0))
}

/// 1 worker × 8 and 4 workers × 2 (and 2 × 4, 8 × 1) see the same global batches: the
/// concatenation of the worker slices in rank order is the single worker's batch.
@Test func shardingGivesTheSameGlobalBatchesForAnyWorldSize() {
  let s = SampleSchedule.training(sampleCount: 37, globalBatchSize: 8, seed: 11)
  #expect(s.stepsPerEpoch == 4)
  for step in 0..<13 {
    let single = s.workerBatch(step: step, rank: 0, worldSize: 1)
    #expect(single.count == 8 && single == s.globalBatch(step: step))
    for w in [2, 4, 8] {
      let joined = (0..<w).flatMap { s.workerBatch(step: step, rank: $0, worldSize: w) }
      #expect(joined == single, "world size \(w) step \(step)")
    }
  }
}

/// Every epoch covers distinct samples; the skipped remainder differs between epochs.
@Test func epochsDropOnlyTheRemainder() {
  let s = SampleSchedule.training(sampleCount: 37, globalBatchSize: 8, seed: 11)
  var seenPerEpoch = [Set<Int>]()
  for epoch in 0..<3 {
    let indices = (0..<4).flatMap { s.globalBatch(step: epoch * 4 + $0) }
    #expect(Set(indices).count == 32)
    seenPerEpoch.append(Set(indices))
  }
  #expect(seenPerEpoch[0] != seenPerEpoch[1])
  #expect(s.position(ofStep: 9) == (2, 1))
}

/// Evaluation: index order, every sample once, a short last batch split in rank order.
@Test func evaluationScheduleCoversAllSamplesInOrder() {
  let s = SampleSchedule.evaluation(sampleCount: 10, batchSize: 4)
  #expect(s.stepsPerEpoch == 3)
  #expect((0..<3).flatMap { s.globalBatch(step: $0) } == Array(0..<10))
  #expect(s.workerBatch(step: 2, rank: 0, worldSize: 2) == [8, 9])
  #expect(s.workerBatch(step: 2, rank: 1, worldSize: 2) == [])
}
