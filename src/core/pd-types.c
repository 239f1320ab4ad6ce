/* placeholder: to be implemented */
#include "pd-types.h"
