/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-search.c — which organizations a page of a query shows: the search's words and FTS5
 * query, the WHERE of filters and resellers, and the page's ids by name-order walk, the
 * filter's partial index or the search index (with the short-word strategy). */
#include "config.h"

#include "pd-store-private.h"

/* The words of user text: runs of letters, digits and marks. Everything else (quotes,
 * parentheses, operators typed by the user) only separates them. */
static char **
search_words (const char *search)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
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
          g_strv_builder_add (words, word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return g_strv_builder_end (words);
}

/* Words → an FTS5 query: each word becomes a quoted prefix token ("cont"*), words are ANDed,
 * so nothing the user typed is FTS5 syntax. NULL when there is no word. */
static char *
build_match_of (char **words)
{
  g_autoptr(GString) match = g_string_new (NULL);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    g_string_append_printf (match, "%s\"%s\"*", match->len > 0 ? " AND " : "", words[i]);
  return match->len > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

/* User text → an FTS5 query (build_match_of its words). */
char *
_pd_store_build_match (const char *search)
{
  g_auto(GStrv) words = search_words (search);

  return build_match_of (words);
}

static const char *
filter_condition (PdFilter filter)
{
  switch (filter)
    {
    case PD_FILTER_INCOMPLETE:
      return "o.missing_mask != 0";
    case PD_FILTER_UNREADABLE:
      /* Read and refused or failed; a customer not read yet is not counted (design.md §3). */
      return "o.bill_to_state != 0 AND o.bill_to_error IS NOT NULL";
    case PD_FILTER_UNDER_REVIEW:
      return "o.account_status = 2";
    case PD_FILTER_LOCAL_EDITS:
      /* As a set: SQLite can read the organizations from it. */
      return "o.id IN (SELECT org_id FROM bill_to_overrides)";
    case PD_FILTER_DUPLICATES:
      return "o.dup != 0";
    case PD_FILTER_MANUAL:
      return "o.source = 1";
    case PD_FILTER_REMOVED:
      return "o.removed != 0";
    case PD_FILTER_NEW:
      return _PD_STORE_NEW_CONDITION;
    case PD_FILTER_ALL:
    case PD_N_FILTERS:
    default:
      return NULL;
    }
}

/* The WHERE clause for a query; only fixed SQL fragments, values are bound in the order
 * search, reseller (see _pd_store_bind_query). */
void
_pd_store_append_where (GString            *sql,
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
  if (!_pd_store_str_empty (query->reseller_id))
    {
      g_string_append_printf (sql, "%so.reseller_id = ?", sep);
      sep = " AND ";
    }
  if (filter != NULL)
    g_string_append_printf (sql, "%s%s", sep, filter);
}

int
_pd_store_bind_query (sqlite3_stmt       *stmt,
                      const PdStoreQuery *query,
                      const char         *match)
{
  int index = 1;

  if (match != NULL)
    _pd_store_bind_text (stmt, index++, match);
  if (!_pd_store_str_empty (query->reseller_id))
    _pd_store_bind_text (stmt, index++, query->reseller_id);
  return index;
}

/* A page of a query: its filter's rows are few enough (sort_subset) that SQLite should read
 * them from the filter's index and sort them, instead of walking every name in order. */
typedef struct {
  const PdStoreQuery *query;
  gboolean            sort_subset;
} Page;

/* SELECT columns of a page's organizations in name order (the order of organizations_name,
 * schema 7, unless sort_subset); the search by the index when match is not NULL; LIMIT ? when
 * limited. */
static char *
ordered_sql (const Page *page,
             const char *match,
             const char *columns,
             gboolean    limited)
{
  GString *sql = g_string_new ("SELECT ");

  g_string_append_printf (sql, "%s FROM organizations o", columns);
  _pd_store_append_where (sql, page->query, match, TRUE);
  /* The same order; an expression, so that the name index is not used for it. */
  g_string_append (sql, page->sort_subset ? " ORDER BY o.name || '' COLLATE NOCASE, o.id"
                                          : " ORDER BY o.name COLLATE NOCASE, o.id");
  if (limited)
    g_string_append (sql, " LIMIT ?");
  return g_string_free (sql, FALSE);
}

/* Prepares ordered_sql and binds its values (limit when > 0). */
static sqlite3_stmt *
prepare_ordered (PdStore     *self,
                 const Page  *page,
                 const char  *match,
                 const char  *columns,
                 gint64       limit,
                 GError     **error)
{
  g_autofree char *sql = ordered_sql (page, match, columns, limit > 0);
  sqlite3_stmt *stmt = _pd_store_prepare_dynamic (self, sql, error);
  int index;

  if (stmt == NULL)
    return NULL;
  index = _pd_store_bind_query (stmt, page->query, match);
  if (limit > 0)
    sqlite3_bind_int64 (stmt, index, limit);
  return stmt;
}

/* Which rows of an ordered statement (its column 0: the id) a page keeps: those in hits (when
 * not NULL; a bit per id up to n_hit_bits) that matcher matches (when not NULL), on column 1
 * when text_column, or on the row's search_text read by id (only for the rows in hits). */
typedef struct {
  PdSearchMatcher *matcher;
  gboolean         text_column;
  guint8          *hits;
  gint64           n_hit_bits;
  guint            max_reads;   /* rows read by id before giving up (pick_ids: *out_n_rows 0) */
  guint            n_reads;
} Pick;

static gboolean
row_text_matches (PdStore          *self,
                  PdSearchMatcher  *matcher,
                  gint64            id)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT search_text FROM organizations "
                                                "WHERE id = ?", NULL);
  gboolean matches = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    matches = _pd_store_matcher_matches (matcher, _pd_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return matches;
}

