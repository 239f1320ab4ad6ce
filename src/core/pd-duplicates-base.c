/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-base.c — the frozen base of the duplicate index.
 *
 * The organizations added before the index is first read (a whole cache, from
 * pd_duplicates_new_for_store) are staged as fixed-size records whose strings follow each other
 * in one pool, then frozen at once into sorted arrays: per kind of key, (32-bit hash << 32 |
 * slot) values, and the trigram postings as varint-coded slots with an offset per trigram
 * (CSR). Hash tables with a key and a list per organization took most of a gigabyte at a
 * million organizations; these arrays take a few bytes per key. A hash is only a hint: every
 * slot it finds is confirmed against the entry's real key. Removed or replaced organizations
 * are marked dead in a bitmap; what is added later lives in the overlay (pd-duplicates-index.c).
 *
 * At a million organizations (bench-duplicates): records 16 MB, strings 90 MB, key arrays
 * 33 MB (41 with the tenants'), postings 19 MB. Keeping only the slots in the key arrays and
 * hashing the keys again while bisecting saved 13 MB but made find_groups 40 % slower.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pd-duplicates-private.h"

/* The strings of a base entry, in pool order. */
enum { STR_NAME, STR_TENANT, STR_DOMAIN, STR_ERP, STR_NAME_KEY, N_STRINGS };
/* A present bit beside those: the tenant id is a lower-case GUID, stored as its 16 bytes. */
#define TENANT_GUID (1 << N_STRINGS)
#define GUID_SIZE   16
#define GUID_TEXT   36

static guint32 hash_mask = G_MAXUINT32;

void
_pd_dup_set_hash_mask (guint32 mask)
{
  hash_mask = mask;
}

/* FNV-1a: cheap, and spreads keys that differ in one digit. */
guint32
_pd_dup_key_hash (const char *key)
{
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) key; *p != '\0'; p++)
    hash = (hash ^ *p) * 16777619u;
  return hash & hash_mask;
}

void
_pd_dup_base_init (PdDuplicates *self)
{
  self->base = g_array_new (FALSE, FALSE, sizeof (BaseEntry));
  self->pool = g_byte_array_new ();
}

void
_pd_dup_base_clear (PdDuplicates *self)
{
  g_array_unref (self->base);
  g_byte_array_unref (self->pool);
  g_free (self->dead);
  for (guint k = 0; k < N_KEYS; k++)
    g_free (self->keys[k]);
  g_free (self->trigram_ids);
  g_free (self->trigram_counts);
  g_free (self->trigram_starts);
  g_free (self->postings);
}

/* Partner Center's tenant ids are lower-case GUIDs ("8-4-4-4-12" hex digits): 16 bytes hold
 * the 37 of the text, a fifth of the pool. Returns FALSE for any other text. */
static gboolean
pack_guid (const char *text,
           guint8      out[GUID_SIZE])
{
  guint n = 0;

  if (strlen (text) != GUID_TEXT)
    return FALSE;
  for (guint i = 0; i < GUID_TEXT; i++)
    {
      gboolean dash = i == 8 || i == 13 || i == 18 || i == 23;

      if (dash != (text[i] == '-'))
        return FALSE;
      if (dash)
        continue;
      if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
      if (n % 2 == 0)
        out[n / 2] = g_ascii_xdigit_value (text[i]) << 4;
      else
        out[n / 2] |= g_ascii_xdigit_value (text[i]);
      n++;
    }
  return TRUE;
}

static void
unpack_guid (const guint8 *guid,
             char          out[GUID_TEXT + 1])
{
  static const char digits[] = "0123456789abcdef";
  char *p = out;

  for (guint i = 0; i < GUID_SIZE; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = digits[guid[i] >> 4];
      *p++ = digits[guid[i] & 0xf];
    }
  *p = '\0';
}

/* Appends one organization (keys: its keys, as pd_duplicates_add made them) while the base is
 * built; its trigrams are counted at freeze. */
void
_pd_dup_base_stage (PdDuplicates  *self,
                    gint64         org_id,
                    const char    *name,
                    const char    *tenant_id,
                    const OrgKeys *keys)
{
  const char *strings[N_STRINGS];
  BaseEntry entry = { org_id, self->pool->len, 0, 0 };
  guint8 guid[GUID_SIZE];

  strings[STR_NAME] = name;
  strings[STR_TENANT] = tenant_id;
  strings[STR_DOMAIN] = keys->domain_key;
  strings[STR_ERP] = keys->erp_key;
  strings[STR_NAME_KEY] = keys->name_key;

  for (guint i = 0; i < N_STRINGS; i++)
    {
      const guint8 *bytes = (const guint8 *) strings[i];
      gsize size;

      if (strings[i] == NULL)
        continue;
      size = strlen (strings[i]) + 1;
      if (i == STR_TENANT && pack_guid (strings[i], guid))
        {
          bytes = guid;
          size = GUID_SIZE;
          entry.present |= TENANT_GUID;
        }
      /* Offsets are 32-bit: 4 GiB of strings is some 30 million organizations. */
      if (self->pool->len + size > G_MAXUINT32)
        g_error ("The duplicate index holds more than 4 GiB of names and keys");
      g_byte_array_append (self->pool, bytes, size);
      entry.present |= 1 << i;
    }
  g_array_append_val (self->base, entry);
}

