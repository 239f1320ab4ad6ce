/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-json.c — see pd-sim-json.h. Shapes follow partner-center-api.md §3–§12: camelCase
 * keys, attributes.objectType on every resource, links as {uri, method, headers}. */
#include "pd-sim-json.h"

#include <string.h>

void
pd_sim_json_init (PdSimJson *w)
{
  w->s = g_string_sized_new (1024);
  w->depth = 0;
  w->first[0] = TRUE;
}

void
pd_sim_json_init_object (PdSimJson *w)
{
  pd_sim_json_init (w);
  pd_sim_json_begin_object (w, NULL);
}

char *
pd_sim_json_finish_object (PdSimJson *w)
{
  pd_sim_json_end_object (w);
  return pd_sim_json_steal (w, NULL);
}

char *
pd_sim_json_steal (PdSimJson *w, gsize *length)
{
  if (length != NULL)
    *length = w->s->len;
  char *text = g_string_free (w->s, FALSE);
  w->s = NULL;
  return text;
}

void
pd_sim_json_clear (PdSimJson *w)
{
  if (w->s != NULL)
    g_string_free (w->s, TRUE);
  w->s = NULL;
}

static void
append_escaped (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      switch (c)
        {
        case '"': g_string_append (s, "\\\""); break;
        case '\\': g_string_append (s, "\\\\"); break;
        case '\n': g_string_append (s, "\\n"); break;
        case '\r': g_string_append (s, "\\r"); break;
        case '\t': g_string_append (s, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (s, "\\u%04x", c);
          else
            g_string_append_c (s, (char) c);
        }
    }
  g_string_append_c (s, '"');
}

/* Writes the separator and the key of the next member or element. */
static void
begin_value (PdSimJson *w, const char *key)
{
  if (!w->first[w->depth])
    g_string_append_c (w->s, ',');
  w->first[w->depth] = FALSE;
  if (key != NULL)
    {
      append_escaped (w->s, key);
      g_string_append_c (w->s, ':');
    }
}

static void
open_container (PdSimJson *w, const char *key, char bracket)
{
  begin_value (w, key);
  g_string_append_c (w->s, bracket);
  g_return_if_fail (w->depth + 1 < G_N_ELEMENTS (w->first));
  w->depth++;
  w->first[w->depth] = TRUE;
}

static void
close_container (PdSimJson *w, char bracket)
{
  w->depth--;
  g_string_append_c (w->s, bracket);
}

void
pd_sim_json_begin_object (PdSimJson *w, const char *key)
{
  open_container (w, key, '{');
}

void
pd_sim_json_end_object (PdSimJson *w)
{
  close_container (w, '}');
}

void
pd_sim_json_begin_array (PdSimJson *w, const char *key)
{
  open_container (w, key, '[');
}

void
pd_sim_json_end_array (PdSimJson *w)
{
  close_container (w, ']');
}

void
pd_sim_json_string (PdSimJson *w, const char *key, const char *value)
{
  if (value == NULL)
    return;
  begin_value (w, key);
  append_escaped (w->s, value);
}

void
pd_sim_json_null (PdSimJson *w, const char *key)
{
  begin_value (w, key);
  g_string_append (w->s, "null");
}

void
pd_sim_json_int (PdSimJson *w, const char *key, gint64 value)
{
  begin_value (w, key);
  g_string_append_printf (w->s, "%" G_GINT64_FORMAT, value);
}

void
pd_sim_json_bool (PdSimJson *w, const char *key, gboolean value)
{
  begin_value (w, key);
  g_string_append (w->s, value ? "true" : "false");
}

void
pd_sim_json_raw (PdSimJson *w, const char *key, const char *json)
{
  begin_value (w, key);
  g_string_append (w->s, json);
}

void
pd_sim_json_link (PdSimJson *w, const char *key, const char *uri,
                  const char *header_key, const char *header_value)
{
  pd_sim_json_begin_object (w, key);
  pd_sim_json_string (w, "uri", uri);
  pd_sim_json_string (w, "method", "GET");
  pd_sim_json_begin_array (w, "headers");
  if (header_key != NULL && header_value != NULL)
    {
      pd_sim_json_begin_object (w, NULL);
      pd_sim_json_string (w, "key", header_key);
      pd_sim_json_string (w, "value", header_value);
      pd_sim_json_end_object (w);
    }
  pd_sim_json_end_array (w);
  pd_sim_json_end_object (w);
}

