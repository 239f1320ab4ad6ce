/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-stream.c — `list` (table, json, csv) and `export` write each organization as it is
 * read (pd_store_foreach): json and csv are the bytes of the whole-list writers they replaced
 * (pd_cli_json_organization and pd_csv_append_organization for each of pd_store_list): the
 * same rows in the same order, as a whole list would give them. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <json-glib/json-glib.h>

#include "cli/pd-cli-json.h"
#include "pd-test-seed.h"
#include "core/pd-csv.h"
#include "core/pd-store.h"
#include "pd-test-util.h"

#define CLI "src/cli/partner-desk-cli"
#define N_NAMED 300

typedef CliDbFixture Fixture;
#define fixture_setup cli_db_fixture_setup
#define fixture_teardown cli_db_fixture_teardown

/* CLI --db DB args (NULL-terminated); stdout in *out; asserts exit 0. */
static char *
cli_out (Fixture     *f,
         const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) CLI);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (pd_test_run ((const char * const *) argv->pdata, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return out;
}

/* Names that tie without case ("acme 007" / "ACME 007") and sort differently by bytes and by
 * ASCII case folding ("_" between upper and lower case letters), in an order that is not the
 * table's. */
static void
seed_many (Fixture *f)
{
  seed_synced_customers (f->db);
  seed_mark_removed (f->db, SEED_FABRIKAM_TENANT);
  for (guint i = 0; i < N_NAMED; i++)
    {
      g_autofree char *tenant = g_strdup_printf ("44444444-4444-4444-8444-%012u", i);
      g_autofree char *name = g_strdup_printf (i % 3 == 0 ? "acme %03u" : i % 3 == 1
                                               ? "ACME %03u" : "_acme %03u",
                                               (N_NAMED - i) / 2);

      seed_customer_named (f->db, tenant, name);
    }
}

static char *
expected_json (PdStore            *store,
               const PdStoreQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (store, query, &error);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *whole = NULL;
  JsonArray *array = json_array_sized_new (orgs->len);

  g_assert_no_error (error);
  /* The whole array built at once by json-glib, of each organization's own document: what
   * the streamed output must equal. */
  for (guint i = 0; i < orgs->len; i++)
    {
      g_autofree char *text = pd_cli_json_dup_organization (g_ptr_array_index (orgs, i), store);
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, text, -1, &error);
      g_assert_no_error (error);
      json_array_add_element (array, json_node_copy (json_parser_get_root (parser)));
    }
  json_node_take_array (node, array);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  whole = json_generator_to_data (generator, NULL);
  return g_strconcat (whole, "\n", NULL);
}

