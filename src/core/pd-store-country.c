/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-country.c — the country rules a cache keeps (fetched from Partner Center, else
 * bundled), and the missing-field masks they decide: recomputed for a country when its rule
 * changes, and for every organization when the rules in use differ from those the masks were
 * computed with. */
#include "config.h"

#include "pd-store-private.h"

static char *rules_digest (PdStore *self);

/* Recomputes the missing-field mask of the organizations in iso2 (all when NULL), after the
 * rules changed: by the country of the bill-to shown, and by Partner Center's, on which order
 * readiness is judged (a local edit of the country changes the first only). */
static gboolean
recompute_missing (PdStore     *self,
                   const char  *iso2,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _pd_store_prepare (self,
                            iso2 != NULL ? "SELECT id FROM organizations "
                                           "WHERE eff_country = ?1 OR pc_country = ?1"
                                         : "SELECT id FROM organizations", error);
  if (stmt == NULL)
    return FALSE;
  if (iso2 != NULL)
    _pd_store_bind_text (stmt, 1, iso2);
  return _pd_store_refresh_derived_of (self, stmt, error);
}

gboolean
_pd_store_load_country_rules (PdStore  *self,
                              GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self,
                                          "SELECT rule FROM country_rules ORDER BY iso2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdCountryRule) rule = pd_country_rule_from_string (_pd_store_column_text (stmt, 0),
                                                                   NULL);

      /* A rule this build cannot parse falls back to the bundled one. */
      if (rule != NULL)
        pd_country_rules_replace (self->rules, rule);
    }
  return _pd_store_rows_done (self, stmt, rc, error);
}

gboolean
pd_store_save_country_rule (PdStore              *self,
                            const PdCountryRule  *rule,
                            GError              **error)
{
  g_autofree char *text = NULL;
  g_autofree char *in_use_text = NULL;
  const PdCountryRule *in_use;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (rule != NULL && rule->iso2 != NULL, FALSE);
  text = pd_country_rule_to_string (rule);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  /* After the write began: it took the rules another process saved (a sync of its own). */
  in_use = pd_country_rules_lookup (self->rules, rule->iso2);
  if (in_use != NULL)
    in_use_text = pd_country_rule_to_string (in_use);
  stmt = _pd_store_prepare (self, "INSERT OR REPLACE INTO country_rules (iso2, rule, fetched_at) "
                                  "VALUES (?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      _pd_store_bind_text (stmt, 1, rule->iso2);
      _pd_store_bind_text (stmt, 2, text);
      sqlite3_bind_int64 (stmt, 3, _pd_store_now_seconds ());
      ok = _pd_store_step_done (self, stmt, error);
    }
  /* The rule in use again (the weekly refresh, or Partner Center's equal to the bundled one):
   * every mask already follows it (refresh_rules_digest keeps them so), and re-evaluating
   * every organization of the country cost a sync of 100,000 customers 8 % of its CPU. */
  if (ok && g_strcmp0 (text, in_use_text) == 0)
    return _pd_store_end_write (self, TRUE, error);
  if (ok)
    {
      g_autofree char *digest = NULL;

      /* The masks now match the rules in use: the next open need not recompute them. */
      pd_country_rules_replace (self->rules, rule);
      digest = rules_digest (self);
      ok = recompute_missing (self, rule->iso2, error) &&
           pd_store_set_meta (self, "country-rules-digest", digest, error);
      if (ok)
        {
          g_free (self->rules_digest_seen);
          self->rules_digest_seen = g_steal_pointer (&digest);
        }
    }
  return _pd_store_end_write (self, ok, error);
}

GDateTime *
pd_store_get_country_rule_fetched_at (PdStore     *self,
                                      const char  *iso2)
{
  gint64 when = -1;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  stmt = _pd_store_prepare (self, "SELECT fetched_at FROM country_rules WHERE iso2 = ?", NULL);
  if (stmt == NULL)
    return NULL;
  _pd_store_bind_text (stmt, 1, iso2);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    when = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return when >= 0 ? _pd_store_date_time_from_seconds (when) : NULL;
}