static void
write_self_link (PdSimJson *w, const char *id, const char *below)
{
  g_autofree char *uri = g_strconcat ("/customers/", id, below, NULL);

  pd_sim_json_begin_object (w, "links");
  pd_sim_json_link (w, "self", uri, NULL, NULL);
  pd_sim_json_end_object (w);
}

void
pd_sim_json_attributes (PdSimJson *w, const char *object_type, const char *etag)
{
  pd_sim_json_begin_object (w, "attributes");
  pd_sim_json_string (w, "etag", etag);
  pd_sim_json_string (w, "objectType", object_type);
  pd_sim_json_end_object (w);
}

void
pd_sim_json_billing_profile (PdSimJson *w, const char *key, const PdSimCustomer *c)
{
  char etag[32];

  pd_sim_json_begin_object (w, key);
  pd_sim_json_string (w, "id", c->profile_id);
  for (guint f = 0; f < PD_SIM_BILL_FIRST_ADDRESS_FIELD; f++)
    pd_sim_json_string (w, pd_sim_bill_key (f), c->bill[f]);
  pd_sim_json_begin_object (w, "defaultAddress");
  for (guint f = PD_SIM_BILL_FIRST_ADDRESS_FIELD; f < PD_SIM_BILL_N; f++)
    pd_sim_json_string (w, pd_sim_bill_key (f), c->bill[f]);
  pd_sim_json_end_object (w);
  write_self_link (w, c->id, "/profiles/billing");
  g_snprintf (etag, sizeof etag, "%" G_GINT64_FORMAT, c->etag);
  pd_sim_json_attributes (w, "CustomerBillingProfile", etag);
  pd_sim_json_end_object (w);
}

static void
write_company_profile_body (PdSimJson *w, const PdSimCustomer *c)
{
  pd_sim_json_string (w, "tenantId", c->id);
  pd_sim_json_string (w, "domain", c->domain);
  pd_sim_json_string (w, "companyName", c->bill[PD_SIM_BILL_COMPANY_NAME]);
}

static void
write_company_address (PdSimJson *w, const PdSimCustomer *c)
{
  static const PdSimBillField address_fields[] = {
    PD_SIM_BILL_COUNTRY, PD_SIM_BILL_REGION, PD_SIM_BILL_CITY, PD_SIM_BILL_LINE1,
    PD_SIM_BILL_POSTAL_CODE, PD_SIM_BILL_PHONE,
  };

  pd_sim_json_begin_object (w, "address");
  for (guint i = 0; i < G_N_ELEMENTS (address_fields); i++)
    pd_sim_json_string (w, pd_sim_bill_key (address_fields[i]), c->bill[address_fields[i]]);
  pd_sim_json_end_object (w);
  pd_sim_json_string (w, "email", c->bill[PD_SIM_BILL_EMAIL]);
}

static void write_customer (PdSimJson *w, const PdSimCustomer *c, gboolean full,
                            gboolean with_billing);

void
pd_sim_json_customer (PdSimJson *w, const PdSimCustomer *c, gboolean full)
{
  write_customer (w, c, full, full);
}

void
pd_sim_json_customer_without_billing (PdSimJson *w, const PdSimCustomer *c)
{
  write_customer (w, c, TRUE, FALSE);
}

static void
write_customer (PdSimJson *w, const PdSimCustomer *c, gboolean full, gboolean with_billing)
{
  pd_sim_json_begin_object (w, NULL);
  pd_sim_json_string (w, "id", c->id);
  pd_sim_json_string (w, "commerceId", c->commerce_id);
  pd_sim_json_begin_object (w, "companyProfile");
  write_company_profile_body (w, c);
  /* The GET-by-id sample carries the address and e-mail here too; the list does not. */
  if (full)
    write_company_address (w, c);
  write_self_link (w, c->id, "/profiles/company");
  pd_sim_json_attributes (w, "CustomerCompanyProfile", NULL);
  pd_sim_json_end_object (w);
  if (with_billing)
    pd_sim_json_billing_profile (w, "billingProfile", c);
  if (full)
    {
      pd_sim_json_begin_array (w, "customDomains");
      pd_sim_json_string (w, NULL, c->custom_domain);
      pd_sim_json_end_array (w);
    }
  pd_sim_json_string (w, "relationshipToPartner", "reseller");
  if (full)
    pd_sim_json_bool (w, "allowDelegatedAccess", c->delegated);
  write_self_link (w, c->id, "");
  pd_sim_json_attributes (w, "Customer", NULL);
  pd_sim_json_end_object (w);
}

