/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-private.h — what the files of the duplicate index (src/core/pd-duplicates*.c)
 * share: the object's struct, the storage's types, and the helpers one file defines for
 * another; and what tests and benchmarks reach. Not part of the public contract; included by
 * src/core/pd-duplicates*.c and tests only.
 *
 * pd-duplicates-keys.c   normalised keys and trigrams (pure functions)
 * pd-duplicates-index.c  storage as queries see it: base and overlay in one slot space; the
 *                        overlay (add, remove, look up)
 * pd-duplicates-base.c   the frozen base: staged in bulk, then sorted arrays and postings
 * pd-duplicates.c        the object, queries and scoring, groups
 */
#pragma once

#include "pd-duplicates.h"

G_BEGIN_DECLS

/* Long texts (notes pasted as a name) are indexed by their start only. */
#define MAX_TRIGRAMS        256

/* The exact keys of an organization, and the index's sorted arrays / overlay maps by each. */
typedef enum {
  KEY_TENANT,
  KEY_DOMAIN,
  KEY_ERP,
  KEY_NAME,
  KEY_COMPACT,    /* normalised name without spaces */
  KEY_PREFIX,     /* onmicrosoft prefix */
  N_KEYS
} KeyKind;

/* One organization added after the base was built (the overlay), in a single allocation
 * (struct, trigrams, then its strings). Immutable; a change is a remove and an add. */
typedef struct {
  gint64       org_id;
  const char  *name;          /* display name */
  const char  *tenant_id;     /* as given, for the match */
  const char  *domain_key;
  const char  *erp_key;
  const char  *name_key;      /* normalised; NULL when nothing is left */
  const char  *keys[N_KEYS];  /* by KeyKind; NULL for none */
  guint        n_trigrams;
  guint32      trigrams[];    /* sorted */
} Entry;

/* One organization of the base, built in bulk: its strings (name, tenant id, domain key, ERP
 * key, name key) follow each other in the base's pool, each NUL-terminated. */
typedef struct {
  gint64   org_id;
  guint32  strings;     /* offset in pool */
  guint16  n_trigrams;
  guint8   present;     /* bit i: string i is not NULL */
} BaseEntry;

/* What find and groups read of any organization, base or overlay. The strings point into
 * the index and stay valid until it changes; tenant_id may point into the view itself. */
typedef struct {
  gint64         org_id;
  const char    *name;
  const char    *tenant_id;
  const char    *domain_key;
  const char    *erp_key;
  const char    *name_key;
  guint          n_trigrams;
  char           tenant_text[37];   /* a GUID the base keeps as 16 bytes, as text */
} EntryView;

struct _PdDuplicates
{
  GObject     parent_instance;

  /* The base: every organization added before the first read (pd_duplicates_new_for_store
   * and _new_for_organizations add them all first), frozen then into sorted arrays.
   * Slots 0 .. n_base-1. */
  gboolean    frozen;
  GArray     *base;         /* BaseEntry; by org_id once frozen */
  GByteArray *pool;         /* the base entries' strings */
  guint8     *dead;         /* bitmap: base slots removed or replaced since */
  guint       n_dead;
  guint       n_base;
  guint64    *keys[N_KEYS]; /* sorted (hash << 32 | slot) of every base slot with that key */
  guint       n_keys[N_KEYS];
  guint       keys_built;   /* bit per KeyKind */
  /* Trigram postings (CSR): the base slots holding trigram_ids[i] are ascending, as varint
   * deltas, in postings[trigram_starts[i] .. trigram_starts[i + 1]] (about 1 byte a slot
   * where 4 would be a guint32's). */
  guint32    *trigram_ids;    /* sorted distinct trigrams of the base */
  guint32    *trigram_counts; /* slots per trigram */
  gsize      *trigram_starts; /* n_trigram_ids + 1 */
  guint8     *postings;
  guint       n_trigram_ids;

  /* The overlay: organizations added or replaced after the base was frozen.
   * Slots n_base + i for entries[i]. */
  GPtrArray  *entries;      /* i → Entry, NULL for a free slot */
  GArray     *free_slots;   /* guint32, local */
  GHashTable *by_org_id;    /* &entry->org_id → local slot + 1 */
  /* Multimaps: key (borrowed from an entry holding it) → slots, see SlotList. */
  GHashTable *by_key[N_KEYS];
  GHashTable *by_trigram;   /* key: GUINT_TO_POINTER (trigram) */

  guint16    *counts;       /* per-slot scratch for queries, all zero between queries */
  guint       counts_size;
};

typedef struct {
  const guint32 *data;
  guint          len;
  guint32        single;
} SlotList;

/* Reads one trigram's base postings. */
typedef struct {
  const guint8 *p;
  const guint8 *end;
  guint32       slot;     /* the last slot read; 0 before the first */
} Postings;

/* LEB128: 7 bits a byte, the high bit set on all but the last. */
static inline gboolean
_pd_dup_postings_next (Postings *postings,
                       guint32  *slot)
{
  guint32 delta = 0;
  guint shift = 0;

  if (postings->p >= postings->end)
    return FALSE;
  do
    {
      delta |= (guint32) (*postings->p & 0x7f) << shift;
      shift += 7;
    }
  while (*postings->p++ & 0x80);
  *slot = postings->slot += delta;
  return TRUE;
}

