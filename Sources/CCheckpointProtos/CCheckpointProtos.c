#include "CCheckpointProtos.h"
