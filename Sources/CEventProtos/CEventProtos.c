#include "CEventProtos.h"
