/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-index.c — the storage of the duplicate index: entries by slot, and the
 * multimaps from each key and trigram to the slots holding it (add, remove, look up).
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
#define NO_KEY_OFFSET        (-1)

/* Fills a list view of a multimap value; the view must stay where it is (data may point into
 * it). */
void
_pd_dup_slot_list_init (SlotList *list,
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
      list->data = (const guint32 *) ((GArray *) value)->data;
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

static const char *
entry_string (PdDuplicates *self,
              guint32       slot,
              goffset       offset)
{
  return G_STRUCT_MEMBER (const char *, g_ptr_array_index (self->entries, slot), offset);
}

/* Removes one slot. The stored key may be the removed entry's own string, which is about to
 * be freed: then the key is replaced by the same string of a remaining entry (key_offset). */
static void
multimap_remove (PdDuplicates  *self,
                 GHashTable    *map,
                 gconstpointer  key,
                 guint32        slot,
                 goffset        key_offset)
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
  if (key_offset != NO_KEY_OFFSET && stored_key == key)
    stored_key = (gpointer) entry_string (self, g_array_index (slots, guint32, 0), key_offset);
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

void
_pd_dup_multimap_lookup (GHashTable    *map,
                         gconstpointer  key,
                         SlotList      *out)
{
  _pd_dup_slot_list_init (out, key != NULL ? g_hash_table_lookup (map, key) : NULL);
}

void
_pd_dup_index_init (PdDuplicates *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_free);
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->by_org_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->by_tenant = multimap_new (g_str_hash, g_str_equal);
  self->by_domain = multimap_new (g_str_hash, g_str_equal);
  self->by_erp = multimap_new (g_str_hash, g_str_equal);
  self->by_name = multimap_new (g_str_hash, g_str_equal);
  self->by_compact = multimap_new (g_str_hash, g_str_equal);
  self->by_prefix = multimap_new (g_str_hash, g_str_equal);
  self->by_trigram = multimap_new (g_direct_hash, g_direct_equal);
}

void
_pd_dup_index_clear (PdDuplicates *self)
{
  /* Maps first: their keys are borrowed from the entries. */
  g_hash_table_unref (self->by_org_id);
  g_hash_table_unref (self->by_tenant);
  g_hash_table_unref (self->by_domain);
  g_hash_table_unref (self->by_erp);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_compact);
  g_hash_table_unref (self->by_prefix);
  g_hash_table_unref (self->by_trigram);
  g_ptr_array_unref (self->entries);
  g_array_unref (self->free_slots);
  g_free (self->counts);
}

/* Copies the strings to `out` (after the entry's trigrams); an equal earlier string is shared
 * (a tenant key usually equals the tenant id). */
