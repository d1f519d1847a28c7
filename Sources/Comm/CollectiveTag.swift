/// The one registry of message tags: every tag any rank sends or receives with is a case
/// here, so two users of a transport can be checked never to match each other's messages
/// (`CommTests` checks the values are distinct and at most `maximumTransportTag`).
///
/// Layout of the 32768 tags MPI guarantees: 32 slots of 1024. Slots 0…30 belong to ring
/// collectives (`RingAllReduce`): within a slot, phase × 256 + step (so at most 256 ranks;
/// the direct schedule uses step 255). Slot 31 holds the point-to-point tags.
///
/// | tag | used by |
/// | --- | --- |
/// | `.ring(.general, …)` | benchmarks and tests |
/// | `.ring(.gradients, …)` | `GradientReduction`: bucket reduce-scatters and the weight all-gather |
/// | `.ring(.parameters, …)` | worker start-up (host list, initial weights) and batch-norm statistics |
/// | `.ring(.layoutCheck, …)` | `LayoutCheck` |
/// | `.presence` | `StallDetector` notices (step, collective) before each gradient collective |
/// | `.controlHeader`, `.controlPayload` | coordinator ↔ worker messages (`Wire.ControlChannel`) |
public enum CollectiveTag: Hashable, Sendable {
  /// A block of 1024 tags for one kind of ring traffic.
  public enum Slot: Int, CaseIterable, Sendable {
    case general = 0
    case gradients = 1
    case parameters = 3
    case layoutCheck = 30
  }

  /// The phases of the ring collectives; 256 tags each within a slot.
  public enum Phase: Int, CaseIterable, Sendable {
    case reduceScatter = 0, allGather = 1, broadcast = 2, gather = 3
  }

  case ring(Slot, Phase, step: Int)
  case presence
  case controlHeader
  case controlPayload

  /// The tag passed to the transport.
  public var value: Int {
    switch self {
    case let .ring(slot, phase, step):
      precondition((0..<256).contains(step), "ring collective step \(step) outside 0..<256 (at most 256 ranks)")
      return slot.rawValue * 1024 + phase.rawValue * 256 + step
    case .presence: return Self.pointToPoint + 0
    case .controlHeader: return Self.pointToPoint + 1
    case .controlPayload: return Self.pointToPoint + 2
    }
  }

  /// First tag of the point-to-point block (slot 31).
  static let pointToPoint = 31 * 1024

  /// Every tag in use, for the distinctness check.
  public static var all: [CollectiveTag] {
    Slot.allCases.flatMap { slot in
      Phase.allCases.flatMap { phase in (0..<256).map { CollectiveTag.ring(slot, phase, step: $0) } }
    } + [.presence, .controlHeader, .controlPayload]
  }
}
