/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c — partner-desk-cli driven as a user would: the built binary, a temporary cache,
 * exit codes, stdout and stderr. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "core/pd-store.h"
#include "pd-test-seed.h"
#include "pd-test-util.h"

#define CLI "src/cli/partner-desk-cli"

typedef CliDbFixture Fixture;
#define fixture_setup cli_db_fixture_setup
#define fixture_teardown cli_db_fixture_teardown

/* Runs the CLI on the fixture's cache: CLI --db DB args… (NULL-terminated). */
static int G_GNUC_NULL_TERMINATED
cli (Fixture  *f,
     char    **out,
     char    **err,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) CLI);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  status = pd_test_run ((const char * const *) argv->pdata, NULL, &out_text, &err_text);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", status, out_text, err_text);
  if (out != NULL)
    *out = g_steal_pointer (&out_text);
  if (err != NULL)
    *err = g_steal_pointer (&err_text);
  return status;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* `show ORG --format json`, asserting success. */
static JsonNode *
show_json (Fixture    *f,
           const char *org)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (cli (f, &out, NULL, "show", org, "--format", "json", NULL), ==, 0);
  return parse_json (out);
}

/* `list … --format json`, asserting success. */
static JsonArray *
list_json (Fixture    *f,
           const char *option,
           const char *value)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (cli (f, &out, NULL, "list", "--format", "json", option, value, NULL), ==, 0);
  root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

static gboolean
list_has_name (JsonArray  *list,
               const char *name)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (list, i),
                                                  "name"), name) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_one_line_error (const char *err)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "partner-desk-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
}

static void
assert_keys (JsonObject         *object,
             const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    {
      g_assert_nonnull (expected[i]);
      g_assert_cmpstr (l->data, ==, expected[i]);
    }
  g_assert_null (expected[i]);
}

static char *
strv_member_joined (JsonObject *object,
                    const char *member)
{
  JsonArray *array = json_object_get_array_member (object, member);
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "," : "",
                            json_array_get_string_element (array, i));
  return g_string_free (joined, FALSE);
}

/* ---- create, list, show ---- */

static void
test_create_list_show (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const org_keys[] = {
    "id", "tenantId", "source", "name", "domain", "country", "erpId", "registrationNumber",
    "segments", "currency", "status", "notes", "billTo", "billToPartnerCenter", "billToEtag",
    "localBillToFields", "billToComplete", "missingFields", "localMissingFields",
    "billToState", "billToReadError", "billToReadAt", "billToStale", "removedFromPartnerCenter",
    "lastSyncedAt", "accountStatus", "accountCheckedAt", "loginOptions", "accountManager", "reseller", "currencyEffectiveFrom",
    "currencyUntilThen", NULL
  };
  static const char * const bill_to_keys[] = {
    "companyName", "email", "firstName", "lastName", "culture", "language", "address", NULL
  };
  static const char * const address_keys[] = {
    "addressLine1", "addressLine2", "city", "state", "region", "postalCode", "country",
    "phoneNumber", "firstName", "lastName", NULL
  };
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonArray) list = NULL;
  JsonObject *org;

  g_assert_cmpint (cli (f, &out, NULL, "create", "--name", "Adatum Corporation", "--domain",
                        "adatum.com", "--country", "se", "--erp-id", "E-1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Adatum Corporation"));

  list = list_json (f, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  /* A name given with a line break (a pasted cell) is said on one line, created or refused
   * (before: "Created “Wide" and "World” (id 2)." on two lines). */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (f, &out, NULL, "create", "--name", "Wide\nWorld Importers", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Created “Wide World Importers” (id 2).\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&list, json_array_unref);
  list = list_json (f, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (f, &out, NULL, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Adatum Corporation"));
  g_assert_nonnull (strstr (out, "adatum.com"));

  root = show_json (f, "adatum.com");
  org = json_node_get_object (root);
  assert_keys (org, org_keys);
  assert_keys (json_object_get_object_member (org, "billTo"), bill_to_keys);
  assert_keys (json_object_get_object_member (org, "billToPartnerCenter"), bill_to_keys);
  assert_keys (json_object_get_object_member (json_object_get_object_member (org, "billTo"),
                                              "address"), address_keys);
  g_assert_cmpstr (json_object_get_string_member (org, "source"), ==, "manual");
  g_assert_cmpstr (json_object_get_string_member (org, "name"), ==, "Adatum Corporation");
  g_assert_cmpstr (json_object_get_string_member (org, "country"), ==, "SE");
  g_assert_cmpstr (json_object_get_string_member (org, "erpId"), ==, "E-1");
  g_assert_true (json_object_get_null_member (org, "tenantId"));
  g_assert_false (json_object_get_boolean_member (org, "removedFromPartnerCenter"));
}

static void
test_show_text (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *out = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, NULL, "show", "fabrikam.com", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Fabrikam Inc"));
  g_assert_nonnull (strstr (out, SEED_FABRIKAM_TENANT));
  /* The US needs a postal code: the text names the field. */
  g_assert_nonnull (strstr (out, "address.postalCode"));
}

/* show prints when the customer was last synced in the user's time zone, as status prints its
 * runs, not in UTC: here five hours east of it. */
static void
test_show_local_time (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+05:00");
  g_autoptr(GDateTime) synced = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  const char * const argv[] = { CLI, "--db", f->db, "show", "fabrikam.com", NULL };
  const char * const five_east[] = { "TZ=<+05>-5", NULL };
  g_autofree char *line = NULL;
  const char *found;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &json, NULL, "show", "--format", "json", "fabrikam.com", NULL), ==, 0);
  node = parse_json (json);
  synced = g_date_time_new_from_iso8601 (json_object_get_string_member (
                                           json_node_get_object (node), "lastSyncedAt"), NULL);
  g_assert_nonnull (synced);
  local = g_date_time_to_timezone (synced, zone);
  expected = g_date_time_format (local, " %Y-%m-%d %H:%M");

  g_assert_cmpint (pd_test_run (argv, five_east, &out, NULL), ==, 0);
  found = strstr (out, "  Last synced ");
  g_assert_nonnull (found);
  line = g_strndup (found, strcspn (found, "\n"));
  g_assert_true (g_str_has_suffix (line, expected));
}

/* The column where the value of a field line of show ("  Label   value") starts, in characters
 * (the end of the spaces after the label), or -1 when the label runs into its value. */
static glong
value_column (const char *line)
{
  const char *gap = strstr (line + 2, "  ");
  const char *value = gap;

  if (gap == NULL)
    return -1;
  while (*value == ' ')
    value++;
  return g_utf8_pointer_to_offset (line, value);
}

/* In every language, show's field values stand in one column, at least two spaces from the
 * longest label (French "Dernière synchronisation" ran one space from its value). */
static void
test_show_aligned (Fixture       *f,
                   gconstpointer  data)
{
  /* Each with a label of its own, so that a language not loaded (English for all) fails. */
  const char *languages[][2] = {
    { "en", "Last synced" }, { "de", "Zuletzt synchronisiert" },
    { "fi", "Synkronoitu viimeksi" }, { "fr", "Dernière synchronisation" },
    { "nl", "Laatst gesynchroniseerd" }, { "sv", "Senast synkroniserad" },
  };

  seed_synced_customers (f->db);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *language = g_strdup_printf ("LANGUAGE=%s", languages[i][0]);
      const char * const env[] = { language, "LC_ALL=C.UTF-8", NULL };
      const char * const argv[] = { CLI, "--db", f->db, "show", "fabrikam.com", NULL };
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      glong column = 0;
      gboolean in_list = FALSE;

      g_assert_cmpint (pd_test_run (argv, env, &out, NULL), ==, 0);
      g_test_message ("%s", out);
      g_assert_nonnull (strstr (out, languages[i][1]));
      lines = g_strsplit (out, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          /* Field lines: two spaces, then the label. A heading that ends with a colon
           * ("Bill-to incomplete: …:") opens a list of problems, up to the blank line. */
          if (lines[l][0] != ' ')
            in_list = g_str_has_suffix (lines[l], ":");
          if (in_list || !g_str_has_prefix (lines[l], "  ") || lines[l][2] == ' ')
            continue;
          if (column == 0)
            column = value_column (lines[l]);
          g_assert_cmpint (value_column (lines[l]), ==, column);
        }
      g_assert_cmpint (column, >, 0);
    }
}

/* A manual organization's bill-to is its own: what it lacks is not to be "fixed in Partner
 * Center", which has no record of it, and a value it holds is not "[local edit; Partner
 * Center: —]". */
static void
test_create_manual_bill_to (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Zeta Testfirma", "--domain",
                        "zetatest.dk", "--country", "DK", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, NULL, "edit-bill-to", "zetatest.dk", "address.city=Aalborg",
                        NULL), ==, 0);
  g_assert_cmpint (cli (f, &out, NULL, "show", "zetatest.dk", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Bill-to incomplete; it lacks:"));
  g_assert_nonnull (strstr (out, " Aalborg\n"));
  g_assert_null (strstr (out, "Partner Center:"));
  g_assert_null (strstr (out, "local edit"));

  /* Nothing to go back to: refused, and the value stays (a revert deleted it, "back to the
   * Partner Center values"). */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (f, NULL, &err, "revert-bill-to", "zetatest.dk", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "its bill-to is its own"));
  g_assert_cmpint (cli (f, &out, NULL, "show", "zetatest.dk", NULL), ==, 0);
  g_assert_nonnull (strstr (out, " Aalborg\n"));
}

