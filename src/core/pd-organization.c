/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization.c — one customer organization, a value object with notifying properties.
 *
 * The app keeps 100,000 of these alive, so the instance is kept compact: flags are bit
 * fields, empty lists and an absent bill-to are stored as NULL (the getters hand out shared
 * empty values instead), low-cardinality strings (country, relationship, currency) are
 * interned, the two stored bill-to views are packed (struct and strings in one allocation),
 * and the effective bill-to borrows their strings instead of copying them.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-organization.h"

struct _PdOrganization
{
  GObject      parent_instance;

  gint64       id;
  char        *tenant_id;
  char        *name;
  char        *domain;
  const char  *country;             /* interned */
  const char  *relationship;        /* interned */
  char        *erp_id;
  char        *registration_number;
  char       **segments;            /* NULL when empty */
  const char  *currency;            /* interned */
  GDateTime   *currency_effective;
  char       **login_options;       /* NULL when empty */
  char        *account_manager;
  char        *notes;
  char        *reseller_id;
  char        *reseller_name;

  PdBillTo    *bill_to_pc;          /* packed; NULL = nothing synced yet */
  char        *bill_to_etag;
  PdBillTo    *override;            /* packed, sparse; NULL when no local edit */
  char        *override_base_etag;
  /* Only when override != NULL: values borrowed from bill_to_pc/override, free with g_free. */
  PdBillTo    *effective;

  char       **missing_fields;      /* NULL when complete */
  GDateTime   *last_synced_at;
  GDateTime   *bill_to_read_at;
  char        *bill_to_read_error;
  GDateTime   *account_checked_at;
  PdAccountStatus account_status;

  guint        source : 2;
  guint        bill_to_unreadable : 1;
  guint        status : 2;
  guint        delegated_access : 1;
  guint        removed : 1;
  guint        possible_duplicate : 1;
};

G_DEFINE_FINAL_TYPE (PdOrganization, pd_organization, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TENANT_ID,
  PROP_SOURCE,
  PROP_NAME,
  PROP_DOMAIN,
  PROP_COUNTRY,
  PROP_RELATIONSHIP,
  PROP_DELEGATED_ACCESS,
  PROP_ERP_ID,
  PROP_REGISTRATION_NUMBER,
  PROP_SEGMENTS,
  PROP_CURRENCY,
  PROP_CURRENCY_EFFECTIVE,
  PROP_STATUS,
  PROP_LOGIN_OPTIONS,
  PROP_ACCOUNT_MANAGER,
  PROP_NOTES,
  PROP_RESELLER_ID,
  PROP_RESELLER_NAME,
  PROP_BILL_TO,
  PROP_BILL_TO_PARTNER_CENTER,
  PROP_BILL_TO_ETAG,
  PROP_BILL_TO_OVERRIDE,
  PROP_OVERRIDE_BASE_ETAG,
  PROP_HAS_LOCAL_EDITS,
  PROP_BILL_TO_COMPLETE,
  PROP_MISSING_FIELDS,
  PROP_REMOVED,
  PROP_POSSIBLE_DUPLICATE,
  PROP_LAST_SYNCED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };
static const PdBillTo empty_bill_to;

static void
notify (PdOrganization *self,
        guint           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Replaces an owned string; returns FALSE (and notifies nothing) when nothing changed. */
static gboolean
replace_string (PdOrganization  *self,
                char           **field,
                const char      *value,
                guint            prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  if (prop != PROP_0)
    notify (self, prop);
  return TRUE;
}

static gboolean
replace_interned (PdOrganization  *self,
                  const char     **field,
                  const char      *value,
                  guint            prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  *field = g_intern_string (value);
  if (prop != PROP_0)
    notify (self, prop);
  return TRUE;
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  return g_strv_equal (a != NULL ? a : empty_strv, b != NULL ? b : empty_strv);
}

static void
replace_strv (PdOrganization      *self,
              char              ***field,
              const char * const  *value,
              guint                prop)
{
  if (strv_equal0 ((const char * const *) *field, value))
    return;
  g_strfreev (*field);
  *field = (value != NULL && value[0] != NULL) ? g_strdupv ((char **) value) : NULL;
  notify (self, prop);
}

static gboolean
date_time_equal0 (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static void
replace_date_time (PdOrganization  *self,
                   GDateTime      **field,
                   GDateTime       *value,
                   guint            prop)
{
  if (date_time_equal0 (*field, value))
    return;
  g_clear_pointer (field, g_date_time_unref);
  *field = value != NULL ? g_date_time_ref (value) : NULL;
  if (prop != PROP_0)
    notify (self, prop);
}

static const char * const *
strv_or_empty (char **strv)
{
  return strv != NULL ? (const char * const *) strv : empty_strv;
}

/* --- bill-to views ------------------------------------------------------------------------ */

/* A private copy in one block, freed with g_free(): a bill-to has up to 16 short strings, and
 * one allocation instead of 17 saves about 300 bytes per organization. Never handed out as
 * owned (getters return const), so nobody calls pd_bill_to_free() on it. */
static PdBillTo *
bill_to_pack (const PdBillTo *bill_to)
{
  gsize lengths[PD_BILL_TO_N_FIELDS] = { 0 };
  gsize total = sizeof (PdBillTo);
  PdBillTo *packed;
  char *strings;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      if (bill_to->values[i] != NULL)
        total += lengths[i] = strlen (bill_to->values[i]) + 1;
    }
  packed = g_malloc0 (total);
  strings = (char *) (packed + 1);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      if (bill_to->values[i] == NULL)
        continue;
      packed->values[i] = memcpy (strings, bill_to->values[i], lengths[i]);
      strings += lengths[i];
    }
  return packed;
}

