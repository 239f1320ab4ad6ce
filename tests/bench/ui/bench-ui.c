/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ui.c — the main window with a large cache, under Xvfb (issue §8).
 *
 * With N generated organizations (default 100,000; deterministic), it measures:
 *   - launch: opening the store, creating and presenting the window, until the rows are in
 *     the list and the next frame is painted (target < 1.0 s; the list shows a first page of
 *     rows by name, then all of them: the time to all rows is reported too);
 *   - a search keystroke: typing prefixes of words one character at a time into the real
 *     search entry; time until the list model is updated, and until the next painted frame
 *     (median and p95; target median < 50 ms);
 *   - scrolling: jumps of the list's adjustment to 30 positions, time to the painted frame;
 *   - resident memory (VmRSS) with the window showing all N rows (target < 300 MB);
 *   - another program (partner-desk-cli, the sync timer) editing one organization: the time
 *     until the window has read every row again, its CPU, and the longest main-loop stall;
 *   - the export of every row to CSV: its time, and the rise of resident memory meanwhile.
 * Prints a table and BENCH lines (format: tests/bench/meson.build).
 *
 * Usage: bench-ui [N_ORGANIZATIONS]
 * Environment: BENCH_UI_KEEP_CACHE=1 keeps the generated cache (its path is printed),
 * BENCH_UI_CACHE=PATH measures a copy of such a cache instead of generating one,
 * BENCH_UI_VERBOSE=1 prints every search keystroke.
 */
#include "config.h"

#include <unistd.h>

#include <stdlib.h>
#include <time.h>

#include "pd-organization-list-private.h"
#include "pd-session.h"
#include "pd-test-util.h"
#include "pd-window-private.h"

#define SEED 20261124
#define BATCH 1000

static const char * const words[] = {
  "Contoso", "Fabrikam", "Northwind", "Woodgrove", "Litware", "Adatum", "Tailspin", "Wingtip",
  "Proseware", "Lucerne", "Alpine", "Yonder", "Graphic", "Humongous", "Margie", "Trey",
  "Southridge", "Nordic", "Baltic", "Global", "Systems", "Solutions", "Consulting", "Logistics",
  "Engineering", "Partners", "Holding", "Finance", "Health", "Medical", "Energy", "Marine",
  "Foods", "Textiles", "Media", "Software", "Cloud", "Networks", "Security", "Robotics",
  "Müller", "Schmidt", "Virtanen", "Mäkinen", "Hansen", "Andersson", "Dubois", "Lefèvre",
  "Rossi", "García", "López", "Kowalski", "Novák", "Horváth", "Smith", "Tanaka", "Silva",
};
static const char * const cities[] = { "Berlin", "München", "Helsinki", "Stockholm", "London",
                                       "Paris", "Redmond", "Oslo" };
static const char * const countries[] = { "DE", "DE", "FI", "SE", "GB", "FR", "US", "NO" };

