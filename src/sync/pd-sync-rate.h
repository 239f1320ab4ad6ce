/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-rate.h — throughput and ETA of a sync, from a short window of samples.
 *
 * Internal to src/sync (and its tests). A plain struct: the engine samples the number of
 * customers done a few times a second and reads a rate over the last few seconds, so the ETA
 * follows a run that slows down under throttling instead of averaging over the whole run.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PD_SYNC_RATE_SAMPLES 8

typedef struct {
  gint64  time_us[PD_SYNC_RATE_SAMPLES];
  guint64 done[PD_SYNC_RATE_SAMPLES];
  guint   n;      /* samples held */
  guint   head;   /* index of the newest sample */
} PdSyncRate;

void    pd_sync_rate_reset (PdSyncRate *rate);
/* Records done at now_us; a sample closer than 250 ms to the newest one is ignored. */
void    pd_sync_rate_add   (PdSyncRate *rate,
                            gint64      now_us,
                            guint64     done);
/* Items per second between the oldest and newest sample; 0 when unknown. */
double  pd_sync_rate_get   (const PdSyncRate *rate);
/* Seconds left at rate; < 0 when unknown (no rate or no total). */
double  pd_sync_eta        (double  rate,
                            guint64 done,
                            guint64 total);

G_END_DECLS
