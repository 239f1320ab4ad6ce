/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-list.c — search, filters and the column view over every cached organization.
 *
 * Model chain: PdOrganizationModel (every row → the visible rows, the counts, loading; sorted
 * with the column view's sorter when a column is sorted) → slots (PdRowSlot, see its header:
 * stable items so that GTK 4.8 rebinds instead of rebuilding row widgets) →
 * GtkSingleSelection → GtkColumnView. This file keeps the cells and the wiring.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-collate.h"
#include "pd-organization-list-private.h"
#include "pd-organization-model.h"
#include "pd-organization-row-data.h"
#include "pd-row-array.h"
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

struct _PdOrganizationList
{
  AdwBin               parent_instance;

  PdSession           *session;
  PdSyncEngine        *engine;   /* the one whose "batch-stored" we listen to */
  PdOrganizationModel *model;

  GPtrArray           *slots;    /* PdRowSlot per position, NULL until the view asks for it */
  PdRowArray          *slot_model; /* the first n visible slots */
  guint                n_filled;   /* slots given a row by the last fill_slots */
  gboolean             stage_fill; /* fill_slots may stage what it shows (a search) */
  GdkFrameClock       *stage_clock; /* while slots are staged: shows them after its paint */
  gulong               stage_handler;
  guint                stage_idle;
  GtkSingleSelection  *selection;
  gint64               pending_select_id;
  /* Across the model's "load-applying" and "load-applied". */
  gint64               selected_before_load;
  double               scroll_before_load;

  GtkColumnViewColumn *columns[N_COLUMNS];
  GSimpleActionGroup  *column_actions; /* columns.KEY, one boolean per column but the name */
  gboolean             has_resellers;  /* the Reseller column means something */
  GtkWidget           *filter_buttons[PD_N_FILTERS];

  /* template */
  GtkWidget           *toolbar;
  GtkSearchEntry      *search_entry;
  GtkMenuButton       *filter_menu_button;
  GtkLabel            *filter_label;
  GtkLabel            *filter_count;
  GtkPopover          *filter_popover;
  GtkBox              *filter_box;
  GtkDropDown         *reseller_dropdown;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  GtkSpinner          *sync_spinner;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkButton           *clear_button;
  GtkLabel            *status_label;
};

G_DEFINE_FINAL_TYPE (PdOrganizationList, pd_organization_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LOADING,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  ORGANIZATION_SELECTED,
  ORGANIZATION_ACTIVATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

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

/* By PdBillToState: complete, incomplete, not readable. */
static const char * const bill_to_icons[] = {
  "object-select-symbolic", "dialog-warning-symbolic", "action-unavailable-symbolic",
};

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
      gtk_widget_add_css_class (image, state == PD_BILL_TO_STATE_COMPLETE ? "dim-label"
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
      return row->reseller_name;
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
    return g_strdup (cell_string (column, row));
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

static void
add_columns (PdOrganizationList *self)
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
      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;
      g_object_unref (column);
    }
}

static void scroll_to_position (PdOrganizationList *self, guint position);

static int
compare_with_sorter (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  return gtk_sorter_compare (user_data, (gpointer) a, (gpointer) b);
}

/* Sorting is applied to the visible rows only while a column is sorted: with no sort column
 * the store's order (by name) stands and a keystroke sorts nothing. */
static void
on_sorter_changed (PdOrganizationList *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

  /* GtkColumnViewSorter's getters are GTK 4.10; its order is NONE while no column sorts. */
  if (gtk_sorter_get_order (sorter) == GTK_SORTER_ORDER_NONE)
    pd_organization_model_set_sort_func (self->model, NULL, NULL);
  else
    pd_organization_model_set_sort_func (self->model, compare_with_sorter, sorter);
}

/* ---- filtering ---- */

static gint64 pd_organization_list_get_selected_id_internal (PdOrganizationList *self);
static void on_selection_changed (PdOrganizationList *self);

