/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-merge.c — PdStore's side of a sync: the three-way bill-to merge of design.md §3,
 * run events and counts of a batch; and storing the answer of a bill-to push, which the next
 * sync must agree with. */
#include "config.h"

#include <sqlite3.h>

#include "pd-store-private.h"
#include "pd-test-util.h"
#include "store-test-helpers.h"

typedef StoreTestFixture Fixture;

#define TENANT_A STORE_TEST_TENANT
#define TENANT_B "1c3a0d2e-0000-4000-8000-00000000000b"
#define TENANT_C "1c3a0d2e-0000-4000-8000-00000000000c"
#define TENANT_D "1c3a0d2e-0000-4000-8000-00000000000d"

/* Applies one organization in a batch and returns its result. */
static PdApplyResult
apply_one (PdStore        *store,
           gint64          run,
           PdOrganization *org)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (orgs, org);
  g_assert_true (pd_store_apply_partner_center (store, run, orgs, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  return g_array_index (results, PdApplyResult, 0);
}

static void
test_new_and_unchanged (Fixture       *f,
                        gconstpointer  data)
{
  gint64 run = store_test_begin_run (f->store, NULL);
  PdApplyResult r;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  g_autoptr(PdOrganization) org = NULL;

  r = apply_one (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                   "Espoo", "x@fabrikam.com", "f1"));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_NEW);
  g_assert_cmpint (r.org_id, >, 0);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Berlin", "a@contoso.com", "e1"));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
  g_assert_cmpint (r.org_id, ==, f->id);
  g_assert_false (r.override_kept);
  /* Tenant ids match case-insensitively. */
  r = apply_one (f->store, run, store_test_pc_org ("1C3A0D2E-0000-4000-8000-00000000000A",
                                                   "Contoso AG", "contoso.com", "Berlin",
                                                   "a@contoso.com", "e1"));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  g_assert_cmpint (r.org_id, ==, f->id);
  store_test_finish_run (f->store, run);

  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==, PD_RUN_EVENT_NEW);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (events, 0))->name, ==, "Fabrikam");
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 1))->kind, ==,
                   PD_RUN_EVENT_UPDATED);
  sr = store_test_get_run (f->store, run);
  g_assert_cmpint (sr->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (sr->n_new, ==, 1);
  g_assert_cmpuint (sr->n_unchanged, ==, 1);
  g_assert_cmpuint (sr->n_updated, ==, 1);
  g_assert_nonnull (sr->finished_at);
  g_assert_cmpstr (sr->correlation_id, ==, "corr-1");
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "name", PD_CHANGE_BY_SYNC), ==, 1);
  org = store_test_fixture_get (f);
  g_assert_nonnull (pd_organization_get_last_synced_at (org));
}

/* No override: Partner Center's new bill-to simply becomes the effective one. */
static void
test_no_override (Fixture       *f,
                  gconstpointer  data)
{
  gint64 run = store_test_begin_run (f->store, NULL);
  PdApplyResult r = apply_one (f->store, run,
                               store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Bonn",
                                                  "a@contoso.com", "e2"));
  g_autoptr(PdOrganization) org = store_test_fixture_get (f);

  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  g_assert_false (r.override_kept);
  g_assert_false (r.override_replaced);
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Bonn");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "e2");
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, 1);
  store_test_finish_run (f->store, run);
}

/* Override, Partner Center unchanged (same etag, or a new etag with the same content): the
 * local edit stays. */
static void
test_override_kept (Fixture       *f,
                    gconstpointer  data)
{
  gint64 run;
  PdApplyResult r;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdSyncRun) sr = NULL;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Berlin", "a@contoso.com", "e1"));
  g_assert_true (r.override_kept);
  g_assert_false (r.override_replaced);
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Berlin", "a@contoso.com", "e2"));
  g_assert_true (r.override_kept);
  store_test_finish_run (f->store, run);

  org = store_test_fixture_get (f);
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Hamburg");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "e2");
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==,
                   PD_RUN_EVENT_OVERRIDE_KEPT);
  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_overrides_kept, ==, 2);
  g_assert_cmpuint (sr->n_overrides_replaced, ==, 0);
}

/* A manual organization linked to a tenant its cache has not synced yet (the user linked it
 * before a sync, or while one ran and had not come to it): the sync then meets the bill-to
 * typed by hand as the first read of a listed customer does. It was based on nothing Partner
 * Center held, so Partner Center changed nothing under it: the typed fields stay as local
 * edits, and one Partner Center holds as well ends quietly, as when the link comes after the
 * customer's sync (pd_store_link merges into it). */
static void
test_linked_manual_first_read (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  gint64 id, run;
  PdApplyResult r;

  id = pd_store_create_manual (f->store, "Fabrikam", "fabrikam.com", "DE", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (f->store, id, PD_BILL_TO_CITY, "Hamburg", &error));
  g_assert_true (pd_store_set_bill_to_field (f->store, id, PD_BILL_TO_EMAIL, "x@fabrikam.com",
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_link (f->store, id, TENANT_B, &error), ==, id);
  g_assert_no_error (error);

  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                   "Espoo", "x@fabrikam.com", "f1"));
  store_test_finish_run (f->store, run);
  g_assert_cmpint (r.org_id, ==, id);
  g_assert_false (r.override_replaced);
  g_assert_true (r.override_kept);

  org = pd_store_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_organization_get_source (org), ==, PD_ORG_SOURCE_PARTNER_CENTER);
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Hamburg");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Espoo");
  g_assert_true (pd_organization_is_field_overridden (org, PD_BILL_TO_CITY));
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_EMAIL));
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "f1");
  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_overrides_replaced, ==, 0);
  g_assert_cmpuint (sr->n_overrides_kept, ==, 1);
}

/* Override, Partner Center changed the bill-to: Partner Center wins, the local value goes to
 * the history and the run reports it. */
static void
test_override_replaced (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PdOrganization) incoming = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdBillTo) pc = NULL;
  PdRunEvent *e;
  PdHistoryEntry *h;
  PdApplyResult r;
  gint64 run;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  g_assert_true (pd_store_set_bill_to_field (f->store, f->id, PD_BILL_TO_STATE, "HH", &error));
  run = store_test_begin_run (f->store, NULL);
  /* Partner Center changed the phone number only. */
  incoming = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin", "a@contoso.com",
                                "e2");
  pc = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (incoming));
  pd_bill_to_set (pc, PD_BILL_TO_PHONE_NUMBER, "+4940111");
  pd_organization_set_bill_to_partner_center (incoming, pc, "e2");
  r = apply_one (f->store, run, g_object_ref (incoming));
  store_test_finish_run (f->store, run);

  g_assert_true (r.override_replaced);
  g_assert_false (r.override_kept);
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  g_assert_cmpuint (r.replaced_fields, ==, (1u << PD_BILL_TO_CITY) | (1u << PD_BILL_TO_STATE));
  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_PHONE_NUMBER), ==, "+4940111");

  events = store_test_run_events (f->store, run);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpint (e->kind, ==, PD_RUN_EVENT_OVERRIDE_REPLACED);
  g_assert_cmpstr (e->field, ==, "billTo.address.city");
  g_assert_cmpstr (e->old_value, ==, "Hamburg");
  g_assert_cmpstr (e->new_value, ==, "Berlin");
  g_assert_cmpstr (e->tenant_id, ==, TENANT_A);
  g_assert_cmpint (e->org_id, ==, f->id);
  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_overrides_replaced, ==, 1);
  g_assert_cmpuint (sr->n_updated, ==, 1);

  /* The local edit is kept in the history, by sync, with the run. */
  history = pd_store_get_history (f->store, f->id, &error);
  g_assert_no_error (error);
  h = NULL;
  for (guint i = 0; i < history->len && h == NULL; i++)
    {
      PdHistoryEntry *c = g_ptr_array_index (history, i);
      if (g_strcmp0 (c->what, "billTo.address.city") == 0 && c->by == PD_CHANGE_BY_SYNC)
        h = c;
    }
  g_assert_nonnull (h);
  g_assert_cmpstr (h->old_value, ==, "Hamburg");
  g_assert_cmpstr (h->new_value, ==, "Berlin");
  g_assert_cmpint (h->sync_run_id, ==, run);
}