static void
base_view (PdDuplicates *self,
           guint32       slot,
           EntryView    *out)
{
  const BaseEntry *entry = &g_array_index (self->base, BaseEntry, slot);
  const char *p = (const char *) self->pool->data + entry->strings;
  const char *strings[N_STRINGS];

  for (guint i = 0; i < N_STRINGS; i++)
    {
      strings[i] = NULL;
      if ((entry->present & (1 << i)) == 0)
        continue;
      if (i == STR_TENANT && (entry->present & TENANT_GUID))
        {
          unpack_guid ((const guint8 *) p, out->tenant_text);
          strings[i] = out->tenant_text;
          p += GUID_SIZE;
          continue;
        }
      strings[i] = p;
      p += strlen (p) + 1;
    }
  out->org_id = entry->org_id;
  out->name = strings[STR_NAME];
  out->tenant_id = strings[STR_TENANT];
  out->domain_key = strings[STR_DOMAIN];
  out->erp_key = strings[STR_ERP];
  out->name_key = strings[STR_NAME_KEY];
  out->n_trigrams = entry->n_trigrams;
}

gboolean
_pd_dup_base_get (PdDuplicates *self,
                  guint32       slot,
                  EntryView    *out)
{
  if (slot >= self->n_base || _pd_dup_base_is_dead (self, slot))
    return FALSE;
  base_view (self, slot, out);
  return TRUE;
}

static int
compare_base_entries (gconstpointer a,
                      gconstpointer b)
{
  const BaseEntry *x = a;
  const BaseEntry *y = b;

  if (x->org_id != y->org_id)
    return x->org_id < y->org_id ? -1 : 1;
  /* Strings are appended: the later of two adds of one organization has the larger offset. */
  return x->strings < y->strings ? -1 : x->strings > y->strings;
}

/* Sorts values by their upper 32 bits (the hashes), keeping the order of equal ones: slots are
 * appended ascending, so the result is in (hash, slot) order. Two passes of 16 bits each,
 * where qsort took a third of a freeze. */
static void
sort_by_hash (guint64 *values,
              guint    n)
{
  g_autofree guint64 *scratch = g_new (guint64, MAX (n, 1));
  g_autofree guint *starts = g_new (guint, 65536 + 1);
  guint64 *from = values, *to = scratch;

  for (guint shift = 32; shift < 64; shift += 16)
    {
      guint64 *swap;

      memset (starts, 0, (65536 + 1) * sizeof (guint));
      for (guint i = 0; i < n; i++)
        starts[((from[i] >> shift) & 0xffff) + 1]++;
      for (guint b = 0; b < 65536; b++)
        starts[b + 1] += starts[b];
      for (guint i = 0; i < n; i++)
        to[starts[(from[i] >> shift) & 0xffff]++] = from[i];
      swap = from, from = to, to = swap;
    }
}

/* The tenant array is built when first needed (8 MB at a million organizations): the New
 * Organization dialog and `create` query without a tenant, and the cache keeps tenants unique,
 * so only `duplicates` (find_groups) and API users giving a tenant ever read it. */
static void
build_keys (PdDuplicates *self,
            KeyKind       kind)
{
  GArray *keys;

  if (self->keys_built & (1u << kind))
    return;
  self->keys_built |= 1u << kind;
  keys = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (guint32 slot = 0; slot < self->n_base; slot++)
    {
      g_autofree char *to_free = NULL;
      EntryView view;
      const char *key;
      guint64 value;

      base_view (self, slot, &view);
      if ((key = _pd_dup_entry_key (&view, kind, &to_free)) == NULL)
        continue;
      value = (guint64) _pd_dup_key_hash (key) << 32 | slot;
      g_array_append_val (keys, value);
    }
  sort_by_hash ((guint64 *) (gpointer) keys->data, keys->len);
  self->n_keys[kind] = keys->len;
  self->keys[kind] = (guint64 *) (gpointer) g_array_free (keys, FALSE);
}

/* One trigram's counters while a freeze builds the postings. */
typedef struct {
  guint32 count;
  guint32 last;         /* the last slot seen */
  gsize   cursor;       /* bytes of postings, then where the next slot goes */
} TrigramCounter;

