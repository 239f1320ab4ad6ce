/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-merge.c — applying Partner Center data to the store: the three-way merge of a sync
 * batch (pd_store_apply_partner_center) and what a listing page stores (pd_store_apply_listing).
 * What a failed read leaves: pd-store-listed.c; what Partner Center answers outside a sync:
 * pd-store-push.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-store-private.h"

/* Consecutive row ids first … last; first = 0 when empty. */
typedef struct {
  gint64 first, last;
} IdRange;

typedef struct {
  PdStore    *self;
  gint64      run_id;
  gint64      now;
  RunCounts   counts;
  /* The batch's tenants (held once: its tables compare them as pointers) and what the
   * cache has of them. */
  PdStoreBatchKnown *known;
  /* New rows whose full-text rows are still to be written, by one INSERT … SELECT at the end
   * of the batch or when the ids stop being consecutive (flush_new_fts). */
  IdRange     fts_rows;
  /* New rows whose NEW events are still to be written, by one INSERT … SELECT: before any
   * other event of the run, so the report keeps the order of the batch (flush_new_events). */
  IdRange     event_rows;
  /* Rows found unchanged whose sync is still to be written to synced_unchanged, by one
   * statement (flush_unchanged). */
  IdRange     unchanged_rows;
  /* New customers of the batch not stored yet (PendingNew, queue_new), and the results they
   * will give their ids to (NULL when the caller wants none). */
  GArray     *pending;
  GArray     *results;
} Apply;

typedef struct {
  const char     *tenant;
  PdOrganization *in;
  guint           result;   /* index in Apply.results; G_MAXUINT: none */
} PendingNew;

typedef gboolean (*RangeFlush) (Apply *a, GError **error);

/* Adds id to range when it follows it; otherwise flushes range (when flush is not NULL) and
 * starts it again at id. FALSE only when flush failed. */
static gboolean
range_add (Apply       *a,
           IdRange     *range,
           gint64       id,
           RangeFlush   flush,
           GError     **error)
{
  if (range->first != 0 && id == range->last + 1)
    {
      range->last = id;
      return TRUE;
    }
  if (flush != NULL && !flush (a, error))
    return FALSE;
  range->first = range->last = id;
  return TRUE;
}

/* Binds the range's ids to the parameters index and index + 1, steps stmt, empties range. */
static gboolean
step_range (PdStore       *self,
            sqlite3_stmt  *stmt,
            int            index,
            IdRange       *range,
            GError       **error)
{
  sqlite3_bind_int64 (stmt, index, range->first);
  sqlite3_bind_int64 (stmt, index + 1, range->last);
  range->first = range->last = 0;
  return _pd_store_step_done (self, stmt, error);
}

