/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-model.c — see pd-organization-model.h.
 *
 * Every row (a GPtrArray in the store's name order) → the visible rows: one C pass over keys
 * the loader precomputed (search, reseller and filter), counting every filter on the way, then
 * sorted when a sort function is set. Measured with 100,000 rows: GtkFilterListModel +
 * GtkSortListModel cost hundreds of milliseconds per keystroke; this costs a few.
 */
#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "pd-list-loader.h"
#include "pd-organization-model.h"

G_STATIC_ASSERT (PD_N_FILTERS <= 16);

/* The first load brings this many rows first (a screenful and more, read in a fraction of the
 * time of 100,000), then everything. */
#define FIRST_PAGE 200

/* While a first sync fills the cache, reload at most every RELOAD_FACTOR times the duration of
 * the last load, and not more often than RELOAD_MIN_INTERVAL_MS: a small cache refreshes
 * briskly, a large one does not spend its time reloading. */
#define RELOAD_MIN_INTERVAL_MS 250
#define RELOAD_FACTOR 4

struct _PdOrganizationModel
{
  GObject           parent_instance;

  PdStore          *store;
  /* The packed rows: the last load's table, then one table per organization read again
   * since (reload_one); a row replaced since is marked dead in its table. */
  GPtrArray        *tables;
  GPtrArray        *rows;     /* every live PdOrganizationRowData, in the default order */
  /* Per row (same index as rows): its filter mask, and whether it matches search and
   * reseller. Plain bytes side by side, so that a keystroke's passes over 100,000 rows stay
   * in the CPU cache instead of visiting every row object. */
  GArray           *masks;    /* guint16: one bit per PdFilter */
  GByteArray       *matches;
  GPtrArray        *hays;     /* each row's haystack (a scan reads no row record) */
  /* Where the last query word was first found in each matching row (G_MAXUINT8: farther):
   * typing one more letter of that word looks there first instead of searching again. */
  GByteArray       *hits;
  /* The rows that pass search, reseller and filter, in order; borrowed from rows (rebuilt
   * whenever rows change, see keep_alive in apply_load). */
  GPtrArray        *visible;
  GStrv             reseller_ids;
  GStrv             reseller_names;

  char            **words;
  PdFilter          filter;
  char             *reseller_id;
  guint             counts[PD_N_FILTERS];
  GCompareDataFunc  compare;
  gpointer          compare_data;

  GCancellable     *load_cancellable;
  PdStore          *reader;   /* the load thread's connection, kept between loads */
  gboolean          loading;
  gboolean          loaded_once;
  gboolean          partial;
  guint             load_limit; /* of the load running: FIRST_PAGE or 0 (everything) */
  gboolean          reload_pending;
  gint64            last_load_started;
  gint64            last_load_ms;
  guint             reload_timeout_id;
};

G_DEFINE_FINAL_TYPE (PdOrganizationModel, pd_organization_model, G_TYPE_OBJECT)

enum {
  CHANGED,
  LOADING_CHANGED,
  LOAD_APPLYING,
  LOAD_APPLIED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- filtering ---- */

static gboolean
matches_reseller (PdOrganizationModel   *self,
                  PdOrganizationRowData *row)
{
  return self->reseller_id == NULL || g_strcmp0 (row->reseller_id, self->reseller_id) == 0;
}

/* The live row of id: the newest table that has it, unless it was deleted since. */
static PdOrganizationRowData *
lookup_row (PdOrganizationModel *self,
            gint64               id)
{
  for (guint i = self->tables->len; i > 0; i--)
    {
      PdOrganizationRowData *row = pd_row_table_find (g_ptr_array_index (self->tables, i - 1),
                                                      id);

      if (row != NULL)
        return row->dead ? NULL : row;
    }
  return NULL;
}

/* The filter masks and haystacks of every row, after rows changed. */
static void
rebuild_masks (PdOrganizationModel *self)
{
  guint16 *masks;

  g_array_set_size (self->masks, self->rows->len);
  g_byte_array_set_size (self->matches, self->rows->len);
  g_byte_array_set_size (self->hits, self->rows->len);
  g_ptr_array_set_size (self->hays, (gint) self->rows->len);
  masks = (guint16 *) self->masks->data;
  for (guint i = 0; i < self->rows->len; i++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (self->rows, i);

      masks[i] = (guint16) pd_organization_row_data_get_filter_mask (row);
      self->hays->pdata[i] = (gpointer) row->haystack;
    }
}

/* Whether hay has every word but the last, and where it has the last one (G_MAXUINT8 when
 * that is farther), or -1. hint: where the last word's prefix was found (it only grew since),
 * or G_MAXUINT8 to search from the start. */
static int
match_row (const char         *hay,
           const char * const *words,
           guint               n_words,
           gsize               last_len,
           guint8              hint)
{
  const char *last = words[n_words - 1];
  const char *found;

  for (guint w = 0; w + 1 < n_words; w++)
    if (strstr (hay, words[w]) == NULL)
      return -1;
  if (hint != G_MAXUINT8)
    {
      /* The first occurrence of the longer word is at or after the prefix's first one. */
      found = strncmp (hay + hint, last, last_len) == 0 ? hay + hint : strstr (hay + hint, last);
    }
  else
    found = strstr (hay, last);
  if (found == NULL)
    return -1;
  return (int) MIN (found - hay, G_MAXUINT8);
}

/* One pass: marks the rows that match search and reseller, and counts them per filter.
 * narrowing: the search only got stricter since the last pass (rows, reseller unchanged), so
 * the rows not marked then cannot match now and are not searched again. extending: besides,
 * only the last word grew (typing), so each row's search starts where its prefix was. */
static void
count_matches_full (PdOrganizationModel *self,
                    gboolean             narrowing,
                    gboolean             extending)
{
  const char * const *words = (const char * const *) self->words;
  guint n_words = words != NULL ? g_strv_length ((char **) words) : 0;
  gsize last_len = n_words > 0 ? strlen (words[n_words - 1]) : 0;
  const guint16 *masks = (const guint16 *) self->masks->data;
  guint8 *matches = self->matches->data;
  guint8 *hits = self->hits->data;
  const char **hays = (const char **) self->hays->pdata;
  /* Rows per filter mask: one increment per matching row, spread over the filters after. */
  g_autofree guint *per_mask = g_new0 (guint, 1u << PD_N_FILTERS);

  for (guint i = 0; i < self->rows->len; i++)
    {
      gboolean match = TRUE;

      if (narrowing && !matches[i])
        continue;
      if (n_words > 0)
        {
          int at = match_row (hays[i], words, n_words, last_len,
                              extending ? hits[i] : G_MAXUINT8);

          match = at >= 0;
          hits[i] = match ? (guint8) at : G_MAXUINT8;
        }
      if (match && self->reseller_id != NULL)
        match = matches_reseller (self, g_ptr_array_index (self->rows, i));
      matches[i] = match;
      per_mask[masks[i]] += match;
    }
  memset (self->counts, 0, sizeof self->counts);
  for (guint mask = 0; mask < (1u << PD_N_FILTERS); mask++)
    for (guint f = 0; per_mask[mask] != 0 && f < PD_N_FILTERS; f++)
      if (mask & (1u << f))
        self->counts[f] += per_mask[mask];
}

/* new_words are old_words with only the last one longer (it starts with the old one): where
 * a row has the old last word, it may have the new one. */
static gboolean
query_extends (char **old_words,
               char **new_words)
{
  guint n = old_words != NULL ? g_strv_length (old_words) : 0;

  if (n == 0 || new_words == NULL || g_strv_length (new_words) != n)
    return FALSE;
  for (guint i = 0; i + 1 < n; i++)
    if (!g_str_equal (old_words[i], new_words[i]))
      return FALSE;
  return g_str_has_prefix (new_words[n - 1], old_words[n - 1]);
}

/* Every row that matches new_words also matched old_words: each old word is inside a new one
 * (matching is a substring search, see pd_organization_row_data_matches_words). */
static gboolean
query_narrows (char **old_words,
               char **new_words)
{
  if (old_words == NULL)
    return TRUE;
  if (new_words == NULL)
    return FALSE;
  for (guint i = 0; old_words[i] != NULL; i++)
    {
      gboolean inside = FALSE;

      for (guint j = 0; new_words[j] != NULL && !inside; j++)
        inside = strstr (new_words[j], old_words[i]) != NULL;
      if (!inside)
        return FALSE;
    }
  return TRUE;
}

static int
compare_visible (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  PdOrganizationModel *self = user_data;

  return self->compare (*(gpointer *) a, *(gpointer *) b, self->compare_data);
}

static void
set_visible (PdOrganizationModel *self,
             GPtrArray           *visible)
{
  g_ptr_array_unref (self->visible);
  self->visible = visible;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The visible rows from the marks of count_matches and the current filter, sorted when a
 * sort function is set. */
static void
rebuild_visible (PdOrganizationModel *self)
{
  GPtrArray *visible = g_ptr_array_sized_new (self->counts[self->filter]);
  guint16 bit = 1u << self->filter;
  const guint16 *masks = (const guint16 *) self->masks->data;

  for (guint i = 0; i < self->rows->len; i++)
    if (self->matches->data[i] && (masks[i] & bit) != 0)
      g_ptr_array_add (visible, g_ptr_array_index (self->rows, i));
  if (self->compare != NULL)
    g_ptr_array_sort_with_data (visible, compare_visible, self);
  set_visible (self, visible);
}

/* The search only narrowed (filter, reseller, sort and rows unchanged since the visible rows
 * were built): they are the old visible rows that still match, already in order, so there
 * is no pass over every row and nothing to sort. */
static void
narrow_visible (PdOrganizationModel *self)
{
  const char * const *words = (const char * const *) self->words;
  GPtrArray *visible = g_ptr_array_sized_new (self->counts[self->filter]);

  for (guint i = 0; i < self->visible->len; i++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (self->visible, i);

      if (words == NULL || pd_organization_row_data_matches_words (row, words))
        g_ptr_array_add (visible, row);
    }
  set_visible (self, visible);
}

static void
refilter_full (PdOrganizationModel *self,
               gboolean             narrowing,
               gboolean             extending)
{
  count_matches_full (self, narrowing, extending);
  /* Sorted, the old visible rows are filtered in their order; unsorted, picking the marked
   * rows in order searches nothing again. */
  if (narrowing && self->compare != NULL)
    narrow_visible (self);
  else
    rebuild_visible (self);
}

static void
refilter (PdOrganizationModel *self)
{
  refilter_full (self, FALSE, FALSE);
}

/* ---- loading ---- */

/* resellers: "id\tname" strings from the store. Keeps the chosen reseller when it still
 * exists. */
static void
set_resellers (PdOrganizationModel *self,
               GPtrArray           *resellers)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  gboolean found = FALSE;

  for (guint i = 0; i < resellers->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (resellers, i), "\t", 2);

      g_strv_builder_add (ids, parts[0]);
      g_strv_builder_add (names, pd_reseller_label (parts[0], parts[1]));
      found |= g_strcmp0 (parts[0], self->reseller_id) == 0;
    }
  g_strfreev (self->reseller_ids);
  g_strfreev (self->reseller_names);
  self->reseller_ids = g_strv_builder_end (ids);
  self->reseller_names = g_strv_builder_end (names);
  if (!found)
    g_clear_pointer (&self->reseller_id, g_free);
}

static void
set_loading (PdOrganizationModel *self,
             gboolean             loading)
{
  self->loading = loading;
  g_signal_emit (self, signals[LOADING_CHANGED], 0);
}

static void
apply_load (PdOrganizationModel *self,
            PdListLoad          *load)
{
  g_autoptr(GPtrArray) keep_alive = NULL;
  g_autoptr(GPtrArray) old_rows = NULL;

  g_signal_emit (self, signals[LOAD_APPLYING], 0);
  set_resellers (self, load->resellers);
  self->loaded_once = TRUE;
  /* The old rows stay alive until the visible rows (and a view's items) no longer point at
   * them. */
  keep_alive = self->tables;
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_table_free);
  g_ptr_array_add (self->tables, g_steal_pointer (&load->table));
  old_rows = self->rows;
  self->rows = g_steal_pointer (&load->rows);
  rebuild_masks (self);
  refilter (self);
  g_signal_emit (self, signals[LOAD_APPLIED], 0);
}

