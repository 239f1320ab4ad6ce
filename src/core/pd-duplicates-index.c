/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-index.c — the storage of the duplicate index as find and groups see it: the
 * frozen base (pd-duplicates-base.c) and the overlay together, one slot space.
 *
 * The overlay holds the organizations added or replaced after the base was frozen (the app's
 * index, pd-session.c, follows the store's changes one by one, and is dropped for a rebuild
 * when many change at once): entries by slot, and hash multimaps from each key and trigram to
 * the slots holding it. It stays small, so it keeps the simple structure the whole index once
 * had.
 */
#include "config.h"

#include <string.h>

#include "pd-duplicates-private.h"

/* Multimap values: nearly every key (tenant, domain, name) belongs to one organization, so a
 * single slot is stored in the pointer itself, tagged (slot << 1 | 1); two or more slots live
 * in a GArray. This saves an array per key and per organization. */
#define SINGLE_SLOT(slot)    GSIZE_TO_POINTER (((gsize) (slot) << 1) | 1)
#define IS_SINGLE_SLOT(v)    ((GPOINTER_TO_SIZE (v) & 1) != 0)
#define SLOT_OF_SINGLE(v)    ((guint32) (GPOINTER_TO_SIZE (v) >> 1))

/* Fills a list view of a multimap value; the view must stay where it is (data may point into
 * it). */
static void
slot_list_init (SlotList *list,
                gpointer  value)
{
  if (value == NULL)
    {
      list->data = NULL;
      list->len = 0;
    }
  else if (IS_SINGLE_SLOT (value))
    {
      list->single = SLOT_OF_SINGLE (value);
      list->data = &list->single;
      list->len = 1;
    }
  else
    {
      list->data = (const guint32 *) (gconstpointer) ((GArray *) value)->data;
      list->len = ((GArray *) value)->len;
    }
}

static void
multimap_value_free (gpointer value)
{
  if (value != NULL && !IS_SINGLE_SLOT (value))
    g_array_unref (value);
}

static GHashTable *
multimap_new (GHashFunc  hash,
              GEqualFunc equal)
{
  return g_hash_table_new_full (hash, equal, NULL, multimap_value_free);
}

static void
multimap_add (GHashTable    *map,
              gconstpointer  key,
              guint32        slot)
{
  gpointer stored_key, value;
  GArray *slots;

  if (!g_hash_table_lookup_extended (map, key, &stored_key, &value))
    {
      g_hash_table_insert (map, (gpointer) key, SINGLE_SLOT (slot));
      return;
    }
  if (!IS_SINGLE_SLOT (value))
    {
      g_array_append_val ((GArray *) value, slot);
      return;
    }
  slots = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 2);
  g_array_append_vals (slots, (guint32[]) { SLOT_OF_SINGLE (value), slot }, 2);
  g_hash_table_insert (map, stored_key, slots);
}

static Entry *
overlay_entry (PdDuplicates *self,
               guint32       slot)
{
  return g_ptr_array_index (self->entries, slot - self->n_base);
}

/* Removes one slot. The stored key may be the removed entry's own string, which is about to
 * be freed: then the key is replaced by the same string of a remaining entry (kind; N_KEYS for
 * trigrams, whose keys are values). */
static void
multimap_remove (PdDuplicates  *self,
                 GHashTable    *map,
                 gconstpointer  key,
                 guint32        slot,
                 KeyKind        kind)
{
  gpointer stored_key, value;
  GArray *slots;

  if (!g_hash_table_lookup_extended (map, key, &stored_key, &value))
    return;
  if (IS_SINGLE_SLOT (value))
    {
      if (SLOT_OF_SINGLE (value) == slot)
        g_hash_table_remove (map, key);
      return;
    }
  slots = value;
  for (guint i = 0; i < slots->len; i++)
    {
      if (g_array_index (slots, guint32, i) == slot)
        {
          g_array_remove_index_fast (slots, i);
          break;
        }
    }
  g_hash_table_steal (map, key);
  if (kind != N_KEYS && stored_key == key)
    stored_key = (gpointer) overlay_entry (self, g_array_index (slots, guint32, 0))->keys[kind];
  if (slots->len == 1)
    {
      g_hash_table_insert (map, stored_key, SINGLE_SLOT (g_array_index (slots, guint32, 0)));
      g_array_unref (slots);
    }
  else
    {
      g_hash_table_insert (map, stored_key, slots);
    }
}


