/* pd-organization-list.c — search, filters and the column view over every cached organization.
 *
 * Model chain: every row (a GPtrArray in the store's name order) → the visible rows (one C
 * pass over keys the loader precomputed: search, reseller and filter, counting every filter
 * on the way; sorted with the column view's sorter when a column is sorted) → slots
 * (PdRowSlot, see its header: stable items so that GTK 4.8 rebinds instead of rebuilding
 * row widgets) → GtkSingleSelection → GtkColumnView.
 * Measured with 100,000 rows: GtkFilterListModel + GtkSortListModel cost hundreds of
 * milliseconds per keystroke (bitset bookkeeping and row widgets rebuilt); this costs a few.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "pd-app-util.h"
#include "pd-list-loader.h"
#include "pd-organization-list.h"
#include "pd-organization-row-data.h"
#include "pd-row-array.h"
#include "pd-row-slot.h"

G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (gint64));
#define ID_KEY(id) ((gpointer) (gintptr) (id))

/* The first load of a window brings this many rows first (a screenful and more, read in a
 * fraction of the time of 100,000), then everything. */
#define FIRST_PAGE 200

/* While a first sync fills the cache, reload at most every RELOAD_FACTOR times the duration of
 * the last load, and not more often than RELOAD_MIN_INTERVAL_MS: a small cache refreshes
 * briskly, a large one does not spend its time reloading. */
#define RELOAD_MIN_INTERVAL_MS 250
#define RELOAD_FACTOR 4

typedef enum {
  /* Display order: the two markers sit beside the name so that they stay in view. */
  COL_NAME,
  COL_BILL_TO,
  COL_LOCAL_EDITS,
  COL_DOMAIN,
  COL_COUNTRY,
  COL_ERP_ID,
  COL_SEGMENTS,
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
  [COL_ERP_ID]      = { N_("ERP ID"), FALSE, FALSE, 90 },
  [COL_SEGMENTS]    = { N_("Segments"), FALSE, FALSE, 110 },
  [COL_BILL_TO]     = { N_("Bill-to"), TRUE, FALSE, -1 },
  /* Translators: column title: where an organization comes from (Partner Center, manual, removed) */
  [COL_SOURCE]      = { N_("Source"), FALSE, FALSE, 110 },
  /* Translators: column title: marks organizations with local bill-to edits */
  [COL_LOCAL_EDITS] = { N_("Local"), TRUE, FALSE, -1 },
  /* Translators: column title: the indirect reseller of a customer */
  [COL_RESELLER]    = { N_("Reseller"), FALSE, FALSE, 140 },
  [COL_LAST_SYNCED] = { N_("Last Synced"), FALSE, FALSE, 100 },
};

struct _PdOrganizationList
{
  AdwBin              parent_instance;

  PdSession          *session;
  PdSyncEngine       *engine;   /* the one whose "batch-stored" we listen to */

  GPtrArray          *rows;     /* every PdOrganizationRowData, in the store's order */
  /* Per row (same index as rows): its filter mask, and whether it matches search and
   * reseller. Plain bytes side by side, so that a keystroke's passes over 100,000 rows stay
   * in the CPU cache instead of visiting every row object. */
  GByteArray         *masks;
  GByteArray         *matches;
  /* The rows that pass search, reseller and filter, in order; borrowed from rows (rebuilt
   * whenever rows change, see keep_alive in apply_load and reload_one). */
  GPtrArray          *visible;
  GPtrArray          *slots;    /* PdRowSlot per position, NULL until the view asks for it */
  PdRowArray         *slot_model; /* the first visible->len slots */
  GtkSingleSelection *selection;
  gboolean            sorted;   /* a column of the table is sorted */
  /* id → PdOrganizationRowData (borrowed from rows); ids are stored in the key pointer
   * itself (64-bit), so indexing 100,000 rows allocates nothing per row. */
  GHashTable         *by_id;
  GPtrArray          *reseller_ids;

  char              **words;
  PdFilter            current_filter;
  char               *reseller_id;
  guint               counts[PD_N_FILTERS];

