import Testing

/// Parent of the multi-process suites (equivalence, faults, multi-node): `.serialized` here
/// makes them run one job at a time, so each mpirun job has the machine's cores to itself
/// and the fault deadlines measure the job, not its neighbours.
@Suite(.serialized) struct DistributedRunTests {}
