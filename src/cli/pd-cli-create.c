/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-create.c — `create`, `duplicates` and `link`: manual organizations and the guard
 * against creating a second organization for a customer that already has a tenant.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "core/pd-duplicates.h"
#include "core/pd-text.h"
#include "pd-cli-json.h"
#include "pd-cli-table.h"
#include "pd-cli.h"

/* The score from which two organizations are shown as "looks like the same customer". High
 * enough that a common word in two names does not refuse a create, low enough that a
 * legal-suffix or accent variant of the same name is caught. */
#define DUPLICATE_MIN_SCORE 0.7
#define MAX_MATCHES 10

static int
refuse_duplicate (const char *name,
                  GPtrArray  *matches)
{
  g_autofree char *name_line = pd_text_one_line (name);

  pd_cli_fail (PD_CLI_EXIT_REFUSED,
               _("not created: “%s” looks like an organization that already exists "
                 "(--force creates it anyway)"), name_line);
  g_print ("%s\n", _("Existing organizations that look like the same customer:"));
  for (guint i = 0; i < matches->len; i++)
    {
      const PdDuplicateMatch *match = g_ptr_array_index (matches, i);
      g_autofree char *reasons = pd_match_reasons_to_string (match->reasons);
      g_autofree char *match_name = pd_text_one_line (match->name);

      g_print ("  %" G_GINT64_FORMAT "  %s  %s  (%s)\n", match->org_id, match_name,
               match->tenant_id != NULL ? match->tenant_id : _("no tenant"), reasons);
    }
  g_print ("%s\n", _("Use the existing organization (partner-desk-cli show ORG). A customer "
                     "without a relationship yet gets the consent link "
                     "(partner-desk-cli consent-link); a manual organization is attached to "
                     "its tenant with partner-desk-cli link ORG TENANT."));
  return PD_CLI_EXIT_REFUSED;
}

/* An ERP ID belongs to one organization: a clash is an error, not a "maybe the same
 * customer" (the store's rule, pd_store_check_erp_id_free). The whole cache is checked first,
 * outside any transaction (a million organizations take seconds to read); *out_since says up
 * to which organization. */
static int
guard_duplicates (PdCli              *cli,
                  PdDuplicatesCreate *create,
                  gint64             *out_since)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDuplicates) index = NULL;
  PdStore *store = pd_cli_get_store (cli, &error);

  /* A taken ERP ID is an error of its own, not a suspected duplicate. */
  if (store == NULL || !pd_store_check_erp_id_free (store, 0, create->erp_id, &error)
      || (index = pd_duplicates_new_for_store (store, &error)) == NULL)
    return pd_cli_fail_error (error);
  *out_since = pd_duplicates_get_built_up_to (index);
  if (!pd_duplicates_check_create (index, create))
    return refuse_duplicate (create->name, create->matches);
  return PD_CLI_EXIT_OK;
}

static int
create (PdCli      *cli,
        const char *name,
        const char *domain,
        const char *country,
        const char *erp_id,
        gboolean    force)
{
  g_autoptr(GError) error = NULL;
  PdDuplicatesCreate guard = { name, domain, erp_id, DUPLICATE_MIN_SCORE, MAX_MATCHES, NULL };
  PdStoreCreateGuard added_since = { 0, pd_duplicates_check_added, &guard };
  g_autofree char *name_line = NULL;
  int status = PD_CLI_EXIT_OK;
  gint64 id = 0;

  if (!force && (status = guard_duplicates (cli, &guard, &added_since.since)) == PD_CLI_EXIT_OK)
    id = pd_store_create_manual_guarded (cli->store, name, domain, country, erp_id,
                                         &added_since, &error);
  else if (force && pd_cli_get_store (cli, &error) != NULL)
    id = pd_store_create_manual (cli->store, name, domain, country, erp_id, &error);
  if (id == 0 && status == PD_CLI_EXIT_OK)
    status = guard.matches != NULL && guard.matches->len > 0
               ? refuse_duplicate (name, guard.matches) : pd_cli_fail_error (error);
  g_clear_pointer (&guard.matches, g_ptr_array_unref);
  if (id == 0)
    return status;
  /* A name given with a line break (a pasted cell) is told on one line, as every name is. */
  name_line = pd_text_one_line (name);
  /* %lld, not G_GINT64_FORMAT: xgettext cannot see through a macro inside _(). */
  g_print (_("Created “%s” (id %lld).\n"), name_line, (long long) id);
  return PD_CLI_EXIT_OK;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

int
pd_cli_cmd_create (PdCli  *cli,
                   char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *country = NULL;
  g_autofree char *erp_id = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, PD_CLI_ARG_TEXT, &name, N_("Organization name (required)"), N_("NAME") },
    { "domain", 0, 0, PD_CLI_ARG_TEXT, &domain, N_("Internet domain"), N_("DOMAIN") },
    { "country", 0, 0, PD_CLI_ARG_TEXT, &country, N_("ISO 3166 country code"), N_("CC") },
    { "erp-id", 0, 0, PD_CLI_ARG_TEXT, &erp_id, N_("ERP ID"), N_("ID") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Create even when it looks like an existing organization"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("create", entries, argv, 0, 0, &args, &status))
    return status;
  if (is_blank (name))
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("create: --name is required"));
  if ((status = pd_cli_check_country (country)) != PD_CLI_EXIT_OK)
    return status;
  return create (cli, g_strstrip (name), domain, country, erp_id, force);
}