/* show and status take --format text (as without it) or json; anything else is bad usage that
 * names the format, and prints nothing on stdout. */
static void
test_text_json_format (Fixture       *f,
                       gconstpointer  data)
{
  const char *commands[][2] = { { "show", "fabrikam.com" }, { "status", NULL } };

  seed_synced_customers (f->db);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *plain = NULL;
      g_autofree char *text = NULL;
      g_autofree char *json = NULL;
      g_autofree char *bad_out = NULL;
      g_autofree char *bad_err = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_assert_cmpint (cli (f, &plain, NULL, commands[i][0], "--format", "text", commands[i][1],
                            NULL), ==, 0);
      g_assert_cmpint (cli (f, &text, NULL, commands[i][0], commands[i][1], NULL), ==, 0);
      g_assert_cmpstr (plain, ==, text);
      g_assert_cmpint (cli (f, &json, NULL, commands[i][0], "--format", "json", commands[i][1],
                            NULL), ==, 0);
      node = parse_json (json);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_assert_cmpint (cli (f, &bad_out, &bad_err, commands[i][0], "--format", "xml",
                            commands[i][1], NULL), ==, 2);
      assert_one_line_error (bad_err);
      g_assert_nonnull (strstr (bad_err, "unknown format “xml” (one of: text, json)"));
      g_assert_cmpstr (bad_out, ==, "");
    }
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonArray) by_name = NULL;
  g_autoptr(JsonArray) by_prefix = NULL;
  g_autoptr(JsonArray) none = NULL;

  seed_synced_customers (f->db);
  by_name = list_json (f, "--search", "contoso");
  g_assert_cmpuint (json_array_get_length (by_name), ==, 1);
  g_assert_true (list_has_name (by_name, "Contoso Ltd"));
  by_prefix = list_json (f, "--search", "fabri");
  g_assert_cmpuint (json_array_get_length (by_prefix), ==, 1);
  g_assert_true (list_has_name (by_prefix, "Fabrikam Inc"));
  none = list_json (f, "--search", "zzzznothing");
  g_assert_cmpuint (json_array_get_length (none), ==, 0);
}

/* Punctuation alone is a search without words: no customer matches it (as in the app's
 * list), instead of every one. */
static void
test_search_no_words (Fixture       *f,
                      gconstpointer  data)
{
  const char *wordless[] = { "!!!", "-", "&" };

  seed_synced_customers (f->db);
  for (guint i = 0; i < G_N_ELEMENTS (wordless); i++)
    {
      g_autoptr(JsonArray) found = list_json (f, "--search", wordless[i]);

      g_assert_cmpuint (json_array_get_length (found), ==, 0);
    }
}

/* After a first sync that stopped, the search index waits for the next sync: a search and a
 * name say that they miss customers, instead of answering "none" as if that were all. */
static void
test_search_before_index (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *show_out = NULL, *show_err = NULL;
  g_autofree char *tenant_out = NULL;

  seed_first_sync_stopped (f->db);
  g_assert_cmpint (cli (f, &out, &err, "list", "--search", "contoso", "--format", "csv", NULL),
                   ==, 0);
  g_assert_null (strstr (out, "Contoso"));
  g_assert_nonnull (strstr (err, "1 organization cannot be found by a search until the "
                                 "current or next sync ends"));
  /* A blank search is no search: every organization, and nothing said of the index. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, &out, &err, "list", "--search", "   ", "--format", "csv", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "Contoso"));
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (cli (f, &show_out, &show_err, "show", "Contoso Ltd", NULL), ==, 1);
  assert_one_line_error (show_err);
  g_assert_nonnull (strstr (show_err, "no organization “Contoso Ltd” (1 organization "
                                      "cannot be found by name"));
  g_assert_cmpint (cli (f, &tenant_out, NULL, "show", SEED_CONTOSO_TENANT, NULL), ==, 0);
  g_assert_nonnull (strstr (tenant_out, "Contoso Ltd"));
}

/* A cache whose every customer is searchable: no warning beside the answer. */
static void
test_search_no_warning (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, &err, "list", "--search", "zzzznothing", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonArray) incomplete = NULL;
  g_autoptr(JsonArray) manual = NULL;
  g_autoptr(JsonArray) local_edits = NULL;
  g_autoptr(JsonArray) removed = NULL;
  g_autoptr(JsonArray) duplicates = NULL;
  g_autoptr(JsonArray) all = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dup_err = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Manual Only AB", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Contoso", "--domain", "contoso.com",
                        "--force", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, NULL, "edit-bill-to", "northwind.fi", "address.city=Espoo",
                        NULL), ==, 0);
  seed_mark_removed (f->db, SEED_NORTHWIND_TENANT);

  incomplete = list_json (f, "--filter", "incomplete");
  g_assert_true (list_has_name (incomplete, "Fabrikam Inc"));
  g_assert_false (list_has_name (incomplete, "Contoso Ltd"));
  manual = list_json (f, "--filter", "manual");
  g_assert_cmpuint (json_array_get_length (manual), ==, 2);
  g_assert_true (list_has_name (manual, "Manual Only AB"));
  local_edits = list_json (f, "--filter", "local-edits");
  g_assert_cmpuint (json_array_get_length (local_edits), ==, 1);
  g_assert_true (list_has_name (local_edits, "Northwind Oy"));
  removed = list_json (f, "--filter", "removed");
  g_assert_cmpuint (json_array_get_length (removed), ==, 1);
  g_assert_true (list_has_name (removed, "Northwind Oy"));
  duplicates = list_json (f, "--filter", "duplicates");
  /* Flags settled by each edit: no warning that they wait for a sync. */
  g_assert_cmpint (cli (f, NULL, &dup_err, "list", "--filter", "duplicates", NULL), ==, 0);
  g_assert_cmpstr (dup_err, ==, "");
  g_assert_true (list_has_name (duplicates, "Contoso Ltd"));
  g_assert_true (list_has_name (duplicates, "Contoso"));
  g_assert_false (list_has_name (duplicates, "Fabrikam Inc"));
  all = list_json (f, "--filter", "all");
  g_assert_cmpuint (json_array_get_length (all), ==, 5);

  g_assert_cmpint (cli (f, NULL, &err, "list", "--filter", "bogus", NULL), ==, 2);
  assert_one_line_error (err);
}

/* ---- set ---- */

static void
test_set_valid (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *segments = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, NULL, "set", "contoso.com", "erp-id=ERP-7", "currency=eur",
                        "status=active", "segments=Education, SMB", "notes=Call before noon",
                        "registration-number=HRB 1234", "account-manager=Jo",
                        "login-options=sso,mfa", NULL), ==, 0);
  root = show_json (f, SEED_CONTOSO_TENANT);
  org = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (org, "erpId"), ==, "ERP-7");
  g_assert_cmpstr (json_object_get_string_member (org, "currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (org, "status"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (org, "notes"), ==, "Call before noon");
  g_assert_cmpstr (json_object_get_string_member (org, "registrationNumber"), ==, "HRB 1234");
  segments = strv_member_joined (org, "segments");
  g_assert_cmpstr (segments, ==, "Education,SMB");
}

static void
assert_refused_unchanged (Fixture    *f,
                          const char *mention,
                          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;
  JsonObject *org;
  const char *arg;
  va_list args;
  int status;

  va_start (args, mention);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_assert_cmpuint (argv->len, ==, 2);
  status = cli (f, &out, &err, "set", "contoso.com", g_ptr_array_index (argv, 0),
                g_ptr_array_index (argv, 1), NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, mention));

  /* Nothing written, not even the valid assignment. */
  root = show_json (f, "contoso.com");
  org = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (org, "notes"), ==, "before");
  g_assert_cmpstr (json_object_get_string_member (org, "currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (org, "status"), ==, "active");
}

static void
test_set_invalid (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *err = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, NULL, "set", "contoso.com", "notes=before", "currency=EUR",
                        "status=active", NULL), ==, 0);
  assert_refused_unchanged (f, "EURO", "notes=after", "currency=EURO", NULL);
  assert_refused_unchanged (f, "colour", "notes=after", "colour=red", NULL);
  assert_refused_unchanged (f, "sleeping", "notes=after", "status=sleeping", NULL);

  g_assert_cmpint (cli (f, NULL, &err, "set", "contoso.com", "notes", NULL), ==, 2);
  assert_one_line_error (err);
}

static void
test_erp_id_clash (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, NULL, "set", "contoso.com", "erp-id=ERP-1", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, &err, "set", "fabrikam.com", "notes=clash", "erp-id=ERP-1",
                        NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "Contoso Ltd"));

  root = show_json (f, "fabrikam.com");
  org = json_node_get_object (root);
  g_assert_true (json_object_get_null_member (org, "erpId"));
  g_assert_true (json_object_get_null_member (org, "notes"));

  /* create refuses a taken ERP ID as an error (not a suspected duplicate), even in
   * another case. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, NULL, &err, "create", "--name", "Totally New Name AG", "--erp-id",
                        "erp-1", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "Contoso Ltd"));
  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Totally New Name AG", "--erp-id",
                        "erp-1", "--force", NULL), ==, 1);
}

/* Makes the cache refuse a write the CLI will make (as a full disk or a busy cache would, part
 * way through a command): sql is a trigger. */