static void
multimap_lookup (GHashTable    *map,
                 gconstpointer  key,
                 SlotList      *out)
{
  slot_list_init (out, key != NULL ? g_hash_table_lookup (map, key) : NULL);
}

void
_pd_dup_index_init (PdDuplicates *self)
{
  _pd_dup_base_init (self);
  self->entries = g_ptr_array_new_with_free_func (g_free);
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->by_org_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint k = 0; k < N_KEYS; k++)
    self->by_key[k] = multimap_new (g_str_hash, g_str_equal);
  self->by_trigram = multimap_new (g_direct_hash, g_direct_equal);
}

void
_pd_dup_index_clear (PdDuplicates *self)
{
  /* Maps first: their keys are borrowed from the entries. */
  g_hash_table_unref (self->by_org_id);
  for (guint k = 0; k < N_KEYS; k++)
    g_hash_table_unref (self->by_key[k]);
  g_hash_table_unref (self->by_trigram);
  g_ptr_array_unref (self->entries);
  g_array_unref (self->free_slots);
  g_free (self->counts);
  _pd_dup_base_clear (self);
}

/* The first read ends the building of the base. */
void
_pd_dup_index_ensure_frozen (PdDuplicates *self)
{
  if (!self->frozen)
    _pd_dup_base_freeze (self);
}

guint32
_pd_dup_index_n_slots (PdDuplicates *self)
{
  return self->n_base + self->entries->len;
}

gboolean
_pd_dup_index_get (PdDuplicates *self,
                   guint32       slot,
                   EntryView    *out)
{
  Entry *entry;

  if (slot < self->n_base)
    return _pd_dup_base_get (self, slot, out);
  if (slot >= _pd_dup_index_n_slots (self) || (entry = overlay_entry (self, slot)) == NULL)
    return FALSE;
  out->org_id = entry->org_id;
  out->name = entry->name;
  out->tenant_id = entry->tenant_id;
  out->domain_key = entry->domain_key;
  out->erp_key = entry->erp_key;
  out->name_key = entry->name_key;
  out->n_trigrams = entry->n_trigrams;
  return TRUE;
}

guint
_pd_dup_index_n_trigrams (PdDuplicates *self,
                          guint32       slot)
{
  Entry *entry;

  if (slot < self->n_base)
    return g_array_index (self->base, BaseEntry, slot).n_trigrams;
  entry = overlay_entry (self, slot);
  return entry != NULL ? entry->n_trigrams : 0;
}

guint32 *
_pd_dup_index_trigrams (PdDuplicates *self,
                        guint32       slot,
                        guint        *out_n)
{
  EntryView view;

  *out_n = 0;
  if (slot >= self->n_base)
    {
      Entry *entry = overlay_entry (self, slot);

      *out_n = entry->n_trigrams;
      return g_memdup2 (entry->trigrams, entry->n_trigrams * sizeof (guint32));
    }
  if (!_pd_dup_base_get (self, slot, &view) || view.name_key == NULL)
    return NULL;
  return _pd_dup_make_trigrams (view.name_key, out_n);
}

const char *
_pd_dup_entry_key (const EntryView *entry,
                   KeyKind          kind,
                   char           **to_free)
{
  *to_free = NULL;
  switch (kind)
    {
    case KEY_TENANT:
      return *to_free = _pd_dup_key_or_null (entry->tenant_id);
    case KEY_DOMAIN:
      return entry->domain_key;
    case KEY_ERP:
      return entry->erp_key;
    case KEY_NAME:
      return entry->name_key;
    case KEY_COMPACT:
      if (entry->name_key == NULL)
        return NULL;
      return *to_free = _pd_dup_compact_name (entry->name_key);
    case KEY_PREFIX:
      if (entry->domain_key == NULL)
        return NULL;
      return *to_free = _pd_dup_onmicrosoft_prefix (entry->domain_key);
    case N_KEYS:
    default:
      g_assert_not_reached ();
    }
}