  GCancellable       *load_cancellable;
  PdStore            *reader;   /* the load thread's connection, kept between loads */
  gboolean            loading;
  gboolean            loaded_once;
  gboolean            partial;  /* only the first page is loaded; the rest is on its way */
  guint               load_limit; /* of the load running: FIRST_PAGE or 0 (everything) */
  gboolean            reload_pending;
  gint64              last_load_started;
  gint64              last_load_ms;
  guint               reload_timeout_id;
  gint64              pending_select_id;

  GtkColumnViewColumn *columns[N_COLUMNS];
  GtkWidget          *filter_buttons[PD_N_FILTERS];

  /* template */
  GtkWidget          *toolbar;
  GtkSearchEntry     *search_entry;
  GtkFlowBox         *filter_box;
  GtkDropDown        *reseller_dropdown;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkScrolledWindow  *scrolled_window;
  GtkColumnView      *column_view;
  GtkButton          *clear_button;
  GtkLabel           *status_label;
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

static void refilter (PdOrganizationList *self);
static void request_reload (PdOrganizationList *self);

/* ---- cells ---- */

static PdOrganizationRowData *
item_row (GtkListItem *item)
{
  PdRowSlot *slot = gtk_list_item_get_item (item);

  return slot != NULL ? pd_row_slot_get_row (slot) : NULL;
}

static char *dup_tooltip (Column column, PdOrganizationRowData *row);

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
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void on_cell_map (GtkWidget *widget);

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

static char *
dup_local_edits_text (PdOrganizationRowData *row)
{
  const char * const *paths = pd_organization_row_data_get_local_fields (row);
  g_autoptr(GString) text = NULL;

  if (paths[0] == NULL)
    return NULL;
  text = g_string_new (_("Local bill-to edits (not in Partner Center): "));
  for (guint i = 0; paths[i] != NULL; i++)
    {
      PdBillToField field;
      const char *label = paths[i];

      if (pd_bill_to_field_from_path (paths[i], &field))
        label = pd_bill_to_field_label (field);
      g_string_append_printf (text, i == 0 ? "%s" : ", %s", label);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

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
  PdOrganization *org = pd_organization_row_data_get_organization (row);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (image, "warning");
  gtk_widget_remove_css_class (image, "dim-label");
  if (column == COL_BILL_TO)
    {
      PdBillToState state = pd_organization_get_bill_to_state (org);

      text = pd_organization_row_data_dup_bill_to_text (row);
      set_icon (image, bill_to_icons[state], text);
      gtk_widget_add_css_class (image, state == PD_BILL_TO_STATE_COMPLETE ? "dim-label"
                                                                          : "warning");
    }
  else if ((text = dup_local_edits_text (row)) != NULL)
    set_icon (image, "document-edit-symbolic", text);
  else
    set_icon (image, NULL, NULL);
}

static const char *
source_text (PdOrganization *org)
{
  if (pd_organization_get_removed (org))
    /* Translators: an organization's source in the list: removed from Partner Center */
    return _("Removed");
  if (pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL)
    /* Translators: an organization's source in the list: created by hand in Partner Desk */
    return _("Manual");
  return _("Partner Center");
}

static char *
dup_cell_text (Column                 column,
               PdOrganizationRowData *row)
{
  PdOrganization *org = pd_organization_row_data_get_organization (row);
  const char * const *segments;
  GDateTime *synced;

  switch (column)
    {
    case COL_NAME:
      return g_strdup (pd_organization_get_name (org));
    case COL_DOMAIN:
      return g_strdup (pd_organization_get_domain (org));
    case COL_COUNTRY:
      return g_strdup (pd_organization_row_data_get_country (row));
    case COL_ERP_ID:
      return g_strdup (pd_organization_get_erp_id (org));
    case COL_SEGMENTS:
      segments = pd_organization_get_segments (org);
      return segments != NULL ? g_strjoinv (", ", (char **) segments) : NULL;
    case COL_SOURCE:
      return g_strdup (source_text (org));
    case COL_RESELLER:
      return g_strdup (pd_organization_get_reseller_name (org));
    case COL_LAST_SYNCED:
      synced = pd_organization_get_last_synced_at (org);
      return synced != NULL ? g_date_time_format (synced, "%x") : NULL;
    case COL_BILL_TO:
    case COL_LOCAL_EDITS:
    case N_COLUMNS:
    default:
      return NULL;
    }
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
  PdOrganization *org = pd_organization_row_data_get_organization (row);

  switch (column)
    {
    case COL_NAME:
    case COL_DOMAIN:
      /* Long names and domains are ellipsized; the tooltip shows them whole. */
      return dup_cell_text (column, row);
    case COL_SOURCE:
      return pd_organization_get_removed (org)
             ? g_strdup (_("Removed from Partner Center; local data is kept")) : NULL;
    case COL_BILL_TO:
      return pd_organization_row_data_dup_bill_to_text (row);
    case COL_LOCAL_EDITS:
      return dup_local_edits_text (row);
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
  return g_ascii_strcasecmp (a, b);
}

static int
compare_values (Column                 column,
                PdOrganizationRowData *row_a,
                PdOrganizationRowData *row_b)
{
  PdOrganization *a = pd_organization_row_data_get_organization (row_a);
  PdOrganization *b = pd_organization_row_data_get_organization (row_b);
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  switch (column)
    {
    case COL_NAME:
      return g_strcmp0 (pd_organization_row_data_get_name_key (row_a),
                        pd_organization_row_data_get_name_key (row_b));
    case COL_BILL_TO:
      return (int) pd_organization_get_bill_to_complete (a)
             - (int) pd_organization_get_bill_to_complete (b);
    case COL_LOCAL_EDITS:
      return (int) pd_organization_row_data_in_filter (row_b, PD_FILTER_LOCAL_EDITS)
             - (int) pd_organization_row_data_in_filter (row_a, PD_FILTER_LOCAL_EDITS);
    case COL_LAST_SYNCED:
      if (pd_organization_get_last_synced_at (a) == NULL
          || pd_organization_get_last_synced_at (b) == NULL)
        return (pd_organization_get_last_synced_at (a) == NULL)
               - (pd_organization_get_last_synced_at (b) == NULL);
      return g_date_time_compare (pd_organization_get_last_synced_at (a),
                                  pd_organization_get_last_synced_at (b));
    default:
      text_a = dup_cell_text (column, row_a);
      text_b = dup_cell_text (column, row_b);
      return compare_strings (text_a, text_b);
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
    result = g_strcmp0 (pd_organization_row_data_get_name_key ((gpointer) a),
                        pd_organization_row_data_get_name_key ((gpointer) b));
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

static void rebuild_visible (PdOrganizationList *self);
static void scroll_to_position (PdOrganizationList *self, guint position);

/* Sorting is applied to the visible rows only while a column is sorted: with no sort column
 * the store's order (by name) stands and a keystroke sorts nothing. */
static void
on_sorter_changed (PdOrganizationList *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

  /* GtkColumnViewSorter's getters are GTK 4.10; its order is NONE while no column sorts. */
  self->sorted = gtk_sorter_get_order (sorter) != GTK_SORTER_ORDER_NONE;
  rebuild_visible (self);
}

static int
compare_with_sorter (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  GtkSorter *sorter = user_data;

  return gtk_sorter_compare (sorter, *(gpointer *) a, *(gpointer *) b);
}

/* ---- filtering ---- */

static gboolean
matches_reseller (PdOrganizationList    *self,
                  PdOrganizationRowData *row)
{
  PdOrganization *org;

  if (self->reseller_id == NULL)
    return TRUE;
  org = pd_organization_row_data_get_organization (row);
  return g_strcmp0 (pd_organization_get_reseller_id (org), self->reseller_id) == 0;
}

/* The filter masks of every row, after rows changed. */
static void
rebuild_masks (PdOrganizationList *self)
{
  g_byte_array_set_size (self->masks, self->rows->len);
  g_byte_array_set_size (self->matches, self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    self->masks->data[i] = (guint8) pd_organization_row_data_get_filter_mask (
      g_ptr_array_index (self->rows, i));
}

/* One pass: marks the rows that match search and reseller, and counts them per filter.
 * narrowing: the search only got stricter since the last pass (rows, reseller unchanged), so
 * the rows not marked then cannot match now and are not searched again. */
static void
count_matches (PdOrganizationList *self,
               gboolean            narrowing)
{
  const char * const *words = (const char * const *) self->words;

  memset (self->counts, 0, sizeof self->counts);
  for (guint i = 0; i < self->rows->len; i++)
    {
      PdOrganizationRowData *row;
      gboolean match;
      guint mask;

      if (narrowing && !self->matches->data[i])
        continue;
      row = g_ptr_array_index (self->rows, i);
      match = (words == NULL || pd_organization_row_data_matches_words (row, words))
              && matches_reseller (self, row);
      mask = self->masks->data[i];
      self->matches->data[i] = match;
      if (!match)
        continue;
      for (guint f = 0; f < PD_N_FILTERS; f++)
        self->counts[f] += (mask >> f) & 1;
    }
}

/* Every row that matches new_words also matched old_words: each old word is inside a new one
 * (matching is a substring search, see pd_organization_row_data_matches_words). */
static gboolean
query_narrows (char **old_words,
               char **new_words)
{
  if (old_words == NULL)
    return TRUE;
  if (new_words == NULL)
    return FALSE;
  for (guint i = 0; old_words[i] != NULL; i++)
    {
      gboolean inside = FALSE;

      for (guint j = 0; new_words[j] != NULL && !inside; j++)
        inside = strstr (new_words[j], old_words[i]) != NULL;
      if (!inside)
        return FALSE;
    }
  return TRUE;
}

static gint64 pd_organization_list_get_selected_id_internal (PdOrganizationList *self);
static void on_selection_changed (PdOrganizationList *self);

/* Gives the first visible->len slots their rows, makes new slots when there are more rows
 * than ever, and keeps the selected organization selected where it moved to. */
static void
fill_slots (PdOrganizationList *self)
{
  gint64 selected_id = pd_organization_list_get_selected_id_internal (self);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->slot_model));
  guint n = self->visible->len;
  guint position = GTK_INVALID_LIST_POSITION;

  if (self->slots->len < n)
    g_ptr_array_set_size (self->slots, n);
  for (guint i = 0; i < MAX (n, n_old); i++)
    {
      PdOrganizationRowData *row = i < n ? g_ptr_array_index (self->visible, i) : NULL;
      PdRowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot != NULL)
        pd_row_slot_set_row (slot, row);
      if (row != NULL && selected_id != 0 && pd_organization_row_data_get_id (row) == selected_id)
        position = i;
    }
  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  pd_row_array_set_prefix (self->slot_model, self->slots, n);
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (pd_organization_list_get_selected_id_internal (self) != selected_id)
    on_selection_changed (self);
}

static GObject *
make_slot (guint    position,
           gpointer user_data)
{
  PdOrganizationList *self = user_data;
  PdRowSlot *slot = pd_row_slot_new ();

  pd_row_slot_set_row (slot, position < self->visible->len
                             ? g_ptr_array_index (self->visible, position) : NULL);
  return G_OBJECT (slot);
}

/* The visible rows from the marks of count_matches and the current filter, sorted when a
 * column is sorted. */
static void
rebuild_visible (PdOrganizationList *self)
{
  guint n = self->counts[self->current_filter];
  GPtrArray *visible = g_ptr_array_sized_new (n);

  guint8 bit = 1u << self->current_filter;

  for (guint i = 0; i < self->rows->len; i++)
    if (self->matches->data[i] && (self->masks->data[i] & bit) != 0)
      g_ptr_array_add (visible, g_ptr_array_index (self->rows, i));
  if (self->sorted)
    g_ptr_array_sort_with_data (visible, compare_with_sorter,
                                gtk_column_view_get_sorter (self->column_view));
  g_ptr_array_unref (self->visible);
  self->visible = visible;
  fill_slots (self);
}

/* The search only narrowed (filter, reseller, sort and rows unchanged since the visible rows
 * were built): they are the old visible rows that still match, already in order, so there
 * is no pass over every row and nothing to sort. */
static void
narrow_visible (PdOrganizationList *self)
{
  const char * const *words = (const char * const *) self->words;
  GPtrArray *visible = g_ptr_array_sized_new (self->counts[self->current_filter]);

  for (guint i = 0; i < self->visible->len; i++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (self->visible, i);

      if (words == NULL || pd_organization_row_data_matches_words (row, words))
        g_ptr_array_add (visible, row);
    }
  g_ptr_array_unref (self->visible);
  self->visible = visible;
  fill_slots (self);
}

static void
update_filter_buttons (PdOrganizationList *self)
{
  for (guint f = 0; f < PD_N_FILTERS; f++)
    {
      GtkWidget *button = self->filter_buttons[f];
      GtkWidget *count = g_object_get_data (G_OBJECT (button), "count-label");
      g_autofree char *number = g_strdup_printf ("%'u", self->counts[f]);
      /* Translators: a filter button's accessible name, e.g. "Bill-to incomplete, 12". */
      g_autofree char *name = g_strdup_printf (_("%s, %s"), pd_filter_label (f), number);

      gtk_label_set_text (GTK_LABEL (count), number);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
    }
}

static void
update_status (PdOrganizationList *self)
{
  guint n_visible = self->visible->len;
  guint n_total = self->rows->len;
  g_autofree char *text = NULL;

  if (n_visible == n_total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u organization",
                                         "%'u organizations", n_total), n_total);
  else
    /* Translators: "12 of 2,500 organizations" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u of %'u organization",
                                         "%'u of %'u organizations", n_total),
                            n_visible, n_total);
  if (self->partial)
    {
      g_free (text);
      text = g_strdup (_("Loading all organizations…"));
    }
  else if (self->loading && self->loaded_once)
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
  guint n_visible = self->visible->len;
  guint n_total = self->rows->len;
  const char *page;

  if (n_total == 0 && !self->loaded_once)
    page = "loading";
  else if (n_total == 0)
    page = pd_session_get_signed_in (self->session) || pd_session_get_syncing (self->session)
           ? "empty" : "signed-out";
  else if (n_visible == 0)
    page = "no-results";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  /* Search and filters mean nothing before there is a first organization. */
  gtk_widget_set_visible (self->toolbar, n_total > 0);
  update_status (self);
}

static void
refilter_full (PdOrganizationList *self,
               gboolean            narrowing)
{
  count_matches (self, narrowing);
  update_filter_buttons (self);
  if (narrowing)
    narrow_visible (self);
  else
    rebuild_visible (self);
  update_page (self);
}

static void
refilter (PdOrganizationList *self)
{
  refilter_full (self, FALSE);
}

static void
on_search_changed (PdOrganizationList *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  char **words = pd_organization_row_data_split_query (text);
  /* Typing one more character only narrows the search: search the rows still matching. */
  gboolean narrowing = query_narrows (self->words, words);

  g_strfreev (self->words);
  self->words = words;
  refilter_full (self, narrowing);
  /* Slots stay put, so the view would keep its offset: new results start at the top. */
  scroll_to_position (self, 0);
}

static void
on_filter_toggled (GtkToggleButton    *button,
                   PdOrganizationList *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  self->current_filter = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "filter"));
  rebuild_visible (self);
  update_page (self);
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