static gboolean
pick_keeps (PdStore       *self,
            sqlite3_stmt  *stmt,
            Pick          *pick,
            gint64         id)
{
  if (pick->hits != NULL &&
      (id < 0 || id >= pick->n_hit_bits || (pick->hits[id / 8] & (1u << (id % 8))) == 0))
    return FALSE;
  if (pick->matcher == NULL)
    return TRUE;
  if (pick->text_column)
    return _pd_store_matcher_matches (pick->matcher, _pd_store_column_text (stmt, 1));
  pick->n_reads++;
  return row_text_matches (self, pick->matcher, id);
}

/* Steps stmt to its end or until ids has limit ids, keeping what pick keeps. *out_n_rows: the
 * rows stepped, 0 when pick gave up (then ids is empty). */
static gboolean
pick_ids (PdStore       *self,
          sqlite3_stmt  *stmt,
          Pick          *pick,
          guint          limit,
          GArray        *ids,
          guint         *out_n_rows,
          GError       **error)
{
  int rc = SQLITE_DONE;
  guint n = 0;

  while (ids->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      n++;
      if (pick_keeps (self, stmt, pick, id))
        g_array_append_val (ids, id);
      if (pick->max_reads > 0 && pick->n_reads > pick->max_reads)
        {
          g_array_set_size (ids, 0);
          n = 0;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (out_n_rows != NULL)
    *out_n_rows = n;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  return TRUE;
}

/* Whether words are several, one of them of one or two characters. */
static gboolean
has_short_word (char **words)
{
  if (words[0] == NULL || words[1] == NULL)
    return FALSE;
  for (guint i = 0; words[i] != NULL; i++)
    if (g_utf8_strlen (words[i], -1) <= 2)
      return TRUE;
  return FALSE;
}

/* The FTS5 query of the longest of words (the first of the longest). */
static char *
longest_word_match (char **words)
{
  const char *longest[2] = { words[0], NULL };

  for (guint i = 1; words[i] != NULL; i++)
    if (g_utf8_strlen (words[i], -1) > g_utf8_strlen (longest[0], -1))
      longest[0] = words[i];
  return build_match_of ((char **) longest);
}

/* The rows of the index's answer to match. */
static GArray *
index_hits (PdStore     *self,
            const char  *match,
            GError     **error)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT rowid FROM org_search "
                                                "WHERE org_search MATCH ?", error);

  if (stmt == NULL)
    return NULL;
  _pd_store_bind_text (stmt, 1, match);
  if (!_pd_store_collect_ids (self, stmt, hits, error))
    return NULL;
  return g_steal_pointer (&hits);
}

/* Rows of a filter read in name order and matched one by one, at most this many per two rows
 * shown: a search most rows match ("co": every domain ends in .com) stops as soon as its rows
 * are found, without asking the index for all of them. Reading a row at random costs tens of
 * microseconds in a cache of a million, so only a search nearly every row matches is worth
 * it. */
#define WALK_ROWS_PER_TWO_ROWS 3
/* Reading a row to sort it by name costs as many entries of the name index as this says: a
 * few in a cache that SQLite's and the system's caches mostly hold, about a hundred in a cache
 * of a million rows, which they do not. */
static double
row_cost_in_names (gint64 n_rows)
{
  return CLAMP (10.0 + (double) n_rows / 10000.0, 10.0, 100.0);
}

/* The ids of the first limit organizations of a search in name order. The cost grows with the
 * rows shown, not with the cache: a search many rows match is answered by the first rows in
 * name order; a rare one by the index's few matches. */
/* Rows read one by one to match the other words of a search before its index asks for all of
 * them (search_page_ids). */
#define MAX_WORD_READS 200

/* The page of index_match's hits (those matcher matches too, when not NULL) in name order.
 * *out_n_rows 0 when matching row by row took too many reads (then ids is empty). */
