/* placeholder: to be implemented */
#include "pd-bill-to.h"