      gtk_flow_box_insert (self->filter_box, button, (int) f);
      self->filter_buttons[f] = button;
    }
  /* The flow box only wraps; focus goes straight to the buttons and the drop-down, as in a
   * plain box, and not to the flow box's own children. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->filter_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->reseller_dropdown)), FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->filter_buttons[PD_FILTER_ALL]), TRUE);
}

/* ---- resellers ---- */

static void
on_reseller_selected (PdOrganizationList *self)
{
  guint position = gtk_drop_down_get_selected (self->reseller_dropdown);
  const char *id = NULL;

  if (self->reseller_ids != NULL && position != GTK_INVALID_LIST_POSITION && position > 0
      && position <= self->reseller_ids->len)
    id = g_ptr_array_index (self->reseller_ids, position - 1);
  if (g_strcmp0 (id, self->reseller_id) == 0)
    return;
  g_free (self->reseller_id);
  self->reseller_id = g_strdup (id);
  refilter (self);
}

/* resellers: "id\tname" strings from the store. Keeps the chosen reseller when it still
 * exists. */
static void
set_resellers (PdOrganizationList *self,
               GPtrArray          *resellers)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->reseller_ids, g_ptr_array_unref);
  self->reseller_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("All Resellers"));
  for (guint i = 0; i < resellers->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (resellers, i), "\t", 2);

      g_ptr_array_add (self->reseller_ids, g_strdup (parts[0]));
      gtk_string_list_append (names, parts[1] != NULL && *parts[1] != '\0' ? parts[1] : parts[0]);
      if (g_strcmp0 (parts[0], self->reseller_id) == 0)
        selected = i + 1;
    }
  g_signal_handlers_block_by_func (self->reseller_dropdown, on_reseller_selected, self);
  gtk_drop_down_set_model (self->reseller_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->reseller_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->reseller_dropdown, on_reseller_selected, self);
  if (selected == 0)
    g_clear_pointer (&self->reseller_id, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->reseller_dropdown), resellers->len > 0);
  /* The flow box lays out its own child, which would otherwise keep an empty slot. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->reseller_dropdown)),
                          resellers->len > 0);
  gtk_column_view_column_set_visible (self->columns[COL_RESELLER],
                                      resellers->len > 0
                                      || pd_session_get_role (self->session)
                                         == PD_PARTNER_ROLE_INDIRECT_PROVIDER);
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
  PdOrganizationRowData *row = position < self->visible->len
                               ? g_ptr_array_index (self->visible, position) : NULL;

  if (row != NULL)
    g_signal_emit (self, signals[ORGANIZATION_ACTIVATED], 0, pd_organization_row_data_get_id (row));
}

static guint
find_visible_position (PdOrganizationList *self,
                       gint64              id)
{
  for (guint i = 0; i < self->visible->len; i++)
    if (pd_organization_row_data_get_id (g_ptr_array_index (self->visible, i)) == id)
      return i;
  return GTK_INVALID_LIST_POSITION;
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
  guint position = find_visible_position (self, id);

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
  if (g_hash_table_contains (self->by_id, ID_KEY (id)))
    {
      clear_search_and_filters (self);
      select_visible (self, id);
      return;
    }
  self->pending_select_id = id;
  request_reload (self);
}

/* ---- loading ---- */

