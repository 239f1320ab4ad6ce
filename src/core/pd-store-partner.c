/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-partner.c — the Partner Center account a cache belongs to (see pd-store.h).
 *
 * A cache holds one partner's customers. The partner's tenant ID (and name, and the API it was
 * read from) is recorded by the first sync; a sync as another partner is refused before anything
 * is stored, since mixing two partners' customers — or marking one partner's customers removed
 * because another's listing lacks them — cannot be undone. Built on the store's meta table.
 *
 * The reseller scope: a distributor's employee may manage only some of its indirect resellers.
 * The scope kept for the cache is a meta value (one id a line); the scope of each sync run is
 * in sync_run_resellers, so that marking unseen customers removed stays inside it. */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "pd-store-private.h"

#define META_TENANT   "partner-tenant-id"
#define META_NAME     "partner-name"
#define META_API_URL  "partner-api-url"
#define META_DEMO     "demo"
#define META_SCOPE    "reseller-scope"

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

static gboolean
claim_in_transaction (PdStore     *self,
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
pd_store_claim_partner (PdStore     *self,
                        const char  *tenant_id,
                        const char  *name,
                        const char  *api_url,
                        GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* The check and the record in one write transaction: two first syncs of two accounts
   * started together each found the cache free, and the second record replaced the first
   * while the first sync went on storing its own account's customers under it. */
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  return _pd_store_end_write (self, claim_in_transaction (self, tenant_id, name, api_url, error),
                              error);
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

/* ---- reseller scope ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
pd_store_normalize_scope (const char * const *reseller_ids)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) unique = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  for (guint i = 0; reseller_ids != NULL && reseller_ids[i] != NULL; i++)
    {
      g_autofree char *id = g_ascii_strdown (reseller_ids[i], -1);

      g_strstrip (id);
      if (*id != '\0')
        g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  if (ids->len == 0)
    return NULL;
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    if (i == 0 || strcmp (g_ptr_array_index (ids, i), g_ptr_array_index (ids, i - 1)) != 0)
      g_ptr_array_add (unique, g_strdup (g_ptr_array_index (ids, i)));
  return (char **) g_ptr_array_free (g_steal_pointer (&unique), FALSE);
}

char **
pd_store_dup_reseller_scope (PdStore *self)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  text = pd_store_get_meta (self, META_SCOPE);
  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  return pd_store_normalize_scope ((const char * const *) lines);
}

gboolean
pd_store_set_reseller_scope (PdStore             *self,
                             const char * const  *reseller_ids,
                             GError             **error)
{
  g_auto(GStrv) ids = pd_store_normalize_scope (reseller_ids);
  g_autofree char *text = ids != NULL ? g_strjoinv ("\n", ids) : NULL;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  return pd_store_set_meta (self, META_SCOPE, text, error);
}

gboolean
pd_store_set_run_scope (PdStore             *self,
                        gint64               run_id,
                        const char * const  *reseller_ids,
                        GError             **error)
{
  g_auto(GStrv) ids = pd_store_normalize_scope (reseller_ids);
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  stmt = _pd_store_prepare (self, "DELETE FROM sync_run_resellers WHERE run_id = ?", error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, run_id);
  ok = stmt != NULL && _pd_store_step_done (self, stmt, error);
  for (guint i = 0; ok && ids != NULL && ids[i] != NULL; i++)
    {
      stmt = _pd_store_prepare (self, "INSERT INTO sync_run_resellers (run_id, reseller_id) "
                                      "VALUES (?, ?)", error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, run_id);
          _pd_store_bind_text (stmt, 2, ids[i]);
        }
      ok = stmt != NULL && _pd_store_step_done (self, stmt, error);
    }
  return _pd_store_end_write (self, ok, error);
}

char **
pd_store_dup_run_scope (PdStore *self,
                        gint64   run_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = _pd_store_prepare (self, "SELECT reseller_id FROM sync_run_resellers WHERE run_id = ? "
                                  "ORDER BY reseller_id", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, _pd_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  ids = g_strv_builder_end (builder);
  return ids[0] != NULL ? g_steal_pointer (&ids) : NULL;
}

char *
pd_store_dup_scope_label (PdStore             *self,
                          const char * const  *reseller_ids)
{
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GString) label = g_string_new (NULL);

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (reseller_ids == NULL || reseller_ids[0] == NULL)
    return g_strdup (_("all customers"));
  pairs = pd_store_list_resellers (self, NULL);
  for (guint i = 0; reseller_ids[i] != NULL; i++)
    {
      const char *name = NULL;

      for (guint j = 0; name == NULL && pairs != NULL && j < pairs->len; j++)
        {
          const char *pair = g_ptr_array_index (pairs, j);
          const char *tab = strchr (pair, '\t');

          if (tab != NULL && tab[1] != '\0' && (size_t) (tab - pair) == strlen (reseller_ids[i])
              && g_ascii_strncasecmp (pair, reseller_ids[i], tab - pair) == 0)
            name = tab + 1;
        }
      if (i > 0)
        /* Translators: between two resellers' names in a list of them */
        g_string_append (label, _(", "));
      g_string_append (label, name != NULL ? name : reseller_ids[i]);
    }
  return g_string_free (g_steal_pointer (&label), FALSE);
}

