/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates.c — an in-memory index that finds organizations looking like one customer.
 *
 * Exact keys (tenant, domain, ERP ID, normalised name, onmicrosoft prefix) live in hash
 * multimaps. Similar names are found through an inverted index of byte trigrams of the
 * normalised name: a query counts, per indexed organization, the trigrams it shares and scores
 * the Jaccard similarity of the two trigram sets, touching only organizations that share at
 * least one trigram. find_groups() joins all pairs above a threshold with prefix filtering
 * (rarest trigrams first), so it never compares every pair of 100,000 names.
 *
 * Not thread-safe: one index is used from one thread.
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
  return g_steal_pointer (&self);
}

guint
pd_duplicates_get_size (PdDuplicates *self)
{
  g_return_val_if_fail (PD_IS_DUPLICATES (self), 0);
  return g_hash_table_size (self->by_org_id);
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
add_key_matches (GHashTable    *candidates,
                 GHashTable    *map,
                 const char    *key,
                 PdMatchReason  reason,
                 double         score)
{
  SlotList slots;

  _pd_dup_multimap_lookup (map, key, &slots);
  for (guint i = 0; i < slots.len; i++)
    add_evidence (candidates, slots.data[i], reason, score);
}

static void
ensure_counts (PdDuplicates *self)
{
  if (self->counts_size >= self->entries->len)
    return;
  g_free (self->counts);
  self->counts_size = MAX (self->entries->len, 1024);
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
      SlotList slots;

      _pd_dup_multimap_lookup (self->by_trigram, GUINT_TO_POINTER (trigrams[i]), &slots);
      for (guint j = 0; j < slots.len; j++)
        {
          guint32 slot = slots.data[j];

          if (self->counts[slot]++ == 0)
            g_array_append_val (touched, slot);
        }
    }
  for (guint i = 0; i < touched->len; i++)
    {
      guint32 slot = g_array_index (touched, guint32, i);
      Entry *entry = g_ptr_array_index (self->entries, slot);
      double similarity = _pd_dup_jaccard (self->counts[slot], n_trigrams, entry->n_trigrams);

      self->counts[slot] = 0;
      if (similarity < MIN_NAME_JACCARD)
        continue;
      /* Equal trigram sets are almost always equal names; compare only those. */
      if (similarity >= 1.0 && strcmp (entry->name_key, name_key) == 0)
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
      add_key_matches (candidates, self->by_prefix, compact, PD_MATCH_SIMILAR_NAME,
                       SCORE_NAME_PREFIX);
      add_similar_names (self, candidates, name_key);
    }
  if (prefix_key != NULL)
    add_key_matches (candidates, self->by_compact, prefix_key, PD_MATCH_SIMILAR_NAME,
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
      Entry *entry = g_ptr_array_index (self->entries, GPOINTER_TO_UINT (key));
      Evidence *evidence = value;
      PdDuplicateMatch *match;
      double score = evidence_score (evidence);

      if (entry->org_id == exclude_id || score < min_score)
        continue;
      match = g_new0 (PdDuplicateMatch, 1);
      match->org_id = entry->org_id;
      match->name = g_strdup (entry->name);
      match->tenant_id = g_strdup (entry->tenant_id);
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

  candidates = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  add_key_matches (candidates, self->by_tenant, tenant_key, PD_MATCH_SAME_TENANT,
                   SCORE_SAME_TENANT);
  add_key_matches (candidates, self->by_domain, domain_key, PD_MATCH_SAME_DOMAIN,
                   SCORE_SAME_DOMAIN);
  add_key_matches (candidates, self->by_erp, erp_key, PD_MATCH_SAME_ERP_ID, SCORE_SAME_ERP_ID);
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
union_multimap (guint32    *parent,
                GHashTable *map)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SlotList slots;

      _pd_dup_slot_list_init (&slots, value);
      for (guint i = 1; i < slots.len; i++)
        uf_union (parent, slots.data[0], slots.data[i]);
    }
}

