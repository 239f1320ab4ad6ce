/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-search-index.c — the full-text index org_search is kept in step with
 * organizations.search_text by hand (external content): every write path of PdStore, then
 * FTS5's own comparison of index and content, and searches for the new and the replaced words.
 * A missing 'delete', a delete with the wrong text or a new row indexed too late leaves stale
 * words matching and new words unmatched, silently; this test makes it loud. */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

#define TENANT_A "5ea10000-0000-4000-8000-00000000000a"
#define TENANT_B "5ea10000-0000-4000-8000-00000000000b"
#define TENANT_C "5ea10000-0000-4000-8000-00000000000c"
#define TENANT_D "5ea10000-0000-4000-8000-00000000000d"
#define TENANT_E "5ea10000-0000-4000-8000-00000000000e"
#define TENANT_F "5ea10000-0000-4000-8000-00000000000f"
#define TENANT_G "5ea10000-0000-4000-8000-000000000010"
#define TENANT_J "5ea10000-0000-4000-8000-000000000011"
#define TENANT_L "5ea10000-0000-4000-8000-000000000012"
#define TENANT_M "5ea10000-0000-4000-8000-000000000013"

typedef struct {
  char    *dir;
  PdStore *store;
  char    *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = store_test_open_temp (&f->dir);
  f->path = g_strdup (pd_store_get_path (f->store));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  store_test_assert_integrity (f->path);
  pd_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Whether each search of the NULL-terminated list finds organization id, as expected. */
static void
assert_words (Fixture    *f,
              gint64      id,
              gboolean    expected,
              const char *first,
              va_list     args)
{
  for (const char *w = first; w != NULL; w = va_arg (args, const char *))
    store_test_assert_search (f->store, w, id, expected);
}

static void G_GNUC_NULL_TERMINATED
assert_finds (Fixture    *f,
              gint64      id,
              const char *first,
              ...)
{
  va_list args;

  va_start (args, first);
  assert_words (f, id, TRUE, first, args);
  va_end (args);
}

static void G_GNUC_NULL_TERMINATED
assert_misses (Fixture    *f,
               gint64      id,
               const char *first,
               ...)
{
  va_list args;

  va_start (args, first);
  assert_words (f, id, FALSE, first, args);
  va_end (args);
}

/* The store's last transaction has ended: the index must match the content now, not only at
 * the end of the test. */
static void
check_index (Fixture    *f,
             const char *after)
{
  g_test_message ("full-text index after %s", after);
  store_test_assert_search_index (f->path);
}

static PdOrganization *
with_phone (PdOrganization *org,
            const char     *phone,
            const char     *etag)
{
  g_autoptr(PdBillTo) bill_to = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));

  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, phone);
  pd_organization_set_bill_to_partner_center (org, bill_to, etag);
  return org;
}

static void
set_field (Fixture    *f,
           gint64      id,
           const char *key,
           const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_field (f->store, id, key, value, &error));
  g_assert_no_error (error);
}

/* ---- the steps, in order: each leaves the store for the next ---- */

/* New customers of one batch are indexed in one range at the end of the batch. */
static void
step_new_customers (Fixture *f)
{
  gint64 run = store_test_begin_run (f->store, NULL);
  gint64 a, b, c;

  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_A, "Alderwood Traders", "alderwood.com", "Aachen",
                                       "payables@alderbills.com", "a1"),
                    store_test_pc_org (TENANT_B, "Birchfield Systems", "birchfield.de", "Bonn",
                                       "invoices@birchmail.de", "b1"),
                    store_test_pc_org (TENANT_C, "Cedarline AG", "cedarline.ch", "Chur",
                                       "accounts@cedarbill.ch", "c1"),
                    NULL);
  store_test_finish_run (f->store, run);
  check_index (f, "a batch of new customers");
  a = store_test_find_id (f->store, TENANT_A);
  b = store_test_find_id (f->store, TENANT_B);
  c = store_test_find_id (f->store, TENANT_C);
  assert_finds (f, a, "alderwood", "traders", "aachen", "payables", "alderbills",
                "alderwood.com", NULL);
  assert_finds (f, b, "birchfield", "systems", "bonn", "birchmail", NULL);
  assert_finds (f, c, "cedarline", "chur", "cedarbill", NULL);
  assert_misses (f, a, "birchfield", "bonn", NULL);
}