static void start_load (PdOrganizationModel *self);

/* After a load: a full first page means everything is read next; a reload requested meanwhile
 * runs now. */
static void
finish_load (PdOrganizationModel *self,
             PdListLoad          *load)
{
  /* load's rows are the model's now (see apply_load). */
  self->partial = load != NULL && self->load_limit > 0 && self->rows->len >= self->load_limit;
  if (self->partial)
    {
      start_load (self);
      return;
    }
  set_loading (self, FALSE);
  /* No duplicate index here: the "Possible duplicates" filter is the store's flag, and the New
   * Organization dialog builds the index when it opens. */
#ifdef __GLIBC__
  /* Loading 100,000 rows leaves tens of megabytes of freed query buffers in the loader
   * thread's malloc arena; hand them back to the system. */
  malloc_trim (0);
#endif
  if (self->reload_pending)
    pd_organization_model_request_reload (self);
}

/* user_data is the model, unreferenced: its finalize cancels the load, and a cancelled load
 * returns here before touching it. */
static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdListLoad) load = pd_list_loader_load_finish (result, &error);
  PdOrganizationModel *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->load_cancellable);
  self->last_load_ms = (g_get_monotonic_time () - self->last_load_started) / 1000;
  if (load == NULL)
    g_warning ("Could not load the organizations: %s", error->message);
  else
    {
      g_set_object (&self->reader, load->reader);
      apply_load (self, load);
    }
  finish_load (self, load);
}