static void
rebuild_effective (PdOrganization *self)
{
  const PdBillTo *pc = self->bill_to_pc != NULL ? self->bill_to_pc : &empty_bill_to;

  g_clear_pointer (&self->effective, g_free);
  if (self->override == NULL)
    return;
  self->effective = g_new0 (PdBillTo, 1);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    self->effective->values[i] = self->override->values[i] != NULL
                                 ? self->override->values[i] : pc->values[i];
}

/* What the bill-to looked like before a change, to notify only what really changed. */
typedef struct {
  PdBillTo *effective;
  char     *country;
  gboolean  has_local_edits;
} BillToSnapshot;

static void
snapshot_take (PdOrganization *self,
               BillToSnapshot *snap)
{
  snap->effective = pd_bill_to_copy (pd_organization_get_bill_to (self));
  snap->country = g_strdup (pd_organization_get_country (self));
  snap->has_local_edits = self->override != NULL;
}

static void
snapshot_notify_and_clear (PdOrganization *self,
                           BillToSnapshot *snap)
{
  if (!pd_bill_to_equal (snap->effective, pd_organization_get_bill_to (self)))
    notify (self, PROP_BILL_TO);
  if (g_strcmp0 (snap->country, pd_organization_get_country (self)) != 0)
    notify (self, PROP_COUNTRY);
  if (snap->has_local_edits != (self->override != NULL))
    notify (self, PROP_HAS_LOCAL_EDITS);
  g_clear_pointer (&snap->effective, pd_bill_to_free);
  g_clear_pointer (&snap->country, g_free);
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
pd_organization_finalize (GObject *object)
{
  PdOrganization *self = PD_ORGANIZATION (object);

  g_free (self->tenant_id);
  g_free (self->name);
  g_free (self->domain);
  g_free (self->erp_id);
  g_free (self->registration_number);
  g_strfreev (self->segments);
  g_clear_pointer (&self->currency_effective, g_date_time_unref);
  g_strfreev (self->login_options);
  g_free (self->account_manager);
  g_free (self->notes);
  g_free (self->reseller_id);
  g_free (self->reseller_name);
  g_free (self->bill_to_pc);
  g_free (self->bill_to_etag);
  g_free (self->override);
  g_free (self->override_base_etag);
  g_free (self->effective);
  g_strfreev (self->missing_fields);
  g_clear_pointer (&self->last_synced_at, g_date_time_unref);
  g_clear_pointer (&self->bill_to_read_at, g_date_time_unref);
  g_clear_pointer (&self->bill_to_read_error, g_free);
  g_clear_pointer (&self->account_checked_at, g_date_time_unref);

  G_OBJECT_CLASS (pd_organization_parent_class)->finalize (object);
}

static void
get_bill_to_property (PdOrganization *self,
                      guint           prop_id,
                      GValue         *value)
{
  switch (prop_id)
    {
    case PROP_BILL_TO:
      g_value_set_boxed (value, pd_organization_get_bill_to (self));
      break;
    case PROP_BILL_TO_PARTNER_CENTER:
      g_value_set_boxed (value, pd_organization_get_bill_to_partner_center (self));
      break;
    case PROP_BILL_TO_ETAG:
      g_value_set_string (value, self->bill_to_etag);
      break;
    case PROP_BILL_TO_OVERRIDE:
      g_value_set_boxed (value, self->override);
      break;
    case PROP_OVERRIDE_BASE_ETAG:
      g_value_set_string (value, self->override_base_etag);
      break;
    case PROP_HAS_LOCAL_EDITS:
      g_value_set_boolean (value, self->override != NULL);
      break;
    case PROP_BILL_TO_COMPLETE:
      g_value_set_boolean (value, pd_organization_get_bill_to_complete (self));
      break;
    case PROP_MISSING_FIELDS:
      g_value_set_boxed (value, strv_or_empty (self->missing_fields));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
pd_organization_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdOrganization *self = PD_ORGANIZATION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_TENANT_ID: g_value_set_string (value, self->tenant_id); break;
    case PROP_SOURCE: g_value_set_enum (value, self->source); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DOMAIN: g_value_set_string (value, self->domain); break;
    case PROP_COUNTRY: g_value_set_string (value, pd_organization_get_country (self)); break;
    case PROP_RELATIONSHIP: g_value_set_string (value, self->relationship); break;
    case PROP_DELEGATED_ACCESS: g_value_set_boolean (value, self->delegated_access); break;
    case PROP_ERP_ID: g_value_set_string (value, self->erp_id); break;
    case PROP_REGISTRATION_NUMBER: g_value_set_string (value, self->registration_number); break;
    case PROP_SEGMENTS: g_value_set_boxed (value, strv_or_empty (self->segments)); break;
    case PROP_CURRENCY: g_value_set_string (value, self->currency); break;
    case PROP_CURRENCY_EFFECTIVE: g_value_set_boxed (value, self->currency_effective); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_LOGIN_OPTIONS: g_value_set_boxed (value, strv_or_empty (self->login_options)); break;
    case PROP_ACCOUNT_MANAGER: g_value_set_string (value, self->account_manager); break;
    case PROP_NOTES: g_value_set_string (value, self->notes); break;
    case PROP_RESELLER_ID: g_value_set_string (value, self->reseller_id); break;
    case PROP_RESELLER_NAME: g_value_set_string (value, self->reseller_name); break;
    case PROP_REMOVED: g_value_set_boolean (value, self->removed); break;
    case PROP_POSSIBLE_DUPLICATE: g_value_set_boolean (value, self->possible_duplicate); break;
    case PROP_LAST_SYNCED_AT: g_value_set_boxed (value, self->last_synced_at); break;
    case PROP_BILL_TO:
    case PROP_BILL_TO_PARTNER_CENTER:
    case PROP_BILL_TO_ETAG:
    case PROP_BILL_TO_OVERRIDE:
    case PROP_OVERRIDE_BASE_ETAG:
    case PROP_HAS_LOCAL_EDITS:
    case PROP_BILL_TO_COMPLETE:
    case PROP_MISSING_FIELDS:
      get_bill_to_property (self, prop_id, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_other_property (PdOrganization *self,
                    guint           prop_id,
                    const GValue   *value)
{
  switch (prop_id)
    {
    case PROP_RESELLER_ID:
      pd_organization_set_reseller (self, g_value_get_string (value), self->reseller_name);
      break;
    case PROP_RESELLER_NAME:
      pd_organization_set_reseller (self, self->reseller_id, g_value_get_string (value));
      break;
    case PROP_BILL_TO_PARTNER_CENTER:
      /* Keeps the etag; use pd_organization_set_bill_to_partner_center() to set both. */
      pd_organization_set_bill_to_partner_center (self, g_value_get_boxed (value),
                                                  self->bill_to_etag);
      break;
    case PROP_BILL_TO_OVERRIDE:
      pd_organization_set_bill_to_override (self, g_value_get_boxed (value),
                                            self->override_base_etag);
      break;
    case PROP_MISSING_FIELDS:
      pd_organization_set_missing_fields (self, g_value_get_boxed (value));
      break;
    case PROP_REMOVED: pd_organization_set_removed (self, g_value_get_boolean (value)); break;
    case PROP_POSSIBLE_DUPLICATE:
      pd_organization_set_possible_duplicate (self, g_value_get_boolean (value));
      break;
    case PROP_LAST_SYNCED_AT:
      pd_organization_set_last_synced_at (self, g_value_get_boxed (value));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
pd_organization_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdOrganization *self = PD_ORGANIZATION (object);

  switch (prop_id)
    {
    case PROP_ID: pd_organization_set_id (self, g_value_get_int64 (value)); break;
    case PROP_TENANT_ID: pd_organization_set_tenant_id (self, g_value_get_string (value)); break;
    case PROP_SOURCE: pd_organization_set_source (self, g_value_get_enum (value)); break;
    case PROP_NAME: pd_organization_set_name (self, g_value_get_string (value)); break;
    case PROP_DOMAIN: pd_organization_set_domain (self, g_value_get_string (value)); break;
    case PROP_COUNTRY: pd_organization_set_country (self, g_value_get_string (value)); break;
    case PROP_RELATIONSHIP:
      pd_organization_set_relationship (self, g_value_get_string (value));
      break;
    case PROP_DELEGATED_ACCESS:
      pd_organization_set_delegated_access (self, g_value_get_boolean (value));
      break;
    case PROP_ERP_ID: pd_organization_set_erp_id (self, g_value_get_string (value)); break;
    case PROP_REGISTRATION_NUMBER:
      pd_organization_set_registration_number (self, g_value_get_string (value));
      break;
    case PROP_SEGMENTS: pd_organization_set_segments (self, g_value_get_boxed (value)); break;
    case PROP_CURRENCY: pd_organization_set_currency (self, g_value_get_string (value)); break;
    case PROP_CURRENCY_EFFECTIVE:
      pd_organization_set_currency_effective (self, g_value_get_boxed (value));
      break;
    case PROP_STATUS: pd_organization_set_status (self, g_value_get_enum (value)); break;
    case PROP_LOGIN_OPTIONS:
      pd_organization_set_login_options (self, g_value_get_boxed (value));
      break;
    case PROP_ACCOUNT_MANAGER:
      pd_organization_set_account_manager (self, g_value_get_string (value));
      break;
    case PROP_NOTES: pd_organization_set_notes (self, g_value_get_string (value)); break;
    case PROP_RESELLER_ID:
    case PROP_RESELLER_NAME:
    case PROP_BILL_TO_PARTNER_CENTER:
    case PROP_BILL_TO_OVERRIDE:
    case PROP_MISSING_FIELDS:
    case PROP_REMOVED:
    case PROP_POSSIBLE_DUPLICATE:
    case PROP_LAST_SYNCED_AT:
      set_other_property (self, prop_id, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RW (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
install_local_properties (void)
{
  properties[PROP_ERP_ID] = g_param_spec_string ("erp-id", NULL, NULL, NULL, RW);
  properties[PROP_REGISTRATION_NUMBER] =
    g_param_spec_string ("registration-number", NULL, NULL, NULL, RW);
  properties[PROP_SEGMENTS] = g_param_spec_boxed ("segments", NULL, NULL, G_TYPE_STRV, RW);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RW);
  properties[PROP_CURRENCY_EFFECTIVE] =
    g_param_spec_boxed ("currency-effective", NULL, NULL, G_TYPE_DATE_TIME, RW);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, PD_TYPE_ORG_STATUS,
                                               PD_ORG_STATUS_NEW, RW);
  properties[PROP_LOGIN_OPTIONS] =
    g_param_spec_boxed ("login-options", NULL, NULL, G_TYPE_STRV, RW);
  properties[PROP_ACCOUNT_MANAGER] =
    g_param_spec_string ("account-manager", NULL, NULL, NULL, RW);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, RW);
}

static void
install_bill_to_properties (void)
{
  properties[PROP_BILL_TO] = g_param_spec_boxed ("bill-to", NULL, NULL, PD_TYPE_BILL_TO, RO);
  properties[PROP_BILL_TO_PARTNER_CENTER] =
    g_param_spec_boxed ("bill-to-partner-center", NULL, NULL, PD_TYPE_BILL_TO, RW);
  properties[PROP_BILL_TO_ETAG] = g_param_spec_string ("bill-to-etag", NULL, NULL, NULL, RO);
  properties[PROP_BILL_TO_OVERRIDE] =
    g_param_spec_boxed ("bill-to-override", NULL, NULL, PD_TYPE_BILL_TO, RW);
  properties[PROP_OVERRIDE_BASE_ETAG] =
    g_param_spec_string ("override-base-etag", NULL, NULL, NULL, RO);
  properties[PROP_HAS_LOCAL_EDITS] =
    g_param_spec_boolean ("has-local-edits", NULL, NULL, FALSE, RO);
  properties[PROP_BILL_TO_COMPLETE] =
    g_param_spec_boolean ("bill-to-complete", NULL, NULL, TRUE, RO);
  properties[PROP_MISSING_FIELDS] =
    g_param_spec_boxed ("missing-fields", NULL, NULL, G_TYPE_STRV, RW);
}

static void
pd_organization_class_init (PdOrganizationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_organization_finalize;
  object_class->get_property = pd_organization_get_property;
  object_class->set_property = pd_organization_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                                RW);
  properties[PROP_TENANT_ID] = g_param_spec_string ("tenant-id", NULL, NULL, NULL, RW);
  properties[PROP_SOURCE] = g_param_spec_enum ("source", NULL, NULL, PD_TYPE_ORG_SOURCE,
                                               PD_ORG_SOURCE_PARTNER_CENTER, RW);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RW);
  properties[PROP_DOMAIN] = g_param_spec_string ("domain", NULL, NULL, NULL, RW);
  properties[PROP_COUNTRY] = g_param_spec_string ("country", NULL, NULL, NULL, RW);
  properties[PROP_RELATIONSHIP] = g_param_spec_string ("relationship", NULL, NULL, NULL, RW);
  properties[PROP_DELEGATED_ACCESS] =
    g_param_spec_boolean ("delegated-access", NULL, NULL, FALSE, RW);
  properties[PROP_RESELLER_ID] = g_param_spec_string ("reseller-id", NULL, NULL, NULL, RW);
  properties[PROP_RESELLER_NAME] = g_param_spec_string ("reseller-name", NULL, NULL, NULL, RW);
  properties[PROP_REMOVED] = g_param_spec_boolean ("removed", NULL, NULL, FALSE, RW);
  properties[PROP_POSSIBLE_DUPLICATE] =
    g_param_spec_boolean ("possible-duplicate", NULL, NULL, FALSE, RW);
  properties[PROP_LAST_SYNCED_AT] =
    g_param_spec_boxed ("last-synced-at", NULL, NULL, G_TYPE_DATE_TIME, RW);
  install_local_properties ();
  install_bill_to_properties ();

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_organization_init (PdOrganization *self)
{
  self->source = PD_ORG_SOURCE_PARTNER_CENTER;
  self->status = PD_ORG_STATUS_NEW;
}

PdOrganization *
pd_organization_new (void)
{
  return g_object_new (PD_TYPE_ORGANIZATION, NULL);
}

static void
copy_local_fields (PdOrganization *copy,
                   PdOrganization *self)
{
  copy->erp_id = g_strdup (self->erp_id);
  copy->registration_number = g_strdup (self->registration_number);
  copy->segments = g_strdupv (self->segments);
  copy->currency = self->currency;
  copy->currency_effective = self->currency_effective != NULL
                             ? g_date_time_ref (self->currency_effective) : NULL;
  copy->status = self->status;
  copy->login_options = g_strdupv (self->login_options);
  copy->account_manager = g_strdup (self->account_manager);
  copy->notes = g_strdup (self->notes);
}

PdOrganization *
pd_organization_copy (PdOrganization *self)
{
  PdOrganization *copy;

  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);

  /* Fields are filled directly: a fresh object has no listeners to notify. */
  copy = pd_organization_new ();
  copy->id = self->id;
  copy->tenant_id = g_strdup (self->tenant_id);
  copy->source = self->source;
  copy->name = g_strdup (self->name);
  copy->domain = g_strdup (self->domain);
  copy->country = self->country;
  copy->relationship = self->relationship;
  copy->delegated_access = self->delegated_access;
  copy_local_fields (copy, self);
  copy->reseller_id = g_strdup (self->reseller_id);
  copy->reseller_name = g_strdup (self->reseller_name);
  copy->bill_to_pc = self->bill_to_pc != NULL ? bill_to_pack (self->bill_to_pc) : NULL;
  copy->bill_to_etag = g_strdup (self->bill_to_etag);
  copy->override = self->override != NULL ? bill_to_pack (self->override) : NULL;
  copy->override_base_etag = g_strdup (self->override_base_etag);
  rebuild_effective (copy);
  copy->missing_fields = g_strdupv (self->missing_fields);
  copy->last_synced_at = self->last_synced_at != NULL
                         ? g_date_time_ref (self->last_synced_at) : NULL;
  pd_organization_set_bill_to_read (copy, self->bill_to_unreadable, self->bill_to_read_at,
                                    self->bill_to_read_error);
  pd_organization_set_account_status (copy, self->account_status, self->account_checked_at);
  copy->removed = self->removed;
  copy->possible_duplicate = self->possible_duplicate;
  return copy;
}

/* --- Partner Center fields ---------------------------------------------------------------- */

gint64
pd_organization_get_id (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), 0);
  return self->id;
}

void
pd_organization_set_id (PdOrganization *self,
                        gint64          id)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  if (self->id == id)
    return;
  self->id = id;
  notify (self, PROP_ID);
}

const char *
pd_organization_get_tenant_id (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->tenant_id;
}

void
pd_organization_set_tenant_id (PdOrganization *self,
                               const char     *tenant_id)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->tenant_id, tenant_id, PROP_TENANT_ID);
}