static PdOrganization *
make_org (guint i)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + i);
  PdOrganization *org = pd_organization_new ();
  g_autoptr(PdBillTo) bill_to = pd_bill_to_new ();
  guint place = g_rand_int_range (rand, 0, G_N_ELEMENTS (cities));
  g_autofree char *name = g_strdup_printf ("%s %s %u",
                                           words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                           words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                           i);
  g_autofree char *tenant = g_strdup_printf ("%08x-0000-4000-8000-%012x", i, i);
  g_autofree char *domain = g_strdup_printf ("customer%u.onmicrosoft.com", i);
  g_autofree char *email = g_strdup_printf ("billing@customer%u.com", i);

  pd_organization_set_tenant_id (org, tenant);
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, domain);
  pd_organization_set_relationship (org, "reseller");
  pd_bill_to_set (bill_to, PD_BILL_TO_COMPANY_NAME, name);
  pd_bill_to_set (bill_to, PD_BILL_TO_EMAIL, email);
  pd_bill_to_set (bill_to, PD_BILL_TO_FIRST_NAME, "Anna");
  pd_bill_to_set (bill_to, PD_BILL_TO_LAST_NAME, "Berg");
  pd_bill_to_set (bill_to, PD_BILL_TO_CULTURE, "en-US");
  pd_bill_to_set (bill_to, PD_BILL_TO_LANGUAGE, "en");
  pd_bill_to_set (bill_to, PD_BILL_TO_ADDRESS_LINE1, "Main Street 1");
  pd_bill_to_set (bill_to, PD_BILL_TO_CITY, cities[place]);
  /* Every tenth customer lacks a postal code: "Bill-to incomplete" has rows. */
  pd_bill_to_set (bill_to, PD_BILL_TO_POSTAL_CODE, i % 10 == 0 ? NULL : "10115");
  pd_bill_to_set (bill_to, PD_BILL_TO_STATE, g_str_equal (countries[place], "US") ? "WA" : NULL);
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, countries[place]);
  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, "+14255550100");
  pd_organization_set_bill_to_partner_center (org, bill_to, "etag-1");
  return org;
}

static void
generate_cache (const char *path,
                guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  gint64 run;

  if (store == NULL)
    g_error ("open: %s", error->message);
  run = pd_store_begin_sync_run (store, PD_SYNC_KIND_FULL, "bench-ui", NULL, &error);
  for (guint first = 0; first < n && run != 0; first += BATCH)
    {
      g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = first; i < MIN (n, first + BATCH); i++)
        g_ptr_array_add (orgs, make_org (i));
      if (!pd_store_apply_partner_center (store, run, orgs, NULL, &error))
        g_error ("apply: %s", error->message);
    }
  if (run == 0 || !pd_store_finish_sync_run (store, run, PD_SYNC_STATE_COMPLETE, NULL, &error))
    g_error ("sync run: %s", error != NULL ? error->message : "?");
}

/* ---- measuring ---- */

static gboolean painted;

static void
on_after_paint (void)
{
  painted = TRUE;
}

/* Waits for the next painted frame of the window (bounded). */
static void
wait_paint (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  gulong id;

  painted = FALSE;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (window);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  pd_test_wait_for_flag (&painted, 2000);
  g_signal_handler_disconnect (clock, id);
}

static double
ms_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

/* CPU time of the main thread: the build machine is shared by many jobs, so wall time also
 * counts waiting for a core; both are reported. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

/* CPU time of every thread of the process: the list loads in worker threads. */
static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint) ((values->len - 1) * p));
}

static void
report (const char *name,
        const char *label,
        double      value,
        const char *unit,
        const char *target)
{
  g_print ("  %-44s %10.1f %-3s %s\n", label, value, unit, target != NULL ? target : "");
  g_print ("BENCH %s %.3f %s%s%s\n", name, value, unit, target != NULL ? " target=" : "",
           target != NULL ? target : "");
}

static double
rss_mb (void)
{
  return pd_test_status_mb ("VmRSS");
}

typedef struct {
  PdOrganizationList *list;
} Launch;

static gboolean
rows_shown (gpointer data)
{
  Launch *launch = data;

  return launch->list != NULL
         && g_list_model_get_n_items (pd_organization_list_get_model (launch->list)) > 0;
}

static gboolean
all_loaded (gpointer data)
{
  Launch *launch = data;

  return !pd_organization_list_get_loading (launch->list);
}