static char *
expected_csv (Fixture            *f,
              PdStore            *store,
              const PdStoreQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (store, query, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  pd_csv_append_header (text);
  for (guint i = 0; i < orgs->len; i++)
    pd_csv_append_organization (text, g_ptr_array_index (orgs, i));
  return g_string_free (text, FALSE);
}

static guint
json_length (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_get_length (json_node_get_array (root));
}

static void
test_outputs_unchanged (Fixture       *f,
                        gconstpointer  data)
{
  const PdStoreQuery incomplete = { .filter = PD_FILTER_INCOMPLETE };
  const PdStoreQuery nothing = { .search = "zzzz" };
  const char *json_args[] = { "list", "--format", "json", NULL };
  const char *csv_args[] = { "list", "--format", "csv", NULL };
  const char *incomplete_args[] = { "list", "--format", "json", "--filter", "incomplete", NULL };
  const char *nothing_args[] = { "list", "--format", "json", "--search", "zzzz", NULL };
  g_autofree char *export_path = NULL;
  const char *export_args[] = { "export", NULL, NULL };
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL, *csv = NULL, *want_json = NULL, *want_csv = NULL;
  g_autofree char *exported = NULL, *filtered = NULL, *want_filtered = NULL, *none = NULL;
  g_autofree char *want_none = NULL, *export_out = NULL;
  g_auto(GStrv) csv_lines = NULL;

  seed_many (f);
  store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
  json = cli_out (f, json_args);
  want_json = expected_json (store, NULL);
  g_assert_cmpstr (json, ==, want_json);
  g_assert_cmpuint (json_length (json), ==, N_NAMED + 3);

  csv = cli_out (f, csv_args);
  want_csv = expected_csv (f, store, NULL);
  g_assert_cmpstr (csv, ==, want_csv);
  /* The header and one CRLF-ended line per organization. */
  csv_lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (csv_lines), ==, 1 + N_NAMED + 3 + 1);

  export_path = g_build_filename (f->dir, "export.csv", NULL);
  export_args[1] = export_path;
  export_out = cli_out (f, export_args);
  g_assert_true (strstr (export_out, "303") != NULL);
  g_assert_true (g_file_get_contents (export_path, &exported, NULL, &error));
  g_assert_cmpstr (exported, ==, want_csv);

  filtered = cli_out (f, incomplete_args);
  want_filtered = expected_json (store, &incomplete);
  g_assert_cmpstr (filtered, ==, want_filtered);
  g_assert_cmpuint (json_length (filtered), >, 0);
  g_assert_cmpuint (json_length (filtered), <, N_NAMED + 3);

  none = cli_out (f, nothing_args);
  want_none = expected_json (store, &nothing);
  g_assert_cmpstr (none, ==, want_none);
  g_assert_cmpuint (json_length (none), ==, 0);
}

static void
set_field (PdStore    *store,
           gint64      id,
           const char *key,
           const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_field (store, id, key, value, &error));
  g_assert_no_error (error);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  return json_object_get_string_member (object, name);
}

/* An organization with every field the user or Partner Center sets comes out of the streamed
 * JSON and CSV with each value, as `show` gives it. */
