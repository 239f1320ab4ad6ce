/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-index.c — the store's derived columns: the missing-field mask, the duplicate keys
 * and flags, the effective country, the search words and their full-text rows. */
#include "config.h"

#include <string.h>

#include "pd-duplicates.h"
#include "pd-store-private.h"

/* Bit f is set when field f (PdBillToField, or PD_MISSING_REGISTRATION_NUMBER) stops orders. */
static guint32
compute_missing_mask (PdStore        *self,
                      PdOrganization *org)
{
  /* Order readiness is judged on what Microsoft checks, never on a local fill. */
  g_autoptr(GPtrArray) missing = NULL;
  guint32 mask = 0;

  /* Nothing is known of a bill-to never read: it is neither complete nor incomplete. */
  if (pd_organization_get_bill_to_unreadable (org))
    return 0;
  missing = pd_missing_fields_for_orders (org, self->rules);
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
 * domain, ERP ID, e-mail, city and notes), as distinct words. A change here changes
 * rules_digest in pd-store.c, so that caches rebuild it once. */
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
  add_search_words (&words, pd_organization_get_notes (org));
  return g_string_free (words.text, FALSE);
}

/* Only the duplicate keys and the effective country; no missing mask (0) and no search text
 * (NULL). */
void
_pd_store_derived_compute_keys (PdOrganization *org,
                                Derived        *d)
{
  const char *domain = pd_organization_get_domain (org);

  d->missing = 0;
  d->name_key = nonempty_or_null (pd_duplicates_normalize_name (pd_organization_get_name (org)));
  d->domain_key = _pd_store_str_empty (domain) ? NULL
                  : nonempty_or_null (pd_duplicates_normalize_domain (domain));
  d->country = pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_COUNTRY);
  d->search_text = NULL;
}

void
_pd_store_derived_compute (PdStore        *self,
                           PdOrganization *org,
                           Derived        *d)
{
  _pd_store_derived_compute_keys (org, d);
  d->missing = compute_missing_mask (self, org);
  d->search_text = search_text_of (org);
}

void
_pd_store_derived_clear (Derived *d)
{
  g_clear_pointer (&d->name_key, g_free);
  g_clear_pointer (&d->domain_key, g_free);
  g_clear_pointer (&d->search_text, g_free);
}

void
_pd_store_column_keys (sqlite3_stmt *stmt,
                       int           index,
                       Derived      *d)
{
  d->name_key = g_strdup (_pd_store_column_text (stmt, index));
  d->domain_key = g_strdup (_pd_store_column_text (stmt, index + 1));
  d->search_text = g_strdup (_pd_store_column_text (stmt, index + 2));
}

/* Binds missing_mask, name_key, domain_key, eff_country, search_text from index on. */
void
_pd_store_bind_derived (sqlite3_stmt  *stmt,
                        int            index,
                        const Derived *d)
{
  sqlite3_bind_int64 (stmt, index, d->missing);
  _pd_store_bind_static (stmt, index + 1, d->name_key);
  _pd_store_bind_static (stmt, index + 2, d->domain_key);
  _pd_store_bind_static_or_null (stmt, index + 3, d->country);
  _pd_store_bind_static (stmt, index + 4, d->search_text);
}

/* The full-text entry of organization id is rewritten at commit (_pd_store_flush_fts).
 * indexed_text is the search_text the index holds for it now (NULL: none), unless an earlier
 * write of this transaction already queued it: then the index still holds what that one said.
 * The first sync this store runs queues nothing (its end builds the index); another
 * connection's first sync is seen at commit, through its mark in meta. */
void
_pd_store_fts_queue (PdStore    *self,
                     gint64      id,
                     const char *indexed_text)
{
  if (self->fts_deferred || g_hash_table_contains (self->pending_fts, &id))
    return;
  g_hash_table_insert (self->pending_fts, g_memdup2 (&id, sizeof id), g_strdup (indexed_text));
}

/* An external-content index forgets a row by being told the text it indexed, then takes the
 * row's search_text as it is now (nothing when the row is gone). */
/* The 'delete' of row id's entry as indexed_text. */
static gboolean
delete_fts_row (PdStore     *self,
                gint64       id,
                const char  *indexed_text,
                GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "INSERT INTO org_search (org_search, rowid, "
                                                "search_text) VALUES ('delete', ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  _pd_store_bind_static (stmt, 2, indexed_text);
  return _pd_store_step_done (self, stmt, error);
}