/* A search that makes many more rows visible shows a screenful of them at once (rows are at
 * least MIN_ROW_HEIGHT high; FIRST_ROWS before the view has a height) and the rest after that
 * frame. GTK 4.8's list builds a row, with a cell per column and their accessible objects,
 * for every item up to ~200 around its anchor in one frame: for a keystroke that turned 11
 * results into 27,000 that frame took 90-250 ms at 100k rows, most of it rows below the
 * window. */
#define FIRST_ROWS     40
#define MIN_ROW_HEIGHT 20

static void
stop_staging (PdOrganizationList *self)
{
  if (self->stage_clock != NULL)
    g_clear_signal_handler (&self->stage_handler, self->stage_clock);
  g_clear_object (&self->stage_clock);
  g_clear_handle_id (&self->stage_idle, g_source_remove);
}

static void
expose_staged (PdOrganizationList *self)
{
  stop_staging (self);
  pd_row_array_expose_staged (self->slot_model);
}

static gboolean
on_stage_idle (gpointer user_data)
{
  PdOrganizationList *self = user_data;

  self->stage_idle = 0;
  expose_staged (self);
  return G_SOURCE_REMOVE;
}

/* The first screenful is painted: the rest comes once pending input is handled (a next
 * keystroke stages again instead), and is laid out in the next frame. */
static void
on_stage_painted (PdOrganizationList *self)
{
  g_clear_signal_handler (&self->stage_handler, self->stage_clock);
  g_clear_object (&self->stage_clock);
  if (self->stage_idle == 0)
    self->stage_idle = g_idle_add (on_stage_idle, self);
}

/* Shows the first n slots: after a search, when the view is on screen and the rows grow by
 * more than a screenful, the rest after the next frame is painted (selected stays shown). */
static void
show_slots (PdOrganizationList *self,
            guint               n,
            guint               selected)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (view);
  int height = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));
  guint n_first = height > 0 ? (guint) height / MIN_ROW_HEIGHT + 1 : FIRST_ROWS;

  stop_staging (self);
  if (!self->stage_fill || clock == NULL || !gtk_widget_get_mapped (view))
    {
      pd_row_array_set_prefix (self->slot_model, self->slots, n);
      return;
    }
  if (selected != GTK_INVALID_LIST_POSITION)
    n_first = MAX (n_first, selected + 1);
  if (!pd_row_array_set_prefix_staged (self->slot_model, self->slots, n, n_first))
    return;
  self->stage_clock = g_object_ref (clock);
  self->stage_handler = g_signal_connect_swapped (clock, "after-paint",
                                                  G_CALLBACK (on_stage_painted), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

/* Gives the first visible slots their rows, makes new slots when there are more rows than
 * ever, and keeps the selected organization selected where it moved to. */
static void
fill_slots (PdOrganizationList *self)
{
  GPtrArray *visible = pd_organization_model_get_visible (self->model);
  gint64 selected_id = pd_organization_list_get_selected_id_internal (self);
  guint n = visible->len;
  guint position = GTK_INVALID_LIST_POSITION;

  if (self->slots->len < n)
    g_ptr_array_set_size (self->slots, n);
  /* Up to n_filled: slots a staged fill gave rows but never showed borrow them too. */
  for (guint i = 0; i < MAX (n, self->n_filled); i++)
    {
      PdOrganizationRowData *row = i < n ? g_ptr_array_index (visible, i) : NULL;
      PdRowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot != NULL)
        pd_row_slot_set_row (slot, row);
      if (row != NULL && selected_id != 0 && pd_organization_row_data_get_id (row) == selected_id)
        position = i;
    }
  self->n_filled = n;
  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  show_slots (self, n, position);
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (pd_organization_list_get_selected_id_internal (self) != selected_id)
    on_selection_changed (self);
}

static PdOrganizationRowData *
visible_row (PdOrganizationList *self,
             guint               position)
{
  GPtrArray *visible = pd_organization_model_get_visible (self->model);

  return position < visible->len ? g_ptr_array_index (visible, position) : NULL;
}

static GObject *
make_slot (guint    position,
           gpointer user_data)
{
  PdRowSlot *slot = pd_row_slot_new ();

  pd_row_slot_set_row (slot, visible_row (user_data, position));
  return G_OBJECT (slot);
}