static void
test_every_field (Fixture       *f,
                  gconstpointer  data)
{
  const char *json_args[] = { "list", "--format", "json", NULL };
  const char *show_args[] = { "show", NULL, "--format", "json", NULL };
  const char *csv_args[] = { "list", "--format", "csv", "--search", "contoso", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(JsonParser) list_parser = json_parser_new ();
  g_autoptr(JsonParser) show_parser = json_parser_new ();
  g_autoptr(GString) want_row = g_string_new (NULL);
  g_autofree char *json = NULL, *shown = NULL, *csv = NULL;
  g_autoptr(JsonNode) listed_node = NULL;
  g_autofree char *id_text = NULL;
  JsonObject *listed = NULL, *bill_to;
  JsonArray *list, *segments;
  gint64 id;

  seed_synced_customers (f->db);
  /* A reseller too (its name needs quoting in CSV). */
  seed_customer_of_reseller (f->db, SEED_CONTOSO_TENANT, "Contoso Ltd", "r-1",
                             "Reseller, \"One\"");
  store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
  org = pd_store_find_by_tenant (store, SEED_CONTOSO_TENANT, &error);
  g_assert_no_error (error);
  id = pd_organization_get_id (org);
  show_args[1] = id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  set_field (store, id, "erp-id", "=ERP-1");
  set_field (store, id, "registration-number", "HRB 1");
  set_field (store, id, "segments", "retail,\"big\" one");
  set_field (store, id, "currency", "eur");
  set_field (store, id, "status", "active");
  set_field (store, id, "login-options", "sso,mfa");
  set_field (store, id, "account-manager", "Jo Berg");
  set_field (store, id, "notes", "line one\nline \"two\", ok");
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_CITY, "Köln-Mülheim", &error));
  g_assert_true (pd_store_set_account_status (store, id, PD_ACCOUNT_STATUS_UNDER_REVIEW, &error));
  g_assert_no_error (error);
  g_clear_object (&org);
  org = pd_store_get (store, id, &error);
  g_assert_no_error (error);

  json = cli_out (f, json_args);
  g_assert_true (json_parser_load_from_data (list_parser, json, -1, &error));
  list = json_node_get_array (json_parser_get_root (list_parser));
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_strcmp0 (member (json_array_get_object_element (list, i), "tenantId"),
                   SEED_CONTOSO_TENANT) == 0)
      listed = json_array_get_object_element (list, i);
  g_assert_nonnull (listed);
  g_assert_cmpstr (member (listed, "erpId"), ==, "=ERP-1");
  g_assert_cmpstr (member (listed, "registrationNumber"), ==, "HRB 1");
  segments = json_object_get_array_member (listed, "segments");
  g_assert_cmpuint (json_array_get_length (segments), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (segments, 1), ==, "\"big\" one");
  g_assert_cmpstr (member (listed, "currency"), ==, "EUR");
  g_assert_cmpstr (member (listed, "status"), ==, "active");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed,
                                                                         "loginOptions")), ==, 2);
  g_assert_cmpstr (member (listed, "accountManager"), ==, "Jo Berg");
  g_assert_cmpstr (member (listed, "notes"), ==, "line one\nline \"two\", ok");
  g_assert_cmpstr (member (listed, "accountStatus"), ==,
                   pd_account_status_to_string (PD_ACCOUNT_STATUS_UNDER_REVIEW));
  bill_to = json_object_get_object_member (listed, "billTo");
  g_assert_cmpstr (member (json_object_get_object_member (bill_to, "address"), "city"), ==,
                   "Köln-Mülheim");
  g_assert_nonnull (member (listed, "lastSyncedAt"));
  g_assert_nonnull (member (listed, "currencyEffectiveFrom"));

  /* Every key and value, as `show` gives them. */
  shown = cli_out (f, show_args);
  g_assert_true (json_parser_load_from_data (show_parser, shown, -1, &error));
  listed_node = json_node_init_object (json_node_alloc (), listed);
  g_assert_true (json_node_equal (json_parser_get_root (show_parser), listed_node));

  /* The CSV line is the export's for the same organization (quotes, formula guard, lists). */
  csv = cli_out (f, csv_args);
  pd_csv_append_organization (want_row, org);
  g_assert_true (g_str_has_suffix (csv, want_row->str));
  g_assert_nonnull (strstr (csv, ",'=ERP-1,"));
}

/* In the CLI's process: files may grow to 16 KiB, and a write past that fails (EFBIG) instead
 * of killing it (SIGXFSZ). */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 16 * 1024, 16 * 1024 };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

