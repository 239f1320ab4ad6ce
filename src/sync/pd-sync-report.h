/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-report.h — what a sync run's report says now: its events, and which of its failures
 * are still open.
 *
 * "Is this failure still open" has one answer, pd_sync_failure_is_open (pd-sync-report-private.h),
 * behind the functions here through which the engine (what an ordinary sync fetches again), the
 * sync panel (a failure shown fixed) and `sync --retry-failed` (what it retries) all ask it.
 */
#pragma once

#include <gio/gio.h>

#include "core/pd-store.h"

G_BEGIN_DECLS

/* Tenant ids (NULL-terminated) of the customers whose latest outcome is a failure still open,
 * whichever run it was in: what `sync --retry-failed` fetches. A later run that did not fetch
 * them (cancelled, of another reseller scope, a retry of others) leaves them open. Unlike
 * pd_sync_dup_unfetched_failures, not the customers only listed and never read.
 * (transfer full) */
char        **pd_sync_dup_latest_failures   (PdStore         *store);
/* The customers (a set of tenant ids) an ordinary sync fetches again: those whose latest outcome
 * in an earlier run (not current_run_id) is a failure still open, and those whose bill-to the
 * cache could not read. (transfer full) */
GHashTable   *pd_sync_dup_unfetched_failures (PdStore        *store,
                                              gint64          current_run_id);

/* The events a report shows: its replaced local edits and its failures. Not its NEW and
 * UPDATED events: a first sync of a million customers has a NEW event each (~100 MB). */
#define PD_SYNC_REPORT_KINDS (PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_OVERRIDE_REPLACED) \
                              | PD_RUN_EVENT_KIND_BIT (PD_RUN_EVENT_FAILED))

typedef struct {
  GPtrArray  *events;  /* PdRunEvent of the run of PD_SYNC_REPORT_KINDS, in order; the first
                        * max_failed FAILED ones carry the cached organization's id and name */
  GHashTable *fixed;   /* tenant ids of those FAILED events that are no longer open */
} PdSyncReport;

void          pd_sync_report_free           (PdSyncReport    *report);

/* Reads run_id's report in a thread, with its own connection to store's file. retried (may be
 * NULL): tenant id → the id (GSIZE_TO_POINTER) of a retry run that fetched it, which this
 * process saw: the cache keeps seconds, so a retry within the second of the failure is only
 * known that way. It is copied. */
void          pd_sync_report_load_async     (PdStore             *store,
                                             gint64               run_id,
                                             GHashTable          *retried,
                                             guint                max_failed,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* (transfer full) */
PdSyncReport *pd_sync_report_load_finish    (GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSyncReport, pd_sync_report_free)

/* What a run was, in words the app's sync panel and `partner-desk-cli status` share: its kind
 * ("Retry of failed customers"). (transfer none) */
const char   *pd_sync_kind_label             (PdSyncKind       kind);
/* … and its state ("Complete"). (transfer none) */
const char   *pd_sync_state_label            (PdSyncState      state);
/* The newest run in one line: "Last sync: Complete, <when>"; a retry says it read only its few
 * customers ("Last sync: retry of 3 customers, Complete, <when>"), as it did not sync the cache
 * whole. when: the time it ended (or started), as the caller writes times. (transfer full) */
char         *pd_sync_dup_last_run_title     (const PdSyncRun *run,
                                              const char      *when);
/* "Last complete sync: <when>" (a full or incremental one; when as the caller writes times), or
 * "No complete sync yet" when when is NULL. (transfer full) */
char         *pd_sync_dup_last_complete_text (const char      *when);

G_END_DECLS
