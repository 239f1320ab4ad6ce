/* pd-org-fields.c — see pd-org-fields.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-org-fields.h"

typedef struct {
  const char     *key;
  const char     *path;
  const char     *label;
  PdOrgFieldKind  kind;
} FieldInfo;

static const FieldInfo fields[PD_N_ORG_FIELDS] = {
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

gboolean
pd_org_field_from_key (const char *key,
                       PdOrgField *field)
{
  for (guint i = 0; key != NULL && i < PD_N_ORG_FIELDS; i++)
    if (g_str_equal (fields[i].key, key))
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
pd_org_field_from_path (const char *path,
                        PdOrgField *field)
{
  for (guint i = 0; path != NULL && i < PD_N_ORG_FIELDS; i++)
    if (g_str_equal (fields[i].path, path))
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_org_field_key (PdOrgField field)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  return fields[field].key;
}

const char *
pd_org_field_path (PdOrgField field)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  return fields[field].path;
}

const char *
pd_org_field_label (PdOrgField field)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  return _(fields[field].label);
}

PdOrgFieldKind
pd_org_field_kind (PdOrgField field)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, PD_ORG_FIELD_KIND_TEXT);
  return fields[field].kind;
}

gboolean
pd_org_field_is_local (PdOrgField field)
{
  return field < PD_N_LOCAL_ORG_FIELDS;
}

static char *
join_list (const char * const *items)
{
  return items != NULL && items[0] != NULL ? g_strjoinv (",", (char **) items) : NULL;
}

static const char *
text_value (PdOrgField      field,
            PdOrganization *org)
{
  switch (field)
    {
    case PD_ORG_FIELD_ERP_ID:
      return pd_organization_get_erp_id (org);
    case PD_ORG_FIELD_REGISTRATION_NUMBER:
      return pd_organization_get_registration_number (org);
    case PD_ORG_FIELD_CURRENCY:
      return pd_organization_get_currency (org);
    case PD_ORG_FIELD_STATUS:
      return pd_org_status_to_string (pd_organization_get_status (org));
    case PD_ORG_FIELD_ACCOUNT_MANAGER:
      return pd_organization_get_account_manager (org);
    case PD_ORG_FIELD_NOTES:
      return pd_organization_get_notes (org);
    case PD_ORG_FIELD_NAME:
      return pd_organization_get_name (org);
    case PD_ORG_FIELD_DOMAIN:
      return pd_organization_get_domain (org);
    case PD_ORG_FIELD_COUNTRY:
      return pd_organization_get_country (org);
    case PD_ORG_FIELD_SEGMENTS:
    case PD_ORG_FIELD_LOGIN_OPTIONS:
    case PD_N_ORG_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
pd_org_field_dup_value (PdOrgField      field,
                        PdOrganization *org)
{
  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, NULL);
  g_return_val_if_fail (PD_IS_ORGANIZATION (org), NULL);

  if (field == PD_ORG_FIELD_SEGMENTS)
    return join_list (pd_organization_get_segments (org));
  if (field == PD_ORG_FIELD_LOGIN_OPTIONS)
    return join_list (pd_organization_get_login_options (org));
  return g_strdup (text_value (field, org));
}

char *
pd_org_field_dup_local_keys (const char *separator)
{
  const char *keys[PD_N_LOCAL_ORG_FIELDS + 1] = { NULL };

  for (guint i = 0; i < PD_N_LOCAL_ORG_FIELDS; i++)
    keys[i] = fields[i].key;
  return g_strjoinv (separator, (char **) keys);
}