/* The same tenant twice in one batch (renamed, another city and e-mail between two pages): its
 * second write reads the indexed text of a row the batch inserted (flush_new_fts_of), between
 * other new rows. The two versions have different numbers of words: FTS5 merges the entries of
 * one rowid within a transaction, so a 'delete' of text that was never indexed, followed by
 * the right text, can leave the right words, but the index's total of tokens (which the
 * integrity check compares) is then off. An existing tenant twice: the index still holds the
 * text from before the batch when the second write comes. */
static void
step_same_tenant_twice (Fixture *f)
{
  gint64 run = store_test_begin_run (f->store, NULL);
  gint64 d, a;

  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_E, "Fernway Logistics", "fernway.com", "Frankfurt",
                                       "ap@fernway.com", "e1"),
                    store_test_pc_org (TENANT_D, "Oakridge Trading", "dogwood.com", "Dresden",
                                       "orders@dogwoodmail.com", "d1"),
                    store_test_pc_org (TENANT_F, "Gingko Labs", "gingko.io", "Gera",
                                       "ap@gingko.io", "f1"),
                    store_test_pc_org (TENANT_A, "Alderwood Interim", "alderwood.com", "Aachen",
                                       "payables@alderbills.com", "a2"),
                    store_test_pc_org (TENANT_D, "Elmhurst New Holdings", "dogwood.com",
                                       "Essen", "billing@dogwoodmail.com", "d2"),
                    store_test_pc_org (TENANT_G, "Hollyhock Farms", "hollyhock.org", "Hamm",
                                       "ap@hollyhock.org", "g1"),
                    store_test_pc_org (TENANT_A, "Ashgrove Final", "alderwood.com", "Aachen",
                                       "payables@alderbills.com", "a3"),
                    NULL);
  store_test_finish_run (f->store, run);
  check_index (f, "a batch with the same tenants twice");
  d = store_test_find_id (f->store, TENANT_D);
  a = store_test_find_id (f->store, TENANT_A);
  assert_finds (f, d, "elmhurst", "new", "essen", "billing", "dogwood", "dogwoodmail", NULL);
  assert_misses (f, d, "oakridge", "trading", "dresden", "orders", NULL);
  assert_finds (f, store_test_find_id (f->store, TENANT_E), "fernway", "frankfurt", NULL);
  assert_finds (f, store_test_find_id (f->store, TENANT_F), "gingko", "gera", NULL);
  assert_finds (f, store_test_find_id (f->store, TENANT_G), "hollyhock", "hamm", NULL);
  assert_finds (f, a, "ashgrove", "final", "alderwood", NULL);
  assert_misses (f, a, "traders", "interim", NULL);
}

/* A later batch changes a name, an e-mail and a city. */
static void
step_second_batch (Fixture *f)
{
  gint64 run = store_test_begin_run (f->store, NULL);
  gint64 b = store_test_find_id (f->store, TENANT_B);
  gint64 c = store_test_find_id (f->store, TENANT_C);
  gint64 d = store_test_find_id (f->store, TENANT_D);

  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_B, "Birchfield Robotics", "birchfield.de", "Bonn",
                                       "invoices@birchmail.de", "b2"),
                    store_test_pc_org (TENANT_C, "Cedarline AG", "cedarline.ch", "Chur",
                                       "billing@cedarpost.ch", "c2"),
                    store_test_pc_org (TENANT_D, "Elmhurst New Holdings", "dogwood.com",
                                       "Erfurt", "billing@dogwoodmail.com", "d3"),
                    NULL);
  store_test_finish_run (f->store, run);
  check_index (f, "a batch changing a name, an e-mail and a city");
  assert_finds (f, b, "robotics", "birchfield", NULL);
  assert_misses (f, b, "systems", NULL);
  assert_finds (f, c, "cedarpost", "billing", "cedarline", NULL);
  assert_misses (f, c, "cedarbill", "accounts", NULL);
  assert_finds (f, d, "erfurt", "elmhurst", NULL);
  assert_misses (f, d, "essen", NULL);
}

/* A change outside the searched fields (the phone) leaves the entry as it is; so does a
 * customer sent again unchanged. */
