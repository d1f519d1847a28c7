#include "CONNXProto.h"