/* Partner Center sends billing profiles without an etag: the override was based on a bill-to
 * without one, and Partner Center changed that bill-to since. Its change wins as it does with
 * etags (it was ignored: the local edit stayed over a newer Partner Center value, which a push
 * would then have overwritten); the same content without an etag keeps the edit. */
static void
test_override_without_etags (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  PdApplyResult r;
  gint64 run, id;

  store_test_apply (f->store, 0, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                    "Berlin", "a@fabrikam.com", NULL), NULL);
  org = pd_store_find_by_tenant (f->store, TENANT_B, &error);
  g_assert_no_error (error);
  id = pd_organization_get_id (org);
  g_clear_object (&org);
  g_assert_true (pd_store_set_bill_to_field (f->store, id, PD_BILL_TO_EMAIL, "local@fabrikam.com",
                                             &error));
  g_assert_no_error (error);

  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                   "Berlin", "a@fabrikam.com", NULL));
  g_assert_true (r.override_kept);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                   "Berlin", "pc@fabrikam.com", NULL));
  store_test_finish_run (f->store, run);
  g_assert_true (r.override_replaced);
  g_assert_cmpuint (r.replaced_fields, ==, 1u << PD_BILL_TO_EMAIL);
  org = pd_store_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_EMAIL), ==, "pc@fabrikam.com");
}

/* Partner Center now has exactly the locally edited value: nothing was lost, the override
 * simply ends. */
static void
test_override_equal_to_new_value (Fixture       *f,
                                  gconstpointer  data)
{
  gint64 run;
  PdApplyResult r;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GPtrArray) events = NULL;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Hamburg", "a@contoso.com", "e2"));
  store_test_finish_run (f->store, run);
  g_assert_false (r.override_replaced);
  g_assert_false (r.override_kept);
  g_assert_cmpuint (r.replaced_fields, ==, 0);
  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Hamburg");
  events = store_test_run_events (f->store, run);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, i))->kind, !=,
                     PD_RUN_EVENT_OVERRIDE_REPLACED);
}

/* Partner Center takes the value a local edit filled in (the indirect provider applied the
 * change request): the bill-to shown stays the same, Partner Center's changes, and what it
 * lacks is judged on it again, so the customer leaves "Bill-to incomplete". */
static void
test_override_taken_by_partner_center (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS];
  gint64 run;

  run = store_test_begin_run (f->store, NULL);
  apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com", NULL,
                                               "a@contoso.com", "e1b"));
  store_test_finish_run (f->store, run);
  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  before = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_bill_to_complete (before));
  g_assert_true (g_strv_contains (pd_organization_get_missing_fields (before), "address.city"));

  run = store_test_begin_run (f->store, NULL);
  apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Hamburg",
                                               "a@contoso.com", "e2"));
  store_test_finish_run (f->store, run);
  after = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_has_local_edits (after));
  g_assert_true (pd_organization_get_bill_to_complete (after));
  g_assert_false (g_strv_contains (pd_organization_get_missing_fields (after), "address.city"));
  g_assert_true (pd_store_count_filters (f->store, NULL, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], ==, 0);
  g_assert_cmpuint (counts[PD_FILTER_LOCAL_EDITS], ==, 0);
}

/* The same customer twice in one batch (a listing that shifted under paging): stored once. */
static void
test_same_tenant_twice_in_batch (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  PdApplyResult *r;

  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                            "x@fabrikam.com", "f1"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Vantaa",
                                            "x@fabrikam.com", "f2"));
  g_assert_true (pd_store_apply_partner_center (f->store, 0, orgs, results, &error));
  g_assert_no_error (error);
  r = &g_array_index (results, PdApplyResult, 0);
  g_assert_cmpint (r->outcome, ==, PD_APPLY_NEW);
  g_assert_cmpint (r[1].outcome, ==, PD_APPLY_UPDATED);
  g_assert_cmpint (r[1].org_id, ==, r->org_id);
  g_assert_cmpuint (pd_store_count (f->store), ==, 2);
  org = pd_store_find_by_tenant (f->store, TENANT_B, &error);
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Vantaa");
}

/* The same known tenant twice in one batch, written differently and more than one prefetch
 * query (100 tenants) apart: the first copy, equal to the row, leaves it unchanged; the second
 * updates it. Neither is taken for a customer the cache lacks. */
static void
test_same_known_tenant_far_apart (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);
  PdApplyResult *r;

  g_ptr_array_add (orgs, store_test_pc_org (" 1C3A0D2E-0000-4000-8000-00000000000A ", "Contoso",
                                            "contoso.com", "Berlin", "a@contoso.com", "e1"));
  for (guint i = 0; i < 140; i++)
    {
      g_autofree char *tenant = g_strdup_printf ("2d000000-0000-4000-8000-%012u", i);
      g_autofree char *name = g_strdup_printf ("Filler %u", i);

      g_ptr_array_add (orgs, store_test_pc_org (tenant, name, NULL, "Espoo", "x@filler.fi",
                                                "f1"));
    }
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_A, "Contoso Renamed", "contoso.com",
                                            "Berlin", "a@contoso.com", "e1"));
  g_assert_true (pd_store_apply_partner_center (f->store, run, orgs, results, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);
  r = &g_array_index (results, PdApplyResult, 0);
  g_assert_cmpint (r[0].outcome, ==, PD_APPLY_UNCHANGED);
  g_assert_cmpint (r[0].org_id, ==, f->id);
  g_assert_cmpint (r[141].outcome, ==, PD_APPLY_UPDATED);
  g_assert_cmpint (r[141].org_id, ==, f->id);
  g_assert_cmpuint (pd_store_count (f->store), ==, 141);
  org = store_test_fixture_get (f);
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Contoso Renamed");
}

/* An unchanged customer is noted as seen (synced_unchanged) without its row being rewritten,
 * also in a cache where another customer has a local bill-to edit; that one's row is compared
 * with its edit, so it is never noted so. */