static void
refuse_in_cache (Fixture    *f,
                 const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A write that fails after the first assignment leaves none of them: set and edit-bill-to are
 * all or nothing, and say so with a non-zero exit. */
static void
test_set_all_or_nothing (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) bill_to_root = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  refuse_in_cache (f, "CREATE TRIGGER refuse_notes BEFORE UPDATE OF notes ON local_fields "
                      "WHEN NEW.notes = 'refused' BEGIN SELECT RAISE (ABORT, 'refused'); END; "
                      "CREATE TRIGGER refuse_email BEFORE INSERT ON bill_to_overrides "
                      "WHEN NEW.value = 'refused@example.com' "
                      "BEGIN SELECT RAISE (ABORT, 'refused'); END;");

  g_assert_cmpint (cli (f, NULL, &err, "set", "contoso.com", "erp-id=ERP-9", "notes=refused",
                        NULL), ==, 1);
  assert_one_line_error (err);
  root = show_json (f, "contoso.com");
  org = json_node_get_object (root);
  g_assert_true (json_object_get_null_member (org, "erpId"));
  g_assert_true (json_object_get_null_member (org, "notes"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, NULL, &err, "edit-bill-to", "contoso.com", "companyName=Contoso Two",
                        "email=refused@example.com", NULL), ==, 1);
  assert_one_line_error (err);
  bill_to_root = show_json (f, "contoso.com");
  org = json_node_get_object (bill_to_root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (org,
                                                                         "localBillToFields")),
                    ==, 0);
}

/* ---- bill-to ---- */

static void
test_edit_and_revert_bill_to (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *local = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) partly = NULL;
  g_autoptr(JsonNode) reverted = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, &err, "edit-bill-to", "contoso.com", "address.city=Bonn",
                        "email=ap@contoso.com", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "does not reach Partner Center"));
  g_assert_nonnull (strstr (err, "replaced when Partner Center changes"));
  g_assert_nonnull (strstr (out, "Bill-to complete"));

  edited = show_json (f, "contoso.com");
  org = json_node_get_object (edited);
  local = strv_member_joined (org, "localBillToFields");
  g_assert_cmpstr (local, ==, "email,address.city");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (org, "billTo"), "address"), "city"),
                   ==, "Bonn");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (org, "billToPartnerCenter"), "address"),
                     "city"), ==, "Köln");

  g_assert_cmpint (cli (f, NULL, NULL, "revert-bill-to", "contoso.com", "address.city", NULL),
                   ==, 0);
  partly = show_json (f, "contoso.com");
  g_clear_pointer (&local, g_free);
  local = strv_member_joined (json_node_get_object (partly), "localBillToFields");
  g_assert_cmpstr (local, ==, "email");

  g_assert_cmpint (cli (f, NULL, NULL, "revert-bill-to", "contoso.com", NULL), ==, 0);
  reverted = show_json (f, "contoso.com");
  g_clear_pointer (&local, g_free);
  local = strv_member_joined (json_node_get_object (reverted), "localBillToFields");
  g_assert_cmpstr (local, ==, "");
}

static void
test_edit_bill_to_invalid (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *local = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, &err, "edit-bill-to", "contoso.com", "address.city=Bonn",
                        "address.country=XX", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "XX"));
  g_assert_cmpint (cli (f, NULL, &err2, "edit-bill-to", "contoso.com", "address.colour=red",
                        NULL), ==, 1);
  assert_one_line_error (err2);
  g_assert_nonnull (strstr (err2, "address.colour"));

  root = show_json (f, "contoso.com");
  local = strv_member_joined (json_node_get_object (root), "localBillToFields");
  g_assert_cmpstr (local, ==, "");
}

/* ---- the registration number some countries require ---- */

#define RU_REASON "Registration number (registrationNumber): A registration number is required " \
                  "in Russia"

#define RU_TENANT "55555555-5555-4555-8555-555555555555"

/* A Russian customer whose Partner Center bill-to is complete, but who has no registration
 * number, which Russia requires. */
static void
seed_russian_customer (Fixture *f)
{
  g_autofree char *out = NULL;

  seed_synced_customers (f->db);
  seed_customer_in (f->db, RU_TENANT, "Moskva Trading", "moskva.example", "RU", "101000");
  g_assert_cmpint (cli (f, &out, NULL, "show", "moskva.example", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Bill-to incomplete"));
  g_assert_nonnull (strstr (out, RU_REASON));
}

static void
test_registration_number_show_text (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *missing = NULL;
  g_autofree char *given = NULL;
  g_autofree char *blank = NULL;
  g_autofree char *us = NULL;

  seed_russian_customer (f);
  g_assert_cmpint (cli (f, &missing, NULL, "show", "moskva.example", NULL), ==, 0);
  g_assert_nonnull (strstr (missing, RU_REASON));
  /* The registration number is the only problem: no bill-to field is listed. */
  g_assert_null (strstr (missing, "(address."));

  /* One typed here is the partner's record: Partner Center never sees it, so it is a local
   * fill, not an order-ready customer (before: "orders can be placed"). */
  g_assert_cmpint (cli (f, NULL, NULL, "set", "moskva.example", "registration-number=1027700132195",
                        NULL), ==, 0);
  g_assert_cmpint (cli (f, &given, NULL, "show", "moskva.example", NULL), ==, 0);
  g_assert_null (strstr (given, "(registrationNumber)"));
  g_assert_null (strstr (given, "orders can be placed"));
  g_assert_nonnull (strstr (given, "Registration number kept only in Partner Desk — it is not "
                                   "sent to Partner Center, and Partner Center’s own is not read, "
                                   "so Microsoft may refuse orders"));
  g_assert_null (strstr (given, "push the bill-to"));

  g_assert_cmpint (cli (f, NULL, NULL, "set", "moskva.example", "registration-number=  ", NULL),
                   ==, 0);
  g_assert_cmpint (cli (f, &blank, NULL, "show", "moskva.example", NULL), ==, 0);
  g_assert_nonnull (strstr (blank, RU_REASON));

  /* The United States never require one. */
  g_assert_cmpint (cli (f, &us, NULL, "show", "fabrikam.com", NULL), ==, 0);
  g_assert_null (strstr (us, "(registrationNumber)"));
}

/* missingFields, billToComplete, the "incomplete" filter and the export come from the store's
 * missing mask, which must count the registration number as well: Partner Center's (not
 * read: none known), never one typed here; a manual organization's own. */
static void
test_registration_number_missing_fields (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "incomplete.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) given = NULL;
  g_autoptr(JsonArray) incomplete = NULL;
  g_autoptr(JsonArray) incomplete_after = NULL;
  g_autofree char *missing_fields = NULL;
  g_autofree char *given_fields = NULL;
  g_autofree char *local_fields = NULL;
  g_autoptr(JsonNode) manual = NULL;
  g_autoptr(JsonNode) manual_given = NULL;
  g_autofree char *manual_fields = NULL;

  seed_russian_customer (f);
  missing = show_json (f, "moskva.example");
  missing_fields = strv_member_joined (json_node_get_object (missing), "missingFields");
  g_assert_cmpstr (missing_fields, ==, "registrationNumber");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (missing),
                                                  "billToComplete"));
  incomplete = list_json (f, "--filter", "incomplete");
  g_assert_true (list_has_name (incomplete, "Moskva Trading"));
  g_assert_cmpint (cli (f, NULL, NULL, "export", path, "--filter", "incomplete", NULL), ==, 0);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, ",registrationNumber,"));

  g_assert_cmpint (cli (f, NULL, NULL, "set", "moskva.example", "registration-number=1027700132195",
                        NULL), ==, 0);
  given = show_json (f, "moskva.example");
  given_fields = strv_member_joined (json_node_get_object (given), "missingFields");
  g_assert_cmpstr (given_fields, ==, "registrationNumber");
  local_fields = strv_member_joined (json_node_get_object (given), "localMissingFields");
  g_assert_cmpstr (local_fields, ==, "");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (given), "billToComplete"));
  incomplete_after = list_json (f, "--filter", "incomplete");
  g_assert_true (list_has_name (incomplete_after, "Moskva Trading"));

  /* A manual organization's own registration number is the only one there is. */
  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Kazan Handmade", "--domain",
                        "kazan-handmade.example", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, NULL, "edit-bill-to", "kazan-handmade.example",
                        "address.country=RU", "address.city=Kazan", "address.postalCode=420111",
                        "address.addressLine1=Ulitsa 1", "address.firstName=Ivan",
                        "address.lastName=Petrov", "email=ivan@kazan-handmade.example",
                        "address.phoneNumber=+78432000000", "companyName=Kazan Handmade",
                        "culture=ru-RU", "language=ru", NULL), ==, 0);
  manual = show_json (f, "kazan-handmade.example");
  manual_fields = strv_member_joined (json_node_get_object (manual), "missingFields");
  g_assert_cmpstr (manual_fields, ==, "registrationNumber");
  g_assert_cmpint (cli (f, NULL, NULL, "set", "kazan-handmade.example",
                        "registration-number=1021600000000", NULL), ==, 0);
  manual_given = show_json (f, "kazan-handmade.example");
  g_free (manual_fields);
  manual_fields = strv_member_joined (json_node_get_object (manual_given), "missingFields");
  g_assert_cmpstr (manual_fields, ==, "");
}

