/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-columns.c — the columns of the organization list: their cells (setup, bind,
 * tooltips), their sorters, and the columns.KEY actions over the visible-columns setting.
 * Not a type: plain functions over the column view and the settings. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-text.h"
#include "pd-app-util.h"
#include "pd-collate.h"
#include "pd-organization-columns.h"
#include "pd-organization-list-private.h"
#include "pd-organization-row-data.h"
#include "pd-row-slot.h"

typedef enum {
  /* Display order: the two markers sit beside the name so that they stay in view. */
  COL_NAME,
  COL_BILL_TO,
  COL_LOCAL_EDITS,
  COL_DOMAIN,
  COL_COUNTRY,
  COL_STATUS,
  COL_ERP_ID,
  COL_SEGMENTS,
  COL_CURRENCY,
  COL_ACCOUNT_MANAGER,
  COL_RESELLER,
  COL_SOURCE,
  COL_LAST_SYNCED,
  N_COLUMNS
} Column;

typedef struct {
  const char *title;
  gboolean    icon;
  gboolean    expand;
  int         width;
} ColumnInfo;

static const ColumnInfo column_info[N_COLUMNS] = {
  [COL_NAME]        = { N_("Name"), FALSE, TRUE, 220 },
  [COL_DOMAIN]      = { N_("Domain"), FALSE, TRUE, 180 },
  [COL_COUNTRY]     = { N_("Country"), FALSE, FALSE, -1 },
  /* Translators: column title: New, Active or Blocked, as the partner tracks its customers */
  [COL_STATUS]      = { N_("Status"), FALSE, FALSE, 80 },
  [COL_ERP_ID]      = { N_("ERP ID"), FALSE, FALSE, 90 },
  [COL_SEGMENTS]    = { N_("Segments"), FALSE, FALSE, 110 },
  [COL_CURRENCY]    = { N_("Currency"), FALSE, FALSE, 80 },
  /* Translators: column title: who looks after the customer at the partner */
  [COL_ACCOUNT_MANAGER] = { N_("Account Manager"), FALSE, FALSE, 140 },
  /* Icon columns have a fixed width: a long translated title is cut, not the rows pushed. */
  [COL_BILL_TO]     = { N_("Bill-to"), TRUE, FALSE, 72 },
  /* Translators: column title: where an organization comes from (Partner Center, manual, removed) */
  [COL_SOURCE]      = { N_("Source"), FALSE, FALSE, 110 },
  /* Translators: column title: marks organizations with local bill-to edits */
  [COL_LOCAL_EDITS] = { N_("Local"), TRUE, FALSE, 64 },
  /* Translators: column title: the indirect reseller of a customer */
  [COL_RESELLER]    = { N_("Reseller"), FALSE, FALSE, 140 },
  [COL_LAST_SYNCED] = { N_("Last Synced"), FALSE, FALSE, 100 },
};

/* The keys of the columns: win.sort-by, the columns.KEY actions, the visible-columns setting. */
static const char * const column_keys[N_COLUMNS] = {
  [COL_NAME] = "name", [COL_DOMAIN] = "domain", [COL_COUNTRY] = "country",
  [COL_ERP_ID] = "erp-id", [COL_SEGMENTS] = "segments", [COL_BILL_TO] = "bill-to",
  [COL_SOURCE] = "source", [COL_STATUS] = "status", [COL_CURRENCY] = "currency",
  [COL_ACCOUNT_MANAGER] = "account-manager", [COL_LOCAL_EDITS] = "local", [COL_RESELLER] = "reseller",
  [COL_LAST_SYNCED] = "last-synced",
};
G_STATIC_ASSERT (N_COLUMNS == PD_ORGANIZATION_N_COLUMNS);


/* ---- cells ---- */

static PdOrganizationRowData *
item_row (GtkListItem *item)
{
  PdRowSlot *slot = gtk_list_item_get_item (item);

  return slot != NULL ? pd_row_slot_get_row (slot) : NULL;
}

static char *dup_tooltip (Column column, PdOrganizationRowData *row);
static char *add_match_reason (GtkWidget *cell, PdOrganizationRowData *row, char *text);

/* Tooltips are computed when asked for: gtk_widget_set_tooltip_text on every bind costs an X
 * round trip per cell in GTK 4.8 (it re-queries the pointer), which made scrolling and each
 * search keystroke slow. */
