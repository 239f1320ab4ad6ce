/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates.c — an in-memory index that finds organizations looking like one customer.
 *
 * Exact keys (tenant, domain, ERP ID, normalised name, onmicrosoft prefix) map to the slots
 * of the organizations holding them (pd-duplicates-index.c: a frozen base of sorted arrays and
 * an overlay of hash multimaps). Similar names are found through an inverted index of byte
 * trigrams of the normalised name: a query counts, per indexed organization, the trigrams it
 * shares and scores the Jaccard similarity of the two trigram sets, touching only
 * organizations that share at least one trigram. find_groups() joins all pairs above a
 * threshold with prefix filtering (rarest trigrams first), so it never compares every pair of
 * a million names.
 *
 * Not thread-safe: one index is used from one thread (it may be built in another first).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pd-duplicates-private.h"

/* Scores of each kind of evidence; combined as independent evidence (1 - Π(1 - s)). */
#define SCORE_SAME_TENANT   1.0
#define SCORE_SAME_DOMAIN   0.95
#define SCORE_SAME_ERP_ID   0.9
#define SCORE_SAME_NAME     0.9
#define SCORE_NAME_PREFIX   0.85
#define SCORE_SIMILAR_SCALE 0.85
/* Below this trigram Jaccard similarity two names are not called similar at all. */
#define MIN_NAME_JACCARD    0.5
G_DEFINE_FINAL_TYPE (PdDuplicates, pd_duplicates, G_TYPE_OBJECT)

/* --- Object ------------------------------------------------------------------------------- */

static void
pd_duplicates_finalize (GObject *object)
{
  PdDuplicates *self = PD_DUPLICATES (object);

  _pd_dup_index_clear (self);

  G_OBJECT_CLASS (pd_duplicates_parent_class)->finalize (object);
}

static void
pd_duplicates_class_init (PdDuplicatesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_duplicates_finalize;
}

static void
pd_duplicates_init (PdDuplicates *self)
{
  _pd_dup_index_init (self);
}

PdDuplicates *
pd_duplicates_new (void)
{
  return g_object_new (PD_TYPE_DUPLICATES, NULL);
}

void
pd_duplicates_add_organization (PdDuplicates   *self,
                                PdOrganization *org)
{
  g_return_if_fail (PD_IS_ORGANIZATION (org));
  pd_duplicates_add (self, pd_organization_get_id (org), pd_organization_get_name (org),
                     pd_organization_get_domain (org), pd_organization_get_tenant_id (org),
                     pd_organization_get_erp_id (org));
}

PdDuplicates *
pd_duplicates_new_for_organizations (GPtrArray *organizations)
{
  PdDuplicates *self = pd_duplicates_new ();

  for (guint i = 0; i < organizations->len; i++)
    pd_duplicates_add_organization (self, g_ptr_array_index (organizations, i));
  _pd_dup_index_ensure_frozen (self);
  return self;
}

static gboolean
add_to_index (PdOrganization *org,
              gpointer        index)
{
  pd_duplicates_add_organization (index, org);
  return TRUE;
}

PdDuplicates *
pd_duplicates_new_for_store (PdStore  *store,
                             GError  **error)
{
  g_autoptr(PdDuplicates) self = pd_duplicates_new ();
  PdStoreQuery query = { 0 };

  g_return_val_if_fail (PD_IS_STORE (store), NULL);
  /* One organization at a time: the index keeps only its keys and trigrams (a million whole
   * organizations took 1.5 GB on the way). */
  if (!pd_store_foreach (store, &query, add_to_index, self, error))
    return NULL;
  /* Here, in the caller's thread, rather than at the first keystroke. */
  _pd_dup_index_ensure_frozen (self);
  return g_steal_pointer (&self);
}

gint64
pd_duplicates_get_built_up_to (PdDuplicates *self)
{
  g_return_val_if_fail (PD_IS_DUPLICATES (self), 0);
  _pd_dup_index_ensure_frozen (self);
  /* The base is sorted by id once frozen. */
  return self->n_base > 0 ? g_array_index (self->base, BaseEntry, self->n_base - 1).org_id : 0;
}

guint
pd_duplicates_get_size (PdDuplicates *self)
{
  g_return_val_if_fail (PD_IS_DUPLICATES (self), 0);
  _pd_dup_index_ensure_frozen (self);
  return self->n_base - self->n_dead + g_hash_table_size (self->by_org_id);
}

