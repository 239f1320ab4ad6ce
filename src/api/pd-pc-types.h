/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-types.h — plain structs for Partner Center resources (partner-center-api.md §3–§12).
 * Filled by pd-pc-json.c from the wire JSON; owned by the caller once returned. */
#pragma once

#include <json-glib/json-glib.h>

#include "core/pd-bill-to.h"
#include "core/pd-country-rules.h"
#include "core/pd-types.h"

G_BEGIN_DECLS

/* GET /v1/customers/{id}/profiles/billing (also embedded in GET /v1/customers/{id}). */
typedef struct {
  char       *id;
  PdBillTo   *bill_to;   /* never NULL */
  char       *etag;      /* attributes.etag, as received (may include quotes) */
  JsonObject *raw;       /* the object as received: unknown fields round-trip on PUT */
} PdPcBillingProfile;

/* One customer: reduced form from the list, full form from GET by id. */
typedef struct {
  char               *id;                 /* tenant id */
  char               *commerce_id;
  char               *company_name;
  char               *domain;
  char               *relationship;       /* "reseller", "advisor", "none", … */
  gboolean            has_delegated_access_value;
  gboolean            allow_delegated_access;
  char              **custom_domains;     /* may be NULL */
  char               *associated_partner_id; /* may be NULL */
  PdPcBillingProfile *billing_profile;    /* NULL from the list */
} PdPcCustomer;

/* GET /v1/customers/{id}/profiles/company. */
typedef struct {
  char *tenant_id;
  char *domain;
  char *company_name;
  char *email;
  char *country;
  char *city;
} PdPcCompanyProfile;

/* GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf item. */
typedef struct {
  char *id;           /* reseller tenant id */
  char *name;
  char *mpn_id;
  char *state;
  char *location;
} PdPcReseller;

/* GET /v1/auditrecords item. */
typedef struct {
  char      *customer_id;
  char      *customer_name;
  char      *operation_type;    /* "add_customer", "update_customer_billing_profile", … */
  char      *resource_type;
  char      *operation_status;
  GDateTime *operation_date;
} PdPcAuditRecord;

/* POST /v1/validations/address response. */
typedef struct {
  char      *status;            /* "VerifiedShippable", "StreetPartial", "None", … */
  char      *message;           /* validationMessage, may be NULL */
  GPtrArray *suggestions;       /* PdBillTo* with only address fields set */
} PdPcAddressValidation;

/* GET /v1/customers/{id}/validationStatus?type=account: Microsoft's account verification.
 * Changing a verified customer's company name or address can put it under review, which
 * blocks new purchases and seat increases until Microsoft finishes its check. */
typedef struct {
  PdAccountStatus  status;
  char            *status_text;   /* as Partner Center sent it ("UnderReview") */
  GDateTime       *updated_at;    /* lastUpdateDateTime, may be NULL */
} PdPcValidationStatus;

void pd_pc_validation_status_free (PdPcValidationStatus *status);
void pd_pc_billing_profile_free   (PdPcBillingProfile    *profile);
/* (transfer full) */
PdPcBillingProfile *pd_pc_billing_profile_copy (const PdPcBillingProfile *profile);
void pd_pc_customer_free          (PdPcCustomer          *customer);
void pd_pc_company_profile_free   (PdPcCompanyProfile    *profile);
void pd_pc_reseller_free          (PdPcReseller          *reseller);
void pd_pc_audit_record_free      (PdPcAuditRecord       *record);
void pd_pc_address_validation_free (PdPcAddressValidation *validation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcBillingProfile, pd_pc_billing_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcValidationStatus, pd_pc_validation_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcCustomer, pd_pc_customer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcCompanyProfile, pd_pc_company_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcAddressValidation, pd_pc_address_validation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcReseller, pd_pc_reseller_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPcAuditRecord, pd_pc_audit_record_free)

G_END_DECLS
