/* test-store-merge.c — PdStore's side of a sync: the three-way bill-to merge of design.md §3,
 * removed customers, run events and counts, one run at a time, interrupted runs; and storing
 * the answer of a bill-to push, which the next sync must agree with. */
#include "config.h"

#include <sqlite3.h>

#include "pd-test-util.h"
#include "store-test-helpers.h"

#define TENANT_A "1c3a0d2e-0000-4000-8000-00000000000a"
#define TENANT_B "1c3a0d2e-0000-4000-8000-00000000000b"
#define TENANT_C "1c3a0d2e-0000-4000-8000-00000000000c"
#define TENANT_D "1c3a0d2e-0000-4000-8000-00000000000d"

typedef struct {
  char    *dir;
  PdStore *store;
  gint64   id;        /* TENANT_A, synced with etag e1, city Berlin */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;

  f->store = store_test_open_temp (&f->dir);
  store_test_apply (f->store, 0, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                    "Berlin", "a@contoso.com", "e1"), NULL);
  org = pd_store_find_by_tenant (f->store, TENANT_A, &error);
  g_assert_no_error (error);
  f->id = pd_organization_get_id (org);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));

  g_clear_object (&f->store);
  store_test_assert_integrity (path);
  pd_test_rm_rf (f->dir);
  g_free (f->dir);
}

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

static PdOrganization *
get (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_store_get (f->store, f->id, &error);

  g_assert_no_error (error);
  return org;
}

static const char *
effective (PdOrganization *org,
           PdBillToField   field)
{
  return pd_bill_to_get (pd_organization_get_bill_to (org), field);
}

static void
override_field (Fixture       *f,
                PdBillToField  field,
                const char    *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_bill_to_field (f->store, f->id, field, value, &error));
  g_assert_no_error (error);
}

static void
override_city (Fixture    *f,
               const char *city)
{
  override_field (f, PD_BILL_TO_CITY, city);
}

static GPtrArray *
events_of (PdStore *store,
           gint64   run)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = pd_store_get_run_events (store, run, &error);

  g_assert_no_error (error);
  return events;
}

static PdSyncRun *
get_run (PdStore *store,
         gint64   run)
{
  g_autoptr(GError) error = NULL;
  PdSyncRun *r = pd_store_get_sync_run (store, run, &error);

  g_assert_no_error (error);
  return r;
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

  events = events_of (f->store, run);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==, PD_RUN_EVENT_NEW);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (events, 0))->name, ==, "Fabrikam");
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 1))->kind, ==,
                   PD_RUN_EVENT_UPDATED);
  sr = get_run (f->store, run);
  g_assert_cmpint (sr->state, ==, PD_SYNC_STATE_COMPLETE);
  g_assert_cmpuint (sr->n_new, ==, 1);
  g_assert_cmpuint (sr->n_unchanged, ==, 1);
  g_assert_cmpuint (sr->n_updated, ==, 1);
  g_assert_nonnull (sr->finished_at);
  g_assert_cmpstr (sr->correlation_id, ==, "corr-1");
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "name", PD_CHANGE_BY_SYNC), ==, 1);
  org = get (f);
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
  g_autoptr(PdOrganization) org = get (f);

  g_assert_cmpint (r.outcome, ==, PD_APPLY_UPDATED);
  g_assert_false (r.override_kept);
  g_assert_false (r.override_replaced);
  g_assert_cmpstr (effective (org, PD_BILL_TO_CITY), ==, "Bonn");
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

  override_city (f, "Hamburg");
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

  org = get (f);
  g_assert_cmpstr (effective (org, PD_BILL_TO_CITY), ==, "Hamburg");
  g_assert_cmpstr (pd_organization_get_override_base_etag (org), ==, "e2");
  events = events_of (f->store, run);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==,
                   PD_RUN_EVENT_OVERRIDE_KEPT);
  sr = get_run (f->store, run);
  g_assert_cmpuint (sr->n_overrides_kept, ==, 2);
  g_assert_cmpuint (sr->n_overrides_replaced, ==, 0);
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

  override_city (f, "Hamburg");
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
  org = get (f);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (effective (org, PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_cmpstr (effective (org, PD_BILL_TO_PHONE_NUMBER), ==, "+4940111");

  events = events_of (f->store, run);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpint (e->kind, ==, PD_RUN_EVENT_OVERRIDE_REPLACED);
  g_assert_cmpstr (e->field, ==, "billTo.address.city");
  g_assert_cmpstr (e->old_value, ==, "Hamburg");
  g_assert_cmpstr (e->new_value, ==, "Berlin");
  g_assert_cmpstr (e->tenant_id, ==, TENANT_A);
  g_assert_cmpint (e->org_id, ==, f->id);
  sr = get_run (f->store, run);
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

  override_city (f, "Hamburg");
  run = store_test_begin_run (f->store, NULL);
  r = apply_one (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                   "Hamburg", "a@contoso.com", "e2"));
  store_test_finish_run (f->store, run);
  g_assert_false (r.override_replaced);
  g_assert_false (r.override_kept);
  g_assert_cmpuint (r.replaced_fields, ==, 0);
  org = get (f);
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (effective (org, PD_BILL_TO_CITY), ==, "Hamburg");
  events = events_of (f->store, run);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, i))->kind, !=,
                     PD_RUN_EVENT_OVERRIDE_REPLACED);
}