static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (widget), "list-item");
  g_autofree char *text = NULL;

  if (item == NULL || item_row (item) == NULL)
    return FALSE;
  text = dup_tooltip (GPOINTER_TO_INT (user_data), item_row (item));
  if (GPOINTER_TO_INT (user_data) == COL_NAME)
    text = add_match_reason (widget, item_row (item), text);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void on_cell_map (GtkWidget *widget);

/* The Name cell's tooltip says why a search found the row when its name does not match. */
static char *
add_match_reason (GtkWidget             *cell,
                  PdOrganizationRowData *row,
                  char                  *text)
{
  GtkWidget *list = gtk_widget_get_ancestor (cell, PD_TYPE_ORGANIZATION_LIST);
  g_autofree char *reason = NULL;
  char *both;

  if (list == NULL)
    return text;
  reason = pd_organization_list_dup_match_reason (PD_ORGANIZATION_LIST (list),
                                                  pd_organization_row_data_get_id (row));
  if (reason == NULL)
    return text;
  /* Translators: a row's tooltip during a search: its name, then what matched, e.g.
   * "Northwind Traders\nFound by E-mail: billing@northwind.com" */
  both = g_strdup_printf (_("%s\nFound by %s"), text != NULL ? text : "", reason);
  g_free (text);
  return both;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *widget;

  if (column_info[column].icon)
    widget = gtk_image_new ();
  else
    {
      widget = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (widget), 0);
      gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (widget), TRUE);
    }
  g_object_set_data (G_OBJECT (widget), "list-item", item);
  g_object_set_data (G_OBJECT (widget), "column", user_data);
  g_signal_connect (widget, "map", G_CALLBACK (on_cell_map), NULL);
  if (column == COL_NAME || column == COL_DOMAIN || column == COL_SOURCE || column_info[column].icon)
    {
      gtk_widget_set_has_tooltip (widget, TRUE);
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), user_data);
    }
  gtk_list_item_set_child (item, widget);
}

/* By PdBillToState: complete, incomplete, not readable, not read yet. */
static const char * const bill_to_icons[] = {
  "object-select-symbolic", "dialog-warning-symbolic", "action-unavailable-symbolic",
  "emblem-synchronizing-symbolic",
};
G_STATIC_ASSERT (G_N_ELEMENTS (bill_to_icons) == PD_BILL_TO_STATE_NOT_READ + 1);