PdOrgSource
pd_organization_get_source (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), PD_ORG_SOURCE_PARTNER_CENTER);
  return self->source;
}

void
pd_organization_set_source (PdOrganization *self,
                            PdOrgSource     source)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  g_return_if_fail (source <= PD_ORG_SOURCE_MANUAL);
  if (self->source == source)
    return;
  self->source = source;
  notify (self, PROP_SOURCE);
}

const char *
pd_organization_get_name (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->name;
}

void
pd_organization_set_name (PdOrganization *self,
                          const char     *name)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->name, name, PROP_NAME);
}

const char *
pd_organization_get_domain (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->domain;
}

void
pd_organization_set_domain (PdOrganization *self,
                            const char     *domain)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->domain, domain, PROP_DOMAIN);
}

const char *
pd_organization_get_country (PdOrganization *self)
{
  const char *bill_to_country;

  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);

  bill_to_country = pd_organization_get_bill_to (self)->values[PD_BILL_TO_COUNTRY];
  return bill_to_country != NULL ? bill_to_country : self->country;
}

void
pd_organization_set_country (PdOrganization *self,
                             const char     *country)
{
  g_autofree char *old = NULL;

  g_return_if_fail (PD_IS_ORGANIZATION (self));

  /* The property is the effective country: notify only when that is what changed. */
  old = g_strdup (pd_organization_get_country (self));
  replace_interned (self, &self->country, country, PROP_0);
  if (g_strcmp0 (old, pd_organization_get_country (self)) != 0)
    notify (self, PROP_COUNTRY);
}