char **
pd_store_dup_countries (PdStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  /* The few distinct values are sorted afterwards: with ORDER BY, SQLite sorted every row
   * (23 MB at the end of a sync of a million customers) before it kept one of each. */
  /* Partner Center's country too: order readiness is judged on its bill-to, whatever a local
   * edit made of the country shown. */
  stmt = _pd_store_prepare (self, "SELECT country FROM (SELECT DISTINCT eff_country AS country "
                                  "FROM organizations WHERE eff_country IS NOT NULL "
                                  "UNION SELECT DISTINCT pc_country FROM organizations "
                                  "WHERE pc_country IS NOT NULL) "
                                  "ORDER BY country", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, _pd_store_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}

/* The missing-field masks were computed with some version of the rules. When the rules in use
 * differ (a new build with new bundled rules), every mask is recomputed once. */
static char *
rules_digest (PdStore *self)
{
  g_auto(GStrv) countries = pd_country_rules_dup_countries (self->rules);
  /* The rule of what the mask is computed on is part of the digest: a cache whose masks were
   * computed on the bill-to with local edits (before order readiness followed Partner Center's
   * bill-to) is recomputed once when opened. So is the search text (and its full-text
   * entries) when what it is made of changes (notes were added). */
  g_autoptr(GString) all = g_string_new ("missing-mask: ordering bill-to\n"
                                         "search-text: name domain erp-id email city notes\n");

  for (guint i = 0; countries != NULL && countries[i] != NULL; i++)
    {
      g_autofree char *text =
        pd_country_rule_to_string (pd_country_rules_lookup (self->rules, countries[i]));
      g_string_append_printf (all, "%s\n", text);
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, all->len);
}

/* Masks written before a local registration number stopped counting for order readiness
 * (Partner Desk never sends it to Partner Center): those of the customers synced from Partner
 * Center that have one are recomputed once, rather than every organization's (a distributor's
 * million at the first launch). */
#define LOCAL_REGISTRATION_MARK "mask-without-local-registration-number"

static gboolean
settle_local_registration_masks (PdStore  *self,
                                 GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean done = FALSE;
  gboolean ok;

  if (!_pd_store_has_meta (self, LOCAL_REGISTRATION_MARK, &done, error))
    return FALSE;
  if (done)
    return TRUE;
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  stmt = _pd_store_prepare (self, "SELECT o.id FROM organizations o JOIN local_fields l "
                                  "ON l.org_id = o.id WHERE o.source = 0 "
                                  "AND l.registration_number IS NOT NULL", error);
  ok = stmt != NULL && _pd_store_refresh_derived_of (self, stmt, error)
       && pd_store_set_meta (self, LOCAL_REGISTRATION_MARK, "1", error);
  return _pd_store_end_write (self, ok, error);
}

gboolean
_pd_store_refresh_rules_digest (PdStore  *self,
                                GError  **error)
{
  g_autofree char *digest = rules_digest (self);
  g_autofree char *stored = NULL;

  if (!settle_local_registration_masks (self, error))
    return FALSE;
  stored = pd_store_get_meta (self, "country-rules-digest");
  g_free (self->rules_digest_seen);
  self->rules_digest_seen = g_strdup (digest);
  if (g_strcmp0 (stored, digest) == 0)
    return TRUE;
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  /* Another connection (the app's loader thread) may have done it while we waited. */
  g_free (stored);
  stored = pd_store_get_meta (self, "country-rules-digest");
  if (g_strcmp0 (stored, digest) == 0)
    return _pd_store_end_write (self, TRUE, error);
  return _pd_store_end_write (self, recompute_missing (self, NULL, error) &&
                                    pd_store_set_meta (self, "country-rules-digest", digest, error),
                              error);
}

void
_pd_store_follow_rules (PdStore *self)
{
  g_autofree char *stored = NULL;

  /* Not before the file is open and its rules loaded (migrations write too). */
  if (self->rules_digest_seen == NULL)
    return;
  stored = pd_store_get_meta (self, "country-rules-digest");
  if (stored == NULL || g_strcmp0 (stored, self->rules_digest_seen) == 0)
    return;
  /* That process recomputed the masks with them: loading them is all there is to do. */
  if (!_pd_store_load_country_rules (self, NULL))
    return;
  g_free (self->rules_digest_seen);
  self->rules_digest_seen = g_steal_pointer (&stored);
}
