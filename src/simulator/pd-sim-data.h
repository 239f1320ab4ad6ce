/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-data.h — the simulator's seeded sample data: customers with bill-tos valid for their
 * country (about 10 % incomplete, about 2 % near-duplicate names), indirect resellers with
 * their customers, and the activity log that records every change.
 *
 * Everything derives from one 64-bit seed through a private PRNG, so the same seed gives the
 * same data on every machine (GRand's algorithm is not part of GLib's API promise).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small deterministic PRNG (splitmix64). */
typedef struct {
  guint64 state;
} PdSimRng;

void    pd_sim_rng_init   (PdSimRng *rng, guint64 seed);
guint64 pd_sim_rng_next   (PdSimRng *rng);
/* Uniform in [0, n); n > 0. */
guint   pd_sim_rng_below  (PdSimRng *rng, guint n);
/* Uniform in [0, 1). */
double  pd_sim_rng_double (PdSimRng *rng);
/* A random GUID string, lower case. (transfer full) */
char   *pd_sim_rng_guid   (PdSimRng *rng);

/* Billing profile fields; the wire key of each is pd_sim_bill_key(). */
typedef enum {
  PD_SIM_BILL_FIRST_NAME,
  PD_SIM_BILL_LAST_NAME,
  PD_SIM_BILL_EMAIL,
  PD_SIM_BILL_CULTURE,
  PD_SIM_BILL_LANGUAGE,
  PD_SIM_BILL_COMPANY_NAME,
  /* defaultAddress.* from here on */
  PD_SIM_BILL_COUNTRY,
  PD_SIM_BILL_REGION,
  PD_SIM_BILL_CITY,
  PD_SIM_BILL_STATE,
  PD_SIM_BILL_LINE1,
  PD_SIM_BILL_LINE2,
  PD_SIM_BILL_POSTAL_CODE,
  PD_SIM_BILL_ADDR_FIRST_NAME,
  PD_SIM_BILL_ADDR_LAST_NAME,
  PD_SIM_BILL_PHONE,
  PD_SIM_BILL_N
} PdSimBillField;

#define PD_SIM_BILL_FIRST_ADDRESS_FIELD PD_SIM_BILL_COUNTRY

/* camelCase wire key ("postalCode"). (transfer none) */
const char *pd_sim_bill_key (PdSimBillField field);

typedef struct {
  guint64   seq;            /* position in the listing order; grows, never reused */
  char     *id;             /* tenant id (GUID) */
  char     *commerce_id;
  char     *domain;         /* xxx.onmicrosoft.com */
  char     *custom_domain;  /* may be NULL */
  char     *reseller_id;    /* indirect reseller tenant id, or NULL */
  char     *also_resold_by; /* a second reseller whose list also names it, or NULL */
  char     *profile_id;     /* billing profile id */
  gboolean  delegated;      /* allowDelegatedAccess */
  gint64    etag;           /* billing profile etag; new on every update */
  char     *bill[PD_SIM_BILL_N]; /* NULL = absent; companyName is the customer's name */
} PdSimCustomer;

typedef struct {
  char *id;
  char *name;
  char *mpn_id;
  char *location;           /* ISO-2 */
} PdSimReseller;

typedef struct {
  guint64  seq;
  char    *customer_id;
  char    *customer_name;
  char    *operation_type;  /* add_customer, update_customer_billing_profile, … */
  char    *resource_type;   /* "customer" */
  char    *old_value;       /* JSON text or NULL */
  char    *new_value;       /* JSON text or NULL */
  gint64   date_us;         /* unix microseconds */
} PdSimAudit;

/* Country facts the generator, the validation rules and the address check share. */
typedef struct {
  const char *iso2;
  const char *culture;
  gboolean    state_required;
  gboolean    postal_code_required;
  gboolean    phone_required;
  const char *postal_code_regex;
  const char *states;       /* space separated, or NULL */
  const char *calling_code;
} PdSimCountryInfo;