static gboolean
page_of_hits (PdStore             *self,
              const Page          *page,
              const char          *index_match,
              PdSearchMatcher     *matcher,
              GArray              *ids,
              guint               *out_n_rows,
              GError             **error)
{
  g_autoptr(GArray) hits = NULL;
  g_autofree guint8 *bits = NULL;
  Pick pick = { matcher, TRUE, NULL, 0, MAX_WORD_READS, 0 };
  guint limit = page->query->limit;
  gint64 max_id = 0;
  gboolean sort;
  sqlite3_stmt *stmt;

  *out_n_rows = 1;
  if ((hits = index_hits (self, index_match, error)) == NULL ||
      !_pd_store_query_int64 (self, "SELECT max(id) FROM organizations", 0, 0, &max_id, error))
    return FALSE;
  /* Sorting the matches reads each of them; picking them out of the names in order reads
   * about limit × cache / matches names. */
  sort = (double) hits->len * hits->len * row_cost_in_names (max_id) <= (double) limit * max_id;
  g_debug ("Search %s: %u index matches, %s", index_match, hits->len,
           sort ? "sorted" : "picked from the names in order");
  if (sort)
    {
      /* Without a matcher, the index's answer is the page's: SQLite sorts only the limit. */
      stmt = prepare_ordered (self, page, index_match,
                              matcher != NULL ? "o.id, o.search_text" : "o.id",
                              matcher != NULL ? 0 : limit, error);
      return stmt != NULL && pick_ids (self, stmt, &pick, limit, ids, NULL, error);
    }
  /* A bit per row: looking each name up is then as cheap as reading it. */
  pick.n_hit_bits = max_id + 1;
  pick.hits = bits = g_malloc0 ((gsize) (max_id / 8 + 1));
  for (guint i = 0; i < hits->len; i++)
    {
      gint64 id = g_array_index (hits, gint64, i);

      if (id >= 0 && id <= max_id)
        bits[id / 8] |= (guint8) (1u << (id % 8));
    }
  pick.text_column = FALSE;
  return (stmt = prepare_ordered (self, page, NULL, "o.id", 0, error)) != NULL &&
         pick_ids (self, stmt, &pick, limit, ids, out_n_rows, error);
}

static gboolean
search_page_ids (PdStore     *self,
                 const Page  *page,
                 GArray      *ids,
                 GError     **error)
{
  const PdStoreQuery *query = page->query;
  g_auto(GStrv) words = search_words (query->search);
  g_autofree char *match = build_match_of (words);
  g_autoptr(PdSearchMatcher) matcher = _pd_store_matcher_new (self, (const char **) words);
  guint limit = query->limit, budget = query->limit * WALK_ROWS_PER_TWO_ROWS / 2, n_rows = 0;
  Pick pick = { matcher, TRUE, NULL, 0, 0, 0 };
  sqlite3_stmt *stmt;

  if (matcher != NULL)
    {
      if ((stmt = prepare_ordered (self, page, NULL, "o.id, o.search_text", budget,
                                   error)) == NULL ||
          !pick_ids (self, stmt, &pick, limit, ids, &n_rows, error))
        return FALSE;
      if (ids->len == limit || n_rows < budget)
        {
          g_debug ("Search %s: %u rows matched in name order", match, n_rows);
          return TRUE;
        }
      g_array_set_size (ids, 0);
    }
  /* Several words, one of them short: the index is first asked for the longest (likely the
   * rarest) only, and its matches are matched on the others row by row: a short word ("co":
   * every domain's .com) can cost the index as much as the cache. Past MAX_WORD_READS rows
   * read for that, the index answers for all the words instead. */
  if (matcher != NULL && has_short_word (words))
    {
      g_autofree char *longest = longest_word_match (words);

      if (!page_of_hits (self, page, longest, matcher, ids, &n_rows, error))
        return FALSE;
      if (n_rows > 0)
        return TRUE;
    }
  return page_of_hits (self, page, match, NULL, ids, &n_rows, error);
}

/* Whether the rows of query's filter are few enough to be read from the filter's index and
 * sorted (about the cost of walking limit × cache / rows names in order). */
static gboolean
few_filtered (PdStore             *self,
              const PdStoreQuery  *query,
              gboolean            *out_few,
              GError             **error)
{
  const char *filter = filter_condition (query->filter);
  g_autofree char *sql = NULL;
  gint64 n = 0, max_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  *out_few = FALSE;
  /* Most organizations are new: a walk finds them at once. */
  if (filter == NULL || query->filter == PD_FILTER_NEW)
    return TRUE;
  sql = g_strdup_printf ("SELECT count(*) FROM organizations o WHERE %s", filter);
  if ((stmt = _pd_store_prepare_dynamic (self, sql, error)) == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  n = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  if (!_pd_store_query_int64 (self, "SELECT max(id) FROM organizations", 0, 0, &max_id, error))
    return FALSE;
  *out_few = (double) n * n * row_cost_in_names (max_id) <= (double) query->limit * max_id;
  return TRUE;
}

/* The first query->limit organizations' ids: from the name index, and the search index or the
 * rows themselves. */
gboolean
_pd_store_page_ids (PdStore             *self,
                    const PdStoreQuery  *query,
                    GArray              *ids,
                    GError             **error)
{
  g_autofree char *match = _pd_store_build_match (query->search);
  Pick all_rows = { NULL, FALSE, NULL, 0, 0, 0 };
  Page page = { query, FALSE };
  sqlite3_stmt *stmt;

  if (!few_filtered (self, query, &page.sort_subset, error))
    return FALSE;
  if (match != NULL)
    return search_page_ids (self, &page, ids, error);
  return (stmt = prepare_ordered (self, &page, NULL, "o.id", query->limit, error)) != NULL &&
         pick_ids (self, stmt, &all_rows, query->limit, ids, NULL, error);
}
