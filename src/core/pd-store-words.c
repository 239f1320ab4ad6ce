/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-words.c — what the store knows of single search words (pd-store-search.c):
 *   - how many organizations a word matches, told from the words of a sample of them before
 *     the index is asked. A short prefix ("re", "st") can match a sixth of a million rows: the
 *     index then takes tens of milliseconds to list them all, while the first hundred in name
 *     order are found by reading a few hundred rows. Which way is cheaper depends on that share;
 *   - the rows the index matched for the latest words, as a bit per row, kept until something
 *     is written: typing "se j" after "se" does not ask the index for "se" again. */
#include "config.h"

#include <string.h>

#include "pd-store-private.h"

/* Rows read for a sample: a share of 1 % is told within about a fifth. They are read in
 * stripes of consecutive ids spread over the cache, a few pages each, so that the sample costs
 * a few milliseconds once per cache (and again after it grew or shrank by an eighth). */
#define SAMPLE_ROWS 2048
#define SAMPLE_STRIPE 32

typedef struct {
  char  *token;
  guint  rows;
} SampleToken;

struct _PdSearchSample {
  gint64  max_id;        /* max(id) when sampled */
  guint   n_rows;        /* rows read */
  double  rows_per_id;   /* rows read per id in the stripes (ids of deleted rows are gaps) */
  GArray *tokens;        /* SampleToken, sorted by token (bytes, as the tokenizer folds them) */
};

static void
sample_token_clear (gpointer data)
{
  g_free (((SampleToken *) data)->token);
}

void
_pd_store_sample_free (PdSearchSample *sample)
{
  if (sample == NULL)
    return;
  g_clear_pointer (&sample->tokens, g_array_unref);
  g_free (sample);
}

/* While tokenizing a row: counts (token → rows having it, over the sample) and the row's
 * tokens so far (each counted once per row, as the index lists a row once per token). */
typedef struct {
  GHashTable *counts;
  GHashTable *row;
} Collect;

static int
collect_token (void       *ctx,
               int         flags,
               const char *token,
               int         n_token,
               int         start,
               int         end)
{
  Collect *c = ctx;
  char *copy = g_strndup (token, (gsize) n_token);
  guint *rows;

  if (!g_hash_table_add (c->row, copy))
    return SQLITE_OK;
  if ((rows = g_hash_table_lookup (c->counts, copy)) == NULL)
    g_hash_table_insert (c->counts, g_strdup (copy), rows = g_new0 (guint, 1));
  (*rows)++;
  return SQLITE_OK;
}

static int
compare_tokens (gconstpointer a,
                gconstpointer b)
{
  return strcmp (((const SampleToken *) a)->token, ((const SampleToken *) b)->token);
}

/* The words of up to SAMPLE_ROWS organizations, in stripes of ids spread evenly up to max_id.
 */
static PdSearchSample *
sample_new (PdStore  *self,
            gint64    max_id,
            GError  **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        g_free);
  g_autoptr(GHashTable) row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Collect collect = { counts, row };
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT id, search_text FROM organizations "
                                                "WHERE id >= ? ORDER BY id LIMIT ?", error);
  PdSearchSample *sample;
  /* A small cache is read whole, in one stripe. */
  gint64 stripe = max_id <= SAMPLE_ROWS ? SAMPLE_ROWS : SAMPLE_STRIPE;
  gint64 n_stripes = SAMPLE_ROWS / stripe, ids_spanned = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (stmt == NULL)
    return NULL;
  sample = g_new0 (PdSearchSample, 1);
  sample->max_id = max_id;
  for (gint64 k = 0; k < n_stripes; k++)
    {
      gint64 first = 1 + k * max_id / n_stripes, last = first - 1;
      int rc;

      sqlite3_bind_int64 (stmt, 1, first);
      sqlite3_bind_int64 (stmt, 2, stripe);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          last = sqlite3_column_int64 (stmt, 0);
          g_hash_table_remove_all (row);
          _pd_store_tokenize (self, _pd_store_column_text (stmt, 1), collect_token, &collect);
          sample->n_rows++;
        }
      if (!_pd_store_rows_done (self, stmt, rc, error))
        {
          _pd_store_sample_free (sample);
          return NULL;
        }
      ids_spanned += last - first + 1;
    }
  sample->rows_per_id = ids_spanned > 0 ? (double) sample->n_rows / (double) ids_spanned : 0;
  sample->tokens = g_array_sized_new (FALSE, FALSE, sizeof (SampleToken),
                                      g_hash_table_size (counts));
  g_array_set_clear_func (sample->tokens, sample_token_clear);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SampleToken t = { key, *(guint *) value };

      g_hash_table_iter_steal (&iter);
      g_free (value);
      g_array_append_val (sample->tokens, t);
    }
  g_array_sort (sample->tokens, compare_tokens);
  return sample;
}

