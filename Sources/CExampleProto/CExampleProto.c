#include "CExampleProto.h"
