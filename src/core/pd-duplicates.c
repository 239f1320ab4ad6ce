/* placeholder: to be implemented */
#include "pd-duplicates.h"