static void
step_unsearched_change (Fixture *f)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GError) error = NULL;
  gint64 b = store_test_find_id (f->store, TENANT_B);

  g_ptr_array_add (orgs, with_phone (store_test_pc_org (TENANT_B, "Birchfield Robotics",
                                                        "birchfield.de", "Bonn",
                                                        "invoices@birchmail.de", "b3"),
                                     "+49228987654", "b3"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_C, "Cedarline AG", "cedarline.ch", "Chur",
                                            "billing@cedarpost.ch", "c2"));
  g_assert_true (pd_store_apply_partner_center (f->store, 0, orgs, results, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (results, PdApplyResult, 0).outcome, ==, PD_APPLY_UPDATED);
  g_assert_cmpint (g_array_index (results, PdApplyResult, 1).outcome, ==, PD_APPLY_UNCHANGED);
  check_index (f, "a batch changing only a phone number");
  assert_finds (f, b, "robotics", "bonn", "birchmail", NULL);
}

static void
step_erp_id (Fixture *f)
{
  gint64 a = store_test_find_id (f->store, TENANT_A);

  set_field (f, a, "erp-id", "ERP-7001");
  check_index (f, "setting an ERP ID");
  assert_finds (f, a, "7001", "erp 7001", "ashgrove", NULL);

  set_field (f, a, "erp-id", "ERP-8002");
  check_index (f, "changing the ERP ID");
  assert_finds (f, a, "8002", NULL);
  assert_misses (f, a, "7001", NULL);

  set_field (f, a, "erp-id", "");
  check_index (f, "clearing the ERP ID");
  assert_misses (f, a, "8002", "erp", NULL);
  assert_finds (f, a, "ashgrove", NULL);

  /* Notes are searched (an account manager looks customers up by what they wrote). */
  set_field (f, a, "notes", "Quarterly review");
  check_index (f, "setting notes");
  assert_finds (f, a, "quarterly", NULL);
  set_field (f, a, "notes", "");
  check_index (f, "clearing notes");
  assert_misses (f, a, "quarterly", NULL);

  /* A local field outside the search. */
  set_field (f, a, "account-manager", "Ingrid Holm");
  check_index (f, "setting the account manager");
  assert_misses (f, a, "ingrid", NULL);
}

/* The search covers the effective bill-to: a local override replaces the Partner Center city
 * and e-mail, a revert brings them back. */
static void
step_bill_to_override (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 b = store_test_find_id (f->store, TENANT_B);

  g_assert_true (pd_store_set_bill_to_field (f->store, b, PD_BILL_TO_CITY, "Bielefeld", &error));
  g_assert_no_error (error);
  check_index (f, "overriding the city");
  assert_finds (f, b, "bielefeld", NULL);
  assert_misses (f, b, "bonn", NULL);

  g_assert_true (pd_store_set_bill_to_field (f->store, b, PD_BILL_TO_EMAIL,
                                             "rechnung@birchpost.de", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (f->store, b, PD_BILL_TO_POSTAL_CODE, "33602",
                                             &error));
  g_assert_no_error (error);
  check_index (f, "overriding the e-mail and postal code");
  assert_finds (f, b, "birchpost", "rechnung", "bielefeld", NULL);
  assert_misses (f, b, "birchmail", "invoices", NULL);

  g_assert_true (pd_store_revert_bill_to (f->store, b, (PdBillToField[]) { PD_BILL_TO_CITY }, 1,
                                          &error));
  g_assert_no_error (error);
  check_index (f, "reverting the city");
  assert_finds (f, b, "bonn", "birchpost", NULL);
  assert_misses (f, b, "bielefeld", NULL);

  g_assert_true (pd_store_revert_bill_to (f->store, b, NULL, 0, &error));
  g_assert_no_error (error);
  check_index (f, "reverting every override");
  assert_finds (f, b, "bonn", "birchmail", "invoices", NULL);
  assert_misses (f, b, "bielefeld", "birchpost", NULL);
}

/* Partner Center changes the bill-to under a local override: with the same etag the override
 * stays, with a new one Partner Center's city replaces it in the search too. */
static void
step_override_meets_sync (Fixture *f)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GError) error = NULL;
  gint64 b = store_test_find_id (f->store, TENANT_B);

  g_assert_true (pd_store_set_bill_to_field (f->store, b, PD_BILL_TO_CITY, "Bielefeld", &error));
  g_assert_no_error (error);
  check_index (f, "overriding the city again");
  store_test_apply (f->store, 0,
                    with_phone (store_test_pc_org (TENANT_B, "Birchfield Robotics",
                                                   "birchfield.de", "Bonn",
                                                   "invoices@birchmail.de", "b3"),
                                "+49228987654", "b3"), NULL);
  check_index (f, "a batch keeping the override");
  assert_finds (f, b, "bielefeld", NULL);
  assert_misses (f, b, "bonn", NULL);

  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Birchfield Robotics", "birchfield.de",
                                            "Bochum", "invoices@birchmail.de", "b5"));
  g_assert_true (pd_store_apply_partner_center (f->store, 0, orgs, results, &error));
  g_assert_no_error (error);
  g_assert_true (g_array_index (results, PdApplyResult, 0).override_replaced);
  check_index (f, "a batch replacing the override");
  assert_finds (f, b, "bochum", "robotics", NULL);
  assert_misses (f, b, "bielefeld", "bonn", NULL);
}

