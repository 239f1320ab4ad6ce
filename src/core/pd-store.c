/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store.c — the local SQLite cache (see pd-store.h): the object, opening the file
 * (validation before any write, creation, forward migrations: pd-store-schema.c), its tuning,
 * and meta. The country rules it keeps: pd-store-country.c.
 *
 * The store is split over these files, sharing pd-store-private.h:
 *   pd-store.c         the object, opening, tuning, meta
 *   pd-store-schema.c  the schema version by version, and the migrations between them
 *   pd-store-db.c      SQLite plumbing: statement cache, binding, transactions, error mapping
 *   pd-store-index.c   derived columns (missing-field mask, duplicate keys, full-text row)
 *   pd-store-country.c country rules kept in the cache, and the masks they decide
 *   pd-store-read.c    reading organizations, counts, history, resellers
 *   pd-store-search.c  which rows a page shows: search words, filters' WHERE, the page's ids
 *   pd-store-words.c   how many rows a word matches (sampled), and words' index rows kept
 *   pd-store-edit.c    local edits (by the user), links and merges
 *   pd-store-runs.c    sync runs, the sync lock, checkpoints, run events and reports
 *   pd-store-listed.c  the customers a full run listed, waiting for their read
 *   pd-store-merge.c   the Partner Center merge
 *   pd-store-push.c    the answer of a bill-to push, and reads outside a sync
 *   pd-store-batch.c   a sync batch's prefetch of known and unchanged customers
 *   pd-store-partner.c the account a cache belongs to, resellers and their scope
 *
 * Derived columns (missing_mask, name_key, domain_key, eff_country, search_text) and the
 * org_search FTS5 rows are rewritten by every write that can change them, so that listing
 * 100,000 organizations needs no per-row query and no per-row rule evaluation.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pd-store-private.h"

#define SQLITE_HEADER "SQLite format 3"
#define HEADER_SIZE 100
#define HEADER_USER_VERSION_OFFSET 60

G_DEFINE_TYPE (PdStore, pd_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (pd-store-error-quark, pd_store_error)

/* The page cache of a read-write connection, and the larger one while it owns a sync run
 * (PRAGMA cache_size: negative, in KiB; index builds sort on a smaller one: pd-store-schema.c). A run looks
 * each customer up in the tenant_id index at random, and at a million customers that index
 * is 48 MB: on 32 MB an unchanged re-sync read its pages again and again (1M: 8.2 s of CPU
 * on 32 MB, 6.6 s on 64 MB, 6.3 s on 128 MB). The cap keeps a sync's memory flat. */
#define CACHE_SIZE -32768
#define RUN_CACHE_SIZE -65536

static void
pd_store_finalize (GObject *object)
{
  PdStore *self = PD_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->dynamic_statements, g_hash_table_unref);
  g_clear_pointer (&self->pending_fts, g_hash_table_unref);
  g_clear_pointer (&self->stale_keys[0], g_hash_table_unref);
  g_clear_pointer (&self->stale_keys[1], g_hash_table_unref);
  g_clear_pointer (&self->tokenizer, _pd_store_tokenizer_free);
  g_clear_pointer (&self->search_sample, _pd_store_sample_free);
  g_clear_pointer (&self->word_hits, _pd_store_word_hits_cache_free);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->sync_lock_fd >= 0)
    close (self->sync_lock_fd);
  g_clear_object (&self->rules);
  g_free (self->rules_digest_seen);
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
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, _pd_store_finalize_statement);
  self->dynamic_statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    _pd_store_finalize_statement);
  self->pending_fts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint kind = 0; kind < 2; kind++)
    self->stale_keys[kind] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sync_lock_fd = -1;
  self->own_history_pending = -1;
}

char *
pd_store_default_path (void)
{
  const char *env = g_getenv ("PARTNER_DESK_DB");

  if (!_pd_store_str_empty (env))
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
  sqlite3_busy_timeout (db, PD_STORE_LOCK_WAIT_MS);
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

/* Creates the folder (0700) and an empty file (0600) so that SQLite never creates the file with
 * the process umask: the cache holds customer data. */
static gboolean
create_empty_file (const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return _pd_store_set_io_error (errno, _("Could not create the folder"), dir, error);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    return _pd_store_set_io_error (errno, _("Could not create the cache"), path, error);
  if (fd >= 0)
    close (fd);
  return TRUE;
}

/* Checkpoint every 32 MB instead of 4 MB, and cut the WAL back to 16 MB after each: a
 * transaction rewrites the same index pages again and again. */
#define WAL_OUTSIDE_RUNS_SQL \
  "PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 16777216;"

/* While this store owns a sync run: checkpoint every 128 MB, and never cut the WAL. A run's
 * batches each write a page of the tenant_id index per customer (Partner Center's tenant ids
 * are random, so every insert lands on another page); a longer WAL copies each such page into
 * the file once for many batches, and a WAL cut back at every checkpoint had the kernel
 * allocate and zero the same 16 MB again each time. Together a sixth of a first sync. */
#define WAL_IN_RUNS_SQL \
  "PRAGMA wal_autocheckpoint = 32768; PRAGMA journal_size_limit = -1;"

/* What changes while this store owns a sync run: the WAL's limits and the page cache. */
#define IN_RUN_SQL WAL_IN_RUNS_SQL "PRAGMA cache_size = " G_STRINGIFY (RUN_CACHE_SIZE) ";"
#define OUTSIDE_RUN_SQL WAL_OUTSIDE_RUNS_SQL "PRAGMA cache_size = " G_STRINGIFY (CACHE_SIZE) ";"

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
    return _pd_store_set_sqlite_error (self->db, rc, error);
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, PD_STORE_LOCK_WAIT_MS);
  if (self->read_only)
    return _pd_store_exec_sql (self, "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
                               error);
  /* NORMAL is durable across application crashes in WAL mode; only a power loss can drop the
   * last transactions, never corrupt the file. */
  return _pd_store_exec_sql (self,
                             "PRAGMA journal_mode = WAL;"
                             "PRAGMA foreign_keys = ON;"
                             "PRAGMA synchronous = NORMAL;"
                             /* 32 MB of page cache: a sync of 100,000 customers updates indexes
                              * on random keys (tenant ids), which thrash SQLite's default 2 MB. */
                             "PRAGMA cache_size = " G_STRINGIFY (CACHE_SIZE) ";"
                             /* Not mapped in memory (mmap_size): a search's random row reads
                              * would cost 1.25 µs instead of 12–15, but every page read stays
                              * in the process's resident memory, and the list's load reads them
                              * all (the app at a million customers: 527 → 1,082 MB). */
                             /* Sorts and temporary tables beyond the cache's size go to temp
                              * files (SQLITE_TMPDIR, TMPDIR, /var/tmp or /tmp; all writable in
                              * the flatpak sandbox), not to memory: in memory, the end of a
                              * first sync of a million customers took 160 MB over its fetch to
                              * sort its indexes (issue 14). */
                             "PRAGMA temp_store = FILE;"
                             /* pd_store_set_resellers_of: per connection, for one sync. */
                             "CREATE TEMP TABLE IF NOT EXISTS run_reseller_of ("
                             "  tenant_id TEXT PRIMARY KEY, reseller_id TEXT NOT NULL"
                             ") WITHOUT ROWID;"
                             WAL_OUTSIDE_RUNS_SQL,
                             error);
}

