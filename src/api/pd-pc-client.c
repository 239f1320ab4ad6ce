/* placeholder: to be implemented */
#include "pd-pc-client.h"