static GtkWidget *
launch_window (const char *path,
               double     *out_ms)
{
  gint64 start = g_get_monotonic_time ();
  double cpu_start = process_cpu_ms ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PdSession) session = NULL;
  GtkWidget *window;
  Launch launch = { NULL };

  if (store == NULL)
    g_error ("open: %s", error->message);
  report ("ui_launch_store_open", "launch: opening the store (integrity check)", ms_since (start),
          "ms", NULL);
  session = pd_session_new (store, settings);
  window = pd_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  launch.list = pd_window_get_list (PD_WINDOW (window));
  if (!pd_test_wait_until (rows_shown, &launch, 30000))
    g_error ("rows never shown");
  wait_paint (window);
  *out_ms = ms_since (start);
  if (!pd_test_wait_until (all_loaded, &launch, 60000))
    g_error ("rows never all loaded");
  report ("ui_launch_all_rows", "launch to every row loaded (search complete)", ms_since (start),
          "ms", NULL);
  /* The wall time above counts waiting for a core on a shared host; this does not. */
  report ("ui_launch_all_rows_cpu", "launch to every row loaded: CPU, all threads",
          process_cpu_ms () - cpu_start, "ms", NULL);
  return window;
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget))
{
  if (match (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_search_entry (GtkWidget *widget)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

/* The table's scrolled window (the filter bar has one too). */
static gboolean
is_table_scroller (GtkWidget *widget)
{
  return GTK_IS_SCROLLED_WINDOW (widget)
         && GTK_IS_COLUMN_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget)));
}

/* After a keystroke's frame: what the list left for later (rows past the first screenful) is
 * shown and painted, as in the pause between a person's keystrokes. */
static void
settle (GtkWidget *window)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  wait_paint (window);
}

/* Types each word one character at a time, then clears it: every keystroke is a sample, of
 * the first frame painted and of every row shown (settled). */
static void
bench_search (GtkWidget *window,
              GArray    *model_ms,
              GArray    *paint_ms,
              GArray    *cpu_ms,
              GArray    *settle_ms)
{
  const char *typed[] = { "contoso", "berlin", "billing", "müller", "customer4242", "nordic sys",
                          "helsinki", "zz" };
  PdOrganizationList *list = pd_window_get_list (PD_WINDOW (window));
  GtkWidget *entry = find_widget (GTK_WIDGET (list), is_search_entry);

  g_assert_nonnull (entry);
  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    for (glong len = 1; len <= g_utf8_strlen (typed[w], -1); len++)
      {
        g_autofree char *text = g_utf8_substring (typed[w], 0, len);
        gint64 start = g_get_monotonic_time ();
        double cpu = thread_cpu_ms ();
        double model, settled;

        gtk_editable_set_text (GTK_EDITABLE (entry), text);
        model = ms_since (start);
        wait_paint (window);
        g_array_append_val (model_ms, model);
        model = ms_since (start);
        g_array_append_val (paint_ms, model);
        cpu = thread_cpu_ms () - cpu;
        g_array_append_val (cpu_ms, cpu);
        settle (window);
        settled = ms_since (start);
        g_array_append_val (settle_ms, settled);
        if (g_getenv ("BENCH_UI_VERBOSE") != NULL)
          g_print ("  keystroke \"%s\": model %.1f ms, painted %.1f ms, settled %.1f ms\n",
                   text, g_array_index (model_ms, double, model_ms->len - 1), model,
                   settled);
      }
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_paint (window);
}

static void
bench_scroll (GtkWidget *window,
              GArray    *paint_ms)
{
  GtkWidget *scrolled = find_widget (GTK_WIDGET (pd_window_get_list (PD_WINDOW (window))),
                                     is_table_scroller);
  GtkAdjustment *adjustment;

  if (scrolled == NULL)
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  for (guint i = 0; i < 30; i++)
    {
      double upper = gtk_adjustment_get_upper (adjustment);
      gint64 start = g_get_monotonic_time ();
      double ms;

      gtk_adjustment_set_value (adjustment, upper * ((i * 7919) % 1000) / 1000.0);
      wait_paint (window);
      ms = ms_since (start);
      g_array_append_val (paint_ms, ms);
    }
}

typedef struct {
  GtkWidget *window;
  double     peak_mb;
} ExportWatch;

