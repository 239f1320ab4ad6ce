/* placeholder: to be implemented */
#include "pd-csv.h"
