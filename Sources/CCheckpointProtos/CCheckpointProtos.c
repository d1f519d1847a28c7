// The generated protobuf-c sources (*.pb-c.c) sit beside this file; see
// scripts/gen-checkpoint-protos.sh. This file only anchors the target.
#include "CCheckpointProtos.h"
