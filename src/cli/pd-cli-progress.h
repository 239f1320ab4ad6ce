/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-progress.h — sync progress on stderr: a bar with counts, rate and ETA on a
 * terminal, plain lines otherwise (a log file or a pipe gets no control characters).
 */
#pragma once

#include "sync/pd-sync-engine.h"

G_BEGIN_DECLS

typedef struct {
  gboolean    tty;
  guint       width;
  PdSyncStage stage;
  gboolean    waiting;          /* the last plain line said Partner Center asked to wait */
  gint64      last_line_us;
  gboolean    drawn;
} PdCliProgress;

void  pd_cli_progress_init   (PdCliProgress        *self);
void  pd_cli_progress_update (PdCliProgress        *self,
                              const PdSyncProgress *progress);
/* Clears the bar so that the summary starts on a clean line. */
void  pd_cli_progress_finish (PdCliProgress        *self);
/* "1:05", "1:02:03"; "?" when unknown (seconds < 0). (transfer full) */
char *pd_cli_format_duration (double               seconds);

G_END_DECLS
