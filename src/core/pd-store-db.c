/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-db.c — SQLite plumbing of the store: time and column helpers, error mapping, the
 * statement cache, binding and stepping, write transactions. */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "pd-store-private.h"

gint64
_pd_store_now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

GDateTime *
_pd_store_date_time_from_seconds (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (seconds);
}

gboolean
_pd_store_str_empty (const char *s)
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
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return PD_STORE_ERROR_LOCKED;
    default:
      return PD_STORE_ERROR_FAILED;
    }
}

/* The file or its folder is not writable: say which path, and what to do about it. */
gboolean
_pd_store_set_read_only_error (const char  *path,
                               GError     **error)
{
  g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_READ_ONLY,
               _("The cache “%s” is read-only: changes cannot be saved. Give your user write "
                 "permission on the file and its folder."),
               path != NULL && *path != '\0' ? path : _("(unknown)"));
  return FALSE;
}

gboolean
_pd_store_set_sqlite_error (sqlite3  *db,
                            int       rc,
                            GError  **error)
{
  PdStoreError code = error_code_for_sqlite (rc);
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  if (code == PD_STORE_ERROR_DISK_FULL)
    g_set_error (error, PD_STORE_ERROR, code,
                 _("The disk is full: the cache could not be saved (%s)"), detail);
  else if (code == PD_STORE_ERROR_READ_ONLY)
    _pd_store_set_read_only_error (db != NULL ? sqlite3_db_filename (db, "main") : NULL, error);
  else if (code == PD_STORE_ERROR_CORRUPT)
    g_set_error (error, PD_STORE_ERROR, code,
                 _("The cache file is damaged (%s)"), detail);
  else if (code == PD_STORE_ERROR_LOCKED)
    /* SQLite's "database is locked" names neither the cause nor what became of the change. */
    g_set_error (error, PD_STORE_ERROR, code,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The cache is busy: another program using it (Partner Desk, "
                              "partner-desk-cli or its sync timer) kept it locked for more than "
                              "%d second, so the change was not saved. Try again in a moment.",
                              "The cache is busy: another program using it (Partner Desk, "
                              "partner-desk-cli or its sync timer) kept it locked for more than "
                              "%d seconds, so the change was not saved. Try again in a moment.",
                              PD_STORE_LOCK_WAIT_MS / 1000),
                 PD_STORE_LOCK_WAIT_MS / 1000);
  else
    g_set_error (error, PD_STORE_ERROR, code, _("Cache error: %s"), detail);
  return FALSE;
}

void
_pd_store_finalize_statement (gpointer data)
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
      _pd_store_set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  g_hash_table_insert (cache, copy_key ? g_strdup (sql) : (gpointer) sql, stmt);
  return stmt;
}

/* A prepared statement for a string literal, reset and with its bindings cleared. Statements
 * are kept for the life of the store, so bulk writes prepare each statement once; they are
 * found by the literal's address, which costs nothing per row. */
sqlite3_stmt *
_pd_store_prepare (PdStore     *self,
                   const char  *sql,
                   GError     **error)
{
  return prepare_in (self, self->statements, sql, FALSE, error);
}

/* The same for SQL built at run time (from fixed fragments), found by its text. */
sqlite3_stmt *
_pd_store_prepare_dynamic (PdStore     *self,
                           const char  *sql,
                           GError     **error)
{
  return prepare_in (self, self->dynamic_statements, sql, TRUE, error);
}

/* A NULL text binds SQL NULL: sqlite3_bind_text does that itself (its fourth argument is then
 * ignored). */
void
_pd_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Binds without copying, for the bulk paths: text must stay valid until the statement is
 * stepped; _pd_store_step_done clears the bindings right after, so no dangling pointer stays
 * bound. */
