/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization.h — one customer organization as Partner Desk sees it.
 *
 * A GObject with notifying properties so that list rows and the editor can bind to it.
 * It carries three views of the bill-to:
 *   - bill-to-partner-center: the last value synced from Partner Center (with its etag),
 *   - the local override: only the fields the user edited (sparse; NULL when none),
 *   - bill-to: the effective value (override field if set, Partner Center value otherwise).
 * It is a value object: the store fills it and persists it; it never talks to the store.
 */
#pragma once

#include <glib-object.h>

#include "pd-bill-to.h"
#include "pd-types.h"

G_BEGIN_DECLS

#define PD_TYPE_ORGANIZATION (pd_organization_get_type ())
G_DECLARE_FINAL_TYPE (PdOrganization, pd_organization, PD, ORGANIZATION, GObject)

/* (transfer full) */
PdOrganization *pd_organization_new                 (void);
/* A deep copy (the store hands out copies the UI may edit freely). (transfer full) */
PdOrganization *pd_organization_copy                (PdOrganization *self);

gint64       pd_organization_get_id                 (PdOrganization *self);
void         pd_organization_set_id                 (PdOrganization *self, gint64 id);
/* (transfer none) */
const char  *pd_organization_get_tenant_id          (PdOrganization *self);
void         pd_organization_set_tenant_id          (PdOrganization *self, const char *tenant_id);
PdOrgSource  pd_organization_get_source             (PdOrganization *self);
void         pd_organization_set_source             (PdOrganization *self, PdOrgSource source);
/* (transfer none) */
const char  *pd_organization_get_name               (PdOrganization *self);
void         pd_organization_set_name               (PdOrganization *self, const char *name);
/* (transfer none) */
const char  *pd_organization_get_domain             (PdOrganization *self);
void         pd_organization_set_domain             (PdOrganization *self, const char *domain);
/* ISO 3166-1 alpha-2 of the effective bill-to address (falls back to the stored country).
 * (transfer none) */
const char  *pd_organization_get_country            (PdOrganization *self);
void         pd_organization_set_country            (PdOrganization *self, const char *country);
/* (transfer none) */
const char  *pd_organization_get_relationship       (PdOrganization *self);
void         pd_organization_set_relationship       (PdOrganization *self, const char *relationship);
gboolean     pd_organization_get_delegated_access   (PdOrganization *self);
void         pd_organization_set_delegated_access   (PdOrganization *self, gboolean delegated);

/* Local (Partner Desk owned) fields. (transfer none) */
const char  *pd_organization_get_erp_id             (PdOrganization *self);
void         pd_organization_set_erp_id             (PdOrganization *self, const char *erp_id);
/* (transfer none) */
const char  *pd_organization_get_registration_number (PdOrganization *self);
void         pd_organization_set_registration_number (PdOrganization *self, const char *number);
/* (transfer none) */
const char * const *pd_organization_get_segments    (PdOrganization *self);
void         pd_organization_set_segments           (PdOrganization *self, const char * const *segments);
/* (transfer none) */
const char  *pd_organization_get_currency           (PdOrganization *self);
void         pd_organization_set_currency           (PdOrganization *self, const char *currency);
/* The date a currency change takes effect (1st of the month after the change), or NULL.
 * (transfer none) (nullable) */
GDateTime   *pd_organization_get_currency_effective (PdOrganization *self);
void         pd_organization_set_currency_effective (PdOrganization *self, GDateTime *when);
PdOrgStatus  pd_organization_get_status             (PdOrganization *self);
void         pd_organization_set_status             (PdOrganization *self, PdOrgStatus status);
/* (transfer none) */
const char * const *pd_organization_get_login_options (PdOrganization *self);
void         pd_organization_set_login_options      (PdOrganization *self, const char * const *options);
/* (transfer none) */
const char  *pd_organization_get_account_manager    (PdOrganization *self);
void         pd_organization_set_account_manager    (PdOrganization *self, const char *manager);
/* (transfer none) */
const char  *pd_organization_get_notes              (PdOrganization *self);
void         pd_organization_set_notes              (PdOrganization *self, const char *notes);

/* Indirect providers: the reseller this customer belongs to (tenant id and name), or NULL.
 * (transfer none) (nullable) */
const char  *pd_organization_get_reseller_id        (PdOrganization *self);
/* (transfer none) (nullable) */
const char  *pd_organization_get_reseller_name      (PdOrganization *self);
void         pd_organization_set_reseller           (PdOrganization *self,
                                                     const char     *reseller_id,
                                                     const char     *reseller_name);
/* How a reseller is shown: its name, else its tenant id (Partner Center may list a reseller
 * without a name; it is still a reseller, not none); NULL for none. (transfer none)
 * (nullable) */
const char  *pd_reseller_label                      (const char     *reseller_id,
                                                     const char     *reseller_name);

/* The bill-to as Partner Center has it; never NULL. (transfer none) */
const PdBillTo *pd_organization_get_bill_to_partner_center (PdOrganization *self);
void         pd_organization_set_bill_to_partner_center (PdOrganization *self,
                                                         const PdBillTo *bill_to,
                                                         const char     *etag);
/* (transfer none) */
const char  *pd_organization_get_bill_to_etag       (PdOrganization *self);
/* The sparse override (NULL fields = not overridden); NULL when there is none.
 * (transfer none) (nullable) */