/* ---- create, duplicates, link ---- */

/* `duplicates --format json`: one group, the synced Contoso Ltd and the forced manual Contoso,
 * each as `show --format json` writes an organization; a wrong format is a usage error. */
static void
assert_duplicates_json (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *groups, *group;
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpint (cli (f, &out, NULL, "duplicates", "--format", "json", NULL), ==, 0);
  root = parse_json (out);
  groups = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
  group = json_array_get_array_element (groups, 0);
  g_assert_cmpuint (json_array_get_length (group), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *org = json_array_get_object_element (group, i);

      g_assert_true (json_object_has_member (org, "billToState"));
      g_hash_table_add (names, (gpointer) json_object_get_string_member (org, "name"));
    }
  g_assert_true (g_hash_table_contains (names, "Contoso Ltd"));
  g_assert_true (g_hash_table_contains (names, "Contoso"));
  g_hash_table_unref (names);
  g_assert_cmpint (cli (f, NULL, NULL, "duplicates", "--format", "csv", NULL), ==, 2);
}

static void
test_create_duplicate (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonArray) before = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autofree char *groups = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, &err, "create", "--name", "Contoso", "--domain",
                        "contoso.com", NULL), ==, 4);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (out, "Contoso Ltd"));
  g_assert_nonnull (strstr (out, "consent-link"));
  before = list_json (f, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (before), ==, 3);

  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Contoso", "--domain",
                        "contoso.com", "--force", NULL), ==, 0);
  after = list_json (f, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (after), ==, 4);

  g_assert_cmpint (cli (f, &groups, NULL, "duplicates", NULL), ==, 0);
  g_assert_nonnull (strstr (groups, "Contoso Ltd"));
  g_assert_null (strstr (groups, "Fabrikam"));
  assert_duplicates_json (f);
}

/* duplicates on a --db that does not exist says so, and leaves no empty cache there. */
static void
test_duplicates_without_cache (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (f, NULL, &err, "duplicates", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "no cache at"));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

/* The duplicate flags a first sync keeps for its end are not trusted meanwhile: after one that
 * stopped, `duplicates` still finds the two customers named Contoso Ltd. */
static void
test_duplicates_during_first_sync (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *groups = NULL;
  g_autofree char *err = NULL;
  g_autofree char *status = NULL;
  g_autofree char *status_json = NULL;

  seed_first_sync_stopped_with_twin (f->db);
  g_assert_cmpint (cli (f, &groups, NULL, "duplicates", NULL), ==, 0);
  g_assert_nonnull (strstr (groups, "group 1"));
  g_assert_nonnull (strstr (groups, "contoso.com"));
  g_assert_nonnull (strstr (groups, "contoso.de"));
  /* The list's filter reads the flags: it says that they wait for the sync's end. */
  g_assert_cmpint (cli (f, NULL, &err, "list", "--filter", "duplicates", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "Warning: possible duplicates are flagged when the current or "
                                 "next sync ends"));
  /* So does status, beside its count. */
  g_assert_cmpint (cli (f, &status, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (status, "Possible duplicates: 0 (flagged when the current or next "
                                    "sync ends"));
  g_assert_cmpint (cli (f, &status_json, NULL, "status", "--format", "json", NULL), ==, 0);
  g_assert_nonnull (strstr (status_json, "\"duplicateFlagsUpToDate\" : false"));
}

static void
test_link (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *org;

  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Tailspin Toys", "--domain",
                        "tailspin.example", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, &err, "link", "tailspin.example", "not-a-guid", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_cmpint (cli (f, NULL, NULL, "link", "tailspin.example",
                        "44444444-4444-4444-8444-444444444444", NULL), ==, 0);
  root = show_json (f, "44444444-4444-4444-8444-444444444444");
  org = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (org, "name"), ==, "Tailspin Toys");
  /* Linked, not synced yet: show must not say that no tenant is linked, beside its tenant. */
  g_assert_cmpint (cli (f, &shown, NULL, "show", "tailspin.example", NULL), ==, 0);
  g_assert_nonnull (strstr (shown, "44444444-4444-4444-8444-444444444444"));
  g_assert_null (strstr (shown, "no Microsoft tenant linked"));
  g_assert_nonnull (strstr (shown, "manual (linked to its Microsoft tenant, not synced yet)"));
}

/* ---- export ---- */

static void
test_export_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *listed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "=HYPERLINK(\"x\")", NULL), ==, 0);
  g_assert_cmpint (cli (f, NULL, NULL, "create", "--name", "Comma, \"Quoted\" Inc", NULL),
                   ==, 0);
  g_assert_cmpint (cli (f, NULL, NULL, "export", path, NULL), ==, 0);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  /* A formula is defused by a leading quote; a comma or quote makes a quoted cell. */
  g_assert_nonnull (strstr (contents, "'=HYPERLINK"));
  g_assert_null (strstr (contents, ",=HYPERLINK"));
  g_assert_nonnull (strstr (contents, "\"Comma, \"\"Quoted\"\" Inc\""));

  g_assert_cmpint (cli (f, &listed, NULL, "list", "--format", "csv", NULL), ==, 0);
  g_assert_cmpstr (listed, ==, contents);
}

static void
test_export_filtered (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "incomplete.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, NULL, "export", path, "--filter", "incomplete", NULL), ==, 0);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "Fabrikam Inc"));
  g_assert_null (strstr (contents, "Northwind Oy"));
}

/* Scripts often run under LANG=C: UTF-8 arguments must be taken as they are (GOption would
 * refuse "Müller" as not ASCII), and the JSON must still be UTF-8, not "K?ln". */
static void
test_utf8_in_c_locale (Fixture       *f,
                       gconstpointer  data)
{
  const char *show[] = { CLI, "--db", f->db, "show", "contoso.com", "--format", "json", NULL };
  const char *create[] = { CLI, "--db", f->db, "create", "--name", "M\xc3\xbcller GmbH",
                           "--domain", "mueller.example", NULL };
  const char *search[] = { CLI, "--db", f->db, "list", "--search", "M\xc3\xbcl", "--format",
                           "json", NULL };
  const char *latin1[] = { CLI, "--db", f->db, "create", "--name", "Caf\xe9", NULL };
  const char *env[] = { "LC_ALL=C", "LANG=C", NULL };
  const char *utf8_env[] = { "LC_ALL=C.UTF-8", NULL };
  g_autofree char *out = NULL;
  g_autofree char *found = NULL;
  g_autofree char *err = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (pd_test_run (show, env, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"K\xc3\xb6ln\""));
  g_assert_cmpint (pd_test_run (create, env, NULL, NULL), ==, 0);
  g_assert_cmpint (pd_test_run (search, env, &found, NULL), ==, 0);
  g_assert_nonnull (strstr (found, "\"M\xc3\xbcller GmbH\""));
  /* Bytes that are text in neither UTF-8 nor the locale: a usage error, nothing stored. */
  g_assert_cmpint (pd_test_run (latin1, utf8_env, NULL, &err), ==, 2);
  assert_one_line_error (err);
}

/* An exact name finds the organization (after id, tenant id and domain); a name that several
 * share is refused with their ids. */
static void
test_show_by_name (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  gint64 first;

  seed_synced_customers (f->db);
  root = show_json (f, "northwind oy");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "tenantId"), ==,
                   SEED_NORTHWIND_TENANT);
  g_clear_pointer (&root, json_node_unref);
  root = show_json (f, "Contoso Ltd");
  first = json_object_get_int_member (json_node_get_object (root), "id");

  seed_customer_named (f->db, "44444444-4444-4444-8444-444444444444", "Contoso Ltd");
  g_assert_cmpint (cli (f, &out, &err, "show", "Contoso Ltd", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "Contoso Ltd"));
  {
    g_autofree char *first_id = g_strdup_printf ("(%" G_GINT64_FORMAT ", ", first);

    g_assert_nonnull (strstr (err, first_id));
  }
  g_assert_cmpstr (out, ==, "");
  /* A prefix is not a name. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, NULL, &err, "show", "Northwind", NULL), ==, 1);
  assert_one_line_error (err);
}

/* Every Partner Desk field is in the JSON: login options, account manager, reseller, and the
 * currency change with the currency billed until it takes effect. */
