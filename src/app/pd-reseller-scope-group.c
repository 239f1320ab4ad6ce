/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-reseller-scope-group.c — "My Resellers": a check row per indirect reseller the cache
 * knows, and "All Customers".
 *
 * The choice is the cache's reseller scope, not a GSettings key: it belongs to one partner
 * account's customers (a second account's cache has other resellers), and the CLI and the
 * timer, which sync the same cache, must follow it (`partner-desk-cli sync --reseller` sets
 * the same value). Every change is saved at once; the next sync uses it. The rows are built in
 * code: they depend on the cache. A search row appears when the list is long.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-entry-row.h"
#include "pd-reseller-scope-group.h"

/* More resellers than this: a search row filters them. */
#define SEARCH_MIN_RESELLERS 6

typedef struct {
  GtkWidget      *row;
  GtkCheckButton *check;
  char           *id;
  char           *folded;    /* name and id, for the search */
} ResellerRow;

struct _PdResellerScopeGroup
{
  AdwPreferencesGroup parent_instance;

  PdStore        *store;
  GtkWidget      *search_row;
  GtkWidget      *all_row;
  GtkCheckButton *all_check;
  GtkWidget      *empty_row;
  GPtrArray      *rows;       /* ResellerRow */
  gboolean        updating;   /* checks set by code, not by the user */
};

G_DEFINE_FINAL_TYPE (PdResellerScopeGroup, pd_reseller_scope_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
reseller_row_free (gpointer data)
{
  ResellerRow *r = data;

  g_free (r->id);
  g_free (r->folded);
  g_free (r);
}

/* A check row: the check is in front, named like the row, and the whole row toggles it. */
static GtkWidget *
new_check_row (const char      *title,
               const char      *subtitle,
               GtkCheckButton **out_check)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  pd_app_util_set_row_text (ADW_ACTION_ROW (row), title, subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  pd_app_util_set_accessible_name (check, title);
  *out_check = GTK_CHECK_BUTTON (check);
  return row;
}

static char **
checked_ids (PdResellerScopeGroup *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->rows->len; i++)
    {
      ResellerRow *r = g_ptr_array_index (self->rows, i);

      if (gtk_check_button_get_active (r->check))
        g_strv_builder_add (builder, r->id);
    }
  return g_strv_builder_end (builder);
}

static void reload (PdResellerScopeGroup *self);

static void
save (PdResellerScopeGroup *self,
      const char * const   *ids)
{
  g_autoptr(GError) error = NULL;

  if (pd_store_set_reseller_scope (self->store, ids, &error))
    return;
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
  /* Show what the cache really keeps. */
  reload (self);
}

static void
on_reseller_toggled (PdResellerScopeGroup *self)
{
  g_auto(GStrv) ids = NULL;

  if (self->updating)
    return;
  ids = checked_ids (self);
  self->updating = TRUE;
  gtk_check_button_set_active (self->all_check, ids[0] == NULL);
  self->updating = FALSE;
  save (self, (const char * const *) ids);
}

/* "All Customers" on clears the choice; it goes off only by choosing a reseller. */
static void
on_all_toggled (PdResellerScopeGroup *self)
{
  g_auto(GStrv) ids = NULL;

  if (self->updating)
    return;
  self->updating = TRUE;
  if (gtk_check_button_get_active (self->all_check))
    for (guint i = 0; i < self->rows->len; i++)
      gtk_check_button_set_active (((ResellerRow *) g_ptr_array_index (self->rows, i))->check,
                                   FALSE);
  ids = checked_ids (self);
  if (ids[0] == NULL)
    gtk_check_button_set_active (self->all_check, TRUE);
  self->updating = FALSE;
  if (ids[0] == NULL)
    save (self, NULL);
}

static void
on_search_changed (PdResellerScopeGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_row));
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  for (guint i = 0; i < self->rows->len; i++)
    {
      ResellerRow *r = g_ptr_array_index (self->rows, i);

      gtk_widget_set_visible (r->row, *folded == '\0' || strstr (r->folded, folded) != NULL);
    }
}