/* onmicrosoft prefixes against compact names: "contoso.onmicrosoft.com" joins "Contoso Ltd". */
static void
union_prefixes (PdDuplicates *self,
                guint32      *parent)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->by_prefix);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SlotList with_prefix, named;

      _pd_dup_slot_list_init (&with_prefix, value);
      _pd_dup_multimap_lookup (self->by_compact, key, &named);
      for (guint i = 0; i < named.len; i++)
        uf_union (parent, with_prefix.data[0], named.data[i]);
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
  double        threshold;
} Join;

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
             Entry    *entry,
             guint32   slot,
             guint32   other_slot,
             guint32  *parent)
{
  Entry *other = g_ptr_array_index (join->self->entries, other_slot);
  /* J >= t  <=>  common >= t / (1 + t) * (n_a + n_b) */
  guint needed = (guint) (join->threshold / (1.0 + join->threshold)
                          * (entry->n_trigrams + other->n_trigrams));
  guint common = _pd_dup_count_common (entry->trigrams, entry->n_trigrams,
                                       other->trigrams, other->n_trigrams, needed);

  if (_pd_dup_jaccard (common, entry->n_trigrams, other->n_trigrams) >= join->threshold)
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
  Entry *entry = g_ptr_array_index (join->self->entries, slot);
  guint n_prefix = prefix_length (entry->n_trigrams, join->threshold);
  double min_length = join->threshold * entry->n_trigrams;

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
            join_verify (join, entry, slot, other_slot, parent);
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
 * pd_duplicates_find_groups()), shortest trigram set first; fills join->lengths. */
static GArray *
join_order (Join *join)
{
  PdDuplicates *self = join->self;
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_name);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SlotList slots;
      guint32 slot;
      Entry *entry;

      _pd_dup_slot_list_init (&slots, value);
      slot = slots.data[0];
      entry = g_ptr_array_index (self->entries, slot);

      if (entry->n_trigrams == 0)
        continue;
      join->lengths[slot] = entry->n_trigrams;
      g_array_append_val (order, slot);
    }
  g_qsort_with_data (order->data, order->len, sizeof (guint32), compare_by_length,
                     join->lengths);
  return order;
}

static GHashTable *
trigram_frequencies (PdDuplicates *self)
{
  GHashTable *frequency = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->by_trigram);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SlotList slots;

      _pd_dup_slot_list_init (&slots, value);
      g_hash_table_insert (frequency, key, GUINT_TO_POINTER (slots.len));
    }
  return frequency;
}

static void
union_similar_names (PdDuplicates *self,
                     guint32      *parent,
                     double        threshold)
{
  Join join = { self, NULL, NULL, NULL, NULL, NULL, threshold };
  g_autoptr(GArray) order = NULL;

  join.sorted = g_new (guint32, MAX_TRIGRAMS);
  join.prefixes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) prefix_list_free);
  join.frequency = trigram_frequencies (self);
  join.stamp = g_new0 (guint32, self->entries->len);
  join.lengths = g_new0 (guint16, self->entries->len);
  order = join_order (&join);
  for (guint i = 0; i < order->len; i++)
    {
      guint32 slot = g_array_index (order, guint32, i);
      Entry *entry = g_ptr_array_index (self->entries, slot);

      memcpy (join.sorted, entry->trigrams, entry->n_trigrams * sizeof (guint32));
      g_qsort_with_data (join.sorted, entry->n_trigrams, sizeof (guint32), compare_by_frequency,
                         &join);
      join_probe (&join, slot, parent);
    }
  g_free (join.sorted);
  g_hash_table_unref (join.prefixes);
  g_hash_table_unref (join.frequency);
  g_free (join.stamp);
  g_free (join.lengths);
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

  for (guint32 slot = 0; slot < self->entries->len; slot++)
    {
      Entry *entry = g_ptr_array_index (self->entries, slot);
      guint32 root;
      GArray *group;

      if (entry == NULL)
        continue;
      root = uf_find (parent, slot);
      group = g_hash_table_lookup (by_root, GUINT_TO_POINTER (root));
      if (group == NULL)
        {
          group = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (by_root, GUINT_TO_POINTER (root), group);
          g_ptr_array_add (groups, group);
        }
      g_array_append_val (group, entry->org_id);
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

  g_return_val_if_fail (PD_IS_DUPLICATES (self), NULL);

  parent = g_new (guint32, MAX (self->entries->len, 1));
  for (guint32 slot = 0; slot < self->entries->len; slot++)
    parent[slot] = slot;

  union_multimap (parent, self->by_tenant);
  if (SCORE_SAME_DOMAIN >= min_score)
    union_multimap (parent, self->by_domain);
  if (SCORE_SAME_ERP_ID >= min_score)
    union_multimap (parent, self->by_erp);
  if (SCORE_SAME_NAME >= min_score)
    union_multimap (parent, self->by_name);
  if (SCORE_NAME_PREFIX >= min_score)
    union_prefixes (self, parent);
  /* Requires identical names to be joined already (SCORE_SAME_NAME > SCORE_SIMILAR_SCALE). */
  if (SCORE_SIMILAR_SCALE > min_score)
    union_similar_names (self, parent, MAX (min_score / SCORE_SIMILAR_SCALE, MIN_NAME_JACCARD));

  return collect_groups (self, parent);
}