/* --- Matches ------------------------------------------------------------------------------ */

void
pd_duplicate_match_free (PdDuplicateMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->name);
  g_free (match->tenant_id);
  g_free (match);
}

char *
pd_match_reasons_to_string (PdMatchReason reasons)
{
  const char *parts[5];
  guint n = 0;

  if (reasons & PD_MATCH_SAME_TENANT)
    parts[n++] = _("same tenant");
  if (reasons & PD_MATCH_SAME_DOMAIN)
    parts[n++] = _("same domain");
  if (reasons & PD_MATCH_SAME_ERP_ID)
    parts[n++] = _("same ERP ID");
  if (reasons & PD_MATCH_SAME_NAME)
    parts[n++] = _("same name");
  else if (reasons & PD_MATCH_SIMILAR_NAME)
    parts[n++] = _("similar name");
  parts[n] = NULL;
  /* Translators: separates match reasons, as in "same tenant, similar name". */
  return g_strjoinv (_(", "), (char **) parts);
}

/* Evidence gathered for one indexed organization during a query: the best score per kind
 * (a name prefix match and a similar name are one fact, not two). */
typedef struct {
  PdMatchReason reasons;
  double        best[4];
} Evidence;

/* A same name is the strongest kind of name evidence, not a fact of its own. */
static guint
reason_index (PdMatchReason reason)
{
  return g_bit_nth_lsf (reason == PD_MATCH_SAME_NAME ? PD_MATCH_SIMILAR_NAME : reason, -1);
}

static void
add_evidence (GHashTable    *candidates,
              guint32        slot,
              PdMatchReason  reason,
              double         score)
{
  Evidence *evidence = g_hash_table_lookup (candidates, GUINT_TO_POINTER (slot));
  guint index = reason_index (reason);

  if (evidence == NULL)
    {
      evidence = g_new0 (Evidence, 1);
      g_hash_table_insert (candidates, GUINT_TO_POINTER (slot), evidence);
    }
  evidence->reasons |= reason;
  evidence->best[index] = MAX (evidence->best[index], score);
}

/* Independent pieces of evidence: the chance that all of them are wrong is the product. */
static double
evidence_score (const Evidence *evidence)
{
  double miss = 1.0;

  for (guint i = 0; i < G_N_ELEMENTS (evidence->best); i++)
    miss *= 1.0 - evidence->best[i];
  return 1.0 - miss;
}

/* Every organization holding `key` in `map` gets this evidence. */
static void
add_key_matches (PdDuplicates  *self,
                 GHashTable    *candidates,
                 KeyKind        kind,
                 const char    *key,
                 PdMatchReason  reason,
                 double         score)
{
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (guint32));

  _pd_dup_index_lookup (self, kind, key, slots);
  for (guint i = 0; i < slots->len; i++)
    add_evidence (candidates, g_array_index (slots, guint32, i), reason, score);
}

static void
ensure_counts (PdDuplicates *self)
{
  guint32 n_slots = _pd_dup_index_n_slots (self);

  if (self->counts_size >= n_slots)
    return;
  g_free (self->counts);
  self->counts_size = MAX (n_slots, 1024);
  self->counts = g_new0 (guint16, self->counts_size);
}

/* Counts shared trigrams per indexed name and records those similar enough. Only the
 * touched counters are reset, so a query costs the posting lists it reads, not the index. */
static void
add_similar_names (PdDuplicates *self,
                   GHashTable   *candidates,
                   const char   *name_key)
{
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *trigrams = NULL;
  guint n_trigrams;

  trigrams = _pd_dup_make_trigrams (name_key, &n_trigrams);
  ensure_counts (self);
  for (guint i = 0; i < n_trigrams; i++)
    {
      Postings base;
      SlotList overlay;
      guint32 slot;

      _pd_dup_index_postings (self, trigrams[i], &base, &overlay);
      while (_pd_dup_postings_next (&base, &slot))
        {
          if (self->counts[slot]++ == 0)
            g_array_append_val (touched, slot);
        }
      for (guint j = 0; j < overlay.len; j++)
        {
          slot = overlay.data[j];
          if (self->counts[slot]++ == 0)
            g_array_append_val (touched, slot);
        }
    }
  for (guint i = 0; i < touched->len; i++)
    {
      guint32 slot = g_array_index (touched, guint32, i);
      guint common = self->counts[slot];
      EntryView entry;
      double similarity;

      self->counts[slot] = 0;
      /* Most touched names share a trigram or two: the count alone rules them out, before
       * the entry's strings are read. Removed base slots stay in the postings. */
      similarity = _pd_dup_jaccard (common, n_trigrams, _pd_dup_index_n_trigrams (self, slot));
      if (similarity < MIN_NAME_JACCARD || !_pd_dup_index_get (self, slot, &entry))
        continue;
      /* Equal trigram sets are almost always equal names; compare only those. */
      if (similarity >= 1.0 && strcmp (entry.name_key, name_key) == 0)
        add_evidence (candidates, slot, PD_MATCH_SAME_NAME, SCORE_SAME_NAME);
      else
        add_evidence (candidates, slot, PD_MATCH_SIMILAR_NAME, SCORE_SIMILAR_SCALE * similarity);
    }
}

