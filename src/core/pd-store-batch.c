/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-batch.c — what a sync batch learns of the cache before merging (pd-store-merge.c):
 * the customers it already has, found 100 at a time, and those whose row already holds what
 * Partner Center sends (the unchanged-row comparison, by the row's digest of its Partner Center
 * values); how those values are written, and their digest (schema 12); and folding what
 * synced_unchanged notes of an unchanged row back into it before another write (schema 9). A
 * batch's write begins with that prefetch (_pd_store_begin_batch) and ends with
 * _pd_store_end_batch. */
#include "config.h"

#include <string.h>

#include "pd-store-private.h"

#define PREFETCH_CHUNK 100

/* The Partner Center owned values of an organization as the store writes them, in one place:
 * what _pd_store_bind_pc_columns and _pd_store_bind_pc_bill_to bind, and what
 * _pd_store_pc_digest covers, so that a row's digest always describes what was written. */
typedef struct {
  const char *name;   /* never NULL */
  const char *optional[5];   /* domain, country, relationship, reseller id and name: NULL for "" */
  gboolean    delegated;
  const char *etag;
  const char *const *bill_to;   /* PD_BILL_TO_N_FIELDS values, NULL or not empty */
} PcValues;

static void
pc_values (PdOrganization *org,
           PcValues       *v)
{
  const char *optional[] = {
    pd_organization_get_domain (org), pd_organization_get_country (org),
    pd_organization_get_relationship (org), pd_organization_get_reseller_id (org),
    pd_organization_get_reseller_name (org),
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (optional) == G_N_ELEMENTS (v->optional));
  v->name = pd_organization_get_name (org) != NULL ? pd_organization_get_name (org) : "";
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    v->optional[i] = _pd_store_str_empty (optional[i]) ? NULL : optional[i];
  v->delegated = pd_organization_get_delegated_access (org);
  v->etag = pd_organization_get_bill_to_etag (org);
  v->bill_to = (const char *const *) pd_organization_get_bill_to_partner_center (org)->values;
}

void
_pd_store_bind_pc_columns (sqlite3_stmt   *stmt,
                           int             index,
                           PdOrganization *org)
{
  PcValues v;

  pc_values (org, &v);
  _pd_store_bind_static (stmt, index, v.name);
  _pd_store_bind_static (stmt, index + 1, v.optional[0]);   /* domain */
  _pd_store_bind_static (stmt, index + 2, v.optional[1]);   /* country */
  _pd_store_bind_static (stmt, index + 3, v.optional[2]);   /* relationship */
  sqlite3_bind_int (stmt, index + 4, v.delegated ? 1 : 0);
  _pd_store_bind_static (stmt, index + 5, v.optional[3]);   /* reseller id */
  _pd_store_bind_static (stmt, index + 6, v.optional[4]);   /* reseller name */
}

void
_pd_store_bind_pc_bill_to (sqlite3_stmt   *stmt,
                           int             index,
                           PdOrganization *org)
{
  PcValues v;

  pc_values (org, &v);
  _pd_store_bind_static (stmt, index, v.etag);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    _pd_store_bind_static (stmt, index + 1 + (int) i, v.bill_to[i]);
}

/* The digest: MurmurHash3's 64-bit mixing, a word at a time. Not a cryptographic hash: two
 * different sets of values share a digest by chance once in 2^64 (what a sync would then take
 * for unchanged stays as the cache had it until the customer changes again), and making one
 * on purpose would take changing a customer in Partner Center to hide that very change. */
#define DIGEST_K1 G_GUINT64_CONSTANT (0x87c37b91114253d5)
#define DIGEST_K2 G_GUINT64_CONSTANT (0x4cf5ad432745937f)

static inline guint64
digest_word (guint64 h,
             guint64 word)
{
  word *= DIGEST_K1;
  word = (word << 31) | (word >> 33);
  word *= DIGEST_K2;
  h ^= word;
  h = (h << 27) | (h >> 37);
  return h * 5 + 0x52dce729;
}

/* A value: its length (0 for NULL, so that NULL and "" differ), then its bytes. */
static guint64
digest_text (guint64     h,
             const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;
  gsize i = 0;

  h = digest_word (h, text != NULL ? (guint64) len + 1 : 0);
  for (; i + 8 <= len; i += 8)
    {
      guint64 word;

      memcpy (&word, text + i, 8);
      h = digest_word (h, word);
    }
  if (i < len)
    {
      guint64 word = 0;

      memcpy (&word, text + i, len - i);
      h = digest_word (h, word);
    }
  return h;
}

gint64
_pd_store_pc_digest (PdOrganization *org)
{
  PcValues v;
  guint64 h = 0;

  pc_values (org, &v);
  h = digest_text (h, v.name);
  for (guint i = 0; i < G_N_ELEMENTS (v.optional); i++)
    h = digest_text (h, v.optional[i]);
  h = digest_word (h, v.delegated ? 2 : 1);
  h = digest_text (h, v.etag);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    h = digest_text (h, v.bill_to[i]);
  /* MurmurHash3's finaliser: every bit of the last words reaches every bit of the digest. */
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return (gint64) h;
}

