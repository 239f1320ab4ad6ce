/* pd-store.c — the local SQLite cache (see pd-store.h).
 *
 * Layout of the file:
 *   1. small types and helpers (errors, statement cache, transactions)
 *   2. opening: validation before any write, creation, forward migrations
 *   3. derived columns (missing-field mask, duplicate keys, full-text row)
 *   4. reading organizations
 *   5. local edits (by the user)
 *   6. sync runs and the Partner Center merge, the answer of a bill-to push
 *   7. country rules and meta
 *
 * Schema (version 3). Derived columns (missing_mask, name_key, domain_key, eff_country,
 * search_text) and the org_search FTS5 rows are rewritten by every write that can change them, so
 * that listing 100,000 organizations needs no per-row query and no per-row rule evaluation.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pd-duplicates.h"
#include "pd-store.h"

#define SQLITE_HEADER "SQLite format 3"
#define HEADER_SIZE 100
#define HEADER_USER_VERSION_OFFSET 60
#define BUSY_TIMEOUT_MS 5000

struct _PdStore
{
  GObject         parent_instance;

  char           *path;
  sqlite3        *db;
  GHashTable     *statements;   /* static SQL (by address) → sqlite3_stmt*, prepared once */
  GHashTable     *dynamic_statements;  /* built SQL (by text) → sqlite3_stmt* */
  PdCountryRules *rules;
  int             schema_version;
  gboolean        read_only;    /* opened read-only: the file or its folder is not writable */

  /* Organizations whose full-text entry is rewritten at commit: id (gint64*) → the search_text
   * the index holds for it (NULL: none). FTS5 flushes its pending index data at every statement
   * savepoint; queued to the end of the transaction, a batch of 500 is indexed in one go. */
  GHashTable     *pending_fts;

  /* A name or domain key changed in this transaction: the duplicate flags are recomputed
   * before commit (settle_dups), or at the end of the sync run when defer_dups. stale_keys
   * (name keys, domain keys) are the groups that gained or lost a member; dups_stale_all when
   * they are too many to look at one by one, or unknown. */
  gboolean        dups_stale;
  gboolean        dups_stale_all;
  GHashTable     *stale_keys[2];
  gboolean        defer_dups;

  int             sync_lock_fd; /* held (flock) while this store owns a RUNNING run */
  gint64          sync_run_id;
};

G_DEFINE_TYPE (PdStore, pd_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (pd-store-error-quark, pd_store_error)

/* The Partner Center bill-to in the organization row (schema 3), in PdBillToField order. */
#define PC_BILL_TO_COLUMNS \
  "pc_company_name, pc_email, pc_first_name, pc_last_name, pc_culture, pc_language, " \
  "pc_address_line1, pc_address_line2, pc_city, pc_state, pc_region, pc_postal_code, " \
  "pc_country, pc_phone_number, pc_address_first_name, pc_address_last_name"

/* ------------------------------------------------------------------------------------------ */
/* 1. Small types and helpers                                                                   */

void
pd_history_entry_free (PdHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->what);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_clear_pointer (&entry->when, g_date_time_unref);
  g_free (entry);
}

void
pd_run_event_free (PdRunEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->tenant_id);
  g_free (event->name);
  g_free (event->field);
  g_free (event->old_value);
  g_free (event->new_value);
  g_free (event->error);
  g_free (event);
}

void
pd_sync_run_free (PdSyncRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->started_at, g_date_time_unref);
  g_clear_pointer (&run->finished_at, g_date_time_unref);
  g_free (run->error);
  g_free (run->correlation_id);
  g_free (run);
}

const char *
pd_sync_state_to_string (PdSyncState state)
{
  static const char * const names[] = {
    "running", "complete", "failed", "cancelled", "interrupted",
  };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);
  return names[state];
}

const char *
pd_sync_kind_to_string (PdSyncKind kind)
{
  static const char * const names[] = { "full", "incremental" };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static GDateTime *
date_time_from_seconds (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (seconds);
}

static gboolean
str_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

/* The error code SQLite's result maps to: a full disk and a damaged file must be told apart
 * from everything else, because the user's remedy differs. */
static PdStoreError
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return PD_STORE_ERROR_DISK_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return PD_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
      return PD_STORE_ERROR_READ_ONLY;
    default:
      return PD_STORE_ERROR_FAILED;
    }
}

/* The file or its folder is not writable: say which path, and what to do about it. */
static gboolean
set_read_only_error (const char  *path,
                     GError     **error)
{
  g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_READ_ONLY,
               _("The cache “%s” is read-only: changes cannot be saved. Give your user write "
                 "permission on the file and its folder."),
               path != NULL && *path != '\0' ? path : _("(unknown)"));
  return FALSE;
}