static void
start_load (PdOrganizationModel *self)
{
  self->reload_pending = FALSE;
  self->last_load_started = g_get_monotonic_time ();
  self->load_cancellable = g_cancellable_new ();
  self->load_limit = self->loaded_once || self->partial ? 0 : FIRST_PAGE;
  set_loading (self, TRUE);
  pd_list_loader_load_async (pd_store_get_path (self->store), self->reader, self->load_limit,
                             self->load_cancellable, load_done, self);
}

static void
on_reload_timeout (gpointer user_data)
{
  PdOrganizationModel *self = user_data;

  self->reload_timeout_id = 0;
  pd_organization_model_request_reload (self);
}

void
pd_organization_model_request_reload (PdOrganizationModel *self)
{
  gint64 since_ms = (g_get_monotonic_time () - self->last_load_started) / 1000;
  gint64 interval_ms = MAX (RELOAD_MIN_INTERVAL_MS, RELOAD_FACTOR * self->last_load_ms);

  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));

  if (self->loading)
    {
      self->reload_pending = TRUE;
      return;
    }
  if (self->reload_timeout_id != 0)
    return;
  if (self->loaded_once && since_ms < interval_ms)
    {
      self->reload_timeout_id = g_timeout_add_once ((guint) (interval_ms - since_ms),
                                                    on_reload_timeout, self);
      return;
    }
  start_load (self);
}

