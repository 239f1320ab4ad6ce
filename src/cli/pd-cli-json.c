/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-json.c — an organization as the JSON of design.md §4. */
#include "config.h"

#include <string.h>

#include "core/pd-bill-to.h"
#include "pd-cli-json.h"

void
pd_cli_json_add_string (PdCliJsonWriter *writer,
                        const char      *key,
                        const char      *value)
{
  pd_cli_json_writer_set_member_name (writer, key);
  pd_cli_json_writer_add_string_value (writer, value);
}

void
pd_cli_json_add_int (PdCliJsonWriter *writer,
                     const char      *key,
                     gint64           value)
{
  pd_cli_json_writer_set_member_name (writer, key);
  pd_cli_json_writer_add_int_value (writer, value);
}

static void
add_strv (PdCliJsonWriter    *writer,
          const char         *key,
          const char * const *values)
{
  pd_cli_json_writer_set_member_name (writer, key);
  pd_cli_json_writer_begin_array (writer);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    pd_cli_json_writer_add_string_value (writer, values[i]);
  pd_cli_json_writer_end_array (writer);
}

static void
add_boolean (PdCliJsonWriter *writer,
             const char      *key,
             gboolean         value)
{
  pd_cli_json_writer_set_member_name (writer, key);
  pd_cli_json_writer_add_boolean_value (writer, value);
}

/* The field paths ("email", "address.city") are the JSON keys: a path with a dot opens the
 * nested object it names, so the shape follows PdBillTo's field order without a second table
 * of names that could drift from it. */
static void
build_bill_to (PdCliJsonWriter *writer,
               const PdBillTo  *bill_to)
{
  g_autofree char *open_object = NULL;

  pd_cli_json_writer_begin_object (writer);
  for (int field = 0; field < PD_BILL_TO_N_FIELDS; field++)
    {
      const char *path = pd_bill_to_field_path (field);
      const char *dot = strchr (path, '.');
      const char *value = bill_to != NULL ? pd_bill_to_get (bill_to, field) : NULL;

      if (dot != NULL && (open_object == NULL || strncmp (open_object, path, dot - path) != 0
                          || open_object[dot - path] != '\0'))
        {
          if (open_object != NULL)
            pd_cli_json_writer_end_object (writer);
          g_free (open_object);
          open_object = g_strndup (path, dot - path);
          pd_cli_json_writer_set_member_name (writer, open_object);
          pd_cli_json_writer_begin_object (writer);
        }
      pd_cli_json_add_string (writer, dot != NULL ? dot + 1 : path, value);
    }
  if (open_object != NULL)
    pd_cli_json_writer_end_object (writer);
  pd_cli_json_writer_end_object (writer);
}

static void
add_identity (PdCliJsonWriter *writer,
              PdOrganization  *org)
{
  pd_cli_json_add_int (writer, "id", pd_organization_get_id (org));
  pd_cli_json_add_string (writer, "tenantId", pd_organization_get_tenant_id (org));
  pd_cli_json_add_string (writer, "source",
                          pd_org_source_to_string (pd_organization_get_source (org)));
  pd_cli_json_add_string (writer, "name", pd_organization_get_name (org));
  pd_cli_json_add_string (writer, "domain", pd_organization_get_domain (org));
  pd_cli_json_add_string (writer, "country", pd_organization_get_country (org));
}

static void
add_local_fields (PdCliJsonWriter *writer,
                  PdOrganization  *org)
{
  pd_cli_json_add_string (writer, "erpId", pd_organization_get_erp_id (org));
  pd_cli_json_add_string (writer, "registrationNumber",
                          pd_organization_get_registration_number (org));
  add_strv (writer, "segments", pd_organization_get_segments (org));
  pd_cli_json_add_string (writer, "currency", pd_organization_get_currency (org));
  pd_cli_json_add_string (writer, "status",
                          pd_org_status_to_string (pd_organization_get_status (org)));
  pd_cli_json_add_string (writer, "notes", pd_organization_get_notes (org));
}

/* The fields the bill-to lacks as shown with the local edits (missingFields describes the one
 * Microsoft checks: Partner Center's). The same unless a local edit changed a bill-to field. */
static void
add_local_missing (PdCliJsonWriter *writer,
                   PdOrganization  *org,
                   PdCountryRules  *rules)
{
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GStrvBuilder) paths = NULL;
  g_auto(GStrv) strv = NULL;

  /* A local registration number never makes orders accepted, but counts as shown. */
  if ((!pd_organization_get_has_local_edits (org)
       && pd_organization_get_registration_number (org) == NULL) || rules == NULL)
    {
      add_strv (writer, "localMissingFields", pd_organization_get_missing_fields (org));
      return;
    }
  missing = pd_missing_fields_for (pd_organization_get_bill_to (org),
                                   pd_organization_get_registration_number (org), rules);
  paths = g_strv_builder_new ();
  for (guint i = 0; i < missing->len; i++)
    g_strv_builder_add (paths, pd_missing_field_path (
                                 ((PdMissingField *) g_ptr_array_index (missing, i))->field));
  strv = g_strv_builder_end (paths);
  add_strv (writer, "localMissingFields", (const char * const *) strv);
}