static void
test_show_json_local_fields (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) resold = NULL;
  g_autofree char *login = NULL;
  g_autofree char *expected_from = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *org;
  JsonObject *reseller;

  seed_synced_customers (f->db);
  seed_customer_of_reseller (f->db, "55555555-5555-4555-8555-555555555555", "Tailspin Toys",
                             "66666666-6666-4666-8666-666666666666", "Litware Reseller");
  g_assert_cmpint (cli (f, NULL, NULL, "set", "contoso.com", "currency=EUR",
                        "login-options=sso,mfa", "account-manager=Jo Berg", NULL), ==, 0);
  seed_age_currency_changes (f->db, 40);
  g_assert_cmpint (cli (f, NULL, NULL, "set", "contoso.com", "currency=USD", NULL), ==, 0);

  root = show_json (f, "contoso.com");
  org = json_node_get_object (root);
  login = strv_member_joined (org, "loginOptions");
  g_assert_cmpstr (login, ==, "sso,mfa");
  g_assert_cmpstr (json_object_get_string_member (org, "accountManager"), ==, "Jo Berg");
  g_assert_true (json_object_get_null_member (org, "reseller"));
  g_assert_cmpstr (json_object_get_string_member (org, "currency"), ==, "USD");
  expected_from = g_strdup_printf ("%04d-%02d-01",
                                   g_date_time_get_month (now) == 12
                                     ? g_date_time_get_year (now) + 1 : g_date_time_get_year (now),
                                   g_date_time_get_month (now) % 12 + 1);
  g_assert_cmpstr (json_object_get_string_member (org, "currencyEffectiveFrom"), ==,
                   expected_from);
  g_assert_cmpstr (json_object_get_string_member (org, "currencyUntilThen"), ==, "EUR");

  resold = show_json (f, "Tailspin Toys");
  reseller = json_object_get_object_member (json_node_get_object (resold), "reseller");
  g_assert_nonnull (reseller);
  g_assert_cmpstr (json_object_get_string_member (reseller, "id"), ==,
                   "66666666-6666-4666-8666-666666666666");
  g_assert_cmpstr (json_object_get_string_member (reseller, "name"), ==, "Litware Reseller");
  g_assert_true (json_object_get_null_member (json_node_get_object (resold),
                                              "currencyEffectiveFrom"));
  g_assert_true (json_object_get_null_member (json_node_get_object (resold),
                                              "currencyUntilThen"));
}

/* ---- errors and usage ---- */

static void
test_unknown_org (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, NULL, &err, "show", "nosuch.example", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, "nosuch.example"));
  g_assert_cmpint (cli (f, NULL, &err2, "set", "nosuch.example", "notes=x", NULL), ==, 1);
  assert_one_line_error (err2);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  static const char * const env_vars[] = {
    "PARTNER_DESK_API_URL", "PARTNER_DESK_LOGIN_URL", "PARTNER_DESK_ACCESS_TOKEN",
    "PARTNER_DESK_DB", NULL
  };
  g_autofree char *err1 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;
  g_autofree char *err4 = NULL;
  g_autofree char *help = NULL;
  g_autofree char *show_help = NULL;
  g_autofree char *version = NULL;

  g_assert_cmpint (cli (f, NULL, &err1, NULL), ==, 2);
  assert_one_line_error (err1);
  g_assert_cmpint (cli (f, NULL, &err2, "frobnicate", NULL), ==, 2);
  assert_one_line_error (err2);
  g_assert_cmpint (cli (f, NULL, &err3, "show", NULL), ==, 2);
  assert_one_line_error (err3);
  g_assert_cmpint (cli (f, NULL, &err4, "list", "--bogus", NULL), ==, 2);
  assert_one_line_error (err4);

  g_assert_cmpint (cli (f, &help, NULL, "--help", NULL), ==, 0);
  for (guint i = 0; env_vars[i] != NULL; i++)
    g_assert_nonnull (strstr (help, env_vars[i]));
  g_assert_nonnull (strstr (help, "edit-bill-to"));
  g_assert_cmpint (cli (f, &show_help, NULL, "show", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (show_help, "--format"));
  g_assert_cmpint (cli (f, &version, NULL, "--version", NULL), ==, 0);
  g_assert_nonnull (strstr (version, PACKAGE_VERSION));
}

/* ---- status ---- */

static void
test_status_json (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *status;
  JsonArray *runs;
  JsonObject *run;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, NULL, "status", "--format", "json", NULL), ==, 0);
  root = parse_json (out);
  status = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (status, "cache"), ==, f->db);
  g_assert_cmpint (json_object_get_int_member (status, "organizations"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (status, "counts"),
                                               "incomplete"), ==, 1);
  runs = json_object_get_array_member (status, "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);
  run = json_array_get_object_element (runs, 0);
  g_assert_cmpstr (json_object_get_string_member (run, "state"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (run, "new"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (run, "failed"), ==, 0);

  g_assert_cmpint (cli (f, &text, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (text, f->db));
}

/* With --runs 1 while a sync runs (the one run listed), status still says which run was the
 * last one over: it named none. */
static void
test_status_runs_one_while_syncing (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *text = NULL;
  gint64 resume = 0;

  seed_synced_customers (f->db);
  store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_begin_sync_run (store, PD_SYNC_KIND_INCREMENTAL, "held", &resume,
                                            &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cli (f, &text, NULL, "status", "--runs", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "A sync is running since "));
  g_assert_nonnull (strstr (text, "Last sync: Complete, "));
  /* Only the one run listed below. */
  g_assert_null (strstr (text, "#1 "));
}

/* After a retry of one customer, status says the last run was that retry, as the app's sync
 * panel does, and still when the cache was last synced whole; its JSON names the kind. */
static void
test_status_retry (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *status;
  JsonObject *run;
  const char *line;

  seed_synced_customers (f->db);
  seed_retry_of (f->db, SEED_CONTOSO_TENANT);
  g_assert_cmpint (cli (f, &text, NULL, "status", NULL), ==, 0);
  g_test_message ("%s", text);
  line = strstr (text, "Last sync: ");
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Last sync: retry of 1 customer, Complete, "));
  line = strchr (line, '\n');
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line + 1, "Last complete sync: "));

  g_assert_cmpint (cli (f, &out, NULL, "status", "--format", "json", NULL), ==, 0);
  root = parse_json (out);
  status = json_node_get_object (root);
  run = json_array_get_object_element (json_object_get_array_member (status, "runs"), 0);
  g_assert_cmpstr (json_object_get_string_member (run, "kind"), ==, "retry");
  g_assert_false (json_object_get_null_member (status, "lastCompleteSync"));
}

/* status lists its runs in the sync panel's words, translated ("Retry of failed customers,
 * Complete"), not by the identifiers JSON keeps ("retry", "complete"). */
static void
test_status_run_labels (Fixture       *f,
                        gconstpointer  data)
{
  const char * const argv[] = { CLI, "--db", f->db, "status", NULL };
  const char * const finnish[] = { "LANGUAGE=fi", "LC_ALL=C.UTF-8", NULL };
  g_autofree char *text = NULL;
  g_autofree char *fi_text = NULL;

  seed_synced_customers (f->db);
  seed_retry_of (f->db, SEED_CONTOSO_TENANT);
  g_assert_cmpint (cli (f, &text, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (text, " Retry of failed customers, Complete, started "));
  g_assert_null (strstr (text, "retry sync"));
  g_assert_null (strstr (text, ", complete,"));

  g_assert_cmpint (pd_test_run (argv, finnish, &fi_text, NULL), ==, 0);
  g_test_message ("%s", fi_text);
  g_assert_nonnull (strstr (fi_text, " Epäonnistuneiden asiakkaiden uusintayritys, Valmis, "));
}

/* A customer whose read failed is named in status --format json by its local id when the cache
 * holds it (the listing stored it; the failed event has none of its own), and by null when not:
 * never by 0, which no organization has. */
static void
test_status_failed_customer_ids (Fixture       *f,
                                 gconstpointer  data)
{
  /* As Partner Center sent it, with a space the cache's rows do not keep. */
  PdRunEvent failed = { .kind = PD_RUN_EVENT_FAILED, .tenant_id = " " SEED_FABRIKAM_TENANT,
                        .name = "Fabrikam Inc", .error = "refused" };
  PdRunEvent unknown = { .kind = PD_RUN_EVENT_FAILED,
                         .tenant_id = "99999999-9999-4999-8999-999999999999",
                         .name = "Gone Corp", .error = "not found" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdOrganization) fabrikam = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  JsonArray *customers;
  JsonObject *first, *second;
  gint64 resume = 0;
  gint64 run_id;

  seed_synced_customers (f->db);
  store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
  fabrikam = pd_store_find_by_tenant (store, SEED_FABRIKAM_TENANT, &error);
  g_assert_no_error (error);
  run_id = pd_store_begin_sync_run (store, PD_SYNC_KIND_INCREMENTAL, "failed", &resume, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_add_run_event (store, run_id, &failed, &error));
  g_assert_true (pd_store_add_run_event (store, run_id, &unknown, &error));
  g_assert_true (pd_store_finish_sync_run (store, run_id, PD_SYNC_STATE_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (cli (f, &json, NULL, "status", "--format", "json", NULL), ==, 0);
  node = parse_json (json);
  customers = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (node),
                                                                  "runs"), 0),
    "failedCustomers");
  g_assert_cmpuint (json_array_get_length (customers), ==, 2);
  first = json_array_get_object_element (customers, 0);
  second = json_array_get_object_element (customers, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Fabrikam Inc");
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==,
                   pd_organization_get_id (fabrikam));
  g_assert_cmpstr (json_object_get_string_member (second, "name"), ==, "Gone Corp");
  g_assert_true (json_object_get_null_member (second, "id"));
}

/* A replaced local edit names its field as show does, in the user's language, with the path
 * edit-bill-to takes (before: "address.city" alone, inside a German sentence). */
static void
test_status_replaced_field_named (Fixture       *f,
                                  gconstpointer  data)
{
  const char * const argv[] = { CLI, "--db", f->db, "status", NULL };
  const char * const german[] = { "LANGUAGE=de", "LC_ALL=C.UTF-8", NULL };
  PdRunEvent replaced = { .kind = PD_RUN_EVENT_OVERRIDE_REPLACED, .tenant_id = SEED_CONTOSO_TENANT,
                          .name = "Contoso Ltd", .field = "billTo.address.city",
                          .old_value = "Bonn", .new_value = "Berlin" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autofree char *text = NULL;
  g_autofree char *de_text = NULL;
  gint64 resume = 0;
  gint64 run_id;

  seed_synced_customers (f->db);
  store = pd_store_open (f->db, &error);
  g_assert_no_error (error);
  run_id = pd_store_begin_sync_run (store, PD_SYNC_KIND_INCREMENTAL, "replaced", &resume, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_add_run_event (store, run_id, &replaced, &error));
  g_assert_true (pd_store_finish_sync_run (store, run_id, PD_SYNC_STATE_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (cli (f, &text, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "local edit replaced: Contoso Ltd, City (address.city): "
                                  "“Bonn” → “Berlin”"));
  g_assert_cmpint (pd_test_run (argv, german, &de_text, NULL), ==, 0);
  g_test_message ("%s", de_text);
  g_assert_nonnull (strstr (de_text, "lokale Änderung ersetzt: Contoso Ltd, Ort (address.city): "));
}

/* Reading commands never create a cache: a wrong --db is said, and nothing is left behind. */
static void
test_status_no_cache (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *expected = g_strdup_printf ("no cache at %s", f->db);

  g_assert_cmpint (cli (f, NULL, &err, "status", NULL), ==, 1);
  assert_one_line_error (err);
  g_assert_nonnull (strstr (err, expected));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli (f, NULL, &err2, "show", "contoso.com", NULL), ==, 1);
  g_assert_nonnull (strstr (err2, expected));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  /* consent-link offline looks for a recorded partner: it left an empty cache at a mistyped
   * --db before. */
  g_assert_cmpint (cli (f, NULL, NULL, "consent-link", NULL), ==, 1);
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

/* The demo's Partner Center is the simulator inside the app: the CLI says so, in one line,
 * instead of a keyring or network error (PARTNER_DESK_API_URL points nowhere here).
 * push-bill-to went online before, to the configured Partner Center, with a demo customer. */
static void
test_demo_cache (Fixture       *f,
                 gconstpointer  data)
{
  const char *commands[][2] = { { "sync", NULL }, { "consent-link", NULL },
                                { "push-bill-to", "contoso.com" } };

  seed_synced_customers (f->db);
  seed_mark_demo (f->db);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (cli (f, NULL, &err, commands[i][0], commands[i][1], NULL), ==, 1);
      assert_one_line_error (err);
      g_assert_nonnull (strstr (err, "demo"));
      g_assert_nonnull (strstr (err, "partner-desk --demo"));
    }
}

/* Without --db, PARTNER_DESK_DB names the cache. */
static void
test_db_from_environment (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *env_db = g_strdup_printf ("PARTNER_DESK_DB=%s", f->db);
  const char *argv[] = { CLI, "status", "--format", "json", NULL };
  const char *env[] = { env_db, NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (pd_test_run (argv, env, &out, NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "cache"), ==,
                   f->db);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "organizations"),
                   ==, 3);
}

/* ---- order readiness: what Microsoft checks ---- */

/* Fabrikam (US) lacks its postal code in Partner Center. Filling it in locally does not make
 * orders possible: Microsoft checks Partner Center's bill-to. */
static void
test_local_fill_is_not_order_ready (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *local_missing = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonArray) incomplete = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, NULL, "edit-bill-to", "fabrikam.com",
                        "address.postalCode=98052", NULL), ==, 0);
  g_assert_null (strstr (out, "orders can be placed"));
  g_assert_nonnull (strstr (out, "Filled in locally"));
  g_assert_nonnull (strstr (out, "Partner Center still lacks Postal code"));
  g_assert_cmpint (cli (f, &shown, NULL, "show", "fabrikam.com", NULL), ==, 0);
  g_assert_nonnull (strstr (shown, "Filled in locally"));

  root = show_json (f, "fabrikam.com");
  org = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (org, "billToComplete"));
  g_assert_cmpstr (json_object_get_string_member (org, "billToState"), ==, "incomplete");
  missing = strv_member_joined (org, "missingFields");
  g_assert_cmpstr (missing, ==, "address.postalCode");
  local_missing = strv_member_joined (org, "localMissingFields");
  g_assert_cmpstr (local_missing, ==, "");
  incomplete = list_json (f, "--filter", "incomplete");
  g_assert_true (list_has_name (incomplete, "Fabrikam Inc"));
}