const PdBillTo *pd_organization_get_bill_to_override (PdOrganization *self);
/* The etag of the Partner Center bill-to the override was based on. (transfer none) */
const char  *pd_organization_get_override_base_etag (PdOrganization *self);
void         pd_organization_set_bill_to_override   (PdOrganization *self,
                                                     const PdBillTo *override,
                                                     const char     *base_etag);
/* Effective value: override where set, Partner Center value otherwise; never NULL.
 * (transfer none) */
const PdBillTo *pd_organization_get_bill_to         (PdOrganization *self);
/* The bill-to Microsoft checks before it accepts an order: Partner Center's, for a customer
 * synced from it (a local edit never reaches Partner Center); for a manual organization, its
 * own (the only one there is). Order readiness (complete / incomplete, missingFields, the
 * "Bill-to incomplete" filter) is judged on it. (transfer none) */
const PdBillTo *pd_organization_get_ordering_bill_to (PdOrganization *self);
/* The registration number Microsoft checks, beside the ordering bill-to: a manual
 * organization's own; none known of a customer synced from Partner Center. The sync does not
 * read the one Partner Center holds (its company profile's organizationRegistrationNumber):
 * the one typed here is the partner's record, which never reaches Partner Center, so it never
 * makes a customer's orders accepted. (transfer none) (nullable) */
const char     *pd_organization_get_ordering_registration_number (PdOrganization *self);
gboolean     pd_organization_is_field_overridden    (PdOrganization *self, PdBillToField field);
/* Field paths ("address.city", …) of overridden fields, in field order. (transfer full) */
char       **pd_organization_dup_local_bill_to_fields (PdOrganization *self);
gboolean     pd_organization_get_has_local_edits    (PdOrganization *self);
/* Whether Partner Center has (or, linked and not synced yet, will have) this organization: a
 * synced customer, or a manual organization linked to its tenant. A manual organization without
 * a tenant has no Partner Center values: its bill-to is all its own. */
gboolean     pd_organization_has_partner_center     (PdOrganization *self);

/* Completeness, computed by whoever knows the country rules (store / PdCountryRules). Never
 * TRUE for a bill-to that is not readable. */
gboolean     pd_organization_get_bill_to_complete   (PdOrganization *self);

/* Reading the bill-to from Partner Center (design.md §3). unreadable: listed by Partner
 * Center, but its billing profile was never read (refused, not found, failed, or not read
 * yet); its state is then UNREADABLE, neither complete nor incomplete. read_at: when it was
 * last read (NULL: never). read_error: why the latest read failed, in words (NULL: it
 * succeeded, or none was made). A customer read before whose latest read failed keeps its last
 * known bill-to and its state, with read_at and read_error set. */
gboolean     pd_organization_get_bill_to_unreadable (PdOrganization *self);
/* (transfer none) (nullable) */
GDateTime   *pd_organization_get_bill_to_read_at    (PdOrganization *self);
/* (transfer none) (nullable) */
const char  *pd_organization_get_bill_to_read_error (PdOrganization *self);
void         pd_organization_set_bill_to_read       (PdOrganization *self,
                                                     gboolean        unreadable,
                                                     GDateTime      *read_at,
                                                     const char     *read_error);
PdBillToState pd_organization_get_bill_to_state     (PdOrganization *self);
/* pd_bill_to_state_is_stale of this organization: its bill-to is kept from an earlier read,
 * and the latest read failed (read_error). */
gboolean     pd_organization_get_bill_to_stale      (PdOrganization *self);
/* Microsoft's account verification as Partner Center last answered it, and when it was asked
 * (NULL: never). */
PdAccountStatus pd_organization_get_account_status  (PdOrganization *self);
/* (transfer none) (nullable) */
GDateTime   *pd_organization_get_account_checked_at (PdOrganization *self);
/* TRUE when Microsoft's account verification, as last asked, blocks new purchases (Under
 * review, Not allowed), whatever the bill-to. */
gboolean     pd_organization_get_purchases_blocked  (PdOrganization *self);
/* Why no order is placed although Microsoft's checks find the bill-to complete: the customer
 * is no longer in Partner Center, or its account verification blocks new purchases. NULL
 * when neither; the app and the CLI say the same. (transfer none) (nullable) */
const char  *pd_organization_get_order_blocker      (PdOrganization *self);
void         pd_organization_set_account_status     (PdOrganization  *self,
                                                     PdAccountStatus  status,
                                                     GDateTime       *checked_at);
/* Field paths of the missing/invalid fields ("address.postalCode"). (transfer none) */
const char * const *pd_organization_get_missing_fields (PdOrganization *self);
void         pd_organization_set_missing_fields     (PdOrganization *self, const char * const *missing);

gboolean     pd_organization_get_removed            (PdOrganization *self);
void         pd_organization_set_removed            (PdOrganization *self, gboolean removed);
gboolean     pd_organization_get_possible_duplicate (PdOrganization *self);
void         pd_organization_set_possible_duplicate (PdOrganization *self, gboolean duplicate);
/* (transfer none) (nullable) */
GDateTime   *pd_organization_get_last_synced_at     (PdOrganization *self);
void         pd_organization_set_last_synced_at     (PdOrganization *self, GDateTime *when);

G_END_DECLS