void
pd_organization_model_reload (PdOrganizationModel *self)
{
  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));

  if (self->loading)
    {
      self->reload_pending = TRUE;
      return;
    }
  g_clear_handle_id (&self->reload_timeout_id, g_source_remove);
  start_load (self);
}

/* Where row goes among every row (kept in the default order, see the loader) by compare. */
static guint
sorted_position (PdOrganizationModel   *self,
                 PdOrganizationRowData *row,
                 GCompareFunc           compare)
{
  guint low = 0, high = self->rows->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (compare (g_ptr_array_index (self->rows, middle), row) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* Ranks every row again, evenly spread: when two neighbours left no gap for a new row. */
static void
rerank (PdOrganizationModel *self)
{
  guint32 spacing = (guint32) MAX (1, G_MAXUINT32 / ((guint64) self->rows->len + 1));

  for (guint i = 0; i < self->rows->len; i++)
    ((PdOrganizationRowData *) g_ptr_array_index (self->rows, i))->rank = (i + 1) * spacing;
}

/* Puts row (a new table's, unranked) in its place by name, with a rank between its
 * neighbours'. */
static void
insert_row (PdOrganizationModel   *self,
            PdOrganizationRowData *row)
{
  guint position = sorted_position (self, row, pd_organization_row_data_compare_names);
  guint32 before = position > 0
                   ? ((PdOrganizationRowData *) g_ptr_array_index (self->rows, position - 1))->rank
                   : 0;
  guint32 after = position < self->rows->len
                  ? ((PdOrganizationRowData *) g_ptr_array_index (self->rows, position))->rank
                  : G_MAXUINT32;

  g_ptr_array_insert (self->rows, (gint) position, row);
  if (after - before >= 2)
    row->rank = before + (after - before) / 2;
  else
    rerank (self);
}

/* Replaces old (or with old NULL adds row, or with row NULL removes old) in the array of every
 * row, in its place in the default order (a new or renamed organization does not go to the
 * end). The old row stays in its table, marked dead, until the next load. */
static void
replace_row (PdOrganizationModel   *self,
             PdOrganizationRowData *old,
             PdOrganizationRowData *row)
{
  if (old != NULL)
    {
      /* rows is in the default order and holds old: its place is where its rank sorts. */
      guint position = sorted_position (self, old, pd_organization_row_data_compare);

      /* A rank that no longer sorts old into its place would be a bug: find it the slow way
       * rather than remove another row. */
      if ((position >= self->rows->len || g_ptr_array_index (self->rows, position) != old)
          && !g_ptr_array_find (self->rows, old, &position))
        {
          g_critical ("%s: a changed row is not among the rows", G_STRFUNC);
          return;
        }
      g_ptr_array_remove_index (self->rows, position);
      old->dead = TRUE;
    }
  if (row != NULL)
    insert_row (self, row);
}

/* The store flags possible duplicates by group, in the write that changes one: an organization
 * added, removed or renamed (name or domain) while it is or was flagged, or whose flag
 * changed, may have changed the flags of others (its old group's, its new one's). */
static gboolean
may_change_other_flags (const PdOrganizationRowData *old,
                        const PdOrganizationRowData *row)
{
  guint16 duplicate = 1u << PD_FILTER_DUPLICATES;
  gboolean was = old != NULL && (old->filters & duplicate) != 0;
  gboolean is = row != NULL && (row->filters & duplicate) != 0;

  if (!was && !is)
    return FALSE;
  return old == NULL || row == NULL || was != is || g_strcmp0 (old->name, row->name) != 0
         || g_strcmp0 (old->domain, row->domain) != 0;
}

/* One organization changed: replace its row in place (a store read by primary key) instead of
 * reading every row again. */
static void
reload_one (PdOrganizationModel *self,
            gint64               id)
{
  g_autoptr(PdOrganization) org = pd_store_get (self->store, id, NULL);
  PdOrganizationRowData *old = lookup_row (self, id);
  PdOrganizationRowData *row = NULL;

  if (org != NULL)
    {
      PdRowTable *table = pd_row_table_new ();

      pd_row_table_add_organization (table, org);
      pd_row_table_finish (table);
      g_ptr_array_add (self->tables, table);
      row = pd_row_table_get_row (table, 0);
    }
  replace_row (self, old, row);
  rebuild_masks (self);
  refilter (self);
  /* Its row is shown at once; the others' flags come with a load. */
  if (may_change_other_flags (old, row))
    pd_organization_model_request_reload (self);
}

void
pd_organization_model_organization_changed (PdOrganizationModel *self,
                                            gint64               id)
{
  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));

  if (id == 0 || !self->loaded_once)
    pd_organization_model_request_reload (self);
  else
    reload_one (self, id);
}