#define UNREADABLE_TENANT "44444444-4444-4444-8444-444444444444"
#define NOT_READ_TENANT "55555555-5555-4555-8555-555555555555"
#define REFUSED "Partner Center refused access (403): your account needs the Admin agent role"

/* A customer whose bill-to Partner Center refused is listed, shown and exported as not
 * readable with the reason, never complete or incomplete; one whose latest read failed keeps
 * its state, with the reason and the time of its last read. */
static void
test_unreadable_bill_to (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *csv = NULL, *text = NULL, *stale_text = NULL, *status_out = NULL;
  g_autofree char *not_read_text = NULL;
  g_autoptr(JsonNode) root = NULL, stale_root = NULL, status = NULL, not_read_root = NULL;
  g_autoptr(JsonArray) unreadable = NULL, incomplete = NULL;
  g_autofree char *table = NULL;
  g_autofree char *listed_line = NULL;
  const char *listed_at;
  g_autoptr(GError) error = NULL;
  JsonObject *org, *stale;

  seed_synced_customers (f->db);
  seed_unreadable (f->db, UNREADABLE_TENANT, "Refused Oy", "refused.fi", REFUSED);
  seed_unreadable (f->db, NOT_READ_TENANT, "Listed Oy", "listed.fi", NULL);
  seed_read_failed (f->db, SEED_CONTOSO_TENANT, "Partner Center error: timed out");

  root = show_json (f, "refused.fi");
  org = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (org, "billToState"), ==, "unreadable");
  g_assert_false (json_object_get_boolean_member (org, "billToComplete"));
  g_assert_cmpstr (json_object_get_string_member (org, "billToReadError"), ==, REFUSED);
  g_assert_true (json_object_get_null_member (org, "billToReadAt"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (org, "missingFields")),
                    ==, 0);

  stale_root = show_json (f, "contoso.com");
  stale = json_node_get_object (stale_root);
  g_assert_cmpstr (json_object_get_string_member (stale, "billToState"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (stale, "billToReadError"), ==,
                   "Partner Center error: timed out");
  g_assert_false (json_object_get_null_member (stale, "billToReadAt"));

  /* Listed but not read yet: Partner Center refused nothing, so it is not "not readable". */
  not_read_root = show_json (f, "listed.fi");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (not_read_root),
                                                  "billToState"), ==, "notRead");
  g_assert_cmpint (cli (f, &table, NULL, "list", NULL), ==, 0);
  listed_at = strstr (table, "Listed Oy");
  g_assert_nonnull (listed_at);
  listed_line = g_strndup (listed_at, strcspn (listed_at, "\n"));
  g_assert_nonnull (strstr (listed_line, "not read yet"));

  unreadable = list_json (f, "--filter", "unreadable");
  g_assert_cmpuint (json_array_get_length (unreadable), ==, 1);
  g_assert_true (list_has_name (unreadable, "Refused Oy"));
  incomplete = list_json (f, "--filter", "incomplete");
  g_assert_false (list_has_name (incomplete, "Refused Oy"));

  g_assert_cmpint (cli (f, &csv, NULL, "list", "--format", "csv", NULL), ==, 0);
  g_assert_nonnull (strstr (csv, ",billToState,billToReadError,billToReadAt\r\n"));
  g_assert_nonnull (strstr (csv, ",unreadable," REFUSED ",\r\n"));
  g_assert_cmpint (cli (f, &text, NULL, "show", "refused.fi", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "Bill-to not readable: " REFUSED));
  g_assert_null (strstr (text, "Bill-to incomplete"));
  /* Not a column of empty fields, which would read as a bill-to without values. */
  g_assert_null (strstr (text, "Company name"));
  g_assert_cmpint (cli (f, &stale_text, NULL, "show", "contoso.com", NULL), ==, 0);
  g_assert_nonnull (strstr (stale_text, "The latest read of the bill-to failed"));
  g_assert_cmpint (cli (f, &not_read_text, NULL, "show", "listed.fi", NULL), ==, 0);
  g_assert_nonnull (strstr (not_read_text, "Bill-to not read yet: Partner Center listed"));
  g_assert_null (strstr (not_read_text, "not readable"));
  g_assert_null (strstr (not_read_text, "Company name"));

  g_assert_cmpint (cli (f, &status_out, NULL, "status", "--format", "json", NULL), ==, 0);
  status = json_from_string (status_out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (json_node_get_object (status), "counts"),
                     "unreadable"), ==, 1);
}