static void
add_name_evidence (PdDuplicates *self,
                   GHashTable   *candidates,
                   const char   *name,
                   const char   *prefix_key)
{
  g_autofree char *name_key = _pd_dup_null_if_empty (pd_duplicates_normalize_name (name));
  g_autofree char *compact = NULL;

  if (name_key != NULL)
    {
      compact = _pd_dup_compact_name (name_key);
      add_key_matches (self, candidates, KEY_PREFIX, compact, PD_MATCH_SIMILAR_NAME,
                       SCORE_NAME_PREFIX);
      add_similar_names (self, candidates, name_key);
    }
  if (prefix_key != NULL)
    add_key_matches (self, candidates, KEY_COMPACT, prefix_key, PD_MATCH_SIMILAR_NAME,
                     SCORE_NAME_PREFIX);
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const PdDuplicateMatch *x = *(PdDuplicateMatch * const *) a;
  const PdDuplicateMatch *y = *(PdDuplicateMatch * const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->org_id < y->org_id ? -1 : x->org_id > y->org_id;
}

static GPtrArray *
collect_matches (PdDuplicates *self,
                 GHashTable   *candidates,
                 gint64        exclude_id,
                 double        min_score,
                 guint         max_results)
{
  GPtrArray *matches = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_duplicate_match_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, candidates);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Evidence *evidence = value;
      PdDuplicateMatch *match;
      double score = evidence_score (evidence);
      EntryView entry;

      /* Only live slots gather evidence; the test costs nothing. */
      if (!_pd_dup_index_get (self, GPOINTER_TO_UINT (key), &entry)
          || entry.org_id == exclude_id || score < min_score)
        continue;
      match = g_new0 (PdDuplicateMatch, 1);
      match->org_id = entry.org_id;
      match->name = g_strdup (entry.name);
      match->tenant_id = g_strdup (entry.tenant_id);
      match->score = score;
      match->reasons = evidence->reasons;
      if (match->reasons & PD_MATCH_SAME_NAME)
        match->reasons &= ~PD_MATCH_SIMILAR_NAME;
      g_ptr_array_add (matches, match);
    }
  g_ptr_array_sort (matches, compare_matches);
  if (max_results > 0 && matches->len > max_results)
    g_ptr_array_set_size (matches, max_results);
  return matches;
}

GPtrArray *
pd_duplicates_find (PdDuplicates *self,
                    const char   *name,
                    const char   *domain,
                    const char   *tenant_id,
                    const char   *erp_id,
                    gint64        exclude_id,
                    double        min_score,
                    guint         max_results)
{
  g_autoptr(GHashTable) candidates = NULL;
  g_autofree char *tenant_key = _pd_dup_key_or_null (tenant_id);
  g_autofree char *erp_key = _pd_dup_key_or_null (erp_id);
  g_autofree char *domain_key = _pd_dup_null_if_empty (pd_duplicates_normalize_domain (domain));
  g_autofree char *prefix_key = NULL;

  g_return_val_if_fail (PD_IS_DUPLICATES (self), NULL);

  _pd_dup_index_ensure_frozen (self);
  candidates = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  add_key_matches (self, candidates, KEY_TENANT, tenant_key, PD_MATCH_SAME_TENANT,
                   SCORE_SAME_TENANT);
  add_key_matches (self, candidates, KEY_DOMAIN, domain_key, PD_MATCH_SAME_DOMAIN,
                   SCORE_SAME_DOMAIN);
  add_key_matches (self, candidates, KEY_ERP, erp_key, PD_MATCH_SAME_ERP_ID,
                   SCORE_SAME_ERP_ID);
  if (domain_key != NULL)
    prefix_key = _pd_dup_onmicrosoft_prefix (domain_key);
  add_name_evidence (self, candidates, name, prefix_key);

  return collect_matches (self, candidates, exclude_id, min_score, max_results);
}