/* A push Partner Center accepted: the city it stored in its own form replaces the local one
 * in the search; the e-mail typed meanwhile (not pushed) stays local and searchable. */
static void
step_pushed_bill_to (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  gint64 b = store_test_find_id (f->store, TENANT_B);

  g_assert_true (pd_store_set_bill_to_field (f->store, b, PD_BILL_TO_CITY, "duesseldorf",
                                             &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (f->store, b, PD_BILL_TO_EMAIL,
                                             "rechnung@birchpost.de", &error));
  g_assert_no_error (error);
  org = pd_store_get (f->store, b, &error);
  g_assert_no_error (error);
  sent = pd_bill_to_copy (pd_organization_get_bill_to (org));
  answer = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));
  pd_bill_to_set (answer, PD_BILL_TO_CITY, "Düsseldorf");
  g_assert_true (pd_store_set_pushed_bill_to (f->store, b, answer, "b6", sent,
                                              1u << PD_BILL_TO_CITY, &error));
  g_assert_no_error (error);
  check_index (f, "storing a push's answer");
  assert_finds (f, b, "dusseldorf", "birchpost", "robotics", NULL);
  assert_misses (f, b, "duesseldorf", "bochum", "birchmail", NULL);

  g_assert_true (pd_store_revert_bill_to (f->store, b, NULL, 0, &error));
  g_assert_no_error (error);
  check_index (f, "reverting the edit the push kept");
  assert_finds (f, b, "dusseldorf", "birchmail", NULL);
  assert_misses (f, b, "birchpost", NULL);
}

/* Manual organizations: created, renamed, linked to a tenant the cache does not have yet (then
 * a sync takes it over), and merged into a synced organization (the manual row is deleted). */
static void
step_manual_and_link (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 juniper, kestrel, c = store_test_find_id (f->store, TENANT_C);

  juniper = pd_store_create_manual (f->store, "Juniper Works", "jwtools.io", "DE", "ERP-9100",
                                    &error);
  g_assert_no_error (error);
  check_index (f, "creating a manual organization");
  assert_finds (f, juniper, "juniper", "works", "jwtools", "9100", NULL);

  set_field (f, juniper, "name", "Juniper Studio");
  set_field (f, juniper, "domain", "juniperstudio.io");
  check_index (f, "renaming the manual organization");
  assert_finds (f, juniper, "studio", "juniperstudio", NULL);
  assert_misses (f, juniper, "works", "jwtools", NULL);

  g_assert_cmpint (pd_store_link (f->store, juniper, TENANT_J, &error), ==, juniper);
  g_assert_no_error (error);
  check_index (f, "linking it to a new tenant");
  assert_finds (f, juniper, "studio", NULL);
  /* The first sync of the tenant takes the linked organization over. */
  store_test_apply (f->store, 0,
                    store_test_pc_org (TENANT_J, "Juniper Holdings", "juniper-holdings.com",
                                       "Jena", "finance@juniper-holdings.com", "j1"), NULL);
  g_assert_cmpint (store_test_find_id (f->store, TENANT_J), ==, juniper);
  check_index (f, "the first sync of the linked tenant");
  assert_finds (f, juniper, "holdings", "jena", "finance", "9100", NULL);
  assert_misses (f, juniper, "studio", "juniperstudio", NULL);

  kestrel = pd_store_create_manual (f->store, "Kestrel Manual", "kestrel.example", NULL,
                                    "ERP-9200", &error);
  g_assert_no_error (error);
  check_index (f, "creating a second manual organization");
  assert_finds (f, kestrel, "kestrel", "9200", NULL);
  g_assert_cmpint (pd_store_link (f->store, kestrel, TENANT_C, &error), ==, c);
  g_assert_no_error (error);
  check_index (f, "merging it into a synced organization");
  assert_finds (f, c, "9200", "cedarline", NULL);
  assert_misses (f, kestrel, "kestrel", "9200", NULL);
  assert_misses (f, c, "kestrel", NULL);
  g_assert_cmpuint (store_test_search_count (f->store, "kestrel"), ==, 0);
}

