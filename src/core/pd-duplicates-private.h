/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-private.h — what the files of the duplicate index (src/core/pd-duplicates*.c)
 * share: the object's struct, the storage's types, and the helpers one file defines for
 * another; and what tests and benchmarks reach. Not part of the public contract; included by
 * src/core/pd-duplicates*.c and tests only.
 *
 * pd-duplicates-keys.c   normalised keys and trigrams (pure functions)
 * pd-duplicates-index.c  storage: slots by key and trigram (add, remove, look up)
 * pd-duplicates.c        the object, queries and scoring, groups
 */
#pragma once

#include "pd-duplicates.h"

G_BEGIN_DECLS

/* Long texts (notes pasted as a name) are indexed by their start only. */
#define MAX_TRIGRAMS        256

/* One indexed organization, in a single allocation (struct, trigrams, then its strings): the
 * index holds 100,000 of these. Immutable; a change is a remove and an add. */
typedef struct {
  gint64       org_id;
  const char  *name;          /* display name */
  const char  *tenant_id;     /* as given, for the match */
  const char  *tenant_key;
  const char  *domain_key;
  const char  *erp_key;
  const char  *name_key;      /* normalised; NULL when nothing is left */
  const char  *compact_key;   /* name_key without spaces */
  const char  *prefix_key;    /* onmicrosoft prefix */
  guint        n_trigrams;
  guint32      trigrams[];    /* sorted; inline, as the groups join reads them for many pairs */
} Entry;

#define N_ENTRY_STRINGS 8

struct _PdDuplicates
{
  GObject     parent_instance;

  GPtrArray  *entries;      /* slot → Entry, NULL for a free slot */
  GArray     *free_slots;   /* guint32 */
  GHashTable *by_org_id;    /* &entry->org_id → slot + 1 */
  /* Multimaps: key (borrowed from an entry holding it) → slots, see SlotList. */
  GHashTable *by_tenant;
  GHashTable *by_domain;
  GHashTable *by_erp;
  GHashTable *by_name;
  GHashTable *by_compact;
  GHashTable *by_prefix;
  GHashTable *by_trigram;   /* key: GUINT_TO_POINTER (trigram) */
  guint16    *counts;       /* per-slot scratch for queries, all zero between queries */
  guint       counts_size;
};

typedef struct {
  const guint32 *data;
  guint          len;
  guint32        single;
} SlotList;

/* Adds or replaces (by org id) one organization in the index. */
void          pd_duplicates_add       (PdDuplicates *self,
                                       gint64        org_id,
                                       const char   *name,
                                       const char   *domain,
                                       const char   *tenant_id,
                                       const char   *erp_id);
guint         pd_duplicates_get_size  (PdDuplicates *self);

/* pd-duplicates-keys.c */
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

/* pd-duplicates-index.c */
void      _pd_dup_index_init         (PdDuplicates *self);
void      _pd_dup_index_clear        (PdDuplicates *self);
void      _pd_dup_slot_list_init     (SlotList     *list,
                                      gpointer      value);
void      _pd_dup_multimap_lookup    (GHashTable   *map,
                                      gconstpointer key,
                                      SlotList     *out);

G_END_DECLS