/* Rows of the sample with a token prefix begins (a row with two such tokens counts twice, as
 * the index lists it twice for the prefix). */
static guint
rows_with_prefix (PdSearchSample *sample,
                  const char     *prefix)
{
  const SampleToken *tokens = (const SampleToken *) (gpointer) sample->tokens->data;
  size_t len = strlen (prefix);
  guint lo = 0, hi = sample->tokens->len, rows = 0;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (strcmp (tokens[mid].token, prefix) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < sample->tokens->len && strncmp (tokens[i].token, prefix, len) == 0; i++)
    rows += tokens[i].rows;
  return rows;
}

/* Whether a sample still tells the shares of a cache whose largest id is max_id now: it
 * grew or shrank by less than an eighth (a small cache is sampled again at any change). */
static gboolean
sample_current (PdSearchSample *sample,
                gint64          max_id)
{
  gint64 drift = ABS (max_id - sample->max_id);

  return drift == 0 || (sample->max_id > 4 * SAMPLE_ROWS && drift <= sample->max_id / 8);
}

/* For each word of matcher, out_fractions[i]: the estimated share of organizations it
 * matches (up to 1), and *out_rows the organizations (max_id: the largest id now), from a
 * sample made or remade here. FALSE on a database error. */
gboolean
_pd_store_sample_estimate (PdStore          *self,
                           PdSearchMatcher  *matcher,
                           gint64            max_id,
                           double           *out_rows,
                           double           *out_fractions,
                           GError          **error)
{
  PdSearchSample *sample = self->search_sample;
  guint n_words = _pd_store_matcher_n_words (matcher);

  if (sample == NULL || !sample_current (sample, max_id))
    {
      g_clear_pointer (&self->search_sample, _pd_store_sample_free);
      if ((sample = self->search_sample = sample_new (self, max_id, error)) == NULL)
        return FALSE;
    }
  *out_rows = (double) max_id * sample->rows_per_id;
  for (guint i = 0; i < n_words; i++)
    out_fractions[i] = sample->n_rows == 0 ? 1.0
                       : MIN (1.0, (double) rows_with_prefix (sample,
                                                              _pd_store_matcher_word (matcher, i))
                                   / sample->n_rows);
  return TRUE;
}

PdRowBits *
_pd_store_row_bits_new (gint64 max_id)
{
  PdRowBits *bits = g_new0 (PdRowBits, 1);

  bits->n_bits = MAX (max_id, 0) + 1;
  bits->bits = g_malloc0 ((gsize) (bits->n_bits / 8 + 1));
  return bits;
}

PdRowBits *
_pd_store_row_bits_copy (const PdRowBits *bits)
{
  PdRowBits *copy = g_new0 (PdRowBits, 1);

  *copy = *bits;
  copy->bits = g_memdup2 (bits->bits, (gsize) (bits->n_bits / 8 + 1));
  return copy;
}

void
_pd_store_row_bits_free (PdRowBits *bits)
{
  if (bits == NULL)
    return;
  g_free (bits->bits);
  g_free (bits);
}

void
_pd_store_row_bits_set (PdRowBits *bits,
                        gint64     id)
{
  if (id < 0 || id >= bits->n_bits || _pd_store_row_bits_get (bits, id))
    return;
  bits->bits[id / 8] |= (guint8) (1u << (id % 8));
  bits->n_hits++;
}

gboolean
_pd_store_row_bits_get (const PdRowBits *bits,
                        gint64           id)
{
  return id >= 0 && id < bits->n_bits && (bits->bits[id / 8] & (1u << (id % 8))) != 0;
}

void
_pd_store_row_bits_and (PdRowBits       *bits,
                        const PdRowBits *other)
{
  gsize n = (gsize) (bits->n_bits / 8 + 1), n_other = (gsize) (other->n_bits / 8 + 1);

  bits->n_hits = 0;
  for (gsize i = 0; i < n; i++)
    {
      bits->bits[i] &= i < n_other ? other->bits[i] : 0;
      bits->n_hits += (guint) __builtin_popcount (bits->bits[i]);
    }
}

