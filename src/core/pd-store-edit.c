/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-edit.c — local edits by the user: fields, bill-to overrides and their revert,
 * manual organizations, and the history rows they write. Linking a manual organization onto a
 * synced one: pd-store-link.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-org-fields.h"
#include "pd-store-private.h"
#include "pd-text.h"

/* Consecutive edits of one field by the user (typing pauses, a correction a moment later)
 * are one change in the history. */
#define HISTORY_MERGE_SECONDS 120

/* When the organization's newest history row is this store's own last edit (not another
 * program's) of what, less than HISTORY_MERGE_SECONDS old, it takes new_value instead of a
 * new row being added (a row whose value came back to where it started goes). *out_merged
 * says whether that happened. */
static gboolean
merge_into_newest (PdStore     *self,
                   gint64       org_id,
                   const char  *what,
                   const char  *new_value,
                   gboolean    *out_merged,
                   GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT id, what, by, at, old_value FROM history "
                                                "WHERE org_id = ? ORDER BY id DESC LIMIT 1",
                                          error);
  g_autofree char *old_value = NULL;
  gint64 row_id = 0;

  *out_merged = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && self->own_history_id > 0
      && sqlite3_column_int64 (stmt, 0) == self->own_history_id
      && g_strcmp0 (_pd_store_column_text (stmt, 1), what) == 0
      && sqlite3_column_int (stmt, 2) == PD_CHANGE_BY_USER
      && _pd_store_now_seconds () - sqlite3_column_int64 (stmt, 3) < HISTORY_MERGE_SECONDS)
    {
      row_id = sqlite3_column_int64 (stmt, 0);
      old_value = g_strdup (_pd_store_column_text (stmt, 4));
    }
  sqlite3_reset (stmt);
  if (row_id == 0)
    return TRUE;
  *out_merged = TRUE;
  if (_pd_store_same_value (old_value, new_value))
    {
      stmt = _pd_store_prepare (self, "DELETE FROM history WHERE id = ?1", error);
      self->own_history_pending = 0;
    }
  else
    {
      stmt = _pd_store_prepare (self, "UPDATE history SET new_value = ?2, at = ?3 "
                                      "WHERE id = ?1", error);
      self->own_history_pending = row_id;
    }
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row_id);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    {
      _pd_store_bind_static (stmt, 2, new_value);
      sqlite3_bind_int64 (stmt, 3, _pd_store_now_seconds ());
    }
  return _pd_store_step_done (self, stmt, error);
}

