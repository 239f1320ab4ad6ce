/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-api.c — PdPcClient throughput and JSON mapping speed.
 *
 * The simulator runs as its own process (partner-desk-simulator, zero latency), so this
 * process's getrusage is the client's CPU alone. Figures:
 *   api_list_wall_s        listing every customer page by page (target < 5 s for 100,000)
 *   api_list_client_cpu_s  user + system CPU of the client meanwhile
 *   api_parse_page_ms      median time to map one 500-customer page, freeing included
 *                          (target < 5 ms); api_parse_page_cpu_ms the same in CPU time
 * BENCH_API_CUSTOMERS (default 100000) changes the size for a quick look.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <libsoup/soup.h>

#include "pd-pc-client.h"
#include "pd-pc-json-private.h"

#define TOKEN "bench-bearer-value"
#define PARSE_RUNS 200

typedef struct {
  gboolean done;
  gint64   count;
  guint    pages;
  GError  *error;
} ListRun;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
bench_line (const char *name,
            double      value,
            const char *unit,
            const char *target)
{
  g_print ("BENCH %s %.3f %s%s%s\n", name, value, unit, target ? " target=" : "",
           target ? target : "");
}

/* Starts the simulator and returns its base URL (its first line on stdout). */
static GSubprocess *
start_simulator (guint    n_customers,
                 char   **base_url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = g_strdup_printf ("%u", n_customers);
  GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                           SIMULATOR_PATH, "--port", "0", "--customers", count,
                                           "--token", TOKEN, NULL);
  g_autoptr(GDataInputStream) out = NULL;

  if (process == NULL)
    g_error ("cannot start the simulator: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  *base_url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (*base_url == NULL)
    g_error ("the simulator gave no URL: %s", error ? error->message : "end of output");
  return process;
}

static gboolean
on_page (GPtrArray *customers,
         gpointer   data)
{
  ((ListRun *) data)->pages++;
  return TRUE;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  ListRun *run = data;

  run->count = pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &run->error);
  run->done = TRUE;
}

static void
bench_list (const char *base_url,
            guint       n_customers)
{
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (TOKEN);
  g_autoptr(PdPcClient) client = pd_pc_client_new (base_url, auth, NULL);
  ListRun run = { 0 };
  gint64 start = g_get_monotonic_time ();
  double cpu_start = cpu_seconds ();
  double wall, cpu;

  pd_pc_client_list_customers_async (client, PD_PC_FILTER_NONE, NULL, on_page, &run, NULL,
                                     on_listed, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu_start;
  if (run.error != NULL)
    g_error ("listing failed: %s", run.error->message);
  if (run.count != n_customers)
    g_error ("listed %" G_GINT64_FORMAT " customers, expected %u", run.count, n_customers);
  g_print ("%-32s %10.3f s   (%u pages, %" G_GINT64_FORMAT " customers)\n", "list: wall", wall,
           run.pages, run.count);
  g_print ("%-32s %10.3f s\n", "list: client CPU", cpu);
  bench_line ("api_list_wall_s", wall, "s", n_customers == 100000 ? "<5" : NULL);
  bench_line ("api_list_client_cpu_s", cpu, "s", NULL);
}

/* The first page exactly as the simulator sends it. */
static GBytes *
fetch_page (const char *base_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base_url, "/v1/customers?size=500", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " TOKEN);
  body = soup_session_send_and_read (session, message, NULL, &error);
  if (body == NULL || soup_message_get_status (message) != 200)
    g_error ("cannot fetch a page: %s", error ? error->message : "HTTP error");
  return body;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
bench_parse (GBytes *page)
{
  double times[PARSE_RUNS];
  double cpu[PARSE_RUNS];
  gsize len;
  const char *data = g_bytes_get_data (page, &len);
  guint n_items = 0;

  for (guint i = 0; i < PARSE_RUNS; i++)
    {
      g_autoptr(GPtrArray) customers = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = process_cpu_ms ();

      if (!pd_pc_json_parse_customer_page (data, len, &customers, NULL, NULL, NULL, &error))
        g_error ("page does not parse: %s", error->message);
      n_items = customers->len;
      g_clear_pointer (&customers, g_ptr_array_unref);
      times[i] = (g_get_monotonic_time () - start) / 1e3;
      cpu[i] = process_cpu_ms () - cpu_start;
    }
  qsort (times, PARSE_RUNS, sizeof times[0], compare_doubles);
  qsort (cpu, PARSE_RUNS, sizeof cpu[0], compare_doubles);
  g_print ("%-32s %10.3f ms  (%u customers, %" G_GSIZE_FORMAT " bytes, p95 %.3f ms)\n",
           "parse one page: median", times[PARSE_RUNS / 2], n_items, len,
           times[PARSE_RUNS * 95 / 100]);
  g_print ("%-32s %10.3f ms  (CPU time: what the page costs when the machine is busy)\n",
           "parse one page: median CPU", cpu[PARSE_RUNS / 2]);
  bench_line ("api_parse_page_ms", times[PARSE_RUNS / 2], "ms", "<5");
  bench_line ("api_parse_page_cpu_ms", cpu[PARSE_RUNS / 2], "ms", NULL);
}

int
main (int argc, char **argv)
{
  const char *size = g_getenv ("BENCH_API_CUSTOMERS");
  guint n_customers = size ? (guint) g_ascii_strtoull (size, NULL, 10) : 100000;
  g_autofree char *base_url = NULL;
  g_autoptr(GSubprocess) simulator = start_simulator (n_customers, &base_url);
  g_autoptr(GBytes) page = NULL;

  g_print ("PdPcClient against %s (%u customers, zero latency)\n", base_url, n_customers);
  bench_list (base_url, n_customers);
  page = fetch_page (base_url);
  bench_parse (page);
  g_subprocess_send_signal (simulator, SIGTERM);
  g_subprocess_wait (simulator, NULL, NULL);
  return 0;
}
