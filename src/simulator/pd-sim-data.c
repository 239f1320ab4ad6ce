/* placeholder */
#include "pd-simulator.h"
