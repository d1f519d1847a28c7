import Data

/// The label map of the data pipeline (Config has its own `LabelMap` too; the coordinator
/// uses the one `TFRecordSampleSource` takes). Local until the merge settles the name.
public typealias LabelMap = Data.LabelMap