static void
test_unchanged_beside_override (Fixture       *f,
                                gconstpointer  data)
{
  const char *path = pd_store_get_path (f->store);
  g_autofree char *noted_b = NULL;
  g_autofree char *noted_a = g_strdup_printf ("SELECT count(*) FROM synced_unchanged "
                                              "WHERE org_id = %" G_GINT64_FORMAT, f->id);
  gint64 run;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                      "Espoo", "x@fabrikam.com", "f1"), NULL);
  store_test_finish_run (f->store, run);
  noted_b = g_strdup_printf ("SELECT count(*) FROM synced_unchanged WHERE org_id = %"
                             G_GINT64_FORMAT, store_test_find_id (f->store, TENANT_B));
  g_assert_cmpint (store_test_query_raw_int (path, noted_b), ==, 0);

  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin",
                                       "a@contoso.com", "e1"),
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"), NULL);
  store_test_finish_run (f->store, run);
  g_assert_cmpint (store_test_query_raw_int (path, noted_b), ==, 1);
  g_assert_cmpint (store_test_query_raw_int (path, noted_a), ==, 0);
}

/* Whether the fixture's organization was last found unchanged by its digest alone: only that
 * way notes it as seen (synced_unchanged) without rewriting its row. */
static gboolean
noted_unchanged (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM synced_unchanged WHERE org_id = %"
                                          G_GINT64_FORMAT, f->id);

  return store_test_query_raw_int (pd_store_get_path (f->store), sql) == 1;
}

/* The fixture's customer as Partner Center sends it (as the fixture stored it), with value of
 * change (0 … 5 + PD_BILL_TO_N_FIELDS) changed; AS_STORED: none. */
#define AS_STORED G_MAXUINT
static PdOrganization *
fixture_customer_with_change (guint change)
{
  PdOrganization *org = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin",
                                           "a@contoso.com", "e1");
  g_autoptr(PdBillTo) pc = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));
  g_autofree char *etag = g_strdup (pd_organization_get_bill_to_etag (org));

  switch (change)
    {
    case 0: pd_organization_set_name (org, "Contoso Renamed"); return org;
    case 1: pd_organization_set_domain (org, "contoso.de"); return org;
    case 2: pd_organization_set_relationship (org, "none"); return org;
    case 3:
      pd_organization_set_delegated_access (org, !pd_organization_get_delegated_access (org));
      return org;
    case 4: pd_organization_set_reseller (org, TENANT_D, "Reseller D"); return org;
    case 5: g_clear_pointer (&etag, g_free); etag = g_strdup ("e2"); break;
    case AS_STORED: return org;
    default:
      pd_bill_to_set (pc, change - 6, g_strcmp0 (pd_bill_to_get (pc, change - 6), "DE") == 0
                                      ? "AT" : "Changed");
    }
  pd_organization_set_bill_to_partner_center (org, pc, etag);
  return org;
}

/* The digest that tells a re-sync a row is unchanged covers every value Partner Center owns:
 * each one changed alone is an update, stored; the same again is unchanged, by the digest. */
static void
test_digest_covers_every_value (Fixture       *f,
                                gconstpointer  data)
{
  for (guint change = 0; change < 6 + PD_BILL_TO_N_FIELDS; change++)
    {
      gint64 run = store_test_begin_run (f->store, NULL);
      PdApplyResult r = apply_one (f->store, run, fixture_customer_with_change (change));

      g_test_message ("value %u", change);
      /* A new etag alone is no change to report, but it is stored. */
      g_assert_cmpint (r.outcome, ==, change == 5 ? PD_APPLY_UNCHANGED : PD_APPLY_UPDATED);
      g_assert_false (noted_unchanged (f));
      r = apply_one (f->store, run, fixture_customer_with_change (change));
      g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
      g_assert_true (noted_unchanged (f));
      /* Back to what the fixture holds, for the next value. */
      r = apply_one (f->store, run, fixture_customer_with_change (AS_STORED));
      g_assert_false (noted_unchanged (f));
      store_test_finish_run (f->store, run);
    }
}

/* A write of Partner Center's values that does not write their digest (here another connection;
 * in the product a push's answer, or a migration) drops it: the next sync compares the row in
 * full and puts back what Partner Center says, instead of taking the old digest's word. */
static void
test_digest_dropped_by_other_writes (Fixture       *f,
                                     gconstpointer  data)
{
  const char *path = pd_store_get_path (f->store);
  g_autofree char *digest_sql = g_strdup_printf ("SELECT pc_digest IS NOT NULL FROM "
                                                 "organizations WHERE id = %" G_GINT64_FORMAT,
                                                 f->id);
  g_autoptr(PdOrganization) org = NULL;
  gint64 run;
  PdApplyResult r;

  g_assert_cmpint (store_test_query_raw_int (path, digest_sql), ==, 1);
  /* A write of the same values keeps it. */
  store_test_exec_raw (path, "UPDATE organizations SET name = name, pc_city = pc_city");
  g_assert_cmpint (store_test_query_raw_int (path, digest_sql), ==, 1);
  store_test_exec_raw (path, "UPDATE organizations SET pc_city = 'Bonn'");
  g_assert_cmpint (store_test_query_raw_int (path, digest_sql), ==, 0);

  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, fixture_customer_with_change (AS_STORED));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  g_assert_false (noted_unchanged (f));
  g_assert_cmpint (store_test_query_raw_int (path, digest_sql), ==, 1);
  store_test_finish_run (f->store, run);

  /* A row without one (as every row of a cache before schema 12) is unchanged as before, read
   * in full; it gets one, and the next sync needs no more. */
  store_test_exec_raw (path, "UPDATE organizations SET pc_digest = NULL");
  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, fixture_customer_with_change (AS_STORED));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
  g_assert_false (noted_unchanged (f));
  g_assert_cmpint (store_test_query_raw_int (path, digest_sql), ==, 1);
  r = apply_one (f->store, run, fixture_customer_with_change (AS_STORED));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
  g_assert_true (noted_unchanged (f));
  store_test_finish_run (f->store, run);
  org = store_test_fixture_get (f);
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, "Berlin");
}

/* A batch mixing new and known tenants: the report lists the events in the order of the
 * batch, and search finds each organization by what was stored last. */
