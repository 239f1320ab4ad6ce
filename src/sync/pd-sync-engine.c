/* placeholder: to be implemented */
#include "pd-sync-engine.h"
