// Generated protobuf-c code for CExampleProto lands here (see scripts/).