void
_pd_store_bind_scope_run (sqlite3_stmt *stmt,
                          gint64        run_id)
{
  int index = sqlite3_bind_parameter_index (stmt, ":scope_run");

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, run_id);
}

/* ---- which indirect reseller each customer of a running sync belongs to ---- */

/* A customer that several resellers serve is in each one's listing, and the listings run side
 * by side, in no set order: a tenant attributed already keeps the reseller the cache has for it
 * when that one lists it too, else takes the lowest id, so that the same answers give the same
 * attribution, and no move Partner Center did not make is reported. */
static const char * const set_reseller_of_sql[] = {
  "INSERT INTO temp.run_reseller_of (tenant_id, reseller_id) VALUES (?1, ?2) "
  "ON CONFLICT (tenant_id) DO UPDATE SET reseller_id = excluded.reseller_id "
  "WHERE reseller_id IS NOT (SELECT o.reseller_id FROM organizations o "
  "                          WHERE o.tenant_id = excluded.tenant_id) "
  "AND (excluded.reseller_id < reseller_id "
  "     OR excluded.reseller_id IS (SELECT o.reseller_id FROM organizations o "
  "                                 WHERE o.tenant_id = excluded.tenant_id))",
  "INSERT OR IGNORE INTO temp.run_reseller_of (tenant_id, reseller_id) VALUES (?, ?)",
  "DELETE FROM temp.run_reseller_of WHERE tenant_id = ?",
};

gboolean
pd_store_set_resellers_of (PdStore             *self,
                           const char * const  *tenant_ids,
                           guint                n_tenants,
                           const char          *reseller_id,
                           gboolean             keep_first,
                           GError             **error)
{
  const char *sql = set_reseller_of_sql[reseller_id == NULL ? 2 : keep_first ? 1 : 0];
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* Only the temporary storage is written: no lock on the cache is taken. */
  if (!_pd_store_exec_sql (self, "SAVEPOINT resellers_of", error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && i < n_tenants; i++)
    {
      sqlite3_stmt *stmt = _pd_store_prepare (self, sql, error);

      if ((ok = stmt != NULL))
        {
          _pd_store_bind_static (stmt, 1, tenant_ids[i]);
          if (reseller_id != NULL)
            _pd_store_bind_static (stmt, 2, reseller_id);
          ok = _pd_store_step_done (self, stmt, error);
        }
    }
  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK TO resellers_of", NULL, NULL, NULL);
  return _pd_store_exec_sql (self, "RELEASE resellers_of", ok ? error : NULL) && ok;
}

char *
pd_store_dup_reseller_of (PdStore    *self,
                          const char *tenant_id)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (tenant_id == NULL)
    return NULL;
  return _pd_store_query_text (self, "SELECT reseller_id FROM temp.run_reseller_of "
                                     "WHERE tenant_id = ?", tenant_id);
}

char *
pd_store_dup_cached_reseller (PdStore    *self,
                              const char *tenant_id)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  if (tenant_id == NULL)
    return NULL;
  return _pd_store_query_text (self, "SELECT reseller_id FROM organizations "
                                     "WHERE tenant_id = lower (trim (?)) AND removed = 0",
                               tenant_id);
}

#define CACHED_RESELLERS_CHUNK 100

GHashTable *
pd_store_dup_cached_resellers (PdStore             *self,
                               const char * const  *tenant_ids,
                               guint                n_tenants,
                               GError             **error)
{
  g_autoptr(GHashTable) resellers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_free);
  g_autoptr(GString) sql = g_string_new ("SELECT tenant_id, reseller_id FROM organizations "
                                         "WHERE removed = 0 AND reseller_id IS NOT NULL "
                                         "AND tenant_id IN (");
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  int rc = SQLITE_DONE;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  _pd_store_append_params (sql, CACHED_RESELLERS_CHUNK);
  g_string_append_c (sql, ')');
  for (guint i = 0; i < n_tenants; i++)
    g_ptr_array_add (keys, _pd_store_normalize_tenant (tenant_ids[i]));
  for (guint first = 0; first < n_tenants && rc == SQLITE_DONE; first += CACHED_RESELLERS_CHUNK)
    {
      sqlite3_stmt *stmt = _pd_store_prepare_dynamic (self, sql->str, error);

      if (stmt == NULL)
        return NULL;
      /* Past the end, the parameters stay NULL: they match nothing. */
      for (guint j = 0; j < CACHED_RESELLERS_CHUNK && first + j < n_tenants; j++)
        _pd_store_bind_static (stmt, (int) j + 1, g_ptr_array_index (keys, first + j));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_replace (resellers, g_strdup (_pd_store_column_text (stmt, 0)),
                              g_strdup (_pd_store_column_text (stmt, 1)));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);   /* bound without copies */
    }
  if (rc != SQLITE_DONE)
    {
      _pd_store_set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&resellers);
}