/* Row id's entry from its search_text as it is now (nothing when the row is gone). */
static gboolean
insert_fts_row (PdStore  *self,
                gint64    id,
                GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "INSERT INTO org_search (rowid, search_text) "
                                                "SELECT id, search_text FROM organizations "
                                                "WHERE id = ? AND search_text IS NOT NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _pd_store_step_done (self, stmt, error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Every deletion first, then every insertion, each in rowid order: FTS5 flushes its pending
 * terms whenever a write goes back in rowid or switches between delete and insert, so
 * interleaving them in hash order cost a first sync (whose reads rewrite the rows the listing
 * indexed) most of its time. */
static gboolean
write_pending_fts (PdStore  *self,
                   GError  **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                             g_hash_table_size (self->pending_fts));
  GHashTableIter iter;
  gpointer id;
  gboolean ok = TRUE;

  g_hash_table_iter_init (&iter, self->pending_fts);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_array_append_val (ids, *(gint64 *) id);
  g_array_sort (ids, compare_ids);
  for (guint i = 0; ok && i < ids->len; i++)
    {
      gint64 row = g_array_index (ids, gint64, i);
      const char *indexed_text = g_hash_table_lookup (self->pending_fts, &row);

      if (indexed_text != NULL)
        ok = delete_fts_row (self, row, indexed_text, error);
    }
  for (guint i = 0; ok && i < ids->len; i++)
    ok = insert_fts_row (self, g_array_index (ids, gint64, i), error);
  return ok;
}

/* While a first sync, of this connection or another, leaves its rows out of the index
 * (PD_STORE_FTS_INCOMPLETE_KEY), an edit's entry is left to that sync's build as well: telling
 * FTS5 to forget words it never indexed damages an external-content index, and the edit
 * failed with "the cache file is damaged". */
gboolean
_pd_store_flush_fts (PdStore  *self,
                     GError  **error)
{
  gboolean incomplete = FALSE;
  gboolean ok;

  if (g_hash_table_size (self->pending_fts) == 0)
    return TRUE;
  ok = _pd_store_has_meta (self, PD_STORE_FTS_INCOMPLETE_KEY, &incomplete, error)
       && (incomplete || write_pending_fts (self, error));
  g_hash_table_remove_all (self->pending_fts);
  return ok;
}

/* Possible duplicates are organizations sharing a normalised name or domain (name_key,
 * domain_key). The flag is stored (organizations.dup) so that listing and counting need no
 * grouping. A transaction that changes keys settles the flags of the groups it touched before
 * it commits, looking their members up on the key indexes (schema 7); a sync run keeps those
 * groups in dup_stale_keys and settles them once, at its end. When too many groups are stale
 * (a first sync), every flag is recomputed in one pass instead (about 0.1 s for 100,000
 * organizations). */
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
      sqlite3_stmt *stmt = _pd_store_prepare (self, "UPDATE organizations SET dup = ? WHERE id = ?",
                                              error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, row->dup ? 1 : 0);
      sqlite3_bind_int64 (stmt, 2, row->id);
      if (!_pd_store_step_done (self, stmt, error))
        return FALSE;
    }
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

/* Every flag, from the groups of more than one member on the key indexes (schema 7): only
 * the flags that change are written. 0.1 s for 100,000 organizations (its groups are sorted
 * without the indexes). */
static gboolean
recompute_dups (PdStore  *self,
                GError  **error)
{
  return _pd_store_exec_sql (self,
    "CREATE TEMP TABLE IF NOT EXISTS dup_shared (id INTEGER PRIMARY KEY);"
    "DELETE FROM temp.dup_shared;"
    "INSERT OR IGNORE INTO temp.dup_shared SELECT id FROM organizations WHERE name_key IN "
    "  (SELECT name_key FROM organizations WHERE name_key IS NOT NULL "
    "   GROUP BY name_key HAVING count(*) > 1);"
    "INSERT OR IGNORE INTO temp.dup_shared SELECT id FROM organizations WHERE domain_key IN "
    "  (SELECT domain_key FROM organizations WHERE domain_key IS NOT NULL "
    "   GROUP BY domain_key HAVING count(*) > 1);"
    "UPDATE organizations SET dup = 0 WHERE dup != 0 "
    "  AND id NOT IN (SELECT id FROM temp.dup_shared);"
    "UPDATE organizations SET dup = 1 WHERE id IN (SELECT id FROM temp.dup_shared) AND dup = 0;"
    "DELETE FROM temp.dup_shared;", error);
}

