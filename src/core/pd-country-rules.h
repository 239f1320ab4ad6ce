/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-country-rules.h — what Partner Center requires of a bill-to address, per country.
 *
 * Bundled rules (resource /io/github/partnerdesk/core/country-rules.ini) cover the EU/EEA,
 * GB, CH, US, CA, MX, BR, AR, AU, NZ, JP, KR, IN, SG, ZA, AE, SA, TR and the phone-required
 * group of partner-center-api.md §5. Rules fetched from Partner Center replace the bundled
 * rule of that country (pd_country_rules_replace). Patterns are .NET regexes: one that GRegex
 * cannot compile is ignored, never fatal.
 *
 * pd_bill_to_missing_fields() may run in several threads at once (the compiled-pattern cache
 * is locked); pd_country_rules_replace() must not run while another thread uses the rules.
 * The registration number is not part of the bill-to but a local field of the organization:
 * pd_missing_fields_for() checks it beside the bill-to, as PD_MISSING_REGISTRATION_NUMBER.
 */
#pragma once

#include <glib-object.h>

#include "pd-bill-to.h"
#include "pd-organization.h"

G_BEGIN_DECLS

typedef struct _PdCountryRule PdCountryRule;

struct _PdCountryRule
{
  char     *iso2;                 /* "US" */
  gboolean  state_required;
  char    **allowed_states;       /* NULL or NULL-terminated; codes such as "CA", "NY" */
  gboolean  postal_code_required;
  char     *postal_code_pattern;  /* may be NULL */
  gboolean  city_required;
  gboolean  phone_required;
  char     *phone_pattern;        /* may be NULL */
  gboolean  registration_number_required;
  char     *default_culture;      /* "en-US", may be NULL */
};

#define PD_TYPE_COUNTRY_RULE (pd_country_rule_get_type ())
GType          pd_country_rule_get_type   (void) G_GNUC_CONST;
/* (transfer full) */
PdCountryRule *pd_country_rule_new        (const char *iso2);
/* (transfer full) */
PdCountryRule *pd_country_rule_copy       (const PdCountryRule *rule);
void           pd_country_rule_free       (PdCountryRule *rule);
/* Serialises to / parses from a GKeyFile group text, as stored in the cache. (transfer full) */
char          *pd_country_rule_to_string  (const PdCountryRule *rule);
/* (transfer full) */
PdCountryRule *pd_country_rule_from_string (const char *text, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCountryRule, pd_country_rule_free)

/* Not a bill-to field: the organization's registration number (a local field), which some
 * countries require. Used as PdMissingField.field and as a bit of the store's missing mask. */
#define PD_MISSING_REGISTRATION_NUMBER ((PdBillToField) PD_BILL_TO_N_FIELDS)
#define PD_MISSING_N_FIELDS (PD_BILL_TO_N_FIELDS + 1)

/* One problem with one field: the exact field and a translated, human reason. */
typedef struct {
  PdBillToField  field;           /* a bill-to field or PD_MISSING_REGISTRATION_NUMBER */
  char          *reason;          /* "Postal code is required in Germany" */
} PdMissingField;

void pd_missing_field_free (PdMissingField *missing);

#define PD_TYPE_COUNTRY_RULES (pd_country_rules_get_type ())
G_DECLARE_FINAL_TYPE (PdCountryRules, pd_country_rules, PD, COUNTRY_RULES, GObject)

/* Loads the bundled rules. (transfer full) */
PdCountryRules      *pd_country_rules_new_bundled   (void);
/* NULL for a country without rules (then only the universal rules apply).
 * (transfer none) (nullable) */
const PdCountryRule *pd_country_rules_lookup        (PdCountryRules      *self,
                                                     const char          *iso2);
void                 pd_country_rules_replace       (PdCountryRules      *self,
                                                     const PdCountryRule *rule);
/* Sorted ISO codes of every country with rules. (transfer full) */
char               **pd_country_rules_dup_countries (PdCountryRules      *self);

/* TRUE when iso2 is an assigned ISO 3166-1 alpha-2 code (case-sensitive, upper case). */
gboolean             pd_country_code_is_valid       (const char *iso2);
/* Sorted list of the assigned ISO 3166-1 alpha-2 codes. (transfer none) */
const char * const  *pd_country_codes               (void);
/* Translated English-derived country name, or the code itself when unknown. (transfer none) */
const char          *pd_country_name                (const char *iso2);
/* TRUE when code is an active ISO 4217 currency code ("EUR"). */
gboolean             pd_currency_code_is_valid      (const char *code);
/* Sorted list of the active ISO 4217 codes. (transfer none) */
const char * const  *pd_currency_codes              (void);
/* The currency's name, translated when iso-codes' catalogue is installed ("Euro"), or NULL for
 * a code that is not an active currency. (transfer none) (nullable) */
const char          *pd_currency_name               (const char *code);

/* The fields that stop Microsoft from accepting orders: universal requirements (e-mail,
 * culture, language, company name, address line 1, country, address first/last name), then
 * the country's rule (city, postal code + pattern, state + allowed list, phone + pattern).
 * In field order; empty when complete. (transfer full) (element-type PdMissingField) */
GPtrArray           *pd_bill_to_missing_fields      (const PdBillTo *bill_to,
                                                     PdCountryRules *rules);
/* pd_bill_to_missing_fields() of bill_to, then the registration number when the bill-to's
 * country requires one and registration_number is NULL or blank ("A registration number is
 * required in Russia"). What the organization needs before Microsoft accepts its orders.
 * (transfer full) (element-type PdMissingField) */
GPtrArray           *pd_missing_fields_for          (const PdBillTo *bill_to,
                                                     const char     *registration_number,
                                                     PdCountryRules *rules);
/* What Microsoft checks before it accepts org's orders: pd_missing_fields_for() of its
 * ordering bill-to and ordering registration number (pd-organization.h), never a local fill.
 * (transfer full) (element-type PdMissingField) */
GPtrArray           *pd_missing_fields_for_orders   (PdOrganization *org,
                                                     PdCountryRules *rules);
/* What to say of org's order readiness when all that ordering (pd_missing_fields_for_orders)
 * lacks is the registration number and one is typed in Partner Desk for this customer of
 * Partner Center: Partner Desk neither sends it nor reads Partner Center's, so that Partner
 * Center lacks it is not known, only that it may. NULL otherwise. Translated.
 * (transfer none) (nullable) */
const char          *pd_missing_fields_local_registration_note (PdOrganization *org,
                                                                GPtrArray      *ordering);
/* The labels of missing (PdMissingField), joined for a sentence: "State, Postal code".
 * (transfer full) */
char                *pd_missing_fields_join_labels  (GPtrArray      *missing);
/* The path used in missingFields: pd_bill_to_field_path() for a bill-to field,
 * "registrationNumber" for PD_MISSING_REGISTRATION_NUMBER; NULL for anything else.
 * (transfer none) (nullable) */
const char          *pd_missing_field_path          (PdBillToField   field);
/* Translated label: pd_bill_to_field_label() or "Registration number". (transfer none) */
const char          *pd_missing_field_label         (PdBillToField   field);
/* Inverse of pd_missing_field_path(); FALSE when path is unknown. */
gboolean             pd_missing_field_from_path     (const char     *path,
                                                     PdBillToField  *out_field);

G_END_DECLS