static gboolean
scope_has (const char * const *scope,
           const char         *id)
{
  for (guint i = 0; scope != NULL && scope[i] != NULL; i++)
    if (g_ascii_strcasecmp (scope[i], id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
rows_have (PdResellerScopeGroup *self,
           const char           *id)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (g_ascii_strcasecmp (((ResellerRow *) g_ptr_array_index (self->rows, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

static void
add_reseller (PdResellerScopeGroup *self,
              const char           *id,
              const char           *name,
              gboolean              checked)
{
  ResellerRow *r = g_new0 (ResellerRow, 1);
  g_autofree char *text = g_strconcat (name != NULL ? name : "", " ", id, NULL);

  r->id = g_strdup (id);
  r->folded = g_utf8_casefold (text, -1);
  /* A reseller of the scope the cache has no customer of yet is shown by its tenant ID. */
  r->row = new_check_row (name != NULL && *name != '\0' ? name : id, id, &r->check);
  gtk_check_button_set_active (r->check, checked);
  g_signal_connect_swapped (r->check, "toggled", G_CALLBACK (on_reseller_toggled), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), r->row);
  g_ptr_array_add (self->rows, r);
}

static void
clear_rows (PdResellerScopeGroup *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  ((ResellerRow *) g_ptr_array_index (self->rows, i))->row);
  g_ptr_array_set_size (self->rows, 0);
}

static void
reload (PdResellerScopeGroup *self)
{
  g_autoptr(GPtrArray) pairs = pd_store_list_resellers (self->store, NULL);
  g_auto(GStrv) scope = pd_store_dup_reseller_scope (self->store);

  self->updating = TRUE;
  clear_rows (self);
  for (guint i = 0; pairs != NULL && i < pairs->len; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_ptr_array_index (pairs, i), "\t", 2);

      add_reseller (self, pair[0], pair[1], scope_has ((const char * const *) scope, pair[0]));
    }
  for (guint i = 0; scope != NULL && scope[i] != NULL; i++)
    if (!rows_have (self, scope[i]))
      add_reseller (self, scope[i], NULL, TRUE);
  gtk_check_button_set_active (self->all_check, scope == NULL);
  self->updating = FALSE;
  gtk_widget_set_visible (self->empty_row, self->rows->len == 0);
  gtk_widget_set_visible (self->search_row, self->rows->len > SEARCH_MIN_RESELLERS);
  on_search_changed (self);
}

void
pd_reseller_scope_group_set_store (PdResellerScopeGroup *self,
                                   PdStore              *store)
{
  g_return_if_fail (PD_IS_RESELLER_SCOPE_GROUP (self));
  g_return_if_fail (store == NULL || PD_IS_STORE (store));
  g_set_object (&self->store, store);
  if (store != NULL)
    reload (self);
}

GtkWidget *
pd_reseller_scope_group_new (void)
{
  return g_object_new (PD_TYPE_RESELLER_SCOPE_GROUP, NULL);
}

static void
pd_reseller_scope_group_dispose (GObject *object)
{
  PdResellerScopeGroup *self = PD_RESELLER_SCOPE_GROUP (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pd_reseller_scope_group_parent_class)->dispose (object);
}

static void
pd_reseller_scope_group_class_init (PdResellerScopeGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_reseller_scope_group_dispose;
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pd_reseller_scope_group_init (PdResellerScopeGroup *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);

  self->rows = g_ptr_array_new_with_free_func (reseller_row_free);
  /* Translators: preferences group: the indirect resellers whose customers the user syncs */
  adw_preferences_group_set_title (group, _("My Resellers"));
  adw_preferences_group_set_description (group,
                                         _("Sync only the customers of the indirect resellers "
                                           "you manage. Customers of the others stay in the "
                                           "cache as last synced and are never marked removed."));

  self->search_row = pd_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->search_row),
                                 _("Search Resellers"));
  g_signal_connect_swapped (self->search_row, "changed", G_CALLBACK (on_search_changed), self);
  gtk_widget_set_visible (self->search_row, FALSE);
  adw_preferences_group_add (group, self->search_row);

  self->all_row = new_check_row (_("All Customers"),
                                 _("Every customer of the partner account"), &self->all_check);
  gtk_check_button_set_active (self->all_check, TRUE);
  g_signal_connect_swapped (self->all_check, "toggled", G_CALLBACK (on_all_toggled), self);
  adw_preferences_group_add (group, self->all_row);

  self->empty_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->empty_row),
                                 _("No Indirect Resellers Known Yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->empty_row),
                               _("They appear here after a sync of an indirect provider’s "
                                 "customers"));
  adw_preferences_group_add (group, self->empty_row);
}