/* More stale keys than this (in a transaction, or kept across a run's batches): every flag is
 * recomputed in one pass instead of group by group. */
#define MAX_STALE_KEYS 20000

static const char * const members_sql[2] = {
  "SELECT id, name_key, domain_key, dup FROM organizations WHERE name_key = ?",
  "SELECT id, name_key, domain_key, dup FROM organizations WHERE domain_key = ?",
};
static const char * const group_size_sql[2] = {
  "SELECT count(*) FROM organizations WHERE name_key = ?",
  "SELECT count(*) FROM organizations WHERE domain_key = ?",
};

/* Adds the rows of stmt (members_sql) that are not in seen yet to pass->rows, interning their
 * keys (each counted once in pass->counts, to be sized later). */
static gboolean
read_members (PdStore       *self,
              sqlite3_stmt  *stmt,
              GHashTable    *seen,
              DupPass       *pass,
              GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DupRow row = { sqlite3_column_int64 (stmt, 0), { NULL, NULL },
                     sqlite3_column_int (stmt, 3) != 0 };

      if (g_hash_table_contains (seen, &row.id))
        continue;
      g_hash_table_add (seen, g_memdup2 (&row.id, sizeof row.id));
      for (guint kind = 0; kind < 2; kind++)
        {
          const char *key = _pd_store_column_text (stmt, 1 + (int) kind);

          if (key == NULL)
            continue;
          row.keys[kind] = g_string_chunk_insert_const (pass->interned, key);
          g_hash_table_insert (pass->counts[kind], (gpointer) row.keys[kind], NULL);
        }
      g_array_append_val (pass->rows, row);
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

/* Replaces each key's placeholder in counts with the size of its group, counted on the key's
 * index. */
static gboolean
size_groups (PdStore     *self,
             GHashTable  *counts[2],
             GError     **error)
{
  for (guint kind = 0; kind < 2; kind++)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, counts[kind]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 n = 0;
          sqlite3_stmt *stmt = _pd_store_prepare (self, group_size_sql[kind], error);
          int rc;

          if (stmt == NULL)
            return FALSE;
          _pd_store_bind_static (stmt, 1, key);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            n = sqlite3_column_int64 (stmt, 0);
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);   /* bound without copies */
          /* A failed count is not a group of none: that would clear its members' flags. */
          if (rc != SQLITE_ROW)
            return _pd_store_set_sqlite_error (self->db, rc, error);
          g_hash_table_iter_replace (&iter, GUINT_TO_POINTER ((guint) n));
        }
    }
  return TRUE;
}

/* Only the flags the stale groups' changes can change, found on the key indexes (schema 7):
 * each member of a stale group takes its flag from the sizes of its two groups. Time grows
 * with the groups, not with the cache. */
static gboolean
recompute_dups_of_keys (PdStore  *self,
                        GError  **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  DupPass pass;
  gboolean ok = TRUE;

  dup_pass_init (&pass);
  for (guint kind = 0; ok && kind < 2; kind++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->stale_keys[kind]);
      while (ok && g_hash_table_iter_next (&iter, &key, NULL))
        {
          sqlite3_stmt *stmt = _pd_store_prepare (self, members_sql[kind], error);

          if ((ok = stmt != NULL))
            {
              _pd_store_bind_static (stmt, 1, key);
              ok = read_members (self, stmt, seen, &pass, error);
              sqlite3_clear_bindings (stmt);
            }
        }
    }
  ok = ok && size_groups (self, pass.counts, error) &&
       write_changed_flags (self, pass.rows, pass.counts, error);
  dup_pass_clear (&pass);
  return ok;
}