static void
print_group (GArray     *group,
             GHashTable *by_id,
             guint       number)
{
  const char *headers[] = { _("Id"), _("Name"), _("Domain"), _("Tenant ID"), _("ERP ID"), NULL };
  g_autoptr(PdCliTable) table = pd_cli_table_new (headers);
  g_autofree char *text = NULL;

  for (guint i = 0; i < group->len; i++)
    {
      gint64 id = g_array_index (group, gint64, i);
      PdOrganization *org = g_hash_table_lookup (by_id, &id);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      const char *tenant = org != NULL ? pd_organization_get_tenant_id (org) : NULL;
      const char *cells[] = {
        id_text,
        org != NULL ? pd_organization_get_name (org) : NULL,
        org != NULL ? pd_organization_get_domain (org) : NULL,
        tenant != NULL ? tenant : _("no tenant"),
        org != NULL ? pd_organization_get_erp_id (org) : NULL,
        NULL
      };

      pd_cli_table_add_row (table, cells);
    }
  pd_cli_table_set_shrinkable (table, 1, 12);
  pd_cli_table_set_shrinkable (table, 2, 10);
  text = pd_cli_table_render (table, pd_cli_terminal_width ());
  g_print (_("Possible duplicates, group %u:\n%s\n"), number, text);
}

/* The organizations `duplicates` groups: those the store flags for the list's filter, when
 * the flags are up to date (the groups of the flagged are the groups of all: see
 * PD_DUPLICATES_GROUP_MIN_SCORE), else every one (a million took 1.7 GB and 30 s). */
static GPtrArray *
list_candidates (PdCli *cli,
                 int   *out_status)
{
  g_autoptr(GError) error = NULL;
  PdStoreQuery query = { 0 };
  PdStore *store;
  GPtrArray *organizations = NULL;
  gboolean exact = FALSE;

  /* A mistyped --db must not become an empty cache that has no duplicates. */
  if ((store = pd_cli_open_cache (cli, out_status)) == NULL)
    return NULL;
  if (pd_store_get_dup_flags_exact (store, &exact, &error))
    {
      query.filter = exact ? PD_FILTER_DUPLICATES : PD_FILTER_ALL;
      organizations = pd_store_list (store, &query, &error);
    }
  if (organizations == NULL)
    *out_status = pd_cli_fail_error (error);
  return organizations;
}

/* The groups as JSON: an array of groups, each an array of its organizations as
 * `show --format json` writes them. */
static void
print_groups_json (GPtrArray  *groups,
                   GHashTable *by_id,
                   PdStore    *store)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (out);

  pd_cli_json_writer_begin_array (writer);
  for (guint i = 0; i < groups->len; i++)
    {
      GArray *group = g_ptr_array_index (groups, i);

      pd_cli_json_writer_begin_array (writer);
      for (guint j = 0; j < group->len; j++)
        {
          PdOrganization *org = g_hash_table_lookup (by_id, &g_array_index (group, gint64, j));

          if (org != NULL)
            pd_cli_json_write_organization (writer, org, store);
        }
      pd_cli_json_writer_end_array (writer);
    }
  pd_cli_json_writer_end_array (writer);
  pd_cli_print_json (out->str);
}

/* Groups organizations and prints each group of possible duplicates. */
static void
print_groups (GPtrArray *organizations,
              PdStore   *store,
              gboolean   json)
{
  g_autoptr(PdDuplicates) index = pd_duplicates_new_for_organizations (organizations);
  g_autoptr(GPtrArray) groups = pd_duplicates_find_groups (index, PD_DUPLICATES_GROUP_MIN_SCORE);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < organizations->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (organizations, i);
      gint64 id = pd_organization_get_id (org);

      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), org);
    }
  if (json)
    print_groups_json (groups, by_id, store);
  else if (groups->len == 0)
    g_print ("%s\n", _("No possible duplicates."));
  for (guint i = 0; !json && i < groups->len; i++)
    print_group (g_ptr_array_index (groups, i), by_id, i + 1);
}

int
pd_cli_cmd_duplicates (PdCli  *cli,
                       char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  int status = PD_CLI_EXIT_OK;
  gboolean json = FALSE;

  if (!pd_cli_parse_text_json_options ("duplicates", argv, 0, 0, &args, &json, &status))
    return status;
  organizations = list_candidates (cli, &status);
  if (organizations == NULL)
    return status;
  print_groups (organizations, cli->store, json);
  return PD_CLI_EXIT_OK;
}

int
pd_cli_cmd_link (PdCli  *cli,
                 char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int status = PD_CLI_EXIT_OK;
  gint64 id;

  if (!pd_cli_parse_options ("link", NULL, argv, 2, 2, &args, &status))
    return status;
  g_strstrip (args[1]);
  if (!g_uuid_string_is_valid (args[1]))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("“%s” is not a tenant ID (a GUID)"), args[1]);
  org = pd_cli_find_organization (cli, args[0], &status);
  if (org == NULL)
    return status;
  id = pd_store_link (cli->store, pd_organization_get_id (org), args[1], &error);
  if (id == 0)
    return pd_cli_fail_error (error);
  name = pd_text_one_line (pd_organization_get_name (org));
  g_print (_("Linked “%s” to tenant %s (organization id %lld).\n"), name, args[1], (long long) id);
  return PD_CLI_EXIT_OK;
}