static gboolean
has_tenant (GHashTable *set,
            const char *tenant)
{
  return g_hash_table_contains (set, tenant);
}

/* A customer missing from a complete listing is marked removed, never deleted, and keeps its
 * local data; seeing it again clears the mark. */
static void
test_removed_kept (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  gint64 run, manual;
  guint n;

  manual = pd_store_create_manual (f->store, "Manual", NULL, NULL, NULL, &error);
  g_assert_true (pd_store_set_field (f->store, f->id, "erp-id", "E-1", &error));
  override_city (f, "Hamburg");
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com",
                                                      "Espoo", "x@fabrikam.com", "f1"), NULL);
  n = pd_store_mark_unseen_removed (f->store, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  store_test_finish_run (f->store, run);
  sr = get_run (f->store, run);
  g_assert_cmpuint (sr->n_removed, ==, 1);

  org = get (f);
  g_assert_true (pd_organization_get_removed (org));
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "E-1");
  g_assert_true (pd_organization_get_has_local_edits (org));
  g_clear_object (&org);
  org = pd_store_get (f->store, manual, &error);
  g_assert_false (pd_organization_get_removed (org));
  g_clear_object (&org);
  g_assert_cmpuint (pd_store_count (f->store), ==, 3);

  /* Back in Partner Center. */
  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_A, "Contoso", "contoso.com",
                                                      "Berlin", "a@contoso.com", "e1"), NULL);
  store_test_finish_run (f->store, run);
  org = get (f);
  g_assert_false (pd_organization_get_removed (org));
  g_assert_cmpstr (pd_organization_get_erp_id (org), ==, "E-1");
  g_clear_object (&org);

  /* Incremental: one tenant's relationship removed. */
  run = store_test_begin_run (f->store, NULL);
  g_assert_true (pd_store_mark_removed (f->store, run, TENANT_B, &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_mark_removed (f->store, run, TENANT_D, &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
  store_test_finish_run (f->store, run);
}

/* A customer a run listed but could not fetch: pd_store_mark_seen keeps its cached copy and
 * local edit exactly as they were, counts nothing and reports nothing, puts it in the run's
 * checkpoint and keeps a complete listing from taking it for removed. */
static void
test_mark_seen (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) before = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GHashTable) checkpoint = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdSyncRun) sr = NULL;
  PdRunEvent *event;
  gint64 run;
  guint n_history;

  store_test_apply (f->store, 0,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"),
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  override_city (f, "Hamburg");
  before = get (f);
  n_history = store_test_count_history (f->store, f->id, "billTo.address.city",
                                        PD_CHANGE_BY_SYNC);

  run = store_test_begin_run (f->store, NULL);
  store_test_apply (f->store, run, store_test_pc_org (TENANT_C, "Northwind", "northwind.com",
                                                      "Oslo", "y@northwind.com", "n1"), NULL);
  /* Tenant ids match case-insensitively, as everywhere. */
  g_assert_true (pd_store_mark_seen (f->store, run, "1C3A0D2E-0000-4000-8000-00000000000A",
                                     &error));
  g_assert_no_error (error);
  /* Unknown to the cache: nothing to keep. */
  g_assert_true (pd_store_mark_seen (f->store, run, TENANT_D, &error));
  g_assert_no_error (error);
  g_assert_false (pd_store_mark_seen (f->store, run, " ", &error));
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  checkpoint = pd_store_get_checkpoint (f->store, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 2);
  g_assert_true (has_tenant (checkpoint, TENANT_A));
  g_assert_true (has_tenant (checkpoint, TENANT_C));
  /* Only TENANT_B was neither stored nor marked seen. */
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run, &error), ==, 1);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run);

  sr = get_run (f->store, run);
  g_assert_cmpuint (sr->n_unchanged, ==, 1);
  g_assert_cmpuint (sr->n_removed, ==, 1);
  g_assert_cmpuint (sr->n_new + sr->n_updated + sr->n_failed, ==, 0);
  g_assert_cmpuint (sr->n_overrides_kept + sr->n_overrides_replaced, ==, 0);
  events = events_of (f->store, run);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->kind, ==, PD_RUN_EVENT_REMOVED);
  g_assert_cmpstr (event->tenant_id, ==, TENANT_B);

  after = get (f);
  g_assert_false (pd_organization_get_removed (after));
  g_assert_cmpstr (effective (after, PD_BILL_TO_CITY), ==, "Hamburg");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (after),
                                   PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_true (pd_organization_is_field_overridden (after, PD_BILL_TO_CITY));
  g_assert_cmpstr (pd_organization_get_override_base_etag (after), ==,
                   pd_organization_get_override_base_etag (before));
  g_assert_true (g_date_time_equal (pd_organization_get_last_synced_at (after),
                                    pd_organization_get_last_synced_at (before)));
  g_assert_cmpuint (store_test_count_history (f->store, f->id, "billTo.address.city",
                                              PD_CHANGE_BY_SYNC), ==, n_history);
}

