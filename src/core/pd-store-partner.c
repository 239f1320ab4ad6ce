/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-partner.c — the Partner Center account a cache belongs to (see pd-store.h).
 *
 * A cache holds one partner's customers. The partner's tenant ID (and name, and the API it was
 * read from) is recorded by the first sync; a sync as another partner is refused before anything
 * is stored, since mixing two partners' customers — or marking one partner's customers removed
 * because another's listing lacks them — cannot be undone. Built on the store's meta table. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-store.h"

#define META_TENANT   "partner-tenant-id"
#define META_NAME     "partner-name"
#define META_API_URL  "partner-api-url"
#define META_DEMO     "demo"

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Two API URLs of different clouds (Partner Center, 21Vianet, US Government): their hosts
 * differ. A loopback simulator takes a new port at every start, and so is never "another". */
static gboolean
other_cloud (const char *recorded,
             const char *api_url)
{
  g_autoptr(GUri) a = recorded != NULL ? g_uri_parse (recorded, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GUri) b = api_url != NULL ? g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host_a = a != NULL ? g_uri_get_host (a) : NULL;
  const char *host_b = b != NULL ? g_uri_get_host (b) : NULL;

  if (host_a == NULL || host_b == NULL || is_loopback_host (host_a) || is_loopback_host (host_b))
    return FALSE;
  return g_ascii_strcasecmp (host_a, host_b) != 0;
}

/* "Contoso Partner (tenant 1234…)", or the tenant alone. */
static char *
account_text (const char *name,
              const char *tenant_id)
{
  if (name == NULL || *name == '\0')
    return g_strdup (tenant_id);
  /* Translators: a Partner Center account: its company name and its tenant ID */
  return g_strdup_printf (_("%s (tenant %s)"), name, tenant_id);
}

char *
pd_store_path_for_partner (const char *current_path,
                           const char *tenant_id)
{
  g_autofree char *dir = g_path_get_dirname (current_path);
  g_autofree char *tenant = g_ascii_strdown (tenant_id, -1);
  g_autofree char *name = NULL;

  g_return_val_if_fail (current_path != NULL && tenant_id != NULL, NULL);
  /* Keep the name a file name whatever the claim held. */
  g_strcanon (tenant, "0123456789abcdef-", '_');
  name = g_strdup_printf ("partner-desk-%s.db", tenant);
  return g_build_filename (dir, name, NULL);
}

char *
pd_store_dup_partner_tenant_id (PdStore *self)
{
  g_autofree char *tenant = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  tenant = pd_store_get_meta (self, META_TENANT);
  return tenant != NULL && *tenant != '\0' ? g_steal_pointer (&tenant) : NULL;
}

char *
pd_store_dup_partner_name (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return pd_store_get_meta (self, META_NAME);
}

gboolean
pd_store_check_partner (PdStore     *self,
                        const char  *tenant_id,
                        const char  *name,
                        const char  *api_url,
                        GError     **error)
{
  g_autofree char *recorded = NULL;
  g_autofree char *recorded_name = NULL;
  g_autofree char *recorded_url = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *yours = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (tenant_id != NULL, FALSE);
  recorded = pd_store_dup_partner_tenant_id (self);
  recorded_url = pd_store_get_meta (self, META_API_URL);
  if ((recorded == NULL || g_ascii_strcasecmp (recorded, tenant_id) == 0)
      && !other_cloud (recorded_url, api_url))
    return TRUE;
  recorded_name = pd_store_dup_partner_name (self);
  theirs = account_text (recorded_name, recorded != NULL ? recorded : tenant_id);
  yours = account_text (name, tenant_id);
  if (recorded != NULL && g_ascii_strcasecmp (recorded, tenant_id) != 0)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER,
                 _("The cache “%s” holds the customers of another Partner Center account, %s; "
                   "you are signed in as %s. Nothing was stored."),
                 pd_store_get_path (self), theirs, yours);
  else
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER,
                 _("The cache “%s” was synced from %s, not from %s. Nothing was stored."),
                 pd_store_get_path (self), recorded_url, api_url);
  return FALSE;
}

gboolean
pd_store_claim_partner (PdStore     *self,
                        const char  *tenant_id,
                        const char  *name,
                        const char  *api_url,
                        GError     **error)
{
  g_autofree char *recorded_name = NULL;

  if (!pd_store_check_partner (self, tenant_id, name, api_url, error))
    return FALSE;
  recorded_name = pd_store_dup_partner_name (self);
  if (!pd_store_set_meta (self, META_TENANT, tenant_id, error))
    return FALSE;
  if (name != NULL && *name != '\0' && g_strcmp0 (name, recorded_name) != 0
      && !pd_store_set_meta (self, META_NAME, name, error))
    return FALSE;
  return api_url == NULL || pd_store_set_meta (self, META_API_URL, api_url, error);
}

gboolean
pd_store_get_demo (PdStore *self)
{
  g_autofree char *demo = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  demo = pd_store_get_meta (self, META_DEMO);
  return g_strcmp0 (demo, "true") == 0;
}

gboolean
pd_store_mark_demo (PdStore  *self,
                    GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  return pd_store_get_demo (self) || pd_store_set_meta (self, META_DEMO, "true", error);
}
