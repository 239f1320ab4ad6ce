/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-report-private.h — the rule behind pd-sync-report.h's functions, which tests check
 * directly. Not part of the public contract; included by pd-sync-report.c and tests only. */
#pragma once

#include "pd-sync-report.h"

G_BEGIN_DECLS

/* The failure of tenant_id in failed_in (the newest run it failed in) is open until Partner
 * Center answers a read of the customer after that run ended (or, if it never ended, started):
 * a sync stores it, or a bill-to push stores its answer or read-back (which is no sync: the
 * last sync stays as it was). */
gboolean      pd_sync_failure_is_open       (PdStore         *store,
                                             const char      *tenant_id,
                                             const PdSyncRun *failed_in);

G_END_DECLS
