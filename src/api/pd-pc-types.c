/* placeholder: to be implemented */
#include "pd-pc-types.h"