/* The menu button shows the chosen filter and its count ("Bill-to incomplete 12"). */
static void
update_filter_menu_button (PdOrganizationList *self)
{
  PdFilter filter = pd_organization_model_get_filter (self->model);
  g_autofree char *number = g_strdup_printf ("%'u",
                                             pd_organization_model_get_count (self->model, filter));
  /* Translators: the filter menu button's accessible name, e.g. "Filter: Bill-to incomplete, 12" */
  g_autofree char *name = g_strdup_printf (_("Filter: %s, %s"), pd_filter_label (filter), number);

  gtk_label_set_text (self->filter_label, pd_filter_label (filter));
  gtk_label_set_text (self->filter_count, number);
  /* The status line under the table counts them all: the label fits 360 px in German. */
  gtk_widget_set_visible (GTK_WIDGET (self->filter_count), filter != PD_FILTER_ALL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update_filter_buttons (PdOrganizationList *self)
{
  for (guint f = 0; f < PD_N_FILTERS; f++)
    {
      GtkWidget *button = self->filter_buttons[f];
      GtkWidget *count = g_object_get_data (G_OBJECT (button), "count-label");
      g_autofree char *number = g_strdup_printf ("%'u",
                                                 pd_organization_model_get_count (self->model, f));
      /* Translators: a filter button's accessible name, e.g. "Bill-to incomplete, 12". */
      g_autofree char *name = g_strdup_printf (_("%s, %s"), pd_filter_label (f), number);

      gtk_label_set_text (GTK_LABEL (count), number);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
    }
  update_filter_menu_button (self);
}

static void
update_status (PdOrganizationList *self)
{
  guint n_visible = pd_organization_model_get_visible (self->model)->len;
  guint n_total = pd_organization_model_get_n_total (self->model);
  g_autofree char *text = NULL;

  if (n_visible == n_total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u organization",
                                         "%'u organizations", n_total), n_total);
  else
    /* Translators: "12 of 2,500 organizations" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u of %'u organization",
                                         "%'u of %'u organizations", n_total),
                            n_visible, n_total);
  PdOrganizationModelLoad load = pd_organization_model_get_load (self->model);

  if (load & PD_ORGANIZATION_MODEL_PARTIAL)
    {
      g_free (text);
      text = g_strdup (_("Loading all organizations…"));
    }
  else if ((load & PD_ORGANIZATION_MODEL_LOADING) && (load & PD_ORGANIZATION_MODEL_LOADED_ONCE))
    {
      g_autofree char *loading = g_strdup_printf (_("%s (refreshing…)"), text);

      g_free (text);
      text = g_steal_pointer (&loading);
    }
  gtk_label_set_text (self->status_label, text);
}

static void
update_page (PdOrganizationList *self)
{
  guint n_visible = pd_organization_model_get_visible (self->model)->len;
  guint n_total = pd_organization_model_get_n_total (self->model);
  const char *page;

  if (n_total == 0
      && !(pd_organization_model_get_load (self->model) & PD_ORGANIZATION_MODEL_LOADED_ONCE))
    page = "loading";
  else if (n_total == 0 && pd_session_get_syncing (self->session))
    page = "syncing";
  else if (n_total == 0)
    page = pd_session_get_signed_in (self->session) ? "empty" : "signed-out";
  else if (n_visible == 0)
    page = "no-results";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_spinner_set_spinning (self->sync_spinner, g_str_equal (page, "syncing"));
  /* Search and filters mean nothing before there is a first organization. */
  gtk_widget_set_visible (self->toolbar, n_total > 0);
  update_status (self);
}

static void
on_model_changed (PdOrganizationList *self)
{
  update_filter_buttons (self);
  fill_slots (self);
  update_page (self);
}

static void
on_search_changed (PdOrganizationList *self)
{
  /* Only here: new results start at the top, so a view showing a first screenful is right. */
  self->stage_fill = TRUE;
  pd_organization_model_set_search (self->model,
                                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  self->stage_fill = FALSE;
  /* Slots stay put, so the view would keep its offset: new results start at the top. */
  scroll_to_position (self, 0);
}

static void
on_filter_toggled (GtkToggleButton    *button,
                   PdOrganizationList *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  pd_organization_model_set_filter (self->model,
                                    GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                         "filter")));
  update_filter_menu_button (self);
  gtk_popover_popdown (self->filter_popover);
}