/* ---- public ---- */

PdOrganizationModelLoad
pd_organization_model_get_load (PdOrganizationModel *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), 0);
  return (self->loading ? PD_ORGANIZATION_MODEL_LOADING : 0)
         | (self->loaded_once ? PD_ORGANIZATION_MODEL_LOADED_ONCE : 0)
         | (self->partial ? PD_ORGANIZATION_MODEL_PARTIAL : 0);
}

guint
pd_organization_model_get_n_total (PdOrganizationModel *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), 0);
  return self->rows->len;
}

gboolean
pd_organization_model_contains (PdOrganizationModel *self,
                                gint64               id)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), FALSE);
  return lookup_row (self, id) != NULL;
}

GPtrArray *
pd_organization_model_get_visible (PdOrganizationModel *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), NULL);
  return self->visible;
}

guint
pd_organization_model_find_visible (PdOrganizationModel *self,
                                    gint64               id)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), G_MAXUINT);
  for (guint i = 0; i < self->visible->len; i++)
    if (pd_organization_row_data_get_id (g_ptr_array_index (self->visible, i)) == id)
      return i;
  return G_MAXUINT;
}

gint64
pd_organization_model_find_next (PdOrganizationModel *self,
                                 gint64               id,
                                 PdFilter             filter)
{
  guint n, start;

  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), 0);
  g_return_val_if_fail (filter < PD_N_FILTERS, 0);
  n = self->visible->len;
  start = pd_organization_model_find_visible (self, id);
  start = start == G_MAXUINT ? 0 : start + 1;
  for (guint k = 0; k < n; k++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (self->visible, (start + k) % n);

      if (pd_organization_row_data_get_id (row) != id
          && pd_organization_row_data_in_filter (row, filter))
        return pd_organization_row_data_get_id (row);
    }
  return 0;
}