/* How many single words' rows are kept: a search has a few words, and typing one more letter
 * asks for the words before it again. A million rows take 125 kB a word. */
#define WORD_HITS_KEPT 16

typedef struct {
  char      *word;
  PdRowBits *bits;
} KeptHits;

struct _PdWordHitsCache {
  /* What was written when the rows were kept: by other connections (PRAGMA data_version) and
   * by this one (sqlite3_total_changes). */
  gint64  data_version;
  gint64  changes;
  GQueue  kept;           /* KeptHits *, the latest used first */
};

static void
kept_hits_free (gpointer data)
{
  KeptHits *kept = data;

  g_free (kept->word);
  _pd_store_row_bits_free (kept->bits);
  g_free (kept);
}

void
_pd_store_word_hits_cache_free (PdWordHitsCache *cache)
{
  if (cache == NULL)
    return;
  g_queue_clear_full (&cache->kept, kept_hits_free);
  g_free (cache);
}

/* The cache, emptied when anything was written since its rows were kept. */
static PdWordHitsCache *
current_cache (PdStore  *self,
               GError  **error)
{
  PdWordHitsCache *cache = self->word_hits;
  gint64 version = 0, changes = sqlite3_total_changes (self->db);

  if (!_pd_store_query_int64 (self, "PRAGMA data_version", 0, 0, &version, error))
    return NULL;
  if (cache == NULL)
    cache = self->word_hits = g_new0 (PdWordHitsCache, 1);
  if (cache->data_version != version || cache->changes != changes)
    {
      g_queue_clear_full (&cache->kept, kept_hits_free);
      cache->data_version = version;
      cache->changes = changes;
    }
  return cache;
}

static GList *
find_kept (PdWordHitsCache *cache,
           const char      *word,
           gint64           max_id)
{
  for (GList *l = cache->kept.head; l != NULL; l = l->next)
    {
      KeptHits *kept = l->data;

      if (kept->bits->n_bits == max_id + 1 && g_str_equal (kept->word, word))
        return l;
    }
  return NULL;
}

gboolean
_pd_store_word_hits_known (PdStore    *self,
                           const char *word,
                           gint64      max_id)
{
  PdWordHitsCache *cache = current_cache (self, NULL);

  return cache != NULL && find_kept (cache, word, max_id) != NULL;
}

/* The rows of the index's answer to match, up to max_id. */
static PdRowBits *
index_bits (PdStore     *self,
            const char  *match,
            gint64       max_id,
            GError     **error)
{
  g_autoptr(PdRowBits) bits = _pd_store_row_bits_new (max_id);
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT rowid FROM org_search "
                                                "WHERE org_search MATCH ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _pd_store_bind_text (stmt, 1, match);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    _pd_store_row_bits_set (bits, sqlite3_column_int64 (stmt, 0));
  if (!_pd_store_rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&bits);
}

const PdRowBits *
_pd_store_word_hits (PdStore     *self,
                     const char  *word,
                     const char  *match,
                     gint64       max_id,
                     GError     **error)
{
  PdWordHitsCache *cache = current_cache (self, error);
  KeptHits *kept;
  GList *l;

  if (cache == NULL)
    return NULL;
  if ((l = find_kept (cache, word, max_id)) != NULL)
    {
      g_debug ("Search word %s: the index's rows kept from a search before", word);
      g_queue_unlink (&cache->kept, l);
      g_queue_push_head_link (&cache->kept, l);
      return ((KeptHits *) l->data)->bits;
    }
  kept = g_new0 (KeptHits, 1);
  if ((kept->bits = index_bits (self, match, max_id, error)) == NULL)
    {
      kept_hits_free (kept);
      return NULL;
    }
  kept->word = g_strdup (word);
  g_queue_push_head (&cache->kept, kept);
  while (cache->kept.length > WORD_HITS_KEPT)
    kept_hits_free (g_queue_pop_tail (&cache->kept));
  return kept->bits;
}

/* The rows of the index's answer to match (any query), up to max_id; not kept. */
PdRowBits *
_pd_store_index_bits (PdStore     *self,
                      const char  *match,
                      gint64       max_id,
                      GError     **error)
{
  return index_bits (self, match, max_id, error);
}