/* exit status of CLI --db DB export path, with files limited to 16 KiB; its stderr in *err. */
static int
export_limited (Fixture     *f,
                const char  *path,
                char       **err)
{
  const char *argv[] = { PD_CLI_PATH, "--db", f->db, "export", path, NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, err, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* An export that fails part way (here: the file may not grow) says so, leaves the previous
 * file as it was and no new or temporary file behind. */
static void
test_export_failure (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *previous = g_build_filename (f->dir, "previous.csv", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.csv", NULL);
  g_autofree char *err = NULL, *err2 = NULL, *contents = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  seed_many (f);
  g_assert_true (g_file_set_contents (previous, "previous\n", -1, NULL));
  g_assert_cmpint (export_limited (f, previous, &err), ==, 1);
  g_assert_cmpstr (err, !=, "");
  g_assert_true (g_file_get_contents (previous, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous\n");
  g_assert_cmpint (export_limited (f, fresh, &err2), ==, 1);
  g_assert_cmpstr (err2, !=, "");
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_has_prefix (name, "cache.db") || g_str_equal (name, "previous.csv"));
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct {
  const char *dir;
  const char *target;   /* the export's file, when it is new; NULL: a temporary file beside */
} Started;

/* The export has opened its file: the new file, or GLib's temporary one beside an old one. */
static gboolean
export_started (gpointer data)
{
  Started *started = data;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (started->target != NULL)
    return g_file_test (started->target, G_FILE_TEST_EXISTS);
  dir = g_dir_open (started->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".goutputstream-"))
      return TRUE;
  return FALSE;
}

/* CLI --db DB export path, interrupted by sig as soon as it has opened its file: it stops
 * cleanly (exit 1, "export cancelled"), not killed. */
static void
export_interrupted (Fixture    *f,
                    const char *path,
                    Started    *started,
                    int         sig)
{
  const char *argv[] = { CLI, "--db", f->db, "export", path, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  guint ticker = g_timeout_add (2, tick, NULL);

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_test_wait_until (export_started, started, 30000));
  g_source_remove (ticker);
  g_subprocess_send_signal (process, sig);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "export cancelled"));
}

/* Ctrl+C (or SIGTERM) during an export: a new file is not left half written under its name,
 * where it would pass for a whole export; an old one stays as it was; no temporary file. */
static void
test_export_interrupted (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *previous = g_build_filename (f->dir, "previous.csv", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.csv", NULL);
  g_autofree char *contents = NULL;
  Started new_file = { f->dir, fresh }, old_file = { f->dir, NULL };
  g_autoptr(GDir) dir = NULL;
  const char *name;

  seed_many_customers (f->db, 30000);
  export_interrupted (f, fresh, &new_file, GPOINTER_TO_INT (data));
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (previous, "previous\n", -1, NULL));
  export_interrupted (f, previous, &old_file, GPOINTER_TO_INT (data));
  g_assert_true (g_file_get_contents (previous, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous\n");
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_has_prefix (name, "cache.db") || g_str_equal (name, "previous.csv"));
}

/* The table of a listing too long to hold is written as it is read: its columns are sized to
 * the header and the first 1,000 rows, and keep that width below; a wider name further down
 * is cut with "…" rather than pushing its row out of line. */
static void
test_table_long_listing (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "list", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint domain_at;
  gboolean long_name_cut = FALSE;

  seed_many_customers (f->db, 1500);
  seed_customer_named (f->db, "66666666-6666-4666-8666-000000000001",
                       "Customer 001400 whose name is longer than all");
  out = cli_out (f, args);
  lines = g_strsplit (out, "\n", -1);
  /* The header, 1,501 rows, and the empty string after the last newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1503);
  g_assert_true (g_str_has_prefix (lines[0], "Name "));
  domain_at = strstr (lines[0], "Domain") - lines[0];
  /* "Customer 000000", the widest of the first rows, and two spaces. */
  g_assert_cmpuint (domain_at, ==, strlen ("Customer 000000") + 2);
  for (guint i = 1; i <= 1501; i++)
    {
      /* "…" is one column wide and three bytes long. */
      gboolean cut = g_str_has_prefix (lines[i], "Customer 00140…");

      g_assert_true (g_str_has_prefix (lines[i] + domain_at + (cut ? strlen ("…") - 1 : 0),
                                       "example."));
      long_name_cut |= cut;
    }
  g_assert_true (long_name_cut);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);
  g_test_add ("/cli-stream/outputs-unchanged", Fixture, NULL, fixture_setup,
              test_outputs_unchanged, fixture_teardown);
  g_test_add ("/cli-stream/every-field", Fixture, NULL, fixture_setup, test_every_field,
              fixture_teardown);
  g_test_add ("/cli-stream/export-failure", Fixture, NULL, fixture_setup, test_export_failure,
              fixture_teardown);
  g_test_add ("/cli-stream/export-interrupted", Fixture, GINT_TO_POINTER (SIGINT), fixture_setup,
              test_export_interrupted, fixture_teardown);
  g_test_add ("/cli-stream/table-long-listing", Fixture, NULL, fixture_setup,
              test_table_long_listing, fixture_teardown);
  g_test_add ("/cli-stream/export-terminated", Fixture, GINT_TO_POINTER (SIGTERM), fixture_setup,
              test_export_interrupted, fixture_teardown);
  return g_test_run ();
}