/* The line of table that holds text (without its newline). */
static char *
dup_line_with (const char *table,
               const char *text)
{
  const char *at = strstr (table, text);
  const char *start;

  g_assert_nonnull (at);
  for (start = at; start > table && start[-1] != '\n'; start--)
    ;
  return g_strndup (start, strcspn (start, "\n"));
}

/* A customer read before whose latest read failed: the app says "Last read …; the latest read
 * failed", and the CLI says the same everywhere, with the reason made safe for a terminal:
 * list's table, show's text (no "orders can be placed" from an old read) and JSON's
 * billToStale, billToState staying what the last read found. */
static void
test_stale_bill_to (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *table = NULL, *contoso_line = NULL, *fabrikam_line = NULL;
  g_autofree char *northwind_line = NULL, *text = NULL;
  g_autoptr(JsonNode) stale = NULL, fresh = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  seed_read_failed (f->db, SEED_CONTOSO_TENANT, "Partner Center error: timed out\033[2J");
  seed_read_failed (f->db, SEED_FABRIKAM_TENANT, "Partner Center error: 500");

  g_assert_cmpint (cli (f, &table, NULL, "list", NULL), ==, 0);
  contoso_line = dup_line_with (table, "Contoso Ltd");
  fabrikam_line = dup_line_with (table, "Fabrikam Inc");
  northwind_line = dup_line_with (table, "Northwind");
  g_assert_nonnull (strstr (contoso_line, " ok; latest read failed"));
  g_assert_nonnull (strstr (fabrikam_line, " missing; latest read failed"));
  g_assert_null (strstr (northwind_line, "latest read failed"));

  g_assert_cmpint (cli (f, &text, NULL, "show", "contoso.com", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "The latest read of the bill-to failed: Partner Center error: "
                                  "timed out\357\277\275[2J. Shown: the bill-to as last read on "));
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strstr (text, "orders can be placed"));
  g_assert_nonnull (strstr (text, "Bill-to complete in Partner Center as last read."));

  stale = show_json (f, "contoso.com");
  org = json_node_get_object (stale);
  g_assert_cmpstr (json_object_get_string_member (org, "billToState"), ==, "complete");
  g_assert_true (json_object_get_boolean_member (org, "billToStale"));
  g_assert_cmpstr (json_object_get_string_member (org, "billToReadError"), ==,
                   "Partner Center error: timed out\033[2J");
  fresh = show_json (f, "northwind.fi");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (fresh), "billToStale"));
}

/* A complete bill-to of an account Microsoft's verification has under review: new purchases
 * are blocked, so show does not say orders can be placed, and says what the check answered. */
static void
test_show_account_under_review (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *out = NULL;

  seed_synced_customers (f->db);
  seed_account_under_review (f->db, SEED_CONTOSO_TENANT);
  g_assert_cmpint (cli (f, &out, NULL, "show", "contoso.com", NULL), ==, 0);
  g_assert_null (strstr (out, "orders can be placed"));
  g_assert_nonnull (strstr (out, "blocks new purchases"));
  g_assert_nonnull (strstr (out, "Account verification (checked "));
  g_assert_nonnull (strstr (out, "Under review"));
}

/* A customer of an indirect reseller that Partner Center lists without a name: show names the
 * reseller by its tenant id, where it said "—", as for a direct customer. */
static void
test_show_reseller_without_name (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *out = NULL;

  seed_synced_customers (f->db);
  seed_customer_of_reseller (f->db, "55555555-5555-4555-8555-555555555555", "Tailspin Toys",
                             "66666666-6666-4666-8666-666666666666", NULL);
  g_assert_cmpint (cli (f, &out, NULL, "show", "Tailspin Toys", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Reseller                    66666666-6666-4666-8666-666666666666\n"));
}

/* A customer removed from Partner Center keeps its complete bill-to in the cache, but no order
 * can be placed for it: show says so, not "orders can be placed". */
static void
test_show_removed_takes_no_orders (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *out = NULL;

  seed_synced_customers (f->db);
  seed_mark_removed (f->db, SEED_CONTOSO_TENANT);
  g_assert_cmpint (cli (f, &out, NULL, "show", "contoso.com", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "removed from Partner Center"));
  g_assert_null (strstr (out, "orders can be placed"));
  g_assert_nonnull (strstr (out, "orders cannot be placed"));
}

/* A complete Partner Center bill-to stays complete when a local edit blanks a field: the
 * local values are reported apart (localMissingFields). */
static void
test_local_blank_keeps_orders (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *local_missing = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *org;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &out, NULL, "edit-bill-to", "contoso.com", "email=", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "orders can be placed"));
  g_assert_nonnull (strstr (out, "With your local edits"));
  root = show_json (f, "contoso.com");
  org = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (org, "billToComplete"));
  g_assert_cmpstr (json_object_get_string_member (org, "billToState"), ==, "complete");
  local_missing = strv_member_joined (org, "localMissingFields");
  g_assert_cmpstr (local_missing, ==, "email");
}

/* ---- text output of data from Partner Center ---- */

#define HOSTILE_TENANT "44444444-4444-4444-8444-444444444444"
/* A title-setting OSC, a bell, a carriage return that would overwrite the line, an 8-bit CSI,
 * and two bidi controls never closed (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT
 * ISOLATE), which would reverse or reorder the rest of the line in a terminal that does bidi. */
#define HOSTILE_NAME "Evil\033]0;pwned\007 Corp\rFAKE\302\233 \342\200\256gnp \342\201\246x"

/* crlf: CSV's line end, CR LF, is text too. */
static void
assert_no_terminal_controls_but (const char *text,
                                 gboolean    crlf)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (c == '\n' || c == '\t' || c == 0xfffd
                     || (crlf && c == '\r' && p[1] == '\n')
                     || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f)));
      g_assert_false ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
    }
}

static void
assert_no_terminal_controls (const char *text)
{
  assert_no_terminal_controls_but (text, FALSE);
}

/* The column (in characters: every one here is one column wide) where needle starts on the
 * table's line that holds it. */
static glong
column_of (const char *table,
           const char *needle)
{
  const char *at = strstr (table, needle);
  const char *line = at;

  g_assert_nonnull (at);
  while (line > table && line[-1] != '\n')
    line--;
  return g_utf8_pointer_to_offset (line, at);
}

static void
test_hostile_names (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *table = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *shown_json = NULL;
  g_autofree char *listed_json = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;

  seed_synced_customers (f->db);
  seed_customer_named (f->db, HOSTILE_TENANT, HOSTILE_NAME);
  g_assert_cmpint (cli (f, &table, NULL, "list", NULL), ==, 0);
  assert_no_terminal_controls (table);
  g_assert_nonnull (strstr (table, "Evil"));
  /* Each control is sized as the one-column U+FFFD it is printed as: the columns after the
   * name stay aligned. Before, bidi controls counted as zero columns wide. */
  g_assert_cmpint (column_of (table, "example.net"), ==, column_of (table, "contoso.com"));
  g_assert_cmpint (cli (f, &shown, NULL, "show", HOSTILE_TENANT, NULL), ==, 0);
  assert_no_terminal_controls (shown);
  g_assert_nonnull (strstr (shown, "FAKE"));
  g_assert_cmpint (cli (f, NULL, &err, "show", HOSTILE_NAME "x", NULL), ==, 1);
  assert_no_terminal_controls (err);
  /* JSON is safe to print too (\u escapes, a terminal takes none of it as a command), and
   * stays exact: a script reads the name back. */
  g_assert_cmpint (cli (f, &shown_json, NULL, "show", HOSTILE_TENANT, "--format", "json", NULL),
                   ==, 0);
  assert_no_terminal_controls (shown_json);
  g_assert_nonnull (strstr (shown_json, "\\u009b \\u202egnp \\u2066x"));
  g_assert_cmpint (cli (f, &listed_json, NULL, "list", "--format", "json", NULL), ==, 0);
  assert_no_terminal_controls (listed_json);
  root = show_json (f, HOSTILE_TENANT);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "name"), ==,
                   HOSTILE_NAME);
}

/* Fabrikam lacks its postal code in Partner Center; once a later read failed, show says what
 * was lacking as last read, and no verdict on now: neither "will not accept orders" nor, after
 * a local fill, "still lacks". Before, both were said as facts of now. */
static void
test_stale_incomplete_claims_nothing (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *fresh = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *filled = NULL;

  seed_synced_customers (f->db);
  g_assert_cmpint (cli (f, &fresh, NULL, "show", "fabrikam.com", NULL), ==, 0);
  g_assert_nonnull (strstr (fresh, "Microsoft will not accept orders until"));
  seed_read_failed (f->db, SEED_FABRIKAM_TENANT, "Partner Center error: timed out");
  g_assert_cmpint (cli (f, &stale, NULL, "show", "fabrikam.com", NULL), ==, 0);
  g_test_message ("%s", stale);
  g_assert_null (strstr (stale, "will not accept orders"));
  g_assert_nonnull (strstr (stale, "Bill-to incomplete as last read"));
  g_assert_cmpint (cli (f, NULL, NULL, "edit-bill-to", "fabrikam.com", "address.postalCode=98052",
                        NULL), ==, 0);
  g_assert_cmpint (cli (f, &filled, NULL, "show", "fabrikam.com", NULL), ==, 0);
  g_test_message ("%s", filled);
  g_assert_null (strstr (filled, "still lacks"));
  g_assert_nonnull (strstr (filled, "Partner Center lacked"));
}

