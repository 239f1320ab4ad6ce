/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-schema.c — the cache's schema, version by version (PD_STORE_SCHEMA_VERSION: 13), and
 * what brings a file of an older version to the current one (_pd_store_migrate_from, inside
 * pd-store.c's migration transaction); the indexes a first sync builds once, at its end. */
#include "config.h"

#include "pd-store-private.h"

/* Version 1: the first released schema. Kept verbatim: migrations start from it, and
 * tests/data/store-v1.sql holds the same text with sample rows. */
static const char schema_v1[] =
  "CREATE TABLE organizations ("
  "  id INTEGER PRIMARY KEY,"
  "  tenant_id TEXT UNIQUE,"
  "  source INTEGER NOT NULL DEFAULT 0,"
  "  name TEXT NOT NULL DEFAULT '',"
  "  domain TEXT,"
  "  country TEXT,"
  "  relationship TEXT,"
  "  delegated_access INTEGER NOT NULL DEFAULT 0,"
  "  removed INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  last_synced_at INTEGER,"
  "  seen_run INTEGER"
  ");"
  "CREATE TABLE pc_bill_to ("
  "  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,"
  "  etag TEXT,"
  "  company_name TEXT, email TEXT, first_name TEXT, last_name TEXT, culture TEXT,"
  "  language TEXT, address_line1 TEXT, address_line2 TEXT, city TEXT, state TEXT,"
  "  region TEXT, postal_code TEXT, country TEXT, phone_number TEXT,"
  "  address_first_name TEXT, address_last_name TEXT"
  ");"
  "CREATE TABLE bill_to_overrides ("
  "  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,"
  "  field INTEGER NOT NULL,"
  "  value TEXT NOT NULL,"
  "  base_etag TEXT,"
  "  PRIMARY KEY (org_id, field)"
  ") WITHOUT ROWID;"
  "CREATE TABLE local_fields ("
  "  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,"
  "  erp_id TEXT, registration_number TEXT, segments TEXT, currency TEXT,"
  "  currency_effective INTEGER, status INTEGER NOT NULL DEFAULT 0, login_options TEXT,"
  "  account_manager TEXT, notes TEXT"
  ");"
  "CREATE UNIQUE INDEX local_fields_erp_id ON local_fields (erp_id COLLATE NOCASE)"
  "  WHERE erp_id IS NOT NULL;"
  "CREATE TABLE history ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,"
  "  what TEXT NOT NULL, old_value TEXT, new_value TEXT,"
  "  by INTEGER NOT NULL, at INTEGER NOT NULL, sync_run_id INTEGER"
  ");"
  "CREATE INDEX history_org ON history (org_id);"
  "CREATE TABLE sync_runs ("
  "  id INTEGER PRIMARY KEY,"
  "  kind INTEGER NOT NULL, state INTEGER NOT NULL,"
  "  started_at INTEGER NOT NULL, finished_at INTEGER,"
  "  n_new INTEGER NOT NULL DEFAULT 0, n_updated INTEGER NOT NULL DEFAULT 0,"
  "  n_unchanged INTEGER NOT NULL DEFAULT 0, n_removed INTEGER NOT NULL DEFAULT 0,"
  "  n_overrides_kept INTEGER NOT NULL DEFAULT 0,"
  "  n_overrides_replaced INTEGER NOT NULL DEFAULT 0,"
  "  n_failed INTEGER NOT NULL DEFAULT 0,"
  "  error TEXT, correlation_id TEXT"
  ");";

/* Version 2: resellers, derived columns for fast listing, full-text search, run events, country
 * rules fetched from Partner Center, and meta. The derived columns are filled by C code after
 * the SQL (see migrate_fill_derived). */
static const char schema_v2_sql[] =
  "ALTER TABLE organizations ADD COLUMN reseller_id TEXT;"
  "ALTER TABLE organizations ADD COLUMN reseller_name TEXT;"
  "ALTER TABLE organizations ADD COLUMN missing_mask INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE organizations ADD COLUMN name_key TEXT;"
  "ALTER TABLE organizations ADD COLUMN domain_key TEXT;"
  "ALTER TABLE organizations ADD COLUMN eff_country TEXT;"
  "ALTER TABLE organizations ADD COLUMN dup INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX organizations_name_key ON organizations (name_key) WHERE name_key IS NOT NULL;"
  "CREATE INDEX organizations_domain_key ON organizations (domain_key)"
  "  WHERE domain_key IS NOT NULL;"
  "CREATE INDEX organizations_reseller ON organizations (reseller_id)"
  "  WHERE reseller_id IS NOT NULL;"
  "ALTER TABLE sync_runs ADD COLUMN resumes_run_id INTEGER;"
  "CREATE TABLE sync_run_events ("
  "  id INTEGER PRIMARY KEY,"
  "  run_id INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,"
  "  kind INTEGER NOT NULL, org_id INTEGER, tenant_id TEXT, name TEXT, field TEXT,"
  "  old_value TEXT, new_value TEXT, error TEXT"
  ");"
  "CREATE INDEX sync_run_events_run ON sync_run_events (run_id);"
  "CREATE TABLE country_rules ("
  "  iso2 TEXT PRIMARY KEY, rule TEXT NOT NULL, fetched_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE VIRTUAL TABLE org_search USING fts5 ("
  "  name, domain, erp_id, email, city, tokenize = 'unicode61 remove_diacritics 2',"
  "  columnsize = 0"
  ");";

/* Version 3: a first sync of 100,000 customers costs half of what it did.
 *   - The Partner Center bill-to moves into the organization row: one row per write, not two.
 *   - No index on name_key and domain_key: the duplicate flags are recomputed in one pass
 *     (recompute_dups) instead of kept exact row by row through random index inserts.
 *   - search_text holds the distinct words of what search covers (name, domain, ERP ID,
 *     e-mail, city), and the full-text index reads it from there (external content): no copy
 *     of the text in the index, no positions (no phrase queries are ever made), and the words
 *     an e-mail shares with the domain are tokenised once. */
static const char schema_v3_sql[] =
  "ALTER TABLE organizations ADD COLUMN pc_etag TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_company_name TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_email TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_first_name TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_last_name TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_culture TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_language TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_address_line1 TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_address_line2 TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_city TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_state TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_region TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_postal_code TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_country TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_phone_number TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_address_first_name TEXT;"
  "ALTER TABLE organizations ADD COLUMN pc_address_last_name TEXT;"
  "UPDATE organizations SET (pc_etag, " PC_BILL_TO_COLUMNS ") = (SELECT etag, "
  "  company_name, email, first_name, last_name, culture, language, address_line1, "
  "  address_line2, city, state, region, postal_code, country, phone_number, "
  "  address_first_name, address_last_name FROM pc_bill_to b WHERE b.org_id = organizations.id);"
  "DROP TABLE pc_bill_to;"
  "DROP INDEX organizations_name_key;"
  "DROP INDEX organizations_domain_key;"
  "ALTER TABLE organizations ADD COLUMN search_text TEXT;"
  "DROP TABLE org_search;"
  "CREATE VIRTUAL TABLE org_search USING fts5 ("
  "  search_text, content = 'organizations', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2', columnsize = 0, detail = none"
  ");";

/* Version 4: every customer Partner Center lists is stored as its listing page arrives, and
 * what cannot be read is kept as "not readable" with its reason (design.md §3).
 *   - bill_to_state: 0 the bill-to was read (or the organization is manual), 1 never read
 *     (listed only: refused, not found, failed, or not read yet);
 *   - bill_to_error: why the latest read failed, in words (NULL when it succeeded);
 *   - bill_to_read_at: when the bill-to was last read. Rows of version 3 were stored only
 *     when read: their last sync is that time. */
static const char schema_v4_sql[] =
  "ALTER TABLE organizations ADD COLUMN bill_to_state INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE organizations ADD COLUMN bill_to_error TEXT;"
  "ALTER TABLE organizations ADD COLUMN bill_to_read_at INTEGER;"
  "UPDATE organizations SET bill_to_read_at = last_synced_at WHERE source = 0;";

/* Version 5: Microsoft's account verification as Partner Center last answered it (after a
 * push, or on demand): account_status (PdAccountStatus; NULL never asked) and
 * account_checked_at. */
static const char schema_v5_sql[] =
  "ALTER TABLE organizations ADD COLUMN account_status INTEGER;"
  "ALTER TABLE organizations ADD COLUMN account_checked_at INTEGER;";

/* Version 6: the indirect resellers a sync run was scoped to (issue 14, "My resellers"). No row
 * for a run: it covered every customer. A scoped run marks removed only unseen customers of
 * these resellers (see _PD_STORE_RUN_SCOPE_SQL); ids are stored lower-case. */
static const char schema_v6_sql[] =
  "CREATE TABLE IF NOT EXISTS sync_run_resellers ("
  "  run_id INTEGER NOT NULL,"
  "  reseller_id TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, reseller_id)"
  ") WITHOUT ROWID;";

/* Version 7: a distributor's million customers as instant as a hundred thousand (issue 14).
 *   - organizations_name: search and lists walk the names in order and stop at the rows shown
 *     (pd-store-search.c) instead of sorting every match.
 *   - organizations_name_key, organizations_domain_key: the end of a run settles the duplicate
 *     groups its changes touched (dup_stale_keys, kept across the run's batches) by looking
 *     them up, not by a pass over every organization.
 *   - Partial indexes on what each filter reads: pd_store_count_filters counts each filter
 *     from its own small index.
 *   - organizations_unindexed: the rows a run's end must still index. */
#define BULK_INDEXES_SQL \
  "CREATE INDEX IF NOT EXISTS organizations_name ON organizations (name COLLATE NOCASE);" \
  "CREATE INDEX IF NOT EXISTS organizations_name_key ON organizations (name_key)" \
  "  WHERE name_key IS NOT NULL;" \
  "CREATE INDEX IF NOT EXISTS organizations_domain_key ON organizations (domain_key)" \
  "  WHERE domain_key IS NOT NULL;"
static const char schema_v7_sql[] =
  BULK_INDEXES_SQL
  "CREATE INDEX IF NOT EXISTS organizations_manual ON organizations (source)"
  "  WHERE source = 1;"
  "CREATE INDEX IF NOT EXISTS organizations_incomplete ON organizations (missing_mask)"
  "  WHERE missing_mask != 0;"
  "CREATE INDEX IF NOT EXISTS organizations_unreadable ON organizations (bill_to_state)"
  "  WHERE bill_to_state != 0;"
  "CREATE INDEX IF NOT EXISTS organizations_under_review ON organizations (account_status)"
  "  WHERE account_status = 2;"
  "CREATE INDEX IF NOT EXISTS organizations_dup ON organizations (dup) WHERE dup != 0;"
  "CREATE INDEX IF NOT EXISTS organizations_removed ON organizations (removed)"
  "  WHERE removed != 0;"
  "CREATE INDEX IF NOT EXISTS organizations_unindexed ON organizations (bill_to_state)"
  "  WHERE search_text IS NULL;"
  "CREATE TABLE IF NOT EXISTS dup_stale_keys ("
  "  kind INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)"
  ") WITHOUT ROWID;";

/* Version 8: the customers a full run listed, in listing order, so that the run holds only a
 * window of them in memory (issue 14: a listing runs far ahead of the reads, and a million
 * customers waiting in memory took half a gigabyte). taken: handed to the engine to read; the
 * row stays, so a listing read again (an expired continuation token) skips it. Rows of a run
 * are dropped when it ends (pd_store_clear_listed). */
static const char schema_v8_sql[] =
  "CREATE TABLE IF NOT EXISTS sync_run_listed ("
  "  run_id INTEGER NOT NULL,"
  "  tenant_id TEXT NOT NULL,"
  "  name TEXT,"
  "  taken INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (run_id, tenant_id)"
  ");"
  "CREATE INDEX IF NOT EXISTS sync_run_listed_queue ON sync_run_listed (run_id)"
  "  WHERE taken = 0;";

/* Version 9: a re-sync of a million unchanged customers rewrites no organization row (issue
 * 14: rewriting three numbers in each ~500-byte row, 7 to a page, was most of its cost).
 * synced_unchanged holds, for a row a sync found unchanged, when (synced_at) and by which run
 * (seen_run, NULL outside a run) it was seen: it stands for the row's last_synced_at,
 * bill_to_read_at and seen_run (_PD_STORE_SYNCED_JOIN and the expressions beside it). Any
 * other write of those columns first folds it back into the row (_pd_store_fold_synced). */
static const char schema_v9_sql[] =
  "CREATE TABLE IF NOT EXISTS synced_unchanged ("
  "  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,"
  "  seen_run INTEGER,"
  "  synced_at INTEGER NOT NULL"
  ");";

/* Version 10: synced_unchanged without its foreign key. SQLite checked each note a re-sync
 * wrote against the organizations table: a seek in the largest table for every unchanged
 * customer, 8 % of a re-sync's instructions. A trigger deletes an organization's note with it,
 * as the cascade did. */
static const char schema_v10_sql[] =
  "DROP TRIGGER IF EXISTS synced_unchanged_of_deleted;"   /* a downgraded file keeps it */
  "CREATE TABLE synced_unchanged_v10 ("
  "  org_id INTEGER PRIMARY KEY,"
  "  seen_run INTEGER,"
  "  synced_at INTEGER NOT NULL"
  ");"
  "INSERT INTO synced_unchanged_v10 SELECT org_id, seen_run, synced_at FROM synced_unchanged;"
  "DROP TABLE synced_unchanged;"
  "ALTER TABLE synced_unchanged_v10 RENAME TO synced_unchanged;"
  "CREATE TRIGGER IF NOT EXISTS synced_unchanged_of_deleted AFTER DELETE ON organizations"
  "  BEGIN DELETE FROM synced_unchanged WHERE org_id = old.id; END;";

/* Version 11: country codes in upper case. Before pd_bill_to_set upper-cased them, a code
 * Partner Center sent in lower case ("de") was stored as it came: the customer was flagged
 * incomplete ("not a two-letter ISO code") and "de" listed as a country of its own, until
 * Partner Center changed that customer. The fix is C code after the SQL (migrate_country_case):
 * its derived columns are recomputed from the corrected rows. */
static const char schema_v11_sql[] = "";

/* Version 12: a re-sync tells a row unchanged by its digest (pc_digest, _pd_store_pc_digest) of
 * the Partner Center values it holds, instead of reading and comparing all 25 of them (issue
 * 14: a fifth of a re-sync of a million unchanged customers). Rows of earlier versions have
 * none: the next sync reads them in full, and gives them one. A write that changes those values
 * without writing their new digest (a push's answer, a migration, anything to come) drops the
 * digest, so that no row ever holds a digest of other values than its own. */
#define PC_DIGEST_COLUMNS \
  "name, domain, country, relationship, delegated_access, reseller_id, reseller_name, " \
  "pc_etag, " PC_BILL_TO_COLUMNS
static const char schema_v12_sql[] =
  "ALTER TABLE organizations ADD COLUMN pc_digest INTEGER;"
  "CREATE TRIGGER IF NOT EXISTS organizations_pc_digest_stale"
  "  AFTER UPDATE OF " PC_DIGEST_COLUMNS " ON organizations"
  "  WHEN new.pc_digest IS NOT NULL AND new.pc_digest IS old.pc_digest AND ("
  "    new.name IS NOT old.name OR new.domain IS NOT old.domain"
  "    OR new.country IS NOT old.country OR new.relationship IS NOT old.relationship"
  "    OR new.delegated_access IS NOT old.delegated_access"
  "    OR new.reseller_id IS NOT old.reseller_id OR new.reseller_name IS NOT old.reseller_name"
  "    OR new.pc_etag IS NOT old.pc_etag OR new.pc_company_name IS NOT old.pc_company_name"
  "    OR new.pc_email IS NOT old.pc_email OR new.pc_first_name IS NOT old.pc_first_name"
  "    OR new.pc_last_name IS NOT old.pc_last_name OR new.pc_culture IS NOT old.pc_culture"
  "    OR new.pc_language IS NOT old.pc_language"
  "    OR new.pc_address_line1 IS NOT old.pc_address_line1"
  "    OR new.pc_address_line2 IS NOT old.pc_address_line2 OR new.pc_city IS NOT old.pc_city"
  "    OR new.pc_state IS NOT old.pc_state OR new.pc_region IS NOT old.pc_region"
  "    OR new.pc_postal_code IS NOT old.pc_postal_code OR new.pc_country IS NOT old.pc_country"
  "    OR new.pc_phone_number IS NOT old.pc_phone_number"
  "    OR new.pc_address_first_name IS NOT old.pc_address_first_name"
  "    OR new.pc_address_last_name IS NOT old.pc_address_last_name)"
  "  BEGIN UPDATE organizations SET pc_digest = NULL WHERE id = new.id; END;";

/* Version 13: where a manual organization linked onto a synced one went (pd_store_link deletes
 * it). Another program's pane may hold an edit of it not saved yet: it is saved on the
 * organization it became instead of being lost (pd_store_get_merged_into). */
static const char schema_v13_sql[] =
  "CREATE TABLE IF NOT EXISTS merged_organizations ("
  "  id INTEGER PRIMARY KEY,"
  "  into_id INTEGER NOT NULL"
  ");";

/* What brings a file from version v - 1 to v, at migrations[v - 2] (schema_v1 creates version
 * 1): a new version is one more entry here, or the build fails. */
static const char * const migrations[] = {
  schema_v2_sql, schema_v3_sql, schema_v4_sql, schema_v5_sql, schema_v6_sql, schema_v7_sql,
  schema_v8_sql, schema_v9_sql, schema_v10_sql, schema_v11_sql, schema_v12_sql, schema_v13_sql,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PD_STORE_SCHEMA_VERSION - 1);

/* The smaller page cache index builds sort on (PRAGMA cache_size: negative, in KiB). */
#define SORT_CACHE_SIZE -4096

/* The indexes of schema 7 on random keys (names), which a first sync drops while it stores
 * (_pd_store_drop_bulk_indexes) and builds once, sorted, at its end: kept exact row by row, a
 * first sync's batches of 500 rewrite most of their pages at every commit, which tripled its
 * time. Without them every query still answers, only slower. */
gboolean
_pd_store_ensure_bulk_indexes (PdStore  *self,
                               GError  **error)
{
  gint64 n_built = 0;
  gboolean ok;

  if (!_pd_store_query_int64 (self, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                    "AND name IN ('organizations_name', 'organizations_name_key', "
                                    "'organizations_domain_key')", 0, 0, &n_built, error))
    return FALSE;
  if (n_built == 3)
    return TRUE;
  /* CREATE INDEX sorts as much in memory as the page cache may hold, and the rest in temp
   * files (temp_store = FILE): on a small cache the end of a first sync of a million customers
   * needs no more memory than one of a hundred thousand, and sorts faster (3.0 s of CPU
   * instead of 5.7 s with 32 MB; its inserts come sorted). The cache then grows back as it is
   * used, whatever the build's outcome. */
  ok = _pd_store_exec_sql (self, "PRAGMA cache_size = " G_STRINGIFY (SORT_CACHE_SIZE) ";"
                                 BULK_INDEXES_SQL, error);
  _pd_store_set_run_tuning (self, self->sync_lock_fd >= 0);
  return ok;
}

gboolean
_pd_store_drop_bulk_indexes (PdStore  *self,
                             GError  **error)
{
  return _pd_store_exec_sql (self, "DROP INDEX IF EXISTS organizations_name;"
                                   "DROP INDEX IF EXISTS organizations_name_key;"
                                   "DROP INDEX IF EXISTS organizations_domain_key;", error);
}

/* Version 1 files have no derived columns or search rows: compute them for every row. */
static gboolean
migrate_fill_derived (PdStore  *self,
                      GError  **error)
{
  g_autoptr(GPtrArray) orgs = pd_store_list (self, NULL, error);

  if (orgs == NULL)
    return FALSE;
  for (guint i = 0; i < orgs->len; i++)
    if (!_pd_store_write_derived (self, g_ptr_array_index (orgs, i), error))
      return FALSE;
  _pd_store_all_dups_stale (self);
  return TRUE;
}

/* Version 11: every country code stored as pd_bill_to_set stores it now, upper-cased (the
 * same ASCII-only rule as SQLite's upper()): Partner Center's bill-to, the organization's own
 * country, and a local override (the setter upper-cases what a user types too: "de" the user
 * typed is Germany, as before, only written as it is looked up). The rows changed, and only
 * they, get their derived columns again (missing mask, effective country). */
static gboolean
migrate_country_case (PdStore  *self,
                      GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = _pd_store_prepare (self,
                                          "SELECT id FROM organizations "
                                          "WHERE pc_country != upper (pc_country) "
                                          "OR country != upper (country) "
                                          "OR id IN (SELECT org_id FROM bill_to_overrides "
                                          "WHERE field = ? AND value != upper (value))", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, PD_BILL_TO_COUNTRY);
  if (!_pd_store_collect_ids (self, stmt, ids, error))
    return FALSE;
  if (ids->len == 0)
    return TRUE;
  if (!_pd_store_exec_sql (self, "UPDATE organizations SET pc_country = upper (pc_country) "
                                 "WHERE pc_country != upper (pc_country);"
                                 "UPDATE organizations SET country = upper (country) "
                                 "WHERE country != upper (country);", error))
    return FALSE;
  stmt = _pd_store_prepare (self, "UPDATE bill_to_overrides SET value = upper (value) "
                                  "WHERE field = ? AND value != upper (value)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, PD_BILL_TO_COUNTRY);
  return _pd_store_step_done (self, stmt, error)
         && _pd_store_refresh_derived_ids (self, ids, error);
}

gboolean
_pd_store_migrate_from (PdStore  *self,
                        gint64    version,
                        GError  **error)
{
  gboolean ok = version > 0 || _pd_store_exec_sql (self, schema_v1, error);

  for (gint64 v = MAX (version + 1, 2); ok && v <= PD_STORE_SCHEMA_VERSION; v++)
    ok = _pd_store_exec_sql (self, migrations[v - 2], error);
  /* After the last ALTER: the derived columns are computed from rows read in full, with the
   * country rules the cache keeps (pd_store_open loads them again; it replaces, not adds). */
  if (ok && version < 11)
    ok = _pd_store_load_country_rules (self, error) && migrate_country_case (self, error);
  if (ok && version < 3)
    ok = migrate_fill_derived (self, error);
  return ok;
}