/* --- Groups ------------------------------------------------------------------------------- */

static guint32
uf_find (guint32 *parent,
         guint32  x)
{
  while (parent[x] != x)
    {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
  return x;
}

static void
uf_union (guint32 *parent,
          guint32  a,
          guint32  b)
{
  a = uf_find (parent, a);
  b = uf_find (parent, b);
  if (a != b)
    parent[MAX (a, b)] = MIN (a, b);
}

static void
join_slots (guint32  a,
            guint32  b,
            gpointer parent)
{
  uf_union (parent, a, b);
}

/* onmicrosoft prefixes against compact names: "contoso.onmicrosoft.com" joins "Contoso Ltd". */
static void
union_prefixes (PdDuplicates *self,
                guint32      *parent)
{
  g_autoptr(GArray) named = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 n_slots = _pd_dup_index_n_slots (self);

  for (guint32 slot = 0; slot < n_slots; slot++)
    {
      g_autofree char *prefix = NULL;
      EntryView entry;

      if (!_pd_dup_index_get (self, slot, &entry)
          || _pd_dup_entry_key (&entry, KEY_PREFIX, &prefix) == NULL)
        continue;
      g_array_set_size (named, 0);
      _pd_dup_index_lookup (self, KEY_COMPACT, prefix, named);
      for (guint i = 0; i < named->len; i++)
        uf_union (parent, slot, g_array_index (named, guint32, i));
    }
}

/* Slots whose prefix holds one trigram, in ascending trigram count (entries are joined in
 * that order); those before `start` are too short for every later entry and are skipped. */
typedef struct {
  GArray *slots;
  guint   start;
} PrefixList;

static void
prefix_list_free (PrefixList *list)
{
  g_array_unref (list->slots);
  g_free (list);
}

typedef struct {
  PdDuplicates *self;
  guint32      *sorted;     /* scratch: one entry's trigrams, rarest first */
  GHashTable   *prefixes;   /* trigram → PrefixList */
  GHashTable   *frequency;  /* trigram → number of names holding it */
  guint32      *stamp;      /* slot → 1 + the slot whose candidates were last collected */
  guint16      *lengths;    /* slot → trigram count, dense: no entry dereference per candidate */
  /* The trigrams of the joined slots, made once for the join (the base keeps none): those of
   * slot are trigrams[starts[slot] .. starts[slot] + lengths[slot]]. */
  guint32      *starts;
  GArray       *trigrams;
  double        threshold;
} Join;

static const guint32 *
join_trigrams (Join    *join,
               guint32  slot)
{
  return &g_array_index (join->trigrams, guint32, join->starts[slot]);
}

static guint
trigram_frequency (Join    *join,
                   guint32  trigram)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (join->frequency, GUINT_TO_POINTER (trigram)));
}