/* Removed customers stay searchable; the flag does not touch the entry. */
static void
step_removed (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);
  gint64 d = store_test_find_id (f->store, TENANT_D);

  g_assert_true (pd_store_mark_removed (f->store, run, TENANT_D, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);
  check_index (f, "marking a customer removed");
  assert_finds (f, d, "elmhurst", "erfurt", NULL);
}

/* A batch with an error stores nothing, its index changes included; the next batch works. */
static void
step_failed_batch (Fixture *f)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PdOrganization *no_tenant = store_test_pc_org (TENANT_M, "Nameless Corp", "nameless.com",
                                                 "Neuss", "ap@nameless.com", "n1");
  gint64 b = store_test_find_id (f->store, TENANT_B);
  guint count = pd_store_count (f->store);

  pd_organization_set_tenant_id (no_tenant, NULL);
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_L, "Larchmont Partners", "larchmont.com",
                                            "Leipzig", "ap@larchmont.com", "l1"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Birchfield Zeppelin", "birchfield.de",
                                            "Bonn", "invoices@birchmail.de", "b4"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_L, "Larchmont Again Group", "larchmont.com",
                                            "Lübeck", "ap@larchmont.com", "l2"));
  g_ptr_array_add (orgs, no_tenant);
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_M, "Maplewood Inc", "maplewood.com",
                                            "Mainz", "ap@maplewood.com", "m1"));
  g_assert_false (pd_store_apply_partner_center (f->store, 0, orgs, NULL, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count (f->store), ==, count);
  check_index (f, "a failed batch");
  g_assert_cmpuint (store_test_search_count (f->store, "larchmont"), ==, 0);
  g_assert_cmpuint (store_test_search_count (f->store, "leipzig"), ==, 0);
  g_assert_cmpuint (store_test_search_count (f->store, "maplewood"), ==, 0);
  assert_finds (f, b, "robotics", NULL);
  assert_misses (f, b, "zeppelin", NULL);

  /* Nothing of the failed batch lingers in the store's bookkeeping: neither the next
   * transaction nor the same batch without the culprit. */
  set_field (f, store_test_find_id (f->store, TENANT_A), "erp-id", "ERP-5005");
  check_index (f, "a local edit after the failed batch");
  assert_finds (f, store_test_find_id (f->store, TENANT_A), "5005", NULL);
  g_ptr_array_remove_index (orgs, 3);
  g_assert_true (pd_store_apply_partner_center (f->store, 0, orgs, NULL, &error));
  g_assert_no_error (error);
  check_index (f, "the batch without its culprit");
  assert_finds (f, store_test_find_id (f->store, TENANT_L), "larchmont", "again", "lubeck", NULL);
  assert_misses (f, store_test_find_id (f->store, TENANT_L), "partners", "leipzig", NULL);
  assert_finds (f, store_test_find_id (f->store, TENANT_M), "maplewood", "mainz", NULL);
  assert_finds (f, b, "zeppelin", NULL);
  assert_misses (f, b, "robotics", NULL);
}

static void
test_write_paths (Fixture       *f,
                  gconstpointer  data)
{
  step_new_customers (f);
  step_same_tenant_twice (f);
  step_second_batch (f);
  step_unsearched_change (f);
  step_erp_id (f);
  step_bill_to_override (f);
  step_override_meets_sync (f);
  step_pushed_bill_to (f);
  step_manual_and_link (f);
  step_removed (f);
  step_failed_batch (f);
}