/* Case-folded letters and digits of `name` without its legal form for country iso2 (the
 * generator's idea of "the same company"; leaks nothing but is cached for the process).
 * (transfer full) */
char *pd_sim_name_key (const char *name, const char *iso2);

/* NULL for a country the generator does not know. (transfer none) (nullable) */
const PdSimCountryInfo *pd_sim_country_info (const char *iso2);

typedef struct _PdSimData PdSimData;

/* Generates n_customers customers and n_resellers resellers; `now` (unix µs) anchors dates.
 * (transfer full) */
PdSimData     *pd_sim_data_new            (guint     n_customers,
                                           guint     n_resellers,
                                           guint64   seed,
                                           gint64    now_us);
void           pd_sim_data_free           (PdSimData *data);

/* (transfer none) */
const char    *pd_sim_data_partner_tenant_id (PdSimData *data);
/* (transfer none) */
const char    *pd_sim_data_partner_domain (PdSimData *data);
/* Bumped by every change (add, remove, bill-to update). */
guint          pd_sim_data_generation     (PdSimData *data);

/* Every customer in listing order, for a pager to read. (transfer none)
 * (element-type PdSimCustomer) */
GPtrArray     *pd_sim_data_customers      (PdSimData *data);
guint          pd_sim_data_n_customers    (PdSimData *data);
/* In listing order (ascending seq). (transfer none) */
PdSimCustomer *pd_sim_data_customer       (PdSimData *data, guint index);
/* (transfer none) */
PdSimCustomer *pd_sim_data_lookup         (PdSimData *data, const char *id);
/* Index of the first customer whose seq is greater than `seq` (n_customers if none). */
guint          pd_sim_data_index_after    (PdSimData *data, guint64 seq);

guint          pd_sim_data_n_resellers    (PdSimData *data);
/* (transfer none) */
PdSimReseller *pd_sim_data_reseller       (PdSimData *data, guint index);
/* (transfer none) */
PdSimReseller *pd_sim_data_lookup_reseller (PdSimData *data, const char *id);

/* Every audit record in chronological order, for a pager to read. (transfer none)
 * (element-type PdSimAudit) */
GPtrArray     *pd_sim_data_audit_records  (PdSimData *data);
guint          pd_sim_data_n_audit        (PdSimData *data);
/* In chronological order (ascending seq). (transfer none) */
PdSimAudit    *pd_sim_data_audit          (PdSimData *data, guint index);

/* Mutations: each records its audit record(s) dated now_us. */
/* Adds a generated customer; id may be NULL (a new GUID) or a tenant id to use. (transfer none) */
PdSimCustomer *pd_sim_data_add_customer   (PdSimData *data, PdSimRng *rng, const char *id,
                                           gint64 now_us);
gboolean       pd_sim_data_remove_customer (PdSimData *data, const char *id, gint64 now_us);
/* Changes a few bill-to fields the way a real edit would (new street, phone, contact…). */
void           pd_sim_data_change_bill_to (PdSimData *data, PdSimCustomer *customer,
                                           PdSimRng *rng, gint64 now_us);
/* Gives the customer a new company name (through its billing profile, as partners do). */
void           pd_sim_data_rename         (PdSimData *data, PdSimCustomer *customer,
                                           PdSimRng *rng, gint64 now_us);
/* Replaces the bill-to with `values` (PD_SIM_BILL_N entries, NULL = absent; taken over and
 * freed), gives it a new etag, and records update_customer_billing_profile. */
void           pd_sim_data_set_bill_to    (PdSimData *data, PdSimCustomer *customer,
                                           char **values, gint64 now_us);
/* Moves the customer to reseller_id (NULL: a direct customer). No audit record: the
 * activity log names no reseller (partner-center-api.md §9). */
void           pd_sim_data_set_reseller   (PdSimData *data, PdSimCustomer *customer,
                                           const char *reseller_id);

G_END_DECLS