static GtkWidget *
create_filter_button (PdOrganizationList *self,
                      PdFilter            filter,
                      GtkToggleButton    *group)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (pd_filter_label (filter));
  GtkWidget *count = gtk_label_new ("0");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (button, "flat");

  gtk_widget_add_css_class (count, "pd-filter-count");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "pd-filter-button");
  g_object_set_data (G_OBJECT (button), "filter", GUINT_TO_POINTER (filter));
  g_object_set_data (G_OBJECT (button), "count-label", count);
  if (group != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
  g_signal_connect (button, "toggled", G_CALLBACK (on_filter_toggled), self);
  return button;
}

static void
add_filter_buttons (PdOrganizationList *self)
{
  for (guint f = 0; f < PD_N_FILTERS; f++)
    {
      GtkWidget *button = create_filter_button (self, f, GTK_TOGGLE_BUTTON (self->filter_buttons[0]));

      gtk_box_append (self->filter_box, button);
      self->filter_buttons[f] = button;
    }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->filter_buttons[PD_FILTER_ALL]), TRUE);
}


/* ---- visible columns ---- */

/* Shows the columns of the visible-columns setting (the Reseller column only when there are
 * resellers) and gives each columns.KEY action its state. */
static void
apply_visible_columns (PdOrganizationList *self)
{
  GSettings *settings = pd_session_get_settings (self->session);
  g_auto(GStrv) chosen = g_settings_get_strv (settings, "visible-columns");

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean shown = i == COL_NAME
                       || g_strv_contains ((const char * const *) chosen, column_keys[i]);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->column_actions),
                                                    column_keys[i]);

      if (action != NULL)
        g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (shown));
      gtk_column_view_column_set_visible (self->columns[i],
                                          shown && (i != COL_RESELLER || self->has_resellers));
    }
}

/* columns.KEY: shows or hides the column in the setting (which applies it, to every window). */
static void
on_column_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PdOrganizationList *self = user_data;
  GSettings *settings = pd_session_get_settings (self->session);
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

static void
add_column_actions (PdOrganizationList *self)
{
  GSettings *settings = pd_session_get_settings (self->session);

  self->column_actions = g_simple_action_group_new ();
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GSimpleAction) action = NULL;

      if (i == COL_NAME)
        continue;
      action = g_simple_action_new_stateful (column_keys[i], NULL, g_variant_new_boolean (TRUE));
      g_signal_connect_object (action, "activate", G_CALLBACK (on_column_action), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                  G_ACTION_GROUP (self->column_actions));
  g_signal_connect_object (settings, "changed::visible-columns",
                           G_CALLBACK (apply_visible_columns), self, G_CONNECT_SWAPPED);
  apply_visible_columns (self);
}

GActionGroup *
pd_organization_list_get_column_actions (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return G_ACTION_GROUP (self->column_actions);
}

/* ---- resellers ---- */

static void
on_reseller_selected (PdOrganizationList *self)
{
  const char * const *ids = pd_organization_model_get_resellers (self->model, NULL);
  guint position = gtk_drop_down_get_selected (self->reseller_dropdown);
  const char *id = NULL;

  if (position != GTK_INVALID_LIST_POSITION && position > 0
      && position <= g_strv_length ((char **) ids))
    id = ids[position - 1];
  pd_organization_model_set_reseller (self->model, id);
}

/* The drop-down shows the model's resellers with its chosen one selected. */
static void
update_resellers (PdOrganizationList *self)
{
  const char * const *names = NULL;
  const char * const *ids = pd_organization_model_get_resellers (self->model, &names);
  const char *chosen = pd_organization_model_get_reseller (self->model);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint n = g_strv_length ((char **) ids);
  guint selected = 0;

  gtk_string_list_append (list, _("All Resellers"));
  gtk_string_list_splice (list, 1, 0, names);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ids[i], chosen) == 0)
      selected = i + 1;
  g_signal_handlers_block_by_func (self->reseller_dropdown, on_reseller_selected, self);
  gtk_drop_down_set_model (self->reseller_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->reseller_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->reseller_dropdown, on_reseller_selected, self);
  gtk_widget_set_visible (GTK_WIDGET (self->reseller_dropdown), n > 0);
  self->has_resellers = n > 0 || pd_session_get_role (self->session)
                                 == PD_PARTNER_ROLE_INDIRECT_PROVIDER;
  apply_visible_columns (self);
}