/* What a re-sync compares with what Partner Center sends (row_holds): columns 2 …; the check
 * for a local bill-to edit between PREFETCH_ROW_PLAIN and PREFETCH_ROW_DIGEST. */
#define PREFETCH_ROW_PLAIN \
  ", id, source = 0 AND removed = 0 AND bill_to_state = 0 AND bill_to_error IS NULL"
#define PREFETCH_ROW_NO_OVERRIDE \
  " AND NOT EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)"
#define PREFETCH_ROW_DIGEST ", pc_digest"
enum { ROW_ID = 2, ROW_PLAIN, ROW_DIGEST };

/* Whether the row is a plain Partner Center row (no local bill-to edit, read, not removed)
 * holding exactly what apply_existing would write of in: then a sync changes nothing of it but
 * when it was seen (apply_unchanged, pd-store-merge.c). Its digest says what it holds; a row
 * without one (written before schema 12, or changed since by a write that does not keep it:
 * organizations_pc_digest_stale) is read in full instead, and gets one. Comparing 8 bytes
 * instead of 25 values was a fifth of a re-sync of a million unchanged customers. */
static gboolean
row_holds (sqlite3_stmt   *stmt,
           PdOrganization *in)
{
  if (in == NULL || sqlite3_column_int (stmt, ROW_PLAIN) == 0
      || sqlite3_column_type (stmt, ROW_DIGEST) == SQLITE_NULL)
    return FALSE;
  return sqlite3_column_int64 (stmt, ROW_DIGEST) == _pd_store_pc_digest (in);
}

/* tenant → the organization of orgs with it, NULL for a tenant given twice (the second one
 * must find what the first one wrote). */
static GHashTable *
orgs_by_tenant (GPtrArray *orgs,
                GPtrArray *tenants)
{
  GHashTable *by_tenant = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < tenants->len; i++)
    {
      const char *tenant = g_ptr_array_index (tenants, i);

      if (tenant != NULL)
        g_hash_table_insert (by_tenant, (gpointer) tenant,
                             g_hash_table_contains (by_tenant, tenant)
                             ? NULL : g_ptr_array_index (orgs, i));
    }
  return by_tenant;
}

/* The normalised tenants of orgs, each held once; compare_rows: the prefetch is also to tell
 * which rows hold what orgs say (unread and unchanged). */
static PdStoreBatchKnown *
batch_known_new (GPtrArray *orgs,
                 gboolean   compare_rows)
{
  PdStoreBatchKnown *known = g_new0 (PdStoreBatchKnown, 1);

  known->strings = g_string_chunk_new (64 * MAX (orgs->len, 1));
  known->tenants = g_ptr_array_sized_new (orgs->len);
  for (guint i = 0; i < orgs->len; i++)
    {
      g_autofree char *tenant = _pd_store_normalize_tenant (
        pd_organization_get_tenant_id (g_ptr_array_index (orgs, i)));

      g_ptr_array_add (known->tenants, tenant != NULL
                                       ? g_string_chunk_insert_const (known->strings, tenant)
                                       : NULL);
    }
  known->known = g_hash_table_new (NULL, NULL);
  if (compare_rows)
    {
      known->unread = g_hash_table_new (NULL, NULL);
      known->unchanged = g_hash_table_new (NULL, NULL);
      known->ids = g_new (gint64, MAX (orgs->len, 1));
    }
  return known;
}

void
_pd_store_batch_known_free (PdStoreBatchKnown *known)
{
  g_clear_pointer (&known->known, g_hash_table_unref);
  g_clear_pointer (&known->unread, g_hash_table_unref);
  g_clear_pointer (&known->unchanged, g_hash_table_unref);
  g_clear_pointer (&known->ids, g_free);
  g_ptr_array_unref (known->tenants);
  g_string_chunk_free (known->strings);
  g_free (known);
}

/* The prefetch query for chunks of PREFETCH_CHUNK tenants; with_rows: with what row_holds
 * compares. The check for a local bill-to edit is left out when the cache has none: a lookup
 * per row, a twentieth of a re-sync of a million. */