static void
test_mixed_batch_events_and_search (Fixture       *f,
                                    gconstpointer  data)
{
  static const struct { PdRunEventKind kind; const char *tenant, *name; } expected[] = {
    { PD_RUN_EVENT_NEW, TENANT_B, "Fabrikam" },
    { PD_RUN_EVENT_UPDATED, TENANT_A, "Contoso" },
    { PD_RUN_EVENT_NEW, TENANT_C, "Northwind" },
    { PD_RUN_EVENT_UPDATED, TENANT_B, "Fabrikam Oy" },
    { PD_RUN_EVENT_NEW, TENANT_D, "Tailspin" },
  };
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);

  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                            "x@fabrikam.com", "f1"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Hamburg",
                                            "a@contoso.com", "e2"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                            "n@northwind.com", "n1"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Fabrikam Oy", "fabrikam.com", "Vantaa",
                                            "x@fabrikam.com", "f2"));
  g_ptr_array_add (orgs, store_test_pc_org (TENANT_D, "Tailspin", "tailspin.com", "Bergen",
                                            "t@tailspin.com", "t1"));
  g_assert_true (pd_store_apply_partner_center (f->store, run, orgs, NULL, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);

  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      PdRunEvent *e = g_ptr_array_index (events, i);
      g_autoptr(PdOrganization) org = pd_store_find_by_tenant (f->store, expected[i].tenant,
                                                               &error);

      g_assert_no_error (error);
      g_assert_cmpint (e->kind, ==, expected[i].kind);
      g_assert_cmpstr (e->tenant_id, ==, expected[i].tenant);
      g_assert_cmpstr (e->name, ==, expected[i].name);
      g_assert_cmpint (e->org_id, ==, pd_organization_get_id (org));
    }
  g_assert_cmpuint (store_test_search_count (f->store, "espoo"), ==, 0);
  g_assert_cmpuint (store_test_search_count (f->store, "vantaa"), ==, 1);
  g_assert_cmpuint (store_test_search_count (f->store, "hamburg"), ==, 1);
  g_assert_cmpuint (store_test_search_count (f->store, "berlin"), ==, 0);
  g_assert_cmpuint (store_test_search_count (f->store, "northw"), ==, 1);
  g_assert_cmpuint (store_test_search_count (f->store, "n@northwind"), ==, 1);
  g_assert_cmpuint (store_test_search_count (f->store, "tailspin.com"), ==, 1);
  g_assert_cmpuint (store_test_search_count (f->store, "bergen"), ==, 1);
}

#define LONG_BATCH_NEW 130

static char *
long_batch_tenant (guint i)
{
  return g_strdup_printf ("2c3a0d2e-0000-4000-8000-%012u", i);
}

/* A batch of more new customers than are stored in one statement, a known one among them and a
 * new one given twice: each result has the id of its tenant's row, the report keeps the order
 * of the batch, and search finds rows of each statement. */
static void
test_long_batch_of_new (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GPtrArray) tenants = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);

  for (guint i = 0; i < LONG_BATCH_NEW; i++)
    {
      g_autofree char *name = g_strdup_printf ("Company%u", i);
      g_autofree char *city = g_strdup_printf ("Town%03u", i);

      if (i == 60)
        {
          g_ptr_array_add (tenants, g_strdup (TENANT_A));
          g_ptr_array_add (orgs, store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Hamburg",
                                                    "a@contoso.com", "e2"));
        }
      g_ptr_array_add (tenants, long_batch_tenant (i));
      g_ptr_array_add (orgs, store_test_pc_org (g_ptr_array_index (tenants, tenants->len - 1),
                                                name, NULL, city, NULL, "e1"));
    }
  g_ptr_array_add (tenants, long_batch_tenant (10));
  g_ptr_array_add (orgs, store_test_pc_org (g_ptr_array_index (tenants, tenants->len - 1),
                                            "Company10", NULL, "Again", NULL, "e2"));
  g_assert_true (pd_store_apply_partner_center (f->store, run, orgs, results, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);

  g_assert_cmpuint (results->len, ==, orgs->len);
  g_assert_cmpuint (pd_store_count (f->store), ==, 1 + LONG_BATCH_NEW);
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, orgs->len);
  for (guint i = 0; i < orgs->len; i++)
    {
      const PdApplyResult *r = &g_array_index (results, PdApplyResult, i);
      const PdRunEvent *e = g_ptr_array_index (events, i);
      const char *tenant = g_ptr_array_index (tenants, i);
      gboolean is_new = i != 60 && i != orgs->len - 1;

      g_assert_cmpint (r->outcome, ==, is_new ? PD_APPLY_NEW : PD_APPLY_UPDATED);
      g_assert_cmpint (r->org_id, ==, store_test_find_id (f->store, tenant));
      g_assert_cmpint (e->kind, ==, is_new ? PD_RUN_EVENT_NEW : PD_RUN_EVENT_UPDATED);
      g_assert_cmpstr (e->tenant_id, ==, tenant);
      g_assert_cmpint (e->org_id, ==, r->org_id);
    }
  for (guint i = 0; i < LONG_BATCH_NEW; i += 7)
    {
      g_autofree char *city = g_strdup_printf ("town%03u", i);

      g_assert_cmpuint (store_test_search_count (f->store, city), ==, 1);
    }
  g_assert_cmpuint (store_test_search_count (f->store, "town010"), ==, 0);
  g_assert_cmpuint (store_test_search_count (f->store, "again"), ==, 1);
  g_assert_cmpuint (store_test_search_count (f->store, "hamburg"), ==, 1);
}

/* A batch that fails half way stores nothing of it. */
static void
test_batch_is_atomic (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdApplyResult));
  g_autoptr(GError) error = NULL;
  PdOrganization *bad;

  g_ptr_array_add (orgs, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                            "x@fabrikam.com", "f1"));
  bad = store_test_pc_org (TENANT_C, "No tenant", NULL, "Oslo", "y@n.com", "n1");
  pd_organization_set_tenant_id (bad, NULL);
  g_ptr_array_add (orgs, bad);
  g_assert_false (pd_store_apply_partner_center (f->store, 0, orgs, results, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_assert_cmpuint (results->len, ==, 0);
  g_assert_cmpuint (pd_store_count (f->store), ==, 1);
}

/* The disk fills up in the middle of the statement that stores a batch's new customers
 * (SQLite's max_page_count stands for the full disk): nothing of the batch is stored, no row
 * of the statement's first customers either, and the same batch is stored whole once there is
 * room again. */
static void
test_disk_full_in_batch_of_new (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *long_notes = g_strnfill (900, 'x');
  g_autoptr(PdOrganization) first = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 pages = 0;
  gint64 run = store_test_begin_run (f->store, NULL);

  for (guint i = 0; i < LONG_BATCH_NEW; i++)
    {
      g_autofree char *tenant = long_batch_tenant (i);
      g_autofree char *name = g_strdup_printf ("Company%u %s", i, long_notes);

      g_ptr_array_add (orgs, store_test_pc_org (tenant, name, NULL, "Town", NULL, "e1"));
    }
  g_assert_true (_pd_store_query_int64 (f->store, "PRAGMA page_count", 0, 0, &pages, &error));
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 3);
  g_assert_true (_pd_store_exec_sql (f->store, limit, &error));

  g_assert_false (pd_store_apply_partner_center (f->store, run, orgs, NULL, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count (f->store), ==, 1);
  first = pd_store_find_by_tenant (f->store, "2c3a0d2e-0000-4000-8000-000000000000", &error);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
  g_assert_null (first);
  g_clear_error (&error);
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 0);

  g_assert_true (_pd_store_exec_sql (f->store, "PRAGMA max_page_count = 1073741823", &error));
  g_assert_true (pd_store_apply_partner_center (f->store, run, orgs, NULL, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);
  g_assert_cmpuint (pd_store_count (f->store), ==, 1 + LONG_BATCH_NEW);
}

/* A customer refused in the middle of the statement that stores new customers (a trigger
 * stands for the refusal): the statement keeps the rows before it (INSERT OR FAIL), and the
 * batch's rollback drops them with the rest; the same batch is stored whole afterwards. */
static void
test_refused_in_batch_of_new (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run = store_test_begin_run (f->store, NULL);

  for (guint i = 0; i < LONG_BATCH_NEW; i++)
    {
      g_autofree char *tenant = long_batch_tenant (i);
      g_autofree char *name = g_strdup_printf ("Company%u", i);

      g_ptr_array_add (orgs, store_test_pc_org (tenant, name, NULL, "Town", NULL, "e1"));
    }
  g_assert_true (_pd_store_exec_sql (f->store,
                                     "CREATE TEMP TRIGGER refuse_seventh BEFORE INSERT ON "
                                     "main.organizations WHEN new.tenant_id = "
                                     "'2c3a0d2e-0000-4000-8000-000000000007' "
                                     "BEGIN SELECT RAISE (FAIL, 'refused'); END;", &error));
  g_assert_false (pd_store_apply_partner_center (f->store, run, orgs, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (pd_store_count (f->store), ==, 1);
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 0);

  g_assert_true (_pd_store_exec_sql (f->store, "DROP TRIGGER temp.refuse_seventh", &error));
  g_assert_true (pd_store_apply_partner_center (f->store, run, orgs, NULL, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);
  g_assert_cmpuint (pd_store_count (f->store), ==, 1 + LONG_BATCH_NEW);
}

/* ---- storing the answer of a bill-to push (pd_store_set_pushed_bill_to) ---- */

/* What the push sends: the effective bill-to as it is now (the app copies it when it sends). */
static PdBillTo *
sent_now (Fixture *f)
{
  g_autoptr(PdOrganization) org = store_test_fixture_get (f);

  return pd_bill_to_copy (pd_organization_get_bill_to (org));
}

/* The cached Partner Center bill-to with field set to value: what Partner Center answers. */
static PdBillTo *
answer_with (Fixture       *f,
             PdBillToField  field,
             const char    *value)
{
  g_autoptr(PdOrganization) org = store_test_fixture_get (f);
  PdBillTo *answer = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));

  pd_bill_to_set (answer, field, value);
  return answer;
}

static void
store_push (Fixture        *f,
            const PdBillTo *answer,
            const char     *etag,
            const PdBillTo *sent,
            guint32         mask)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_pushed_bill_to (f->store, f->id, answer, etag, sent, mask,
                                              &error));
  g_assert_no_error (error);
}

