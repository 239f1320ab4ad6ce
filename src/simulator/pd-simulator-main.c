/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-simulator-main.c — `partner-desk-simulator`: a Partner Center on loopback for the demo,
 * the benchmarks and outside checks. The first line on stdout is the base URL; it runs until
 * SIGINT or SIGTERM. */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "pd-simulator.h"

typedef struct {
  int       port;
  int       customers;
  gint64    seed;
  int       latency_ms;
  int       jitter_ms;
  int       rpm;
  int       rate_window_ms;
  double    fault_rate;
  int       page_size;
  char     *token;
  char     *end_of_paging;
  gboolean  next_with_v1;
  int       approve_after_ms;
  int       resellers;
} Args;

static void
args_clear (Args *args)
{
  g_clear_pointer (&args->token, g_free);
  g_clear_pointer (&args->end_of_paging, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_args (int *argc, char ***argv, Args *args, GError **error)
{
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &args->port, "TCP port on 127.0.0.1 (0 = any)", "N" },
    { "customers", 0, 0, G_OPTION_ARG_INT, &args->customers, "Number of customers", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &args->seed, "Seed of the sample data", "S" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &args->latency_ms, "Added latency", "N" },
    { "jitter-ms", 0, 0, G_OPTION_ARG_INT, &args->jitter_ms, "Random extra latency", "N" },
    { "rpm", 0, 0, G_OPTION_ARG_INT, &args->rpm, "Requests per minute (0 = unlimited)", "N" },
    { "rate-window-ms", 0, 0, G_OPTION_ARG_INT, &args->rate_window_ms,
      "Window that --rpm counts in (default 60000)", "N" },
    { "fault-rate", 0, 0, G_OPTION_ARG_DOUBLE, &args->fault_rate, "Share of faulty answers",
      "F" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &args->page_size, "Page size cap (0 = 500)", "N" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &args->token, "Also accept this bearer token", "T" },
    { "end-of-paging", 0, 0, G_OPTION_ARG_STRING, &args->end_of_paging,
      "missing-next, empty-token, 400-2000 or 204", "HOW" },
    { "next-with-v1", 0, 0, G_OPTION_ARG_NONE, &args->next_with_v1,
      "Next links start with /v1", NULL },
    { "approve-after-ms", 0, 0, G_OPTION_ARG_INT, &args->approve_after_ms,
      "Device code approval delay", "N" },
    { "resellers", 0, 0, G_OPTION_ARG_INT, &args->resellers, "Indirect resellers", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a Partner Center simulator");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "The first line printed is the base URL (the login authority is BASE/organizations).\n"
    "Admin endpoints on the same port, never slowed, throttled or faulted:\n"
    "  POST /_simulator/mutate  {\"changeBillTo\": 50, \"rename\": 3, \"add\": 5, "
    "\"remove\": 2, \"seed\": 7}\n"
    "                           (each may be a list of customer ids instead)\n"
    "  GET  /_simulator/stats   requests by endpoint, 429s and faults sent\n"
    "  GET|POST /_simulator/knobs  {\"latencyMs\", \"jitterMs\", \"rpm\", \"rateWindowMs\", "
    "\"faultRate\",\n"
    "                           \"pageSize\", \"endOfPaging\", \"nextWithV1\", "
    "\"approveAfterMs\",\n"
    "                           \"conflictStatus\", \"continuationTokenTtlS\", "
    "\"expireTokensOnMutation\", \"mfaMissing\",\n"
    "                           \"nextLinkStyle\" (relative, absolute, bare), "
    "\"shortBodies\", \"shortPutBodies\"}\n"
    "  POST /_simulator/expire-continuation-tokens\n"
    "Device code test hooks: client_id \"decline\", \"expire\" or \"no-mfa\".");
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (args->port < 0 || args->port > 65535 || args->customers < 0 || args->latency_ms < 0
      || args->jitter_ms < 0 || args->rpm < 0 || args->rate_window_ms < 0 || args->page_size < 0
      || args->resellers < 0 || args->approve_after_ms < 0 || args->fault_rate < 0 || args->fault_rate > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "Numbers must not be negative, the port at most 65535 and the fault "
                           "rate between 0 and 1.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
build_options (const Args *args, PdSimulatorOptions *options, GError **error)
{
  pd_simulator_options_init (options);
  options->n_customers = args->customers;
  options->seed = (guint64) args->seed;
  options->latency_ms = args->latency_ms;
  options->jitter_ms = args->jitter_ms;
  options->rpm = args->rpm;
  options->rate_window_ms = args->rate_window_ms;
  options->fault_rate = args->fault_rate;
  options->page_size_cap = args->page_size;
  options->token = args->token;
  options->next_link_with_v1 = args->next_with_v1;
  options->approve_after_ms = args->approve_after_ms;
  options->n_resellers = args->resellers;
  if (args->end_of_paging != NULL
      && !pd_sim_end_of_paging_from_string (args->end_of_paging, &options->end_of_paging))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown --end-of-paging \"%s\"", args->end_of_paging);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_auto(Args) args = { .customers = 2500, .seed = 1, .rate_window_ms = 60000,
                       .approve_after_ms = 1000, .resellers = 5 };
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSimulator) simulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  setlocale (LC_ALL, "");
  if (!parse_args (&argc, &argv, &args, &error) || !build_options (&args, &options, &error))
    {
      g_printerr ("partner-desk-simulator: %s\n", error->message);
      return 2;
    }
  simulator = pd_simulator_new (&options);
  if (!pd_simulator_start (simulator, args.port, &error))
    {
      g_printerr ("partner-desk-simulator: %s\n", error->message);
      return 1;
    }
  /* Handlers first: whoever reads the URL may signal at once. */
  loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  printf ("%s\n", pd_simulator_get_base_url (simulator));
  fflush (stdout);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return 0;
}
