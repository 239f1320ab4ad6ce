/* placeholder: to be implemented */
#include "pd-country-rules.h"
