/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-types.h — small enums shared by the core types, the store and the front ends. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  PD_ORG_SOURCE_PARTNER_CENTER,
  PD_ORG_SOURCE_MANUAL,
} PdOrgSource;

typedef enum {
  PD_ORG_STATUS_NEW,
  PD_ORG_STATUS_ACTIVE,
  PD_ORG_STATUS_BLOCKED,
} PdOrgStatus;

/* The list filters of design.md §4 / the app's filter sidebar. */
typedef enum {
  PD_FILTER_ALL,
  PD_FILTER_INCOMPLETE,
  PD_FILTER_UNREADABLE,    /* Partner Center refused or failed the bill-to: never read */
  PD_FILTER_LOCAL_EDITS,
  PD_FILTER_DUPLICATES,
  PD_FILTER_MANUAL,
  PD_FILTER_REMOVED,
  PD_FILTER_UNDER_REVIEW,  /* Microsoft's account verification: the account is Under review */
  PD_FILTER_NEW,           /* status New: a customer waiting for the partner's approval */
  PD_N_FILTERS
} PdFilter;

/* Microsoft's account verification of a customer, as Partner Center last answered it
 * (GET /v1/customers/{id}/validationStatus?type=account). Changing a verified customer's
 * company name or address can put it Under review, which blocks new purchases. */
typedef enum {
  PD_ACCOUNT_STATUS_UNKNOWN,       /* never checked, or a status this build does not know */
  PD_ACCOUNT_STATUS_ALLOWED,
  PD_ACCOUNT_STATUS_UNDER_REVIEW,
  PD_ACCOUNT_STATUS_NOT_ALLOWED,
} PdAccountStatus;

/* What the cache knows of an organization's bill-to (design.md §3): complete or incomplete as
 * Microsoft checks it, not readable (listed by Partner Center, but reading its billing profile
 * failed: refused, not found, an error), or not read yet (listed, and no read was tried: a
 * first sync that has not reached it, or was stopped before). Only "not readable" says that
 * Partner Center answered something. */
typedef enum {
  PD_BILL_TO_STATE_COMPLETE,
  PD_BILL_TO_STATE_INCOMPLETE,
  PD_BILL_TO_STATE_UNREADABLE,
  PD_BILL_TO_STATE_NOT_READ,
} PdBillToState;

/* Who made a change recorded in the history. */
typedef enum {
  PD_CHANGE_BY_USER,
  PD_CHANGE_BY_SYNC,
  PD_CHANGE_BY_PUSH,   /* the user sent it to Partner Center, which took it */
  PD_CHANGE_BY_REVERT, /* the user reverted a local bill-to edit to Partner Center's value */
} PdChangeBy;

#define PD_TYPE_ORG_SOURCE (pd_org_source_get_type ())
#define PD_TYPE_ORG_STATUS (pd_org_status_get_type ())
GType        pd_org_source_get_type   (void) G_GNUC_CONST;
GType        pd_org_status_get_type   (void) G_GNUC_CONST;

/* Stable machine names: "partner-center"/"manual", "new"/"active"/"blocked",
 * "all"/"incomplete"/"unreadable"/"local-edits"/"duplicates"/"manual"/"removed",
 * "under-review"/"new" (filters),
 * "complete"/"incomplete"/"unreadable" (bill-to states). (transfer none) */
const char  *pd_org_source_to_string  (PdOrgSource source);
/* (transfer none) */
const char  *pd_org_status_to_string  (PdOrgStatus status);
gboolean     pd_org_status_from_string (const char *text, PdOrgStatus *out_status);
/* (transfer none) */
const char  *pd_filter_to_string      (PdFilter filter);
/* (transfer none) */
const char  *pd_bill_to_state_to_string (PdBillToState state);
/* Whether the bill-to is kept from an earlier read because the latest read failed (read_error
 * says why): its values and state (complete or incomplete) are what Partner Center said then,
 * not what it says now. The one rule by which the app ("Last read …; the latest read
 * failed") and the CLI (show, list, billToStale) say so; FALSE for one never read (its state
 * says that itself). */
gboolean     pd_bill_to_state_is_stale (PdBillToState  state,
                                        const char    *read_error);
gboolean     pd_filter_from_string    (const char *text, PdFilter *out_filter);
/* Translated labels for the UI ("Bill-to incomplete"). (transfer none) */
const char  *pd_org_status_label      (PdOrgStatus status);
/* (transfer none) */
const char  *pd_filter_label          (PdFilter filter);
/* "unknown"/"allowed"/"under-review"/"not-allowed". (transfer none) */
const char  *pd_account_status_to_string (PdAccountStatus status);
/* What the status means for orders, in words (translated). (transfer none) */
const char  *pd_account_status_describe  (PdAccountStatus status);

G_END_DECLS