static GPtrArray *
history_of (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *history = pd_store_get_history (f->store, f->id, &error);

  g_assert_no_error (error);
  return history;
}

/* The history rows newer than the first n_before ones (history is newest first). */
static guint
n_new_rows (Fixture *f,
            guint    n_before)
{
  g_autoptr(GPtrArray) history = history_of (f);

  g_assert_cmpuint (history->len, >=, n_before);
  return history->len - n_before;
}

/* The newest history row is what, old_value → new_value, pushed by the user, without a run. */
static void
assert_newest_row (Fixture    *f,
                   const char *what,
                   const char *old_value,
                   const char *new_value)
{
  g_autoptr(GPtrArray) history = history_of (f);
  PdHistoryEntry *h;

  g_assert_cmpuint (history->len, >, 0);
  h = g_ptr_array_index (history, 0);
  g_assert_cmpstr (h->what, ==, what);
  g_assert_cmpstr (h->old_value, ==, old_value);
  g_assert_cmpstr (h->new_value, ==, new_value);
  g_assert_cmpint (h->by, ==, PD_CHANGE_BY_PUSH);
  g_assert_cmpint (h->sync_run_id, ==, 0);
}

static void
assert_override (PdOrganization *org,
                 PdBillToField   field,
                 const char     *value)
{
  g_assert_true (pd_organization_is_field_overridden (org, field));
  g_assert_cmpstr (store_test_effective (org, field), ==, value);
}

/* A sync asked Partner Center for a customer, then a push (the CLI's, the app's, beside the
 * sync) changed its bill-to and stored Partner Center's answer before the run stored its
 * batch: the run's answer is older than the push's, and must not put back the bill-to the
 * push replaced, as if Partner Center had changed it again. An answer asked for after the
 * push applies as any other. */
static void
test_push_during_sync (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(GDateTime) asked = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) asked_later = g_date_time_add_seconds (asked, 1);
  g_autoptr(PdOrganization) older = NULL;
  g_autoptr(PdOrganization) later = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  PdApplyResult r;
  gint64 run;

  /* The last sync, a minute ago. */
  store_test_exec_raw (path, "UPDATE organizations SET last_synced_at = last_synced_at - 60, "
                             "bill_to_read_at = bill_to_read_at - 60");
  older = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin", "a@contoso.com",
                             "e1");
  pd_organization_set_bill_to_read (older, FALSE, asked, NULL);
  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_CITY);

  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, g_steal_pointer (&older));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
  org = store_test_fixture_get (f);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Hamburg");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "e2");
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, 0);

  later = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Köln", "a@contoso.com", "e3");
  pd_organization_set_bill_to_read (later, FALSE, asked_later, NULL);
  r = apply_one (f->store, run, g_steal_pointer (&later));
  store_test_finish_run (f->store, run);
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  g_clear_object (&org);
  org = store_test_fixture_get (f);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Köln");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "e3");
}

/* Pushes the city typed, which Partner Center stores as stored: the override ends either way,
 * since Partner Center holds what was sent (in its own form or not), and stored is Partner
 * Center's city. The history gains one row, by the user, without a run: Partner Center's city
 * changed. Nothing was lost, so no row says the local value was replaced. */
static void
assert_push_settles_city (Fixture    *f,
                          const char *typed,
                          const char *stored)
{
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  g_autoptr(PdOrganization) org = NULL;
  guint n_before;

  store_test_fixture_override (f, PD_BILL_TO_CITY, typed);
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, stored);
  n_before = n_new_rows (f, 0);
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_CITY);

  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_CITY));
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (store_test_effective (org, PD_BILL_TO_CITY), ==, stored);
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to_partner_center (org), answer));
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "e2");
  g_assert_cmpuint (n_new_rows (f, n_before), ==, 1);
  assert_newest_row (f, "billTo.address.city", "Berlin", stored);
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, 0);
}

/* Partner Center kept the pushed city as sent. */
static void
test_push_verbatim (Fixture       *f,
                    gconstpointer  data)
{
  assert_push_settles_city (f, "Hamburg", "Hamburg");
}

/* Partner Center stored the pushed city in its own form: the override still holds the value
 * sent, so it ends too. */
static void
test_push_normalised (Fixture       *f,
                      gconstpointer  data)
{
  assert_push_settles_city (f, "muenchen", "München");
}

/* Local edits newer than the push stay: the postal code typed while the push waited for
 * confirmation (in what was sent, but not pushed), and the pushed city typed again after it
 * was sent. Both are based on the answer's etag, so the next sync of the same bill-to keeps
 * them. */
