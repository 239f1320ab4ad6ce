/* placeholder: to be implemented */
#include "pd-simulator.h"