/* The counters by trigram value (three bytes): a block of 256 for each pair of first bytes
 * that occurs, so memory follows the trigrams names have, not the 2^24 possible. */
typedef struct {
  TrigramCounter *blocks[1 << 16];
  GArray         *distinct;   /* guint32: trigrams seen */
} PostingsBuild;

static TrigramCounter *
trigram_counter (PostingsBuild *build,
                 guint32        trigram)
{
  TrigramCounter **block = &build->blocks[trigram >> 8];

  if (*block == NULL)
    *block = g_new0 (TrigramCounter, 256);
  return &(*block)[trigram & 0xff];
}

static guint
varint_size (guint32 value)
{
  guint size = 1;

  while (value >= 0x80)
    value >>= 7, size++;
  return size;
}

static void
put_varint (guint8  *out,
            guint32  value)
{
  while (value >= 0x80)
    {
      *out++ = (value & 0x7f) | 0x80;
      value >>= 7;
    }
  *out = value;
}

/* One pass over every base slot's trigrams, slots ascending: sizes the postings (place FALSE)
 * or writes them (place TRUE). */
static void
postings_pass (PdDuplicates  *self,
               PostingsBuild *build,
               gboolean       place)
{
  for (guint32 slot = 0; slot < self->n_base; slot++)
    {
      g_autofree guint32 *trigrams = NULL;
      EntryView view;
      guint n = 0;

      base_view (self, slot, &view);
      if (view.name_key != NULL)
        trigrams = _pd_dup_make_trigrams (view.name_key, &n);
      g_array_index (self->base, BaseEntry, slot).n_trigrams = n;
      for (guint i = 0; i < n; i++)
        {
          TrigramCounter *counter = trigram_counter (build, trigrams[i]);
          guint32 delta = slot - counter->last;

          counter->last = slot;
          if (place)
            put_varint (self->postings + counter->cursor, delta);
          else if (counter->count++ == 0)
            g_array_append_val (build->distinct, trigrams[i]);
          counter->cursor += varint_size (delta);
        }
    }
}

/* Two passes over the names (trigrams are cheap to make again): size, then write. */
static void
build_postings (PdDuplicates *self)
{
  g_autofree PostingsBuild *build = g_new0 (PostingsBuild, 1);
  gsize offset = 0;
  guint n;

  build->distinct = g_array_new (FALSE, FALSE, sizeof (guint32));
  postings_pass (self, build, FALSE);
  /* An index of organizations without names has no trigram: no array to sort. */
  if (build->distinct->len > 0)
    qsort (build->distinct->data, build->distinct->len, sizeof (guint32),
           _pd_dup_compare_guint32);
  n = self->n_trigram_ids = build->distinct->len;
  self->trigram_ids = (guint32 *) (gpointer) g_array_free (build->distinct, FALSE);
  self->trigram_counts = g_new (guint32, n + 1);
  self->trigram_starts = g_new (gsize, n + 1);
  for (guint i = 0; i < n; i++)
    {
      TrigramCounter *counter = trigram_counter (build, self->trigram_ids[i]);
      gsize size = counter->cursor;

      self->trigram_counts[i] = counter->count;
      self->trigram_starts[i] = offset;
      counter->cursor = offset;
      counter->last = 0;
      offset += size;
    }
  self->trigram_starts[n] = offset;
  self->postings = g_new (guint8, MAX (offset, 1));
  postings_pass (self, build, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (build->blocks); i++)
    g_free (build->blocks[i]);
}

void
_pd_dup_base_freeze (PdDuplicates *self)
{
  BaseEntry *entries = (BaseEntry *) (gpointer) self->base->data;
  guint n = 0;

  g_array_sort (self->base, compare_base_entries);
  /* An organization added twice while the base was built: the last add counts. */
  for (guint i = 0; i < self->base->len; i++)
    {
      if (i + 1 < self->base->len && entries[i + 1].org_id == entries[i].org_id)
        continue;
      entries[n++] = entries[i];
    }
  g_array_set_size (self->base, n);
  self->n_base = n;
  self->dead = g_new0 (guint8, n / 8 + 1);
  build_postings (self);
  for (guint k = 0; k < N_KEYS; k++)
    {
      if (k != KEY_TENANT)
        build_keys (self, k);
    }
  self->frozen = TRUE;
}

gboolean
_pd_dup_base_remove (PdDuplicates *self,
                     gint64        org_id)
{
  const BaseEntry *entries = (const BaseEntry *) (gconstpointer) self->base->data;
  guint lo = 0, hi = self->n_base;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (entries[mid].org_id < org_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == self->n_base || entries[lo].org_id != org_id || _pd_dup_base_is_dead (self, lo))
    return FALSE;
  self->dead[lo >> 3] |= 1 << (lo & 7);
  self->n_dead++;
  return TRUE;
}

