/* placeholder: to be implemented */
#include "pd-organization.h"