void
_pd_dup_index_lookup (PdDuplicates *self,
                      KeyKind       kind,
                      const char   *key,
                      GArray       *out)
{
  SlotList slots;

  if (key == NULL)
    return;
  _pd_dup_base_lookup (self, kind, key, out);
  multimap_lookup (self->by_key[kind], key, &slots);
  g_array_append_vals (out, slots.data, slots.len);
}

guint
_pd_dup_index_postings (PdDuplicates *self,
                        guint32       trigram,
                        Postings     *base,
                        SlotList     *overlay)
{
  multimap_lookup (self->by_trigram, GUINT_TO_POINTER (trigram), overlay);
  return _pd_dup_base_postings (self, trigram, base);
}

void
_pd_dup_index_join_keys (PdDuplicates *self,
                         KeyKind       kind,
                         void        (*join) (guint32, guint32, gpointer),
                         gpointer      data)
{
  g_autoptr(GArray) in_base = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer key, value;

  _pd_dup_base_join_keys (self, kind, join, data);
  /* An overlay key: its slots, and the base slots that hold it too. */
  g_hash_table_iter_init (&iter, self->by_key[kind]);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SlotList slots;

      slot_list_init (&slots, value);
      for (guint i = 1; i < slots.len; i++)
        join (slots.data[0], slots.data[i], data);
      g_array_set_size (in_base, 0);
      _pd_dup_base_lookup (self, kind, key, in_base);
      for (guint i = 0; i < in_base->len; i++)
        join (slots.data[0], g_array_index (in_base, guint32, i), data);
    }
}

void
_pd_dup_index_distinct_names (PdDuplicates *self,
                              GArray       *out)
{
  GHashTableIter iter;
  gpointer value;

  _pd_dup_base_distinct_names (self, out);
  g_hash_table_iter_init (&iter, self->by_key[KEY_NAME]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SlotList slots;

      slot_list_init (&slots, value);
      g_array_append_val (out, slots.data[0]);
    }
}

/* Copies the strings to `out` (after the entry's trigrams); an equal earlier string is shared
 * (a tenant key usually equals the tenant id). */
static void
entry_pack_strings (char        *out,
                    char       **strings,
                    const char **targets,
                    guint        n_strings)
{
  for (guint i = 0; i < n_strings; i++)
    {
      targets[i] = NULL;
      if (strings[i] == NULL)
        continue;
      for (guint j = 0; j < i && targets[i] == NULL; j++)
        {
          if (targets[j] != NULL && strcmp (targets[j], strings[i]) == 0)
            targets[i] = targets[j];
        }
      if (targets[i] != NULL)
        continue;
      targets[i] = strcpy (out, strings[i]);
      out += strlen (strings[i]) + 1;
    }
}

/* The strings of an overlay entry: name, tenant id, then the keys by KeyKind. */
#define N_ENTRY_STRINGS (2 + N_KEYS)

static Entry *
entry_new (gint64         org_id,
           const char    *name,
           const char    *tenant_id,
           const OrgKeys *keys)
{
  g_autofree char *tenant_key = _pd_dup_key_or_null (tenant_id);
  g_autofree char *compact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree guint32 *trigrams = NULL;
  char *strings[N_ENTRY_STRINGS];
  const char *packed[N_ENTRY_STRINGS];
  gsize size = 0;
  guint n_trigrams = 0;
  Entry *entry;

  if (keys->name_key != NULL)
    {
      compact = _pd_dup_compact_name (keys->name_key);
      trigrams = _pd_dup_make_trigrams (keys->name_key, &n_trigrams);
    }
  if (keys->domain_key != NULL)
    prefix = _pd_dup_onmicrosoft_prefix (keys->domain_key);
  strings[0] = (char *) name;
  strings[1] = (char *) tenant_id;
  strings[2 + KEY_TENANT] = tenant_key;
  strings[2 + KEY_DOMAIN] = keys->domain_key;
  strings[2 + KEY_ERP] = keys->erp_key;
  strings[2 + KEY_NAME] = keys->name_key;
  strings[2 + KEY_COMPACT] = compact;
  strings[2 + KEY_PREFIX] = prefix;
  for (guint i = 0; i < N_ENTRY_STRINGS; i++)
    size += strings[i] != NULL ? strlen (strings[i]) + 1 : 0;
  entry = g_malloc0 (sizeof (Entry) + n_trigrams * sizeof (guint32) + size);
  entry->org_id = org_id;
  entry->n_trigrams = n_trigrams;
  if (n_trigrams > 0)
    memcpy (entry->trigrams, trigrams, n_trigrams * sizeof (guint32));
  entry_pack_strings ((char *) &entry->trigrams[n_trigrams], strings, packed, N_ENTRY_STRINGS);
  entry->name = packed[0];
  entry->tenant_id = packed[1];
  memcpy (entry->keys, packed + 2, sizeof entry->keys);
  entry->domain_key = entry->keys[KEY_DOMAIN];
  entry->erp_key = entry->keys[KEY_ERP];
  entry->name_key = entry->keys[KEY_NAME];
  return entry;
}

