import Random

/// The input pipeline's random generator: the project's one generator, `SplitMix64`
/// (module `Random`; its documentation lists the pipeline's streams). The name says what
/// it is for at the pipeline's call sites.
public typealias SampleRandom = SplitMix64
