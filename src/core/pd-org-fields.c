/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-org-fields.c — see pd-org-fields.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-org-fields.h"

static const PdOrgFieldInfo fields[PD_N_ORG_FIELDS] = {
  [PD_ORG_FIELD_ERP_ID] = { "erp-id", "erpId", N_("ERP ID"), PD_ORG_FIELD_KIND_TEXT },
  [PD_ORG_FIELD_REGISTRATION_NUMBER] = { "registration-number", "registrationNumber",
                                         N_("Registration number"), PD_ORG_FIELD_KIND_TEXT },
  [PD_ORG_FIELD_SEGMENTS] = { "segments", "segments", N_("Segments"), PD_ORG_FIELD_KIND_LIST },
  [PD_ORG_FIELD_CURRENCY] = { "currency", "currency", N_("Preferred currency"),
                              PD_ORG_FIELD_KIND_CURRENCY },
  /* Translators: the organization's status (new, active, blocked), a field in its history */
  [PD_ORG_FIELD_STATUS] = { "status", "status", N_("Status"), PD_ORG_FIELD_KIND_ENUM },
  [PD_ORG_FIELD_LOGIN_OPTIONS] = { "login-options", "loginOptions", N_("Login options"),
                                   PD_ORG_FIELD_KIND_LIST },
  [PD_ORG_FIELD_ACCOUNT_MANAGER] = { "account-manager", "accountManager", N_("Account manager"),
                                     PD_ORG_FIELD_KIND_TEXT },
  [PD_ORG_FIELD_NOTES] = { "notes", "notes", N_("Notes"), PD_ORG_FIELD_KIND_TEXT },
  /* Translators: the organization's name, a field in its history */
  [PD_ORG_FIELD_NAME] = { "name", "name", N_("Name"), PD_ORG_FIELD_KIND_TEXT },
  /* Translators: the organization's internet domain, a field in its history */
  [PD_ORG_FIELD_DOMAIN] = { "domain", "domain", N_("Domain"), PD_ORG_FIELD_KIND_TEXT },
  [PD_ORG_FIELD_COUNTRY] = { "country", "country", N_("Country"), PD_ORG_FIELD_KIND_COUNTRY },
};

/* The field whose name at offset in PdOrgFieldInfo (key or path) is text. */
static gboolean
find_field (const char *text,
            gsize       offset,
            PdOrgField *field)
{
  for (guint i = 0; text != NULL && i < PD_N_ORG_FIELDS; i++)
    if (g_str_equal (G_STRUCT_MEMBER (const char *, &fields[i], offset), text))
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
pd_org_field_from_key (const char *key,
                       PdOrgField *field)
{
  return find_field (key, G_STRUCT_OFFSET (PdOrgFieldInfo, key), field);
}

gboolean
pd_org_field_from_path (const char *path,
                        PdOrgField *field)
{
  return find_field (path, G_STRUCT_OFFSET (PdOrgFieldInfo, path), field);
}

const PdOrgFieldInfo *
pd_org_field_get_info (PdOrgField field)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  return &fields[field];
}

const char *
pd_org_field_label (PdOrgField field)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  return _(fields[field].label);
}

gboolean
pd_org_field_is_local (PdOrgField field)
{
  return field < PD_N_LOCAL_ORG_FIELDS;
}

char *
pd_org_field_join_list (const char * const *items)
{
  return items != NULL && items[0] != NULL ? g_strjoinv (",", (char **) items) : NULL;
}

static const char *
status_name (PdOrganization *org)
{
  return pd_org_status_to_string (pd_organization_get_status (org));
}

/* How each field reads from an organization: as text, or as a list (joined with ","). */
static const char *(* const text_getters[PD_N_ORG_FIELDS]) (PdOrganization *org) = {
  [PD_ORG_FIELD_ERP_ID] = pd_organization_get_erp_id,
  [PD_ORG_FIELD_REGISTRATION_NUMBER] = pd_organization_get_registration_number,
  [PD_ORG_FIELD_CURRENCY] = pd_organization_get_currency,
  [PD_ORG_FIELD_STATUS] = status_name,
  [PD_ORG_FIELD_ACCOUNT_MANAGER] = pd_organization_get_account_manager,
  [PD_ORG_FIELD_NOTES] = pd_organization_get_notes,
  [PD_ORG_FIELD_NAME] = pd_organization_get_name,
  [PD_ORG_FIELD_DOMAIN] = pd_organization_get_domain,
  [PD_ORG_FIELD_COUNTRY] = pd_organization_get_country,
};

static const char * const *(* const list_getters[PD_N_ORG_FIELDS]) (PdOrganization *org) = {
  [PD_ORG_FIELD_SEGMENTS] = pd_organization_get_segments,
  [PD_ORG_FIELD_LOGIN_OPTIONS] = pd_organization_get_login_options,
};

char *
pd_org_field_dup_value (PdOrgField      field,
                        PdOrganization *org)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  g_return_val_if_fail (PD_IS_ORGANIZATION (org), NULL);

  if (list_getters[field] != NULL)
    return pd_org_field_join_list (list_getters[field] (org));
  return g_strdup (text_getters[field] (org));
}

char *
pd_org_field_dup_local_keys (const char *separator)
{
  const char *keys[PD_N_LOCAL_ORG_FIELDS + 1] = { NULL };

  for (guint i = 0; i < PD_N_LOCAL_ORG_FIELDS; i++)
    keys[i] = fields[i].key;
  return g_strjoinv (separator, (char **) keys);
}