const char *
pd_organization_get_relationship (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->relationship;
}

void
pd_organization_set_relationship (PdOrganization *self,
                                  const char     *relationship)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_interned (self, &self->relationship, relationship, PROP_RELATIONSHIP);
}

gboolean
pd_organization_get_delegated_access (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->delegated_access;
}

void
pd_organization_set_delegated_access (PdOrganization *self,
                                      gboolean        delegated)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  if (self->delegated_access == !!delegated)
    return;
  self->delegated_access = !!delegated;
  notify (self, PROP_DELEGATED_ACCESS);
}

/* --- Local fields ------------------------------------------------------------------------- */

const char *
pd_organization_get_erp_id (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->erp_id;
}

void
pd_organization_set_erp_id (PdOrganization *self,
                            const char     *erp_id)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->erp_id, erp_id, PROP_ERP_ID);
}

const char *
pd_organization_get_registration_number (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->registration_number;
}

const char *
pd_organization_get_ordering_registration_number (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->source == PD_ORG_SOURCE_MANUAL ? self->registration_number : NULL;
}

void
pd_organization_set_registration_number (PdOrganization *self,
                                         const char     *number)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->registration_number, number, PROP_REGISTRATION_NUMBER);
}

const char * const *
pd_organization_get_segments (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), empty_strv);
  return strv_or_empty (self->segments);
}