/* ---- selection ---- */

static gint64
pd_organization_list_get_selected_id_internal (PdOrganizationList *self)
{
  PdRowSlot *slot = gtk_single_selection_get_selected_item (self->selection);
  PdOrganizationRowData *row = slot != NULL ? pd_row_slot_get_row (slot) : NULL;

  return row != NULL ? pd_organization_row_data_get_id (row) : 0;
}

gint64
pd_organization_list_get_selected_id (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), 0);
  return pd_organization_list_get_selected_id_internal (self);
}

static void
on_selection_changed (PdOrganizationList *self)
{
  g_signal_emit (self, signals[ORGANIZATION_SELECTED], 0,
                 pd_organization_list_get_selected_id (self));
}

static void
on_activate (PdOrganizationList *self,
             guint               position)
{
  PdOrganizationRowData *row = visible_row (self, position);

  if (row != NULL)
    g_signal_emit (self, signals[ORGANIZATION_ACTIVATED], 0, pd_organization_row_data_get_id (row));
}

/* GTK 4.8 has no gtk_column_view_scroll_to (4.12); its inner list view has the action. */
static void
scroll_to_position (PdOrganizationList *self,
                    guint               position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static gboolean
select_visible (PdOrganizationList *self,
                gint64              id)
{
  /* G_MAXUINT, "not found", is GTK_INVALID_LIST_POSITION. */
  guint position = pd_organization_model_find_visible (self->model, id);

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  scroll_to_position (self, position);
  return TRUE;
}

static void
clear_search_and_filters (PdOrganizationList *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->reseller_dropdown, 0);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->filter_buttons[PD_FILTER_ALL]), TRUE);
}

void
pd_organization_list_select (PdOrganizationList *self,
                             gint64              id)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));

  self->pending_select_id = 0;
  if (select_visible (self, id))
    return;
  if (pd_organization_model_contains (self->model, id))
    {
      clear_search_and_filters (self);
      select_visible (self, id);
      return;
    }
  self->pending_select_id = id;
  pd_organization_model_request_reload (self->model);
}

/* ---- loading ---- */

static void
restore_view (PdOrganizationList *self,
              gint64              selected_id,
              double              scroll)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  if (self->pending_select_id != 0)
    {
      gint64 id = self->pending_select_id;

      self->pending_select_id = 0;
      if (pd_organization_model_contains (self->model, id))
        pd_organization_list_select (self, id);
      return;
    }
  if (selected_id != 0)
    {
      guint position = pd_organization_model_find_visible (self->model, selected_id);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, position);
    }
  gtk_adjustment_set_value (vadjustment, scroll);
}

/* Every row is about to be replaced by a load: keep what the user looks at. */
static void
on_load_applying (PdOrganizationList *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  self->selected_before_load = pd_organization_list_get_selected_id (self);
  self->scroll_before_load = gtk_adjustment_get_value (vadjustment);
  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
}

static void
on_load_applied (PdOrganizationList *self)
{
  update_resellers (self);
  restore_view (self, self->selected_before_load, self->scroll_before_load);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (pd_organization_list_get_selected_id (self) != self->selected_before_load)
    on_selection_changed (self);
}

static void
on_model_loading (PdOrganizationList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  update_page (self);
}

static void
on_organizations_changed (PdOrganizationList *self,
                          gint64              id)
{
  pd_organization_model_organization_changed (self->model, id);
}

static void
on_batch_stored (PdOrganizationList *self)
{
  pd_organization_model_request_reload (self->model);
}

static void
on_engine_changed (PdOrganizationList *self)
{
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, pd_session_get_sync_engine (self->session));
  if (self->engine != NULL)
    g_signal_connect_swapped (self->engine, "batch-stored", G_CALLBACK (on_batch_stored), self);
}