char *
pd_organization_model_dup_match_reason (PdOrganizationModel *self,
                                        gint64               id)
{
  g_autoptr(PdOrganization) org = NULL;

  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), NULL);
  if (self->words == NULL || lookup_row (self, id) == NULL)
    return NULL;
  /* The rows keep only the haystack of the searched fields: the values come from the store
   * (one read by primary key, when a tooltip asks). */
  org = pd_store_get (self->store, id, NULL);
  if (org == NULL)
    return NULL;
  return pd_organization_row_data_dup_match_reason (org, (const char * const *) self->words);
}

GArray *
pd_organization_model_dup_visible_ids (PdOrganizationModel *self)
{
  GArray *ids;

  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), NULL);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->visible->len);
  for (guint i = 0; i < self->visible->len; i++)
    {
      gint64 id = pd_organization_row_data_get_id (g_ptr_array_index (self->visible, i));

      g_array_append_val (ids, id);
    }
  return ids;
}

guint
pd_organization_model_get_count (PdOrganizationModel *self,
                                 PdFilter             filter)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), 0);
  g_return_val_if_fail (filter < PD_N_FILTERS, 0);
  return self->counts[filter];
}

void
pd_organization_model_set_search (PdOrganizationModel *self,
                                  const char          *text)
{
  char **words;
  gboolean narrowing, extending;

  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));
  words = pd_organization_row_data_split_query (text);
  /* Typing one more character only narrows the search: search the rows still matching. */
  narrowing = query_narrows (self->words, words);
  extending = narrowing && query_extends (self->words, words);
  g_strfreev (self->words);
  self->words = words;
  refilter_full (self, narrowing, extending);
}