void
pd_organization_set_segments (PdOrganization     *self,
                              const char * const *segments)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_strv (self, &self->segments, segments, PROP_SEGMENTS);
}

const char *
pd_organization_get_currency (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->currency;
}

void
pd_organization_set_currency (PdOrganization *self,
                              const char     *currency)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_interned (self, &self->currency, currency, PROP_CURRENCY);
}

GDateTime *
pd_organization_get_currency_effective (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->currency_effective;
}

void
pd_organization_set_currency_effective (PdOrganization *self,
                                        GDateTime      *when)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_date_time (self, &self->currency_effective, when, PROP_CURRENCY_EFFECTIVE);
}

PdOrgStatus
pd_organization_get_status (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), PD_ORG_STATUS_NEW);
  return self->status;
}

void
pd_organization_set_status (PdOrganization *self,
                            PdOrgStatus     status)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  g_return_if_fail (status <= PD_ORG_STATUS_BLOCKED);
  if (self->status == status)
    return;
  self->status = status;
  notify (self, PROP_STATUS);
}

const char * const *
pd_organization_get_login_options (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), empty_strv);
  return strv_or_empty (self->login_options);
}

void
pd_organization_set_login_options (PdOrganization     *self,
                                   const char * const *options)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_strv (self, &self->login_options, options, PROP_LOGIN_OPTIONS);
}