/* edit-bill-to on a customer whose bill-to was never read, or refused: the edit is made and
 * no verdict given on what Partner Center lacks (its bill-to is not known). Before, it said
 * Partner Center "still lacks" every field, or "will not accept orders". */
static void
test_edit_unknown_bill_to_claims_nothing (Fixture       *f,
                                          gconstpointer  data)
{
  const char *domains[] = { "listed.fi", "refused.fi" };

  seed_synced_customers (f->db);
  seed_unreadable (f->db, NOT_READ_TENANT, "Listed Oy", "listed.fi", NULL);
  seed_unreadable (f->db, UNREADABLE_TENANT, "Refused Oy", "refused.fi", REFUSED);
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      g_autofree char *out = NULL;

      g_assert_cmpint (cli (f, &out, NULL, "edit-bill-to", domains[i], "address.city=Oulu", NULL),
                       ==, 0);
      g_test_message ("%s", out);
      g_assert_null (strstr (out, "still lacks"));
      g_assert_null (strstr (out, "will not accept orders"));
      g_assert_nonnull (strstr (out, "whether Microsoft accepts orders is not known"));
    }
}

#define FORGED "Bill-to complete in Partner Center: orders can be placed."

/* A line break in Partner Center's text (a name, the error of a read) stays inside the line
 * it stands in: printed as it is, it would start a line of its own, one that could say what
 * Partner Desk does not ("orders can be placed" of a customer whose read failed). */
static void
test_data_line_breaks (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *shown = NULL;
  g_autofree char *status = NULL;

  seed_synced_customers (f->db);
  seed_read_failed (f->db, SEED_CONTOSO_TENANT, "timed out\n" FORGED);
  g_assert_cmpint (cli (f, &shown, NULL, "show", "contoso.com", NULL), ==, 0);
  g_test_message ("%s", shown);
  g_assert_nonnull (strstr (shown, "timed out " FORGED));
  g_assert_null (strstr (shown, "\n" FORGED));

  seed_customer_named (f->db, HOSTILE_TENANT, "Evil Corp\nFAKE LINE");
  seed_mark_removed (f->db, HOSTILE_TENANT);
  g_assert_cmpint (cli (f, &status, NULL, "status", NULL), ==, 0);
  g_test_message ("%s", status);
  g_assert_nonnull (strstr (status, "Evil Corp FAKE LINE"));
  g_assert_null (strstr (status, "\nFAKE LINE"));
}

/* CSV has no escapes: printed on a terminal it is made safe as the table is; written to a
 * pipe or a file it stays exact, for a spreadsheet or a script. */
static void
test_hostile_names_csv (Fixture       *f,
                        gconstpointer  data)
{
  const char *argv[] = { CLI, "--db", f->db, "list", "--format", "csv", NULL };
  g_autofree char *on_terminal = NULL;
  g_autofree char *piped = NULL;

  seed_synced_customers (f->db);
  seed_customer_named (f->db, HOSTILE_TENANT, HOSTILE_NAME);
  g_assert_cmpint (pd_test_run_on_terminal (argv, &on_terminal), ==, 0);
  g_test_message ("on a terminal: %s", on_terminal);
  assert_no_terminal_controls_but (on_terminal, TRUE);
  g_assert_nonnull (strstr (on_terminal, "Evil\357\277\275]0;pwned"));
  g_assert_nonnull (strstr (on_terminal, "Northwind Oy"));
  /* Its lines still end as CSV's do. */
  g_assert_true (g_str_has_suffix (on_terminal, "\r\n"));
  g_assert_null (strstr (on_terminal, "\357\277\275\r\n"));
  g_assert_cmpint (cli (f, &piped, NULL, "list", "--format", "csv", NULL), ==, 0);
  g_assert_nonnull (strstr (piped, HOSTILE_NAME));
}

/* One 100 kB name must not pad every row of a listing to its width. */
static void
test_list_long_name (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (100000, 'A');
  g_autofree char *table = NULL;
  g_autoptr(JsonArray) list = NULL;
  gboolean found = FALSE;

  seed_synced_customers (f->db);
  seed_customer_named (f->db, HOSTILE_TENANT, long_name);
  g_assert_cmpint (cli (f, &table, NULL, "list", NULL), ==, 0);
  g_assert_cmpuint (strlen (table), <, 2000);
  g_assert_nonnull (strstr (table, "AAAA…"));
  g_assert_nonnull (strstr (table, "Northwind Oy"));
  list = list_json (f, NULL, NULL);
  for (guint i = 0; i < json_array_get_length (list); i++)
    found |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (list, i),
                                                       "name"), long_name) == 0;
  g_assert_true (found);
}

static gint64
count_named (Fixture    *f,
             const char *name)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM organizations WHERE name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Two `create` of the same new customer at once (two scripts, a script and a colleague): one
 * creates it, the other is refused as a duplicate, never both (before: each checked the cache
 * before the other had written, and both created it). */
static void
test_create_race (Fixture       *f,
                  gconstpointer  data)
{
  for (guint round = 0; round < 6; round++)
    {
      g_autofree char *name = g_strdup_printf ("Racing Customer %u GmbH", round);
      const char *argv[] = { CLI, "--db", f->db, "create", "--name", name, NULL };
      GSubprocess *runs[2];
      guint created = 0, refused = 0;

      for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
        runs[i] = pd_test_spawn (argv);
      for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (g_subprocess_wait (runs[i], NULL, &error));
          g_assert_no_error (error);
          created += g_subprocess_get_exit_status (runs[i]) == 0;
          refused += g_subprocess_get_exit_status (runs[i]) == 4;
          g_object_unref (runs[i]);
        }
      g_assert_cmpuint (created, ==, 1);
      g_assert_cmpuint (refused, ==, 1);
      g_assert_cmpint (count_named (f, name), ==, 1);
    }
}

#define ADD(name, func) \
  g_test_add ("/cli/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  ADD ("create-list-show", test_create_list_show);
  ADD ("create-manual-bill-to", test_create_manual_bill_to);
  ADD ("create-race", test_create_race);
  ADD ("show-text", test_show_text);
  ADD ("show-local-time", test_show_local_time);
  ADD ("show-aligned", test_show_aligned);
  ADD ("text-json-format", test_text_json_format);
  ADD ("search", test_search);
  ADD ("search-no-words", test_search_no_words);
  ADD ("search-before-index", test_search_before_index);
  ADD ("search-no-warning", test_search_no_warning);
  ADD ("filters", test_filters);
  ADD ("set-valid", test_set_valid);
  ADD ("set-invalid", test_set_invalid);
  ADD ("set-all-or-nothing", test_set_all_or_nothing);
  ADD ("erp-id-clash", test_erp_id_clash);
  ADD ("edit-revert-bill-to", test_edit_and_revert_bill_to);
  ADD ("edit-bill-to-invalid", test_edit_bill_to_invalid);
  ADD ("registration-number-show-text", test_registration_number_show_text);
  ADD ("registration-number-missing-fields", test_registration_number_missing_fields);
  ADD ("create-duplicate", test_create_duplicate);
  ADD ("duplicates-during-first-sync", test_duplicates_during_first_sync);
  ADD ("duplicates-without-cache", test_duplicates_without_cache);
  ADD ("link", test_link);
  ADD ("export-csv", test_export_csv);
  ADD ("unreadable-bill-to", test_unreadable_bill_to);
  ADD ("data-line-breaks", test_data_line_breaks);
  ADD ("stale-incomplete-claims-nothing", test_stale_incomplete_claims_nothing);
  ADD ("edit-unknown-bill-to-claims-nothing", test_edit_unknown_bill_to_claims_nothing);
  ADD ("stale-bill-to", test_stale_bill_to);
  ADD ("export-filtered", test_export_filtered);
  ADD ("utf8-in-c-locale", test_utf8_in_c_locale);
  ADD ("unknown-org", test_unknown_org);
  ADD ("usage", test_usage);
  ADD ("status-json", test_status_json);
  ADD ("status-retry", test_status_retry);
  ADD ("status-run-labels", test_status_run_labels);
  ADD ("status-replaced-field-named", test_status_replaced_field_named);
  ADD ("status-failed-customer-ids", test_status_failed_customer_ids);
  ADD ("status-runs-one-while-syncing", test_status_runs_one_while_syncing);
  ADD ("db-from-environment", test_db_from_environment);
  ADD ("show-by-name", test_show_by_name);
  ADD ("show-json-local-fields", test_show_json_local_fields);
  ADD ("status-no-cache", test_status_no_cache);
  ADD ("demo-cache", test_demo_cache);
  ADD ("hostile-names", test_hostile_names);
  ADD ("hostile-names-csv", test_hostile_names_csv);
  ADD ("local-fill-is-not-order-ready", test_local_fill_is_not_order_ready);
  ADD ("local-blank-keeps-orders", test_local_blank_keeps_orders);
  ADD ("show-account-under-review", test_show_account_under_review);
  ADD ("show-reseller-without-name", test_show_reseller_without_name);
  ADD ("show-removed-takes-no-orders", test_show_removed_takes_no_orders);
  ADD ("list-long-name", test_list_long_name);

  return g_test_run ();
}
