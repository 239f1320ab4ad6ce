/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sync.c — sync engine figures against the simulator (issue §4).
 *
 * The simulator runs in its own thread with its own main context (its latency timers and the
 * engine's callbacks do not queue behind each other); the engine runs on the main thread; the
 * peak-RSS figure spawns the real `partner-desk-cli sync`. Printed: a table, then one line per
 * figure: BENCH <name> <value> <unit> target=<op><value>.
 *
 * Sizes can be changed from the environment for a quick look: BENCH_SYNC_CUSTOMERS (10000),
 * BENCH_SYNC_LATENCY_MS (50), BENCH_SYNC_CONCURRENCY (16), BENCH_SYNC_SERIAL_CUSTOMERS (1000),
 * BENCH_SYNC_RPM_CUSTOMERS (500), BENCH_SYNC_RSS_CUSTOMERS (100000; 0 skips).
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/wait.h>

#include "api/pd-pc-client.h"
#include "core/pd-store.h"
#include "pd-sync-engine.h"
#include "pd-test-util.h"
#include "simulator/pd-simulator.h"

#define TOKEN "bench-token"

/* ---- the simulator thread ---- */

typedef struct {
  PdSimulatorOptions options;
  GThread           *thread;
  GMainContext      *context;
  GMainLoop         *loop;
  PdSimulator       *sim;
  GMutex             lock;
  GCond              cond;
  gboolean           ready;
} SimThread;

static gpointer
sim_thread_main (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (st->context);
  st->sim = pd_simulator_new (&st->options);
  if (!pd_simulator_start (st->sim, 0, &error))
    g_error ("simulator: %s", error->message);
  g_mutex_lock (&st->lock);
  st->ready = TRUE;
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  g_main_loop_run (st->loop);
  g_clear_object (&st->sim);
  g_main_context_pop_thread_default (st->context);
  return NULL;
}

static SimThread *
sim_thread_start (guint n_customers,
                  guint latency_ms,
                  guint rpm)
{
  SimThread *st = g_new0 (SimThread, 1);

  pd_simulator_options_init (&st->options);
  st->options.n_customers = n_customers;
  st->options.latency_ms = latency_ms;
  st->options.rpm = rpm;
  st->options.token = TOKEN;
  st->context = g_main_context_new ();
  st->loop = g_main_loop_new (st->context, FALSE);
  g_mutex_init (&st->lock);
  g_cond_init (&st->cond);
  st->thread = g_thread_new ("simulator", sim_thread_main, st);
  g_mutex_lock (&st->lock);
  while (!st->ready)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
  return st;
}

typedef struct {
  SimThread *st;
  void     (*func) (PdSimulator *sim, gpointer data);
  gpointer   data;
  gboolean   done;
} SimCall;

static gboolean
sim_call_in_thread (gpointer data)
{
  SimCall *call = data;

  call->func (call->st->sim, call->data);
  g_mutex_lock (&call->st->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->st->cond);
  g_mutex_unlock (&call->st->lock);
  return G_SOURCE_REMOVE;
}

/* Runs func on the simulator's thread (the simulator is not thread-safe) and waits. */
static void
sim_thread_call (SimThread *st,
                 void     (*func) (PdSimulator *sim, gpointer data),
                 gpointer   data)
{
  SimCall call = { st, func, data, FALSE };

  g_main_context_invoke (st->context, sim_call_in_thread, &call);
  g_mutex_lock (&st->lock);
  while (!call.done)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
}

static void
quit_loop (PdSimulator *sim,
           gpointer     data)
{
  g_main_loop_quit (data);
}

static void
sim_thread_stop (SimThread *st)
{
  sim_thread_call (st, quit_loop, st->loop);
  g_thread_join (st->thread);
  g_main_loop_unref (st->loop);
  g_main_context_unref (st->context);
  g_mutex_clear (&st->lock);
  g_cond_clear (&st->cond);
  g_free (st);
}

typedef struct {
  guint64 requests;
  guint64 throttled;
} SimCounters;

static void
read_counters (PdSimulator *sim,
               gpointer     data)
{
  SimCounters *counters = data;

  counters->requests = pd_simulator_get_requests (sim);
  counters->throttled = pd_simulator_get_throttled (sim);
}

static SimCounters
sim_counters (SimThread *st)
{
  SimCounters counters = { 0 };

  sim_thread_call (st, read_counters, &counters);
  return counters;
}

static void
change_bill_tos (PdSimulator *sim,
                 gpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = pd_simulator_mutate_json (sim, data, &error);

  if (answer == NULL)
    g_error ("mutate: %s", error->message);
}

typedef struct {
  char *base_url;
} UrlCall;

static void
read_url (PdSimulator *sim,
          gpointer     data)
{
  ((UrlCall *) data)->base_url = g_strdup (pd_simulator_get_base_url (sim));
}

static char *
sim_base_url (SimThread *st)
{
  UrlCall call = { NULL };

  sim_thread_call (st, read_url, &call);
  return call.base_url;
}

/* ---- one engine run ---- */

typedef struct {
  double    seconds;
  guint64   requests;       /* as counted by the client, retries included */
  guint64   throttled;      /* 429s the client received */
  guint     concurrency;    /* the most requests it had in flight */
  gint64    run_id;
} RunFigures;

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  if (pd_sync_engine_run_finish (PD_SYNC_ENGINE (source), result, &error) == 0)
    g_error ("sync failed: %s", error->message);
  *done = TRUE;
}

