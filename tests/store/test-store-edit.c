/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-edit.c — PdStore's local edits: field validation and values, their history,
 * bill-to overrides and their revert, manual organizations and linking them. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

#define TENANT_A "0b7f5a0e-0000-4000-8000-00000000000a"
#define TENANT_B "0b7f5a0e-0000-4000-8000-00000000000b"
#define TENANT_C "0b7f5a0e-0000-4000-8000-00000000000c"

static guint
history_len (PdStore *store,
             gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = pd_store_get_history (store, id, &error);

  g_assert_no_error (error);
  return history->len;
}

static void
assert_set_fails (PdStore     *store,
                  gint64       id,
                  const char  *key,
                  const char  *value,
                  PdStoreError code)
{
  g_autoptr(GError) error = NULL;
  guint before = history_len (store, id);

  g_assert_false (pd_store_set_field (store, id, key, value, &error));
  g_assert_error (error, PD_STORE_ERROR, (int) code);
  g_assert_cmpuint (history_len (store, id), ==, before);
}

static void
test_set_field_validation (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 a, b, pc;

  a = pd_store_create_manual (store, "Contoso", "contoso.com", "DE", "ERP-1", &error);
  g_assert_no_error (error);
  b = pd_store_create_manual (store, "Fabrikam", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  store_test_apply (store, 0, store_test_pc_org (TENANT_A, "Northwind", "northwind.com",
                                                 "Berlin", "a@northwind.com", "e1"), NULL);
  pc = store_test_find_id (store, TENANT_A);

  assert_set_fails (store, b, "currency", "XYZ", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "country", "ZZ", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "status", "sleeping", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "colour", "blue", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "name", "  ", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, pc, "name", "Renamed", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, 999, "notes", "x", PD_STORE_ERROR_NOT_FOUND);
  /* A manual domain is a domain name: not words, not one label, not an address. */
  assert_set_fails (store, b, "domain", "bad domain!!", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "domain", "contoso", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "domain", "-contoso.com", PD_STORE_ERROR_INVALID);
  assert_set_fails (store, b, "domain", "10.0.0.1", PD_STORE_ERROR_INVALID);
  g_assert_cmpint (pd_store_create_manual (store, "Bad", "bad domain!!", NULL, NULL, &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bad domain!!"));
  g_clear_error (&error);
  /* Internationalized names are domains too, stored in lower case. */
  g_assert_true (pd_store_set_field (store, b, "domain", " Örebro-Bygg.SE ", &error));
  g_assert_no_error (error);
  org = pd_store_get (store, b, &error);
  g_assert_cmpstr (pd_organization_get_domain (org), ==, "örebro-bygg.se");
  g_clear_object (&org);

  /* ERP IDs are unique regardless of case; the error names the owner. */
  g_assert_false (pd_store_set_field (store, b, "erp-id", "erp-1", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN);
  g_assert_nonnull (strstr (error->message, "Contoso"));
  g_clear_error (&error);
  g_assert_cmpint (pd_store_create_manual (store, "Other", NULL, NULL, "ERP-1", &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count (store), ==, 3);

  org = pd_store_get (store, b, &error);
  g_assert_no_error (error);
  g_assert_null (pd_organization_get_erp_id (org));
  g_assert_null (pd_organization_get_currency (org));
  g_assert_null (pd_organization_get_country (org));
  g_assert_cmpint (pd_organization_get_status (org), ==, PD_ORG_STATUS_NEW);
  g_assert_cmpint (a, >, 0);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
assert_history_top (PdStore    *store,
                    gint64      id,
                    const char *what,
                    const char *old_value,
                    const char *new_value,
                    PdChangeBy  by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = pd_store_get_history (store, id, &error);
  PdHistoryEntry *e;

  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  e = g_ptr_array_index (history, 0);
  g_assert_cmpstr (e->what, ==, what);
  g_assert_cmpstr (e->old_value, ==, old_value);
  g_assert_cmpstr (e->new_value, ==, new_value);
  g_assert_cmpint (e->by, ==, by);
  g_assert_cmpint (e->org_id, ==, id);
  g_assert_nonnull (e->when);
}

static void
test_set_field_values_and_history (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *effective;
  const char * const *segments;
  gint64 id;

  id = pd_store_create_manual (store, "Contoso", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_history_top (store, id, "created", NULL, "Contoso", PD_CHANGE_BY_USER);

  g_assert_true (pd_store_set_field (store, id, "currency", "eur", &error));
  g_assert_true (pd_store_set_field (store, id, "segments", " Education, ,SMB ", &error));
  g_assert_true (pd_store_set_field (store, id, "status", "Blocked", &error));
  g_assert_true (pd_store_set_field (store, id, "notes", "call back", &error));
  g_assert_true (pd_store_set_field (store, id, "erp-id", "C-42", &error));
  g_assert_true (pd_store_set_field (store, id, "country", "fi", &error));
  g_assert_no_error (error);
  assert_history_top (store, id, "country", NULL, "FI", PD_CHANGE_BY_USER);

  org = pd_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_currency (org), ==, "EUR");
  effective = pd_organization_get_currency_effective (org);
  g_assert_nonnull (effective);
  g_assert_cmpint (g_date_time_get_day_of_month (effective), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (effective), ==, 0);
  g_assert_cmpint (g_date_time_compare (effective, now), >, 0);
  g_assert_cmpint (g_date_time_difference (effective, now), <=, 32 * G_TIME_SPAN_DAY);
  segments = pd_organization_get_segments (org);
  g_assert_cmpuint (g_strv_length ((char **) segments), ==, 2);
  g_assert_cmpstr (segments[0], ==, "Education");
  g_assert_cmpstr (segments[1], ==, "SMB");
  g_assert_cmpint (pd_organization_get_status (org), ==, PD_ORG_STATUS_BLOCKED);
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "C-42");
  g_assert_cmpuint (store_test_count_history (store, id, "status", PD_CHANGE_BY_USER), ==, 1);
  g_assert_cmpuint (store_test_count_history (store, id, "currency", PD_CHANGE_BY_USER), ==, 1);

  /* Setting the same value again records nothing; clearing records the old value. */
  g_assert_true (pd_store_set_field (store, id, "notes", "call back", &error));
  g_assert_cmpuint (store_test_count_history (store, id, "notes", PD_CHANGE_BY_USER), ==, 1);
  g_assert_true (pd_store_set_field (store, id, "notes", "", &error));
  assert_history_top (store, id, "notes", "call back", NULL, PD_CHANGE_BY_USER);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
test_bill_to_override_and_revert (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_auto(GStrv) local = NULL;
  PdBillToField city = PD_BILL_TO_CITY;
  gint64 id;

  store_test_apply (store, 0, store_test_pc_org (TENANT_A, "Northwind", "northwind.com",
                                                 "Berlin", "a@northwind.com", "etag-1"), NULL);
  org = pd_store_find (store, "northwind.com", &error);
  g_assert_no_error (error);
  id = pd_organization_get_id (org);
  g_clear_object (&org);

  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_CITY, " Hamburg ", &error));
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_EMAIL, NULL, &error));
  g_assert_no_error (error);
  org = pd_store_get (store, id, &error);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Hamburg");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "etag-1");
  g_assert_true (pd_organization_is_field_overridden (org, PD_BILL_TO_EMAIL));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_EMAIL), ==, "");
  local = pd_organization_dup_local_bill_to_fields (org);
  g_assert_cmpuint (g_strv_length (local), ==, 2);
  /* The e-mail is required, but clearing it locally does not reach Partner Center: orders are
   * judged on Partner Center's bill-to, which still has it. */
  g_assert_true (pd_organization_get_bill_to_complete (org));
  g_assert_cmpuint (store_test_count_history (store, id, "billTo.address.city",
                                              PD_CHANGE_BY_USER), ==, 1);
  g_clear_object (&org);

  /* An override equal to the Partner Center value is dropped. */
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_EMAIL, "a@northwind.com",
                                             &error));
  org = pd_store_get (store, id, &error);
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_EMAIL));
  g_assert_true (pd_organization_get_bill_to_complete (org));
  g_clear_object (&org);

  g_assert_true (pd_store_revert_bill_to (store, id, &city, 1, &error));
  g_assert_no_error (error);
  org = pd_store_get (store, id, &error);
  g_assert_null (pd_organization_get_bill_to_override (org));
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Berlin");
  assert_history_top (store, id, "billTo.address.city", "Hamburg", "Berlin", PD_CHANGE_BY_REVERT);
  g_clear_object (&org);

  /* Revert all. */
  g_assert_true (pd_store_set_bill_to_field (store, id, PD_BILL_TO_STATE, "BE", &error));
  g_assert_true (pd_store_revert_bill_to (store, id, NULL, 0, &error));
  org = pd_store_get (store, id, &error);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_clear_object (&org);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static void