static void
index_rows (PdOrganizationList *self,
            GPtrArray          *rows)
{
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < rows->len; i++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (rows, i);

      g_hash_table_insert (self->by_id, ID_KEY (pd_organization_row_data_get_id (row)), row);
    }
}

static void
set_loading (PdOrganizationList *self,
             gboolean            loading)
{
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

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
      if (g_hash_table_contains (self->by_id, ID_KEY (id)))
        pd_organization_list_select (self, id);
      return;
    }
  if (selected_id != 0)
    {
      guint position = find_visible_position (self, selected_id);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, position);
    }
  gtk_adjustment_set_value (vadjustment, scroll);
}

static void
apply_load (PdOrganizationList *self,
            PdListLoad         *load)
{
  gint64 selected_id = pd_organization_list_get_selected_id (self);
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double scroll = gtk_adjustment_get_value (vadjustment);
  g_autoptr(GPtrArray) keep_alive = NULL;

  index_rows (self, load->rows);
  set_resellers (self, load->resellers);
  self->loaded_once = TRUE;
  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  /* The old rows stay alive until the visible rows and slots no longer point at them. */
  keep_alive = self->rows;
  self->rows = g_ptr_array_ref (load->rows);
  rebuild_masks (self);
  refilter (self);
  restore_view (self, selected_id, scroll);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (pd_organization_list_get_selected_id (self) != selected_id)
    on_selection_changed (self);
}