static void
test_push_keeps_newer_edits (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) incoming = NULL;
  PdApplyResult r;
  gint64 run;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  store_test_fixture_override (f, PD_BILL_TO_POSTAL_CODE, "20095");
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg-Altona");
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_CITY);

  org = store_test_fixture_get (f);
  assert_override (org, PD_BILL_TO_CITY, "Hamburg-Altona");
  assert_override (org, PD_BILL_TO_POSTAL_CODE, "20095");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "e2");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Hamburg");

  incoming = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Hamburg", "a@contoso.com",
                                "e2");
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to_partner_center (incoming),
                                   answer));
  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, g_object_ref (incoming));
  store_test_finish_run (f->store, run);
  g_assert_true (r.override_kept);
  g_assert_false (r.override_replaced);
  g_clear_object (&org);
  org = store_test_fixture_get (f);
  assert_override (org, PD_BILL_TO_CITY, "Hamburg-Altona");
  assert_override (org, PD_BILL_TO_POSTAL_CODE, "20095");
}

/* An organization that went away (or never had a tenant) stores nothing. */
static void
test_push_unknown_organization (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 manual;
  guint n_before;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  n_before = n_new_rows (f, 0);
  g_assert_false (pd_store_set_pushed_bill_to (f->store, f->id + 1000, answer, "e2", sent,
                                               1u << PD_BILL_TO_CITY, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  manual = pd_store_create_manual (f->store, "Manual GmbH", NULL, "DE", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pd_store_set_pushed_bill_to (f->store, manual, answer, "e2", sent,
                                               1u << PD_BILL_TO_CITY, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_object (&org);
  org = pd_store_get (f->store, manual, NULL);
  g_assert_null (pd_organization_get_bill_to_etag (org));
  g_assert_true (pd_bill_to_is_empty (pd_organization_get_bill_to_partner_center (org)));

  g_clear_object (&org);
  org = store_test_fixture_get (f);
  assert_override (org, PD_BILL_TO_CITY, "Hamburg");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (org), ==, "e1");
  g_assert_cmpuint (n_new_rows (f, n_before), ==, 0);
}

/* The derived columns follow the new values: the postal code Partner Center normalised makes
 * the bill-to complete, and search finds the city in Partner Center's form. */
static void
test_push_derived_columns (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));

  store_test_fixture_override (f, PD_BILL_TO_CITY, "muenchen");
  store_test_fixture_override (f, PD_BILL_TO_POSTAL_CODE, "80 331");
  org = store_test_fixture_get (f);
  /* A local value never decides order readiness: Partner Center's bill-to is complete. */
  g_assert_null (pd_organization_get_missing_fields (org)[0]);
  g_assert_cmpuint (store_test_search_count (f->store, "muenchen"), ==, 1);
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "München");
  pd_bill_to_set (answer, PD_BILL_TO_POSTAL_CODE, "80331");
  store_push (f, answer, "e2", sent, (1u << PD_BILL_TO_CITY) | (1u << PD_BILL_TO_POSTAL_CODE));

  g_clear_object (&org);
  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_null (pd_organization_get_missing_fields (org)[0]);
  store_test_assert_search (f->store, "münchen", f->id, TRUE);
  store_test_assert_search (f->store, "munchen", f->id, TRUE);
  store_test_assert_search (f->store, "muenchen", f->id, FALSE);
  store_test_assert_search (f->store, "berlin", f->id, FALSE);
  store_test_assert_search_index (path);
}

/* organizations.country as stored (the organization's effective country hides it). */
static char *
stored_country (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *country;

  g_assert_cmpint (sqlite3_open_v2 (pd_store_get_path (f->store), &db, SQLITE_OPEN_READONLY,
                                    NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT country FROM organizations WHERE id = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, f->id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  country = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return country;
}

/* The organization's country follows Partner Center's bill-to, as after a sync. */
static void
test_push_country (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  g_autofree char *before = stored_country (f);
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, "DE");
  store_test_fixture_override (f, PD_BILL_TO_COUNTRY, "AT");
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_COUNTRY, "AT");
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_COUNTRY);
  after = stored_country (f);
  g_assert_cmpstr (after, ==, "AT");
}

/* The PUT carries the fresh profile: a field someone changed in Partner Center since the cache
 * read it comes back changed too. The history gives the pushed field to the user's push and
 * the other to Partner Center (by sync). */
static void
test_push_with_someone_elses_change (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(PdBillTo) sent = NULL;
  g_autoptr(PdBillTo) answer = NULL;
  g_autofree char *phone = g_strconcat ("billTo.",
                                        pd_bill_to_field_path (PD_BILL_TO_PHONE_NUMBER), NULL);

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  pd_bill_to_set (answer, PD_BILL_TO_PHONE_NUMBER, "+49 40 555 0100");
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_CITY);

  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_PUSH), ==, 1);
  g_assert_cmpuint (store_test_count_history (f->store, f->id, phone, PD_CHANGE_BY_SYNC), ==, 1);
  g_assert_cmpuint (store_test_count_history (f->store, f->id, phone, PD_CHANGE_BY_PUSH), ==, 0);
}

/* A bill-to read from Partner Center outside a run (pd_store_set_read_bill_to): the override it
 * now holds ends quietly, another stays based on the new etag (the next sync of the same
 * bill-to keeps it), and the change is Partner Center's, in the history by sync. */
static void
test_read_bill_to (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdBillTo) read = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  store_test_fixture_override (f, PD_BILL_TO_CITY, "Hamburg");
  store_test_fixture_override (f, PD_BILL_TO_POSTAL_CODE, "20095");
  read = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  n_before = n_new_rows (f, 0);
  g_assert_true (pd_store_set_read_bill_to (f->store, f->id, read, "e2", &error));
  g_assert_no_error (error);

  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_CITY));
  assert_override (org, PD_BILL_TO_POSTAL_CODE, "20095");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "e2");
  g_assert_true (pd_bill_to_equal (pd_organization_get_bill_to_partner_center (org), read));
  g_assert_cmpuint (n_new_rows (f, n_before), ==, 1);
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, 1);
  g_assert_false (pd_store_set_read_bill_to (f->store, f->id + 1000, read, "e3", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
}

/* A customer as a listing page carries it: no bill-to. */
static PdOrganization *
listed_org (const char *tenant,
            const char *name,
            const char *domain)
{
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_source (org, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_tenant_id (org, tenant);
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, domain);
  pd_organization_set_relationship (org, "reseller");
  return org;
}

static guint
apply_listing (PdStore        *store,
               gint64          run,
               PdOrganization *first,
               ...)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  va_list args;
  guint n = G_MAXUINT;

  va_start (args, first);
  for (PdOrganization *org = first; org != NULL; org = va_arg (args, PdOrganization *))
    g_ptr_array_add (orgs, org);
  va_end (args);
  g_assert_true (pd_store_apply_listing (store, run, orgs, &n, &error));
  g_assert_no_error (error);
  return n;
}

static guint
count_filter (PdStore  *store,
              PdFilter  filter)
{
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS] = { 0 };

  g_assert_true (pd_store_count_filters (store, NULL, counts, &error));
  g_assert_no_error (error);
  return counts[filter];
}

/* A listed customer is stored at once, not readable (neither complete nor incomplete), found by
 * search and the filter; the cached one is left exactly as it was (no event, no history). Its
 * first read counts as NEW, not UPDATED, with no history; then it is read, complete. */
