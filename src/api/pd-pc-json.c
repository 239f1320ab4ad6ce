/* placeholder */
#include "pd-pc-types.h"