const char *
pd_organization_get_account_manager (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->account_manager;
}

void
pd_organization_set_account_manager (PdOrganization *self,
                                     const char     *manager)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->account_manager, manager, PROP_ACCOUNT_MANAGER);
}

const char *
pd_organization_get_notes (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->notes;
}

void
pd_organization_set_notes (PdOrganization *self,
                           const char     *notes)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_string (self, &self->notes, notes, PROP_NOTES);
}

const char *
pd_organization_get_reseller_id (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->reseller_id;
}

const char *
pd_organization_get_reseller_name (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->reseller_name;
}

const char *
pd_reseller_label (const char *reseller_id,
                   const char *reseller_name)
{
  return reseller_name != NULL && *reseller_name != '\0' ? reseller_name : reseller_id;
}

void
pd_organization_set_reseller (PdOrganization *self,
                              const char     *reseller_id,
                              const char     *reseller_name)
{
  g_autofree char *name = NULL;

  g_return_if_fail (PD_IS_ORGANIZATION (self));

  /* reseller_name may be self->reseller_name (from the property setter): copy it first. */
  name = g_strdup (reseller_name);
  g_object_freeze_notify (G_OBJECT (self));
  replace_string (self, &self->reseller_id, reseller_id, PROP_RESELLER_ID);
  replace_string (self, &self->reseller_name, name, PROP_RESELLER_NAME);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- Bill-to ------------------------------------------------------------------------------ */

const PdBillTo *
pd_organization_get_bill_to_partner_center (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), &empty_bill_to);
  return self->bill_to_pc != NULL ? self->bill_to_pc : &empty_bill_to;
}

