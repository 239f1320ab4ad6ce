/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-rate.c — throughput and ETA of a sync over a short window of samples. */
#include "config.h"

#include "pd-sync-rate.h"

/* Samples closer together than this carry no useful rate information. */
#define MIN_SAMPLE_GAP_US (250 * G_TIME_SPAN_MILLISECOND)

void
pd_sync_rate_reset (PdSyncRate *rate)
{
  memset (rate, 0, sizeof *rate);
}

void
pd_sync_rate_add (PdSyncRate *rate,
                  gint64      now_us,
                  guint64     done)
{
  /* Samples closer together say nothing about the rate; the reading lags by at most the
   * gap, which is invisible on a progress bar. */
  if (rate->n > 0 && now_us - rate->time_us[rate->head] < MIN_SAMPLE_GAP_US)
    return;
  rate->head = (rate->head + 1) % PD_SYNC_RATE_SAMPLES;
  rate->time_us[rate->head] = now_us;
  rate->done[rate->head] = done;
  if (rate->n < PD_SYNC_RATE_SAMPLES)
    rate->n++;
}

double
pd_sync_rate_get (const PdSyncRate *rate)
{
  guint oldest;
  gint64 span_us;

  if (rate->n < 2)
    return 0;
  oldest = (rate->head + PD_SYNC_RATE_SAMPLES - (rate->n - 1)) % PD_SYNC_RATE_SAMPLES;
  span_us = rate->time_us[rate->head] - rate->time_us[oldest];
  if (span_us <= 0 || rate->done[rate->head] < rate->done[oldest])
    return 0;
  return (double) (rate->done[rate->head] - rate->done[oldest]) * G_USEC_PER_SEC / span_us;
}

double
pd_sync_eta (double  rate,
             guint64 done,
             guint64 total)
{
  if (rate <= 0 || total == 0)
    return -1;
  if (done >= total)
    return 0;
  return (double) (total - done) / rate;
}