static void
entry_pack_strings (char       *out,
                    char      **strings,
                    const char *targets[N_ENTRY_STRINGS])
{
  for (guint i = 0; i < N_ENTRY_STRINGS; i++)
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

static Entry *
entry_new (gint64      org_id,
           const char *name,
           const char *domain,
           const char *tenant_id,
           const char *erp_id)
{
  g_autofree char *domain_key = _pd_dup_null_if_empty (pd_duplicates_normalize_domain (domain));
  g_autofree char *name_key = _pd_dup_null_if_empty (pd_duplicates_normalize_name (name));
  g_autofree char *tenant_key = _pd_dup_key_or_null (tenant_id);
  g_autofree char *erp_key = _pd_dup_key_or_null (erp_id);
  g_autofree char *compact_key = name_key != NULL ? _pd_dup_compact_name (name_key) : NULL;
  g_autofree char *prefix_key = domain_key != NULL ? _pd_dup_onmicrosoft_prefix (domain_key) : NULL;
  g_autofree guint32 *trigrams = NULL;
  char *strings[N_ENTRY_STRINGS] = {
    (char *) name, (char *) tenant_id, tenant_key, domain_key, erp_key, name_key, compact_key,
    prefix_key,
  };
  const char *packed[N_ENTRY_STRINGS];
  gsize size = 0;
  guint n_trigrams = 0;
  Entry *entry;

  if (name_key != NULL)
    trigrams = _pd_dup_make_trigrams (name_key, &n_trigrams);
  for (guint i = 0; i < N_ENTRY_STRINGS; i++)
    size += strings[i] != NULL ? strlen (strings[i]) + 1 : 0;
  entry = g_malloc0 (sizeof (Entry) + n_trigrams * sizeof (guint32) + size);
  entry->org_id = org_id;
  entry->n_trigrams = n_trigrams;
  if (n_trigrams > 0)
    memcpy (entry->trigrams, trigrams, n_trigrams * sizeof (guint32));
  entry_pack_strings ((char *) &entry->trigrams[n_trigrams], strings, packed);
  entry->name = packed[0];
  entry->tenant_id = packed[1];
  entry->tenant_key = packed[2];
  entry->domain_key = packed[3];
  entry->erp_key = packed[4];
  entry->name_key = packed[5];
  entry->compact_key = packed[6];
  entry->prefix_key = packed[7];
  return entry;
}

/* The string-keyed multimaps and the Entry member holding each key. */
typedef struct {
  GHashTable *map;
  goffset     offset;
} KeyedMap;

static guint
keyed_maps (PdDuplicates *self,
            KeyedMap      maps[6])
{
  maps[0] = (KeyedMap) { self->by_tenant, G_STRUCT_OFFSET (Entry, tenant_key) };
  maps[1] = (KeyedMap) { self->by_domain, G_STRUCT_OFFSET (Entry, domain_key) };
  maps[2] = (KeyedMap) { self->by_erp, G_STRUCT_OFFSET (Entry, erp_key) };
  maps[3] = (KeyedMap) { self->by_name, G_STRUCT_OFFSET (Entry, name_key) };
  maps[4] = (KeyedMap) { self->by_compact, G_STRUCT_OFFSET (Entry, compact_key) };
  maps[5] = (KeyedMap) { self->by_prefix, G_STRUCT_OFFSET (Entry, prefix_key) };
  return 6;
}

/* Files slot under every key and trigram of entry (add), or takes it out of them. */
static void
file_entry (PdDuplicates *self,
            Entry        *entry,
            guint32       slot,
            gboolean      add)
{
  KeyedMap maps[7];
  guint n_maps = keyed_maps (self, maps);

  maps[n_maps++] = (KeyedMap) { self->by_trigram, NO_KEY_OFFSET };
  for (guint i = 0; i < n_maps; i++)
    {
      gboolean trigrams = maps[i].offset == NO_KEY_OFFSET;
      guint n_keys = trigrams ? entry->n_trigrams : 1;

      for (guint k = 0; k < n_keys; k++)
        {
          gconstpointer key = trigrams ? GUINT_TO_POINTER (entry->trigrams[k])
                                       : G_STRUCT_MEMBER (const char *, entry, maps[i].offset);

          if (key == NULL)
            continue;
          if (add)
            multimap_add (maps[i].map, key, slot);
          else
            multimap_remove (self, maps[i].map, key, slot, maps[i].offset);
        }
    }
}

void
pd_duplicates_remove (PdDuplicates *self,
                      gint64        org_id)
{
  gpointer value;
  guint32 slot;

  g_return_if_fail (PD_IS_DUPLICATES (self));

  if (!g_hash_table_lookup_extended (self->by_org_id, &org_id, NULL, &value))
    return;
  slot = GPOINTER_TO_UINT (value) - 1;
  g_hash_table_remove (self->by_org_id, &org_id);
  file_entry (self, g_ptr_array_index (self->entries, slot), slot, FALSE);
  g_clear_pointer (&g_ptr_array_index (self->entries, slot), g_free);
  g_array_append_val (self->free_slots, slot);
}

static guint32
allocate_slot (PdDuplicates *self)
{
  guint32 slot;

  if (self->free_slots->len > 0)
    {
      slot = g_array_index (self->free_slots, guint32, self->free_slots->len - 1);
      g_array_set_size (self->free_slots, self->free_slots->len - 1);
      return slot;
    }
  g_ptr_array_add (self->entries, NULL);
  return self->entries->len - 1;
}

void
pd_duplicates_add (PdDuplicates *self,
                   gint64        org_id,
                   const char   *name,
                   const char   *domain,
                   const char   *tenant_id,
                   const char   *erp_id)
{
  Entry *entry;
  guint32 slot;

  g_return_if_fail (PD_IS_DUPLICATES (self));

  pd_duplicates_remove (self, org_id);
  entry = entry_new (org_id, name, domain, tenant_id, erp_id);
  slot = allocate_slot (self);
  g_ptr_array_index (self->entries, slot) = entry;
  g_hash_table_insert (self->by_org_id, &entry->org_id, GUINT_TO_POINTER (slot + 1));
  file_entry (self, entry, slot, TRUE);
}
