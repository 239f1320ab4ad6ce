/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-progress.c — sync progress on stderr. */
#include "config.h"

#include <stdio.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pd-cli-progress.h"
#include "pd-cli-table.h"

/* Plain lines: one per stage, and one every few seconds within a long stage. */
#define PLAIN_LINE_INTERVAL_US (5 * G_USEC_PER_SEC)
#define BAR_MIN_WIDTH 10
#define BAR_MAX_WIDTH 40

void
pd_cli_progress_init (PdCliProgress *self)
{
  struct winsize size = { 0 };

  self->tty = isatty (STDERR_FILENO);
  self->width = 80;
  if (self->tty && ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    self->width = size.ws_col;
  self->stage = PD_SYNC_STAGE_IDLE;
  self->waiting = FALSE;
  self->last_line_us = 0;
  self->drawn = FALSE;
}

char *
pd_cli_format_duration (double seconds)
{
  guint64 s;

  if (seconds < 0)
    return g_strdup ("?");
  s = (guint64) (seconds + 0.5);
  if (s >= 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                            (guint) (s % 3600 / 60), (guint) (s % 60));
  return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

/* "9000/20000  150/s  ETA 1:13  2 failed" */
static char *
format_counts (const PdSyncProgress *progress)
{
  GString *text = g_string_new (NULL);

  if (progress->total > 0)
    g_string_append_printf (text, "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                            progress->done, progress->total);
  else
    g_string_append_printf (text, "%" G_GUINT64_FORMAT, progress->done);
  if (progress->rate > 0)
    g_string_append_printf (text, _("  %.0f/s"), progress->rate);
  if (progress->eta_seconds >= 0)
    {
      g_autofree char *eta = pd_cli_format_duration (progress->eta_seconds);
      g_string_append_printf (text, _("  ETA %s"), eta);
    }
  if (progress->n_failed > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "  %u failed", "  %u failed",
                                               progress->n_failed), progress->n_failed);
  return g_string_free (text, FALSE);
}

/* label, cut with "…" to at most width columns: a bar line longer than the terminal wraps,
 * and each redraw ("\r", erase line) would then leave a line behind. */
static char *
fit_label (const char *label,
           guint       width)
{
  GString *text = g_string_new (NULL);

  pd_cli_append_cut (text, label, width);
  return g_string_free (text, FALSE);
}

static void
draw_bar (PdCliProgress        *self,
          const PdSyncProgress *progress,
          const char           *counts)
{
  g_autofree char *full = pd_sync_progress_dup_label (progress);
  double fraction = progress->total > 0 ? MIN (1.0, (double) progress->done / progress->total)
                                        : 0.0;
  /* Room left by the counts, the percentage and the spaces, one column spare. */
  guint room = pd_cli_text_width (counts) + 7;
  g_autofree char *label = fit_label (full, self->width > room ? self->width - room : 0);
  guint used = pd_cli_text_width (label) + pd_cli_text_width (counts) + 10;
  guint bar = self->width > used + BAR_MIN_WIDTH ? MIN (self->width - used, BAR_MAX_WIDTH) : 0;
  guint filled = (guint) (fraction * bar);
  GString *line = g_string_new ("\r\033[K");

  g_string_append_printf (line, "%s ", label);
  if (bar > 0)
    {
      g_string_append_c (line, '[');
      for (guint i = 0; i < bar; i++)
        g_string_append_c (line, i < filled ? '#' : '-');
      g_string_append (line, "] ");
    }
  if (progress->total > 0)
    g_string_append_printf (line, "%3u%% ", (guint) (fraction * 100));
  g_string_append (line, counts);
  fputs (line->str, stderr);
  fflush (stderr);
  g_string_free (line, TRUE);
  self->drawn = TRUE;
}

/* A plain line is due at each stage, each start or end of a throttling wait (a log then says
 * why the counts stood still), and every few seconds within a long stage. */
static gboolean
plain_line_due (PdCliProgress        *self,
                const PdSyncProgress *progress,
                gint64                now)
{
  /* The last report of a run is IDLE: the summary says the rest. */
  if (progress->stage == PD_SYNC_STAGE_IDLE)
    return FALSE;
  return progress->stage != self->stage || (progress->wait_seconds > 0) != self->waiting
         || now - self->last_line_us >= PLAIN_LINE_INTERVAL_US;
}

void
pd_cli_progress_update (PdCliProgress        *self,
                        const PdSyncProgress *progress)
{
  g_autofree char *counts = format_counts (progress);
  g_autofree char *label = NULL;
  gint64 now = g_get_monotonic_time ();

  if (self->tty)
    {
      if (progress->stage != PD_SYNC_STAGE_IDLE)
        draw_bar (self, progress, counts);
      return;
    }
  if (!plain_line_due (self, progress, now))
    return;
  self->stage = progress->stage;
  self->waiting = progress->wait_seconds > 0;
  self->last_line_us = now;
  label = pd_sync_progress_dup_label (progress);
  if (progress->done == 0 && progress->total == 0)
    g_printerr ("%s\n", label);
  else
    g_printerr ("%s: %s\n", label, counts);
}

void
pd_cli_progress_finish (PdCliProgress *self)
{
  if (self->tty && self->drawn)
    fputs ("\r\033[K", stderr);
  self->drawn = FALSE;
}