static void
test_listing_then_read (Fixture       *f,
                        gconstpointer  data)
{
  gint64 run = store_test_begin_run (f->store, NULL);
  g_autoptr(PdOrganization) before = store_test_fixture_get (f);
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(PdOrganization) listed = NULL;
  g_autoptr(PdOrganization) read = NULL;
  g_autoptr(PdOrganization) never_read = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  PdApplyResult r;

  g_assert_cmpuint (apply_listing (f->store, run,
                                   listed_org (TENANT_A, "Contoso renamed", "contoso.com"),
                                   listed_org (TENANT_B, "Fabrikam", "fabrikam.com"),
                                   listed_org (TENANT_C, "Northwind", "northwind.com"), NULL),
                    ==, 2);
  after = store_test_fixture_get (f);
  g_assert_cmpstr (pd_organization_get_name (after), ==, "Contoso");
  g_assert_cmpstr (pd_organization_get_bill_to_etag (after), ==, "e1");
  g_assert_cmpint (pd_organization_get_bill_to_state (after), ==, PD_BILL_TO_STATE_COMPLETE);
  g_assert_true (g_date_time_equal (pd_organization_get_bill_to_read_at (after),
                                    pd_organization_get_bill_to_read_at (before)));

  listed = pd_store_find_by_tenant (f->store, TENANT_B, NULL);
  g_assert_nonnull (listed);
  /* Listed, not read yet: no read was refused or failed, so it is not "not readable". */
  g_assert_cmpint (pd_organization_get_bill_to_state (listed), ==, PD_BILL_TO_STATE_NOT_READ);
  g_assert_true (pd_organization_get_bill_to_unreadable (listed));
  g_assert_false (pd_organization_get_bill_to_complete (listed));
  g_assert_null (pd_organization_get_bill_to_read_at (listed));
  g_assert_null (pd_organization_get_last_synced_at (listed));
  g_assert_cmpuint (count_filter (f->store, PD_FILTER_UNREADABLE), ==, 0);
  g_assert_cmpuint (count_filter (f->store, PD_FILTER_INCOMPLETE), ==, 0);
  /* Indexed for search once read (or once its read fails, or its run ends). */
  g_assert_cmpuint (store_test_search_count (f->store, "fabrikam"), ==, 0);
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 0);

  r = apply_one (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                   "Espoo", "x@fabrikam.com", "f1"));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_NEW);
  g_assert_cmpint (r.org_id, ==, pd_organization_get_id (listed));
  store_test_finish_run (f->store, run);
  read = pd_store_find_by_tenant (f->store, TENANT_B, NULL);
  g_assert_cmpint (pd_organization_get_bill_to_state (read), ==, PD_BILL_TO_STATE_COMPLETE);
  g_assert_nonnull (pd_organization_get_bill_to_read_at (read));
  g_assert_null (pd_organization_get_bill_to_read_error (read));
  g_assert_cmpuint (count_filter (f->store, PD_FILTER_UNREADABLE), ==, 0);
  never_read = pd_store_find_by_tenant (f->store, TENANT_C, NULL);
  g_assert_cmpint (pd_organization_get_bill_to_state (never_read), ==, PD_BILL_TO_STATE_NOT_READ);
  /* The end of the run indexes the one left unread. */
  g_assert_cmpuint (store_test_search_count (f->store, "northwind"), ==, 1);
  g_assert_cmpuint (store_test_count_history (f->store, r.org_id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, 0);
  g_assert_cmpuint (store_test_search_count (f->store, "espoo"), ==, 1);
  sr = store_test_get_run (f->store, run);
  g_assert_cmpuint (sr->n_new, ==, 1);
  g_assert_cmpuint (sr->n_updated, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = store_test_run_events (f->store, run);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==, PD_RUN_EVENT_NEW);
}

/* A failed read of a customer never read keeps it not readable, with the reason; of one read
 * before, keeps its last bill-to, its state and the time of that read, with the reason. The
 * next read clears the reason. Both are to be read again. */
static void
test_unreadable_reason (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) before = store_test_fixture_get (f);
  g_autoptr(PdOrganization) stale = NULL;
  g_autoptr(PdOrganization) never = NULL;
  g_autoptr(PdOrganization) fresh = NULL;
  g_autoptr(GHashTable) unread = NULL;

  apply_listing (f->store, 0, listed_org (TENANT_B, "Fabrikam", "fabrikam.com"), NULL);
  g_assert_true (pd_store_set_bill_to_unreadable (f->store, TENANT_B, "refused (403)", &error));
  g_assert_true (pd_store_set_bill_to_unreadable (f->store, TENANT_A, "timed out", &error));
  g_assert_true (pd_store_set_bill_to_unreadable (f->store, TENANT_C, "unknown", &error));
  g_assert_no_error (error);

  never = pd_store_find_by_tenant (f->store, TENANT_B, NULL);
  g_assert_cmpint (pd_organization_get_bill_to_state (never), ==, PD_BILL_TO_STATE_UNREADABLE);
  g_assert_cmpstr (pd_organization_get_bill_to_read_error (never), ==, "refused (403)");
  stale = store_test_fixture_get (f);
  g_assert_cmpint (pd_organization_get_bill_to_state (stale), ==, PD_BILL_TO_STATE_COMPLETE);
  g_assert_cmpstr (pd_organization_get_bill_to_read_error (stale), ==, "timed out");
  g_assert_cmpstr (store_test_effective (stale, PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_true (g_date_time_equal (pd_organization_get_bill_to_read_at (stale),
                                    pd_organization_get_bill_to_read_at (before)));
  g_assert_cmpuint (count_filter (f->store, PD_FILTER_UNREADABLE), ==, 1);
  g_assert_cmpuint (pd_store_count (f->store), ==, 2);
  g_assert_cmpuint (store_test_search_count (f->store, "fabrikam"), ==, 1);

  unread = pd_store_dup_unread_tenants (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (unread), ==, 2);
  g_assert_true (g_hash_table_contains (unread, TENANT_A));
  g_assert_true (g_hash_table_contains (unread, TENANT_B));

  store_test_apply (f->store, 0, store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin",
                                                    "a@contoso.com", "e1"), NULL);
  fresh = store_test_fixture_get (f);
  g_assert_null (pd_organization_get_bill_to_read_error (fresh));
  g_clear_pointer (&unread, g_hash_table_unref);
  unread = pd_store_dup_unread_tenants (f->store, &error);
  g_assert_cmpuint (g_hash_table_size (unread), ==, 1);
}

/* A re-sync writes of a row that holds what Partner Center sends only that it was seen: the
 * run does not mark it removed. Anything else makes it a change: a removed mark (lifted), a
 * reseller's new name alone (stored). */