void
pd_organization_model_set_filter (PdOrganizationModel *self,
                                  PdFilter             filter)
{
  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));
  g_return_if_fail (filter < PD_N_FILTERS);
  self->filter = filter;
  rebuild_visible (self);
}

PdFilter
pd_organization_model_get_filter (PdOrganizationModel *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), PD_FILTER_ALL);
  return self->filter;
}

void
pd_organization_model_set_reseller (PdOrganizationModel *self,
                                    const char          *reseller_id)
{
  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));
  if (g_strcmp0 (reseller_id, self->reseller_id) == 0)
    return;
  g_free (self->reseller_id);
  self->reseller_id = g_strdup (reseller_id);
  refilter (self);
}

const char *
pd_organization_model_get_reseller (PdOrganizationModel *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), NULL);
  return self->reseller_id;
}

const char * const *
pd_organization_model_get_resellers (PdOrganizationModel  *self,
                                     const char * const  **names)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_MODEL (self), NULL);
  if (names != NULL)
    *names = (const char * const *) self->reseller_names;
  return (const char * const *) self->reseller_ids;
}

void
pd_organization_model_set_sort_func (PdOrganizationModel *self,
                                     GCompareDataFunc     compare,
                                     gpointer             user_data)
{
  g_return_if_fail (PD_IS_ORGANIZATION_MODEL (self));
  self->compare = compare;
  self->compare_data = user_data;
  rebuild_visible (self);
}

/* ---- GObject ---- */

/* Nothing refers back to the model (a load holds no reference to it), so one finalize does. */
static void
pd_organization_model_finalize (GObject *object)
{
  PdOrganizationModel *self = PD_ORGANIZATION_MODEL (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->reader);
  g_clear_handle_id (&self->reload_timeout_id, g_source_remove);
  g_ptr_array_unref (self->visible);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->tables);
  g_object_unref (self->store);
  g_array_unref (self->masks);
  g_byte_array_unref (self->matches);
  g_byte_array_unref (self->hits);
  g_ptr_array_unref (self->hays);
  g_strfreev (self->reseller_ids);
  g_strfreev (self->reseller_names);
  g_strfreev (self->words);
  g_free (self->reseller_id);

  G_OBJECT_CLASS (pd_organization_model_parent_class)->finalize (object);
}

static guint
new_signal (PdOrganizationModelClass *klass,
            const char               *name)
{
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                       G_TYPE_NONE, 0);
}

static void
pd_organization_model_class_init (PdOrganizationModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_organization_model_finalize;
  signals[CHANGED] = new_signal (klass, "changed");
  signals[LOADING_CHANGED] = new_signal (klass, "loading-changed");
  signals[LOAD_APPLYING] = new_signal (klass, "load-applying");
  signals[LOAD_APPLIED] = new_signal (klass, "load-applied");
}

static void
pd_organization_model_init (PdOrganizationModel *self)
{
  self->rows = g_ptr_array_new ();
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_row_table_free);
  self->visible = g_ptr_array_new ();
  self->masks = g_array_new (FALSE, FALSE, sizeof (guint16));
  self->matches = g_byte_array_new ();
  self->hits = g_byte_array_new ();
  self->hays = g_ptr_array_new ();
  self->reseller_ids = g_new0 (char *, 1);
  self->reseller_names = g_new0 (char *, 1);
  self->filter = PD_FILTER_ALL;
}

PdOrganizationModel *
pd_organization_model_new (PdStore *store)
{
  PdOrganizationModel *self;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);
  self = g_object_new (PD_TYPE_ORGANIZATION_MODEL, NULL);
  self->store = g_object_ref (store);
  return self;
}