void
_pd_store_bind_static (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* Binds without copying, turning "" into NULL: optional columns never hold empty strings. */
void
_pd_store_bind_static_or_null (sqlite3_stmt *stmt,
                               int           index,
                               const char   *text)
{
  _pd_store_bind_static (stmt, index, _pd_store_str_empty (text) ? NULL : text);
}

const char *
_pd_store_column_text (sqlite3_stmt *stmt,
                       int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

/* Resets stmt after a loop over its rows that ended with rc: TRUE when the rows all came
 * (SQLITE_DONE), else FALSE with the SQLite error. */
gboolean
_pd_store_rows_done (PdStore       *self,
                     sqlite3_stmt  *stmt,
                     int            rc,
                     GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Resets stmt after the one step of a query of at most one row, which returned rc: TRUE when
 * it gave its row or none (SQLITE_ROW, SQLITE_DONE), else FALSE with the SQLite error. */
gboolean
_pd_store_row_done (PdStore       *self,
                    sqlite3_stmt  *stmt,
                    int            rc,
                    GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Runs a statement that returns no rows (or whose rows are ignored) and resets it. */
gboolean
_pd_store_step_done (PdStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc;
  gboolean ok;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  ok = _pd_store_rows_done (self, stmt, rc, error);
  sqlite3_clear_bindings (stmt);
  return ok;
}

/* Runs a statement whose first column is a row id, appends the ids to ids, and resets it. */
gboolean
_pd_store_collect_ids (PdStore       *self,
                       sqlite3_stmt  *stmt,
                       GArray        *ids,
                       GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

gboolean
_pd_store_exec_sql (PdStore     *self,
                    const char  *sql,
                    GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Write transactions take the write lock up front (IMMEDIATE) so that a busy database is
 * waited for at BEGIN, within busy_timeout, instead of failing half way. */
gboolean
_pd_store_begin_write (PdStore  *self,
                       GError  **error)
{
  if (!_pd_store_exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* The masks this write computes follow the rules the file holds now. */
  _pd_store_follow_rules (self);
  return TRUE;
}

static gboolean
commit (PdStore  *self,
        GError  **error)
{
  return _pd_store_exec_sql (self, "COMMIT", error);
}

static void
rollback (PdStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* A read of more than one statement (rows, then their local edits) sees one snapshot of the
 * file: another process's commit between the two would pair one state's rows with another's
 * edits (a sync that replaced a local edit shown with that edit). Inside a transaction
 * already, that one is the snapshot; *out_began says whether to end this one
 * (_pd_store_end_read). */
gboolean
_pd_store_begin_read (PdStore   *self,
                      gboolean  *out_began,
                      GError   **error)
{
  sqlite3_stmt *stmt;

  *out_began = sqlite3_get_autocommit (self->db) != 0;
  /* Prepared once: a read by id begins and ends one for every customer a sync fetches. */
  return !*out_began
         || ((stmt = _pd_store_prepare (self, "BEGIN", error)) != NULL
             && _pd_store_step_done (self, stmt, error));
}

/* Ends what _pd_store_begin_read began. A read commits nothing, so a failure only ends it. */
void
_pd_store_end_read (PdStore  *self,
                    gboolean  began)
{
  sqlite3_stmt *stmt;

  if (began && ((stmt = _pd_store_prepare (self, "COMMIT", NULL)) == NULL
                || !_pd_store_step_done (self, stmt, NULL)))
    rollback (self);
}

/* Ends a write transaction: commits when ok, rolls back otherwise. */
gboolean
_pd_store_end_write (PdStore   *self,
                     gboolean   ok,
                     GError   **error)
{
  gint64 own_history = self->own_history_pending;

  self->own_history_pending = -1;
  if (ok && _pd_store_settle_dups (self, error) && _pd_store_flush_fts (self, error)
      && commit (self, error))
    {
      if (own_history >= 0)
        self->own_history_id = own_history;
      return TRUE;
    }
  g_hash_table_remove_all (self->pending_fts);
  _pd_store_dups_settled (self);
  rollback (self);
  return FALSE;
}

sqlite3_stmt *
_pd_store_prepare_with_arg (PdStore     *self,
                            const char  *sql,
                            gint64       arg,
                            GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, sql, error);

  if (stmt != NULL && sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  return stmt;
}

/* A single integer from a query with one optional bound integer; fallback when no row. */
gboolean
_pd_store_query_int64 (PdStore     *self,
                       const char  *sql,
                       gint64       arg,
                       gint64       fallback,
                       gint64      *out,
                       GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare_with_arg (self, sql, arg, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
         ? sqlite3_column_int64 (stmt, 0) : fallback;
  return _pd_store_row_done (self, stmt, rc, error);
}

/* The text of column 0 of the first row of a query with one bound text; NULL when there is no
 * row, the value is NULL or the query fails (bound without a copy: the lookups of a sync). */
char *
_pd_store_query_text (PdStore     *self,
                      const char  *sql,
                      const char  *arg)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, sql, NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  _pd_store_bind_static (stmt, 1, arg);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup (_pd_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return text;
}

void
_pd_store_append_params (GString *sql,
                         guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append (sql, i == 0 ? "?" : ", ?");
}

gint64
_pd_store_last_insert_id (PdStore *self)
{
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
_pd_store_set_io_error (int          saved_errno,
                        const char  *what,
                        const char  *path,
                        GError     **error)
{
  PdStoreError code = saved_errno == ENOSPC ? PD_STORE_ERROR_DISK_FULL : PD_STORE_ERROR_FAILED;

  g_set_error (error, PD_STORE_ERROR, code, "%s “%s”: %s", what, path,
               g_strerror (saved_errno));
  return FALSE;
}