/* ---- keyboard ---- */

/* GTK 4.8 makes every row a Tab stop (2,500 of them): Tab and Shift+Tab leave the table from
 * any row, as from one widget, while the arrows move inside it (and the selection). The table
 * is made unfocusable for the one move so that the window's focus chain steps over it. */
static gboolean
on_table_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      PdOrganizationList    *self)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  GtkDirectionType direction;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_ISO_Left_Tab && keyval != GDK_KEY_KP_Tab)
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  direction = (state & GDK_SHIFT_MASK) || keyval == GDK_KEY_ISO_Left_Tab ? GTK_DIR_TAB_BACKWARD
                                                                          : GTK_DIR_TAB_FORWARD;
  gtk_widget_set_can_focus (view, FALSE);
  gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (view)), direction);
  gtk_widget_set_can_focus (view, TRUE);
  return TRUE;
}

static void
add_table_keys (PdOrganizationList *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_table_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);
}

/* ---- public ---- */

gboolean
pd_organization_list_focus_rows (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), FALSE);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    return FALSE;
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION
      && g_list_model_get_n_items (G_LIST_MODEL (self->slot_model)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  scroll_to_position (self, gtk_single_selection_get_selected (self->selection));
  return gtk_widget_child_focus (GTK_WIDGET (self->column_view), GTK_DIR_TAB_FORWARD);
}

gboolean
pd_organization_list_has_focus (PdOrganizationList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), FALSE);
  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view));
}


gboolean
pd_organization_list_sort_by (PdOrganizationList *self,
                              const char         *key,
                              GtkSortType         order)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), FALSE);
  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_strcmp0 (column_keys[i], key) == 0)
      {
        gtk_column_view_sort_by_column (self->column_view, self->columns[i], order);
        return TRUE;
      }
  return FALSE;
}


void
pd_organization_list_reload (PdOrganizationList *self)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  pd_organization_model_reload (self->model);
}

gboolean
pd_organization_list_get_loading (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), FALSE);
  return (pd_organization_model_get_load (self->model) & PD_ORGANIZATION_MODEL_LOADING) != 0;
}

GListModel *
pd_organization_list_get_model (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return G_LIST_MODEL (self->slot_model);
}

guint
pd_organization_list_get_n_total (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), 0);
  return pd_organization_model_get_n_total (self->model);
}

guint
pd_organization_list_get_count (PdOrganizationList *self,
                                PdFilter            filter)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), 0);
  return pd_organization_model_get_count (self->model, filter);
}

void
pd_organization_list_set_search (PdOrganizationList *self,
                                 const char         *text)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
}

void
pd_organization_list_set_filter (PdOrganizationList *self,
                                 PdFilter            filter)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  g_return_if_fail (filter < PD_N_FILTERS);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->filter_buttons[filter]), TRUE);
}

PdFilter
pd_organization_list_get_filter (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), PD_FILTER_ALL);
  return pd_organization_model_get_filter (self->model);
}

void
pd_organization_list_set_reseller (PdOrganizationList *self,
                                   const char         *reseller_id)
{
  const char * const *ids;
  guint position = 0;

  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  ids = pd_organization_model_get_resellers (self->model, NULL);
  for (guint i = 0; reseller_id != NULL && ids[i] != NULL; i++)
    if (g_str_equal (ids[i], reseller_id))
      position = i + 1;
  gtk_drop_down_set_selected (self->reseller_dropdown, position);
}

void
pd_organization_list_focus_search (PdOrganizationList *self)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

gint64
pd_organization_list_find_next (PdOrganizationList *self,
                                gint64              id,
                                PdFilter            filter)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), 0);
  return pd_organization_model_find_next (self->model, id, filter);
}

char *
pd_organization_list_dup_match_reason (PdOrganizationList *self,
                                       gint64              id)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return pd_organization_model_dup_match_reason (self->model, id);
}

GArray *
pd_organization_list_dup_visible_ids (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return pd_organization_model_dup_visible_ids (self->model);
}