static char *
prefetch_sql (PdStore   *self,
              gboolean   with_rows,
              GError   **error)
{
  GString *sql = g_string_new ("SELECT tenant_id, bill_to_state");
  gint64 any_override = 1;

  if (with_rows && !_pd_store_query_int64 (self, "SELECT EXISTS (SELECT 1 FROM bill_to_overrides)",
                                           0, 0, &any_override, error))
    return (g_string_free (sql, TRUE), NULL);
  if (with_rows)
    g_string_append_printf (sql, PREFETCH_ROW_PLAIN "%s" PREFETCH_ROW_DIGEST,
                            any_override != 0 ? PREFETCH_ROW_NO_OVERRIDE : "");
  g_string_append (sql, " FROM organizations o WHERE tenant_id IN (");
  _pd_store_append_params (sql, PREFETCH_CHUNK);
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

/* Binds tenants[first …] (at most PREFETCH_CHUNK; NULL past the end). */
static void
bind_tenants (sqlite3_stmt *stmt,
              GPtrArray    *tenants,
              guint         first)
{
  for (guint j = 0; j < PREFETCH_CHUNK && first + j < tenants->len; j++)
    _pd_store_bind_static (stmt, (int) j + 1, g_ptr_array_index (tenants, first + j));
}

/* The tenants of orgs (known->tenants) that the cache already has, found with one query per
 * 100: a first sync then skips a lookup per new customer. known->unread and known->unchanged,
 * when asked, receive those whose bill-to was never read, and those whose row already holds
 * what orgs say (row_holds) with their ids: a re-sync of 100,000 unchanged customers then reads
 * none of them in full. */
static gboolean
prefetch_known (PdStore            *self,
                GPtrArray          *orgs,
                PdStoreBatchKnown  *known,
                GError            **error)
{
  /* Only what row_holds compares with needs the organization of a tenant. */
  g_autoptr(GHashTable) by_tenant = known->unchanged != NULL ? orgs_by_tenant (orgs,
                                                                              known->tenants)
                                                             : NULL;
  g_autofree char *sql = prefetch_sql (self, known->unchanged != NULL, error);
  guint n_unchanged = 0;
  int rc = SQLITE_DONE;

  if (sql == NULL)
    return FALSE;
  for (guint first = 0; first < orgs->len && rc == SQLITE_DONE; first += PREFETCH_CHUNK)
    {
      sqlite3_stmt *stmt = _pd_store_prepare_dynamic (self, sql, error);

      if (stmt == NULL)
        return FALSE;
      bind_tenants (stmt, known->tenants, first);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          /* Text compares as bytes: the row's tenant is one of those bound, held already. */
          const char *tenant = g_string_chunk_insert_const (known->strings,
                                                            _pd_store_column_text (stmt, 0));

          g_hash_table_add (known->known, (gpointer) tenant);
          if (known->unread != NULL && sqlite3_column_int (stmt, 1) != 0)
            g_hash_table_add (known->unread, (gpointer) tenant);
          if (known->unchanged != NULL && row_holds (stmt, g_hash_table_lookup (by_tenant, tenant)))
            {
              known->ids[n_unchanged] = sqlite3_column_int64 (stmt, ROW_ID);
              g_hash_table_insert (known->unchanged, (gpointer) tenant,
                                   &known->ids[n_unchanged++]);
            }
        }
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);   /* bound without copies */
    }
  if (rc != SQLITE_DONE)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

PdStoreBatchKnown *
_pd_store_begin_batch (PdStore    *self,
                       GPtrArray  *orgs,
                       gboolean    compare_rows,
                       GError    **error)
{
  g_autoptr(PdStoreBatchKnown) known = NULL;

  if (!_pd_store_begin_write (self, error))
    return NULL;
  known = batch_known_new (orgs, compare_rows);
  if (!prefetch_known (self, orgs, known, error))
    {
      _pd_store_end_write (self, FALSE, NULL);
      return NULL;
    }
  return g_steal_pointer (&known);
}

gboolean
_pd_store_end_batch (PdStore   *self,
                     gint64     run_id,
                     gboolean   ok,
                     GError   **error)
{
  /* Within a run, the duplicate flags are settled once, when it finishes. */
  self->defer_dups = run_id > 0;
  ok = _pd_store_end_write (self, ok, error);
  self->defer_dups = FALSE;
  return ok;
}

gboolean
_pd_store_fold_synced (PdStore  *self,
                       gint64    id,
                       GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT seen_run, synced_at FROM synced_unchanged "
                                                "WHERE org_id = ?", error);
  gint64 synced_at;
  gboolean has_run;
  gint64 seen_run;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  has_run = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL;
  seen_run = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  synced_at = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 1) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _pd_store_rows_done (self, stmt, rc, error);
  stmt = _pd_store_prepare (self, "UPDATE organizations SET last_synced_at = ?, "
                                  "bill_to_read_at = ?, seen_run = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, synced_at);
  sqlite3_bind_int64 (stmt, 2, synced_at);
  if (has_run)
    sqlite3_bind_int64 (stmt, 3, seen_run);
  sqlite3_bind_int64 (stmt, 4, id);
  return _pd_store_step_done (self, stmt, error) && _pd_store_drop_synced (self, id, error);
}

gboolean
_pd_store_drop_synced (PdStore  *self,
                       gint64    id,
                       GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "DELETE FROM synced_unchanged WHERE org_id = ?",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _pd_store_step_done (self, stmt, error);
}
