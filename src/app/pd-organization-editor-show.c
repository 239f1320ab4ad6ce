/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-editor-show.c — an organization's values put in the editor's widgets: its
 * header, its fields (keeping what is typed and not saved yet), its account status. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-text.h"
#include "pd-app-util.h"
#include "pd-organization-editor-private.h"

static gboolean
is_pending (PdOrganizationEditor *self,
            const char           *key)
{
  return g_hash_table_contains (self->pending, key);
}

/* Keeps what the user typed when it is not saved yet (pending, or refused with an error; a
 * registration number that is required but missing was not refused). */
static gboolean
keep_widget (PdOrganizationEditor *self,
             const char           *key)
{
  GtkWidget *widget = _pd_organization_editor_key_widget (self, key);
  gboolean refused = widget != NULL && gtk_widget_has_css_class (widget, "error")
                     && !(widget == GTK_WIDGET (self->registration_row)
                          && self->registration_missing);

  return is_pending (self, key) || refused;
}

/* The registration number is a local field, but some countries require it before Microsoft
 * accepts orders: the bill-to editor lists it with the bill-to's problems (for the country as
 * typed) and its row shows the reason, as the bill-to rows do. A refusal by the store (only
 * ever of a typed number) is left alone. */
void
_pd_organization_editor_show_registration_problem (PdOrganizationEditor *self)
{
  GtkWidget *row = GTK_WIDGET (self->registration_row);
  const char *reason;

  pd_bill_to_editor_set_registration_number (self->bill_to_editor,
                                             gtk_editable_get_text (GTK_EDITABLE (row)));
  reason = pd_bill_to_editor_get_registration_problem (self->bill_to_editor);
  if (reason != NULL)
    pd_app_util_set_error (row, reason);
  else if (self->registration_missing)
    pd_app_util_set_error (row, NULL);
  self->registration_missing = reason != NULL;
}

static void
show_entry (PdOrganizationEditor *self,
            PdEntryRow           *row,
            const char           *value)
{
  const char *key = g_object_get_data (G_OBJECT (row), "key");

  if (!keep_widget (self, key)
      && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value != NULL ? value : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
}

/* Billing in a new currency starts on the 1st of the month after the change (design.md §3). */
static void
show_currency (PdOrganizationEditor *self)
{
  GDateTime *effective = pd_organization_get_currency_effective (self->org);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) next_month = NULL;
  g_autofree char *day = NULL;
  g_autofree char *subtitle = NULL;

  pd_code_row_set_code (self->currency_row, pd_organization_get_currency (self->org));
  if (effective != NULL && g_date_time_compare (effective, now) > 0)
    {
      day = pd_app_util_format_day (effective);
      subtitle = g_strdup_printf (_("Takes effect on %s"), day);
    }
  else
    {
      first = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                     1, 0, 0, 0);
      next_month = g_date_time_add_months (first, 1);
      day = pd_app_util_format_day (next_month);
      subtitle = g_strdup_printf (_("A change takes effect on %s"), day);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->currency_row), subtitle);
}

/* Microsoft's account verification as last asked, in words, with when it was asked. */
void
_pd_organization_editor_show_account_status (PdOrganizationEditor *self)
{
  GDateTime *checked = pd_organization_get_account_checked_at (self->org);
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  gboolean checking = self->account_check != NULL && self->account_check_id == self->org_id;

  gtk_widget_set_visible (GTK_WIDGET (self->account_row),
                          pd_organization_get_source (self->org) != PD_ORG_SOURCE_MANUAL
                          && pd_organization_get_tenant_id (self->org) != NULL);
  if (checking)
    subtitle = g_strdup (_("Asking Partner Center…"));
  else if (checked == NULL)
    subtitle = g_strdup (_("Not checked yet"));
  else
    {
      when = pd_app_util_format_when (checked);
      /* Translators: the account status in words, then when it was checked ("Today at 14:02") */
      subtitle = g_strdup_printf (_("%s\nChecked %s"),
                                  pd_account_status_describe (
                                    pd_organization_get_account_status (self->org)),
                                  when);
    }
  adw_action_row_set_subtitle (self->account_row, subtitle);
  gtk_widget_set_visible (self->account_spinner, checking);
  gtk_spinner_set_spinning (GTK_SPINNER (self->account_spinner), checking);
}

void
_pd_organization_editor_show_header (PdOrganizationEditor *self)
{
  const char *tenant = pd_organization_get_tenant_id (self->org);
  const char *domain = pd_organization_get_domain (self->org);
  gboolean manual = pd_organization_get_source (self->org) == PD_ORG_SOURCE_MANUAL;
  GDateTime *last_synced = pd_organization_get_last_synced_at (self->org);
  g_autofree char *synced = pd_app_util_format_when (last_synced);
  /* Partner Center's name, as a label shows untrusted text (pd_text_for_label). */
  g_autofree char *name = pd_text_for_label (pd_organization_get_name (self->org));
  g_autofree char *shown_domain = pd_text_for_label (domain);

  gtk_label_set_label (self->name_label, name);
  adw_action_row_set_subtitle (self->tenant_row, tenant != NULL
                                                ? tenant
                                                : _("None: not linked to a Microsoft tenant"));
  gtk_widget_set_visible (self->copy_tenant_button, tenant != NULL);
  adw_action_row_set_subtitle (self->domain_row, domain != NULL ? shown_domain : _("None"));
  adw_action_row_set_subtitle (self->source_row,
                               manual ? _("Created in Partner Desk") : _("Partner Center"));
  adw_action_row_set_subtitle (self->synced_row, manual ? _("Never: kept only in Partner Desk")
                                                        : synced);
  gtk_widget_set_visible (self->removed_box, pd_organization_get_removed (self->org));
  _pd_organization_editor_show_account_status (self);
}

/* Manual organizations are Partner Desk's own: their name, domain and country are editable. */
void
_pd_organization_editor_show_manual_fields (PdOrganizationEditor *self)
{
  gboolean manual = pd_organization_get_source (self->org) == PD_ORG_SOURCE_MANUAL;

  gtk_widget_set_visible (self->manual_group, manual);
  if (!manual)
    return;
  show_entry (self, self->name_row, pd_organization_get_name (self->org));
  show_entry (self, self->domain_edit_row, pd_organization_get_domain (self->org));
  if (!keep_widget (self, "country"))
    pd_code_row_set_code (self->country_row, pd_organization_get_country (self->org));
}

void
_pd_organization_editor_show_local_fields (PdOrganizationEditor *self)
{
  PdOrgStatus status = pd_organization_get_status (self->org);

  show_entry (self, self->erp_row, pd_organization_get_erp_id (self->org));
  show_entry (self, self->registration_row, pd_organization_get_registration_number (self->org));
  show_entry (self, self->manager_row, pd_organization_get_account_manager (self->org));
  if (!keep_widget (self, "segments"))
    pd_tag_row_set_tags (self->segments_row, pd_organization_get_segments (self->org));
  if (!keep_widget (self, "login-options"))
    pd_tag_row_set_tags (self->login_row, pd_organization_get_login_options (self->org));
  show_currency (self);
  adw_combo_row_set_selected (self->status_row, status);
  gtk_widget_set_visible (self->approve_button, status == PD_ORG_STATUS_NEW);
  if (!keep_widget (self, "notes"))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
      const char *notes = pd_organization_get_notes (self->org);
      GtkTextIter start, end;
      g_autofree char *current = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      current = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      if (g_strcmp0 (current, notes != NULL ? notes : "") != 0)
        gtk_text_buffer_set_text (buffer, notes != NULL ? notes : "", -1);
    }
}