void
pd_organization_list_set_single_click_activate (PdOrganizationList *self,
                                                gboolean            single_click)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  gtk_column_view_set_single_click_activate (self->column_view, single_click);
}

/* ---- GObject ---- */

static void
on_session_state_changed (PdOrganizationList *self)
{
  update_page (self);
}

static void
connect_model (PdOrganizationList *self)
{
  self->model = pd_organization_model_new (pd_session_get_store (self->session));
  g_signal_connect_object (self->model, "changed",
                           G_CALLBACK (on_model_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "load-applying",
                           G_CALLBACK (on_load_applying), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "load-applied",
                           G_CALLBACK (on_load_applied), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "loading-changed",
                           G_CALLBACK (on_model_loading), self, G_CONNECT_SWAPPED);
}

static void
pd_organization_list_constructed (GObject *object)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  G_OBJECT_CLASS (pd_organization_list_parent_class)->constructed (object);

  connect_model (self);
  /* The buttons need the model: toggling one sets its filter. */
  add_filter_buttons (self);
  add_column_actions (self);
  g_signal_connect_object (self->session, "organizations-changed",
                           G_CALLBACK (on_organizations_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync-engine",
                           G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::signed-in",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::syncing",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_sorter_changed), self);
  on_engine_changed (self);
  pd_organization_model_reload (self->model);
  update_page (self);
}

static void
pd_organization_list_dispose (GObject *object)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  stop_staging (self);
  /* Disposing a sorted table changes its sorter once more. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                          on_sorter_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ORGANIZATION_LIST);
  g_clear_object (&self->selection);
  g_clear_object (&self->slot_model);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_object (&self->column_actions);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pd_organization_list_parent_class)->dispose (object);
}

static void
pd_organization_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->model != NULL
                                  && pd_organization_list_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_organization_list_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_organization_list_class_init (PdOrganizationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pd_organization_list_constructed;
  object_class->dispose = pd_organization_list_dispose;
  object_class->get_property = pd_organization_list_get_property;
  object_class->set_property = pd_organization_list_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ORGANIZATION_SELECTED] =
    g_signal_new ("organization-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[ORGANIZATION_ACTIVATED] =
    g_signal_new ("organization-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/partnerdesk/PartnerDesk/pd-organization-list.ui");
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, filter_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, filter_label);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, filter_count);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, filter_popover);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, filter_box);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, reseller_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, stack);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, column_view);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, status_label);
}

/* Most slots are never made (see make_slot). */
static void
unref_slot (gpointer slot)
{
  if (slot != NULL)
    g_object_unref (slot);
}

static void
build_models (PdOrganizationList *self)
{
  self->slots = g_ptr_array_new_with_free_func (unref_slot);
  self->slot_model = pd_row_array_new (PD_TYPE_ROW_SLOT);
  pd_row_array_set_factory (self->slot_model, make_slot, self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->slot_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

static void
pd_organization_list_init (PdOrganizationList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));

  build_models (self);
  add_columns (self);
  add_table_keys (self);
  /* A hidden view paints no frame: what is staged is shown at once. */
  g_signal_connect_swapped (self->column_view, "unmap", G_CALLBACK (expose_staged), self);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->column_view, "activate", G_CALLBACK (on_activate), self);
  /* "notify::text", not "changed": replacing the text (gtk_editable_set_text, a paste over a
   * selection) deletes then inserts, two "changed" and two searches over every row, but one
   * notification. */
  g_signal_connect_swapped (self->search_entry, "notify::text", G_CALLBACK (on_search_changed),
                            self);
  g_signal_connect_swapped (self->reseller_dropdown, "notify::selected",
                            G_CALLBACK (on_reseller_selected), self);
  /* GTK 4.8 exposes the drop-down's inner toggle button on its own, named after its type. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->reseller_dropdown));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Reseller"), -1);
  g_signal_connect_swapped (self->clear_button, "clicked",
                            G_CALLBACK (clear_search_and_filters), self);
}

GtkWidget *
pd_organization_list_new (PdSession *session)
{
  g_return_val_if_fail (PD_IS_SESSION (session), NULL);
  return g_object_new (PD_TYPE_ORGANIZATION_LIST, "session", session, NULL);
}