guint
pd_store_count_resellers_of (PdStore *self)
{
  gint64 n = 0;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  _pd_store_query_int64 (self, "SELECT count(*) FROM temp.run_reseller_of", 0, 0, &n, NULL);
  return (guint) n;
}

#define SETTLED_CHUNK 100

static char *
settled_resold_sql (void)
{
  GString *sql = g_string_new ("SELECT r.tenant_id FROM temp.run_reseller_of r "
                               "JOIN organizations o ON o.tenant_id = lower (trim (r.tenant_id)) "
                               "WHERE o.removed = 0 AND o.bill_to_state = 0 "
                               "AND o.reseller_id = r.reseller_id COLLATE NOCASE "
                               "AND r.tenant_id IN (");

  _pd_store_append_params (sql, SETTLED_CHUNK);
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

gboolean
pd_store_find_settled_resold (PdStore             *self,
                              const char * const  *tenant_ids,
                              guint                n_tenants,
                              GHashTable         **out_settled,
                              GError             **error)
{
  g_autoptr(GHashTable) settled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *sql = settled_resold_sql ();
  int rc = SQLITE_DONE;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  for (guint first = 0; first < n_tenants && rc == SQLITE_DONE; first += SETTLED_CHUNK)
    {
      sqlite3_stmt *stmt = _pd_store_prepare_dynamic (self, sql, error);

      if (stmt == NULL)
        return FALSE;
      /* Past the end, the parameters stay NULL: they match nothing. */
      for (guint j = 0; j < SETTLED_CHUNK && first + j < n_tenants; j++)
        _pd_store_bind_static (stmt, (int) j + 1, tenant_ids[first + j]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_add (settled, g_strdup (_pd_store_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);   /* bound without copies */
    }
  if (rc != SQLITE_DONE)
    return _pd_store_set_sqlite_error (self->db, rc, error);
  *out_settled = g_steal_pointer (&settled);
  return TRUE;
}

/* Two halves, each bounded by the resold customers and not by the cache: those the cache
 * attributes to a reseller (the partial index organizations_reseller) that the listings now
 * attribute to another or to none, and those the listings attribute that the cache holds as
 * direct. */
#define RESELLER_MOVES_SQL \
  "SELECT o.tenant_id FROM organizations o " \
  "WHERE o.reseller_id IS NOT NULL AND o.source = 0 AND o.removed = 0 " \
  "AND o.reseller_id IS NOT (SELECT r.reseller_id FROM temp.run_reseller_of r " \
  "                          WHERE r.tenant_id = o.tenant_id) " \
  "UNION " \
  "SELECT r.tenant_id FROM temp.run_reseller_of r JOIN organizations o " \
  "ON o.tenant_id = r.tenant_id " \
  "WHERE o.reseller_id IS NULL AND o.source = 0 AND o.removed = 0"

char **
pd_store_dup_reseller_moves (PdStore  *self,
                             GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = _pd_store_prepare (self, RESELLER_MOVES_SQL, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _pd_store_column_text (stmt, 0));
  if (!_pd_store_rows_done (self, stmt, rc, error))
    return NULL;
  return g_strv_builder_end (builder);
}

gboolean
pd_store_set_reseller_names (PdStore             *self,
                             const char * const  *ids,
                             const char * const  *names,
                             guint                n,
                             GError             **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  for (guint i = 0; ok && i < n; i++)
    {
      sqlite3_stmt *stmt;

      if (ids[i] == NULL || _pd_store_str_empty (names[i]))
        continue;
      /* Through the partial index organizations_reseller: the reseller's customers only. */
      stmt = _pd_store_prepare (self, "UPDATE organizations SET reseller_name = ?1 "
                                      "WHERE reseller_id = ?2 AND reseller_name IS NOT ?1", error);
      if ((ok = stmt != NULL))
        {
          _pd_store_bind_static (stmt, 1, names[i]);
          _pd_store_bind_static (stmt, 2, ids[i]);
          ok = _pd_store_step_done (self, stmt, error);
        }
    }
  return _pd_store_end_write (self, ok, error);
}

gboolean
pd_store_clear_resellers_of (PdStore  *self,
                             GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  return _pd_store_exec_sql (self, "DELETE FROM temp.run_reseller_of", error);
}