static void start_load (PdOrganizationList *self);

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdOrganizationList) self = user_data;
  g_autoptr(PdListLoad) load = NULL;
  g_autoptr(GError) error = NULL;

  load = pd_list_loader_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->load_cancellable);
  self->last_load_ms = (g_get_monotonic_time () - self->last_load_started) / 1000;
  if (load == NULL)
    g_warning ("Could not load the organizations: %s", error->message);
  else
    {
      g_set_object (&self->reader, load->reader);
      apply_load (self, load);
    }
  /* A full first page is on screen: read everything now. */
  self->partial = load != NULL && self->load_limit > 0 && load->rows->len >= self->load_limit;
  if (self->partial)
    {
      start_load (self);
      return;
    }
  set_loading (self, FALSE);
  update_page (self);
  /* No duplicate index here: the "Possible duplicates" filter is the store's flag, and the
   * New Organization dialog builds the index when it opens. */
#ifdef __GLIBC__
  /* Loading 100,000 rows leaves tens of megabytes of freed query buffers in the loader
   * thread's malloc arena; hand them back to the system. */
  malloc_trim (0);
#endif
  if (self->reload_pending)
    request_reload (self);
}

static void
start_load (PdOrganizationList *self)
{
  self->reload_pending = FALSE;
  self->last_load_started = g_get_monotonic_time ();
  self->load_cancellable = g_cancellable_new ();
  self->load_limit = self->loaded_once || self->partial ? 0 : FIRST_PAGE;
  set_loading (self, TRUE);
  update_status (self);
  pd_list_loader_load_async (pd_store_get_path (pd_session_get_store (self->session)),
                             self->reader, self->load_limit, self->load_cancellable, load_done,
                             g_object_ref (self));
}