static void
set_icon (GtkWidget  *image,
          const char *icon_name,
          const char *text)
{
  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
bind_icon (Column                 column,
           GtkWidget             *image,
           PdOrganizationRowData *row)
{
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (image, "warning");
  gtk_widget_remove_css_class (image, "dim-label");
  if (column == COL_BILL_TO)
    {
      PdBillToState state = row->bill_to_state;

      text = pd_organization_row_data_dup_bill_to_text (row);
      set_icon (image, bill_to_icons[state], text);
      /* Not read yet is no problem Partner Center reported: it is not shown as a warning. */
      gtk_widget_add_css_class (image, state == PD_BILL_TO_STATE_COMPLETE
                                       || state == PD_BILL_TO_STATE_NOT_READ ? "dim-label"
                                                                             : "warning");
    }
  else if ((text = pd_organization_row_data_dup_local_text (row)) != NULL)
    set_icon (image, "document-edit-symbolic", text);
  else
    set_icon (image, NULL, NULL);
}

static const char *
source_text (PdOrganizationRowData *row)
{
  if (row->removed)
    /* Translators: an organization's source in the list: removed from Partner Center */
    return _("Removed");
  if (row->manual)
    /* Translators: an organization's source in the list: created by hand in Partner Desk */
    return _("Manual");
  return _("Partner Center");
}

/* The text of a column that shows one string (NULL for the others and for no value). */
static const char *
cell_string (Column                 column,
             PdOrganizationRowData *row)
{
  switch (column)
    {
    case COL_NAME:
      return row->name;
    case COL_DOMAIN:
      return row->domain;
    case COL_COUNTRY:
      return row->country;
    case COL_ERP_ID:
      return row->erp_id;
    case COL_STATUS:
      return pd_org_status_label ((PdOrgStatus) row->status);
    case COL_SEGMENTS:
      return row->segments;
    case COL_SOURCE:
      return source_text (row);
    case COL_CURRENCY:
      return row->currency;
    case COL_ACCOUNT_MANAGER:
      return row->account_manager;
    case COL_RESELLER:
      return pd_reseller_label (row->reseller_id, row->reseller_name);
    case COL_LAST_SYNCED:
    case COL_BILL_TO:
    case COL_LOCAL_EDITS:
    case N_COLUMNS:
    default:
      return NULL;
    }
}

static char *
dup_cell_text (Column                 column,
               PdOrganizationRowData *row)
{
  g_autoptr(GDateTime) synced = NULL;

  if (column != COL_LAST_SYNCED)
    return pd_text_for_label (cell_string (column, row));
  if (!row->has_last_synced)
    return NULL;
  synced = g_date_time_new_from_unix_utc (row->last_synced);
  return g_date_time_format (synced, "%x");
}

/* Shows the slot's current row in one cell (on bind, and when a search moves rows). The list
 * view keeps up to a couple of hundred rows of widgets around what is on screen; cells that
 * are not mapped only note that they are stale and catch up when they are mapped. */
static void
refresh_cell (GtkWidget *widget)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "column"));
  PdOrganizationRowData *row = item_row (g_object_get_data (G_OBJECT (widget), "list-item"));
  g_autofree char *text = NULL;

  if (!gtk_widget_get_mapped (widget))
    {
      g_object_set_data (G_OBJECT (widget), "stale", GINT_TO_POINTER (1));
      return;
    }
  g_object_set_data (G_OBJECT (widget), "stale", NULL);

  if (column_info[column].icon)
    {
      if (row != NULL)
        bind_icon (column, widget, row);
      else
        set_icon (widget, NULL, NULL);
      return;
    }
  text = row != NULL ? dup_cell_text (column, row) : NULL;
  gtk_label_set_text (GTK_LABEL (widget), text != NULL ? text : "");
  if (column == COL_NAME && row != NULL)
    {
      g_autofree char *name = pd_organization_row_data_dup_accessible_name (row);

      pd_app_util_set_list_row_name (widget, name);
    }
}

static gboolean
refresh_stale_cell (gpointer data)
{
  GtkWidget *widget = data;

  if (g_object_get_data (G_OBJECT (widget), "stale") != NULL && gtk_widget_get_mapped (widget))
    refresh_cell (widget);
  return G_SOURCE_REMOVE;
}

/* Cells are mapped while the list allocates its rows, when a resize must not be queued:
 * the stale cell is refreshed right after, before the next frame. */
static void
on_cell_map (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), "stale") != NULL)
    g_idle_add_full (G_PRIORITY_HIGH, refresh_stale_cell, g_object_ref (widget), g_object_unref);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *widget = gtk_list_item_get_child (item);
  PdRowSlot *slot = gtk_list_item_get_item (item);

  pd_row_slot_bind (slot);
  g_signal_connect_object (slot, "changed", G_CALLBACK (refresh_cell), widget, G_CONNECT_SWAPPED);
  refresh_cell (widget);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  PdRowSlot *slot = gtk_list_item_get_item (item);

  g_signal_handlers_disconnect_by_func (slot, refresh_cell, gtk_list_item_get_child (item));
  pd_row_slot_unbind (slot);
}

static char *
dup_tooltip (Column                 column,
             PdOrganizationRowData *row)
{
  switch (column)
    {
    case COL_NAME:
    case COL_DOMAIN:
      /* Long names and domains are ellipsized; the tooltip shows them whole. */
      return dup_cell_text (column, row);
    case COL_SOURCE:
      return row->removed
             ? g_strdup (_("Removed from Partner Center; local data is kept")) : NULL;
    case COL_BILL_TO:
      return pd_organization_row_data_dup_bill_to_text (row);
    case COL_LOCAL_EDITS:
      return pd_organization_row_data_dup_local_text (row);
    default:
      return NULL;
    }
}

/* ---- sorting ---- */

static int
compare_strings (const char *a,
                 const char *b)
{
  /* Empty values sort last whatever the direction of the others. */
  if (a == NULL || *a == '\0')
    return (b == NULL || *b == '\0') ? 0 : 1;
  if (b == NULL || *b == '\0')
    return -1;
  return pd_collate (a, b);
}

