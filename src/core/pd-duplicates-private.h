/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-private.h — what tests and benchmarks reach of PdDuplicates. Not part of the
 * public contract; included by pd-duplicates.c and tests only. */
#pragma once

#include "pd-duplicates.h"

G_BEGIN_DECLS

/* Adds or replaces (by org id) one organization in the index. */
void          pd_duplicates_add       (PdDuplicates *self,
                                       gint64        org_id,
                                       const char   *name,
                                       const char   *domain,
                                       const char   *tenant_id,
                                       const char   *erp_id);
guint         pd_duplicates_get_size  (PdDuplicates *self);

G_END_DECLS
