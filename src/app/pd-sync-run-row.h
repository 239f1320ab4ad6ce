/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-run-row.h — one past sync run that has a report to show (failed customers, local
 * edits Partner Center replaced, or the error it failed with): an expander row whose lines are
 * read when it is first opened, and updated in place when later runs fix a failure.
 */
#pragma once

#include <adwaita.h>

#include "pd-session.h"
#include "sync/pd-sync-report.h"

G_BEGIN_DECLS

#define PD_TYPE_SYNC_RUN_ROW (pd_sync_run_row_get_type ())
G_DECLARE_FINAL_TYPE (PdSyncRunRow, pd_sync_run_row, PD, SYNC_RUN_ROW, AdwExpanderRow)

/* error: what the run failed with, or NULL. (transfer floating) */
GtkWidget *pd_sync_run_row_new          (PdSession    *session,
                                         gint64        run_id,
                                         const char   *title,
                                         const char   *summary,
                                         const char   *error);
gint64     pd_sync_run_row_get_run_id   (PdSyncRunRow *self);
/* Later runs may have fixed failures: a report shown already is asked for again. */
void       pd_sync_run_row_refresh      (PdSyncRunRow *self);
/* Whether the report shown has a line for a failure of tenant_id. */
gboolean   pd_sync_run_row_has_failure_of (PdSyncRunRow *self,
                                           const char   *tenant_id);
/* Numbers a read of the report about to start. Reads run in threads and may end out of order:
 * only the newest one begun is shown (an older one does not know what a retry since fixed). */
guint      pd_sync_run_row_begin_report (PdSyncRunRow *self);
/* Adds the report's lines (at most max_lines of each kind) the first time, and later only
 * updates the failed ones in place, so that an open report and the focus in it stay. serial:
 * the read's, from pd_sync_run_row_begin_report(); an older read is ignored. */
void       pd_sync_run_row_show_report  (PdSyncRunRow *self,
                                         guint         serial,
                                         PdSyncReport *report,
                                         guint         max_lines);
void       pd_sync_run_row_show_error   (PdSyncRunRow *self,
                                         guint         serial,
                                         const GError *error);

/* Signals: "report-wanted" (first expanded, or refreshed: read the report), "retried" (const char *tenant_id:
 * a retry of that customer started from its line). */

G_END_DECLS