static gboolean
on_reload_timeout (gpointer user_data)
{
  PdOrganizationList *self = user_data;

  self->reload_timeout_id = 0;
  request_reload (self);
  return G_SOURCE_REMOVE;
}

/* Coalesces reload requests: one load at a time, spaced as RELOAD_FACTOR says. */
static void
request_reload (PdOrganizationList *self)
{
  gint64 since_ms = (g_get_monotonic_time () - self->last_load_started) / 1000;
  gint64 interval_ms = MAX (RELOAD_MIN_INTERVAL_MS, RELOAD_FACTOR * self->last_load_ms);

  if (self->loading)
    {
      self->reload_pending = TRUE;
      return;
    }
  if (self->reload_timeout_id != 0)
    return;
  if (self->loaded_once && since_ms < interval_ms)
    {
      self->reload_timeout_id = g_timeout_add ((guint) (interval_ms - since_ms),
                                               on_reload_timeout, self);
      return;
    }
  start_load (self);
}

void
pd_organization_list_reload (PdOrganizationList *self)
{
  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));

  if (self->loading)
    {
      self->reload_pending = TRUE;
      return;
    }
  g_clear_handle_id (&self->reload_timeout_id, g_source_remove);
  start_load (self);
}

/* Replaces (or adds, or with row NULL removes) the row of id in the array of every row. */
static PdOrganizationRowData *
replace_row (PdOrganizationList    *self,
             gint64                 id,
             PdOrganizationRowData *row)
{
  PdOrganizationRowData *old = g_hash_table_lookup (self->by_id, ID_KEY (id));
  guint position = 0;

  if (old != NULL && g_ptr_array_find (self->rows, old, &position))
    {
      /* The caller keeps the old row alive until the visible rows are rebuilt. */
      old = g_object_ref (old);
      if (row != NULL)
        {
          g_object_unref (self->rows->pdata[position]);
          self->rows->pdata[position] = g_object_ref (row);
        }
      else
        g_ptr_array_remove_index (self->rows, position);
    }
  else
    {
      old = NULL;
      if (row != NULL)
        g_ptr_array_add (self->rows, g_object_ref (row));
    }
  g_hash_table_remove (self->by_id, ID_KEY (id));
  if (row != NULL)
    g_hash_table_insert (self->by_id, ID_KEY (id), row);
  return old;
}

