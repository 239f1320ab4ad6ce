/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-search.c — which organizations a page of a query shows: the search's words and FTS5
 * query, the WHERE of filters and resellers, and the page's ids by name-order walk, the
 * filter's partial index or the search index, whichever the shares of rows the words match
 * (pd-store-words.c) make cheapest. */
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

gboolean
pd_store_search_is_blank (const char *search)
{
  if (search == NULL)
    return TRUE;
  /* Text that is not UTF-8 has no word, but it is not blank: it matches nothing. */
  if (!g_utf8_validate (search, -1, NULL))
    return FALSE;
  for (const char *p = search; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Whether search is a search (not blank) that has no word: it matches nothing. */
static gboolean
search_has_no_words (const char *search)
{
  g_auto(GStrv) words = NULL;

  if (pd_store_search_is_blank (search))
    return FALSE;
  words = search_words (search);
  return words == NULL || words[0] == NULL;
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

const PdStoreQuery *
_pd_store_query_or_all (const PdStoreQuery *query)
{
  static const PdStoreQuery all = { 0 };

  return query != NULL ? query : &all;
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
 * search, reseller (see _pd_store_bind_query). A search without words selects nothing
 * (pd_store_search_is_blank); match is NULL as well when the caller matches the words. */
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
  else if (search_has_no_words (query->search))
    {
      g_string_append_printf (sql, "%s0", sep);
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
 * schema 7, unless sort_subset); the search by the index when match is not NULL, the ids of a
 * JSON array when with_ids; LIMIT ? when limited. */
static char *
ordered_sql (const Page *page,
             const char *match,
             gboolean    with_ids,
             const char *columns,
             gboolean    limited)
{
  GString *sql = g_string_new ("SELECT ");
  gsize len;

  g_string_append_printf (sql, "%s FROM organizations o", columns);
  len = sql->len;
  _pd_store_append_where (sql, page->query, match, TRUE);
  if (with_ids)
    g_string_append_printf (sql, "%so.id IN (SELECT value FROM json_each(?))",
                            sql->len > len ? " AND " : " WHERE ");
  /* The same order; an expression, so that the name index is not used for it. */
  g_string_append (sql, page->sort_subset ? " ORDER BY o.name || '' COLLATE NOCASE, o.id"
                                          : " ORDER BY o.name COLLATE NOCASE, o.id");
  if (limited)
    g_string_append (sql, " LIMIT ?");
  return g_string_free (sql, FALSE);
}

/* Prepares ordered_sql and binds its values (ids when not NULL, limit when > 0). */
static sqlite3_stmt *
prepare_ordered_ids (PdStore     *self,
                     const Page  *page,
                     const char  *match,
                     const char  *ids,
                     const char  *columns,
                     gint64       limit,
                     GError     **error)
{
  g_autofree char *sql = ordered_sql (page, match, ids != NULL, columns, limit > 0);
  sqlite3_stmt *stmt = _pd_store_prepare_dynamic (self, sql, error);
  int index;

  if (stmt == NULL)
    return NULL;
  index = _pd_store_bind_query (stmt, page->query, match);
  if (ids != NULL)
    _pd_store_bind_text (stmt, index++, ids);
  if (limit > 0)
    sqlite3_bind_int64 (stmt, index, limit);
  return stmt;
}

static sqlite3_stmt *
prepare_ordered (PdStore     *self,
                 const Page  *page,
                 const char  *match,
                 const char  *columns,
                 gint64       limit,
                 GError     **error)
{
  return prepare_ordered_ids (self, page, match, NULL, columns, limit, error);
}

/* Which rows of an ordered statement (its column 0: the id) a page keeps: those in hits (when
 * not NULL) that matcher matches (when not NULL), on column 1 when text_column, or on the
 * row's search_text read by id (only for the rows in hits). */
typedef struct {
  PdSearchMatcher *matcher;
  gboolean         text_column;
  const PdRowBits *hits;
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
  if (pick->hits != NULL && !_pd_store_row_bits_get (pick->hits, id))
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

/* The FTS5 query of word i of words alone. */
static char *
word_match (char **words,
            guint  i)
{
  const char *word[2] = { words[i], NULL };

  return build_match_of ((char **) word);
}

/* Reading a row (to sort it by name, or to match it) costs as many entries of the name index
 * as this says. Measured with the file mapped in memory (since dropped, pd-store.c): 0.06 µs a
 * name, and a row read in name order 0.75 µs at 100,000 rows, 1.25 µs at a million (plus
 * matching it), where SQLite's and the system's caches hold less of the file. Read without the
 * mapping, a random row costs more; the constants were kept, and the page targets still hold
 * (1M: median 5.9 ms, p95 19 ms). */
static double
row_cost_in_names (gint64 n_rows)
{
  return CLAMP (10.0 + (double) n_rows / 50000.0, 10.0, 30.0);
}

/* What the index costs per row it lists for a prefix, in entries of the name index (measured:
 * 0.21–0.25 µs a row at 100,000 and a million rows). */
#define INDEX_ROW_COST 4.0

/* Rows read one by one to match the other words of a search at least, before its index is
 * asked for all of them (page_by_index). */
#define MIN_WORD_READS 200

/* The statement that sorts the rows of hits (limit: as prepare_ordered). The ids are passed
 * as they are, so that the index is not asked a second time; with a SQLite without json_each,
 * it is (match). */
static sqlite3_stmt *
prepare_sorted (PdStore          *self,
                const Page       *page,
                const char       *match,
                const PdRowBits  *hits,
                const char       *columns,
                gint64            limit,
                GError          **error)
{
  g_autoptr(GString) json = g_string_sized_new (hits->n_hits * 8 + 2);
  sqlite3_stmt *stmt;

  g_string_append_c (json, '[');
  for (gint64 i = 0; i < hits->n_bits; i += 8)
    {
      if (hits->bits[i / 8] == 0)
        continue;
      for (gint64 id = i; id < i + 8; id++)
        if (_pd_store_row_bits_get (hits, id))
          g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "", id);
    }
  g_string_append_c (json, ']');
  if ((stmt = prepare_ordered_ids (self, page, NULL, json->str, columns, limit, NULL)) != NULL)
    return stmt;
  return prepare_ordered (self, page, match, columns, limit, error);
}

/* The page of the rows of hits (the index's answer to match; those matcher matches too, when
 * not NULL) in name order. Matching row by row stops after max_reads rows (then *out_gave_up,
 * and ids is empty). */
static gboolean
page_of_hits (PdStore          *self,
              const Page       *page,
              const char       *match,
              const PdRowBits  *hits,
              PdSearchMatcher  *matcher,
              guint             max_reads,
              GArray           *ids,
              gboolean         *out_gave_up,
              GError          **error)
{
  Pick pick = { matcher, TRUE, NULL, max_reads, 0 };
  guint limit = page->query->limit, n_rows = 1;
  gint64 max_id = hits->n_bits - 1;
  gboolean sort;
  sqlite3_stmt *stmt;

  *out_gave_up = FALSE;
  /* Sorting the matches reads each of them; picking them out of the names in order reads
   * about limit × cache / matches names. */
  sort = (double) hits->n_hits * hits->n_hits * row_cost_in_names (max_id) <=
         (double) limit * max_id;
  g_debug ("Search %s: %u index matches, %s", match, hits->n_hits,
           sort ? "sorted" : "picked from the names in order");
  if (sort)
    {
      /* Without a matcher, the index's answer is the page's: SQLite sorts only the limit. */
      pick.max_reads = 0;
      stmt = prepare_sorted (self, page, match, hits,
                             matcher != NULL ? "o.id, o.search_text" : "o.id",
                             matcher != NULL ? 0 : limit, error);
      return stmt != NULL && pick_ids (self, stmt, &pick, limit, ids, NULL, error);
    }
  /* A bit per row: looking each name up is then as cheap as reading it. */
  pick.hits = hits;
  pick.text_column = FALSE;
  if ((stmt = prepare_ordered (self, page, NULL, "o.id", 0, error)) == NULL ||
      !pick_ids (self, stmt, &pick, limit, ids, &n_rows, error))
    return FALSE;
  *out_gave_up = n_rows == 0;
  if (*out_gave_up)
    g_debug ("Search %s: more than %u rows read to match the other words", match, max_reads);
  return TRUE;
}

/* The three ways to a search's page, and what each is expected to cost (in entries of the
 * name index) from the shares of rows its words match (_pd_store_sample_estimate):
 *   - walk: the names in order, each row read and matched until the page is full;
 *   - rarest: the index's rows for the word that matches fewest, picked out of the names in
 *     order (or sorted), each read to match the other words;
 *   - all: the index's rows for each word, intersected, then picked or sorted.
 * A short prefix can match a sixth of the cache ("re") or all of it ("co": every .com): the
 * index then lists rows by the hundred thousand, where a walk reads a few hundred. The index's
 * rows for a word are kept (_pd_store_word_hits): those cost nothing the next time. */
typedef struct {
  double walk_rows;     /* names walked until the page is full */
  double walk, rarest, all;
  guint  rarest_word;
  double rarest_reads;  /* rows read to match the other words */
} Plan;

static void
plan_search (PdStore          *self,
             const Page       *page,
             PdSearchMatcher  *matcher,
             gint64            max_id,
             double            n,
             const double     *fractions,
             Plan             *plan)
{
  double read = row_cost_in_names (max_id), limit = page->query->limit;
  double all_share = 1.0, all_listed = 0, rarest_listed = 0, all_hits;
  guint n_words = _pd_store_matcher_n_words (matcher);

  plan->rarest_word = 0;
  for (guint i = 0; i < n_words; i++)
    {
      double listed = _pd_store_word_hits_known (self, _pd_store_matcher_word (matcher, i),
                                                 max_id)
                      ? 0 : fractions[i] * n * INDEX_ROW_COST;

      all_share *= fractions[i];
      all_listed += listed;
      if (fractions[i] < fractions[plan->rarest_word])
        plan->rarest_word = i;
      if (i == plan->rarest_word)
        rarest_listed = listed;
    }
  all_share = MAX (all_share, 1.0 / MAX (n, 1.0));
  plan->walk_rows = MIN (n, limit / all_share);
  plan->walk = plan->walk_rows * read;
  /* Picked from the names or sorted, whichever the count of rows makes cheaper. */
  all_hits = all_share * n;
  plan->all = all_listed + MIN (plan->walk_rows, all_hits * read);
  /* A row with the rarest word has fewer other words left for the others (a name of three
   * words has two): about 2/3 of the rows independence would say match them. */
  plan->rarest_reads = MIN (fractions[plan->rarest_word] * n,
                            1.5 * limit * fractions[plan->rarest_word] / all_share);
  plan->rarest = n_words < 2 ? G_MAXDOUBLE
                 : rarest_listed + plan->walk_rows + plan->rarest_reads * read;
}

/* The page by the index: its rows for the rarest word matched on the others row by row when
 * plan says so, and for all the words when that is cheaper or the rows to read were more than
 * the plan thought. */
static gboolean
page_by_index (PdStore          *self,
               const Page       *page,
               char            **words,
               PdSearchMatcher  *matcher,
               const Plan       *plan,
               gint64            max_id,
               GArray           *ids,
               GError          **error)
{
  g_autofree char *match = build_match_of (words);
  g_autoptr(PdRowBits) all = NULL;
  const PdRowBits *hits;
  gboolean gave_up = FALSE;

  /* The rows read are the least sure part of a plan: names in order begin with the words
   * early in the alphabet, which leaves fewer places for the other words there. */
  if (plan->rarest * 2 < plan->all)
    {
      g_autofree char *rarest = word_match (words, plan->rarest_word);
      /* Reading on is worth it as long as it costs less than the index's rows for each word,
       * which giving up would cost on top. */
      guint max_reads = (guint) MIN (G_MAXUINT / 2,
                                     MAX (MAX (MIN_WORD_READS, 2 * plan->rarest_reads),
                                          plan->all / row_cost_in_names (max_id)));

      g_debug ("Search %s: the rarest word by the index", match);
      if ((hits = _pd_store_word_hits (self, _pd_store_matcher_word (matcher, plan->rarest_word),
                                       rarest, max_id, error)) == NULL ||
          !page_of_hits (self, page, rarest, hits, matcher, max_reads, ids, &gave_up, error))
        return FALSE;
      if (!gave_up)
        return TRUE;
    }
  g_debug ("Search %s: each word by the index", match);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *one = word_match (words, i);

      if ((hits = _pd_store_word_hits (self, _pd_store_matcher_word (matcher, i), one, max_id,
                                       error)) == NULL)
        return FALSE;
      if (all == NULL)
        all = _pd_store_row_bits_copy (hits);
      else
        _pd_store_row_bits_and (all, hits);
    }
  return page_of_hits (self, page, match, all, NULL, 0, ids, &gave_up, error);
}

/* A search whose words the store cannot match itself (no tokenizer, a word it splits): the
 * index answers for all of them. */
static gboolean
page_by_match (PdStore     *self,
               const Page  *page,
               char       **words,
               gint64       max_id,
               GArray      *ids,
               GError     **error)
{
  g_autofree char *match = build_match_of (words);
  g_autoptr(PdRowBits) hits = _pd_store_index_bits (self, match, max_id, error);
  gboolean gave_up;

  return hits != NULL && page_of_hits (self, page, match, hits, NULL, 0, ids, &gave_up, error);
}

static gboolean
search_page_ids (PdStore     *self,
                 const Page  *page,
                 GArray      *ids,
                 GError     **error)
{
  const PdStoreQuery *query = page->query;
  g_auto(GStrv) words = search_words (query->search);
  g_autoptr(PdSearchMatcher) matcher = _pd_store_matcher_new (self, (const char **) words);
  g_autofree double *fractions = NULL;
  Pick pick = { matcher, TRUE, NULL, 0, 0 };
  Plan plan = { 0 };
  guint limit = query->limit, budget, n_rows = 0;
  gint64 max_id = 0;
  double n = 0;
  sqlite3_stmt *stmt;

  if (!_pd_store_query_int64 (self, "SELECT max(id) FROM organizations", 0, 0, &max_id, error))
    return FALSE;
  if (matcher == NULL)
    return page_by_match (self, page, words, max_id, ids, error);
  fractions = g_new0 (double, _pd_store_matcher_n_words (matcher));
  if (!_pd_store_sample_estimate (self, matcher, max_id, &n, fractions, error))
    return FALSE;
  plan_search (self, page, matcher, max_id, n, fractions, &plan);
  g_debug ("Search %s: walk %.0f, rarest word %.0f, all words %.0f", query->search, plan.walk,
           plan.rarest < G_MAXDOUBLE ? plan.rarest : -1, plan.all);
  if (plan.walk <= MIN (plan.rarest, plan.all))
    {
      /* The shares are estimates, and a filter is not in them: past the cost of the index's
       * way (and twice the rows expected), the index answers. */
      budget = (guint) MIN (G_MAXUINT / 2, MAX (MAX (2 * plan.walk_rows, limit * 3 / 2),
                                                MIN (plan.rarest, plan.all)
                                                / row_cost_in_names (max_id)));
      if ((stmt = prepare_ordered (self, page, NULL, "o.id, o.search_text", budget,
                                   error)) == NULL ||
          !pick_ids (self, stmt, &pick, limit, ids, &n_rows, error))
        return FALSE;
      if (ids->len == limit || n_rows < budget)
        {
          g_debug ("Search %s: %u rows matched in name order", query->search, n_rows);
          return TRUE;
        }
      g_array_set_size (ids, 0);
    }
  return page_by_index (self, page, words, matcher, &plan, max_id, ids, error);
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
  Pick all_rows = { NULL, FALSE, NULL, 0, 0 };
  Page page = { query, FALSE };
  sqlite3_stmt *stmt;

  if (!few_filtered (self, query, &page.sort_subset, error))
    return FALSE;
  if (match != NULL)
    return search_page_ids (self, &page, ids, error);
  return (stmt = prepare_ordered (self, &page, NULL, "o.id", query->limit, error)) != NULL &&
         pick_ids (self, stmt, &all_rows, query->limit, ids, NULL, error);
}