static gboolean
sample_rss (gpointer data)
{
  ExportWatch *watch = data;

  watch->peak_mb = MAX (watch->peak_mb, rss_mb ());
  return G_SOURCE_CONTINUE;
}

static gboolean
export_finished (gpointer data)
{
  ExportWatch *watch = data;

  return !pd_window_get_exporting (PD_WINDOW (watch->window));
}

/* The main loop's longest wait between two ticks of a 5 ms timeout: how long the window could
 * not answer input or paint. */
typedef struct {
  gint64 last;
  gint64 longest;
} StallWatch;

static gboolean
tick_stall (gpointer data)
{
  StallWatch *watch = data;
  gint64 now = g_get_monotonic_time ();

  watch->longest = MAX (watch->longest, now - watch->last);
  watch->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
loading (gpointer data)
{
  return !all_loaded (data);
}

/* Another program (partner-desk-cli, the sync timer) edits one organization: the window
 * notices, and reads every row again. Its time from the commit, the main thread's CPU, and the
 * longest the main loop was held. */
static void
bench_other_writer (GtkWidget  *window,
                    const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (path, &error);
  Launch launch = { pd_window_get_list (PD_WINDOW (window)) };
  StallWatch watch = { 0 };
  g_autofree char *notes = NULL;
  double cpu, process_cpu;
  gint64 start;
  guint ticker;

  if (other == NULL)
    g_error ("open: %s", error->message);
  if (!pd_test_wait_until (all_loaded, &launch, 60000))
    g_error ("rows never all loaded");
  cpu = thread_cpu_ms ();
  process_cpu = process_cpu_ms ();
  start = watch.last = g_get_monotonic_time ();
  ticker = g_timeout_add (5, tick_stall, &watch);
  /* A value of its own: a kept cache (BENCH_UI_CACHE) holds the last run's. */
  notes = g_strdup_printf ("edited by another program at %" G_GINT64_FORMAT, g_get_real_time ());
  if (!pd_store_set_field (other, 1, "notes", notes, &error))
    g_error ("edit: %s", error->message);
  if (!pd_test_wait_until (loading, &launch, 30000)
      || !pd_test_wait_until (all_loaded, &launch, 60000))
    g_error ("the other program's edit was never loaded");
  g_source_remove (ticker);
  report ("ui_other_writer_reload_ms", "another program's edit → every row read again",
          ms_since (start), "ms", NULL);
  report ("ui_other_writer_main_cpu_ms", "another program's edit: main-thread CPU",
          thread_cpu_ms () - cpu, "ms", NULL);
  report ("ui_other_writer_cpu_ms", "another program's edit: CPU, all threads",
          process_cpu_ms () - process_cpu, "ms", NULL);
  report ("ui_other_writer_stall_ms", "another program's edit: longest main-loop stall",
          (double) watch.longest / 1000.0, "ms", NULL);
}

/* The whole list (every row, after the search is cleared) to a CSV file, as the Export menu
 * item does: its time, and how far resident memory rises above what the window held. */
static void
bench_export (GtkWidget  *window,
              const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Launch launch = { pd_window_get_list (PD_WINDOW (window)) };
  ExportWatch watch = { window, 0 };
  double before;
  gint64 start;
  guint sampler;

  if (!pd_test_wait_until (all_loaded, &launch, 60000))
    g_error ("rows never all loaded");
  before = watch.peak_mb = rss_mb ();
  sampler = g_timeout_add (20, sample_rss, &watch);
  start = g_get_monotonic_time ();
  pd_window_export_csv (PD_WINDOW (window), file);
  if (!pd_test_wait_until (export_finished, &watch, 600000))
    g_error ("export never ended");
  report ("ui_export_all_s", "export of every row to CSV", ms_since (start) / 1000.0, "s",
          NULL);
  g_source_remove (sampler);
  sample_rss (&watch);
  report ("ui_export_rss_rise", "export: resident memory rise (sampled)", watch.peak_mb - before,
          "MB", NULL);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GArray) model_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) paint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) scroll_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) settle_ms = g_array_new (FALSE, FALSE, sizeof (double));
  double launch_cpu;
  gint64 start;
  double launch_ms, generate_s;
  gboolean million;
  GtkWidget *window;

  pd_test_init (&argc, &argv);
  /* Under Xvfb, GTK's default GL renderer runs on Mesa's software rasteriser (llvmpipe): the
   * figures would measure Mesa, and its buffers add ~120 MB of RSS. The cairo renderer is
   * what a GPU-less desktop uses; GSK_RENDERER=gl in the environment still measures GL. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  adw_init ();
  dir = pd_test_make_tmpdir ();
  path = g_build_filename (dir, "bench-ui.db", NULL);

  start = g_get_monotonic_time ();
  /* BENCH_UI_CACHE: a copy of a cache this bench generated with the same N, to measure again
   * without generating (a million rows take a while); the copy is used, not the file. */
  if (g_getenv ("BENCH_UI_CACHE") != NULL)
    {
      g_autoptr(GFile) from = g_file_new_for_path (g_getenv ("BENCH_UI_CACHE"));
      g_autoptr(GFile) to = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;

      if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
        g_error ("BENCH_UI_CACHE: %s", error->message);
    }
  else
    generate_cache (path, n);
  /* The kernel writes the cache just made (800 MB at a million) back to disk in the next
   * seconds, beside the launch measured below: at a million that doubled the CPU time and wall
   * time to every row loaded. The figures are of the app, so that is done first. */
  sync ();
  if (g_getenv ("BENCH_UI_KEEP_CACHE") != NULL)
    g_print ("cache: %s\n", path);
  generate_s = ms_since (start) / 1000.0;
  g_print ("Partner Desk window with %u cached organizations (generated in %.1f s)\n", n,
           generate_s);

  /* Issue 14's targets: at 100,000 and at a million organizations. */
  million = n >= 1000000;
  launch_cpu = thread_cpu_ms ();
  window = launch_window (path, &launch_ms);
  launch_cpu = thread_cpu_ms () - launch_cpu;
  report ("ui_launch_to_rows", "launch to rows shown", launch_ms, "ms", "<1000");
  report ("ui_launch_main_thread_cpu", "launch: main-thread CPU", launch_cpu, "ms", NULL);
  report ("ui_rss_after_launch", "resident memory (VmRSS)", rss_mb (), "MB",
          million ? "<600" : "<300");
  bench_search (window, model_ms, paint_ms, cpu_ms, settle_ms);
  report ("ui_search_model_median", "search keystroke → model updated, median",
          percentile (model_ms, 0.5), "ms", NULL);
  report ("ui_search_paint_median", "search keystroke → frame painted, median",
          percentile (paint_ms, 0.5), "ms", "<50");
  report ("ui_search_cpu_median", "search keystroke: main-thread CPU, median",
          percentile (cpu_ms, 0.5), "ms", NULL);
  report ("ui_search_paint_p95", "search keystroke → frame painted, p95",
          percentile (paint_ms, 0.95), "ms", million ? "<100" : "<50");
  report ("ui_search_settle_p95", "search keystroke → every row shown and painted, p95",
          percentile (settle_ms, 0.95), "ms", NULL);
  bench_scroll (window, scroll_ms);
  if (scroll_ms->len > 0)
    report ("ui_scroll_jump_median", "scroll jump → frame painted, median",
            percentile (scroll_ms, 0.5), "ms", NULL);
  report ("ui_rss_end", "resident memory (VmRSS) at the end", rss_mb (), "MB",
          million ? "<600" : "<300");
  bench_other_writer (window, path);
  bench_export (window, dir);

  gtk_window_destroy (GTK_WINDOW (window));
  pd_test_spin (50);
  if (g_getenv ("BENCH_UI_KEEP_CACHE") == NULL)
    pd_test_rm_rf (dir);
  return 0;
}
