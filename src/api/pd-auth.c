/* placeholder: to be implemented */
#include "pd-auth.h"