/* Files slot under every key and trigram of entry (add), or takes it out of them. */
static void
file_entry (PdDuplicates *self,
            Entry        *entry,
            guint32       slot,
            gboolean      add)
{
  for (guint k = 0; k < N_KEYS; k++)
    {
      if (entry->keys[k] == NULL)
        continue;
      if (add)
        multimap_add (self->by_key[k], entry->keys[k], slot);
      else
        multimap_remove (self, self->by_key[k], entry->keys[k], slot, k);
    }
  for (guint i = 0; i < entry->n_trigrams; i++)
    {
      gconstpointer key = GUINT_TO_POINTER (entry->trigrams[i]);

      if (add)
        multimap_add (self->by_trigram, key, slot);
      else
        multimap_remove (self, self->by_trigram, key, slot, N_KEYS);
    }
}

void
pd_duplicates_remove (PdDuplicates *self,
                      gint64        org_id)
{
  gpointer value;
  guint32 local;

  g_return_if_fail (PD_IS_DUPLICATES (self));

  _pd_dup_index_ensure_frozen (self);
  if (!g_hash_table_lookup_extended (self->by_org_id, &org_id, NULL, &value))
    {
      _pd_dup_base_remove (self, org_id);
      return;
    }
  local = GPOINTER_TO_UINT (value) - 1;
  g_hash_table_remove (self->by_org_id, &org_id);
  file_entry (self, g_ptr_array_index (self->entries, local), self->n_base + local, FALSE);
  g_clear_pointer (&g_ptr_array_index (self->entries, local), g_free);
  g_array_append_val (self->free_slots, local);
}

static guint32
allocate_slot (PdDuplicates *self)
{
  guint32 local;

  if (self->free_slots->len > 0)
    {
      local = g_array_index (self->free_slots, guint32, self->free_slots->len - 1);
      g_array_set_size (self->free_slots, self->free_slots->len - 1);
      return local;
    }
  g_ptr_array_add (self->entries, NULL);
  return self->entries->len - 1;
}

/* Before the first read, organizations go to the base in bulk; after it, to the overlay. Both
 * store the keys made here. */
void
pd_duplicates_add (PdDuplicates *self,
                   gint64        org_id,
                   const char   *name,
                   const char   *domain,
                   const char   *tenant_id,
                   const char   *erp_id)
{
  g_auto(OrgKeys) keys = { NULL };
  Entry *entry;
  guint32 local;

  g_return_if_fail (PD_IS_DUPLICATES (self));

  _pd_dup_org_keys_init (&keys, name, domain, erp_id);
  if (!self->frozen)
    {
      _pd_dup_base_stage (self, org_id, name, tenant_id, &keys);
      return;
    }
  pd_duplicates_remove (self, org_id);
  entry = entry_new (org_id, name, tenant_id, &keys);
  local = allocate_slot (self);
  g_ptr_array_index (self->entries, local) = entry;
  g_hash_table_insert (self->by_org_id, &entry->org_id, GUINT_TO_POINTER (local + 1));
  file_entry (self, entry, self->n_base + local, TRUE);
}