static void
test_second_run_busy (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) other = pd_store_open (pd_store_get_path (f->store), &error);
  g_autoptr(PdSyncRun) running = NULL;
  gint64 run, refused;

  g_assert_no_error (error);
  g_assert_null (pd_store_get_running_sync (other));
  run = store_test_begin_run (f->store, NULL);

  refused = pd_store_begin_sync_run (other, PD_SYNC_KIND_INCREMENTAL, NULL, NULL, &error);
  g_assert_cmpint (refused, ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "since"));
  g_clear_error (&error);
  /* The same store cannot run two either. */
  g_assert_cmpint (pd_store_begin_sync_run (f->store, PD_SYNC_KIND_FULL, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY);
  g_clear_error (&error);

  running = pd_store_get_running_sync (other);
  g_assert_nonnull (running);
  g_assert_cmpint (running->id, ==, run);
  g_assert_cmpint (running->state, ==, PD_SYNC_STATE_RUNNING);
  g_clear_pointer (&running, pd_sync_run_free);

  store_test_finish_run (f->store, run);
  g_assert_null (pd_store_get_running_sync (other));
  run = store_test_begin_run (other, NULL);
  store_test_finish_run (other, run);
}

/* A run whose store (process) went away without finishing is found INTERRUPTED by the next
 * begin, which resumes from its checkpoint; mark_unseen_removed honours the whole chain. */