static int
compare_values (Column                 column,
                PdOrganizationRowData *row_a,
                PdOrganizationRowData *row_b)
{
  switch (column)
    {
    case COL_NAME:
      return pd_organization_row_data_compare (row_a, row_b);
    case COL_BILL_TO:
      return (int) (row_a->bill_to_state == PD_BILL_TO_STATE_COMPLETE)
             - (int) (row_b->bill_to_state == PD_BILL_TO_STATE_COMPLETE);
    case COL_STATUS:
      /* New first: the ones to approve. */
      return (int) row_a->status - (int) row_b->status;
    case COL_LOCAL_EDITS:
      return (int) pd_organization_row_data_in_filter (row_b, PD_FILTER_LOCAL_EDITS)
             - (int) pd_organization_row_data_in_filter (row_a, PD_FILTER_LOCAL_EDITS);
    case COL_LAST_SYNCED:
      if (!row_a->has_last_synced || !row_b->has_last_synced)
        return (int) !row_a->has_last_synced - (int) !row_b->has_last_synced;
      return row_a->last_synced < row_b->last_synced ? -1
                                                     : row_a->last_synced > row_b->last_synced;
    default:
      return compare_strings (cell_string (column, row_a), cell_string (column, row_b));
    }
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  int result = compare_values (GPOINTER_TO_INT (user_data), (gpointer) a, (gpointer) b);

  /* Ties by name, so that every column gives a stable, readable order. */
  if (result == 0)
    result = pd_organization_row_data_compare (a, b);
  return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

void
pd_organization_columns_add (GtkColumnView        *view,
                             GtkColumnViewColumn **columns)
{
  for (int i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(column_info[i].title), factory);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (gtk_custom_sorter_new (
        compare_rows, GINT_TO_POINTER (i), NULL)));
      gtk_column_view_column_set_expand (column, column_info[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (column_info[i].width > 0)
        gtk_column_view_column_set_fixed_width (column, column_info[i].width);
      gtk_column_view_append_column (view, column);
      columns[i] = column;
      g_object_unref (column);
    }
}

const char *
pd_organization_columns_get_key (guint column)
{
  g_return_val_if_fail (column < N_COLUMNS, NULL);
  return column_keys[column];
}

/* ---- visible columns ---- */

void
pd_organization_columns_apply_visible (GtkColumnViewColumn **columns,
                                       GSimpleActionGroup   *actions,
                                       GSettings            *settings,
                                       gboolean              has_resellers)
{
  g_auto(GStrv) chosen = g_settings_get_strv (settings, "visible-columns");

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean shown = i == COL_NAME
                       || g_strv_contains ((const char * const *) chosen, column_keys[i]);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (actions), column_keys[i]);

      if (action != NULL)
        g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (shown));
      gtk_column_view_column_set_visible (columns[i],
                                          shown && (i != COL_RESELLER || has_resellers));
    }
}

/* columns.KEY: shows or hides the column in the setting (which applies it, to every window). */
static void
on_column_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GSettings *settings = user_data;
  g_auto(GStrv) chosen = g_settings_get_strv (settings, "visible-columns");
  g_autoptr(GStrvBuilder) next = g_strv_builder_new ();
  const char *key = g_action_get_name (G_ACTION (action));
  gboolean found = FALSE;
  g_auto(GStrv) keys = NULL;

  for (guint i = 0; chosen[i] != NULL; i++)
    {
      if (g_str_equal (chosen[i], key))
        found = TRUE;
      else
        g_strv_builder_add (next, chosen[i]);
    }
  if (!found)
    g_strv_builder_add (next, key);
  keys = g_strv_builder_end (next);
  g_settings_set_strv (settings, "visible-columns", (const char * const *) keys);
}

GSimpleActionGroup *
pd_organization_columns_new_actions (GSettings *settings)
{
  GSimpleActionGroup *actions = g_simple_action_group_new ();

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GSimpleAction) action = NULL;

      if (i == COL_NAME)
        continue;
      action = g_simple_action_new_stateful (column_keys[i], NULL, g_variant_new_boolean (TRUE));
      g_signal_connect_object (action, "activate", G_CALLBACK (on_column_action), settings, 0);
      g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (action));
    }
  return actions;
}