static void
test_unchanged_row (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  PdOrganization *in;
  gint64 run;
  PdApplyResult r;

  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Berlin", "a@contoso.com", "e1"));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UNCHANGED);
  g_assert_cmpint (r.org_id, ==, f->id);
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (pd_store_mark_removed (f->store, run, TENANT_A, &error));
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);

  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Berlin", "a@contoso.com", "e1"));
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  org = store_test_fixture_get (f);
  g_assert_false (pd_organization_get_removed (org));
  g_clear_object (&org);

  in = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin", "a@contoso.com", "e1");
  pd_organization_set_reseller (in, "r-1", "Reseller One");
  r = apply_one (f->store, run, in);
  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  in = store_test_pc_org (TENANT_A, "Contoso", "contoso.com", "Berlin", "a@contoso.com", "e1");
  pd_organization_set_reseller (in, "r-1", "Reseller One Ltd");
  r = apply_one (f->store, run, in);
  store_test_finish_run (f->store, run);
  org = store_test_fixture_get (f);
  g_assert_cmpstr (pd_organization_get_reseller_name (org), ==, "Reseller One Ltd");
}

/* The fixture's last sync and bill-to read, in Unix seconds. */
static void
fixture_times (Fixture *f,
               gint64  *out_synced,
               gint64  *out_read)
{
  g_autoptr(PdOrganization) org = store_test_fixture_get (f);

  *out_synced = g_date_time_to_unix (pd_organization_get_last_synced_at (org));
  *out_read = g_date_time_to_unix (pd_organization_get_bill_to_read_at (org));
}

/* Whether run's checkpoint (the customers it saw) holds the fixture's customer. */
static gboolean
run_saw_fixture (Fixture *f,
                 gint64   run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = pd_store_get_checkpoint (f->store, run, &error);

  g_assert_no_error (error);
  return g_hash_table_contains (seen, TENANT_A);
}

/* A re-sync that finds a row unchanged records when it was synced and read and which run saw it
 * without rewriting the row (schema 9: synced_unchanged); whatever writes those afterwards
 * changes only what it writes: a read outside a run its read time, a mark its run, a change all
 * three. */
static void
test_unchanged_sync_state (Fixture       *f,
                           gconstpointer  data)
{
  const char *path = pd_store_get_path (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  gint64 run, synced, read;

  store_test_exec_raw (path, "UPDATE organizations SET last_synced_at = 1000, "
                             "bill_to_read_at = 1000, seen_run = NULL");
  run = store_test_begin_run (f->store, NULL);
  g_assert_cmpint (apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso",
                                                                "contoso.com", "Berlin",
                                                                "a@contoso.com", "e1")).outcome,
                   ==, PD_APPLY_UNCHANGED);
  fixture_times (f, &synced, &read);
  g_assert_cmpint (synced, >, 1000);
  g_assert_cmpint (read, ==, synced);
  g_assert_true (run_saw_fixture (f, run));
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run, &error), ==, 0);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);

  /* Read again outside a run (before a push): the read is new, the last sync stays. */
  store_test_exec_raw (path, "UPDATE synced_unchanged SET synced_at = 2000");
  org = store_test_fixture_get (f);
  g_assert_true (pd_store_set_read_bill_to (f->store, f->id,
                                            pd_organization_get_bill_to_partner_center (org),
                                            "e1", &error));
  g_assert_no_error (error);
  fixture_times (f, &synced, &read);
  g_assert_cmpint (synced, ==, 2000);
  g_assert_cmpint (read, >, 2000);
  g_assert_true (run_saw_fixture (f, run));

  /* Seen unchanged again, then marked seen by a later run: that run saw it, nothing else moves. */
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                      "Berlin", "a@contoso.com", "e1"), NULL);
  store_test_finish_run (f->store, run);
  store_test_exec_raw (path, "UPDATE synced_unchanged SET synced_at = 2000");
  run = store_test_begin_run (f->store, NULL);
  g_assert_true (pd_store_mark_seen (f->store, run, TENANT_A, &error));
  g_assert_no_error (error);
  g_assert_true (run_saw_fixture (f, run));
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run, &error), ==, 0);
  store_test_finish_run (f->store, run);
  fixture_times (f, &synced, &read);
  g_assert_cmpint (synced, ==, 2000);
  g_assert_cmpint (read, ==, 2000);

  /* A change: synced and read now, by its run. */
  run = store_test_begin_run (f->store, NULL);
  g_assert_cmpint (apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso",
                                                                "contoso.com", "Hamburg",
                                                                "a@contoso.com", "e2")).outcome,
                   ==, PD_APPLY_UPDATED);
  g_assert_true (run_saw_fixture (f, run));
  store_test_finish_run (f->store, run);
  fixture_times (f, &synced, &read);
  g_assert_cmpint (synced, >, 2000);
  g_assert_cmpint (read, ==, synced);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_test_fixture_set_up, func, store_test_fixture_tear_down)
  ADD ("/store-merge/new-and-unchanged", test_new_and_unchanged);
  ADD ("/store-merge/unchanged-row", test_unchanged_row);
  ADD ("/store-merge/unchanged-sync-state", test_unchanged_sync_state);
  ADD ("/store-merge/no-override", test_no_override);
  ADD ("/store-merge/override-kept", test_override_kept);
  ADD ("/store-merge/override-replaced", test_override_replaced);
  ADD ("/store-merge/override-without-etags", test_override_without_etags);
  ADD ("/store-merge/override-equal-to-new-value", test_override_equal_to_new_value);
  ADD ("/store-merge/override-taken-by-partner-center", test_override_taken_by_partner_center);
  ADD ("/store-merge/linked-manual-first-read", test_linked_manual_first_read);
  ADD ("/store-merge/batch-is-atomic", test_batch_is_atomic);
  ADD ("/store-merge/same-tenant-twice-in-batch", test_same_tenant_twice_in_batch);
  ADD ("/store-merge/same-known-tenant-far-apart", test_same_known_tenant_far_apart);
  ADD ("/store-merge/unchanged-beside-override", test_unchanged_beside_override);
  ADD ("/store-merge/digest-covers-every-value", test_digest_covers_every_value);
  ADD ("/store-merge/digest-dropped-by-other-writes", test_digest_dropped_by_other_writes);
  ADD ("/store-merge/mixed-batch-events-and-search", test_mixed_batch_events_and_search);
  ADD ("/store-merge/long-batch-of-new", test_long_batch_of_new);
  ADD ("/store-merge/disk-full-in-batch-of-new", test_disk_full_in_batch_of_new);
  ADD ("/store-merge/refused-in-batch-of-new", test_refused_in_batch_of_new);
  ADD ("/store-merge/listing-then-read", test_listing_then_read);
  ADD ("/store-merge/unreadable-reason", test_unreadable_reason);
  ADD ("/store-push/verbatim", test_push_verbatim);
  ADD ("/store-push/normalised", test_push_normalised);
  ADD ("/store-push/keeps-newer-edits", test_push_keeps_newer_edits);
  ADD ("/store-push/during-sync", test_push_during_sync);
  ADD ("/store-push/unknown-organization", test_push_unknown_organization);
  ADD ("/store-push/derived-columns", test_push_derived_columns);
  ADD ("/store-push/country", test_push_country);
  ADD ("/store-push/someone-elses-change", test_push_with_someone_elses_change);
  ADD ("/store-push/read-bill-to", test_read_bill_to);
#undef ADD
  return g_test_run ();
}