static void
test_interrupted_run_checkpoint (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pd_store_get_path (f->store));
  g_autoptr(PdStore) dying = pd_store_open (path, &error);
  g_autoptr(GHashTable) checkpoint = NULL;
  g_autoptr(PdSyncRun) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  gint64 run1, run2, resume = -1;

  run1 = store_test_begin_run (dying, &resume);
  g_assert_cmpint (resume, ==, 0);
  store_test_apply (dying, run1,
                    store_test_pc_org (TENANT_B, "Fabrikam", "fabrikam.com", "Espoo",
                                       "x@fabrikam.com", "f1"),
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "y@northwind.com", "n1"), NULL);
  g_clear_object (&dying);   /* the process dies: the lock goes, the row stays RUNNING */

  g_assert_null (pd_store_get_running_sync (f->store));
  run2 = store_test_begin_run (f->store, &resume);
  g_assert_cmpint (resume, ==, run1);
  first = get_run (f->store, run1);
  g_assert_cmpint (first->state, ==, PD_SYNC_STATE_INTERRUPTED);

  checkpoint = pd_store_get_checkpoint (f->store, run2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 2);
  g_assert_true (has_tenant (checkpoint, TENANT_B));
  g_assert_true (has_tenant (checkpoint, TENANT_C));
  g_clear_pointer (&checkpoint, g_hash_table_unref);

  store_test_apply (f->store, run2, store_test_pc_org (TENANT_D, "Tailspin", "tailspin.com",
                                                       "Rome", "z@tailspin.com", "t1"), NULL);
  checkpoint = pd_store_get_checkpoint (f->store, run2, &error);
  g_assert_cmpuint (g_hash_table_size (checkpoint), ==, 3);
  /* TENANT_A was never listed by run1 or run2: only it is removed. */
  g_assert_cmpuint (pd_store_mark_unseen_removed (f->store, run2, &error), ==, 1);
  g_assert_no_error (error);
  store_test_finish_run (f->store, run2);
  last = pd_store_get_last_complete_sync (f->store);
  g_assert_nonnull (last);
}