gboolean
_pd_store_add_history (PdStore     *self,
                       gint64       org_id,
                       const char  *what,
                       const char  *old_value,
                       const char  *new_value,
                       PdChangeBy   by,
                       gint64       run_id,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean merged = FALSE;

  if (by == PD_CHANGE_BY_USER && run_id <= 0)
    {
      if (!merge_into_newest (self, org_id, what, new_value, &merged, error))
        return FALSE;
      if (merged)
        return TRUE;
    }
  stmt = _pd_store_prepare (self, "INSERT INTO history (org_id, what, old_value, new_value, by, "
                                  "at, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  _pd_store_bind_static (stmt, 2, what);
  _pd_store_bind_static (stmt, 3, old_value);
  _pd_store_bind_static (stmt, 4, new_value);
  sqlite3_bind_int (stmt, 5, by);
  sqlite3_bind_int64 (stmt, 6, _pd_store_now_seconds ());
  if (run_id > 0)
    sqlite3_bind_int64 (stmt, 7, run_id);
  if (!_pd_store_step_done (self, stmt, error))
    return FALSE;
  if (by == PD_CHANGE_BY_USER && run_id <= 0)
    self->own_history_pending = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

gboolean
pd_store_check_erp_id_free (PdStore     *self,
                            gint64       id,
                            const char  *erp_id,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (_pd_store_str_empty (erp_id))
    return TRUE;
  stmt = _pd_store_prepare (self, "SELECT o.id, o.name FROM local_fields l "
                                  "JOIN organizations o ON o.id = l.org_id "
                                  "WHERE l.erp_id = ? COLLATE NOCASE AND l.org_id != ?", error);
  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_text (stmt, 1, erp_id);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_set_error (error, PD_STORE_ERROR, PD_STORE_ERROR_ERP_ID_TAKEN,
                 /* Translators: an ERP ID, then the name and local id of the organization that has it */
                 _("ERP ID “%s” is already used by %s (id %lld)"),
                 erp_id, _pd_store_column_text (stmt, 1),
                 (long long) sqlite3_column_int64 (stmt, 0));
  return _pd_store_row_done (self, stmt, rc, error) && rc != SQLITE_ROW;
}

gboolean G_GNUC_PRINTF (2, 3)
_pd_store_set_invalid (GError     **error,
                       const char  *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PD_STORE_ERROR, PD_STORE_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

gboolean
_pd_store_set_invalid_literal (GError     **error,
                               const char  *message)
{
  g_set_error_literal (error, PD_STORE_ERROR, PD_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* A code of an ISO list, upper case (*out); fails naming the list. */
static gboolean
normalize_code (PdOrgField    field,
                const char   *text,
                char        **out,
                GError      **error)
{
  *out = g_ascii_strup (text, -1);
  if (field == PD_ORG_FIELD_CURRENCY && !pd_currency_code_is_valid (*out))
    return _pd_store_set_invalid (error, _("“%s” is not an ISO 4217 currency code"), text);
  if (field == PD_ORG_FIELD_COUNTRY && !pd_country_code_is_valid (*out))
    return _pd_store_set_invalid (error, _("“%s” is not an ISO 3166 country code"), text);
  return TRUE;
}

/* A domain name as DNS has it (IDN allowed): two or more labels of letters, digits and inner
 * hyphens, each at most 63 characters, 253 in all. Partner Center's domains are never checked
 * here: only what a user types for a manual organization. */
static gboolean
domain_is_valid (const char *domain)
{
  g_autofree char *ascii = g_hostname_to_ascii (domain);
  g_auto(GStrv) labels = NULL;

  if (ascii == NULL || strlen (ascii) > 253 || g_hostname_is_ip_address (ascii))
    return FALSE;
  labels = g_strsplit (ascii, ".", -1);
  if (g_strv_length (labels) < 2)
    return FALSE;
  for (guint i = 0; labels[i] != NULL; i++)
    {
      size_t length = strlen (labels[i]);

      if (length == 0 || length > 63 || labels[i][0] == '-' || labels[i][length - 1] == '-')
        return FALSE;
      for (const char *c = labels[i]; *c != '\0'; c++)
        if (!g_ascii_isalnum (*c) && *c != '-')
          return FALSE;
    }
  return TRUE;
}

/* text as a one-line field keeps it: a pasted cell's line breaks (CR LF as one) and tabs
 * become spaces (NULL for NULL). (transfer full) */
static char *
dup_single_line (const char *text)
{
  g_autofree char *lines = pd_text_unix_lines (text);
  char *line = pd_text_one_line (lines);

  return line != NULL ? g_strdelimit (line, "\t", ' ') : NULL;
}

/* FALSE when text holds a character no typed value may (pd_text_find_unsavable). */
static gboolean
check_savable (const char  *text,
               gboolean     multi_line,
               GError     **error)
{
  gunichar unsavable = pd_text_find_unsavable (text, multi_line);

  if (unsavable == 0)
    return TRUE;
  /* Translators: %04X is the character's code point in hex ("U+202E") */
  return _pd_store_set_invalid (error, _("The text holds an invisible control character "
                                         "(U+%04X), which is not saved: remove it"),
                                (guint) unsavable);
}

/* Normalises and validates value for field: *out is the text to store (NULL = clear). */
static gboolean
normalize_value (PdOrgField    field,
                 const char   *value,
                 char        **out,
                 GError      **error)
{
  g_autofree char *text = field == PD_ORG_FIELD_NOTES ? pd_text_unix_lines (value)
                                                     : dup_single_line (value);
  g_auto(GStrv) items = NULL;

  *out = NULL;
  if (text != NULL)
    g_strstrip (text);
  if (!check_savable (text, field == PD_ORG_FIELD_NOTES, error))
    return FALSE;
  if (pd_org_field_get_info (field)->kind == PD_ORG_FIELD_KIND_ENUM)
    {
      g_autofree char *lower = text != NULL ? g_ascii_strdown (text, -1) : NULL;

      if (!pd_org_status_from_string (lower, NULL))
        return _pd_store_set_invalid (error, _("“%s” is not a status (new, active or blocked)"),
                                      text != NULL ? text : "");
      *out = g_steal_pointer (&lower);
      return TRUE;
    }
  if (_pd_store_str_empty (text))
    {
      if (field == PD_ORG_FIELD_NAME)
        return _pd_store_set_invalid_literal (error, _("The name cannot be empty"));
      return TRUE;
    }
  switch (pd_org_field_get_info (field)->kind)
    {
    case PD_ORG_FIELD_KIND_CURRENCY:
    case PD_ORG_FIELD_KIND_COUNTRY:
      return normalize_code (field, text, out, error);
    case PD_ORG_FIELD_KIND_LIST:
      items = _pd_store_split_list (text);
      *out = pd_org_field_join_list ((const char * const *) items);
      return TRUE;
    case PD_ORG_FIELD_KIND_TEXT:
    case PD_ORG_FIELD_KIND_ENUM:
    default:
      if (field == PD_ORG_FIELD_DOMAIN && !domain_is_valid (text))
        return _pd_store_set_invalid (error, _("“%s” is not a domain name (like contoso.com)"),
                                      text);
      *out = field == PD_ORG_FIELD_DOMAIN ? g_utf8_strdown (text, -1) : g_steal_pointer (&text);
      return TRUE;
    }
}

/* The 1st of next month, 00:00 UTC: when a currency change takes effect. */
gboolean
pd_store_check_value (PdOrgField   field,
                      const char  *text,
                      GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail ((guint) field < PD_N_ORG_FIELDS, FALSE);
  return normalize_value (field, text, &normalized, error);
}

static gint64
first_of_next_month (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int year = g_date_time_get_year (now);
  int month = g_date_time_get_month (now);
  g_autoptr(GDateTime) first = g_date_time_new_utc (month == 12 ? year + 1 : year,
                                                    month == 12 ? 1 : month + 1, 1, 0, 0, 0);

  return g_date_time_to_unix (first);
}

gboolean
_pd_store_ensure_local_row (PdStore  *self,
                            gint64    id,
                            GError  **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "INSERT INTO local_fields (org_id) VALUES (?) "
                                                "ON CONFLICT (org_id) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _pd_store_step_done (self, stmt, error);
}

/* Partner Desk's own fields live in local_fields, a manual organization's name, domain and
 * country in organizations; each column is named after its key ("erp-id": erp_id). */
static char *
dup_update_sql (PdOrgField field)
{
  const char *key = pd_org_field_get_info (field)->key;
  g_autofree char *column = g_strdelimit (g_strdup (key), "-", '_');

  if (!pd_org_field_is_local (field))
    return g_strdup_printf ("UPDATE organizations SET %s = ? WHERE id = ?", column);
  return g_strdup_printf ("UPDATE local_fields SET %s = ?%s WHERE org_id = ?", column,
                          field == PD_ORG_FIELD_CURRENCY ? ", currency_effective = ?" : "");
}

static gboolean
write_field (PdStore     *self,
             gint64       id,
             PdOrgField   field,
             const char  *value,
             GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  PdOrgStatus status = PD_ORG_STATUS_NEW;

  if (pd_org_field_is_local (field) && !_pd_store_ensure_local_row (self, id, error))
    return FALSE;
  /* The column name comes from the field table, never from the caller. */
  sql = dup_update_sql (field);
  if ((stmt = _pd_store_prepare_dynamic (self, sql, error)) == NULL)
    return FALSE;
  if (field == PD_ORG_FIELD_STATUS && pd_org_status_from_string (value, &status))
    sqlite3_bind_int (stmt, 1, status);
  else
    _pd_store_bind_text (stmt, 1, value);
  if (field == PD_ORG_FIELD_CURRENCY)
    {
      if (value != NULL)
        sqlite3_bind_int64 (stmt, 2, first_of_next_month ());
      sqlite3_bind_int64 (stmt, 3, id);
    }
  else
    sqlite3_bind_int64 (stmt, 2, id);
  return _pd_store_step_done (self, stmt, error);
}

static gboolean
set_field_in_transaction (PdStore     *self,
                          gint64       id,
                          PdOrgField   field,
                          const char  *value,
                          GError     **error)
{
  g_autoptr(PdOrganization) org = _pd_store_get_org (self, id, TRUE, error);
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;

  if (org == NULL)
    return FALSE;
  if (!pd_org_field_is_local (field) && pd_organization_get_source (org) != PD_ORG_SOURCE_MANUAL)
    return _pd_store_set_invalid (error,
                                  _("“%s” comes from Partner Center and cannot be changed here"),
                                  pd_org_field_get_info (field)->key);
  if (field == PD_ORG_FIELD_ERP_ID && !pd_store_check_erp_id_free (self, id, value, error))
    return FALSE;
  old_value = pd_org_field_dup_value (field, org);
  if (!write_field (self, id, field, value, error))
    return FALSE;
  g_clear_object (&org);
  if ((org = _pd_store_get_org (self, id, TRUE, error)) == NULL)
    return FALSE;
  new_value = pd_org_field_dup_value (field, org);
  if (g_strcmp0 (old_value, new_value) == 0)
    return TRUE;
  return _pd_store_add_history (self, id, pd_org_field_get_info (field)->path, old_value,
                                new_value, PD_CHANGE_BY_USER, 0,
                                error) &&
         _pd_store_write_derived (self, org, error);
}

gboolean
pd_store_set_field (PdStore     *self,
                    gint64       id,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  const char *keys[] = { key };
  const char *values[] = { value };

  return pd_store_set_fields (self, id, keys, values, 1, error);
}

gboolean
pd_store_set_fields (PdStore            *self,
                     gint64              id,
                     const char * const *keys,
                     const char * const *values,
                     guint               n,
                     GError            **error)
{
  g_autofree PdOrgField *fields = g_new0 (PdOrgField, MAX (n, 1));
  g_auto(GStrv) normalized = g_new0 (char *, n + 1);
  gboolean ok = TRUE;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  for (guint i = 0; i < n; i++)
    {
      if (!pd_org_field_from_key (keys[i], &fields[i]))
        return _pd_store_set_invalid (error, _("Unknown field “%s”"),
                                      keys[i] != NULL ? keys[i] : "");
      if (!normalize_value (fields[i], values[i], &normalized[i], error))
        return FALSE;
    }
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  for (guint i = 0; ok && i < n; i++)
    ok = set_field_in_transaction (self, id, fields[i], normalized[i], error);
  return _pd_store_end_write (self, ok, error);
}

gboolean
_pd_store_same_value (const char *a,
                      const char *b)
{
  return g_strcmp0 (_pd_store_str_empty (a) ? NULL : a, _pd_store_str_empty (b) ? NULL : b) == 0;
}

gboolean
_pd_store_delete_override_fields (PdStore  *self,
                                  gint64    id,
                                  int       field,   /* -1 = all */
                                  GError  **error)
{
  sqlite3_stmt *stmt;

  stmt = _pd_store_prepare (self, field < 0
                            ? "DELETE FROM bill_to_overrides WHERE org_id = ?"
                            : "DELETE FROM bill_to_overrides WHERE org_id = ? AND field = ?",
                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (field >= 0)
    sqlite3_bind_int (stmt, 2, field);
  return _pd_store_step_done (self, stmt, error);
}

/* Every override of an organization is based on the same etag, the one of the Partner Center
 * bill-to the user saw. */
static gboolean
rebase_overrides (PdStore     *self,
                  gint64       id,
                  const char  *base_etag,
                  GError     **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self, "UPDATE bill_to_overrides SET base_etag = ? "
                                                "WHERE org_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  _pd_store_bind_text (stmt, 1, base_etag);
  sqlite3_bind_int64 (stmt, 2, id);
  return _pd_store_step_done (self, stmt, error);
}

/* Stores one override, and bases all of them on base_etag. */
gboolean
_pd_store_write_override (PdStore       *self,
                          gint64         id,
                          PdBillToField  field,
                          const char    *value,
                          const char    *base_etag,
                          GError       **error)
{
  sqlite3_stmt *stmt = _pd_store_prepare (self,
                                          "INSERT OR REPLACE INTO bill_to_overrides "
                                          "(org_id, field, value, base_etag) VALUES (?, ?, ?, ?)",
                                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, field);
  _pd_store_bind_text (stmt, 3, value != NULL ? value : "");
  _pd_store_bind_text (stmt, 4, base_etag);
  return _pd_store_step_done (self, stmt, error) && rebase_overrides (self, id, base_etag, error);
}

/* Bit per field (PdBillToField) whose override holds the same value as values. */
guint32
_pd_store_overrides_equal_to (const PdBillTo *override,
                              const PdBillTo *values)
{
  guint32 mask = 0;

  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    if (override->values[f] != NULL
        && _pd_store_same_value (override->values[f], values->values[f]))
      mask |= 1u << f;
  return mask;
}

/* An override that survives a new Partner Center bill-to: the fields in drop go (from the store
 * and from left), what is left is rebased on etag. */
gboolean
_pd_store_settle_override (PdStore     *self,
                           gint64       id,
                           PdBillTo    *left,
                           guint32      drop,
                           const char  *etag,
                           GError     **error)
{
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      if (left->values[f] == NULL || (drop & (1u << f)) == 0)
        continue;
      g_clear_pointer (&left->values[f], g_free);
      if (!_pd_store_delete_override_fields (self, id, (int) f, error))
        return FALSE;
    }
  return pd_bill_to_is_empty (left) || rebase_overrides (self, id, etag, error);
}

char *
_pd_store_bill_to_what (PdBillToField field)
{
  return g_strconcat ("billTo.", pd_bill_to_field_path (field), NULL);
}

/* A history row for each field in fields (a bit per PdBillToField) whose value differs between
 * old_bill_to and new_bill_to; *out_changed is set when any does. */
gboolean
_pd_store_add_bill_to_history (PdStore         *self,
                               gint64           id,
                               const PdBillTo  *old_bill_to,
                               const PdBillTo  *new_bill_to,
                               guint32          fields,
                               PdChangeBy       by,
                               gint64           run_id,
                               gboolean        *out_changed,
                               GError         **error)
{
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      g_autofree char *what = NULL;

      if ((fields & (1u << f)) == 0
          || g_strcmp0 (old_bill_to->values[f], new_bill_to->values[f]) == 0)
        continue;
      *out_changed = TRUE;
      what = _pd_store_bill_to_what ((PdBillToField) f);
      if (!_pd_store_add_history (self, id, what, old_bill_to->values[f], new_bill_to->values[f],
                                  by, run_id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_bill_to_in_transaction (PdStore       *self,
                            gint64         id,
                            PdBillToField  field,
                            const char    *value,
                            GError       **error)
{
  g_autoptr(PdOrganization) org = _pd_store_get_org (self, id, TRUE, error);
  g_autofree char *what = _pd_store_bill_to_what (field);
  g_autofree char *old_value = NULL;
  const char *pc_value;
  gboolean ok;

  if (org == NULL)
    return FALSE;
  old_value = g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org), field));
  pc_value = pd_bill_to_get (pd_organization_get_bill_to_partner_center (org), field);
  /* Overriding with the Partner Center value is no override at all. */
  if (_pd_store_same_value (value, pc_value))
    ok = _pd_store_delete_override_fields (self, id, field, error);
  else
    ok = _pd_store_write_override (self, id, field, value, pd_organization_get_bill_to_etag (org), error);
  if (!ok || _pd_store_same_value (old_value, value))
    return ok;
  return _pd_store_add_history (self, id, what, old_value,
                                _pd_store_same_value (value, pc_value) ? pc_value : value,
                                PD_CHANGE_BY_USER, 0, error) &&
         _pd_store_refresh_derived (self, id, error);
}

gboolean
pd_store_set_bill_to_field (PdStore       *self,
                            gint64         id,
                            PdBillToField  field,
                            const char    *value,
                            GError       **error)
{
  const char *values[PD_BILL_TO_N_FIELDS] = { NULL };

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if ((guint) field >= PD_BILL_TO_N_FIELDS)
    return _pd_store_set_invalid_literal (error, _("Unknown bill-to field"));
  values[field] = value != NULL ? value : "";
  return pd_store_set_bill_to_fields (self, id, values, error);
}

gboolean
pd_store_set_bill_to_fields (PdStore            *self,
                             gint64              id,
                             const char * const *values,
                             GError            **error)
{
  g_autoptr(PdBillTo) texts = pd_bill_to_new ();
  gboolean ok = TRUE;

  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  /* Every value is checked before any is written: one refused, none saved. */
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      texts->values[f] = values[f] != NULL ? g_strstrip (dup_single_line (values[f])) : NULL;
      if (!check_savable (texts->values[f], FALSE, error))
        return FALSE;
    }
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  for (guint f = 0; ok && f < PD_BILL_TO_N_FIELDS; f++)
    if (texts->values[f] != NULL)
      ok = set_bill_to_in_transaction (self, id, (PdBillToField) f, texts->values[f], error);
  return _pd_store_end_write (self, ok, error);
}

static gboolean
field_in (PdBillToField        field,
          const PdBillToField *fields,
          guint                n_fields)
{
  if (fields == NULL || n_fields == 0)
    return TRUE;
  for (guint i = 0; i < n_fields; i++)
    if (fields[i] == field)
      return TRUE;
  return FALSE;
}

static gboolean
revert_in_transaction (PdStore             *self,
                       gint64               id,
                       const PdBillToField *fields,
                       guint                n_fields,
                       GError             **error)
{
  g_autoptr(PdOrganization) org = _pd_store_get_org (self, id, TRUE, error);
  const PdBillTo *override;
  const PdBillTo *pc;
  gboolean changed = FALSE;

  if (org == NULL)
    return FALSE;
  override = pd_organization_get_bill_to_override (org);
  pc = pd_organization_get_bill_to_partner_center (org);
  for (guint f = 0; override != NULL && f < PD_BILL_TO_N_FIELDS; f++)
    {
      g_autofree char *what = NULL;

      if (override->values[f] == NULL || !field_in ((PdBillToField) f, fields, n_fields))
        continue;
      what = _pd_store_bill_to_what ((PdBillToField) f);
      if (!_pd_store_delete_override_fields (self, id, (int) f, error) ||
          !_pd_store_add_history (self, id, what, override->values[f], pc->values[f],
                                  PD_CHANGE_BY_REVERT, 0, error))
        return FALSE;
      changed = TRUE;
    }
  return !changed || _pd_store_refresh_derived (self, id, error);
}

gboolean
pd_store_revert_bill_to (PdStore              *self,
                         gint64                id,
                         const PdBillToField  *fields,
                         guint                 n_fields,
                         GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  if (!_pd_store_begin_write (self, error))
    return FALSE;
  return _pd_store_end_write (self, revert_in_transaction (self, id, fields, n_fields, error),
                              error);
}

static gint64
create_manual_in_transaction (PdStore     *self,
                              const char  *name,
                              const char  *domain,
                              const char  *country,
                              const char  *erp_id,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  if (!pd_store_check_erp_id_free (self, 0, erp_id, error))
    return 0;
  stmt = _pd_store_prepare (self,
                            "INSERT INTO organizations (source, name, domain, country, created_at) "
                            "VALUES (1, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  _pd_store_bind_text (stmt, 1, name);
  _pd_store_bind_text (stmt, 2, domain);
  _pd_store_bind_text (stmt, 3, country);
  sqlite3_bind_int64 (stmt, 4, _pd_store_now_seconds ());
  if (!_pd_store_step_done (self, stmt, error))
    return 0;
  id = _pd_store_last_insert_id (self);
  if (erp_id != NULL && !write_field (self, id, PD_ORG_FIELD_ERP_ID, erp_id, error))
    return 0;
  if (!_pd_store_add_history (self, id, "created", NULL, name, PD_CHANGE_BY_USER, 0, error) ||
      !_pd_store_refresh_derived (self, id, error))
    return 0;
  return id;
}

/* The organizations added after since (ids only grow), for a create's guard. */
static GPtrArray *
dup_added_since (PdStore  *self,
                 gint64    since,
                 GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = _pd_store_prepare (self, "SELECT id FROM organizations WHERE id > ?",
                                          error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  if (!_pd_store_collect_ids (self, stmt, ids, error)
      || !pd_store_foreach_of_ids (self, (const gint64 *) (gconstpointer) ids->data, ids->len,
                                   _pd_store_add_org, added, error))
    return NULL;
  return g_steal_pointer (&added);
}

gint64
pd_store_create_manual_guarded (PdStore                  *self,
                                const char               *name,
                                const char               *domain,
                                const char               *country,
                                const char               *erp_id,
                                const PdStoreCreateGuard *guard,
                                GError                  **error)
{
  g_autofree char *n_name = NULL, *n_domain = NULL, *n_country = NULL, *n_erp = NULL;
  g_autoptr(GPtrArray) added = NULL;
  gint64 id = 0;

  g_return_val_if_fail (PD_IS_STORE (self), 0);
  if (!normalize_value (PD_ORG_FIELD_NAME, name, &n_name, error) ||
      !normalize_value (PD_ORG_FIELD_DOMAIN, domain, &n_domain, error) ||
      !normalize_value (PD_ORG_FIELD_COUNTRY, country, &n_country, error) ||
      !normalize_value (PD_ORG_FIELD_ERP_ID, erp_id, &n_erp, error))
    return 0;
  if (!_pd_store_begin_write (self, error))
    return 0;
  /* In the write transaction: nobody adds an organization between this look and the insert. */
  if (guard == NULL
      || ((added = dup_added_since (self, guard->since, error)) != NULL
          && guard->check (added, guard->user_data, error)))
    id = create_manual_in_transaction (self, n_name, n_domain, n_country, n_erp, error);
  return _pd_store_end_write (self, id > 0, error) ? id : 0;
}

gint64
pd_store_create_manual (PdStore     *self,
                        const char  *name,
                        const char  *domain,
                        const char  *country,
                        const char  *erp_id,
                        GError     **error)
{
  return pd_store_create_manual_guarded (self, name, domain, country, erp_id, NULL, error);
}