void
pd_sim_json_company_profile (PdSimJson *w, const PdSimCustomer *c)
{
  pd_sim_json_begin_object (w, NULL);
  write_company_profile_body (w, c);
  write_company_address (w, c);
  write_self_link (w, c->id, "/profiles/company");
  pd_sim_json_attributes (w, "CustomerCompanyProfile", NULL);
  pd_sim_json_end_object (w);
}

void
pd_sim_json_audit (PdSimJson *w, const PdSimAudit *a, const char *partner_id)
{
  g_autofree char *date = pd_sim_format_date (a->date_us);

  pd_sim_json_begin_object (w, NULL);
  pd_sim_json_string (w, "partnerId", partner_id);
  pd_sim_json_string (w, "customerId", a->customer_id);
  pd_sim_json_string (w, "customerName", a->customer_name);
  pd_sim_json_string (w, "userPrincipalName", "admin@partnerdesksim.onmicrosoft.com");
  pd_sim_json_string (w, "applicationId", "Partner Center");
  pd_sim_json_string (w, "resourceType", a->resource_type);
  pd_sim_json_string (w, "resourceOldValue", a->old_value);
  pd_sim_json_string (w, "resourceNewValue", a->new_value);
  pd_sim_json_string (w, "operationType", a->operation_type);
  pd_sim_json_string (w, "operationStatus", "succeeded");
  pd_sim_json_string (w, "operationDate", date);
  pd_sim_json_begin_array (w, "customizedData");
  pd_sim_json_begin_object (w, NULL);
  pd_sim_json_string (w, "key", "CustomerId");
  pd_sim_json_string (w, "value", a->customer_id);
  pd_sim_json_end_object (w);
  pd_sim_json_end_array (w);
  pd_sim_json_attributes (w, "AuditRecord", NULL);
  pd_sim_json_end_object (w);
}

void
pd_sim_json_reseller (PdSimJson *w, const PdSimReseller *r)
{
  pd_sim_json_begin_object (w, NULL);
  pd_sim_json_string (w, "id", r->id);
  pd_sim_json_string (w, "name", r->name);
  pd_sim_json_string (w, "relationshipType", "is_indirect_cloud_solution_provider_of");
  pd_sim_json_string (w, "state", "Active");
  pd_sim_json_string (w, "mpnId", r->mpn_id);
  pd_sim_json_string (w, "location", r->location);
  pd_sim_json_attributes (w, "PartnerRelationship", NULL);
  pd_sim_json_end_object (w);
}

char *
pd_sim_billing_profile_to_string (const PdSimCustomer *customer)
{
  PdSimJson w;

  pd_sim_json_init (&w);
  pd_sim_json_billing_profile (&w, NULL, customer);
  return pd_sim_json_steal (&w, NULL);
}

char *
pd_sim_format_date (gint64 unix_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) precise = g_date_time_add (utc, unix_us % G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (precise);
}

/* The classic error body after its "code" (a number, or a string in some answers): the
 * description, an empty "data" and the source. */
static char *
finish_classic_error (PdSimJson *w, const char *description, const char *source)
{
  pd_sim_json_string (w, "description", description);
  pd_sim_json_begin_array (w, "data");
  pd_sim_json_end_array (w);
  pd_sim_json_string (w, "source", source);
  return pd_sim_json_finish_object (w);
}

char *
pd_sim_classic_error (gint64 code, const char *description, const char *source)
{
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_int (&w, "code", code);
  return finish_classic_error (&w, description, source);
}

char *
pd_sim_newer_error (gint64 code, const char *error_name, const char *message)
{
  g_autofree char *extended = g_strdup_printf ("InternalErrorCode=%" G_GINT64_FORMAT, code);
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_int (&w, "code", code);
  pd_sim_json_string (&w, "message", message);
  pd_sim_json_string (&w, "description", message);
  pd_sim_json_string (&w, "errorName", error_name);
  pd_sim_json_bool (&w, "isRetryable", FALSE);
  pd_sim_json_begin_object (&w, "parameters");
  pd_sim_json_end_object (&w);
  pd_sim_json_string (&w, "errorMessageExtended", extended);
  return pd_sim_json_finish_object (&w);
}

char *
pd_sim_string_code_error (const char *code, const char *description, const char *source)
{
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "code", code);
  return finish_classic_error (&w, description, source);
}
