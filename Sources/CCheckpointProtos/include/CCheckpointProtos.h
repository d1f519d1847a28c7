// Generated protobuf-c code for CCheckpointProtos lands here (see scripts/).