/* Why the latest read of the bill-to failed (null when it did not), and when it was last
 * read (null: never): a bill-to kept from an earlier read is never shown as fresh, and
 * billToStale says so in one key (billToState stays complete or incomplete, as last read). */
static void
add_bill_to_read (PdCliJsonWriter *writer,
                  PdOrganization  *org)
{
  GDateTime *read_at = pd_organization_get_bill_to_read_at (org);
  g_autofree char *read_at_text = read_at != NULL ? g_date_time_format_iso8601 (read_at) : NULL;

  pd_cli_json_add_string (writer, "billToReadError", pd_organization_get_bill_to_read_error (org));
  pd_cli_json_add_string (writer, "billToReadAt", read_at_text);
  add_boolean (writer, "billToStale", pd_organization_get_bill_to_stale (org));
}

static void
add_bill_to (PdCliJsonWriter *writer,
             PdOrganization  *org,
             PdCountryRules  *rules)
{
  g_auto(GStrv) local_fields = pd_organization_dup_local_bill_to_fields (org);

  pd_cli_json_writer_set_member_name (writer, "billTo");
  build_bill_to (writer, pd_organization_get_bill_to (org));
  pd_cli_json_writer_set_member_name (writer, "billToPartnerCenter");
  build_bill_to (writer, pd_organization_get_bill_to_partner_center (org));
  pd_cli_json_add_string (writer, "billToEtag", pd_organization_get_bill_to_etag (org));
  add_strv (writer, "localBillToFields", (const char * const *) local_fields);
  add_boolean (writer, "billToComplete", pd_organization_get_bill_to_complete (org));
  add_strv (writer, "missingFields", pd_organization_get_missing_fields (org));
  add_local_missing (writer, org, rules);
  pd_cli_json_add_string (writer, "billToState",
                          pd_bill_to_state_to_string (pd_organization_get_bill_to_state (org)));
  add_bill_to_read (writer, org);
}

static void
add_sync_state (PdCliJsonWriter *writer,
                PdOrganization  *org)
{
  GDateTime *synced = pd_organization_get_last_synced_at (org);
  g_autofree char *synced_text = synced != NULL ? g_date_time_format_iso8601 (synced) : NULL;

  GDateTime *checked = pd_organization_get_account_checked_at (org);
  g_autofree char *checked_text = checked != NULL ? g_date_time_format_iso8601 (checked) : NULL;

  add_boolean (writer, "removedFromPartnerCenter", pd_organization_get_removed (org));
  pd_cli_json_add_string (writer, "lastSyncedAt", synced_text);
  /* Microsoft's account verification as last asked: null when never asked. */
  pd_cli_json_add_string (writer, "accountStatus",
                          checked != NULL
                            ? pd_account_status_to_string (pd_organization_get_account_status (org))
                            : NULL);
  pd_cli_json_add_string (writer, "accountCheckedAt", checked_text);
}

static void
add_reseller (PdCliJsonWriter *writer,
              PdOrganization  *org)
{
  pd_cli_json_writer_set_member_name (writer, "reseller");
  if (pd_organization_get_reseller_id (org) == NULL)
    {
      pd_cli_json_writer_add_null_value (writer);
      return;
    }
  pd_cli_json_writer_begin_object (writer);
  pd_cli_json_add_string (writer, "id", pd_organization_get_reseller_id (org));
  pd_cli_json_add_string (writer, "name", pd_organization_get_reseller_name (org));
  pd_cli_json_writer_end_object (writer);
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
add_people_and_currency (PdCliJsonWriter *writer,
                         PdOrganization  *org,
                         PdStore         *store)
{
  GDateTime *effective = pd_organization_get_currency_effective (org);
  g_autofree char *from = effective != NULL ? g_date_time_format (effective, "%Y-%m-%d") : NULL;
  g_autofree char *until_then = dup_currency_until_then (store, org);

  add_strv (writer, "loginOptions", pd_organization_get_login_options (org));
  pd_cli_json_add_string (writer, "accountManager", pd_organization_get_account_manager (org));
  add_reseller (writer, org);
  pd_cli_json_add_string (writer, "currencyEffectiveFrom", from);
  pd_cli_json_add_string (writer, "currencyUntilThen", until_then);
}

static void
build_organization (PdCliJsonWriter *writer,
                    PdOrganization  *org,
                    PdStore         *store)
{
  pd_cli_json_writer_begin_object (writer);
  add_identity (writer, org);
  add_local_fields (writer, org);
  add_bill_to (writer, org, store != NULL ? pd_store_get_country_rules (store) : NULL);
  add_sync_state (writer, org);
  add_people_and_currency (writer, org, store);
  pd_cli_json_writer_end_object (writer);
}

void
pd_cli_json_write_organization (PdCliJsonWriter *writer,
                                PdOrganization  *organization,
                                PdStore         *store)
{
  build_organization (writer, organization, store);
}

char *
pd_cli_json_dup_organization (PdOrganization *organization,
                              PdStore        *store)
{
  GString *text = g_string_new (NULL);
  g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (text);

  build_organization (writer, organization, store);
  return g_string_free (text, FALSE);
}