/* The groups of these keys gained or lost a member in this transaction. */
void
_pd_store_keys_stale (PdStore    *self,
                      const char *name_key,
                      const char *domain_key)
{
  const char *keys[2] = { name_key, domain_key };

  /* Every group is stale already (a first sync): no key need be kept. */
  if (self->dups_stale_all)
    {
      self->dups_stale = TRUE;
      return;
    }
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

/* A row's keys went from old to d: the groups of each key that changed, the one it left and
 * the one it joined, are stale. */
void
_pd_store_keys_changed (PdStore       *self,
                        const Derived *old,
                        const Derived *d)
{
  if (g_strcmp0 (old->name_key, d->name_key) != 0)
    {
      _pd_store_keys_stale (self, old->name_key, NULL);
      _pd_store_keys_stale (self, d->name_key, NULL);
    }
  if (g_strcmp0 (old->domain_key, d->domain_key) != 0)
    {
      _pd_store_keys_stale (self, NULL, old->domain_key);
      _pd_store_keys_stale (self, NULL, d->domain_key);
    }
}

void
_pd_store_all_dups_stale (PdStore *self)
{
  self->dups_stale = self->dups_stale_all = TRUE;
}

void
_pd_store_dups_settled (PdStore *self)
{
  self->dups_stale = self->dups_stale_all = FALSE;
  for (guint kind = 0; kind < 2; kind++)
    g_hash_table_remove_all (self->stale_keys[kind]);
}

/* Records in the file that every flag is stale (a run changed too many groups to keep them). */
static gboolean
mark_all_stale (PdStore  *self,
                GError  **error)
{
  return pd_store_set_meta (self, PD_STORE_DUPS_STALE_KEY, "1", error)
         && _pd_store_exec_sql (self, "DELETE FROM dup_stale_keys", error);
}

/* While a sync run defers the flags: keeps the groups this transaction made stale in the file
 * (dup_stale_keys), for the run's end to settle; too many of them, and every flag is marked
 * stale instead. A run that dies leaves them for the next run. */
static gboolean
record_stale_keys (PdStore  *self,
                   GError  **error)
{
  gboolean marked = FALSE;
  gint64 kept = 0;

  if (!_pd_store_has_meta (self, PD_STORE_DUPS_STALE_KEY, &marked, error))
    return FALSE;
  if (marked)
    return TRUE;
  if (self->dups_stale_all)
    return mark_all_stale (self, error);
  for (guint kind = 0; kind < 2; kind++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->stale_keys[kind]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          sqlite3_stmt *stmt = _pd_store_prepare (self, "INSERT OR IGNORE INTO dup_stale_keys "
                                                        "(kind, key) VALUES (?, ?)", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, (int) kind);
          _pd_store_bind_static (stmt, 2, key);
          if (!_pd_store_step_done (self, stmt, error))
            return FALSE;
        }
    }
  if (!_pd_store_query_int64 (self, "SELECT count(*) FROM dup_stale_keys", 0, 0, &kept, error))
    return FALSE;
  return kept <= MAX_STALE_KEYS || mark_all_stale (self, error);
}

/* Before a commit: recomputes the duplicate flags a key change made stale, or, while a sync
 * run defers them, records which are (record_stale_keys). */
gboolean
_pd_store_settle_dups (PdStore  *self,
                       GError  **error)
{
  gboolean all = self->dups_stale_all;
  gboolean ok = TRUE;

  if (!self->dups_stale)
    return TRUE;
  if (self->defer_dups)
    {
      ok = record_stale_keys (self, error);
      _pd_store_dups_settled (self);
      return ok;
    }
  if (!all)
    ok = recompute_dups_of_keys (self, error);
  _pd_store_dups_settled (self);
  if (!ok || !all)
    return ok;
  /* Only a pass over every flag settles what a run left stale. */
  return recompute_dups (self, error) && pd_store_set_meta (self, PD_STORE_DUPS_STALE_KEY, NULL, error) &&
         _pd_store_exec_sql (self, "DELETE FROM dup_stale_keys", error);
}

/* Inside a write transaction: the duplicate groups a sync run left stale (all of them, or
 * those it kept in dup_stale_keys) become this transaction's, settled before it commits. */
gboolean
_pd_store_take_stale_mark (PdStore  *self,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean marked = FALSE;
  int rc;

  if (!_pd_store_has_meta (self, PD_STORE_DUPS_STALE_KEY, &marked, error))
    return FALSE;
  if (marked)
    {
      _pd_store_all_dups_stale (self);
      return TRUE;
    }
  if ((stmt = _pd_store_prepare (self, "SELECT kind, key FROM dup_stale_keys", error)) == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = _pd_store_column_text (stmt, 1);

      _pd_store_keys_stale (self, sqlite3_column_int (stmt, 0) == 0 ? key : NULL,
                            sqlite3_column_int (stmt, 0) != 0 ? key : NULL);
    }
  return _pd_store_rows_done (self, stmt, rc, error)
         && _pd_store_exec_sql (self, "DELETE FROM dup_stale_keys", error);
}

/* The duplicate keys and search text organization id has now, into the name_key, domain_key
 * and search_text of out_old, which the caller zeroed (they stay NULL when it does not exist). */