static gboolean
set_sqlite_error (sqlite3  *db,
                  int       rc,
                  GError  **error)
{
  PdStoreError code = error_code_for_sqlite (rc);
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  if (code == PD_STORE_ERROR_DISK_FULL)
    g_set_error (error, PD_STORE_ERROR, code,
                 _("The disk is full: the cache could not be saved (%s)"), detail);
  else if (code == PD_STORE_ERROR_READ_ONLY)
    set_read_only_error (db != NULL ? sqlite3_db_filename (db, "main") : NULL, error);
  else if (code == PD_STORE_ERROR_CORRUPT)
    g_set_error (error, PD_STORE_ERROR, code,
                 _("The cache file is damaged (%s)"), detail);
  else
    g_set_error (error, PD_STORE_ERROR, code, _("Cache error: %s"), detail);
  return FALSE;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static sqlite3_stmt *
prepare_in (PdStore     *self,
            GHashTable  *cache,
            const char  *sql,
            gboolean     copy_key,
            GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (cache, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  g_hash_table_insert (cache, copy_key ? g_strdup (sql) : (gpointer) sql, stmt);
  return stmt;
}

/* A prepared statement for a string literal, reset and with its bindings cleared. Statements
 * are kept for the life of the store, so bulk writes prepare each statement once; they are
 * found by the literal's address, which costs nothing per row. */
static sqlite3_stmt *
prepare (PdStore     *self,
         const char  *sql,
         GError     **error)
{
  return prepare_in (self, self->statements, sql, FALSE, error);
}

/* The same for SQL built at run time (from fixed fragments), found by its text. */
static sqlite3_stmt *
prepare_dynamic (PdStore     *self,
                 const char  *sql,
                 GError     **error)
{
  return prepare_in (self, self->dynamic_statements, sql, TRUE, error);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Binds without copying, for the bulk paths: text must stay valid until the statement is
 * stepped; step_done clears the bindings right after, so no dangling pointer stays bound. */
static void
bind_static (sqlite3_stmt *stmt,
             int           index,
             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* Binds without copying, turning "" into NULL: optional columns never hold empty strings. */
static void
bind_static_or_null (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  bind_static (stmt, index, str_empty (text) ? NULL : text);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

/* Runs a statement that returns no rows (or whose rows are ignored) and resets it. */
static gboolean
step_done (PdStore       *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

static gboolean
exec_sql (PdStore     *self,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Write transactions take the write lock up front (IMMEDIATE) so that a busy database is
 * waited for at BEGIN, within busy_timeout, instead of failing half way. */
static gboolean
begin_write (PdStore  *self,
             GError  **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (PdStore  *self,
        GError  **error)
{
  return exec_sql (self, "COMMIT", error);
}

static void
rollback (PdStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean flush_fts (PdStore *self, GError **error);
static gboolean settle_dups (PdStore *self, GError **error);
static void dups_settled (PdStore *self);

/* Ends a write transaction: commits when ok, rolls back otherwise. */
static gboolean
end_write (PdStore   *self,
           gboolean   ok,
           GError   **error)
{
  if (ok && settle_dups (self, error) && flush_fts (self, error) && commit (self, error))
    return TRUE;
  g_hash_table_remove_all (self->pending_fts);
  dups_settled (self);
  rollback (self);
  return FALSE;
}

/* A single integer from a query with one optional bound integer; fallback when no row. */
static gboolean
query_int64 (PdStore     *self,
             const char  *sql,
             gint64       arg,
             gint64       fallback,
             gint64      *out,
             GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
         ? sqlite3_column_int64 (stmt, 0) : fallback;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

static gint64
last_insert_id (PdStore *self)
{
  return sqlite3_last_insert_rowid (self->db);
}

/* ------------------------------------------------------------------------------------------ */
/* 2. Opening                                                                                   */

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

static gboolean migrate_fill_derived (PdStore *self, GError **error);

static void
pd_store_finalize (GObject *object)
{
  PdStore *self = PD_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->dynamic_statements, g_hash_table_unref);
  g_clear_pointer (&self->pending_fts, g_hash_table_unref);
  g_clear_pointer (&self->stale_keys[0], g_hash_table_unref);
  g_clear_pointer (&self->stale_keys[1], g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->sync_lock_fd >= 0)
    close (self->sync_lock_fd);
  g_clear_object (&self->rules);
  g_free (self->path);
  G_OBJECT_CLASS (pd_store_parent_class)->finalize (object);
}

static void
pd_store_class_init (PdStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_store_finalize;
}

static void
pd_store_init (PdStore *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->dynamic_statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    finalize_statement);
  self->pending_fts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint kind = 0; kind < 2; kind++)
    self->stale_keys[kind] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sync_lock_fd = -1;
}

char *
pd_store_default_path (void)
{
  const char *env = g_getenv ("PARTNER_DESK_DB");

  if (!str_empty (env))
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "partner-desk", "partner-desk.db", NULL);
}

/* why is a short reason of ours or SQLite's; a long finding (PRAGMA quick_check can list
 * kilobytes of pages) goes to the debug log, and the message stays one sentence. */
static gboolean
set_corrupt_error (const char  *path,
                   const char  *why,
                   GError     **error)
{
  g_debug ("Cache %s refused: %s", path, why);
  if (why == NULL || strchr (why, '\n') != NULL || g_utf8_strlen (why, -1) > 60)
    why = _("damaged");
  g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_CORRUPT,
               _("The cache “%s” cannot be read (%s). It was left untouched; move it aside to "
                 "start a new cache."), path, why);
  return FALSE;
}

static gboolean
set_too_new_error (const char  *path,
                   int          version,
                   GError     **error)
{
  g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_TOO_NEW,
               _("The cache “%s” was written by a newer version of Partner Desk (schema %d; "
                 "this version understands up to %d). It was left untouched."),
               path, version, PD_STORE_SCHEMA_VERSION);
  return FALSE;
}

/* An SQLite URI for path: read-only, and immutable (no locks, no -wal/-shm created) when asked. */
static char *
read_only_uri (const char *path,
               gboolean    immutable)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

  return g_strdup_printf ("file:%s?mode=ro%s", escaped, immutable ? "&immutable=1" : "");
}

/* Reads the first 100 bytes through SQLite's own file handle; *out_size is the file size (stat).
 * Opening and closing a descriptor of the file ourselves would drop every POSIX lock this
 * process holds on it, those of the SQLite connections already open to it included (closing
 * any descriptor of a file releases all of the process's locks on it): another process would
 * then believe itself the last one, checkpoint and delete the live write-ahead log, and every
 * later write of ours would go to an unlinked file. SQLite's unix VFS knows the other
 * connections of this process to the same file and defers closing its descriptor while they
 * hold locks. Returns FALSE with an error only when the file cannot be read at all. */
static gboolean
read_header (const char  *path,
             guint8      *header,
             goffset     *out_size,
             GError     **error)
{
  g_autofree char *uri = read_only_uri (path, TRUE);
  GStatBuf st;
  sqlite3 *db = NULL;
  sqlite3_file *file = NULL;
  int rc;

  memset (header, 0, HEADER_SIZE);
  if (g_stat (path, &st) != 0 || g_access (path, R_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }
  *out_size = st.st_size;
  if (st.st_size < HEADER_SIZE)
    return TRUE;
  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_file_control (db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc == SQLITE_OK && file != NULL && file->pMethods != NULL)
    rc = file->pMethods->xRead (file, header, HEADER_SIZE, 0);
  sqlite3_close_v2 (db);
  if (rc != SQLITE_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* The schema version in a file's header (PRAGMA user_version as last checkpointed), or -1 when
 * the header is not SQLite's. */
static int
header_user_version (const guint8 *header,
                     goffset       size)
{
  guint32 version;

  if (size < HEADER_SIZE || memcmp (header, SQLITE_HEADER, sizeof SQLITE_HEADER) != 0)
    return -1;
  memcpy (&version, header + HEADER_USER_VERSION_OFFSET, sizeof version);
  return (int) GUINT32_FROM_BE (version);
}

gboolean
pd_store_needs_upgrade (const char *path)
{
  guint8 header[HEADER_SIZE];
  goffset size = 0;
  int version;

  g_return_val_if_fail (path != NULL, FALSE);
  if (!read_header (path, header, &size, NULL))
    return FALSE;
  version = header_user_version (header, size);
  return version > 0 && version < PD_STORE_SCHEMA_VERSION;
}

static gboolean
wal_file_exists (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return g_file_test (wal, G_FILE_TEST_EXISTS);
}

/* Opens the file read-only for validation. Without a -wal file the database is opened as
 * immutable, so SQLite creates no -wal/-shm beside a file we may be about to refuse. */
static sqlite3 *
open_read_only (const char  *path,
                GError     **error)
{
  g_autofree char *uri = read_only_uri (path, !wal_file_exists (path));
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      set_corrupt_error (path, sqlite3_errstr (rc), error);
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  return db;
}

/* The first row's first column of sql as text (or NULL), and the result code. */
static int
read_only_query (sqlite3     *db,
                 const char  *sql,
                 char       **out_text)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  *out_text = NULL;
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* PRAGMA quick_check reads every page: about a second for a 100,000-organization cache on a
 * slow machine, paid at every start. Above this size only the root page of every table is
 * read; damage deeper in the file surfaces as PD_STORE_ERROR_CORRUPT from the statement that
 * meets it, and SQLite never writes over a page it could not read. */
#define QUICK_CHECK_MAX_BYTES (32 * 1024 * 1024)

/* "ok" in *out_check when the database looks sound; SQLite's finding otherwise. */
static int
check_database (sqlite3  *db,
                goffset   size,
                char    **out_check)
{
  sqlite3_stmt *tables = NULL;
  int rc;

  if (size <= QUICK_CHECK_MAX_BYTES)
    return read_only_query (db, "PRAGMA quick_check", out_check);
  rc = sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'", -1,
                           &tables, NULL);
  while (rc == SQLITE_OK && sqlite3_step (tables) == SQLITE_ROW)
    {
      /* "*" so that the table itself is read, not a covering index; %w quotes the
       * identifier, which comes from the file being checked. */
      char *sql = sqlite3_mprintf ("SELECT * FROM \"%w\" LIMIT 1",
                                   (const char *) sqlite3_column_text (tables, 0));
      g_autofree char *ignored = NULL;

      rc = read_only_query (db, sql, &ignored);
      sqlite3_free (sql);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_finalize (tables);
  else
    sqlite3_finalize (tables);
  if (rc == SQLITE_OK)
    *out_check = g_strdup ("ok");
  return rc;
}

/* Validates an existing database file without writing to it: the SQLite header, the schema
 * version (also from the header, so a newer file is refused before SQLite touches it), then
 * PRAGMA quick_check on a read-only connection. *out_version receives user_version. */
static gboolean
validate_existing (const char  *path,
                   int         *out_version,
                   GError     **error)
{
  guint8 header[HEADER_SIZE];
  goffset size = 0;
  sqlite3 *db;
  g_autofree char *version = NULL;
  g_autofree char *check = NULL;
  g_autofree char *n_tables = NULL;
  g_autoptr(GError) read_error = NULL;
  int rc;

  if (!read_header (path, header, &size, &read_error))
    {
      g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_FAILED,
                   _("Could not read the cache “%s”: %s"), path, read_error->message);
      return FALSE;
    }
  *out_version = 0;
  if (size == 0)
    return TRUE;   /* created by us and never written: SQLite treats it as a new database */
  if ((*out_version = header_user_version (header, size)) < 0)
    return set_corrupt_error (path, _("not a database"), error);
  if (*out_version > PD_STORE_SCHEMA_VERSION)
    return set_too_new_error (path, *out_version, error);

  if ((db = open_read_only (path, error)) == NULL)
    return FALSE;
  rc = read_only_query (db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK)
    rc = check_database (db, size, &check);
  if (rc == SQLITE_OK)
    rc = read_only_query (db, "SELECT count(*) FROM sqlite_schema", &n_tables);
  sqlite3_close_v2 (db);
  if (rc != SQLITE_OK)
    return set_corrupt_error (path, sqlite3_errstr (rc), error);
  if (g_strcmp0 (check, "ok") != 0)
    return set_corrupt_error (path, check != NULL ? check : _("integrity check failed"), error);
  /* The WAL may hold a newer page 1 than the header we read. */
  *out_version = version != NULL ? atoi (version) : 0;
  if (*out_version > PD_STORE_SCHEMA_VERSION)
    return set_too_new_error (path, *out_version, error);
  /* Some other program's database: switching it to WAL would already change it. */
  if (*out_version == 0 && g_strcmp0 (n_tables, "0") != 0)
    return set_corrupt_error (path, _("not a Partner Desk cache"), error);
  return TRUE;
}

static gboolean
set_io_error (int          saved_errno,
              const char  *what,
              const char  *path,
              GError     **error)
{
  PdStoreError code = saved_errno == ENOSPC ? PD_STORE_ERROR_DISK_FULL : PD_STORE_ERROR_FAILED;

  g_set_error (error, PD_STORE_ERROR, code, "%s “%s”: %s", what, path,
               g_strerror (saved_errno));
  return FALSE;
}

/* Creates the folder (0700) and an empty file (0600) so that SQLite never creates the file with
 * the process umask: the cache holds customer data. */
static gboolean
create_empty_file (const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_io_error (errno, _("Could not create the folder"), dir, error);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    return set_io_error (errno, _("Could not create the cache"), path, error);
  if (fd >= 0)
    close (fd);
  return TRUE;
}

/* TRUE when this process cannot write the cache: the file, or the folder where SQLite must
 * create the -wal and -shm files beside it. Such a cache is opened read-only: reading works,
 * and a write fails with PD_STORE_ERROR_READ_ONLY naming the path. */
static gboolean
cache_is_read_only (const char *path,
                    gboolean   *out_immutable)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  gboolean dir_writable = g_access (dir, W_OK) == 0;

  /* SQLite reads a WAL cache read-only when its -wal and -shm exist or can be created;
   * otherwise only as immutable (nobody can be writing it then: nobody can create a WAL). */
  *out_immutable = !dir_writable && !(wal_file_exists (path) && g_file_test (shm,
                                                                              G_FILE_TEST_EXISTS));
  return g_access (path, W_OK) != 0 || (!dir_writable && *out_immutable);
}

static gboolean
open_read_write (PdStore  *self,
                 GError  **error)
{
  gboolean immutable = FALSE;
  int rc;

  if (cache_is_read_only (self->path, &immutable))
    {
      g_autofree char *uri = read_only_uri (self->path, immutable);

      self->read_only = TRUE;
      rc = sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                                            | SQLITE_OPEN_NOMUTEX, NULL);
    }
  else
    rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (self->db, rc, error);
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (self->read_only)
    return exec_sql (self, "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", error);
  /* NORMAL is durable across application crashes in WAL mode; only a power loss can drop the
   * last transactions, never corrupt the file. */
  return exec_sql (self,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA synchronous = NORMAL;"
                   /* 32 MB of page cache: a sync of 100,000 customers updates indexes on
                    * random keys (tenant ids), which thrash SQLite's default 2 MB. */
                   "PRAGMA cache_size = -32768;"
                   "PRAGMA temp_store = MEMORY;"
                   /* Checkpoint every 32 MB instead of 4 MB: a sync rewrites the same index
                    * pages batch after batch; the WAL is cut back to 16 MB afterwards. */
                   "PRAGMA wal_autocheckpoint = 8192;"
                   "PRAGMA journal_size_limit = 16777216;",
                   error);
}

/* Is this an empty database, or one that some other program created? Only the former may
 * receive our schema. */
static gboolean
check_foreign_tables (PdStore  *self,
                      GError  **error)
{
  gint64 n_tables = 0;

  if (!query_int64 (self, "SELECT count(*) FROM sqlite_schema", 0, 0, &n_tables, error))
    return FALSE;
  if (n_tables > 0)
    return set_corrupt_error (self->path, _("not a Partner Desk cache"), error);
  return TRUE;
}

/* Runs every migration from the file's version to the current one in ONE transaction, so a
 * failure (a full disk, a crash) leaves the file at its old version with its data. */
static gboolean
migrate (PdStore  *self,
         GError  **error)
{
  gint64 version = 0;
  g_autofree char *set_version = NULL;
  gboolean ok;

  if (!begin_write (self, error))
    return FALSE;
  /* Another process may have migrated between validation and the write lock. */
  ok = query_int64 (self, "PRAGMA user_version", 0, 0, &version, error);
  if (ok && version == 0)
    ok = check_foreign_tables (self, error) && exec_sql (self, schema_v1, error);
  if (ok && version < 2)
    ok = exec_sql (self, schema_v2_sql, error);
  if (ok && version < 3)
    ok = exec_sql (self, schema_v3_sql, error) && migrate_fill_derived (self, error);
  if (ok && version > PD_STORE_SCHEMA_VERSION)
    ok = set_too_new_error (self->path, (int) version, error);
  set_version = g_strdup_printf ("PRAGMA user_version = %d", PD_STORE_SCHEMA_VERSION);
  if (ok && version < PD_STORE_SCHEMA_VERSION)
    ok = exec_sql (self, set_version, error);
  return end_write (self, ok, error);
}

static gboolean load_country_rules (PdStore *self, GError **error);
static gboolean refresh_rules_digest (PdStore *self, GError **error);
static char *rules_digest (PdStore *self);

PdStore *
pd_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(PdStore) self = g_object_new (PD_TYPE_STORE, NULL);
  int version = 0;

  self->path = path != NULL ? g_strdup (path) : pd_store_default_path ();
  if (g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      if (!validate_existing (self->path, &version, error))
        return NULL;
    }
  else if (!create_empty_file (self->path, error))
    return NULL;

  self->rules = pd_country_rules_new_bundled ();
  if (!open_read_write (self, error))
    return NULL;
  if (version < PD_STORE_SCHEMA_VERSION && self->read_only)
    {
      set_read_only_error (self->path, error);
      return NULL;
    }
  if (version < PD_STORE_SCHEMA_VERSION && !migrate (self, error))
    return NULL;
  self->schema_version = PD_STORE_SCHEMA_VERSION;
  /* A read-only cache keeps the flags it was written with, even if the rules changed since. */
  if (!load_country_rules (self, error)
      || (!self->read_only && !refresh_rules_digest (self, error)))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
pd_store_get_path (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return self->path;
}

int
pd_store_get_schema_version (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  return self->schema_version;
}

gboolean
pd_store_is_read_only (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  return self->read_only;
}

PdCountryRules *
pd_store_get_country_rules (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return self->rules;
}

/* ------------------------------------------------------------------------------------------ */
/* 3. Derived columns                                                                           */

/* Bit f is set when field f (PdBillToField, or PD_MISSING_REGISTRATION_NUMBER) stops orders. */
static guint32
compute_missing_mask (PdStore        *self,
                      PdOrganization *org)
{
  g_autoptr(GPtrArray) missing =
    pd_missing_fields_for (pd_organization_get_bill_to (org),
                           pd_organization_get_registration_number (org), self->rules);
  guint32 mask = 0;

  G_STATIC_ASSERT (PD_MISSING_N_FIELDS <= 32);
  for (guint i = 0; missing != NULL && i < missing->len; i++)
    {
      const PdMissingField *m = g_ptr_array_index (missing, i);

      if ((guint) m->field < PD_MISSING_N_FIELDS)
        mask |= 1u << m->field;
    }
  return mask;
}

static char *
nonempty_or_null (char *text)
{
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static gboolean
is_word_byte (char c)
{
  return (guchar) c >= 0x80 || g_ascii_isalnum (c);
}

#define MAX_SEARCH_WORDS 64

/* The distinct words collected so far: text, and where each word starts and ends in it. */
typedef struct {
  GString *text;
  guint    n;
  guint    start[MAX_SEARCH_WORDS];
  guint    len[MAX_SEARCH_WORDS];
} SearchWords;

static gboolean
has_word (const SearchWords *words,
          const char        *word,
          guint              len)
{
  for (guint i = 0; i < words->n; i++)
    if (words->len[i] == len &&
        g_ascii_strncasecmp (words->text->str + words->start[i], word, len) == 0)
      return TRUE;
  return FALSE;
}

/* Appends the words of text that words does not have yet. A word is a run of ASCII letters
 * and digits and non-ASCII characters: every unicode61 token lies inside one such run, so the
 * index of the joined words holds exactly the tokens of the original values, and a word seen
 * twice (ASCII case ignored: the e-mail's domain, say) is tokenised once. Past
 * MAX_SEARCH_WORDS distinct words, words are appended without the check. */
static void
add_search_words (SearchWords *words,
                  const char  *text)
{
  const char *p = text;

  while (p != NULL && *p != '\0')
    {
      const char *start;
      guint len;

      while (*p != '\0' && !is_word_byte (*p))
        p++;
      for (start = p; is_word_byte (*p); p++)
        ;
      len = (guint) (p - start);
      if (len == 0 || has_word (words, start, len))
        continue;
      if (words->text->len > 0)
        g_string_append_c (words->text, ' ');
      if (words->n < MAX_SEARCH_WORDS)
        {
          words->start[words->n] = (guint) words->text->len;
          words->len[words->n++] = len;
        }
      g_string_append_len (words->text, start, len);
    }
}

/* organizations.search_text: what prefix search finds an organization by (its effective name,
 * domain, ERP ID, e-mail and city), as distinct words. */
static char *
search_text_of (PdOrganization *org)
{
  const PdBillTo *eff = pd_organization_get_bill_to (org);
  SearchWords words = { .text = g_string_sized_new (128) };

  add_search_words (&words, pd_organization_get_name (org));
  add_search_words (&words, pd_organization_get_domain (org));
  add_search_words (&words, pd_organization_get_erp_id (org));
  add_search_words (&words, pd_bill_to_get (eff, PD_BILL_TO_EMAIL));
  add_search_words (&words, pd_bill_to_get (eff, PD_BILL_TO_CITY));
  return g_string_free (words.text, FALSE);
}

/* The values computed from an organization at write time. */
typedef struct {
  guint32     missing;
  char       *name_key;
  char       *domain_key;
  const char *country;     /* borrowed from the organization's effective bill-to */
  char       *search_text;
} Derived;

static void
derived_compute (PdStore        *self,
                 PdOrganization *org,
                 Derived        *d)
{
  const PdBillTo *eff = pd_organization_get_bill_to (org);
  const char *domain = pd_organization_get_domain (org);

  d->missing = compute_missing_mask (self, org);
  d->name_key = nonempty_or_null (pd_duplicates_normalize_name (pd_organization_get_name (org)));
  d->domain_key = str_empty (domain) ? NULL
                  : nonempty_or_null (pd_duplicates_normalize_domain (domain));
  d->country = pd_bill_to_get (eff, PD_BILL_TO_COUNTRY);
  d->search_text = search_text_of (org);
}

static void
derived_clear (Derived *d)
{
  g_clear_pointer (&d->name_key, g_free);
  g_clear_pointer (&d->domain_key, g_free);
  g_clear_pointer (&d->search_text, g_free);
}

/* Binds missing_mask, name_key, domain_key, eff_country, search_text from index on. */
static void
bind_derived (sqlite3_stmt  *stmt,
              int            index,
              const Derived *d)
{
  sqlite3_bind_int64 (stmt, index, d->missing);
  bind_static (stmt, index + 1, d->name_key);
  bind_static (stmt, index + 2, d->domain_key);
  bind_static_or_null (stmt, index + 3, d->country);
  bind_static (stmt, index + 4, d->search_text);
}

/* The full-text entry of organization id is rewritten at commit (flush_fts). indexed_text is
 * the search_text the index holds for it now (NULL: none), unless an earlier write of this
 * transaction already queued it: then the index still holds what that one said. */
static void
fts_queue (PdStore    *self,
           gint64      id,
           const char *indexed_text)
{
  if (g_hash_table_contains (self->pending_fts, &id))
    return;
  g_hash_table_insert (self->pending_fts, g_memdup2 (&id, sizeof id), g_strdup (indexed_text));
}

/* An external-content index forgets a row by being told the text it indexed, then takes the
 * row's search_text as it is now (nothing when the row is gone). */
static gboolean
flush_fts_row (PdStore     *self,
               gint64       id,
               const char  *indexed_text,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (indexed_text != NULL)
    {
      stmt = prepare (self, "INSERT INTO org_search (org_search, rowid, search_text) "
                            "VALUES ('delete', ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      bind_static (stmt, 2, indexed_text);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  stmt = prepare (self, "INSERT INTO org_search (rowid, search_text) SELECT id, search_text "
                        "FROM organizations WHERE id = ? AND search_text IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, error);
}

static gboolean
flush_fts (PdStore  *self,
           GError  **error)
{
  GHashTableIter iter;
  gpointer id, indexed_text;
  gboolean ok = TRUE;

  g_hash_table_iter_init (&iter, self->pending_fts);
  while (ok && g_hash_table_iter_next (&iter, &id, &indexed_text))
    ok = flush_fts_row (self, *(gint64 *) id, indexed_text, error);
  g_hash_table_remove_all (self->pending_fts);
  return ok;
}

/* Possible duplicates are organizations sharing a normalised name or domain (name_key,
 * domain_key). The flag is stored (organizations.dup) so that listing and counting need no
 * grouping. Keeping it exact row by row needs an index on each key, and random inserts into
 * those cost a first sync of 100,000 customers half of its time (batches of 500 rewrite most
 * of both indexes' pages at every commit); so every flag is recomputed in one pass instead:
 * at the end of a sync run, and before the commit of any other transaction that changed a key
 * (about 0.1 s for 100,000 organizations). */
typedef struct {
  gint64      id;
  const char *keys[2];    /* name, domain: interned, so equal keys are the same pointer */
  gboolean    dup;
} DupRow;

static gboolean
is_shared (GHashTable *counts,
           const char *key)
{
  return key != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) > 1;
}

static gboolean
write_dup_flags (PdStore  *self,
                 GArray   *rows,
                 GError  **error)
{
  for (guint i = 0; i < rows->len; i++)
    {
      DupRow *row = &g_array_index (rows, DupRow, i);
      sqlite3_stmt *stmt = prepare (self, "UPDATE organizations SET dup = ? WHERE id = ?", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, row->dup ? 1 : 0);
      sqlite3_bind_int64 (stmt, 2, row->id);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Reads the rows of stmt (id, name_key, domain_key, dup) into rows, interning the keys and
 * counting them in counts (name, domain). */
static gboolean
read_dup_rows (PdStore       *self,
               sqlite3_stmt  *stmt,
               GStringChunk  *interned,
               GArray        *rows,
               GHashTable    *counts[2],
               GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DupRow row = { sqlite3_column_int64 (stmt, 0), { NULL, NULL },
                     sqlite3_column_int (stmt, 3) != 0 };

      for (guint kind = 0; kind < 2; kind++)
        {
          const char *key = column_text (stmt, 1 + (int) kind);

          if (key == NULL)
            continue;
          row.keys[kind] = g_string_chunk_insert_const (interned, key);
          g_hash_table_insert (counts[kind], (gpointer) row.keys[kind],
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                 g_hash_table_lookup (counts[kind], row.keys[kind])) + 1));
        }
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);   /* bound without copies */
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Sets the flag of each of rows from counts and writes the ones that changed. */
static gboolean
write_changed_flags (PdStore     *self,
                     GArray      *rows,
                     GHashTable  *counts[2],
                     GError     **error)
{
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (DupRow));

  for (guint i = 0; i < rows->len; i++)
    {
      DupRow *row = &g_array_index (rows, DupRow, i);
      gboolean dup = is_shared (counts[0], row->keys[0]) || is_shared (counts[1], row->keys[1]);

      if (dup != row->dup)
        {
          row->dup = dup;
          g_array_append_val (changed, *row);
        }
    }
  return write_dup_flags (self, changed, error);
}

typedef struct {
  GStringChunk *interned;
  GHashTable   *counts[2];
  GArray       *rows;
} DupPass;

static void
dup_pass_init (DupPass *pass)
{
  pass->interned = g_string_chunk_new (1 << 12);
  for (guint kind = 0; kind < 2; kind++)
    pass->counts[kind] = g_hash_table_new (NULL, NULL);
  pass->rows = g_array_new (FALSE, FALSE, sizeof (DupRow));
}

static void
dup_pass_clear (DupPass *pass)
{
  g_string_chunk_free (pass->interned);
  for (guint kind = 0; kind < 2; kind++)
    g_hash_table_unref (pass->counts[kind]);
  g_array_unref (pass->rows);
}

/* Every flag, from one pass over every organization: 0.2 s for 100,000. */
static gboolean
recompute_dups (PdStore  *self,
                GError  **error)
{
  DupPass pass;
  sqlite3_stmt *stmt = prepare (self, "SELECT id, name_key, domain_key, dup FROM organizations",
                                error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  dup_pass_init (&pass);
  ok = read_dup_rows (self, stmt, pass.interned, pass.rows, pass.counts, error) &&
       write_changed_flags (self, pass.rows, pass.counts, error);
  dup_pass_clear (&pass);
  return ok;
}

/* More stale keys than this, or more keys among their groups' members: every flag is
 * recomputed instead. */
#define MAX_STALE_KEYS 32
#define MAX_MEMBER_KEYS 256

static void
append_key_list (GString    *sql,
                 const char *column,
                 guint       n)
{
  if (n == 0)
    {
      g_string_append (sql, "0");
      return;
    }
  g_string_append_printf (sql, "%s IN (?", column);
  for (guint i = 1; i < n; i++)
    g_string_append (sql, ", ?");
  g_string_append_c (sql, ')');
}

/* The organizations whose name key is one of keys[0] or whose domain key is one of keys[1]
 * (id, name_key, domain_key, dup), prepared and bound without copies. */
static sqlite3_stmt *
select_by_keys (PdStore    *self,
                GPtrArray  *keys[2],
                GError    **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT id, name_key, domain_key, dup "
                                         "FROM organizations WHERE ");
  sqlite3_stmt *stmt;
  int index = 1;

  append_key_list (sql, "name_key", keys[0]->len);
  g_string_append (sql, " OR ");
  append_key_list (sql, "domain_key", keys[1]->len);
  if ((stmt = prepare_dynamic (self, sql->str, error)) == NULL)
    return NULL;
  for (guint kind = 0; kind < 2; kind++)
    for (guint i = 0; i < keys[kind]->len; i++)
      bind_static (stmt, index++, g_ptr_array_index (keys[kind], i));
  return stmt;
}

static GPtrArray *
keys_of_set (GHashTable *set)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  return keys;
}

/* Only the flags a local write can change, in two scans instead of a pass that interns every
 * key: the members of the stale groups, then every row sharing a key with one of them (a
 * member's other key counts too). *out_too_many when the groups are too big for that. */
static gboolean
recompute_dups_of_keys (PdStore   *self,
                        gboolean  *out_too_many,
                        GError   **error)
{
  g_autoptr(GPtrArray) stale_name = keys_of_set (self->stale_keys[0]);
  g_autoptr(GPtrArray) stale_domain = keys_of_set (self->stale_keys[1]);
  g_autoptr(GPtrArray) member_name = NULL;
  g_autoptr(GPtrArray) member_domain = NULL;
  GPtrArray *stale[2] = { stale_name, stale_domain };
  GPtrArray *members[2];
  g_autoptr(GArray) shared = g_array_new (FALSE, FALSE, sizeof (DupRow));
  DupPass pass;
  sqlite3_stmt *stmt;
  gboolean ok;

  *out_too_many = FALSE;
  if ((stmt = select_by_keys (self, stale, error)) == NULL)
    return FALSE;
  dup_pass_init (&pass);
  ok = read_dup_rows (self, stmt, pass.interned, pass.rows, pass.counts, error);
  member_name = keys_of_set (pass.counts[0]);
  member_domain = keys_of_set (pass.counts[1]);
  members[0] = member_name;
  members[1] = member_domain;
  *out_too_many = member_name->len + member_domain->len > MAX_MEMBER_KEYS;
  if (ok && !*out_too_many)
    {
      for (guint kind = 0; kind < 2; kind++)
        g_hash_table_remove_all (pass.counts[kind]);
      ok = (stmt = select_by_keys (self, members, error)) != NULL &&
           read_dup_rows (self, stmt, pass.interned, shared, pass.counts, error) &&
           write_changed_flags (self, pass.rows, pass.counts, error);
    }
  dup_pass_clear (&pass);
  return ok;
}

/* The groups of these keys gained or lost a member in this transaction. */
static void
keys_stale (PdStore    *self,
            const char *name_key,
            const char *domain_key)
{
  const char *keys[2] = { name_key, domain_key };

  for (guint kind = 0; kind < 2; kind++)
    {
      if (keys[kind] == NULL)
        continue;
      self->dups_stale = TRUE;
      if (g_hash_table_size (self->stale_keys[kind]) >= MAX_STALE_KEYS)
        self->dups_stale_all = TRUE;
      else
        g_hash_table_add (self->stale_keys[kind], g_strdup (keys[kind]));
    }
}

static void
all_dups_stale (PdStore *self)
{
  self->dups_stale = self->dups_stale_all = TRUE;
}

static void
dups_settled (PdStore *self)
{
  self->dups_stale = self->dups_stale_all = FALSE;
  for (guint kind = 0; kind < 2; kind++)
    g_hash_table_remove_all (self->stale_keys[kind]);
}

#define DUPS_STALE_KEY "dups-stale"

/* Before a commit: recomputes the duplicate flags a key change made stale, or, while a sync
 * run defers them, records in the file that every flag is stale (a run that dies leaves that
 * mark for the next run to settle). */
static gboolean
settle_dups (PdStore  *self,
             GError  **error)
{
  gboolean all = self->dups_stale_all;
  gboolean ok = TRUE;
  sqlite3_stmt *stmt;

  if (!self->dups_stale)
    return TRUE;
  if (self->defer_dups)
    {
      dups_settled (self);
      return exec_sql (self, "INSERT OR REPLACE INTO meta (key, value) VALUES "
                             "('" DUPS_STALE_KEY "', '1')", error);
    }
  if (!all)
    ok = recompute_dups_of_keys (self, &all, error);
  dups_settled (self);
  if (!ok || !all)
    return ok;
  /* Only a pass over every flag settles what a run left stale. */
  stmt = prepare (self, "DELETE FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_static (stmt, 1, DUPS_STALE_KEY);
  return recompute_dups (self, error) && step_done (self, stmt, error);
}

/* Inside a write transaction: whether a sync run left the duplicate flags stale; then they are
 * recomputed before this transaction commits. */
static gboolean
take_stale_mark (PdStore  *self,
                 GError  **error)
{
  gint64 n = 0;

  if (!query_int64 (self, "SELECT count(*) FROM meta WHERE key = '" DUPS_STALE_KEY "'", 0, 0,
                    &n, error))
    return FALSE;
  if (n > 0)
    all_dups_stale (self);
  return TRUE;
}

/* The duplicate keys and search text organization id has now (all NULL when it does not
 * exist). */
static gboolean
read_row_keys (PdStore  *self,
               gint64    id,
               char    **out_name_key,
               char    **out_domain_key,
               char    **out_search_text,
               GError  **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT name_key, domain_key, search_text "
                                      "FROM organizations WHERE id = ?", error);
  int rc;

  *out_name_key = *out_domain_key = *out_search_text = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_name_key = g_strdup (column_text (stmt, 0));
      *out_domain_key = g_strdup (column_text (stmt, 1));
      *out_search_text = g_strdup (column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Rewrites the derived columns of org (whose id is set) from the organization as it is now,
 * and queues its full-text entry when its search text changed. */
static gboolean
write_derived (PdStore         *self,
               PdOrganization  *org,
               GError         **error)
{
  gint64 id = pd_organization_get_id (org);
  g_autofree char *old_name_key = NULL;
  g_autofree char *old_domain_key = NULL;
  g_autofree char *old_search_text = NULL;
  Derived d = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!read_row_keys (self, id, &old_name_key, &old_domain_key, &old_search_text, error))
    return FALSE;
  stmt = prepare (self, "UPDATE organizations SET missing_mask = ?, name_key = ?, "
                        "domain_key = ?, eff_country = ?, search_text = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  derived_compute (self, org, &d);
  bind_derived (stmt, 1, &d);
  sqlite3_bind_int64 (stmt, 6, id);
  ok = step_done (self, stmt, error);
  if (g_strcmp0 (old_name_key, d.name_key) != 0)
    {
      keys_stale (self, old_name_key, NULL);
      keys_stale (self, d.name_key, NULL);
    }
  if (g_strcmp0 (old_domain_key, d.domain_key) != 0)
    {
      keys_stale (self, NULL, old_domain_key);
      keys_stale (self, NULL, d.domain_key);
    }
  if (ok && g_strcmp0 (old_search_text, d.search_text) != 0)
    fts_queue (self, id, old_search_text);
  derived_clear (&d);
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 4. Reading                                                                                   */

typedef struct {
  PdBillTo *bill_to;
  char     *base_etag;
} Override;

static void
override_free (gpointer data)
{
  Override *o = data;

  pd_bill_to_free (o->bill_to);
  g_free (o->base_etag);
  g_free (o);
}

/* Overrides of one organization (id > 0) or of all: gint64* → Override. Loaded in one query
 * so that listing never runs a query per row. */
static GHashTable *
load_overrides (PdStore  *self,
                gint64    id,
                GError  **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       override_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, id > 0
                  ? "SELECT org_id, field, value, base_etag FROM bill_to_overrides "
                    "WHERE org_id = ?"
                  : "SELECT org_id, field, value, base_etag FROM bill_to_overrides", error);
  if (stmt == NULL)
    return NULL;
  if (id > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 org_id = sqlite3_column_int64 (stmt, 0);
      int field = sqlite3_column_int (stmt, 1);
      Override *o = g_hash_table_lookup (table, &org_id);

      if (field < 0 || field >= PD_BILL_TO_N_FIELDS)
        continue;
      if (o == NULL)
        {
          o = g_new0 (Override, 1);
          o->bill_to = pd_bill_to_new ();
          o->base_etag = g_strdup (column_text (stmt, 3));
          g_hash_table_insert (table, g_memdup2 (&org_id, sizeof org_id), o);
        }
      /* Set directly: an override may be the empty string ("cleared locally"), which
       * pd_bill_to_set would turn into "not overridden". */
      g_free (o->bill_to->values[field]);
      o->bill_to->values[field] = g_strdup (column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&table);
}

#define ORG_COLUMNS \
  "o.id, o.tenant_id, o.source, o.name, o.domain, o.country, o.relationship, " \
  "o.delegated_access, o.reseller_id, o.reseller_name, o.removed, o.last_synced_at, " \
  "o.missing_mask, l.erp_id, l.registration_number, l.segments, l.currency, " \
  "l.currency_effective, l.status, l.login_options, l.account_manager, l.notes, o.pc_etag, " \
  PC_BILL_TO_COLUMNS
#define ORG_FROM \
  " FROM organizations o LEFT JOIN local_fields l ON l.org_id = o.id "

enum {
  COL_ID, COL_TENANT, COL_SOURCE, COL_NAME, COL_DOMAIN, COL_COUNTRY, COL_RELATIONSHIP,
  COL_DELEGATED, COL_RESELLER_ID, COL_RESELLER_NAME, COL_REMOVED, COL_LAST_SYNCED,
  COL_MISSING, COL_ERP, COL_REGNO, COL_SEGMENTS, COL_CURRENCY, COL_CURRENCY_EFFECTIVE,
  COL_STATUS, COL_LOGIN, COL_MANAGER, COL_NOTES, COL_ETAG, COL_BILL_TO,
  COL_DUPLICATE = COL_BILL_TO + PD_BILL_TO_N_FIELDS,
  COL_HAS_OVERRIDE,   /* only in ORG_GET_SQL */
};

static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (str_empty (text))
    return g_strv_builder_end (builder);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
set_missing_from_mask (PdOrganization *org,
                       guint32         mask)
{
  const char *paths[PD_MISSING_N_FIELDS + 1];
  guint n = 0;

  for (guint i = 0; i < PD_MISSING_N_FIELDS; i++)
    if (mask & (1u << i))
      paths[n++] = pd_missing_field_path ((PdBillToField) i);
  paths[n] = NULL;
  pd_organization_set_missing_fields (org, paths);
}

static void
org_set_local_fields (PdOrganization *org,
                      sqlite3_stmt   *stmt)
{
  const char *segments_text = column_text (stmt, COL_SEGMENTS);
  const char *login_text = column_text (stmt, COL_LOGIN);
  g_auto(GStrv) segments = segments_text != NULL ? split_list (segments_text) : NULL;
  g_auto(GStrv) login = login_text != NULL ? split_list (login_text) : NULL;

  pd_organization_set_erp_id (org, column_text (stmt, COL_ERP));
  pd_organization_set_registration_number (org, column_text (stmt, COL_REGNO));
  pd_organization_set_segments (org, (const char * const *) segments);
  pd_organization_set_currency (org, column_text (stmt, COL_CURRENCY));
  if (sqlite3_column_type (stmt, COL_CURRENCY_EFFECTIVE) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) when =
        date_time_from_seconds (sqlite3_column_int64 (stmt, COL_CURRENCY_EFFECTIVE));
      pd_organization_set_currency_effective (org, when);
    }
  pd_organization_set_status (org, (PdOrgStatus) sqlite3_column_int (stmt, COL_STATUS));
  pd_organization_set_login_options (org, (const char * const *) login);
  pd_organization_set_account_manager (org, column_text (stmt, COL_MANAGER));
  pd_organization_set_notes (org, column_text (stmt, COL_NOTES));
}

static void
org_set_bill_to (PdOrganization *org,
                 sqlite3_stmt   *stmt,
                 GHashTable     *overrides)
{
  /* Borrows the row's text: the organization copies what it keeps, and a list of 100,000
   * should not copy every value twice. */
  PdBillTo pc = { { NULL } };
  gint64 id = pd_organization_get_id (org);
  Override *o = overrides != NULL ? g_hash_table_lookup (overrides, &id) : NULL;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    pc.values[i] = (char *) column_text (stmt, COL_BILL_TO + i);
  pd_organization_set_bill_to_partner_center (org, &pc, column_text (stmt, COL_ETAG));
  if (o != NULL)
    pd_organization_set_bill_to_override (org, o->bill_to, o->base_etag);
}

/* An organization from a row of ORG_COLUMNS (+ the duplicate flag when has_dup). */
static PdOrganization *
org_from_row (sqlite3_stmt *stmt,
              GHashTable   *overrides,
              gboolean      has_dup)
{
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_id (org, sqlite3_column_int64 (stmt, COL_ID));
  pd_organization_set_tenant_id (org, column_text (stmt, COL_TENANT));
  pd_organization_set_source (org, (PdOrgSource) sqlite3_column_int (stmt, COL_SOURCE));
  pd_organization_set_name (org, column_text (stmt, COL_NAME));
  pd_organization_set_domain (org, column_text (stmt, COL_DOMAIN));
  pd_organization_set_country (org, column_text (stmt, COL_COUNTRY));
  pd_organization_set_relationship (org, column_text (stmt, COL_RELATIONSHIP));
  pd_organization_set_delegated_access (org, sqlite3_column_int (stmt, COL_DELEGATED) != 0);
  /* A new organization has the defaults of an empty row: setting only what is there keeps a
   * list of 100,000 cheap. */
  if (sqlite3_column_type (stmt, COL_RESELLER_ID) != SQLITE_NULL)
    pd_organization_set_reseller (org, column_text (stmt, COL_RESELLER_ID),
                                  column_text (stmt, COL_RESELLER_NAME));
  if (sqlite3_column_int (stmt, COL_REMOVED) != 0)
    pd_organization_set_removed (org, TRUE);
  if (sqlite3_column_type (stmt, COL_LAST_SYNCED) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) when =
        date_time_from_seconds (sqlite3_column_int64 (stmt, COL_LAST_SYNCED));
      pd_organization_set_last_synced_at (org, when);
    }
  /* status is NOT NULL in local_fields: NULL here means the organization has no local row. */
  if (sqlite3_column_type (stmt, COL_STATUS) != SQLITE_NULL)
    org_set_local_fields (org, stmt);
  org_set_bill_to (org, stmt, overrides);
  if (sqlite3_column_int64 (stmt, COL_MISSING) != 0)
    set_missing_from_mask (org, (guint32) sqlite3_column_int64 (stmt, COL_MISSING));
  if (has_dup && sqlite3_column_int (stmt, COL_DUPLICATE) != 0)
    pd_organization_set_possible_duplicate (org, TRUE);
  return org;
}

static PdOrganization *
load_org_where (PdStore     *self,
                const char  *sql,
                const char  *text_arg,
                gint64       int_arg,
                GError     **error)
{
  g_autoptr(GHashTable) overrides = NULL;
  sqlite3_stmt *stmt = prepare (self, sql, error);
  PdOrganization *org = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (text_arg != NULL)
    bind_text (stmt, 1, text_arg);
  else
    sqlite3_bind_int64 (stmt, 1, int_arg);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      /* Overrides use their own statement: read them before this row's text is reset. */
      gint64 id = sqlite3_column_int64 (stmt, COL_ID);
      gboolean has_override = sqlite3_column_int (stmt, COL_HAS_OVERRIDE) != 0;

      org = org_from_row (stmt, NULL, TRUE);
      sqlite3_reset (stmt);
      if (!has_override)
        return org;
      overrides = load_overrides (self, id, error);
      if (overrides == NULL)
        g_clear_object (&org);
      else if (g_hash_table_size (overrides) > 0)
        {
          Override *o = g_hash_table_lookup (overrides, &id);
          pd_organization_set_bill_to_override (org, o->bill_to, o->base_etag);
        }
      return org;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (self->db, rc, error);
  return NULL;
}

#define ORG_GET_SQL(where) \
  "SELECT " ORG_COLUMNS ", o.dup, " \
  "EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)" ORG_FROM where

static PdOrganization *
get_org (PdStore  *self,
         gint64    id,
         gboolean  missing_is_error,
         GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  PdOrganization *org = load_org_where (self, ORG_GET_SQL ("WHERE o.id = ?"), NULL, id,
                                        &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (org == NULL && missing_is_error)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND,
                 _("No organization with id %" G_GINT64_FORMAT), id);
  return org;
}

PdOrganization *
pd_store_get (PdStore  *self,
              gint64    id,
              GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return get_org (self, id, TRUE, error);
}

/* Tenant ids are GUIDs; they are stored lower case so lookups can use the unique index. */
static char *
normalize_tenant (const char *tenant_id)
{
  char *tenant = g_strstrip (g_ascii_strdown (tenant_id != NULL ? tenant_id : "", -1));

  if (*tenant == '\0')
    g_clear_pointer (&tenant, g_free);
  return tenant;
}

static PdOrganization *
find_by_tenant (PdStore     *self,
                const char  *tenant_id,
                GError     **error)
{
  g_autofree char *tenant = normalize_tenant (tenant_id);

  if (tenant == NULL)
    return NULL;
  return load_org_where (self, ORG_GET_SQL ("WHERE o.tenant_id = ?"), tenant, 0, error);
}

static gboolean
set_not_found (const char  *org,
               GError     **error)
{
  g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND,
               _("No organization matches “%s” (give a local id, a tenant id or a domain)"),
               org);
  return FALSE;
}

PdOrganization *
pd_store_find_by_tenant (PdStore     *self,
                         const char  *tenant_id,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PdOrganization *org;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  org = find_by_tenant (self, tenant_id, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (org == NULL)
    set_not_found (tenant_id != NULL ? tenant_id : "", error);
  return org;
}

static gboolean
is_all_digits (const char *text)
{
  if (str_empty (text))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

PdOrganization *
pd_store_find (PdStore     *self,
               const char  *org,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PdOrganization *found = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (org != NULL, NULL);

  if (is_all_digits (org))
    found = get_org (self, g_ascii_strtoll (org, NULL, 10), FALSE, &local_error);
  if (found == NULL && local_error == NULL)
    found = find_by_tenant (self, org, &local_error);
  if (found == NULL && local_error == NULL)
    found = load_org_where (self,
                            ORG_GET_SQL ("WHERE o.domain = ? COLLATE NOCASE ORDER BY o.id"),
                            org, 0, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (found == NULL)
    set_not_found (org, error);
  return found;
}

/* User text → an FTS5 query: each word becomes a quoted prefix token ("cont"*), words are
 * ANDed. Only letters and digits survive, so quotes, parentheses and operators typed by the
 * user are never FTS5 syntax. NULL when no word is left. */
static char *
build_match (const char *search)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) word = g_string_new (NULL);

  if (search == NULL || !g_utf8_validate (search, -1, NULL))
    return NULL;
  for (const char *p = search;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_string_append_printf (match, "%s\"%s\"*", match->len > 0 ? " AND " : "", word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return match->len > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

static const char *
filter_condition (PdFilter filter)
{
  switch (filter)
    {
    case PD_FILTER_INCOMPLETE:
      return "o.missing_mask != 0";
    case PD_FILTER_LOCAL_EDITS:
      return "EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)";
    case PD_FILTER_DUPLICATES:
      return "o.dup != 0";
    case PD_FILTER_MANUAL:
      return "o.source = 1";
    case PD_FILTER_REMOVED:
      return "o.removed != 0";
    case PD_FILTER_ALL:
    case PD_N_FILTERS:
    default:
      return NULL;
    }
}

/* The WHERE clause for a query; only fixed SQL fragments, values are bound in the order
 * search, reseller (see bind_query). */
static void
append_where (GString            *sql,
              const PdStoreQuery *query,
              const char         *match,
              gboolean            with_filter)
{
  const char *filter = with_filter ? filter_condition (query->filter) : NULL;
  const char *sep = " WHERE ";

  if (match != NULL)
    {
      g_string_append_printf (sql, "%so.id IN (SELECT rowid FROM org_search "
                                   "WHERE org_search MATCH ?)", sep);
      sep = " AND ";
    }
  if (!str_empty (query->reseller_id))
    {
      g_string_append_printf (sql, "%so.reseller_id = ?", sep);
      sep = " AND ";
    }
  if (filter != NULL)
    g_string_append_printf (sql, "%s%s", sep, filter);
}

static int
bind_query (sqlite3_stmt       *stmt,
            const PdStoreQuery *query,
            const char         *match)
{
  int index = 1;

  if (match != NULL)
    bind_text (stmt, index++, match);
  if (!str_empty (query->reseller_id))
    bind_text (stmt, index++, query->reseller_id);
  return index;
}

/* The order of ORDER BY name COLLATE NOCASE, id: ASCII case folding, then bytes. Sorting the
 * pointers here is cheaper than sending every full row through SQLite's sorter. */
static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  PdOrganization *x = *(PdOrganization **) a;
  PdOrganization *y = *(PdOrganization **) b;
  const char *nx = pd_organization_get_name (x);
  const char *ny = pd_organization_get_name (y);
  int c = g_ascii_strcasecmp (nx != NULL ? nx : "", ny != NULL ? ny : "");
  gint64 ix = pd_organization_get_id (x), iy = pd_organization_get_id (y);

  if (c != 0)
    return c;
  return ix < iy ? -1 : ix > iy;
}

GPtrArray *
pd_store_list (PdStore             *self,
               const PdStoreQuery  *query,
               GError             **error)
{
  static const PdStoreQuery all = { 0 };
  g_autofree char *match = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " ORG_COLUMNS ", o.dup" ORG_FROM);
  g_autoptr(GHashTable) overrides = NULL;
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc, index;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (query == NULL)
    query = &all;
  match = build_match (query->search);
  if (query->limit > 0)
    {
      /* Only the ids go through SQLite's sorter; the limited rows are then read in full. */
      g_string_append (sql, "WHERE o.id IN (SELECT o.id FROM organizations o");
      append_where (sql, query, match, TRUE);
      g_string_append (sql, " ORDER BY o.name COLLATE NOCASE, o.id LIMIT ?)");
    }
  else
    append_where (sql, query, match, TRUE);

  if ((overrides = load_overrides (self, 0, error)) == NULL)
    return NULL;
  if ((stmt = prepare_dynamic (self, sql->str, error)) == NULL)
    return NULL;
  index = bind_query (stmt, query, match);
  if (query->limit > 0)
    sqlite3_bind_int64 (stmt, index, query->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (orgs, org_from_row (stmt, overrides, TRUE));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  g_ptr_array_sort (orgs, compare_by_name);
  return g_steal_pointer (&orgs);
}

gboolean
pd_store_count_filters (PdStore             *self,
                        const PdStoreQuery  *query,
                        guint               *counts,
                        GError             **error)
{
  static const PdStoreQuery all = { 0 };
  g_autofree char *match = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  if (query == NULL)
    query = &all;
  match = build_match (query->search);
  sql = g_string_new ("SELECT count(*), "
                      "total (o.missing_mask != 0), "
                      "total (EXISTS (SELECT 1 FROM bill_to_overrides v WHERE v.org_id = o.id)), "
                      "total (o.dup != 0), total (o.source = 1), total (o.removed != 0) "
                      "FROM organizations o");
  append_where (sql, query, match, FALSE);
  if ((stmt = prepare_dynamic (self, sql->str, error)) == NULL)
    return FALSE;
  bind_query (stmt, query, match);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      G_STATIC_ASSERT (PD_N_FILTERS == 6);
      for (guint i = 0; i < PD_N_FILTERS; i++)
        counts[i] = (guint) sqlite3_column_int64 (stmt, (int) i);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

guint
pd_store_count (PdStore *self)
{
  gint64 n = 0;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  query_int64 (self, "SELECT count(*) FROM organizations", 0, 0, &n, NULL);
  return (guint) n;
}

GPtrArray *
pd_store_get_history (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pd_history_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT org_id, what, old_value, new_value, by, at, sync_run_id "
                        "FROM history WHERE org_id = ? ORDER BY at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdHistoryEntry *e = g_new0 (PdHistoryEntry, 1);

      e->org_id = sqlite3_column_int64 (stmt, 0);
      e->what = g_strdup (column_text (stmt, 1));
      e->old_value = g_strdup (column_text (stmt, 2));
      e->new_value = g_strdup (column_text (stmt, 3));
      e->by = (PdChangeBy) sqlite3_column_int (stmt, 4);
      e->when = date_time_from_seconds (sqlite3_column_int64 (stmt, 5));
      e->sync_run_id = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (entries, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

GPtrArray *
pd_store_list_resellers (PdStore  *self,
                         GError  **error)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT reseller_id, max (coalesce (reseller_name, '')) AS n "
                        "FROM organizations WHERE reseller_id IS NOT NULL "
                        "GROUP BY reseller_id ORDER BY n COLLATE NOCASE, reseller_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (pairs, g_strdup_printf ("%s\t%s", column_text (stmt, 0),
                                             column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&pairs);
}

/* ------------------------------------------------------------------------------------------ */
/* 5. Local edits                                                                               */

static gboolean
add_history (PdStore     *self,
             gint64       org_id,
             const char  *what,
             const char  *old_value,
             const char  *new_value,
             PdChangeBy   by,
             gint64       run_id,
             GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO history (org_id, what, old_value, new_value, "
                                      "by, at, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  bind_static (stmt, 2, what);
  bind_static (stmt, 3, old_value);
  bind_static (stmt, 4, new_value);
  sqlite3_bind_int (stmt, 5, by);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());
  if (run_id > 0)
    sqlite3_bind_int64 (stmt, 7, run_id);
  return step_done (self, stmt, error);
}

/* Fails with ERP_ID_TAKEN, naming the organization that has erp_id (other than id). */
static gboolean
check_erp_id_free (PdStore     *self,
                   gint64       id,
                   const char  *erp_id,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (str_empty (erp_id))
    return TRUE;
  stmt = prepare (self, "SELECT o.id, o.name FROM local_fields l "
                        "JOIN organizations o ON o.id = l.org_id "
                        "WHERE l.erp_id = ? COLLATE NOCASE AND l.org_id != ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, erp_id);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN,
                 _("ERP ID “%s” is already used by %s (id %" G_GINT64_FORMAT ")"),
                 erp_id, column_text (stmt, 1), (gint64) sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return FALSE;
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

typedef enum {
  KEY_TEXT,       /* local_fields text column */
  KEY_LIST,       /* local_fields comma-separated list */
  KEY_ERP_ID,
  KEY_CURRENCY,
  KEY_STATUS,
  KEY_ORG_TEXT,   /* organizations column, manual organizations only */
  KEY_ORG_COUNTRY,
} KeyKind;

typedef struct {
  const char *key;
  const char *column;
  const char *what;     /* history field path, as the JSON key */
  KeyKind     kind;
} FieldKey;

static const FieldKey field_keys[] = {
  { "erp-id", "erp_id", "erpId", KEY_ERP_ID },
  { "registration-number", "registration_number", "registrationNumber", KEY_TEXT },
  { "segments", "segments", "segments", KEY_LIST },
  { "currency", "currency", "currency", KEY_CURRENCY },
  { "status", "status", "status", KEY_STATUS },
  { "login-options", "login_options", "loginOptions", KEY_LIST },
  { "account-manager", "account_manager", "accountManager", KEY_TEXT },
  { "notes", "notes", "notes", KEY_TEXT },
  { "name", "name", "name", KEY_ORG_TEXT },
  { "domain", "domain", "domain", KEY_ORG_TEXT },
  { "country", "country", "country", KEY_ORG_COUNTRY },
};

static const FieldKey *
lookup_field_key (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (field_keys); i++)
    if (g_str_equal (field_keys[i].key, key))
      return &field_keys[i];
  return NULL;
}

static char *
join_list (const char * const *items)
{
  return items != NULL && items[0] != NULL ? g_strjoinv (",", (char **) items) : NULL;
}

/* The current value of a key, as text for the history. */
static char *
org_value_text (PdOrganization *org,
                const FieldKey *fk)
{
  if (g_str_equal (fk->key, "erp-id"))
    return g_strdup (pd_organization_get_erp_id (org));
  if (g_str_equal (fk->key, "registration-number"))
    return g_strdup (pd_organization_get_registration_number (org));
  if (g_str_equal (fk->key, "segments"))
    return join_list (pd_organization_get_segments (org));
  if (g_str_equal (fk->key, "currency"))
    return g_strdup (pd_organization_get_currency (org));
  if (g_str_equal (fk->key, "status"))
    return g_strdup (pd_org_status_to_string (pd_organization_get_status (org)));
  if (g_str_equal (fk->key, "login-options"))
    return join_list (pd_organization_get_login_options (org));
  if (g_str_equal (fk->key, "account-manager"))
    return g_strdup (pd_organization_get_account_manager (org));
  if (g_str_equal (fk->key, "notes"))
    return g_strdup (pd_organization_get_notes (org));
  if (g_str_equal (fk->key, "name"))
    return g_strdup (pd_organization_get_name (org));
  if (g_str_equal (fk->key, "domain"))
    return g_strdup (pd_organization_get_domain (org));
  return g_strdup (pd_organization_get_country (org));
}

static gboolean G_GNUC_PRINTF (2, 3)
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PD_STORE_ERROR, PD_STORE_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

static gboolean
set_invalid_literal (GError     **error,
                     const char  *message)
{
  g_set_error_literal (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* Normalises and validates value for fk: *out is the text to store (NULL = clear). */
static gboolean
normalize_value (const FieldKey  *fk,
                 const char      *value,
                 char           **out,
                 GError         **error)
{
  g_autofree char *text = value != NULL ? g_strstrip (g_strdup (value)) : NULL;
  g_auto(GStrv) items = NULL;

  *out = NULL;
  if (fk->kind == KEY_STATUS)
    {
      g_autofree char *lower = text != NULL ? g_ascii_strdown (text, -1) : NULL;
      if (!pd_org_status_from_string (lower, NULL))
        return set_invalid (error, _("“%s” is not a status (new, active or blocked)"),
                            text != NULL ? text : "");
      *out = g_steal_pointer (&lower);
      return TRUE;
    }
  if (str_empty (text))
    {
      if (g_str_equal (fk->key, "name"))
        return set_invalid_literal (error, _("The name cannot be empty"));
      return TRUE;
    }
  switch (fk->kind)
    {
    case KEY_CURRENCY:
    case KEY_ORG_COUNTRY:
      *out = g_ascii_strup (text, -1);
      if (fk->kind == KEY_CURRENCY && !pd_currency_code_is_valid (*out))
        return set_invalid (error, _("“%s” is not an ISO 4217 currency code"), text);
      if (fk->kind == KEY_ORG_COUNTRY && !pd_country_code_is_valid (*out))
        return set_invalid (error, _("“%s” is not an ISO 3166 country code"), text);
      return TRUE;
    case KEY_LIST:
      items = split_list (text);
      *out = join_list ((const char * const *) items);
      return TRUE;
    case KEY_ORG_TEXT:
      *out = g_str_equal (fk->key, "domain") ? g_ascii_strdown (text, -1)
                                             : g_steal_pointer (&text);
      return TRUE;
    case KEY_TEXT:
    case KEY_ERP_ID:
    case KEY_STATUS:
    default:
      *out = g_steal_pointer (&text);
      return TRUE;
    }
}

/* The 1st of next month, 00:00 UTC: when a currency change takes effect. */
static gint64
first_of_next_month (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int year = g_date_time_get_year (now);
  int month = g_date_time_get_month (now);
  g_autoptr(GDateTime) first = g_date_time_new_utc (month == 12 ? year + 1 : year,
                                                    month == 12 ? 1 : month + 1, 1, 0, 0, 0);

  return g_date_time_to_unix (first);
}

static gboolean
ensure_local_row (PdStore  *self,
                  gint64    id,
                  GError  **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO local_fields (org_id) VALUES (?) "
                                      "ON CONFLICT (org_id) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, error);
}

static gboolean
write_field (PdStore         *self,
             gint64           id,
             const FieldKey  *fk,
             const char      *value,
             GError         **error)
{
  gboolean org_table = fk->kind == KEY_ORG_TEXT || fk->kind == KEY_ORG_COUNTRY;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  PdOrgStatus status = PD_ORG_STATUS_NEW;

  if (!org_table && !ensure_local_row (self, id, error))
    return FALSE;
  /* The column name comes from field_keys, never from the caller. */
  sql = org_table
        ? g_strdup_printf ("UPDATE organizations SET %s = ? WHERE id = ?", fk->column)
        : g_strdup_printf ("UPDATE local_fields SET %s = ?%s WHERE org_id = ?", fk->column,
                           fk->kind == KEY_CURRENCY ? ", currency_effective = ?" : "");
  if ((stmt = prepare_dynamic (self, sql, error)) == NULL)
    return FALSE;
  if (fk->kind == KEY_STATUS && pd_org_status_from_string (value, &status))
    sqlite3_bind_int (stmt, 1, status);
  else
    bind_text (stmt, 1, value);
  if (fk->kind == KEY_CURRENCY)
    {
      if (value != NULL)
        sqlite3_bind_int64 (stmt, 2, first_of_next_month ());
      sqlite3_bind_int64 (stmt, 3, id);
    }
  else
    sqlite3_bind_int64 (stmt, 2, id);
  return step_done (self, stmt, error);
}

/* Re-reads the organization and rewrites its derived columns and search row. */
static gboolean
refresh_derived (PdStore  *self,
                 gint64    id,
                 GError  **error)
{
  g_autoptr(PdOrganization) org = get_org (self, id, TRUE, error);

  return org != NULL && write_derived (self, org, error);
}

static gboolean
set_field_in_transaction (PdStore         *self,
                          gint64           id,
                          const FieldKey  *fk,
                          const char      *value,
                          GError         **error)
{
  g_autoptr(PdOrganization) org = get_org (self, id, TRUE, error);
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;

  if (org == NULL)
    return FALSE;
  if ((fk->kind == KEY_ORG_TEXT || fk->kind == KEY_ORG_COUNTRY) &&
      pd_organization_get_source (org) != PD_ORG_SOURCE_MANUAL)
    return set_invalid (error, _("“%s” comes from Partner Center and cannot be changed here"),
                        fk->key);
  if (fk->kind == KEY_ERP_ID && !check_erp_id_free (self, id, value, error))
    return FALSE;
  old_value = org_value_text (org, fk);
  if (!write_field (self, id, fk, value, error))
    return FALSE;
  g_clear_object (&org);
  if ((org = get_org (self, id, TRUE, error)) == NULL)
    return FALSE;
  new_value = org_value_text (org, fk);
  if (g_strcmp0 (old_value, new_value) == 0)
    return TRUE;
  return add_history (self, id, fk->what, old_value, new_value, PD_CHANGE_BY_USER, 0, error) &&
         write_derived (self, org, error);
}

gboolean
pd_store_set_field (PdStore     *self,
                    gint64       id,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  const FieldKey *fk = lookup_field_key (key);
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (fk == NULL)
    return set_invalid (error, _("Unknown field “%s”"), key != NULL ? key : "");
  if (!normalize_value (fk, value, &normalized, error))
    return FALSE;
  if (!begin_write (self, error))
    return FALSE;
  return end_write (self, set_field_in_transaction (self, id, fk, normalized, error), error);
}

static gboolean
same_value (const char *a,
            const char *b)
{
  return g_strcmp0 (str_empty (a) ? NULL : a, str_empty (b) ? NULL : b) == 0;
}

static gboolean
delete_override_fields (PdStore  *self,
                        gint64    id,
                        int       field,   /* -1 = all */
                        GError  **error)
{
  sqlite3_stmt *stmt = prepare (self, field < 0
                                ? "DELETE FROM bill_to_overrides WHERE org_id = ?"
                                : "DELETE FROM bill_to_overrides WHERE org_id = ? AND field = ?",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (field >= 0)
    sqlite3_bind_int (stmt, 2, field);
  return step_done (self, stmt, error);
}

/* Every override of an organization is based on the same etag, the one of the Partner Center
 * bill-to the user saw. */
static gboolean
rebase_overrides (PdStore     *self,
                  gint64       id,
                  const char  *base_etag,
                  GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE bill_to_overrides SET base_etag = ? "
                                      "WHERE org_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, base_etag);
  sqlite3_bind_int64 (stmt, 2, id);
  return step_done (self, stmt, error);
}

/* Stores one override, and bases all of them on base_etag. */
static gboolean
write_override (PdStore       *self,
                gint64         id,
                PdBillToField  field,
                const char    *value,
                const char    *base_etag,
                GError       **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO bill_to_overrides "
                                      "(org_id, field, value, base_etag) VALUES (?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, field);
  bind_text (stmt, 3, value != NULL ? value : "");
  bind_text (stmt, 4, base_etag);
  return step_done (self, stmt, error) && rebase_overrides (self, id, base_etag, error);
}

/* Bit per field (PdBillToField) whose override holds the same value as values. */
static guint32
overrides_equal_to (const PdBillTo *override,
                    const PdBillTo *values)
{
  guint32 mask = 0;

  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    if (override->values[f] != NULL && same_value (override->values[f], values->values[f]))
      mask |= 1u << f;
  return mask;
}

/* An override that survives a new Partner Center bill-to: the fields in drop go (from the store
 * and from left), what is left is rebased on etag. */
static gboolean
settle_override (PdStore     *self,
                 gint64       id,
                 PdBillTo    *left,
                 guint32      drop,
                 const char  *etag,
                 GError     **error)
{
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      if (left->values[f] == NULL || (drop & (1u << f)) == 0)
        continue;
      g_clear_pointer (&left->values[f], g_free);
      if (!delete_override_fields (self, id, (int) f, error))
        return FALSE;
    }
  return pd_bill_to_is_empty (left) || rebase_overrides (self, id, etag, error);
}

static char *
bill_to_what (PdBillToField field)
{
  return g_strconcat ("billTo.", pd_bill_to_field_path (field), NULL);
}

/* A history row for each field in fields (a bit per PdBillToField) whose value differs between
 * old_bill_to and new_bill_to; *out_changed is set when any does. */
static gboolean
add_bill_to_history (PdStore         *self,
                     gint64           id,
                     const PdBillTo  *old_bill_to,
                     const PdBillTo  *new_bill_to,
                     guint32          fields,
                     PdChangeBy       by,
                     gint64           run_id,
                     gboolean        *out_changed,
                     GError         **error)
{
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      g_autofree char *what = NULL;

      if ((fields & (1u << f)) == 0
          || g_strcmp0 (old_bill_to->values[f], new_bill_to->values[f]) == 0)
        continue;
      *out_changed = TRUE;
      what = bill_to_what ((PdBillToField) f);
      if (!add_history (self, id, what, old_bill_to->values[f], new_bill_to->values[f], by,
                        run_id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_bill_to_in_transaction (PdStore       *self,
                            gint64         id,
                            PdBillToField  field,
                            const char    *value,
                            GError       **error)
{
  g_autoptr(PdOrganization) org = get_org (self, id, TRUE, error);
  g_autofree char *what = bill_to_what (field);
  g_autofree char *old_value = NULL;
  const char *pc_value;
  gboolean ok;

  if (org == NULL)
    return FALSE;
  old_value = g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org), field));
  pc_value = pd_bill_to_get (pd_organization_get_bill_to_partner_center (org), field);
  /* Overriding with the Partner Center value is no override at all. */
  if (same_value (value, pc_value))
    ok = delete_override_fields (self, id, field, error);
  else
    ok = write_override (self, id, field, value, pd_organization_get_bill_to_etag (org), error);
  if (!ok || same_value (old_value, value))
    return ok;
  return add_history (self, id, what, old_value, same_value (value, pc_value) ? pc_value : value,
                      PD_CHANGE_BY_USER, 0, error) &&
         refresh_derived (self, id, error);
}

gboolean
pd_store_set_bill_to_field (PdStore       *self,
                            gint64         id,
                            PdBillToField  field,
                            const char    *value,
                            GError       **error)
{
  g_autofree char *text = value != NULL ? g_strstrip (g_strdup (value)) : g_strdup ("");

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if ((guint) field >= PD_BILL_TO_N_FIELDS)
    return set_invalid_literal (error, _("Unknown bill-to field"));
  if (!begin_write (self, error))
    return FALSE;
  return end_write (self, set_bill_to_in_transaction (self, id, field, text, error), error);
}

static gboolean
field_in (PdBillToField        field,
          const PdBillToField *fields,
          guint                n_fields)
{
  if (fields == NULL || n_fields == 0)
    return TRUE;
  for (guint i = 0; i < n_fields; i++)
    if (fields[i] == field)
      return TRUE;
  return FALSE;
}

static gboolean
revert_in_transaction (PdStore             *self,
                       gint64               id,
                       const PdBillToField *fields,
                       guint                n_fields,
                       GError             **error)
{
  g_autoptr(PdOrganization) org = get_org (self, id, TRUE, error);
  const PdBillTo *override;
  const PdBillTo *pc;
  gboolean changed = FALSE;

  if (org == NULL)
    return FALSE;
  override = pd_organization_get_bill_to_override (org);
  pc = pd_organization_get_bill_to_partner_center (org);
  for (guint f = 0; override != NULL && f < PD_BILL_TO_N_FIELDS; f++)
    {
      g_autofree char *what = NULL;

      if (override->values[f] == NULL || !field_in ((PdBillToField) f, fields, n_fields))
        continue;
      what = bill_to_what ((PdBillToField) f);
      if (!delete_override_fields (self, id, (int) f, error) ||
          !add_history (self, id, what, override->values[f], pc->values[f],
                        PD_CHANGE_BY_USER, 0, error))
        return FALSE;
      changed = TRUE;
    }
  return !changed || refresh_derived (self, id, error);
}

gboolean
pd_store_revert_bill_to (PdStore              *self,
                         gint64                id,
                         const PdBillToField  *fields,
                         guint                 n_fields,
                         GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!begin_write (self, error))
    return FALSE;
  return end_write (self, revert_in_transaction (self, id, fields, n_fields, error), error);
}

static gint64
create_manual_in_transaction (PdStore     *self,
                              const char  *name,
                              const char  *domain,
                              const char  *country,
                              const char  *erp_id,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  if (!check_erp_id_free (self, 0, erp_id, error))
    return 0;
  stmt = prepare (self, "INSERT INTO organizations (source, name, domain, country, created_at) "
                        "VALUES (1, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, name);
  bind_text (stmt, 2, domain);
  bind_text (stmt, 3, country);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  if (!step_done (self, stmt, error))
    return 0;
  id = last_insert_id (self);
  if (erp_id != NULL && !write_field (self, id, lookup_field_key ("erp-id"), erp_id, error))
    return 0;
  if (!add_history (self, id, "created", NULL, name, PD_CHANGE_BY_USER, 0, error) ||
      !refresh_derived (self, id, error))
    return 0;
  return id;
}

gint64
pd_store_create_manual (PdStore     *self,
                        const char  *name,
                        const char  *domain,
                        const char  *country,
                        const char  *erp_id,
                        GError     **error)
{
  g_autofree char *n_name = NULL, *n_domain = NULL, *n_country = NULL, *n_erp = NULL;
  gint64 id;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (!normalize_value (lookup_field_key ("name"), name, &n_name, error) ||
      !normalize_value (lookup_field_key ("domain"), domain, &n_domain, error) ||
      !normalize_value (lookup_field_key ("country"), country, &n_country, error) ||
      !normalize_value (lookup_field_key ("erp-id"), erp_id, &n_erp, error))
    return 0;
  if (!begin_write (self, error))
    return 0;
  id = create_manual_in_transaction (self, n_name, n_domain, n_country, n_erp, error);
  return end_write (self, id > 0, error) ? id : 0;
}

static gboolean
delete_local_row (PdStore  *self,
                  gint64    id,
                  GError  **error)
{
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM local_fields WHERE org_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, error);
}

/* Moves the manual organization's local fields onto target (its values win where set). The
 * manual row goes first so the ERP ID's unique index never sees it twice. */
static gboolean
move_local_fields (PdStore         *self,
                   PdOrganization  *manual,
                   gint64           target,
                   GError         **error)
{
  g_autofree char *segments = join_list (pd_organization_get_segments (manual));
  g_autofree char *login = join_list (pd_organization_get_login_options (manual));
  GDateTime *effective = pd_organization_get_currency_effective (manual);
  PdOrgStatus status = pd_organization_get_status (manual);
  sqlite3_stmt *stmt;

  if (!delete_local_row (self, pd_organization_get_id (manual), error) ||
      !ensure_local_row (self, target, error))
    return FALSE;
  stmt = prepare (self, "UPDATE local_fields SET erp_id = coalesce (?1, erp_id), "
                        "registration_number = coalesce (?2, registration_number), "
                        "segments = coalesce (?3, segments), currency = coalesce (?4, currency), "
                        "currency_effective = coalesce (?5, currency_effective), "
                        "status = coalesce (?6, status), "
                        "login_options = coalesce (?7, login_options), "
                        "account_manager = coalesce (?8, account_manager), "
                        "notes = coalesce (?9, notes) WHERE org_id = ?10", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, pd_organization_get_erp_id (manual));
  bind_text (stmt, 2, pd_organization_get_registration_number (manual));
  bind_text (stmt, 3, segments);
  bind_text (stmt, 4, pd_organization_get_currency (manual));
  if (effective != NULL)
    sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (effective));
  if (status != PD_ORG_STATUS_NEW)
    sqlite3_bind_int (stmt, 6, status);
  bind_text (stmt, 7, login);
  bind_text (stmt, 8, pd_organization_get_account_manager (manual));
  bind_text (stmt, 9, pd_organization_get_notes (manual));
  sqlite3_bind_int64 (stmt, 10, target);
  return step_done (self, stmt, error);
}

/* Bill-to fields the user typed on the manual organization become overrides of the synced one,
 * unless it already overrides them or Partner Center has the same value. */
static gboolean
move_overrides (PdStore         *self,
                PdOrganization  *manual,
                PdOrganization  *target,
                GError         **error)
{
  const PdBillTo *from = pd_organization_get_bill_to_override (manual);
  const PdBillTo *pc = pd_organization_get_bill_to_partner_center (target);
  gint64 id = pd_organization_get_id (target);

  for (guint f = 0; from != NULL && f < PD_BILL_TO_N_FIELDS; f++)
    {
      if (from->values[f] == NULL || pd_organization_is_field_overridden (target, f) ||
          same_value (from->values[f], pc->values[f]))
        continue;
      if (!write_override (self, id, f, from->values[f],
                           pd_organization_get_bill_to_etag (target), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
delete_org (PdStore  *self,
            gint64    id,
            GError  **error)
{
  g_autofree char *name_key = NULL;
  g_autofree char *domain_key = NULL;
  g_autofree char *search_text = NULL;
  sqlite3_stmt *stmt;

  if (!read_row_keys (self, id, &name_key, &domain_key, &search_text, error))
    return FALSE;
  fts_queue (self, id, search_text);
  if ((stmt = prepare (self, "DELETE FROM organizations WHERE id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  keys_stale (self, name_key, domain_key);
  return step_done (self, stmt, error);
}

static gboolean
merge_into (PdStore         *self,
            PdOrganization  *manual,
            PdOrganization  *target,
            GError         **error)
{
  gint64 from = pd_organization_get_id (manual);
  gint64 to = pd_organization_get_id (target);
  sqlite3_stmt *stmt;

  if (!move_local_fields (self, manual, to, error) ||
      !move_overrides (self, manual, target, error))
    return FALSE;
  if ((stmt = prepare (self, "UPDATE history SET org_id = ? WHERE org_id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, to);
  sqlite3_bind_int64 (stmt, 2, from);
  return step_done (self, stmt, error) &&
         delete_org (self, from, error) &&
         add_history (self, to, "linked", pd_organization_get_name (manual),
                      pd_organization_get_tenant_id (target), PD_CHANGE_BY_USER, 0, error) &&
         refresh_derived (self, to, error);
}

static gint64
link_in_transaction (PdStore     *self,
                     gint64       id,
                     const char  *tenant,
                     GError     **error)
{
  g_autoptr(PdOrganization) manual = get_org (self, id, TRUE, error);
  g_autoptr(PdOrganization) target = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (manual == NULL)
    return 0;
  if (pd_organization_get_source (manual) != PD_ORG_SOURCE_MANUAL ||
      pd_organization_get_tenant_id (manual) != NULL)
    {
      set_invalid (error, _("%s is not a manual organization without a tenant"),
                   pd_organization_get_name (manual));
      return 0;
    }
  target = find_by_tenant (self, tenant, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  if (target != NULL)
    return merge_into (self, manual, target, error) ? pd_organization_get_id (target) : 0;
  if ((stmt = prepare (self, "UPDATE organizations SET tenant_id = ? WHERE id = ?", error)) == NULL)
    return 0;
  bind_text (stmt, 1, tenant);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!step_done (self, stmt, error) ||
      !add_history (self, id, "tenantId", NULL, tenant, PD_CHANGE_BY_USER, 0, error))
    return 0;
  return id;
}

gint64
pd_store_link (PdStore     *self,
               gint64       id,
               const char  *tenant_id,
               GError     **error)
{
  g_autofree char *tenant = normalize_tenant (tenant_id);
  gint64 result;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (tenant == NULL)
    {
      set_invalid_literal (error, _("A tenant id is required"));
      return 0;
    }
  if (!begin_write (self, error))
    return 0;
  result = link_in_transaction (self, id, tenant, error);
  return end_write (self, result > 0, error) ? result : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* 6. Sync runs and the Partner Center merge                                                   */

#define RUN_COLUMNS \
  "id, kind, state, started_at, finished_at, n_new, n_updated, n_unchanged, n_removed, " \
  "n_overrides_kept, n_overrides_replaced, n_failed, error, correlation_id FROM sync_runs "

static PdSyncRun *
run_from_row (sqlite3_stmt *stmt)
{
  PdSyncRun *run = g_new0 (PdSyncRun, 1);

  run->id = sqlite3_column_int64 (stmt, 0);
  run->kind = (PdSyncKind) sqlite3_column_int (stmt, 1);
  run->state = (PdSyncState) sqlite3_column_int (stmt, 2);
  run->started_at = date_time_from_seconds (sqlite3_column_int64 (stmt, 3));
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    run->finished_at = date_time_from_seconds (sqlite3_column_int64 (stmt, 4));
  run->n_new = sqlite3_column_int (stmt, 5);
  run->n_updated = sqlite3_column_int (stmt, 6);
  run->n_unchanged = sqlite3_column_int (stmt, 7);
  run->n_removed = sqlite3_column_int (stmt, 8);
  run->n_overrides_kept = sqlite3_column_int (stmt, 9);
  run->n_overrides_replaced = sqlite3_column_int (stmt, 10);
  run->n_failed = sqlite3_column_int (stmt, 11);
  run->error = g_strdup (column_text (stmt, 12));
  run->correlation_id = g_strdup (column_text (stmt, 13));
  return run;
}

/* Runs matching sql (one optional integer argument), in query order. */
static GPtrArray *
query_runs (PdStore     *self,
            const char  *sql,
            gint64       arg,
            GError     **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_sync_run_free);
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

static PdSyncRun *
first_run (GPtrArray *runs)
{
  if (runs == NULL || runs->len == 0)
    return NULL;
  return g_ptr_array_steal_index (runs, 0);
}

PdSyncRun *
pd_store_get_sync_run (PdStore  *self,
                       gint64    run_id,
                       GError  **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  PdSyncRun *run;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  runs = query_runs (self, "SELECT " RUN_COLUMNS "WHERE id = ?", run_id, error);
  if (runs == NULL)
    return NULL;
  if ((run = first_run (runs)) == NULL)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND,
                 _("No sync run with id %" G_GINT64_FORMAT), run_id);
  return run;
}

GPtrArray *
pd_store_list_sync_runs (PdStore  *self,
                         guint     limit,
                         GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return query_runs (self, "SELECT " RUN_COLUMNS "ORDER BY id DESC LIMIT ?",
                     limit > 0 ? (gint64) limit : -1, error);
}

GDateTime *
pd_store_get_last_complete_sync (PdStore *self)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(PdSyncRun) run = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  runs = query_runs (self, "SELECT " RUN_COLUMNS "WHERE state = ? ORDER BY id DESC LIMIT 1",
                     PD_SYNC_STATE_COMPLETE, NULL);
  run = first_run (runs);
  return run != NULL ? g_date_time_ref (run->started_at) : NULL;
}

static PdSyncRun *
newest_running_run (PdStore *self)
{
  g_autoptr(GPtrArray) runs =
    query_runs (self, "SELECT " RUN_COLUMNS "WHERE state = ? ORDER BY id DESC LIMIT 1",
                PD_SYNC_STATE_RUNNING, NULL);

  return first_run (runs);
}

static char *
sync_lock_path (PdStore *self)
{
  return g_strconcat (self->path, ".sync-lock", NULL);
}

/* Opens the lock file and tries to take it. Returns the fd (>= 0) when taken; -1 with
 * *out_busy = TRUE when another open file description holds it (another process, or another
 * PdStore in this one). The kernel drops the lock when its owner dies, which is how a RUNNING
 * row of a dead process is told apart from a live run. */
static int
try_sync_lock (PdStore   *self,
               gboolean  *out_busy,
               GError   **error)
{
  g_autofree char *path = sync_lock_path (self);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  *out_busy = FALSE;
  if (fd < 0)
    {
      set_io_error (errno, _("Could not open the sync lock"), path, error);
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;
  *out_busy = errno == EWOULDBLOCK;
  if (!*out_busy)
    set_io_error (errno, _("Could not lock"), path, error);
  close (fd);
  return -1;
}

static void
set_busy_error (PdStore  *self,
                GError  **error)
{
  g_autoptr(PdSyncRun) run = newest_running_run (self);
  g_autoptr(GDateTime) local = run != NULL ? g_date_time_to_local (run->started_at) : NULL;
  g_autofree char *since = local != NULL ? g_date_time_format (local, "%H:%M") : NULL;

  if (since != NULL)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY,
                 _("A sync is already running (since %s)"), since);
  else
    g_set_error_literal (error, PD_STORE_ERROR, PD_STORE_ERROR_BUSY,
                         _("A sync is already running"));
}

/* With the lock held: every RUNNING row belongs to a dead process. Marks them INTERRUPTED and
 * returns the newest of the same kind, which the new run resumes. */
static gboolean
interrupt_dead_runs (PdStore     *self,
                     PdSyncKind   kind,
                     gint64      *out_resume,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  if (!query_int64 (self, "SELECT max (id) FROM sync_runs WHERE state = 0 AND kind = ?",
                    kind, 0, out_resume, error))
    return FALSE;
  G_STATIC_ASSERT (PD_SYNC_STATE_RUNNING == 0);
  stmt = prepare (self, "UPDATE sync_runs SET state = ?, finished_at = ? WHERE state = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, PD_SYNC_STATE_INTERRUPTED);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  return step_done (self, stmt, error);
}

static gint64
insert_run (PdStore     *self,
            PdSyncKind   kind,
            const char  *correlation_id,
            gint64       resume,
            GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO sync_runs (kind, state, started_at, "
                                      "correlation_id, resumes_run_id) VALUES (?, ?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int (stmt, 2, PD_SYNC_STATE_RUNNING);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  bind_text (stmt, 4, correlation_id);
  if (resume > 0)
    sqlite3_bind_int64 (stmt, 5, resume);
  return step_done (self, stmt, error) ? last_insert_id (self) : 0;
}

gint64
pd_store_begin_sync_run (PdStore     *self,
                         PdSyncKind   kind,
                         const char  *correlation_id,
                         gint64      *resume_run_id,
                         GError     **error)
{
  gboolean busy = FALSE;
  gint64 resume = 0, run_id = 0;
  int fd;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (resume_run_id != NULL)
    *resume_run_id = 0;
  fd = self->sync_lock_fd >= 0 ? -1 : try_sync_lock (self, &busy, error);
  if (self->sync_lock_fd >= 0 || busy)
    {
      set_busy_error (self, error);
      return 0;
    }
  if (fd < 0)
    return 0;
  if (begin_write (self, error))
    {
      gboolean ok = interrupt_dead_runs (self, kind, &resume, error) &&
                    take_stale_mark (self, error) &&
                    (run_id = insert_run (self, kind, correlation_id, resume, error)) > 0;
      if (!end_write (self, ok, error))
        run_id = 0;
    }
  if (run_id == 0)
    {
      close (fd);
      return 0;
    }
  self->sync_lock_fd = fd;
  self->sync_run_id = run_id;
  if (resume_run_id != NULL)
    *resume_run_id = resume;
  return run_id;
}

PdSyncRun *
pd_store_get_running_sync (PdStore *self)
{
  gboolean busy = FALSE;
  int fd;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (self->sync_lock_fd >= 0)
    return pd_store_get_sync_run (self, self->sync_run_id, NULL);
  fd = try_sync_lock (self, &busy, NULL);
  if (fd >= 0)
    {
      /* Nobody holds the lock: a RUNNING row is from a dead process, not a live run. */
      close (fd);
      return NULL;
    }
  return busy ? newest_running_run (self) : NULL;
}

gboolean
pd_store_finish_sync_run (PdStore      *self,
                          gint64        run_id,
                          PdSyncState   state,
                          const char   *error_message,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!begin_write (self, error))
    return FALSE;
  stmt = prepare (self, "UPDATE sync_runs SET state = ?, finished_at = ?, error = ? "
                        "WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, state);
      sqlite3_bind_int64 (stmt, 2, now_seconds ());
      bind_text (stmt, 3, error_message);
      sqlite3_bind_int64 (stmt, 4, run_id);
    }
  /* A run that stays RUNNING (a checkpoint) keeps deferring its duplicate flags. */
  ok = end_write (self, stmt != NULL && step_done (self, stmt, error) &&
                        (state == PD_SYNC_STATE_RUNNING || take_stale_mark (self, error)),
                  error);
  if (run_id == self->sync_run_id && self->sync_lock_fd >= 0 && state != PD_SYNC_STATE_RUNNING)
    {
      close (self->sync_lock_fd);
      self->sync_lock_fd = -1;
      self->sync_run_id = 0;
    }
  return ok;
}

/* run_id and the runs it resumes, transitively. */
static GArray *
run_chain (PdStore  *self,
           gint64    run_id,
           GError  **error)
{
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 id = run_id;

  /* The bound guards against a cycle in a damaged table. */
  while (id > 0 && chain->len < 10000)
    {
      g_array_append_val (chain, id);
      if (!query_int64 (self, "SELECT resumes_run_id FROM sync_runs WHERE id = ?", id, 0, &id,
                        error))
        return NULL;
    }
  return g_steal_pointer (&chain);
}

GHashTable *
pd_store_get_checkpoint (PdStore  *self,
                         gint64    run_id,
                         GError  **error)
{
  g_autoptr(GHashTable) tenants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) chain = NULL;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if ((chain = run_chain (self, run_id, error)) == NULL)
    return NULL;
  for (guint i = 0; i < chain->len && rc == SQLITE_DONE; i++)
    {
      stmt = prepare (self, "SELECT tenant_id FROM organizations "
                            "WHERE seen_run = ? AND tenant_id IS NOT NULL", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, g_array_index (chain, gint64, i));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_add (tenants, g_strdup (column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&tenants);
}

typedef struct {
  guint n_new, n_updated, n_unchanged, n_removed, n_kept, n_replaced, n_failed;
} RunCounts;

static gboolean
add_counts (PdStore          *self,
            gint64            run_id,
            const RunCounts  *c,
            GError          **error)
{
  sqlite3_stmt *stmt;

  if (run_id <= 0)
    return TRUE;
  stmt = prepare (self, "UPDATE sync_runs SET n_new = n_new + ?, n_updated = n_updated + ?, "
                        "n_unchanged = n_unchanged + ?, n_removed = n_removed + ?, "
                        "n_overrides_kept = n_overrides_kept + ?, "
                        "n_overrides_replaced = n_overrides_replaced + ?, "
                        "n_failed = n_failed + ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, c->n_new);
  sqlite3_bind_int (stmt, 2, c->n_updated);
  sqlite3_bind_int (stmt, 3, c->n_unchanged);
  sqlite3_bind_int (stmt, 4, c->n_removed);
  sqlite3_bind_int (stmt, 5, c->n_kept);
  sqlite3_bind_int (stmt, 6, c->n_replaced);
  sqlite3_bind_int (stmt, 7, c->n_failed);
  sqlite3_bind_int64 (stmt, 8, run_id);
  return step_done (self, stmt, error);
}

static gboolean
insert_event (PdStore           *self,
              gint64             run_id,
              const PdRunEvent  *event,
              GError           **error)
{
  sqlite3_stmt *stmt;

  if (run_id <= 0)
    return TRUE;   /* an apply outside a run (tests, imports) has no report */
  stmt = prepare (self, "INSERT INTO sync_run_events (run_id, kind, org_id, tenant_id, name, "
                        "field, old_value, new_value, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, event->kind);
  if (event->org_id > 0)
    sqlite3_bind_int64 (stmt, 3, event->org_id);
  bind_static (stmt, 4, event->tenant_id);
  bind_static (stmt, 5, event->name);
  bind_static (stmt, 6, event->field);
  bind_static (stmt, 7, event->old_value);
  bind_static (stmt, 8, event->new_value);
  bind_static (stmt, 9, event->error);
  return step_done (self, stmt, error);
}

static void
count_event (RunCounts      *c,
             PdRunEventKind  kind)
{
  switch (kind)
    {
    case PD_RUN_EVENT_NEW: c->n_new++; break;
    case PD_RUN_EVENT_UPDATED: c->n_updated++; break;
    case PD_RUN_EVENT_REMOVED: c->n_removed++; break;
    case PD_RUN_EVENT_OVERRIDE_KEPT: c->n_kept++; break;
    case PD_RUN_EVENT_OVERRIDE_REPLACED: c->n_replaced++; break;
    case PD_RUN_EVENT_FAILED: c->n_failed++; break;
    default: break;
    }
}

gboolean
pd_store_add_run_event (PdStore           *self,
                        gint64             run_id,
                        const PdRunEvent  *event,
                        GError           **error)
{
  RunCounts counts = { 0 };

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  count_event (&counts, event->kind);
  if (!begin_write (self, error))
    return FALSE;
  return end_write (self, insert_event (self, run_id, event, error) &&
                          add_counts (self, run_id, &counts, error), error);
}

/* A short-lived event for one organization (strings borrowed). */
static gboolean
org_event (PdStore         *self,
           gint64           run_id,
           PdRunEventKind   kind,
           PdOrganization  *org,
           const char      *field,
           const char      *old_value,
           const char      *new_value,
           GError         **error)
{
  PdRunEvent event = {
    .kind = kind,
    .org_id = pd_organization_get_id (org),
    .tenant_id = (char *) pd_organization_get_tenant_id (org),
    .name = (char *) pd_organization_get_name (org),
    .field = (char *) field,
    .old_value = (char *) old_value,
    .new_value = (char *) new_value,
  };

  return insert_event (self, run_id, &event, error);
}

static gboolean
set_removed (PdStore         *self,
             gint64           run_id,
             PdOrganization  *org,
             GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE organizations SET removed = 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pd_organization_get_id (org));
  return step_done (self, stmt, error) &&
         add_history (self, pd_organization_get_id (org), "removedFromPartnerCenter", "false",
                      "true", PD_CHANGE_BY_SYNC, run_id, error) &&
         org_event (self, run_id, PD_RUN_EVENT_REMOVED, org, NULL, NULL, NULL, error);
}

gboolean
pd_store_mark_removed (PdStore     *self,
                       gint64       run_id,
                       const char  *tenant_id,
                       GError     **error)
{
  g_autoptr(PdOrganization) org = NULL;
  RunCounts counts = { .n_removed = 1 };
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!begin_write (self, error))
    return FALSE;
  org = pd_store_find_by_tenant (self, tenant_id, error);
  ok = org != NULL;
  if (ok && !pd_organization_get_removed (org))
    ok = set_removed (self, run_id, org, error) && add_counts (self, run_id, &counts, error);
  return end_write (self, ok, error);
}

gboolean
pd_store_mark_seen (PdStore     *self,
                    gint64       run_id,
                    const char  *tenant_id,
                    GError     **error)
{
  g_autofree char *tenant = normalize_tenant (tenant_id);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (tenant == NULL)
    return set_invalid_literal (error, _("A Partner Center customer without a tenant id"));
  if (!begin_write (self, error))
    return FALSE;
  stmt = prepare (self, "UPDATE organizations SET seen_run = ? WHERE tenant_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, run_id);
      bind_text (stmt, 2, tenant);
    }
  return end_write (self, stmt != NULL && step_done (self, stmt, error), error);
}

/* Fills ids with the Partner Center organizations no run of chain has seen. */
static gboolean
select_unseen (PdStore  *self,
               GArray   *chain,
               GArray   *ids,
               GError  **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM organizations WHERE source = 0 AND "
                                         "removed = 0 AND tenant_id IS NOT NULL AND "
                                         "(seen_run IS NULL OR seen_run NOT IN (");
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < chain->len; i++)
    g_string_append (sql, i == 0 ? "?" : ", ?");
  g_string_append (sql, "))");
  if ((stmt = prepare_dynamic (self, sql->str, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < chain->len; i++)
    sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (chain, gint64, i));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* How many were marked, or MARK_FAILED. */
#define MARK_FAILED G_MAXUINT

static guint
mark_unseen_in_transaction (PdStore  *self,
                            gint64    run_id,
                            GError  **error)
{
  g_autoptr(GArray) chain = run_chain (self, run_id, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  RunCounts counts = { 0 };

  if (chain == NULL || !select_unseen (self, chain, ids, error))
    return MARK_FAILED;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PdOrganization) org = get_org (self, g_array_index (ids, gint64, i), TRUE, error);

      if (org == NULL || !set_removed (self, run_id, org, error))
        return MARK_FAILED;
      counts.n_removed++;
    }
  return add_counts (self, run_id, &counts, error) ? counts.n_removed : MARK_FAILED;
}

guint
pd_store_mark_unseen_removed (PdStore  *self,
                              gint64    run_id,
                              GError  **error)
{
  guint n;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (!begin_write (self, error))
    return 0;
  n = mark_unseen_in_transaction (self, run_id, error);
  if (!end_write (self, n != MARK_FAILED, error))
    return 0;
  return n;
}

/* Consecutive row ids first … last; first = 0 when empty. */
typedef struct {
  gint64 first, last;
} IdRange;

typedef struct {
  PdStore    *self;
  gint64      run_id;
  gint64      now;
  RunCounts   counts;
  GHashTable *known;    /* tenants of the batch already in the cache */
  /* New rows whose full-text rows are still to be written, by one INSERT … SELECT at the end
   * of the batch or when the ids stop being consecutive (flush_new_fts). */
  IdRange     fts_rows;
  /* New rows whose NEW events are still to be written, by one INSERT … SELECT: before any
   * other event of the run, so the report keeps the order of the batch (flush_new_events). */
  IdRange     event_rows;
} Apply;

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
  return step_done (self, stmt, error);
}

/* Writes the NEW events of the rows event_rows from what was just stored. */
static gboolean
flush_new_events (Apply   *a,
                  GError **error)
{
  sqlite3_stmt *stmt;

  if (a->event_rows.first == 0)
    return TRUE;
  stmt = prepare (a->self, "INSERT INTO sync_run_events (run_id, kind, org_id, tenant_id, name) "
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
    return flush_new_events (a, error) && insert_event (a->self, a->run_id, &event, error);
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
         org_event (a->self, a->run_id, kind, org, field, old_value, new_value, error);
}

#define PREFETCH_CHUNK 100

/* The tenants of orgs that the cache already has, found with one query per 100: a first sync
 * then skips a lookup per new customer. tenants receives the normalised tenant of each of
 * orgs (NULL when it has none). */
static GHashTable *
prefetch_known (PdStore    *self,
                GPtrArray  *orgs,
                GPtrArray  *tenants,
                GError    **error)
{
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) sql = g_string_new ("SELECT tenant_id FROM organizations "
                                         "WHERE tenant_id IN (?");
  int rc = SQLITE_DONE;

  for (guint i = 1; i < PREFETCH_CHUNK; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  for (guint first = 0; first < orgs->len && rc == SQLITE_DONE; first += PREFETCH_CHUNK)
    {
      sqlite3_stmt *stmt = prepare_dynamic (self, sql->str, error);

      if (stmt == NULL)
        return NULL;
      for (guint j = 0; j < PREFETCH_CHUNK && first + j < orgs->len; j++)
        {
          PdOrganization *org = g_ptr_array_index (orgs, first + j);
          char *tenant = normalize_tenant (pd_organization_get_tenant_id (org));

          g_ptr_array_add (tenants, tenant);
          bind_static (stmt, (int) j + 1, tenant);
        }
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_add (known, g_strdup (column_text (stmt, 0)));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);   /* bound without copies */
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&known);
}

/* What bind_pc_bill_to binds, as the SET list of an UPDATE. */
#define PC_BILL_TO_SET \
  "pc_etag = ?, pc_company_name = ?, pc_email = ?, pc_first_name = ?, pc_last_name = ?, " \
  "pc_culture = ?, pc_language = ?, pc_address_line1 = ?, pc_address_line2 = ?, pc_city = ?, " \
  "pc_state = ?, pc_region = ?, pc_postal_code = ?, pc_country = ?, pc_phone_number = ?, " \
  "pc_address_first_name = ?, pc_address_last_name = ?"

/* Binds the Partner Center bill-to (pc_etag, then PC_BILL_TO_COLUMNS: 17 values) from index
 * on. */
static void
bind_pc_bill_to (sqlite3_stmt   *stmt,
                 int             index,
                 PdOrganization *org)
{
  const PdBillTo *pc = pd_organization_get_bill_to_partner_center (org);

  bind_static (stmt, index, pd_organization_get_bill_to_etag (org));
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    bind_static (stmt, index + 1 + (int) i, pc->values[i]);
}

/* Binds the Partner Center owned columns name … reseller_name (6 values) from index on. */
static void
bind_pc_columns (sqlite3_stmt   *stmt,
                 int             index,
                 PdOrganization *org)
{
  bind_static (stmt, index, pd_organization_get_name (org) != NULL
                          ? pd_organization_get_name (org) : "");
  bind_static_or_null (stmt, index + 1, pd_organization_get_domain (org));
  bind_static_or_null (stmt, index + 2, pd_organization_get_country (org));
  bind_static_or_null (stmt, index + 3, pd_organization_get_relationship (org));
  sqlite3_bind_int (stmt, index + 4, pd_organization_get_delegated_access (org) ? 1 : 0);
  bind_static_or_null (stmt, index + 5, pd_organization_get_reseller_id (org));
  bind_static_or_null (stmt, index + 6, pd_organization_get_reseller_name (org));
}

/* The full-text entries of the new rows fts_rows, from their search_text, in one statement. */
static gboolean
flush_new_fts (Apply   *a,
               GError **error)
{
  sqlite3_stmt *stmt;

  if (a->fts_rows.first == 0)
    return TRUE;
  stmt = prepare (a->self, "INSERT INTO org_search (rowid, search_text) "
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

static gboolean
apply_new (Apply           *a,
           const char      *tenant,
           PdOrganization  *in,
           PdApplyResult   *result,
           GError         **error)
{
  sqlite3_stmt *stmt;
  Derived d = { 0 };
  gint64 id;
  gboolean ok;

  stmt = prepare (a->self, "INSERT INTO organizations (tenant_id, source, name, domain, country, "
                           "relationship, delegated_access, reseller_id, reseller_name, "
                           "created_at, last_synced_at, seen_run, missing_mask, name_key, "
                           "domain_key, eff_country, search_text, pc_etag, " PC_BILL_TO_COLUMNS
                           ") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_static (stmt, 1, tenant);
  bind_pc_columns (stmt, 2, in);
  sqlite3_bind_int64 (stmt, 9, a->now);
  sqlite3_bind_int64 (stmt, 10, a->now);
  if (a->run_id > 0)
    sqlite3_bind_int64 (stmt, 11, a->run_id);
  derived_compute (a->self, in, &d);
  bind_derived (stmt, 12, &d);
  bind_pc_bill_to (stmt, 17, in);
  ok = step_done (a->self, stmt, error);
  id = last_insert_id (a->self);
  keys_stale (a->self, d.name_key, d.domain_key);
  derived_clear (&d);
  if (!ok)
    return FALSE;
  result->outcome = PD_APPLY_NEW;
  result->org_id = id;
  a->counts.n_new++;
  /* The history records changes; that a sync brought the customer is the run's NEW event. */
  return range_add (a, &a->fts_rows, id, flush_new_fts, error) &&
         new_event (a, id, tenant, in, error);
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

      if (override->values[f] == NULL || same_value (override->values[f], new_pc->values[f]))
        continue;
      what = bill_to_what ((PdBillToField) f);
      if (!apply_event (a, PD_RUN_EVENT_OVERRIDE_REPLACED, existing, what,
                        override->values[f], new_pc->values[f], error))
        return FALSE;
      result->replaced_fields |= 1u << f;
    }
  result->override_replaced = result->replaced_fields != 0;
  if (result->override_replaced)
    a->counts.n_replaced++;
  return delete_override_fields (a->self, pd_organization_get_id (existing), -1, error);
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

  if (!settle_override (a->self, pd_organization_get_id (existing), left,
                        overrides_equal_to (override, new_pc), new_etag, error))
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

/* The three-way merge of design.md §3 for the bill-to override; updates existing in memory. */
static gboolean
merge_override (Apply           *a,
                PdOrganization  *existing,
                PdOrganization  *in,
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
  if (g_strcmp0 (pd_organization_get_override_base_etag (existing), new_etag) != 0 &&
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
      if (same_value (scalars[i].old_value, scalars[i].new_value))
        continue;
      *out_changed = TRUE;
      if (!add_history (a->self, id, scalars[i].what, scalars[i].old_value,
                        scalars[i].new_value, PD_CHANGE_BY_SYNC, a->run_id, error))
        return FALSE;
    }
  return add_bill_to_history (a->self, id, old_eff, new_eff, G_MAXUINT32, PD_CHANGE_BY_SYNC,
                              a->run_id, out_changed, error);
}

#define UPDATE_ORG_ROW_SQL \
  "UPDATE organizations SET source = 0, removed = 0, name = ?, domain = ?, country = ?, " \
  "relationship = ?, delegated_access = ?, reseller_id = ?, reseller_name = ?, " \
  "last_synced_at = ?, seen_run = ? "
#define ORG_ROW_PARAMS 9

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
    prepare (a->self, pc_changed
             ? UPDATE_ORG_ROW_SQL ", " PC_BILL_TO_SET " WHERE id = ?"
             : UPDATE_ORG_ROW_SQL "WHERE id = ?", error);
  int index = ORG_ROW_PARAMS + 1;

  if (stmt == NULL)
    return FALSE;
  bind_pc_columns (stmt, 1, in);
  sqlite3_bind_int64 (stmt, 8, a->now);
  if (a->run_id > 0)
    sqlite3_bind_int64 (stmt, 9, a->run_id);
  if (pc_changed)
    {
      bind_pc_bill_to (stmt, index, in);
      index += 1 + PD_BILL_TO_N_FIELDS;
    }
  sqlite3_bind_int64 (stmt, index, id);
  return step_done (a->self, stmt, error);
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
  gboolean changed = pd_organization_get_source (existing) != PD_ORG_SOURCE_PARTNER_CENTER;
  gboolean pc_changed =
    !pd_bill_to_equal (pd_organization_get_bill_to_partner_center (existing),
                       pd_organization_get_bill_to_partner_center (in)) ||
    g_strcmp0 (pd_organization_get_bill_to_etag (existing),
               pd_organization_get_bill_to_etag (in)) != 0;

  result->org_id = id;
  if (!merge_override (a, existing, in, result, error))
    return FALSE;
  take_pc_values (existing, in);
  if (!record_changes (a, before, existing, &changed, error) ||
      !update_org_row (a, in, id, pc_changed, error))
    return FALSE;
  result->outcome = changed ? PD_APPLY_UPDATED : PD_APPLY_UNCHANGED;
  if (!changed)
    {
      a->counts.n_unchanged++;
      return TRUE;
    }
  a->counts.n_updated++;
  return flush_new_fts_of (a, id, error) &&
         write_derived (a->self, existing, error) &&
         apply_event (a, PD_RUN_EVENT_UPDATED, existing, NULL, NULL, NULL, error);
}

static gboolean
apply_one (Apply           *a,
           PdOrganization  *in,
           const char      *tenant,
           PdApplyResult   *result,
           GError         **error)
{
  g_autoptr(PdOrganization) existing = NULL;
  g_autoptr(GError) local_error = NULL;

  if (tenant == NULL)
    return set_invalid_literal (error, _("A Partner Center customer without a tenant id"));
  if (!g_hash_table_contains (a->known, tenant))
    {
      /* The same tenant twice in one batch: the second one finds the first. */
      g_hash_table_add (a->known, g_strdup (tenant));
      return apply_new (a, tenant, in, result, error);
    }
  existing = find_by_tenant (a->self, tenant, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing == NULL)
    return apply_new (a, tenant, in, result, error);
  return apply_existing (a, existing, in, result, error);
}

gboolean
pd_store_apply_partner_center (PdStore    *self,
                               gint64      run_id,
                               GPtrArray  *organizations,
                               GArray     *results,
                               GError    **error)
{
  Apply a = { .self = self, .run_id = run_id, .now = now_seconds () };
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GPtrArray) tenants = NULL;
  gboolean ok = TRUE;
  guint first_result = results != NULL ? results->len : 0;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (organizations != NULL, FALSE);
  if (!begin_write (self, error))
    return FALSE;
  tenants = g_ptr_array_new_full (organizations->len, g_free);
  if ((known = a.known = prefetch_known (self, organizations, tenants, error)) == NULL)
    return end_write (self, FALSE, NULL);
  for (guint i = 0; ok && i < organizations->len; i++)
    {
      PdApplyResult result = { 0 };

      ok = apply_one (&a, g_ptr_array_index (organizations, i),
                      g_ptr_array_index (tenants, i), &result, error);
      if (ok && results != NULL)
        g_array_append_val (results, result);
    }
  ok = ok && flush_new_events (&a, error) &&
       flush_new_fts (&a, error) && add_counts (self, run_id, &a.counts, error);
  /* Within a run, the duplicate flags are settled once, when it finishes. */
  self->defer_dups = run_id > 0;
  ok = end_write (self, ok, error);
  self->defer_dups = FALSE;
  if (!ok)
    {
      /* Nothing of the batch was stored: no result may claim otherwise. */
      if (results != NULL)
        g_array_set_size (results, first_result);
      return FALSE;
    }
  return TRUE;
}

/* The answer of a bill-to push Partner Center accepted. */

/* Writes org's Partner Center bill-to, its etag and the country that follows it into its row. */
static gboolean
write_pc_bill_to (PdStore         *self,
                  PdOrganization  *org,
                  GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE organizations SET country = ?, " PC_BILL_TO_SET
                                      " WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  /* Not pd_organization_get_country: that is the effective one, a local edit's. */
  bind_static_or_null (stmt, 1, pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                                PD_BILL_TO_COUNTRY));
  bind_pc_bill_to (stmt, 2, org);
  sqlite3_bind_int64 (stmt, 3 + PD_BILL_TO_N_FIELDS, pd_organization_get_id (org));
  return step_done (self, stmt, error);
}

/* After org took the answer: an override Partner Center now holds ends, as after a sync, and
 * so does the override of a pushed field that still holds the value sent, which Partner Center
 * may have stored in its own form ("muenchen" → "München"). Everything else (a field typed
 * since the push started, a pushed field typed again) is a newer local edit: it stays, based
 * on the answer's etag, so that the next sync of the same bill-to keeps it. */
static gboolean
settle_pushed_override (PdStore         *self,
                        PdOrganization  *org,
                        const PdBillTo  *sent,
                        guint32          mask,
                        GError         **error)
{
  const PdBillTo *override = pd_organization_get_bill_to_override (org);
  const char *etag = pd_organization_get_bill_to_etag (org);
  g_autoptr(PdBillTo) left = NULL;
  guint32 drop;

  if (override == NULL)
    return TRUE;
  drop = overrides_equal_to (override, pd_organization_get_bill_to_partner_center (org));
  if (sent != NULL)
    drop |= mask & overrides_equal_to (override, sent);
  left = pd_bill_to_copy (override);
  if (!settle_override (self, pd_organization_get_id (org), left, drop, etag, error))
    return FALSE;
  pd_organization_set_bill_to_override (org, left, etag);
  return TRUE;
}

/* Partner Center's bill-to (answer, etag) learned outside a sync run: by a push (sent, mask)
 * or by a read (sent NULL, mask 0). In the history, the pushed fields are the user's push; any
 * other that changed, someone changed in Partner Center since the cache read it. */
static gboolean
set_pc_bill_to_in_transaction (PdStore         *self,
                               gint64           id,
                               const PdBillTo  *answer,
                               const char      *etag,
                               const PdBillTo  *sent,
                               guint32          mask,
                               GError         **error)
{
  g_autoptr(PdOrganization) org = get_org (self, id, TRUE, error);
  g_autoptr(PdBillTo) old_pc = NULL;
  gboolean changed = FALSE;

  if (org == NULL)
    return FALSE;
  if (pd_organization_get_tenant_id (org) == NULL)
    return set_invalid (error, _("Organization %" G_GINT64_FORMAT " is not a Partner Center "
                                 "customer"), id);
  old_pc = pd_bill_to_copy (pd_organization_get_bill_to_partner_center (org));
  pd_organization_set_bill_to_partner_center (org, answer, etag);
  return settle_pushed_override (self, org, sent, mask, error) &&
         write_pc_bill_to (self, org, error) &&
         add_bill_to_history (self, id, old_pc, answer, mask, PD_CHANGE_BY_PUSH, 0, &changed,
                              error) &&
         add_bill_to_history (self, id, old_pc, answer, ~mask, PD_CHANGE_BY_SYNC, 0, &changed,
                              error) &&
         write_derived (self, org, error);
}

gboolean
pd_store_set_pushed_bill_to (PdStore         *self,
                             gint64           id,
                             const PdBillTo  *answer,
                             const char      *etag,
                             const PdBillTo  *sent,
                             guint32          mask,
                             GError         **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (sent != NULL, FALSE);
  if (!begin_write (self, error))
    return FALSE;
  return end_write (self, set_pc_bill_to_in_transaction (self, id, answer, etag, sent, mask,
                                                         error),
                    error);
}

gboolean
pd_store_set_read_bill_to (PdStore         *self,
                           gint64           id,
                           const PdBillTo  *bill_to,
                           const char      *etag,
                           GError         **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (bill_to != NULL, FALSE);
  if (!begin_write (self, error))
    return FALSE;
  return end_write (self, set_pc_bill_to_in_transaction (self, id, bill_to, etag, NULL, 0, error),
                    error);
}

/* The events stmt selects (kind, org_id, tenant_id, name, field, old_value, new_value, error),
 * as a GPtrArray of PdRunEvent; NULL with error set. */
static GPtrArray *
read_run_events (PdStore       *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_run_event_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdRunEvent *e = g_new0 (PdRunEvent, 1);

      e->kind = (PdRunEventKind) sqlite3_column_int (stmt, 0);
      e->org_id = sqlite3_column_int64 (stmt, 1);
      e->tenant_id = g_strdup (column_text (stmt, 2));
      e->name = g_strdup (column_text (stmt, 3));
      e->field = g_strdup (column_text (stmt, 4));
      e->old_value = g_strdup (column_text (stmt, 5));
      e->new_value = g_strdup (column_text (stmt, 6));
      e->error = g_strdup (column_text (stmt, 7));
      g_ptr_array_add (events, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

#define RUN_EVENT_COLUMNS "kind, org_id, tenant_id, name, field, old_value, new_value, error"

GPtrArray *
pd_store_get_run_events (PdStore  *self,
                         gint64    run_id,
                         GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT " RUN_EVENT_COLUMNS " FROM sync_run_events WHERE run_id = ? "
                        "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  return read_run_events (self, stmt, error);
}

GPtrArray *
pd_store_get_run_failures (PdStore  *self,
                           gint64    run_id,
                           GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT " RUN_EVENT_COLUMNS " FROM sync_run_events "
                        "WHERE run_id = ? AND kind = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, PD_RUN_EVENT_FAILED);
  return read_run_events (self, stmt, error);
}

/* ------------------------------------------------------------------------------------------ */
/* 7. Country rules and meta                                                                    */

/* Version 1 files have no derived columns or search rows: compute them for every row. */
static gboolean
migrate_fill_derived (PdStore  *self,
                      GError  **error)
{
  g_autoptr(GPtrArray) orgs = pd_store_list (self, NULL, error);

  if (orgs == NULL)
    return FALSE;
  for (guint i = 0; i < orgs->len; i++)
    if (!write_derived (self, g_ptr_array_index (orgs, i), error))
      return FALSE;
  all_dups_stale (self);
  return TRUE;
}

/* Recomputes the missing-field mask of the organizations whose effective country is iso2
 * (all when NULL), after the rules changed. */
static gboolean
recompute_missing (PdStore     *self,
                   const char  *iso2,
                   GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, iso2 != NULL ? "SELECT id FROM organizations WHERE eff_country = ?"
                                     : "SELECT id FROM organizations", error);
  if (stmt == NULL)
    return FALSE;
  if (iso2 != NULL)
    bind_text (stmt, 1, iso2);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  for (guint i = 0; i < ids->len; i++)
    if (!refresh_derived (self, g_array_index (ids, gint64, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
load_country_rules (PdStore  *self,
                    GError  **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT rule FROM country_rules ORDER BY iso2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdCountryRule) rule = pd_country_rule_from_string (column_text (stmt, 0), NULL);

      /* A rule this build cannot parse falls back to the bundled one. */
      if (rule != NULL)
        pd_country_rules_replace (self->rules, rule);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, rc, error);
  return TRUE;
}

gboolean
pd_store_save_country_rule (PdStore              *self,
                            const PdCountryRule  *rule,
                            GError              **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (rule != NULL && rule->iso2 != NULL, FALSE);
  text = pd_country_rule_to_string (rule);
  if (!begin_write (self, error))
    return FALSE;
  stmt = prepare (self, "INSERT OR REPLACE INTO country_rules (iso2, rule, fetched_at) "
                        "VALUES (?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      bind_text (stmt, 1, rule->iso2);
      bind_text (stmt, 2, text);
      sqlite3_bind_int64 (stmt, 3, now_seconds ());
      ok = step_done (self, stmt, error);
    }
  if (ok)
    {
      g_autofree char *digest = NULL;

      /* The masks now match the rules in use: the next open need not recompute them. */
      pd_country_rules_replace (self->rules, rule);
      digest = rules_digest (self);
      ok = recompute_missing (self, rule->iso2, error) &&
           pd_store_set_meta (self, "country-rules-digest", digest, error);
    }
  return end_write (self, ok, error);
}

GDateTime *
pd_store_get_country_rule_fetched_at (PdStore     *self,
                                      const char  *iso2)
{
  gint64 when = -1;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT fetched_at FROM country_rules WHERE iso2 = ?", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, iso2);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    when = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return when >= 0 ? date_time_from_seconds (when) : NULL;
}

char **
pd_store_dup_countries (PdStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT DISTINCT eff_country FROM organizations "
                        "WHERE eff_country IS NOT NULL ORDER BY 1", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}

char *
pd_store_get_meta (PdStore     *self,
                   const char  *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
pd_store_set_meta (PdStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  stmt = prepare (self, value != NULL
                  ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
                  : "DELETE FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  if (value != NULL)
    bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

/* The missing-field masks were computed with some version of the rules. When the rules in use
 * differ (a new build with new bundled rules), every mask is recomputed once. */
static char *
rules_digest (PdStore *self)
{
  g_auto(GStrv) countries = pd_country_rules_dup_countries (self->rules);
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; countries != NULL && countries[i] != NULL; i++)
    {
      g_autofree char *text =
        pd_country_rule_to_string (pd_country_rules_lookup (self->rules, countries[i]));
      g_string_append_printf (all, "%s\n", text);
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, all->len);
}

static gboolean
refresh_rules_digest (PdStore  *self,
                      GError  **error)
{
  g_autofree char *digest = rules_digest (self);
  g_autofree char *stored = NULL;

  stored = pd_store_get_meta (self, "country-rules-digest");
  if (g_strcmp0 (stored, digest) == 0)
    return TRUE;
  if (!begin_write (self, error))
    return FALSE;
  /* Another connection (the app's loader thread) may have done it while we waited. */
  g_free (stored);
  stored = pd_store_get_meta (self, "country-rules-digest");
  if (g_strcmp0 (stored, digest) == 0)
    return end_write (self, TRUE, error);
  return end_write (self, recompute_missing (self, NULL, error) &&
                          pd_store_set_meta (self, "country-rules-digest", digest, error),
                    error);
}
