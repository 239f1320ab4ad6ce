/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-audit.h — what an incremental sync learns from the activity log.
 *
 * Internal to src/sync. Partner Center keeps audit records 90 days and refuses a start date
 * older than that (partner-center-api.md §10, §12), which decides when an incremental sync is
 * possible at all.
 */
#pragma once

#include "api/pd-pc-types.h"

G_BEGIN_DECLS

#define PD_SYNC_AUDIT_RETENTION_DAYS 90

typedef enum {
  PD_SYNC_CHANGE_REFETCH = 1,    /* added, bill-to or name changed, …: GET it again */
  PD_SYNC_CHANGE_REMOVED,        /* the relationship was removed last */
} PdSyncChange;

/* Customers named by customer-level records, each with the change its latest record calls
 * for: tenant id → GINT_TO_POINTER (PdSyncChange). (transfer full) */
GHashTable *pd_sync_changes_from_audit (GPtrArray *records);

/* When an incremental sync may run from base (the start of the last complete sync): TRUE and
 * the first date to read in *out_start. FALSE (full sync needed) when base is NULL or too old
 * for the log's retention. out_start: (out) (transfer full) */
gboolean    pd_sync_audit_window_start (GDateTime  *base,
                                        GDateTime  *now,
                                        GDateTime **out_start);

G_END_DECLS