gboolean
_pd_store_read_row_keys (PdStore  *self,
                         gint64    id,
                         Derived  *out_old,
                         GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT name_key, domain_key, search_text "
                                                "FROM organizations WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    _pd_store_column_keys (stmt, 0, out_old);
  return _pd_store_row_done (self, stmt, rc, error);
}

/* Rewrites the derived columns of org (whose id is set) from the organization as it is now,
 * and queues its full-text entry when its search text changed. */
gboolean
_pd_store_write_derived (PdStore         *self,
                         PdOrganization  *org,
                         GError         **error)
{
  gint64 id = pd_organization_get_id (org);
  g_auto(Derived) old = { 0 };
  Derived d = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!_pd_store_read_row_keys (self, id, &old, error))
    return FALSE;
  stmt = _pd_store_prepare (self,
                            "UPDATE organizations SET missing_mask = ?, name_key = ?, "
                            "domain_key = ?, eff_country = ?, search_text = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _pd_store_derived_compute (self, org, &d);
  _pd_store_bind_derived (stmt, 1, &d);
  sqlite3_bind_int64 (stmt, 6, id);
  ok = _pd_store_step_done (self, stmt, error);
  _pd_store_keys_changed (self, &old, &d);
  if (ok && g_strcmp0 (old.search_text, d.search_text) != 0)
    _pd_store_fts_queue (self, id, old.search_text);
  _pd_store_derived_clear (&d);
  return ok;
}

/* Re-reads the organization and rewrites its derived columns and search row. */
gboolean
_pd_store_refresh_derived (PdStore  *self,
                           gint64    id,
                           GError  **error)
{
  g_autoptr(PdOrganization) org = _pd_store_get_org (self, id, TRUE, error);

  return org != NULL && _pd_store_write_derived (self, org, error);
}

/* The ids stmt selects are collected first: refreshing a row writes to the table stmt reads. */
gboolean
_pd_store_refresh_derived_of (PdStore       *self,
                              sqlite3_stmt  *stmt,
                              GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  return _pd_store_collect_ids (self, stmt, ids, error)
         && _pd_store_refresh_derived_ids (self, ids, error);
}

gboolean
_pd_store_refresh_derived_ids (PdStore  *self,
                               GArray   *ids,
                               GError  **error)
{
  for (guint i = 0; i < ids->len; i++)
    if (!_pd_store_refresh_derived (self, g_array_index (ids, gint64, i), error))
      return FALSE;
  return TRUE;
}

/* Rows the listing stored are not in the full-text index until read (insert_listed): those
 * still unread and unindexed (of tenant, or all when NULL) get their search text and entry. */
gboolean
_pd_store_index_unread (PdStore     *self,
                        const char  *tenant,
                        GError     **error)
{
  sqlite3_stmt *stmt =
    _pd_store_prepare (self, tenant != NULL
                             ? "SELECT id FROM organizations WHERE search_text IS NULL "
                               "AND bill_to_state != 0 AND tenant_id = ?"
                             : "SELECT id FROM organizations WHERE search_text IS NULL "
                               "AND bill_to_state != 0", error);

  if (stmt == NULL)
    return FALSE;
  if (tenant != NULL)
    _pd_store_bind_text (stmt, 1, tenant);
  return _pd_store_refresh_derived_of (self, stmt, error);
}

/* org_search's tokenizer (schema 3: unicode61, remove_diacritics 2), to tell whether a row
 * matches a search without asking the index for every match. */
struct _PdSearchTokenizer {
  fts5_tokenizer   api;
  Fts5Tokenizer   *tokenizer;
};

void
_pd_store_tokenizer_free (PdSearchTokenizer *t)
{
  if (t == NULL)
    return;
  if (t->tokenizer != NULL)
    t->api.xDelete (t->tokenizer);
  g_free (t);
}

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return api;
}

/* The store's tokenizer, made once; NULL when SQLite does not offer it (then searches ask the
 * index only). */
static PdSearchTokenizer *
store_tokenizer (PdStore *self)
{
  static const char *args[] = { "remove_diacritics", "2" };
  g_autoptr(PdSearchTokenizer) t = NULL;
  fts5_api *api;
  void *user_data = NULL;

  if (self->tokenizer != NULL || self->tokenizer_failed)
    return self->tokenizer;
  self->tokenizer_failed = TRUE;
  api = get_fts5_api (self->db);
  if (api == NULL || api->iVersion < 2)
    return NULL;
  t = g_new0 (PdSearchTokenizer, 1);
  if (api->xFindTokenizer (api, "unicode61", &user_data, &t->api) != SQLITE_OK ||
      t->api.xCreate (user_data, args, G_N_ELEMENTS (args), &t->tokenizer) != SQLITE_OK)
    return NULL;
  self->tokenizer_failed = FALSE;
  self->tokenizer = g_steal_pointer (&t);
  return self->tokenizer;
}

