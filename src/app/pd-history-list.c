/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-history-list.c — rows of an organization's history. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-org-fields.h"
#include "core/pd-store.h"
#include "pd-app-util.h"
#include "pd-history-list-private.h"

/* A long-lived organization gathers hundreds of changes; the pane shows the recent ones. */
#define MAX_ROWS 100

struct _PdHistoryList
{
  AdwBin      parent_instance;

  GtkListBox *list_box;
  guint       n_rows;
};

G_DEFINE_FINAL_TYPE (PdHistoryList, pd_history_list, ADW_TYPE_BIN)

/* Entries that name no field of the organization (pd-org-fields.h has those). */
static const struct {
  const char *what;
  const char *label;
} event_labels[] = {
  /* Translators: in an organization's history: the entry that created it */
  { "created", NC_("history", "Created") },
  /* Translators: in one organization's history: the sync found it gone (singular) */
  { "removed", NC_("history", "Removed from Partner Center") },
  { "tenantId", NC_("history", "Tenant ID") },
};

char *
pd_history_list_dup_field_label (const char *what)
{
  PdBillToField field;
  PdOrgField org_field;

  if (what == NULL)
    /* Translators: a history entry whose field is not known */
    return g_strdup (_("Change"));
  if (g_str_has_prefix (what, "billTo.")
      && pd_bill_to_field_from_path (what + strlen ("billTo."), &field))
    return g_strdup_printf (_("Bill-to: %s"), pd_bill_to_field_label (field));
  /* Rows name a field by its path ("erpId"); its key ("erp-id") names the same field. */
  if (pd_org_field_from_path (what, &org_field) || pd_org_field_from_key (what, &org_field))
    return g_strdup (pd_org_field_label (org_field));
  for (guint i = 0; i < G_N_ELEMENTS (event_labels); i++)
    if (g_strcmp0 (event_labels[i].what, what) == 0)
      return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "history", event_labels[i].label));
  return g_strdup (what);
}

typedef struct {
  const char *label;   /* N_() */
  const char *icon;
} ChangeBy;

/* Who made a change, as its row says. A push writes the value the user had already typed (its
 * own row, "by you") into Partner Center: its rows say so, or the same change would seem to be
 * listed twice. */
static const ChangeBy change_bys[] = {
  [PD_CHANGE_BY_USER] = { N_("by you"), "document-edit-symbolic" },
  [PD_CHANGE_BY_SYNC] = { N_("by sync"), "emblem-synchronizing-symbolic" },
  [PD_CHANGE_BY_PUSH] = { N_("sent to Partner Center by you"), "send-to-symbolic" },
  [PD_CHANGE_BY_REVERT] = { N_("reverted to the Partner Center value by you"),
                            "edit-undo-symbolic" },
};

/* An unknown value (a newer cache) shows as the user's. */
static const ChangeBy *
change_by (PdChangeBy by)
{
  return &change_bys[(guint) by < G_N_ELEMENTS (change_bys) ? by : PD_CHANGE_BY_USER];
}

static GtkWidget *
create_row (const PdHistoryEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = pd_history_list_dup_field_label (entry->what);
  g_autofree char *when = pd_app_util_format_when (entry->when);
  g_autofree char *subtitle = NULL;
  const char *by = _(change_by (entry->by)->label);
  g_autofree char *old_value = pd_app_util_dup_history_value (entry->what, entry->old_value);
  g_autofree char *new_value = pd_app_util_dup_history_value (entry->what, entry->new_value);

  if (g_strcmp0 (entry->what, "created") == 0)
    /* Translators: "by sync · Today at 14:02". */
    subtitle = g_strdup_printf (_("%s · %s"), by, when);
  else
    /* Translators: "old value → new value · by you · Today at 14:02". */
    subtitle = g_strdup_printf (_("%s → %s · %s · %s"), old_value, new_value, by, when);
  /* Values are user data and Partner Center's: plain text, controls shown replaced. */
  pd_app_util_set_row_text (ADW_ACTION_ROW (row), title, subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (change_by (entry->by)->icon));
  return row;
}

static GtkWidget *
create_empty_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No changes yet"));
  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

void
pd_history_list_set_entries (PdHistoryList *self,
                             GPtrArray     *entries)
{
  guint n;

  g_return_if_fail (PD_IS_HISTORY_LIST (self));

  pd_app_util_list_box_clear (self->list_box);
  n = entries != NULL ? MIN (entries->len, MAX_ROWS) : 0;
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->list_box, create_row (g_ptr_array_index (entries, i)));
  if (n == 0)
    gtk_list_box_append (self->list_box, create_empty_row ());
  self->n_rows = n;
}

guint
pd_history_list_get_n_rows (PdHistoryList *self)
{
  g_return_val_if_fail (PD_IS_HISTORY_LIST (self), 0);

  return self->n_rows;
}

static void
pd_history_list_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_HISTORY_LIST);
  G_OBJECT_CLASS (pd_history_list_parent_class)->dispose (object);
}

static void
pd_history_list_class_init (PdHistoryListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_history_list_dispose;
  pd_app_util_set_template (widget_class, "pd-history-list.ui");
  gtk_widget_class_bind_template_child (widget_class, PdHistoryList, list_box);
}

static void
pd_history_list_init (PdHistoryList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_history_list_set_entries (self, NULL);
}

GtkWidget *
pd_history_list_new (void)
{
  return g_object_new (PD_TYPE_HISTORY_LIST, NULL);
}