/* The first index of keys holding hash. */
static guint
lower_bound (const guint64 *keys,
             guint          n,
             guint32        hash)
{
  guint64 value = (guint64) hash << 32;
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (keys[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Whether base slot's key of kind is key; a hash match alone proves nothing. */
static gboolean
slot_has_key (PdDuplicates *self,
              guint32       slot,
              KeyKind       kind,
              const char   *key)
{
  g_autofree char *to_free = NULL;
  EntryView view;
  const char *own;

  base_view (self, slot, &view);
  own = _pd_dup_entry_key (&view, kind, &to_free);
  return own != NULL && strcmp (own, key) == 0;
}

void
_pd_dup_base_lookup (PdDuplicates *self,
                     KeyKind       kind,
                     const char   *key,
                     GArray       *out)
{
  const guint64 *keys;
  guint32 hash;

  if (!self->frozen || key == NULL)
    return;
  build_keys (self, kind);
  keys = self->keys[kind];
  hash = _pd_dup_key_hash (key);
  for (guint i = lower_bound (keys, self->n_keys[kind], hash);
       i < self->n_keys[kind] && keys[i] >> 32 == hash; i++)
    {
      guint32 slot = (guint32) keys[i];

      if (!_pd_dup_base_is_dead (self, slot) && slot_has_key (self, slot, kind, key))
        g_array_append_val (out, slot);
    }
}

guint
_pd_dup_base_postings (PdDuplicates *self,
                       guint32       trigram,
                       Postings     *out)
{
  guint lo = 0, hi = self->n_trigram_ids;

  *out = (Postings) { NULL, NULL, 0 };
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->trigram_ids[mid] < trigram)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == self->n_trigram_ids || self->trigram_ids[lo] != trigram)
    return 0;
  out->p = self->postings + self->trigram_starts[lo];
  out->end = self->postings + self->trigram_starts[lo + 1];
  return self->trigram_counts[lo];
}

/* One run of slots with equal hashes: each live slot is joined to the first earlier one with
 * the same key (its representative), or becomes one; representatives go to distinct. */
static void
split_run (PdDuplicates  *self,
           KeyKind        kind,
           const guint64 *run,
           guint          n,
           void         (*join) (guint32, guint32, gpointer),
           gpointer       data,
           GArray        *distinct)
{
  g_autoptr(GPtrArray) rep_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) reps = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to_free = NULL;
      guint32 slot = (guint32) run[i];
      EntryView view;
      const char *key;
      guint r;

      if (_pd_dup_base_is_dead (self, slot))
        continue;
      base_view (self, slot, &view);
      key = _pd_dup_entry_key (&view, kind, &to_free);
      for (r = 0; r < reps->len; r++)
        {
          if (strcmp (g_ptr_array_index (rep_keys, r), key) == 0)
            break;
        }
      if (r < reps->len)
        {
          join (g_array_index (reps, guint32, r), slot, data);
          continue;
        }
      g_array_append_val (reps, slot);
      g_ptr_array_add (rep_keys, g_strdup (key));
      if (distinct != NULL)
        g_array_append_val (distinct, slot);
    }
}

static void
no_join (guint32  a,
         guint32  b,
         gpointer data)
{
}

/* Every run of equal hashes of kind, split by the real keys. Runs of one slot need no split
 * unless their slot is wanted in distinct. */
static void
foreach_run (PdDuplicates *self,
             KeyKind       kind,
             void        (*join) (guint32, guint32, gpointer),
             gpointer      data,
             GArray       *distinct)
{
  const guint64 *keys;
  guint n;

  build_keys (self, kind);
  keys = self->keys[kind];
  n = self->n_keys[kind];
  for (guint i = 0, j; i < n; i = j)
    {
      for (j = i + 1; j < n && keys[j] >> 32 == keys[i] >> 32; j++)
        ;
      if (j - i > 1)
        split_run (self, kind, keys + i, j - i, join, data, distinct);
      else if (distinct != NULL && !_pd_dup_base_is_dead (self, (guint32) keys[i]))
        {
          guint32 slot = (guint32) keys[i];

          g_array_append_val (distinct, slot);
        }
    }
}

void
_pd_dup_base_join_keys (PdDuplicates *self,
                        KeyKind       kind,
                        void        (*join) (guint32, guint32, gpointer),
                        gpointer      data)
{
  foreach_run (self, kind, join, data, NULL);
}

void
_pd_dup_base_distinct_names (PdDuplicates *self,
                             GArray       *out)
{
  foreach_run (self, KEY_NAME, no_join, NULL, out);
}