/* One organization changed: replace its row in place (a store read by primary key), keeping
 * the selection (the editor saving its organization must not close it). */
static void
reload_one (PdOrganizationList *self,
            gint64              id)
{
  g_autoptr(PdOrganization) org = pd_store_get (pd_session_get_store (self->session), id, NULL);
  g_autoptr(PdOrganizationRowData) row = org != NULL ? pd_organization_row_data_new (org) : NULL;
  gint64 selected_id = pd_organization_list_get_selected_id (self);
  g_autoptr(PdOrganizationRowData) keep_alive = NULL;
  guint position;

  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  keep_alive = replace_row (self, id, row);
  rebuild_masks (self);
  refilter (self);
  position = selected_id != 0 ? find_visible_position (self, selected_id) : GTK_INVALID_LIST_POSITION;
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, position);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (pd_organization_list_get_selected_id (self) != selected_id)
    on_selection_changed (self);
}

static void
on_organizations_changed (PdOrganizationList *self,
                          gint64              id)
{
  if (id == 0 || !self->loaded_once)
    request_reload (self);
  else
    reload_one (self, id);
}

static void
on_batch_stored (PdOrganizationList *self)
{
  request_reload (self);
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

/* ---- public ---- */

gboolean
pd_organization_list_get_loading (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), FALSE);
  return self->loading;
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
  return self->rows->len;
}

