/* placeholder: to be implemented */
#include "pd-store.h"