static int
compare_by_frequency (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  Join *join = user_data;
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;
  guint fx = trigram_frequency (join, x);
  guint fy = trigram_frequency (join, y);

  if (fx != fy)
    return fx < fy ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Two trigram sets with Jaccard >= t share a trigram among the first n - ceil(t n) + 1 of
 * each, in any fixed global order (prefix filtering); rarest-first keeps those lists short. */
static guint
prefix_length (guint  n,
               double threshold)
{
  guint keep = (guint) (threshold * n + 0.999999);

  return MIN (n, n - MIN (keep, n) + 1);
}

static void
join_verify (Join     *join,
             guint32   slot,
             guint32   other_slot,
             guint32  *parent)
{
  guint n = join->lengths[slot], n_other = join->lengths[other_slot];
  /* J >= t  <=>  common >= t / (1 + t) * (n_a + n_b) */
  guint needed = (guint) (join->threshold / (1.0 + join->threshold) * (n + n_other));
  guint common = _pd_dup_count_common (join_trigrams (join, slot), n,
                                       join_trigrams (join, other_slot), n_other, needed);

  if (_pd_dup_jaccard (common, n, n_other) >= join->threshold)
    uf_union (parent, slot, other_slot);
}

static PrefixList *
prefix_list (Join    *join,
             guint32  trigram)
{
  PrefixList *list = g_hash_table_lookup (join->prefixes, GUINT_TO_POINTER (trigram));

  if (list == NULL)
    {
      list = g_new0 (PrefixList, 1);
      list->slots = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (join->prefixes, GUINT_TO_POINTER (trigram), list);
    }
  return list;
}

static void
join_probe (Join     *join,
            guint32   slot,
            guint32  *parent)
{
  guint n_prefix = prefix_length (join->lengths[slot], join->threshold);
  double min_length = join->threshold * join->lengths[slot];

  for (guint k = 0; k < n_prefix; k++)
    {
      PrefixList *list = prefix_list (join, join->sorted[k]);

      /* Earlier entries are never longer; the too-short ones stay too short. */
      while (list->start < list->slots->len
             && join->lengths[g_array_index (list->slots, guint32, list->start)] < min_length)
        list->start++;
      for (guint j = list->start; j < list->slots->len; j++)
        {
          guint32 other_slot = g_array_index (list->slots, guint32, j);

          /* Each pair once, and not when another path already joined them. */
          if (join->stamp[other_slot] != slot + 1
              && uf_find (parent, slot) != uf_find (parent, other_slot))
            join_verify (join, slot, other_slot, parent);
          join->stamp[other_slot] = slot + 1;
        }
      g_array_append_val (list->slots, slot);
    }
}

static int
compare_by_length (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const guint16 *lengths = user_data;
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  if (lengths[x] != lengths[y])
    return lengths[x] < lengths[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* One slot per distinct normalised name (identical names are already joined, see
 * pd_duplicates_find_groups()), shortest trigram set first; fills join->lengths and the
 * trigrams. */
static GArray *
join_order (Join *join)
{
  GArray *names = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint32));

  _pd_dup_index_distinct_names (join->self, names);
  for (guint i = 0; i < names->len; i++)
    {
      guint32 slot = g_array_index (names, guint32, i);
      g_autofree guint32 *trigrams = NULL;
      guint n;

      trigrams = _pd_dup_index_trigrams (join->self, slot, &n);
      if (n == 0)
        continue;
      join->lengths[slot] = n;
      join->starts[slot] = join->trigrams->len;
      g_array_append_vals (join->trigrams, trigrams, n);
      g_array_append_val (order, slot);
    }
  g_array_unref (names);
  g_qsort_with_data (order->data, order->len, sizeof (guint32), compare_by_length,
                     join->lengths);
  return order;
}

/* How many names hold each trigram. Any fixed order of trigrams gives the same groups; this
 * one (removed base slots still counted) keeps the prefix lists short. */
static GHashTable *
trigram_frequencies (PdDuplicates *self)
{
  GHashTable *frequency = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < self->n_trigram_ids; i++)
    g_hash_table_insert (frequency, GUINT_TO_POINTER (self->trigram_ids[i]),
                         GUINT_TO_POINTER (self->trigram_counts[i]));
  g_hash_table_iter_init (&iter, self->by_trigram);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Postings base;
      SlotList overlay;
      guint count;

      count = _pd_dup_index_postings (self, GPOINTER_TO_UINT (key), &base, &overlay);
      count += overlay.len;
      g_hash_table_insert (frequency, key, GUINT_TO_POINTER (count));
    }
  return frequency;
}

static void
union_similar_names (PdDuplicates *self,
                     guint32      *parent,
                     double        threshold)
{
  guint32 n_slots = _pd_dup_index_n_slots (self);
  Join join = { self, NULL, NULL, NULL, NULL, NULL, NULL, NULL, threshold };
  g_autoptr(GArray) order = NULL;

  join.sorted = g_new (guint32, MAX_TRIGRAMS);
  join.prefixes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) prefix_list_free);
  join.frequency = trigram_frequencies (self);
  join.stamp = g_new0 (guint32, n_slots);
  join.lengths = g_new0 (guint16, n_slots);
  join.starts = g_new0 (guint32, n_slots);
  join.trigrams = g_array_new (FALSE, FALSE, sizeof (guint32));
  order = join_order (&join);
  for (guint i = 0; i < order->len; i++)
    {
      guint32 slot = g_array_index (order, guint32, i);

      memcpy (join.sorted, join_trigrams (&join, slot), join.lengths[slot] * sizeof (guint32));
      g_qsort_with_data (join.sorted, join.lengths[slot], sizeof (guint32),
                         compare_by_frequency, &join);
      join_probe (&join, slot, parent);
    }
  g_free (join.sorted);
  g_hash_table_unref (join.prefixes);
  g_hash_table_unref (join.frequency);
  g_free (join.stamp);
  g_free (join.lengths);
  g_free (join.starts);
  g_array_unref (join.trigrams);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  GArray *x = *(GArray * const *) a;
  GArray *y = *(GArray * const *) b;

  return compare_gint64 (&g_array_index (x, gint64, 0), &g_array_index (y, gint64, 0));
}