static RunFigures
timed_run (PdStore   *store,
           SimThread *st,
           guint      max_in_flight,
           guint      rpm,
           PdSyncMode mode)
{
  g_autofree char *url = sim_base_url (st);
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcClient) client = pd_pc_client_new (url, auth, &error);
  g_autoptr(PdSyncEngine) engine = NULL;
  PdPcStats stats = { 0 };
  RunFigures figures = { 0 };
  gboolean done = FALSE;
  gint64 start;

  g_assert_no_error (error);
  pd_pc_client_set_max_in_flight (client, max_in_flight);
  pd_pc_client_set_requests_per_minute (client, rpm);
  engine = pd_sync_engine_new (store, client);
  start = g_get_monotonic_time ();
  pd_sync_engine_run_async (engine, mode, NULL, on_run_done, &done);
  /* Bounded like a test: an hour is far beyond any figure measured here. */
  if (!pd_test_wait_for_flag (&done, 3600 * 1000))
    g_error ("sync did not finish");
  figures.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  pd_pc_client_get_stats (client, &stats);
  figures.requests = stats.requests;
  figures.throttled = stats.throttled;
  figures.concurrency = stats.max_in_flight_seen;
  return figures;
}

static PdStore *
open_store (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PdStore *store = pd_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static void
bench_line (const char *name,
            double      value,
            const char *unit,
            const char *target)
{
  g_print ("BENCH %s %.3f %s target=%s\n", name, value, unit, target);
}

/* ---- the figures ---- */

typedef struct {
  char  *dir;
  guint  latency_ms;
  guint  concurrency;
} Bench;

/* Full sync unthrottled, then an incremental sync after 50 changes on the same cache. */
static RunFigures
bench_full_and_incremental (Bench *b,
                            guint  n_customers)
{
  SimThread *st = sim_thread_start (n_customers, b->latency_ms, 0);
  g_autoptr(PdStore) store = open_store (b->dir, "full.db");
  RunFigures full, incremental;
  double bound;

  full = timed_run (store, st, b->concurrency, 0, PD_SYNC_MODE_FULL);
  bound = b->latency_ms / 1000.0 * full.requests / MAX (full.concurrency, 1);
  g_print ("%-34s %8.2f s  %7" G_GUINT64_FORMAT " requests  concurrency %u  "
           "bound %.2f s  ratio %.3f\n", "full sync (unthrottled)", full.seconds,
           full.requests, full.concurrency, bound, full.seconds / bound);
  bench_line ("sync_full_wall", full.seconds, "s", "info");
  bench_line ("sync_full_requests", full.requests, "requests", "info");
  bench_line ("sync_full_concurrency", full.concurrency, "requests", "info");
  bench_line ("sync_full_vs_bound", full.seconds / bound, "x", "<=1.25");

  sim_thread_call (st, change_bill_tos, (gpointer) "{\"changeBillTo\": 50, \"seed\": 17}");
  incremental = timed_run (store, st, b->concurrency, 0, PD_SYNC_MODE_AUTO);
  g_print ("%-34s %8.2f s  %7" G_GUINT64_FORMAT " requests\n", "incremental after 50 changes",
           incremental.seconds, incremental.requests);
  bench_line ("sync_incremental_50_changes", incremental.seconds, "s", "<2");
  sim_thread_stop (st);
  return full;
}

/* The same engine limited to one request at a time, on a slice: per request, extrapolated to
 * the full run's request count. */
static void
bench_serial (Bench            *b,
              const RunFigures *full,
              guint             n_customers)
{
  SimThread *st = sim_thread_start (n_customers, b->latency_ms, 0);
  g_autoptr(PdStore) store = open_store (b->dir, "serial.db");
  RunFigures serial = timed_run (store, st, 1, 0, PD_SYNC_MODE_FULL);
  double per_request = serial.seconds / serial.requests;
  double extrapolated = per_request * full->requests;

  g_print ("%-34s %8.2f s  %7" G_GUINT64_FORMAT " requests  (%u customers; extrapolated to "
           "%" G_GUINT64_FORMAT " requests: %.1f s)\n", "full sync, one request at a time",
           serial.seconds, serial.requests, n_customers, full->requests, extrapolated);
  bench_line ("sync_serial_extrapolated_wall", extrapolated, "s", "info");
  bench_line ("sync_speedup_vs_serial", extrapolated / full->seconds, "x", ">=8");
  sim_thread_stop (st);
}

/* Under a 500 requests/minute limit enforced by the simulator, with the client capped at the
 * same figure. */
static void
bench_rpm (Bench *b,
           guint  n_customers)
{
  const guint rpm = 500;
  SimThread *st = sim_thread_start (n_customers, b->latency_ms, rpm);
  g_autoptr(PdStore) store = open_store (b->dir, "rpm.db");
  RunFigures figures = timed_run (store, st, b->concurrency, rpm, PD_SYNC_MODE_FULL);
  SimCounters counters = sim_counters (st);
  double expected = figures.requests * 60.0 / rpm;
  double deviation = (figures.seconds - expected) / expected * 100;
  double share_429 = counters.requests > 0 ? 100.0 * counters.throttled / counters.requests : 0;

  g_print ("%-34s %8.2f s  %7" G_GUINT64_FORMAT " requests  (%u customers) expected %.1f s "
           "(%+.1f%%), 429: %" G_GUINT64_FORMAT " (%.2f%%)\n", "full sync at 500 requests/min",
           figures.seconds, figures.requests, n_customers, expected, deviation,
           counters.throttled, share_429);
  bench_line ("sync_rpm500_deviation", ABS (deviation), "%", "<=5");
  bench_line ("sync_rpm500_429_share", share_429, "%", "<=1");
  sim_thread_stop (st);
}

/* Peak RSS of the real CLI syncing a large cache (zero latency). */
static void
bench_cli_rss (Bench *b,
               guint  n_customers)
{
  SimThread *st = sim_thread_start (n_customers, 0, 0);
  g_autofree char *url = sim_base_url (st);
  g_autofree char *db = g_build_filename (b->dir, "cli.db", NULL);
  g_auto(GStrv) envp = g_get_environ ();
  const char *argv[] = { PD_CLI_PATH, "--db", db, "sync", NULL };
  g_autoptr(GError) error = NULL;
  struct rusage usage = { 0 };
  GPid pid;
  int status = 0;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  envp = g_environ_setenv (envp, "PARTNER_DESK_API_URL", url, TRUE);
  envp = g_environ_setenv (envp, "PARTNER_DESK_ACCESS_TOKEN", TOKEN, TRUE);
  if (!g_spawn_async (NULL, (char **) argv, envp,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid,
                      &error))
    g_error ("spawn: %s", error->message);
  /* The simulator answers from its own thread, so a blocking wait is fine here. */
  if (wait4 (pid, &status, 0, &usage) != pid)
    g_error ("wait4 failed");
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_print ("%-34s %8.2f s  peak RSS %.1f MB  exit %d  (%u customers)\n",
           "partner-desk-cli sync", seconds, usage.ru_maxrss / 1024.0,
           WIFEXITED (status) ? WEXITSTATUS (status) : -1, n_customers);
  bench_line ("cli_sync_peak_rss", usage.ru_maxrss / 1024.0, "MB", "<200");
  bench_line ("cli_sync_wall", seconds, "s", "info");
  sim_thread_stop (st);
}

int
main (int argc, char **argv)
{
  Bench b = { 0 };
  RunFigures full;
  guint n_customers = env_uint ("BENCH_SYNC_CUSTOMERS", 10000);
  guint rss_customers = env_uint ("BENCH_SYNC_RSS_CUSTOMERS", 100000);

  pd_test_init (&argc, &argv);
  b.dir = pd_test_make_tmpdir ();
  b.latency_ms = env_uint ("BENCH_SYNC_LATENCY_MS", 50);
  b.concurrency = env_uint ("BENCH_SYNC_CONCURRENCY", 16);
  g_print ("sync benchmark: %u customers, %u ms latency per request, max %u in flight\n",
           n_customers, b.latency_ms, b.concurrency);

  full = bench_full_and_incremental (&b, n_customers);
  bench_serial (&b, &full, env_uint ("BENCH_SYNC_SERIAL_CUSTOMERS", 1000));
  bench_rpm (&b, env_uint ("BENCH_SYNC_RPM_CUSTOMERS", 500));
  if (rss_customers > 0)
    bench_cli_rss (&b, rss_customers);

  pd_test_rm_rf (b.dir);
  g_free (b.dir);
  return 0;
}