const PdBillTo *
pd_organization_get_ordering_bill_to (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), &empty_bill_to);
  if (self->source == PD_ORG_SOURCE_MANUAL)
    return pd_organization_get_bill_to (self);
  return pd_organization_get_bill_to_partner_center (self);
}

void
pd_organization_set_bill_to_partner_center (PdOrganization *self,
                                            const PdBillTo *bill_to,
                                            const char     *etag)
{
  BillToSnapshot snap;
  g_autofree char *etag_copy = NULL;

  g_return_if_fail (PD_IS_ORGANIZATION (self));

  etag_copy = g_strdup (etag);   /* etag may be self->bill_to_etag */
  g_object_freeze_notify (G_OBJECT (self));
  if (!pd_bill_to_equal (bill_to, self->bill_to_pc))
    {
      /* Packed before the old value goes: bill_to may be our own effective view. */
      PdBillTo *packed = (bill_to != NULL && !pd_bill_to_is_empty (bill_to))
                         ? bill_to_pack (bill_to) : NULL;

      snapshot_take (self, &snap);
      g_free (self->bill_to_pc);
      self->bill_to_pc = packed;
      rebuild_effective (self);
      notify (self, PROP_BILL_TO_PARTNER_CENTER);
      snapshot_notify_and_clear (self, &snap);
    }
  replace_string (self, &self->bill_to_etag, etag_copy, PROP_BILL_TO_ETAG);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
pd_organization_get_bill_to_etag (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->bill_to_etag;
}

const PdBillTo *
pd_organization_get_bill_to_override (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->override;
}

const char *
pd_organization_get_override_base_etag (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->override_base_etag;
}

void
pd_organization_set_bill_to_override (PdOrganization *self,
                                      const PdBillTo *override,
                                      const char     *base_etag)
{
  BillToSnapshot snap;
  g_autofree char *etag_copy = NULL;

  g_return_if_fail (PD_IS_ORGANIZATION (self));

  /* An override with no field set is no override: has-local-edits must turn FALSE. */
  if (override != NULL && pd_bill_to_is_empty (override))
    override = NULL;
  etag_copy = override != NULL ? g_strdup (base_etag) : NULL;

  g_object_freeze_notify (G_OBJECT (self));
  if (!pd_bill_to_equal (override, self->override)
      || (override == NULL) != (self->override == NULL))
    {
      PdBillTo *packed = override != NULL ? bill_to_pack (override) : NULL;

      snapshot_take (self, &snap);
      g_free (self->override);
      self->override = packed;
      rebuild_effective (self);
      notify (self, PROP_BILL_TO_OVERRIDE);
      snapshot_notify_and_clear (self, &snap);
    }
  replace_string (self, &self->override_base_etag, etag_copy, PROP_OVERRIDE_BASE_ETAG);
  g_object_thaw_notify (G_OBJECT (self));
}

const PdBillTo *
pd_organization_get_bill_to (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), &empty_bill_to);
  if (self->effective != NULL)
    return self->effective;
  return pd_organization_get_bill_to_partner_center (self);
}

gboolean
pd_organization_is_field_overridden (PdOrganization *self,
                                     PdBillToField   field)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  g_return_val_if_fail ((guint) field < PD_BILL_TO_N_FIELDS, FALSE);
  return self->override != NULL && self->override->values[field] != NULL;
}

char **
pd_organization_dup_local_bill_to_fields (PdOrganization *self)
{
  GPtrArray *paths;

  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);

  paths = g_ptr_array_new ();
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      if (pd_organization_is_field_overridden (self, i))
        g_ptr_array_add (paths, g_strdup (pd_bill_to_field_path (i)));
    }
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (paths, FALSE);
}

gboolean
pd_organization_has_partner_center (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->source != PD_ORG_SOURCE_MANUAL || self->tenant_id != NULL;
}

gboolean
pd_organization_get_has_local_edits (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->override != NULL;
}

gboolean
pd_organization_get_bill_to_complete (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->missing_fields == NULL && !self->bill_to_unreadable;
}