/* Writes the NEW events of the rows event_rows from what was just stored. */
static gboolean
flush_new_events (Apply   *a,
                  GError **error)
{
  sqlite3_stmt *stmt;

  if (a->event_rows.first == 0)
    return TRUE;
  stmt = _pd_store_prepare (a->self,
                            "INSERT INTO sync_run_events (run_id, kind, org_id, tenant_id, name) "
                            "SELECT ?, ?, id, tenant_id, name FROM organizations "
                            "WHERE id BETWEEN ? AND ? ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a->run_id);
  sqlite3_bind_int (stmt, 2, PD_RUN_EVENT_NEW);
  return step_range (a->self, stmt, 3, &a->event_rows, error);
}

/* The NEW event of the row id just stored: queued when the stored row says all it says (its
 * name is stored as given) and it follows the queued ones; written at once otherwise. */
static gboolean
new_event (Apply           *a,
           gint64           id,
           const char      *tenant,
           PdOrganization  *in,
           GError         **error)
{
  PdRunEvent event = { PD_RUN_EVENT_NEW, id, (char *) tenant,
                       (char *) pd_organization_get_name (in), NULL, NULL, NULL, NULL };

  if (a->run_id <= 0)
    return TRUE;
  if (event.name == NULL)
    return flush_new_events (a, error)
           && _pd_store_insert_event (a->self, a->run_id, &event, error);
  return range_add (a, &a->event_rows, id, flush_new_events, error);
}

/* Any other event of a batch: after the NEW events queued before it. */
static gboolean
apply_event (Apply           *a,
             PdRunEventKind   kind,
             PdOrganization  *org,
             const char      *field,
             const char      *old_value,
             const char      *new_value,
             GError         **error)
{
  return flush_new_events (a, error) &&
         _pd_store_org_event (a->self, a->run_id, kind, org, field, old_value, new_value, error);
}

/* The full-text entries of the new rows fts_rows, from their search_text, in one statement. */
static gboolean
flush_new_fts (Apply   *a,
               GError **error)
{
  sqlite3_stmt *stmt;

  if (a->fts_rows.first == 0)
    return TRUE;
  if (a->self->fts_deferred)
    {
      a->fts_rows.first = a->fts_rows.last = 0;
      return TRUE;
    }
  stmt = _pd_store_prepare (a->self, "INSERT INTO org_search (rowid, search_text) "
                                     "SELECT id, search_text FROM organizations "
                                     "WHERE id BETWEEN ? AND ? ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  return step_range (a->self, stmt, 1, &a->fts_rows, error);
}

/* Before a write that reads the indexed search text of row id: a new row of this batch must
 * be in the index first. */
static gboolean
flush_new_fts_of (Apply   *a,
                  gint64   id,
                  GError **error)
{
  if (a->fts_rows.first == 0 || id < a->fts_rows.first || id > a->fts_rows.last)
    return TRUE;
  return flush_new_fts (a, error);
}

/* The columns of a new row and its parameters: tenant_id, then the values apply_new binds
 * (bind_new_row). */
#define NEW_ROW_COLUMNS \
  "tenant_id, source, name, domain, country, relationship, delegated_access, reseller_id, " \
  "reseller_name, created_at, last_synced_at, seen_run, missing_mask, name_key, domain_key, " \
  "eff_country, search_text, pc_etag, " PC_BILL_TO_COLUMNS ", bill_to_read_at, pc_digest"
#define NEW_ROW_PARAMS (19 + PD_BILL_TO_N_FIELDS)

/* New rows stored by one multi-row INSERT: one statement (cursors on the table and each of its
 * indexes opened once) instead of one per customer, which was a third of a first sync's
 * insert cost. It is an INSERT OR FAIL: a failing row then ends the statement without undoing
 * the rows before it, so SQLite keeps no statement journal; with one (a plain INSERT), each
 * statement copied the ~50 tenant_id index pages it touched, spilled them to a temporary
 * file past 64 KiB, and a first sync spent a quarter of its time writing those (100,000
 * customers: 3.6 → 2.7 s of CPU; a million: 51 → 41 s). Nothing is lost by it: a batch that
 * fails is rolled back whole (_pd_store_end_batch). After a full disk, an I/O error or no
 * memory, SQLite has rolled the transaction back itself: nothing may write after such an error
 * but through a new transaction. */
#define NEW_CHUNK 50

/* The VALUES of a new row from base on (its parameters base + 1 … base + NEW_ROW_PARAMS). */
static void
bind_new_row (Apply           *a,
              sqlite3_stmt    *stmt,
              int              base,
              const char      *tenant,
              PdOrganization  *in,
              const Derived   *d)
{
  _pd_store_bind_static (stmt, base + 1, tenant);
  _pd_store_bind_pc_columns (stmt, base + 2, in);
  sqlite3_bind_int64 (stmt, base + 9, a->now);
  sqlite3_bind_int64 (stmt, base + 10, a->now);
  if (a->run_id > 0)
    sqlite3_bind_int64 (stmt, base + 11, a->run_id);
  _pd_store_bind_derived (stmt, base + 12, d);
  _pd_store_bind_pc_bill_to (stmt, base + 17, in);
  sqlite3_bind_int64 (stmt, base + NEW_ROW_PARAMS - 1, a->now);
  sqlite3_bind_int64 (stmt, base + NEW_ROW_PARAMS, _pd_store_pc_digest (in));
}

/* INSERT OR FAIL … VALUES with n rows (see NEW_CHUNK). */
static char *
build_new_rows_sql (guint n)
{
  GString *sql = g_string_new ("INSERT OR FAIL INTO organizations (" NEW_ROW_COLUMNS ") VALUES ");

  for (guint i = 0; i < n; i++)
    {
      g_string_append (sql, i > 0 ? ", (?, 0, " : "(?, 0, ");
      _pd_store_append_params (sql, NEW_ROW_PARAMS - 1);
      g_string_append_c (sql, ')');
    }
  return g_string_free (sql, FALSE);
}

/* The INSERT of one new row, or of NEW_CHUNK (chunk), written once for the process: writing
 * the ~6 KB of the second for every chunk cost a first sync 4 % of its instructions. */
static const char *
new_rows_sql (gboolean chunk)
{
  static const char *one, *many;
  const char **sql = chunk ? &many : &one;

  if (g_once_init_enter (sql))
    g_once_init_leave (sql, build_new_rows_sql (chunk ? NEW_CHUNK : 1));
  return *sql;
}

/* Stores the n new customers ins (with tenants) in one statement; *out_first receives the id
 * of the first: the others follow it (a rowid table gives each inserted row the largest id
 * plus one). */
static gboolean
insert_new_rows (Apply            *a,
                 const char      **tenants,
                 PdOrganization  **ins,
                 guint             n,
                 gint64           *out_first,
                 GError          **error)
{
  g_autofree Derived *d = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (n == 1 || n == NEW_CHUNK, FALSE);
  /* Held for the process: found by its address. */
  stmt = _pd_store_prepare (a->self, new_rows_sql (n == NEW_CHUNK), error);
  if (stmt == NULL)
    return FALSE;
  d = g_new0 (Derived, n);
  for (guint i = 0; i < n; i++)
    {
      _pd_store_derived_compute (a->self, ins[i], &d[i]);
      bind_new_row (a, stmt, (int) (i * NEW_ROW_PARAMS), tenants[i], ins[i], &d[i]);
    }
  ok = _pd_store_step_done (a->self, stmt, error);
  *out_first = _pd_store_last_insert_id (a->self) - (gint64) n + 1;
  for (guint i = 0; i < n; i++)
    {
      _pd_store_keys_stale (a->self, d[i].name_key, d[i].domain_key);
      _pd_store_derived_clear (&d[i]);
    }
  return ok;
}

/* After new row id was stored: its full-text entry and its NEW event are queued. */
static gboolean
new_row_stored (Apply           *a,
                gint64           id,
                const char      *tenant,
                PdOrganization  *in,
                GError         **error)
{
  a->counts.n_new++;
  /* The history records changes; that a sync brought the customer is the run's NEW event. */
  return range_add (a, &a->fts_rows, id, flush_new_fts, error) &&
         new_event (a, id, tenant, in, error);
}

/* Stores the new customers queued by queue_new, in order, NEW_CHUNK at a time, and gives
 * their results their ids. */
static gboolean
flush_pending_new (Apply   *a,
                   GError **error)
{
  guint done = 0;
  gboolean ok = TRUE;

  if (a->pending == NULL)
    return TRUE;
  while (ok && done < a->pending->len)
    {
      PendingNew *p = &g_array_index (a->pending, PendingNew, done);
      guint n = a->pending->len - done >= NEW_CHUNK ? NEW_CHUNK : 1;
      const char *tenants[NEW_CHUNK];
      PdOrganization *ins[NEW_CHUNK];
      gint64 first = 0;

      for (guint i = 0; i < n; i++)
        {
          tenants[i] = p[i].tenant;
          ins[i] = p[i].in;
        }
      ok = insert_new_rows (a, tenants, ins, n, &first, error);
      for (guint i = 0; ok && i < n; i++)
        {
          if (p[i].result != G_MAXUINT)
            g_array_index (a->results, PdApplyResult, p[i].result).org_id = first + i;
          ok = new_row_stored (a, first + i, p[i].tenant, p[i].in, error);
        }
      done += n;
    }
  g_array_set_size (a->pending, 0);
  return ok;
}

/* A customer the cache does not have: stored with the next ones (flush_pending_new). Its result
 * is the results entry the caller appends next. */
static gboolean
queue_new (Apply           *a,
           const char      *tenant,
           PdOrganization  *in,
           PdApplyResult   *result,
           GError         **error)
{
  PendingNew p = { tenant, in, a->results != NULL ? a->results->len : G_MAXUINT };

  /* Flushed before this one is queued: the results of the queued ones are appended. */
  if (a->pending->len >= NEW_CHUNK && !flush_pending_new (a, error))
    return FALSE;
  result->outcome = PD_APPLY_NEW;
  g_array_append_val (a->pending, p);
  return TRUE;
}

static gboolean
apply_new (Apply           *a,
           const char      *tenant,
           PdOrganization  *in,
           PdApplyResult   *result,
           GError         **error)
{
  gint64 id = 0;

  if (!insert_new_rows (a, &tenant, &in, 1, &id, error))
    return FALSE;
  result->outcome = PD_APPLY_NEW;
  result->org_id = id;
  return new_row_stored (a, id, tenant, in, error);
}

/* Partner Center changed the bill-to under a local override: Partner Center wins. Each
 * overridden field whose local value differs from the new Partner Center value is reported;
 * one that now equals it was not lost and goes quietly. */
static gboolean
replace_override (Apply           *a,
                  PdOrganization  *existing,
                  const PdBillTo  *override,
                  const PdBillTo  *new_pc,
                  PdApplyResult   *result,
                  GError         **error)
{
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      g_autofree char *what = NULL;

      if (override->values[f] == NULL
          || _pd_store_same_value (override->values[f], new_pc->values[f]))
        continue;
      what = _pd_store_bill_to_what ((PdBillToField) f);
      if (!apply_event (a, PD_RUN_EVENT_OVERRIDE_REPLACED, existing, what,
                        override->values[f], new_pc->values[f], error))
        return FALSE;
      result->replaced_fields |= 1u << f;
    }
  result->override_replaced = result->replaced_fields != 0;
  if (result->override_replaced)
    a->counts.n_replaced++;
  return _pd_store_delete_override_fields (a->self, pd_organization_get_id (existing), -1, error);
}

/* The override survives: fields now equal to Partner Center are dropped, and the rest is
 * rebased on the incoming etag (the Partner Center content it was compared with is the same).
 * *out_override is what is left, or NULL. */
static gboolean
keep_override (Apply           *a,
               PdOrganization  *existing,
               const PdBillTo  *override,
               const PdBillTo  *new_pc,
               const char      *new_etag,
               PdBillTo       **out_override,
               PdApplyResult   *result,
               GError         **error)
{
  g_autoptr(PdBillTo) left = pd_bill_to_copy (override);

  if (!_pd_store_settle_override (a->self, pd_organization_get_id (existing), left,
                                  _pd_store_overrides_equal_to (override, new_pc), new_etag, error))
    return FALSE;
  if (pd_bill_to_is_empty (left))
    return TRUE;
  if (!apply_event (a, PD_RUN_EVENT_OVERRIDE_KEPT, existing, NULL, NULL, NULL, error))
    return FALSE;
  result->override_kept = TRUE;
  a->counts.n_kept++;
  *out_override = g_steal_pointer (&left);
  return TRUE;
}

/* Whether two etags name the same version of a bill-to. Without an etag (Partner Center sent
 * none) nothing is known, and the content decides alone. */
static gboolean
same_etag (const char *a,
           const char *b)
{
  return a != NULL && b != NULL && g_str_equal (a, b);
}

/* The three-way merge of design.md §3 for the bill-to override; updates existing in memory.
 * On a first read (first_read: of a listed customer, or of a manual organization linked to its
 * tenant) the local edit was made before the bill-to was ever read, so it was based on nothing
 * Partner Center held: there is no conflict to lose it to. It stays,
 * rebased on the first etag read (fields equal to Partner Center's end quietly). */
static gboolean
merge_override (Apply           *a,
                PdOrganization  *existing,
                PdOrganization  *in,
                gboolean         first_read,
                PdApplyResult   *result,
                GError         **error)
{
  const PdBillTo *override = pd_organization_get_bill_to_override (existing);
  const PdBillTo *old_pc = pd_organization_get_bill_to_partner_center (existing);
  const PdBillTo *new_pc = pd_organization_get_bill_to_partner_center (in);
  const char *new_etag = pd_organization_get_bill_to_etag (in);
  g_autoptr(PdBillTo) left = NULL;
  gboolean ok;

  if (override == NULL)
    return TRUE;
  if (!first_read && !same_etag (pd_organization_get_override_base_etag (existing), new_etag) &&
      !pd_bill_to_equal (old_pc, new_pc))
    ok = replace_override (a, existing, override, new_pc, result, error);
  else
    ok = keep_override (a, existing, override, new_pc, new_etag, &left, result, error);
  if (ok)
    pd_organization_set_bill_to_override (existing, left, left != NULL ? new_etag : NULL);
  return ok;
}

/* History rows (by sync) for each Partner Center owned value that changed; *out_changed is set
 * when any did. before is a snapshot of existing taken before the merge. */
static gboolean
record_changes (Apply           *a,
                PdOrganization  *before,
                PdOrganization  *after,
                gboolean        *out_changed,
                GError         **error)
{
  struct { const char *what, *old_value, *new_value; } scalars[] = {
    { "name", pd_organization_get_name (before), pd_organization_get_name (after) },
    { "domain", pd_organization_get_domain (before), pd_organization_get_domain (after) },
    { "relationship", pd_organization_get_relationship (before),
      pd_organization_get_relationship (after) },
    { "delegatedAccess", pd_organization_get_delegated_access (before) ? "true" : "false",
      pd_organization_get_delegated_access (after) ? "true" : "false" },
    { "resellerId", pd_organization_get_reseller_id (before),
      pd_organization_get_reseller_id (after) },
    { "removedFromPartnerCenter", pd_organization_get_removed (before) ? "true" : "false",
      "false" },
  };
  const PdBillTo *old_eff = pd_organization_get_bill_to (before);
  const PdBillTo *new_eff = pd_organization_get_bill_to (after);
  gint64 id = pd_organization_get_id (before);

  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    {
      if (_pd_store_same_value (scalars[i].old_value, scalars[i].new_value))
        continue;
      *out_changed = TRUE;
      if (!_pd_store_add_history (a->self, id, scalars[i].what, scalars[i].old_value,
                                  scalars[i].new_value, PD_CHANGE_BY_SYNC, a->run_id, error))
        return FALSE;
    }
  return _pd_store_add_bill_to_history (a->self, id, old_eff, new_eff, G_MAXUINT32,
                                        PD_CHANGE_BY_SYNC, a->run_id, out_changed, error);
}

#define UPDATE_ORG_ROW_SQL \
  "UPDATE organizations SET source = 0, removed = 0, name = ?, domain = ?, country = ?, " \
  "relationship = ?, delegated_access = ?, reseller_id = ?, reseller_name = ?, " \
  "last_synced_at = ?, seen_run = ?, bill_to_state = 0, bill_to_error = NULL, " \
  "bill_to_read_at = ?, pc_digest = ? "
#define ORG_ROW_PARAMS 11

/* Binds the parameters 1 … ORG_ROW_PARAMS of UPDATE_ORG_ROW_SQL from in, synced now. The
 * digest covers the bill-to too: the statement writes it, or the row holds the same already. */
static void
bind_org_row (Apply          *a,
              sqlite3_stmt   *stmt,
              PdOrganization *in)
{
  _pd_store_bind_pc_columns (stmt, 1, in);
  sqlite3_bind_int64 (stmt, 8, a->now);
  if (a->run_id > 0)
    sqlite3_bind_int64 (stmt, 9, a->run_id);
  sqlite3_bind_int64 (stmt, 10, a->now);
  sqlite3_bind_int64 (stmt, 11, _pd_store_pc_digest (in));
}

/* Writes the Partner Center owned columns of row id from in; the bill-to ones only when
 * pc_changed (re-writing 17 unchanged values costs an unchanged re-sync a third more). */
static gboolean
update_org_row (Apply           *a,
                PdOrganization  *in,
                gint64           id,
                gboolean         pc_changed,
                GError         **error)
{
  sqlite3_stmt *stmt =
    _pd_store_prepare (a->self, pc_changed
                       ? UPDATE_ORG_ROW_SQL ", " PC_BILL_TO_SET " WHERE id = ?"
                       : UPDATE_ORG_ROW_SQL "WHERE id = ?", error);
  int index = ORG_ROW_PARAMS + 1;

  if (stmt == NULL || !_pd_store_drop_synced (a->self, id, error))
    return FALSE;
  bind_org_row (a, stmt, in);
  if (pc_changed)
    {
      _pd_store_bind_pc_bill_to (stmt, index, in);
      index += 1 + PD_BILL_TO_N_FIELDS;
    }
  sqlite3_bind_int64 (stmt, index, id);
  return _pd_store_step_done (a->self, stmt, error);
}

/* Copies the Partner Center owned values of in onto org (in memory). */
static void
take_pc_values (PdOrganization *org,
                PdOrganization *in)
{
  pd_organization_set_name (org, pd_organization_get_name (in));
  pd_organization_set_domain (org, pd_organization_get_domain (in));
  pd_organization_set_relationship (org, pd_organization_get_relationship (in));
  pd_organization_set_delegated_access (org, pd_organization_get_delegated_access (in));
  pd_organization_set_reseller (org, pd_organization_get_reseller_id (in),
                                pd_organization_get_reseller_name (in));
  pd_organization_set_bill_to_partner_center (org, pd_organization_get_bill_to_partner_center (in),
                                              pd_organization_get_bill_to_etag (in));
  pd_organization_set_removed (org, FALSE);
}

static gboolean
apply_existing (Apply           *a,
                PdOrganization  *existing,
                PdOrganization  *in,
                PdApplyResult   *result,
                GError         **error)
{
  g_autoptr(PdOrganization) before = pd_organization_copy (existing);
  gint64 id = pd_organization_get_id (existing);
  /* A manual organization linked to its tenant: the bill-to typed on it was based on nothing
   * Partner Center held, as the local edit of a customer read for the first time. */
  gboolean manual = pd_organization_get_source (existing) != PD_ORG_SOURCE_PARTNER_CENTER;
  gboolean changed = manual;
  gboolean pc_changed =
    !pd_bill_to_equal (pd_organization_get_bill_to_partner_center (existing),
                       pd_organization_get_bill_to_partner_center (in)) ||
    g_strcmp0 (pd_organization_get_bill_to_etag (existing),
               pd_organization_get_bill_to_etag (in)) != 0;

  result->org_id = id;
  if (!merge_override (a, existing, in, manual, result, error))
    return FALSE;
  take_pc_values (existing, in);
  if (!record_changes (a, before, existing, &changed, error) ||
      !update_org_row (a, in, id, pc_changed, error))
    return FALSE;
  result->outcome = changed ? PD_APPLY_UPDATED : PD_APPLY_UNCHANGED;
  if (!changed)
    {
      a->counts.n_unchanged++;
      /* The bill-to shown can stay the same while Partner Center's changes: it took the
       * value a local edit had filled in. What Partner Center lacks is judged on its own. */
      return !pc_changed || _pd_store_write_derived (a->self, existing, error);
    }
  a->counts.n_updated++;
  return flush_new_fts_of (a, id, error) &&
         _pd_store_write_derived (a->self, existing, error) &&
         apply_event (a, PD_RUN_EVENT_UPDATED, existing, NULL, NULL, NULL, error);
}

/* The first read of a customer stored from the listing alone (pd_store_apply_listing): for
 * the run and the history it is new, as if stored only now; nothing it had was changed. */
static gboolean
apply_first_read (Apply           *a,
                  PdOrganization  *existing,
                  PdOrganization  *in,
                  const char      *tenant,
                  PdApplyResult   *result,
                  GError         **error)
{
  g_autoptr(GDateTime) now = _pd_store_date_time_from_seconds (a->now);
  gint64 id = pd_organization_get_id (existing);

  result->org_id = id;
  result->outcome = PD_APPLY_NEW;
  if (!merge_override (a, existing, in, TRUE, result, error))
    return FALSE;
  take_pc_values (existing, in);
  pd_organization_set_bill_to_read (existing, FALSE, now, NULL);
  a->counts.n_new++;
  return update_org_row (a, in, id, TRUE, error) &&
         flush_new_fts_of (a, id, error) &&
         _pd_store_write_derived (a->self, existing, error) &&
         new_event (a, id, tenant, in, error);
}

/* The row of a customer stored from the listing alone that nothing local touched yet (no
 * local field, no bill-to edit): its first read is then one UPDATE of the whole row, without
 * reading it back as an organization (a first sync reads 100,000 of them). 0 when there is
 * none; old receives its indexed keys and search text. */
static gint64
find_plain_unread (Apply       *a,
                   const char  *tenant,
                   Derived     *old,
                   GError     **error)
{
  sqlite3_stmt *stmt =
    _pd_store_prepare (a->self,
                       "SELECT id, name_key, domain_key, search_text FROM organizations o "
                       "WHERE tenant_id = ? AND source = 0 AND bill_to_state != 0 "
                       "AND NOT EXISTS (SELECT 1 FROM local_fields l WHERE l.org_id = o.id) "
                       "AND NOT EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)",
                       error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  _pd_store_bind_static (stmt, 1, tenant);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      _pd_store_column_keys (stmt, 1, old);
    }
  return _pd_store_row_done (a->self, stmt, rc, error) ? id : -1;
}

/* Marks the duplicate groups and the search row of row id stale where d differs from old. A
 * row not in the full-text index yet is left to the caller (fts_rows). */
static void
derived_changed (Apply         *a,
                 gint64         id,
                 const Derived *old,
                 const Derived *d)
{
  _pd_store_keys_changed (a->self, old, d);
  if (old->search_text != NULL && g_strcmp0 (old->search_text, d->search_text) != 0)
    _pd_store_fts_queue (a->self, id, old->search_text);
}

/* apply_first_read of a row find_plain_unread found: one UPDATE. */
static gboolean
fill_plain_unread (Apply           *a,
                   gint64           id,
                   const char      *tenant,
                   PdOrganization  *in,
                   const Derived   *old,
                   PdApplyResult   *result,
                   GError         **error)
{
  sqlite3_stmt *stmt =
    _pd_store_prepare (a->self, UPDATE_ORG_ROW_SQL ", missing_mask = ?, name_key = ?, "
                                "domain_key = ?, eff_country = ?, search_text = ?, "
                                PC_BILL_TO_SET " WHERE id = ?", error);
  Derived d = { 0 };
  gboolean ok;

  if (stmt == NULL || !_pd_store_drop_synced (a->self, id, error))
    return FALSE;
  bind_org_row (a, stmt, in);
  _pd_store_derived_compute (a->self, in, &d);
  _pd_store_bind_derived (stmt, ORG_ROW_PARAMS + 1, &d);
  _pd_store_bind_pc_bill_to (stmt, ORG_ROW_PARAMS + 6, in);
  sqlite3_bind_int64 (stmt, ORG_ROW_PARAMS + 7 + PD_BILL_TO_N_FIELDS, id);
  ok = _pd_store_step_done (a->self, stmt, error);
  if (ok)
    derived_changed (a, id, old, &d);
  _pd_store_derived_clear (&d);
  if (!ok)
    return FALSE;
  result->org_id = id;
  result->outcome = PD_APPLY_NEW;
  a->counts.n_new++;
  /* Not indexed yet (insert_listed): one INSERT … SELECT for the consecutive rows. */
  if (old->search_text == NULL && !range_add (a, &a->fts_rows, id, flush_new_fts, error))
    return FALSE;
  return new_event (a, id, tenant, in, error);
}

/* A customer the listing stored, read for the first time. */
static gboolean
apply_unread (Apply           *a,
              PdOrganization  *in,
              const char      *tenant,
              PdApplyResult   *result,
              gboolean        *out_done,
              GError         **error)
{
  g_auto(Derived) old = { 0 };
  gint64 id = find_plain_unread (a, tenant, &old, error);

  *out_done = id > 0;
  if (id <= 0)
    return id == 0;
  return fill_plain_unread (a, id, tenant, in, &old, result, error);
}

/* Writes when and by which run the rows unchanged_rows were seen, into synced_unchanged: their
 * wide organization rows stay as they are (schema 9). */
static gboolean
flush_unchanged (Apply   *a,
                 GError **error)
{
  sqlite3_stmt *stmt;

  if (a->unchanged_rows.first == 0)
    return TRUE;
  stmt = _pd_store_prepare (a->self,
                            "INSERT INTO synced_unchanged (org_id, seen_run, synced_at) "
                            "SELECT id, ?, ? FROM organizations WHERE id BETWEEN ? AND ? "
                            "ON CONFLICT (org_id) DO UPDATE SET seen_run = excluded.seen_run, "
                            "synced_at = excluded.synced_at", error);
  if (stmt == NULL)
    return FALSE;
  if (a->run_id > 0)
    sqlite3_bind_int64 (stmt, 1, a->run_id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, a->now);
  return step_range (a->self, stmt, 3, &a->unchanged_rows, error);
}

/* What apply_existing does when nothing changed, without reading the row in full: only when
 * it was synced and seen, queued for flush_unchanged. */
static gboolean
apply_unchanged (Apply          *a,
                 gint64          id,
                 PdApplyResult  *result,
                 GError        **error)
{
  result->org_id = id;
  result->outcome = PD_APPLY_UNCHANGED;
  a->counts.n_unchanged++;
  return range_add (a, &a->unchanged_rows, id, flush_unchanged, error);
}

/* The cache read this customer's bill-to outside a sync (a push, or the read before one) since
 * the run asked Partner Center for it (in's read time): the run's answer, on its way or
 * waiting in a batch meanwhile, may be older than what the cache holds. It keeps its bill-to;
 * the rest of the answer applies. A read in the same second counts as newer: if it was not,
 * Partner Center answered both the same, short of a change within that second. */
static void
keep_newer_read (PdOrganization *existing,
                 PdOrganization *in)
{
  GDateTime *asked = pd_organization_get_bill_to_read_at (in);
  GDateTime *read = pd_organization_get_bill_to_read_at (existing);
  GDateTime *synced = pd_organization_get_last_synced_at (existing);

  if (asked == NULL || read == NULL || pd_organization_get_bill_to_unreadable (existing)
      || (synced != NULL && g_date_time_to_unix (read) <= g_date_time_to_unix (synced))
      || g_date_time_to_unix (read) < g_date_time_to_unix (asked))
    return;
  pd_organization_set_bill_to_partner_center (in,
                                              pd_organization_get_bill_to_partner_center (existing),
                                              pd_organization_get_bill_to_etag (existing));
}

/* tenant: the batch's own string for it (a->known->tenants), which its tables compare by
 * address; another string with the same text would be taken for a tenant the cache lacks. */
static gboolean
apply_one (Apply           *a,
           PdOrganization  *in,
           const char      *tenant,
           PdApplyResult   *result,
           GError         **error)
{
  g_autoptr(PdOrganization) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  const gint64 *unchanged_id;

  if (tenant == NULL)
    return _pd_store_set_invalid_literal (error,
                                          _("A Partner Center customer without a tenant id"));
  if (!g_hash_table_contains (a->known->known, tenant))
    {
      /* The same tenant twice in one batch: the second one finds the first. */
      g_hash_table_add (a->known->known, (gpointer) tenant);
      return queue_new (a, tenant, in, result, error);
    }
  /* What follows reads or writes rows and events: the new ones before it come first. */
  if (!flush_pending_new (a, error))
    return FALSE;
  if (a->known->unchanged != NULL
      && (unchanged_id = g_hash_table_lookup (a->known->unchanged, tenant)) != NULL)
    return apply_unchanged (a, *unchanged_id, result, error);
  if (a->known->unread != NULL && g_hash_table_contains (a->known->unread, tenant))
    {
      gboolean done = FALSE;

      if (!apply_unread (a, in, tenant, result, &done, error))
        return FALSE;
      if (done)
        return TRUE;
    }
  existing = _pd_store_find_by_tenant (a->self, tenant, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing == NULL)
    return apply_new (a, tenant, in, result, error);
  if (pd_organization_get_source (existing) == PD_ORG_SOURCE_PARTNER_CENTER
      && pd_organization_get_bill_to_unreadable (existing))
    return apply_first_read (a, existing, in, tenant, result, error);
  keep_newer_read (existing, in);
  return apply_existing (a, existing, in, result, error);
}

gboolean
pd_store_apply_partner_center (PdStore    *self,
                               gint64      run_id,
                               GPtrArray  *organizations,
                               GArray     *results,
                               GError    **error)
{
  Apply a = { .self = self, .run_id = run_id, .now = _pd_store_now_seconds () };
  g_autoptr(PdStoreBatchKnown) known = NULL;
  g_autoptr(GArray) pending = NULL;
  gboolean ok = TRUE;
  guint first_result = results != NULL ? results->len : 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (organizations != NULL, FALSE);
  if ((known = a.known = _pd_store_begin_batch (self, organizations, TRUE, error)) == NULL)
    return FALSE;
  pending = a.pending = g_array_sized_new (FALSE, FALSE, sizeof (PendingNew), NEW_CHUNK);
  a.results = results;
  for (guint i = 0; ok && i < organizations->len; i++)
    {
      PdApplyResult result = { 0 };

      ok = apply_one (&a, g_ptr_array_index (organizations, i),
                      g_ptr_array_index (known->tenants, i), &result, error);
      if (ok && results != NULL)
        g_array_append_val (results, result);
    }
  ok = ok && flush_pending_new (&a, error) && flush_new_events (&a, error) &&
       flush_new_fts (&a, error) && flush_unchanged (&a, error) &&
       _pd_store_add_counts (self, run_id, &a.counts, error);
  if (!_pd_store_end_batch (self, run_id, ok, error))
    {
      /* Nothing of the batch was stored: no result may claim otherwise. */
      if (results != NULL)
        g_array_set_size (results, first_result);
      return FALSE;
    }
  return TRUE;
}

/* A customer the listing gave, not cached yet: its row holds what the listing carries, and its
 * bill-to is "not readable" (bill_to_state 1) until a read fills it (apply_first_read). No
 * seen_run: the run has not stored it yet, and a resumed run must still read it. */
static gboolean
insert_listed (Apply           *a,
               const char      *tenant,
               PdOrganization  *in,
               GError         **error)
{
  sqlite3_stmt *stmt;
  Derived d = { 0 };
  gboolean ok;

  stmt = _pd_store_prepare (a->self,
                            "INSERT INTO organizations (tenant_id, source, name, domain, country, "
                            "relationship, delegated_access, reseller_id, reseller_name, "
                            "created_at, missing_mask, name_key, domain_key, eff_country, "
                            "search_text, bill_to_state) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?, ?, ?, ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_static (stmt, 1, tenant);
  _pd_store_bind_pc_columns (stmt, 2, in);
  sqlite3_bind_int64 (stmt, 9, a->now);
  /* No missing mask: nothing is known of the bill-to, neither complete nor incomplete. No
   * search text: not in the full-text index yet, its first read indexes it once, with the
   * e-mail and city (rewriting an FTS5 entry costs a first sync of 100,000 four times its
   * upsert). One that stays unread is indexed when its read fails or its run ends
   * (_pd_store_index_unread). The app's list searches its own rows, so it finds the customer
   * meanwhile. Computed and thrown away, the two were a quarter of storing a listing page. */
  _pd_store_derived_compute_keys (in, &d);
  _pd_store_bind_derived (stmt, 10, &d);
  ok = _pd_store_step_done (a->self, stmt, error);
  _pd_store_keys_stale (a->self, d.name_key, d.domain_key);
  _pd_store_derived_clear (&d);
  return ok;
}

gboolean
pd_store_apply_listing (PdStore    *self,
                        gint64      run_id,
                        GPtrArray  *organizations,
                        guint      *out_n_stored,
                        GError    **error)
{
  Apply a = { .self = self, .run_id = run_id, .now = _pd_store_now_seconds () };
  g_autoptr(PdStoreBatchKnown) known = NULL;
  gboolean ok = TRUE;
  guint n = 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (organizations != NULL, FALSE);
  if ((known = a.known = _pd_store_begin_batch (self, organizations, FALSE, error)) == NULL)
    return FALSE;
  for (guint i = 0; ok && i < organizations->len; i++)
    {
      const char *tenant = g_ptr_array_index (known->tenants, i);

      /* A cached customer keeps what it has until its read: nothing to write. */
      if (tenant == NULL || !g_hash_table_add (known->known, (gpointer) tenant))
        continue;
      ok = insert_listed (&a, tenant, g_ptr_array_index (organizations, i), error);
      n++;
    }
  ok = _pd_store_end_batch (self, run_id, ok && flush_new_fts (&a, error), error);
  if (out_n_stored != NULL)
    *out_n_stored = ok ? n : 0;
  return ok;
}