test_manual_create_and_link (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 manual, pc, other, linked;

  store_test_apply (store, 0, store_test_pc_org (TENANT_A, "Fabrikam Oy", "fabrikam.fi",
                                                 "Espoo", "x@fabrikam.fi", "e1"), NULL);
  org = pd_store_find_by_tenant (store, TENANT_A, &error);
  pc = pd_organization_get_id (org);
  g_clear_object (&org);

  manual = pd_store_create_manual (store, "Fabrikam", "Fabrikam.COM", "fi", "F-1", &error);
  g_assert_no_error (error);
  org = pd_store_get (store, manual, &error);
  g_assert_cmpint (pd_organization_get_source (org), ==, PD_ORG_SOURCE_MANUAL);
  g_assert_null (pd_organization_get_tenant_id (org));
  g_assert_cmpstr (pd_organization_get_domain (org), ==, "fabrikam.com");
  g_assert_cmpstr (pd_organization_get_country (org), ==, "FI");
  g_clear_object (&org);
  g_assert_true (pd_store_set_field (store, manual, "notes", "met at fair", &error));

  /* Linking to a synced tenant merges the manual organization into it. */
  linked = pd_store_link (store, manual, TENANT_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (linked, ==, pc);
  org = pd_store_get (store, manual, &error);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
  g_assert_null (org);
  g_clear_error (&error);
  org = pd_store_get (store, pc, &error);
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "F-1");
  g_assert_cmpstr (pd_organization_get_notes (org), ==, "met at fair");
  g_clear_object (&org);
  g_assert_cmpuint (store_test_count_history (store, pc, "notes", PD_CHANGE_BY_USER), ==, 1);
  g_assert_cmpuint (store_test_count_history (store, pc, "linked", PD_CHANGE_BY_USER), ==, 1);
  g_assert_cmpuint (pd_store_count (store), ==, 1);
  /* Where it went stays known: another program's unsaved edit of it follows it. */
  g_assert_cmpint (pd_store_get_merged_into (store, manual, &error), ==, pc);
  g_assert_cmpint (pd_store_get_merged_into (store, pc, &error), ==, 0);
  g_assert_no_error (error);

  /* Linking to an unknown tenant gives the manual organization that tenant. */
  other = pd_store_create_manual (store, "Tailspin", NULL, NULL, NULL, &error);
  g_assert_cmpint (pd_store_link (store, other, TENANT_B, &error), ==, other);
  g_assert_no_error (error);
  org = pd_store_find (store, TENANT_B, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_organization_get_id (org), ==, other);
  g_assert_cmpint (pd_store_get_merged_into (store, other, &error), ==, 0);
  g_clear_object (&org);
  /* A Partner Center organization cannot be linked. */
  g_assert_cmpint (pd_store_link (store, pc, TENANT_C, &error), ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Edits of one field by the user a moment apart are one history entry, from the value before
 * the first to the value after the last; an edit of another field in between keeps them apart,
 * and an entry whose value came back to where it started goes. */
static void
test_history_merges_user_edits (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_create_manual (store, "Contoso", NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (pd_store_set_field (store, id, "account-manager", "M", &error));
  g_assert_true (pd_store_set_field (store, id, "account-manager", "MA", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_test_count_history (store, id, "accountManager", PD_CHANGE_BY_USER), ==,
                    1);
  assert_history_top (store, id, "accountManager", NULL, "MA", PD_CHANGE_BY_USER);

  g_assert_true (pd_store_set_field (store, id, "erp-id", "E-1", &error));
  g_assert_true (pd_store_set_field (store, id, "account-manager", "Mia", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_test_count_history (store, id, "accountManager", PD_CHANGE_BY_USER), ==,
                    2);
  g_assert_true (pd_store_set_field (store, id, "account-manager", "MA", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_test_count_history (store, id, "accountManager", PD_CHANGE_BY_USER), ==,
                    1);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Edits of one field by two programs (the app typing, a `set` of the CLI between its saves)
 * are changes of their own: the second program's row stays, and the first program's next
 * save does not fold it away (before: one row, "(empty) → MA", and "Carl" nowhere). Each
 * program's own typing still merges. */
static void
test_history_keeps_other_programs_edit (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) app = store_test_open_temp (&dir);
  g_autoptr(PdStore) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 id = pd_store_create_manual (app, "Contoso", NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  cli = pd_store_open (pd_store_get_path (app), &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_field (app, id, "account-manager", "M", &error));
  g_assert_true (pd_store_set_field (cli, id, "account-manager", "Carl", &error));
  g_assert_true (pd_store_set_field (app, id, "account-manager", "MA", &error));
  g_assert_true (pd_store_set_field (app, id, "account-manager", "Mia", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_test_count_history (app, id, "accountManager", PD_CHANGE_BY_USER), ==,
                    3);
  assert_history_top (app, id, "accountManager", "Carl", "Mia", PD_CHANGE_BY_USER);
  history = pd_store_get_history (app, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PdHistoryEntry *) g_ptr_array_index (history, 1))->old_value, ==, "M");
  g_assert_cmpstr (((PdHistoryEntry *) g_ptr_array_index (history, 1))->new_value, ==, "Carl");
  g_clear_object (&cli);
  g_clear_object (&app);
  pd_test_rm_rf (dir);
}

/* A typed value with a control character (an escape sequence for a terminal) or a mark that
 * turns the text's direction (U+202E shows "Corp\u202Eabc" as "Corpcba") is refused, naming
 * the character and not the text, and nothing is written; a one-line field takes a pasted
 * line break or tab as a space, a note keeps them. Before, `create --name` and `set` stored
 * them all, and the app showed the name reversed. */
static void
test_unsavable_characters (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *bill_to[PD_BILL_TO_N_FIELDS] = { NULL };
  gint64 id;

  id = pd_store_create_manual (store, "Evil\x1b[31mRed", NULL, "DE", NULL, &error);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U+001B"));
  g_assert_null (strstr (error->message, "Evil"));
  g_assert_cmpint (id, ==, 0);
  g_assert_cmpuint (pd_store_count (store), ==, 0);
  g_clear_error (&error);

  id = pd_store_create_manual (store, "Contoso", NULL, "DE", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pd_store_set_field (store, id, "name", "Corp\u202Eabc", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U+202E"));
  g_clear_error (&error);
  g_assert_false (pd_store_set_field (store, id, "account-manager", "Ann\u2066a", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  bill_to[PD_BILL_TO_CITY] = "Ber\u202Dlin";
  g_assert_false (pd_store_set_bill_to_fields (store, id, bill_to, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pd_store_set_field (store, id, "status", "\x1b]0;x", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U+001B"));
  g_clear_error (&error);
  /* A pasted cell's line breaks (CR LF as one) and tab in a one-line field are spaces. */
  g_assert_true (pd_store_set_field (store, id, "name", "Wide\tWorld\r\nImporters", &error));
  g_assert_no_error (error);
  /* A note pasted from Windows keeps its lines, as line feeds. */
  g_assert_true (pd_store_set_field (store, id, "notes", "first line\r\n\tsecond\rthird",
                                     &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_set_field (store, id, "notes", "bell\a", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  after = pd_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_name (after), ==, "Wide World Importers");
  g_assert_null (pd_organization_get_account_manager (after));
  g_assert_cmpstr (pd_organization_get_notes (after), ==, "first line\n\tsecond\nthird");
  g_assert_null (pd_bill_to_get (pd_organization_get_bill_to (after), PD_BILL_TO_CITY));
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Another program holds the cache's write lock past the busy timeout (the app, a sync): the
 * edit fails saying so, in words a user can act on, and changes nothing. */
static void
test_set_field_busy (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_temp (&dir);
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;
  gint64 id;

  id = pd_store_create_manual (store, "Adams Trucking", "adams.example", "US", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (pd_store_get_path (store), &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (pd_store_set_field (store, id, "notes", "while locked", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "The cache is busy"));
  g_assert_nonnull (strstr (error->message, "so the change was not saved"));
  g_assert_null (strstr (error->message, "database is locked"));
  g_clear_error (&error);

  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  after = pd_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_null (pd_organization_get_notes (after));
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/store/set-field/validation", test_set_field_validation);
  g_test_add_func ("/store/set-field/values-and-history", test_set_field_values_and_history);
  g_test_add_func ("/store/set-field/busy", test_set_field_busy);
  g_test_add_func ("/store/bill-to/override-and-revert", test_bill_to_override_and_revert);
  g_test_add_func ("/store/history/merges-user-edits", test_history_merges_user_edits);
  g_test_add_func ("/store/edit/unsavable-characters", test_unsavable_characters);
  g_test_add_func ("/store/history/keeps-other-programs-edit",
                   test_history_keeps_other_programs_edit);
  g_test_add_func ("/store/manual/create-and-link", test_manual_create_and_link);
  return g_test_run ();
}