static GPtrArray *
collect_groups (PdDuplicates *self,
                guint32      *parent)
{
  g_autoptr(GHashTable) by_root = g_hash_table_new (g_direct_hash, g_direct_equal);
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  guint32 n_slots = _pd_dup_index_n_slots (self);

  for (guint32 slot = 0; slot < n_slots; slot++)
    {
      EntryView entry;
      guint32 root;
      GArray *group;

      if (!_pd_dup_index_get (self, slot, &entry))
        continue;
      root = uf_find (parent, slot);
      group = g_hash_table_lookup (by_root, GUINT_TO_POINTER (root));
      if (group == NULL)
        {
          group = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (by_root, GUINT_TO_POINTER (root), group);
          g_ptr_array_add (groups, group);
        }
      g_array_append_val (group, entry.org_id);
    }
  for (guint i = groups->len; i > 0; i--)
    {
      GArray *group = g_ptr_array_index (groups, i - 1);

      if (group->len < 2)
        g_ptr_array_remove_index_fast (groups, i - 1);
      else
        g_array_sort (group, compare_gint64);
    }
  g_ptr_array_sort (groups, compare_groups);
  return groups;
}

GPtrArray *
pd_duplicates_find_groups (PdDuplicates *self,
                           double        min_score)
{
  g_autofree guint32 *parent = NULL;
  guint32 n_slots;

  g_return_val_if_fail (PD_IS_DUPLICATES (self), NULL);

  _pd_dup_index_ensure_frozen (self);
  n_slots = _pd_dup_index_n_slots (self);
  parent = g_new (guint32, MAX (n_slots, 1));
  for (guint32 slot = 0; slot < n_slots; slot++)
    parent[slot] = slot;

  _pd_dup_index_join_keys (self, KEY_TENANT, join_slots, parent);
  if (SCORE_SAME_DOMAIN >= min_score)
    _pd_dup_index_join_keys (self, KEY_DOMAIN, join_slots, parent);
  if (SCORE_SAME_ERP_ID >= min_score)
    _pd_dup_index_join_keys (self, KEY_ERP, join_slots, parent);
  if (SCORE_SAME_NAME >= min_score)
    _pd_dup_index_join_keys (self, KEY_NAME, join_slots, parent);
  if (SCORE_NAME_PREFIX >= min_score)
    union_prefixes (self, parent);
  /* Requires identical names to be joined already (SCORE_SAME_NAME > SCORE_SIMILAR_SCALE). */
  if (SCORE_SIMILAR_SCALE > min_score)
    union_similar_names (self, parent, MAX (min_score / SCORE_SIMILAR_SCALE, MIN_NAME_JACCARD));

  return collect_groups (self, parent);
}

gboolean
pd_duplicates_check_create (PdDuplicates       *index,
                            PdDuplicatesCreate *create)
{
  g_clear_pointer (&create->matches, g_ptr_array_unref);
  create->matches = pd_duplicates_find (index, create->name, create->domain, NULL,
                                        create->erp_id, 0, create->min_score,
                                        create->max_matches);
  return create->matches->len == 0;
}

gboolean
pd_duplicates_check_added (GPtrArray  *added,
                           gpointer    user_data,
                           GError    **error)
{
  g_autoptr(PdDuplicates) index = pd_duplicates_new_for_organizations (added);

  if (pd_duplicates_check_create (index, user_data))
    return TRUE;
  g_set_error_literal (error, PD_STORE_ERROR, PD_STORE_ERROR_DUPLICATE,
                       _("Not created: another program has just added an organization that "
                         "looks like this one."));
  return FALSE;
}