guint
pd_organization_list_get_count (PdOrganizationList *self,
                                PdFilter            filter)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), 0);
  g_return_val_if_fail (filter < PD_N_FILTERS, 0);
  return self->counts[filter];
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
  return self->current_filter;
}

void
pd_organization_list_set_reseller (PdOrganizationList *self,
                                   const char         *reseller_id)
{
  guint position = 0;

  g_return_if_fail (PD_IS_ORGANIZATION_LIST (self));
  for (guint i = 0; reseller_id != NULL && self->reseller_ids != NULL
                    && i < self->reseller_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->reseller_ids, i), reseller_id))
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

GArray *
pd_organization_list_dup_visible_ids (PdOrganizationList *self)
{
  GArray *ids;

  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->visible->len);
  for (guint i = 0; i < self->visible->len; i++)
    {
      gint64 id = pd_organization_row_data_get_id (g_ptr_array_index (self->visible, i));

      g_array_append_val (ids, id);
    }
  return ids;
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
pd_organization_list_constructed (GObject *object)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  G_OBJECT_CLASS (pd_organization_list_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "organizations-changed",
                           G_CALLBACK (on_organizations_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync-engine",
                           G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::signed-in",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::syncing",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  on_engine_changed (self);
  start_load (self);
  update_page (self);
}

static void
pd_organization_list_dispose (GObject *object)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->reader);
  g_clear_handle_id (&self->reload_timeout_id, g_source_remove);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ORGANIZATION_LIST);
  g_clear_object (&self->selection);
  g_clear_object (&self->slot_model);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pd_organization_list_parent_class)->dispose (object);
}

static void
pd_organization_list_finalize (GObject *object)
{
  PdOrganizationList *self = PD_ORGANIZATION_LIST (object);

  g_hash_table_unref (self->by_id);
  g_byte_array_unref (self->masks);
  g_byte_array_unref (self->matches);
  g_clear_pointer (&self->reseller_ids, g_ptr_array_unref);
  g_strfreev (self->words);
  g_free (self->reseller_id);

  G_OBJECT_CLASS (pd_organization_list_parent_class)->finalize (object);
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
      g_value_set_boolean (value, self->loading);
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
  object_class->finalize = pd_organization_list_finalize;
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
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, filter_box);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, reseller_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, stack);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, spinner);
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
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->visible = g_ptr_array_new ();
  self->masks = g_byte_array_new ();
  self->matches = g_byte_array_new ();
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

  self->by_id = g_hash_table_new (g_direct_hash, g_direct_equal);
  build_models (self);
  add_columns (self);
  add_filter_buttons (self);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_sorter_changed), self);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->column_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self->search_entry, "changed", G_CALLBACK (on_search_changed), self);
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
