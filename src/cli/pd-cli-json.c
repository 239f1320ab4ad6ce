/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-json.c — an organization as the JSON of design.md §4. */
#include "config.h"

#include <string.h>

#include "core/pd-bill-to.h"
#include "pd-cli-json.h"

void
pd_cli_json_add_string (JsonBuilder *builder,
                        const char  *key,
                        const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
pd_cli_json_add_int (JsonBuilder *builder,
                     const char  *key,
                     gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *key,
          const char * const *values)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *key,
             gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

/* The field paths ("email", "address.city") are the JSON keys: a path with a dot opens the
 * nested object it names, so the shape follows PdBillTo's field order without a second table
 * of names that could drift from it. */
static void
build_bill_to (JsonBuilder    *builder,
               const PdBillTo *bill_to)
{
  g_autofree char *open_object = NULL;

  json_builder_begin_object (builder);
  for (int field = 0; field < PD_BILL_TO_N_FIELDS; field++)
    {
      const char *path = pd_bill_to_field_path (field);
      const char *dot = strchr (path, '.');
      const char *value = bill_to != NULL ? pd_bill_to_get (bill_to, field) : NULL;

      if (dot != NULL && (open_object == NULL || strncmp (open_object, path, dot - path) != 0
                          || open_object[dot - path] != '\0'))
        {
          if (open_object != NULL)
            json_builder_end_object (builder);
          g_free (open_object);
          open_object = g_strndup (path, dot - path);
          json_builder_set_member_name (builder, open_object);
          json_builder_begin_object (builder);
        }
      pd_cli_json_add_string (builder, dot != NULL ? dot + 1 : path, value);
    }
  if (open_object != NULL)
    json_builder_end_object (builder);
  json_builder_end_object (builder);
}

JsonNode *
pd_cli_json_bill_to (const PdBillTo *bill_to)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_bill_to (builder, bill_to);
  return json_builder_get_root (builder);
}

static void
add_identity (JsonBuilder    *builder,
              PdOrganization *org)
{
  pd_cli_json_add_int (builder, "id", pd_organization_get_id (org));
  pd_cli_json_add_string (builder, "tenantId", pd_organization_get_tenant_id (org));
  pd_cli_json_add_string (builder, "source",
                          pd_org_source_to_string (pd_organization_get_source (org)));
  pd_cli_json_add_string (builder, "name", pd_organization_get_name (org));
  pd_cli_json_add_string (builder, "domain", pd_organization_get_domain (org));
  pd_cli_json_add_string (builder, "country", pd_organization_get_country (org));
}

static void
add_local_fields (JsonBuilder    *builder,
                  PdOrganization *org)
{
  pd_cli_json_add_string (builder, "erpId", pd_organization_get_erp_id (org));
  pd_cli_json_add_string (builder, "registrationNumber",
                          pd_organization_get_registration_number (org));
  add_strv (builder, "segments", pd_organization_get_segments (org));
  pd_cli_json_add_string (builder, "currency", pd_organization_get_currency (org));
  pd_cli_json_add_string (builder, "status",
                          pd_org_status_to_string (pd_organization_get_status (org)));
  pd_cli_json_add_string (builder, "notes", pd_organization_get_notes (org));
}

/* The fields the bill-to lacks as shown with the local edits (missingFields describes the one
 * Microsoft checks: Partner Center's). The same unless a local edit changed a bill-to field. */
static void
add_local_missing (JsonBuilder    *builder,
                   PdOrganization *org,
                   PdCountryRules *rules)
{
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GStrvBuilder) paths = NULL;
  g_auto(GStrv) strv = NULL;

  if (!pd_organization_get_has_local_edits (org) || rules == NULL)
    {
      add_strv (builder, "localMissingFields", pd_organization_get_missing_fields (org));
      return;
    }
  missing = pd_missing_fields_for (pd_organization_get_bill_to (org),
                                   pd_organization_get_registration_number (org), rules);
  paths = g_strv_builder_new ();
  for (guint i = 0; i < missing->len; i++)
    g_strv_builder_add (paths, pd_missing_field_path (
                                 ((PdMissingField *) g_ptr_array_index (missing, i))->field));
  strv = g_strv_builder_end (paths);
  add_strv (builder, "localMissingFields", (const char * const *) strv);
}

/* Why the latest read of the bill-to failed (null when it did not), and when it was last
 * read (null: never): a bill-to kept from an earlier read is never shown as fresh. */
static void
add_bill_to_read (JsonBuilder    *builder,
                  PdOrganization *org)
{
  GDateTime *read_at = pd_organization_get_bill_to_read_at (org);
  g_autofree char *read_at_text = read_at != NULL ? g_date_time_format_iso8601 (read_at) : NULL;

  pd_cli_json_add_string (builder, "billToReadError", pd_organization_get_bill_to_read_error (org));
  pd_cli_json_add_string (builder, "billToReadAt", read_at_text);
}