static void
test_failed_event_and_runs_list (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  PdRunEvent failed = { .kind = PD_RUN_EVENT_FAILED, .tenant_id = (char *) TENANT_D,
                        .error = (char *) "HTTP 500" };
  gint64 run = store_test_begin_run (f->store, NULL);
  g_autoptr(PdSyncRun) sr = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) failures = NULL;

  store_test_apply (f->store, run,
                    store_test_pc_org (TENANT_C, "Northwind", "northwind.com", "Oslo",
                                       "n@northwind.com", "n1"), NULL);
  g_assert_true (pd_store_add_run_event (f->store, run, &failed, &error));
  g_assert_no_error (error);
  /* The failures alone: the NEW event before it is not read. */
  failures = pd_store_get_run_failures (f->store, run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (failures, 0))->tenant_id, ==, TENANT_D);
  g_assert_true (pd_store_finish_sync_run (f->store, run, PD_SYNC_STATE_FAILED, "network down",
                                           &error));
  sr = get_run (f->store, run);
  g_assert_cmpuint (sr->n_failed, ==, 1);
  g_assert_cmpint (sr->state, ==, PD_SYNC_STATE_FAILED);
  g_assert_cmpstr (sr->error, ==, "network down");
  events = events_of (f->store, run);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((PdRunEvent *) g_ptr_array_index (events, 0))->kind, ==, PD_RUN_EVENT_NEW);
  g_assert_cmpstr (((PdRunEvent *) g_ptr_array_index (events, 1))->error, ==, "HTTP 500");
  g_assert_null (pd_store_get_last_complete_sync (f->store));
  run = store_test_begin_run (f->store, NULL);
  store_test_finish_run (f->store, run);
  runs = pd_store_list_sync_runs (f->store, 0, &error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpint (((PdSyncRun *) g_ptr_array_index (runs, 0))->id, ==, run);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = pd_store_list_sync_runs (f->store, 1, &error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (pd_sync_state_to_string (PD_SYNC_STATE_INTERRUPTED), ==, "interrupted");
  g_assert_cmpstr (pd_sync_kind_to_string (PD_SYNC_KIND_INCREMENTAL), ==, "incremental");
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
  g_assert_cmpstr (effective (org, PD_BILL_TO_CITY), ==, "Vantaa");
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

  events = events_of (f->store, run);
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

/* ---- storing the answer of a bill-to push (pd_store_set_pushed_bill_to) ---- */

/* What the push sends: the effective bill-to as it is now (the app copies it when it sends). */
static PdBillTo *
sent_now (Fixture *f)
{
  g_autoptr(PdOrganization) org = get (f);

  return pd_bill_to_copy (pd_organization_get_bill_to (org));
}

/* The cached Partner Center bill-to with field set to value: what Partner Center answers. */
static PdBillTo *
answer_with (Fixture       *f,
             PdBillToField  field,
             const char    *value)
{
  g_autoptr(PdOrganization) org = get (f);
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
  g_assert_cmpstr (effective (org, field), ==, value);
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

  override_city (f, typed);
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, stored);
  n_before = n_new_rows (f, 0);
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_CITY);

  org = get (f);
  g_assert_false (pd_organization_is_field_overridden (org, PD_BILL_TO_CITY));
  g_assert_false (pd_organization_get_has_local_edits (org));
  g_assert_cmpstr (effective (org, PD_BILL_TO_CITY), ==, stored);
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

  override_city (f, "Hamburg");
  override_field (f, PD_BILL_TO_POSTAL_CODE, "20095");
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  override_city (f, "Hamburg-Altona");
  store_push (f, answer, "e2", sent, 1u << PD_BILL_TO_CITY);

  org = get (f);
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
  org = get (f);
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

  override_city (f, "Hamburg");
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
  org = get (f);
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

  override_city (f, "muenchen");
  override_field (f, PD_BILL_TO_POSTAL_CODE, "80 331");
  org = get (f);
  g_assert_cmpstr (pd_organization_get_missing_fields (org)[0], ==, "address.postalCode");
  g_assert_cmpuint (store_test_search_count (f->store, "muenchen"), ==, 1);
  sent = sent_now (f);
  answer = answer_with (f, PD_BILL_TO_CITY, "München");
  pd_bill_to_set (answer, PD_BILL_TO_POSTAL_CODE, "80331");
  store_push (f, answer, "e2", sent, (1u << PD_BILL_TO_CITY) | (1u << PD_BILL_TO_POSTAL_CODE));

  g_clear_object (&org);
  org = get (f);
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
  override_field (f, PD_BILL_TO_COUNTRY, "AT");
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

  override_city (f, "Hamburg");
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

  override_city (f, "Hamburg");
  override_field (f, PD_BILL_TO_POSTAL_CODE, "20095");
  read = answer_with (f, PD_BILL_TO_CITY, "Hamburg");
  n_before = n_new_rows (f, 0);
  g_assert_true (pd_store_set_read_bill_to (f->store, f->id, read, "e2", &error));
  g_assert_no_error (error);

  org = get (f);
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

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store-merge/new-and-unchanged", test_new_and_unchanged);
  ADD ("/store-merge/no-override", test_no_override);
  ADD ("/store-merge/override-kept", test_override_kept);
  ADD ("/store-merge/override-replaced", test_override_replaced);
  ADD ("/store-merge/override-equal-to-new-value", test_override_equal_to_new_value);
  ADD ("/store-merge/removed-kept", test_removed_kept);
  ADD ("/store-merge/batch-is-atomic", test_batch_is_atomic);
  ADD ("/store-merge/same-tenant-twice-in-batch", test_same_tenant_twice_in_batch);
  ADD ("/store-merge/mixed-batch-events-and-search", test_mixed_batch_events_and_search);
  ADD ("/store-push/verbatim", test_push_verbatim);
  ADD ("/store-push/normalised", test_push_normalised);
  ADD ("/store-push/keeps-newer-edits", test_push_keeps_newer_edits);
  ADD ("/store-push/unknown-organization", test_push_unknown_organization);
  ADD ("/store-push/derived-columns", test_push_derived_columns);
  ADD ("/store-push/country", test_push_country);
  ADD ("/store-push/someone-elses-change", test_push_with_someone_elses_change);
  ADD ("/store-push/read-bill-to", test_read_bill_to);
  ADD ("/store-sync/second-run-busy", test_second_run_busy);
  ADD ("/store-sync/interrupted-run-checkpoint", test_interrupted_run_checkpoint);
  ADD ("/store-sync/mark-seen", test_mark_seen);
  ADD ("/store-sync/failed-event-and-runs", test_failed_event_and_runs_list);
#undef ADD
  return g_test_run ();
}