/* Adds or replaces (by org id) one organization in the index. */
void          pd_duplicates_add       (PdDuplicates *self,
                                       gint64        org_id,
                                       const char   *name,
                                       const char   *domain,
                                       const char   *tenant_id,
                                       const char   *erp_id);
guint         pd_duplicates_get_size  (PdDuplicates *self);

/* The keys an organization is stored with, whether in the base or the overlay: the normalised
 * domain and name (NULL when nothing is left) and the ERP key. */
typedef struct {
  char *domain_key;
  char *name_key;
  char *erp_key;
} OrgKeys;

/* pd-duplicates-keys.c */
void      _pd_dup_org_keys_init      (OrgKeys    *keys,
                                      const char *name,
                                      const char *domain,
                                      const char *erp_id);
void      _pd_dup_org_keys_clear     (OrgKeys    *keys);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrgKeys, _pd_dup_org_keys_clear)
int       _pd_dup_compare_guint32    (const void *a,
                                      const void *b);
char     *_pd_dup_onmicrosoft_prefix (const char *normalized_domain);
char     *_pd_dup_compact_name       (const char *normalized_name);
char     *_pd_dup_key_or_null        (const char *text);
char     *_pd_dup_null_if_empty      (char       *text);
guint32  *_pd_dup_make_trigrams      (const char *normalized_name,
                                      guint      *out_n);
guint     _pd_dup_count_common       (const guint32 *a,
                                      guint          n_a,
                                      const guint32 *b,
                                      guint          n_b,
                                      guint          needed);
double    _pd_dup_jaccard            (guint common,
                                      guint n_a,
                                      guint n_b);

/* pd-duplicates-base.c: the frozen base */
void      _pd_dup_base_init          (PdDuplicates *self);
void      _pd_dup_base_clear         (PdDuplicates *self);
void      _pd_dup_base_stage         (PdDuplicates  *self,
                                      gint64         org_id,
                                      const char    *name,
                                      const char    *tenant_id,
                                      const OrgKeys *keys);
void      _pd_dup_base_freeze        (PdDuplicates *self);
gboolean  _pd_dup_base_get           (PdDuplicates *self,
                                      guint32       slot,
                                      EntryView    *out);
gboolean  _pd_dup_base_remove        (PdDuplicates *self,
                                      gint64        org_id);
void      _pd_dup_base_lookup        (PdDuplicates *self,
                                      KeyKind       kind,
                                      const char   *key,
                                      GArray       *out);
/* Returns how many base slots hold trigram (removed ones included). */
guint     _pd_dup_base_postings      (PdDuplicates *self,
                                      guint32       trigram,
                                      Postings     *out);
void      _pd_dup_base_join_keys     (PdDuplicates *self,
                                      KeyKind       kind,
                                      void        (*join) (guint32, guint32, gpointer),
                                      gpointer      data);
void      _pd_dup_base_distinct_names (PdDuplicates *self,
                                       GArray       *out);
guint32   _pd_dup_key_hash           (const char *key);
/* Tests: only the hash's bits in mask are kept, so that 0 makes every key collide. */
void      _pd_dup_set_hash_mask      (guint32 mask);

static inline gboolean
_pd_dup_base_is_dead (PdDuplicates *self,
                      guint32       slot)
{
  return (self->dead[slot >> 3] >> (slot & 7)) & 1;
}

/* pd-duplicates-index.c: base and overlay together */
void      _pd_dup_index_init         (PdDuplicates *self);
void      _pd_dup_index_clear        (PdDuplicates *self);
void      _pd_dup_index_ensure_frozen (PdDuplicates *self);
guint32   _pd_dup_index_n_slots      (PdDuplicates *self);
/* FALSE for a free or removed slot. */
gboolean  _pd_dup_index_get          (PdDuplicates *self,
                                      guint32       slot,
                                      EntryView    *out);
/* The sorted trigrams of a slot's name: the overlay's own, or made again for the base.
 * (transfer full) */
guint32  *_pd_dup_index_trigrams     (PdDuplicates *self,
                                      guint32       slot,
                                      guint        *out_n);
/* The key of kind of an entry (NULL: none); *to_free holds what the caller frees. */
const char *_pd_dup_entry_key        (const EntryView *entry,
                                      KeyKind          kind,
                                      char           **to_free);
/* Appends the live slots whose key of kind equals key. */
void      _pd_dup_index_lookup       (PdDuplicates *self,
                                      KeyKind       kind,
                                      const char   *key,
                                      GArray       *out);
/* Postings of a trigram: base (removed slots included: _pd_dup_index_get tells) and
 * overlay. Returns how many base slots there are. */
guint     _pd_dup_index_postings     (PdDuplicates *self,
                                      guint32       trigram,
                                      Postings     *base,
                                      SlotList     *overlay);
/* The trigram count of a slot's name, removed or not. */
guint     _pd_dup_index_n_trigrams   (PdDuplicates *self,
                                      guint32       slot);
/* Calls join for pairs of slots sharing a key of kind, enough to connect every such set. */
void      _pd_dup_index_join_keys    (PdDuplicates *self,
                                      KeyKind       kind,
                                      void        (*join) (guint32, guint32, gpointer),
                                      gpointer      data);
/* One live slot per distinct name key (the overlay's may repeat a base name). */
void      _pd_dup_index_distinct_names (PdDuplicates *self,
                                        GArray       *out);

G_END_DECLS