static void
add_bill_to (JsonBuilder    *builder,
             PdOrganization *org,
             PdCountryRules *rules)
{
  g_auto(GStrv) local_fields = pd_organization_dup_local_bill_to_fields (org);

  json_builder_set_member_name (builder, "billTo");
  build_bill_to (builder, pd_organization_get_bill_to (org));
  json_builder_set_member_name (builder, "billToPartnerCenter");
  build_bill_to (builder, pd_organization_get_bill_to_partner_center (org));
  pd_cli_json_add_string (builder, "billToEtag", pd_organization_get_bill_to_etag (org));
  add_strv (builder, "localBillToFields", (const char * const *) local_fields);
  add_boolean (builder, "billToComplete", pd_organization_get_bill_to_complete (org));
  add_strv (builder, "missingFields", pd_organization_get_missing_fields (org));
  add_local_missing (builder, org, rules);
  pd_cli_json_add_string (builder, "billToState",
                          pd_bill_to_state_to_string (pd_organization_get_bill_to_state (org)));
  add_bill_to_read (builder, org);
}

static void
add_sync_state (JsonBuilder    *builder,
                PdOrganization *org)
{
  GDateTime *synced = pd_organization_get_last_synced_at (org);
  g_autofree char *synced_text = synced != NULL ? g_date_time_format_iso8601 (synced) : NULL;

  GDateTime *checked = pd_organization_get_account_checked_at (org);
  g_autofree char *checked_text = checked != NULL ? g_date_time_format_iso8601 (checked) : NULL;

  add_boolean (builder, "removedFromPartnerCenter", pd_organization_get_removed (org));
  pd_cli_json_add_string (builder, "lastSyncedAt", synced_text);
  /* Microsoft's account verification as last asked: null when never asked. */
  pd_cli_json_add_string (builder, "accountStatus",
                          checked != NULL
                            ? pd_account_status_to_string (pd_organization_get_account_status (org))
                            : NULL);
  pd_cli_json_add_string (builder, "accountCheckedAt", checked_text);
}

static void
add_reseller (JsonBuilder    *builder,
              PdOrganization *org)
{
  json_builder_set_member_name (builder, "reseller");
  if (pd_organization_get_reseller_id (org) == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  pd_cli_json_add_string (builder, "id", pd_organization_get_reseller_id (org));
  pd_cli_json_add_string (builder, "name", pd_organization_get_reseller_name (org));
  json_builder_end_object (builder);
}

static gboolean
currency_pending (PdOrganization *org)
{
  GDateTime *effective = pd_organization_get_currency_effective (org);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return effective != NULL && g_date_time_compare (effective, now) > 0;
}

/* The currency billed until a pending change takes effect: the value before the first
 * currency change of the month before the effective date (every change of that month takes
 * effect on the same day). NULL when none was set, or nothing is pending. */
static char *
dup_currency_until_then (PdStore        *store,
                         PdOrganization *org)
{
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const char *until = NULL;

  if (store == NULL || !currency_pending (org))
    return NULL;
  since = g_date_time_add_months (pd_organization_get_currency_effective (org), -1);
  history = pd_store_get_history (store, pd_organization_get_id (org), NULL);
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      const PdHistoryEntry *entry = g_ptr_array_index (history, i);

      if (!g_str_equal (entry->what, "currency"))
        continue;
      if (g_date_time_compare (entry->when, since) < 0)
        break;
      until = entry->old_value;
    }
  return g_strdup (until);
}

static void
add_people_and_currency (JsonBuilder    *builder,
                         PdOrganization *org,
                         PdStore        *store)
{
  GDateTime *effective = pd_organization_get_currency_effective (org);
  g_autofree char *from = effective != NULL ? g_date_time_format (effective, "%Y-%m-%d") : NULL;
  g_autofree char *until_then = dup_currency_until_then (store, org);

  add_strv (builder, "loginOptions", pd_organization_get_login_options (org));
  pd_cli_json_add_string (builder, "accountManager", pd_organization_get_account_manager (org));
  add_reseller (builder, org);
  pd_cli_json_add_string (builder, "currencyEffectiveFrom", from);
  pd_cli_json_add_string (builder, "currencyUntilThen", until_then);
}

static void
build_organization (JsonBuilder    *builder,
                    PdOrganization *org,
                    PdStore        *store)
{
  json_builder_begin_object (builder);
  add_identity (builder, org);
  add_local_fields (builder, org);
  add_bill_to (builder, org, store != NULL ? pd_store_get_country_rules (store) : NULL);
  add_sync_state (builder, org);
  add_people_and_currency (builder, org, store);
  json_builder_end_object (builder);
}

JsonNode *
pd_cli_json_organization (PdOrganization *organization,
                          PdStore        *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_organization (builder, organization, store);
  return json_builder_get_root (builder);
}

/* node pretty-printed with an indent of 2, without a final newline: the one form of every
 * JSON document the CLI writes. */
static char *
dup_pretty (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

void
pd_cli_json_append_element (GString  *out,
                            JsonNode *node,
                            gboolean  first)
{
  g_autofree char *text = dup_pretty (node);

  /* One level deeper, as in the array: JSON strings hold no raw newline, so every newline
   * of the text starts a line to indent. */
  g_string_append (out, first ? "[\n  " : ",\n  ");
  for (const char *line = text, *end; ; line = end + 1)
    {
      if ((end = strchr (line, '\n')) == NULL)
        {
          g_string_append (out, line);
          return;
        }
      g_string_append_len (out, line, end + 1 - line);
      g_string_append (out, "  ");
    }
}

char *
pd_cli_json_to_string (JsonNode *node)
{
  g_autofree char *text = dup_pretty (node);

  return g_strconcat (text, "\n", NULL);
}