gboolean
pd_organization_get_bill_to_unreadable (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->bill_to_unreadable;
}

PdAccountStatus
pd_organization_get_account_status (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), PD_ACCOUNT_STATUS_UNKNOWN);
  return self->account_status;
}

gboolean
pd_organization_get_purchases_blocked (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->account_status == PD_ACCOUNT_STATUS_UNDER_REVIEW
         || self->account_status == PD_ACCOUNT_STATUS_NOT_ALLOWED;
}

const char *
pd_organization_get_order_blocker (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  if (self->removed)
    return _("Bill-to complete as last synced, but the customer is no longer in Partner Center: "
             "orders cannot be placed.");
  if (pd_organization_get_purchases_blocked (self))
    return _("Bill-to complete in Partner Center, but Microsoft’s account verification, as "
             "last checked, blocks new purchases.");
  return NULL;
}

GDateTime *
pd_organization_get_account_checked_at (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->account_checked_at;
}

void
pd_organization_set_account_status (PdOrganization  *self,
                                    PdAccountStatus  status,
                                    GDateTime       *checked_at)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  self->account_status = status;
  if (checked_at != NULL)
    g_date_time_ref (checked_at);
  g_clear_pointer (&self->account_checked_at, g_date_time_unref);
  self->account_checked_at = checked_at;
}

GDateTime *
pd_organization_get_bill_to_read_at (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->bill_to_read_at;
}

const char *
pd_organization_get_bill_to_read_error (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->bill_to_read_error;
}

/* Not properties: the store sets them when it reads the row, and rows are reloaded. */
void
pd_organization_set_bill_to_read (PdOrganization *self,
                                  gboolean        unreadable,
                                  GDateTime      *read_at,
                                  const char     *read_error)
{
  gboolean was_complete;

  g_return_if_fail (PD_IS_ORGANIZATION (self));
  was_complete = pd_organization_get_bill_to_complete (self);
  self->bill_to_unreadable = unreadable ? 1 : 0;
  replace_date_time (self, &self->bill_to_read_at, read_at, PROP_0);
  replace_string (self, &self->bill_to_read_error, read_error, PROP_0);
  if (was_complete != pd_organization_get_bill_to_complete (self))
    notify (self, PROP_BILL_TO_COMPLETE);
}

PdBillToState
pd_organization_get_bill_to_state (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), PD_BILL_TO_STATE_INCOMPLETE);
  if (self->bill_to_unreadable)
    return self->bill_to_read_error != NULL ? PD_BILL_TO_STATE_UNREADABLE
                                            : PD_BILL_TO_STATE_NOT_READ;
  return self->missing_fields == NULL ? PD_BILL_TO_STATE_COMPLETE : PD_BILL_TO_STATE_INCOMPLETE;
}

gboolean
pd_organization_get_bill_to_stale (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return pd_bill_to_state_is_stale (pd_organization_get_bill_to_state (self),
                                    self->bill_to_read_error);
}

const char * const *
pd_organization_get_missing_fields (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), empty_strv);
  return strv_or_empty (self->missing_fields);
}

void
pd_organization_set_missing_fields (PdOrganization     *self,
                                    const char * const *missing)
{
  gboolean was_complete;

  g_return_if_fail (PD_IS_ORGANIZATION (self));

  was_complete = pd_organization_get_bill_to_complete (self);
  g_object_freeze_notify (G_OBJECT (self));
  replace_strv (self, &self->missing_fields, missing, PROP_MISSING_FIELDS);
  if (was_complete != pd_organization_get_bill_to_complete (self))
    notify (self, PROP_BILL_TO_COMPLETE);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- State -------------------------------------------------------------------------------- */

gboolean
pd_organization_get_removed (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->removed;
}

void
pd_organization_set_removed (PdOrganization *self,
                             gboolean        removed)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  if (self->removed == !!removed)
    return;
  self->removed = !!removed;
  notify (self, PROP_REMOVED);
}

gboolean
pd_organization_get_possible_duplicate (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), FALSE);
  return self->possible_duplicate;
}

void
pd_organization_set_possible_duplicate (PdOrganization *self,
                                        gboolean        duplicate)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  if (self->possible_duplicate == !!duplicate)
    return;
  self->possible_duplicate = !!duplicate;
  notify (self, PROP_POSSIBLE_DUPLICATE);
}

GDateTime *
pd_organization_get_last_synced_at (PdOrganization *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (self), NULL);
  return self->last_synced_at;
}

void
pd_organization_set_last_synced_at (PdOrganization *self,
                                    GDateTime      *when)
{
  g_return_if_fail (PD_IS_ORGANIZATION (self));
  replace_date_time (self, &self->last_synced_at, when, PROP_LAST_SYNCED_AT);
}
