/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates.h — finding organizations that look like the same customer.
 *
 * Names are normalised (case, accents, punctuation, legal suffixes such as Ltd, Oy, AB, AS,
 * GmbH, AG, Inc, LLC, S.A., B.V., SARL, S.p.A.) and domains too (the prefix of
 * *.onmicrosoft.com counts as a name). The index is built once from the cache and answers a
 * query for every keystroke against a million organizations. What it holds of the cache is
 * built in bulk into compact sorted arrays (some 160 bytes an organization); organizations
 * added, changed or removed afterwards cost a little more each, until the index is rebuilt.
 */
#pragma once

#include <glib-object.h>

#include "pd-organization.h"
#include "pd-store.h"

G_BEGIN_DECLS

typedef enum {
  PD_MATCH_SAME_TENANT  = 1 << 0,
  PD_MATCH_SAME_DOMAIN  = 1 << 1,
  PD_MATCH_SAME_ERP_ID  = 1 << 2,
  PD_MATCH_SIMILAR_NAME = 1 << 3,
  PD_MATCH_SAME_NAME    = 1 << 4,   /* identical once normalised; never with SIMILAR_NAME */
} PdMatchReason;

/* Scores (0..1) of each kind of evidence; several kinds combine as independent evidence,
 * 1 - Π(1 - s), so two strong reasons score above either alone:
 *   same tenant 1.0 · same domain 0.95 · same ERP ID 0.9 · same normalised name 0.9 ·
 *   *.onmicrosoft.com prefix equal to the name 0.85 · similar name 0.85 × trigram Jaccard
 *   similarity (only from 0.5 up; "Northwind Trader" / "Northwind Traders" ≈ 0.7).
 * So min_score 0.5 finds similar names; 0.85 only identical names and exact keys. */
typedef struct {
  gint64         org_id;
  char          *name;            /* display name of the matched organization */
  char          *tenant_id;       /* may be NULL (manual organization) */
  double         score;           /* 0..1, higher = more likely the same customer */
  PdMatchReason  reasons;
} PdDuplicateMatch;

void   pd_duplicate_match_free        (PdDuplicateMatch *match);
/* "same tenant, similar name" / "same domain, same name" — translated, comma separated.
 * (transfer full) */
char  *pd_match_reasons_to_string     (PdMatchReason reasons);

/* "Contoso Ltd." → "contoso"; "Müller GmbH & Co. KG" → "muller". Never NULL. (transfer full) */
char  *pd_duplicates_normalize_name   (const char *name);
/* "WWW.Contoso.com" → "contoso.com"; "contoso.onmicrosoft.com" → "contoso.onmicrosoft.com".
 * (transfer full) */
char  *pd_duplicates_normalize_domain (const char *domain);

#define PD_TYPE_DUPLICATES (pd_duplicates_get_type ())
G_DECLARE_FINAL_TYPE (PdDuplicates, pd_duplicates, PD, DUPLICATES, GObject)

/* (transfer full) */
PdDuplicates *pd_duplicates_new       (void);
/* The index of every organization of organizations (PdOrganization). (transfer full) */
PdDuplicates *pd_duplicates_new_for_organizations (GPtrArray *organizations);
/* The index of every cached organization: reads them all, so a GUI calls it in a thread with
 * a connection of its own. (transfer full) */
PdDuplicates *pd_duplicates_new_for_store (PdStore  *store,
                                           GError  **error);
/* The newest organization (ids only grow) the index was built with, by
 * pd_duplicates_new_for_store or _new_for_organizations; one added later may be missing from
 * it (PdStoreCreateGuard's since). 0 for none. */
gint64        pd_duplicates_get_built_up_to (PdDuplicates *self);
/* Adds or replaces org (by its id). */
void          pd_duplicates_add_organization (PdDuplicates   *self,
                                              PdOrganization *org);
void          pd_duplicates_remove    (PdDuplicates *self,
                                       gint64        org_id);
/* Candidates for a new or edited organization, best first, at most max_results, only with
 * score >= min_score. Any argument may be NULL. exclude_id (or 0) is skipped.
 * (transfer full) (element-type PdDuplicateMatch) */
GPtrArray    *pd_duplicates_find      (PdDuplicates *self,
                                       const char   *name,
                                       const char   *domain,
                                       const char   *tenant_id,
                                       const char   *erp_id,
                                       gint64        exclude_id,
                                       double        min_score,
                                       guint         max_results);
/* An organization about to be created (PdStoreCreateGuard's user_data for
 * pd_duplicates_check_added): what was typed, how alike a match must be, and the matches found
 * (NULL until a check; the caller frees them with g_ptr_array_unref). */
typedef struct
{
  const char *name;
  const char *domain;
  const char *erp_id;
  double      min_score;
  guint       max_matches;
  GPtrArray  *matches;      /* (element-type PdDuplicateMatch) (nullable) */
} PdDuplicatesCreate;
/* Finds create's matches in index (replacing create->matches); TRUE when there are none. */
gboolean      pd_duplicates_check_create (PdDuplicates       *index,
                                          PdDuplicatesCreate *create);
/* A PdStoreCreateGuard check: the organizations added since the caller's own check (added)
 * are checked too, in the create's transaction. FALSE with PD_STORE_ERROR_DUPLICATE when one
 * looks like the organization (user_data, a PdDuplicatesCreate: its matches then list it). */
gboolean      pd_duplicates_check_added  (GPtrArray  *added,
                                          gpointer    user_data,
                                          GError    **error);
/* The min_score at which pd_duplicates_find_groups joins the organizations that share a
 * normalised name or domain (and a tenant or ERP ID, which the cache keeps unique): the
 * organizations it groups are the ones the store flags for the list's "Possible duplicates"
 * filter (pd-store-index.c), so that `partner-desk-cli duplicates` and the filter agree. */
#define PD_DUPLICATES_GROUP_MIN_SCORE 0.9

/* Groups of 2+ organizations already in the index that look like one customer: a GPtrArray
 * of GArray(gint64 org ids). Used by `partner-desk-cli duplicates` (at
 * PD_DUPLICATES_GROUP_MIN_SCORE); the list's filter reads the store's flag instead, which
 * needs no index. (transfer full) */
GPtrArray    *pd_duplicates_find_groups (PdDuplicates *self,
                                         double        min_score);

G_END_DECLS
