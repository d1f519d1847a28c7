import Data

/// The Data module's label map (the Config module has one too; this file sees only Data's).
public typealias RecordLabelMap = LabelMap
