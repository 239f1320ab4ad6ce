/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-row-data.h — the rows of the organization list, packed: what the list
 * shows, sorts by and searches of each organization as one fixed-size record, its strings in
 * one arena per table (PdRowTable), so that a million rows cost bytes per row rather than
 * objects per row. Keys (a normalised search haystack, the name's collation key) are computed
 * once, off the main thread.
 *
 * A row is plain data owned by its table: no reference counting. The editor and the "why it
 * matched" tooltip read the full organization from the store by id.
 */
#pragma once

#include <glib.h>

#include "core/pd-organization.h"
#include "core/pd-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64      id;
  /* Strings in the table's arena; name is never NULL, the others may be. */
  const char *name;
  const char *domain;
  const char *erp_id;
  const char *country;     /* the effective bill-to country (or the stored one) */
  const char *currency;
  const char *account_manager;
  const char *reseller_id;
  const char *reseller_name;
  const char *segments;    /* joined with ", " */
  const char *read_error;  /* why the latest bill-to read failed */
  /* " word word word": every word of the searchable fields, normalised, each preceded by one
   * space so that "prefix of a word" is a plain substring search for " prefix". The
   * haystacks of a table lie side by side in its order, for a cache-friendly scan. */
  const char *haystack;
  gint64      last_synced; /* Unix seconds, when has_last_synced */
  gint64      read_at;     /* Unix seconds, when has_read_at */
  guint32     missing;     /* bit per missing field (PdBillToField, see pd-country-rules.h) */
  guint32     local;       /* bit per PdBillToField edited locally */
  /* The place in the list's default order (the name in the locale's collation, then the id)
   * as a number: sorting compares ranks, not collation keys, and keeps none in memory. Ranks
   * leave gaps so that one changed organization gets a rank between two others. */
  guint32     rank;
  guint16     filters;     /* bit per PdFilter the row belongs to */
  guint8      status;      /* PdOrgStatus */
  guint8      bill_to_state; /* PdBillToState */
  guint8      removed : 1;
  guint8      manual : 1;
  guint8      has_last_synced : 1;
  guint8      has_read_at : 1;
  guint8      dead : 1;    /* replaced or deleted since the load (see the model) */
} PdOrganizationRowData;

typedef struct _PdRowTable PdRowTable;

/* (transfer full) */
PdRowTable *pd_row_table_new      (void);
void        pd_row_table_free     (PdRowTable     *table);
/* Room for n_rows rows, before the first is added: a table that grows to a million rows
 * would copy them as it grows. */
void        pd_row_table_reserve  (PdRowTable     *table,
                                   guint           n_rows);
/* Packs a row of pd_store_list_rows (copied) as a new row: its index. Safe in any thread
 * that owns the table. */
guint       pd_row_table_add      (PdRowTable           *table,
                                   const PdStoreListRow *row);
/* The same for an organization read whole (one changed organization). */
guint       pd_row_table_add_organization (PdRowTable     *table,
                                           PdOrganization *org);
/* Puts the rows in the list's default order (by name in the locale's collation, then id),
 * ranks them (spread over the guint32 range), and lays their haystacks side by side in that
 * order; then rows are not added any more. */
void        pd_row_table_finish   (PdRowTable     *table);
/* pd_row_table_finish, sorting from the order of ids (ids of no row and repeats are
 * skipped, rows not among them sorted in): the same rows in the same order, in a pass when
 * ids are nearly in that order already (pd_store_list_ids_by_name) and the rows were added
 * by id; as pd_row_table_finish otherwise. */
void        pd_row_table_finish_near (PdRowTable   *table,
                                      const gint64 *ids,
                                      guint         n_ids);
guint       pd_row_table_get_n_rows (PdRowTable   *table);
/* (transfer none) */
PdOrganizationRowData *pd_row_table_get_row (PdRowTable *table,
                                             guint       index);
/* The row of id (a binary search: after pd_row_table_finish), or NULL. (transfer none)
 * (nullable) */
PdOrganizationRowData *pd_row_table_find    (PdRowTable *table,
                                             gint64      id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRowTable, pd_row_table_free)

gint64          pd_organization_row_data_get_id              (PdOrganizationRowData *self);
/* (transfer none) */
const char     *pd_organization_row_data_get_name            (PdOrganizationRowData *self);
/* Two rows (not pointers to them) by rank, then id: the list's default order. */
int             pd_organization_row_data_compare             (gconstpointer          a,
                                                              gconstpointer          b);
/* Two rows by name in the locale's collation, then id: the order ranks follow (to place a
 * row that has no rank yet). */
int             pd_organization_row_data_compare_names       (gconstpointer          a,
                                                              gconstpointer          b);
gboolean        pd_organization_row_data_in_filter           (PdOrganizationRowData *self,
                                                              PdFilter               filter);
/* Bit (1 << filter) set for every PdFilter the row belongs to. */
guint           pd_organization_row_data_get_filter_mask     (PdOrganizationRowData *self);
/* TRUE when every query word is a prefix of a word of the name, domain, ERP ID, e-mail, city
 * or notes: the semantics of the store's FTS5 prefix search. words from
 * pd_organization_row_data_split_query; NULL or empty matches everything. */
gboolean        pd_organization_row_data_matches_words       (PdOrganizationRowData *self,
                                                              const char * const    *words);
/* Why org matches words when the name alone does not: "E-mail: billing@northwind.com"
 * (fields joined with "; ", values cut to a line); NULL when every word is in the name or
 * words is NULL. (transfer full) */
char           *pd_organization_row_data_dup_match_reason    (PdOrganization        *org,
                                                              const char * const    *words);
/* The bill-to column's tooltip and icon label: its state (complete, incomplete with what it
 * lacks, not readable with the reason) and a failed latest read. (transfer full) */
char           *pd_organization_row_data_dup_bill_to_text    (PdOrganizationRowData *self);
/* The Local column's tooltip and icon label: which bill-to fields were edited locally; NULL
 * when none. (transfer full) (nullable) */
char           *pd_organization_row_data_dup_local_text      (PdOrganizationRowData *self);
/* What a screen reader says of the row: "Contoso Ltd, bill-to incomplete". (transfer full) */
char           *pd_organization_row_data_dup_accessible_name (PdOrganizationRowData *self);
/* Query text → normalised words (g_strfreev); NULL when the text is blank (no search, see
 * pd_store_search_is_blank), and a word no row has when it is not blank but has no word.
 * (transfer full) (nullable) */
char          **pd_organization_row_data_split_query         (const char *text);

G_END_DECLS