/* Reopening the file keeps the index in step, and a first write after it too. */
static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 a;

  step_new_customers (f);
  g_clear_object (&f->store);
  check_index (f, "closing the store");
  f->store = pd_store_open (f->path, &error);
  g_assert_no_error (error);
  a = store_test_find_id (f->store, TENANT_A);
  set_field (f, a, "erp-id", "ERP-4400");
  check_index (f, "a write after reopening");
  assert_finds (f, a, "4400", "traders", NULL);
}

/* A first sync (on a cache without any organization) leaves its rows out of the index while
 * it stores them, and builds the index at its end; one that dies leaves a mark in meta, and
 * the next run builds the index whatever becomes of that run. */
static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 run, a, d;

  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_A, "Alderwood Traders", "alderwood.com", "Aachen",
                                       "payables@alderbills.com", "a1"), NULL);
  a = store_test_find_id (f->store, TENANT_A);
  assert_misses (f, a, "alderwood", NULL);
  store_test_finish_run (f->store, run);
  check_index (f, "a first sync");
  assert_finds (f, a, "alderwood", "aachen", NULL);
  g_assert_cmpint (store_test_query_raw_int (f->path, "SELECT count(*) FROM meta "
                                                      "WHERE key = 'fts-incomplete'"), ==, 0);

  /* Another cache's first sync dies after a batch. */
  g_clear_object (&f->store);
  g_remove (f->path);
  f->store = pd_store_open (f->path, &error);
  g_assert_no_error (error);
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_D, "Dunmore Logistics", "dunmore.ie", "Dublin",
                                       "ap@dunmore.ie", "d1"), NULL);
  d = store_test_find_id (f->store, TENANT_D);
  g_clear_object (&f->store);
  g_assert_cmpint (store_test_query_raw_int (f->path, "SELECT count(*) FROM meta "
                                                      "WHERE key = 'fts-incomplete'"), ==, 1);
  f->store = pd_store_open (f->path, &error);
  g_assert_no_error (error);
  assert_misses (f, d, "dunmore", NULL);
  /* The next run fails, and still builds the index. */
  run = store_test_begin_run (f->store, NULL);
  g_assert_true (pd_store_finish_sync_run (f->store, run, PD_SYNC_STATE_FAILED, "offline",
                                           &error));
  g_assert_no_error (error);
  check_index (f, "the run after a first sync that died");
  assert_finds (f, d, "dunmore", "dublin", NULL);
}

/* While one process runs a first sync, another (the app, the CLI) edits a customer that sync
 * stored and creates one by hand: the index does not hold that customer yet, so the edit must
 * not tell FTS5 to forget the words it had (that corrupts an external-content index); the
 * first sync's end indexes both with the rest. */
static void
test_edit_during_first_sync (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(PdStore) app = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run, a, manual;

  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_A, "Alderwood Traders", "alderwood.com", "Aachen",
                                       "payables@alderbills.com", "a1"), NULL);
  a = store_test_find_id (f->store, TENANT_A);
  app = pd_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_field (app, a, "erp-id", "ERP-7700", &error));
  g_assert_no_error (error);
  manual = pd_store_create_manual (app, "Zephyr Gardens", NULL, "DE", NULL, &error);
  g_assert_no_error (error);
  store_test_assert_search_index_well_formed (f->path);
  store_test_finish_run (f->store, run);
  check_index (f, "an edit by another connection during a first sync");
  assert_finds (f, a, "alderwood", "7700", NULL);
  assert_finds (f, manual, "zephyr", NULL);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add ("/store-search-index/write-paths", Fixture, NULL, fixture_set_up,
              test_write_paths, fixture_tear_down);
  g_test_add ("/store-search-index/reopen", Fixture, NULL, fixture_set_up, test_reopen,
              fixture_tear_down);
  g_test_add ("/store-search-index/first-sync", Fixture, NULL, fixture_set_up, test_first_sync,
              fixture_tear_down);
  g_test_add ("/store-search-index/edit-during-first-sync", Fixture, NULL, fixture_set_up,
              test_edit_during_first_sync, fixture_tear_down);
  return g_test_run ();
}