/* Calls take on each token of text as org_search indexes it; FALSE when there is no
 * tokenizer. */
gboolean
_pd_store_tokenize (PdStore          *self,
                    const char       *text,
                    PdTokenCallback   take,
                    gpointer          ctx)
{
  PdSearchTokenizer *t = store_tokenizer (self);

  if (t == NULL)
    return FALSE;
  if (text != NULL)
    t->api.xTokenize (t->tokenizer, ctx, FTS5_TOKENIZE_DOCUMENT, text, (int) strlen (text),
                      take);
  return TRUE;
}

#define MAX_MATCH_WORDS 16

/* A search as org_search's MATCH of it (_pd_store_build_match, pd-store-search.c): each word
 * a prefix, all of them required. */
struct _PdSearchMatcher {
  PdSearchTokenizer *t;
  guint              n;
  char              *words[MAX_MATCH_WORDS];   /* as the tokenizer folds them */
  int                len[MAX_MATCH_WORDS];
  guint32            found;                    /* while tokenizing a row: bit i, word i */
  gboolean           several;                  /* while tokenizing a word: more than one token */
};

static int
take_query_token (void       *ctx,
                  int         flags,
                  const char *token,
                  int         n_token,
                  int         start,
                  int         end)
{
  PdSearchMatcher *m = ctx;

  if (m->words[m->n] != NULL)
    {
      m->several = TRUE;
      return SQLITE_OK;
    }
  m->words[m->n] = g_strndup (token, (gsize) n_token);
  m->len[m->n] = n_token;
  return SQLITE_OK;
}

void
_pd_store_matcher_free (PdSearchMatcher *m)
{
  if (m == NULL)
    return;
  for (guint i = 0; i <= m->n && i < MAX_MATCH_WORDS; i++)
    g_free (m->words[i]);
  g_free (m);
}

/* words: the search's words (letters, digits and marks, as build_match keeps them). NULL when
 * a row cannot be matched here exactly as the index would (no tokenizer, a word the tokenizer
 * splits or drops, too many words): then only the index answers. */
PdSearchMatcher *
_pd_store_matcher_new (PdStore     *self,
                       const char **words)
{
  PdSearchTokenizer *t = store_tokenizer (self);
  g_autoptr(PdSearchMatcher) m = NULL;

  if (t == NULL || words == NULL || words[0] == NULL)
    return NULL;
  m = g_new0 (PdSearchMatcher, 1);
  m->t = t;
  for (; words[m->n] != NULL; m->n++)
    {
      if (m->n == MAX_MATCH_WORDS - 1 ||
          t->api.xTokenize (t->tokenizer, m, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
                            words[m->n], (int) strlen (words[m->n]),
                            take_query_token) != SQLITE_OK ||
          m->words[m->n] == NULL || m->several)
        return NULL;
    }
  return g_steal_pointer (&m);
}

guint
_pd_store_matcher_n_words (PdSearchMatcher *m)
{
  return m->n;
}

/* Word i as the tokenizer folds it (what the index's prefix query of it looks up). */
const char *
_pd_store_matcher_word (PdSearchMatcher *m,
                        guint            i)
{
  return i < m->n ? m->words[i] : NULL;
}

static int
check_row_token (void       *ctx,
                 int         flags,
                 const char *token,
                 int         n_token,
                 int         start,
                 int         end)
{
  PdSearchMatcher *m = ctx;

  for (guint i = 0; i < m->n; i++)
    if (n_token >= m->len[i] && memcmp (token, m->words[i], (size_t) m->len[i]) == 0)
      m->found |= 1u << i;
  /* Every word found: the rest of the row need not be read. */
  return m->found == (1u << m->n) - 1 ? SQLITE_DONE : SQLITE_OK;
}

/* Whether a row whose search_text is text has, for each word, a token it begins (what the
 * prefix MATCH of the index finds). */
gboolean
_pd_store_matcher_matches (PdSearchMatcher *m,
                           const char      *text)
{
  if (text == NULL)
    return FALSE;
  m->found = 0;
  m->t->api.xTokenize (m->t->tokenizer, m, FTS5_TOKENIZE_DOCUMENT, text, (int) strlen (text),
                       check_row_token);
  return m->found == (1u << m->n) - 1;
}
