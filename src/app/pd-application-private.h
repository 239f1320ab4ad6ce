/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-application-private.h — what tests reach of PdApplication. Not part of the public contract;
 * included by pd-application.c and tests only. */
#pragma once

#include "pd-application.h"

G_BEGIN_DECLS

/* NULL before startup or when the cache could not be opened. (transfer none) (nullable) */
PdSession     *pd_application_get_session (PdApplication *self);

G_END_DECLS