/* Sets the WAL's limits and the page cache for inside (running) or outside a sync run.
 * Tuning only: a failure changes no data, so it is logged, not returned. */
void
_pd_store_set_run_tuning (PdStore  *self,
                          gboolean  running)
{
  g_autoptr(GError) error = NULL;

  if (!_pd_store_exec_sql (self, running ? IN_RUN_SQL : OUTSIDE_RUN_SQL, &error))
    g_debug ("Cache tuning for sync runs not set: %s", error->message);
}

/* Is this an empty database, or one that some other program created? Only the former may
 * receive our schema. */
static gboolean
check_foreign_tables (PdStore  *self,
                      GError  **error)
{
  gint64 n_tables = 0;

  if (!_pd_store_query_int64 (self, "SELECT count(*) FROM sqlite_schema", 0, 0, &n_tables, error))
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

  if (!_pd_store_begin_write (self, error))
    return FALSE;
  /* Another process may have migrated between validation and the write lock. */
  ok = _pd_store_query_int64 (self, "PRAGMA user_version", 0, 0, &version, error);
  if (ok && version == 0)
    ok = check_foreign_tables (self, error);
  if (ok && version < PD_STORE_SCHEMA_VERSION)
    ok = _pd_store_migrate_from (self, version, error);
  if (ok && version > PD_STORE_SCHEMA_VERSION)
    ok = set_too_new_error (self->path, (int) version, error);
  set_version = g_strdup_printf ("PRAGMA user_version = %d", PD_STORE_SCHEMA_VERSION);
  if (ok && version < PD_STORE_SCHEMA_VERSION)
    ok = _pd_store_exec_sql (self, set_version, error);
  return _pd_store_end_write (self, ok, error);
}

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
      _pd_store_set_read_only_error (self->path, error);
      return NULL;
    }
  if (version < PD_STORE_SCHEMA_VERSION && !migrate (self, error))
    return NULL;
  self->schema_version = PD_STORE_SCHEMA_VERSION;
  /* A read-only cache keeps the flags it was written with, even if the rules changed since. */
  if (!_pd_store_load_country_rules (self, error)
      || (!self->read_only && !_pd_store_refresh_rules_digest (self, error)))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
pd_store_get_path (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return self->path;
}

void
pd_store_follow_other_writers (PdStore *self)
{
  g_return_if_fail (PD_IS_STORE (self));
  _pd_store_follow_rules (self);
}

gboolean
pd_store_get_data_version (PdStore  *self,
                           gint64   *out_version,
                           GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  return _pd_store_query_int64 (self, "PRAGMA data_version", 0, 0, out_version, error);
}

void
pd_store_release_memory (PdStore *self)
{
  g_return_if_fail (PD_IS_STORE (self));
  sqlite3_db_release_memory (self->db);
}

void
pd_store_set_lock_wait (PdStore *self,
                        guint    max_ms)
{
  g_return_if_fail (PD_IS_STORE (self));
  sqlite3_busy_timeout (self->db, (int) MIN (max_ms, (guint) G_MAXINT));
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

char *
pd_store_get_meta (PdStore     *self,
                   const char  *key)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return _pd_store_query_text (self, "SELECT value FROM meta WHERE key = ?", key);
}

/* Whether meta holds key, inside the caller's transaction (a mark a run leaves for the next). */
gboolean
_pd_store_has_meta (PdStore     *self,
                    const char  *key,
                    gboolean    *out_has,
                    GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT 1 FROM meta WHERE key = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  *out_has = rc == SQLITE_ROW;
  return _pd_store_row_done (self, stmt, rc, error);
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
  stmt = _pd_store_prepare (self, value != NULL
                            ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
                            : "DELETE FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_text (stmt, 1, key);
  if (value != NULL)
    _pd_store_bind_text (stmt, 2, value);
  return _pd_store_step_done (self, stmt, error);
}
