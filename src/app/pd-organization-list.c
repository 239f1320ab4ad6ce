/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-list.c — search, filters and the column view over every cached organization.
 *
 * Model chain: PdOrganizationModel (every row → the visible rows, the counts, loading; sorted
 * with the column view's sorter when a column is sorted) → slots (PdRowSlot, see its header:
 * stable items so that GTK 4.8 rebinds instead of rebuilding row widgets) →
 * GtkSingleSelection → GtkColumnView. The columns (cells, sorters, which are shown) are in
 * pd-organization-columns.c; this file keeps the wiring.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-organization-columns.h"
#include "pd-organization-list-private.h"
#include "pd-organization-model.h"
#include "pd-organization-row-data.h"
#include "pd-row-array.h"
#include "pd-row-slot.h"

struct _PdOrganizationList
{
  AdwBin               parent_instance;

  PdSession           *session;
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

  GtkColumnViewColumn *columns[PD_ORGANIZATION_N_COLUMNS];
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
  GtkLabel            *duplicates_note;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  GtkSpinner          *sync_spinner;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkButton           *clear_button;
  AdwStatusPage       *no_results_page;
  char                *no_results_text;  /* the page's own description */
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

static void scroll_to_position (PdOrganizationList *self, guint position);

/* ---- sorting ---- */

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

/* Whether the "Possible duplicates" count is one: the store's flags are exact only once a sync
 * has completed (a first sync keeps them all for its end, a stopped one leaves them for the
 * next). Until then its button shows no number: a 0 would say there are none. */
static gboolean
duplicates_counted (PdOrganizationList *self)
{
  gboolean exact = TRUE;

  return !pd_store_get_dup_flags_exact (pd_session_get_store (self->session), &exact, NULL)
         || exact;
}

/* What a filter's count shows ("12"; a dash for duplicates not counted yet), and the accessible
 * name of its button: prefix_format with the filter's label, then the count or that it is not
 * counted yet. */
static void
dup_count_texts (PdOrganizationList  *self,
                 PdFilter             filter,
                 gboolean             dups_counted,
                 gboolean             menu_button,
                 char               **out_number,
                 char               **out_name)
{
  const char *label = pd_filter_label (filter);

  if (filter == PD_FILTER_DUPLICATES && !dups_counted)
    {
      *out_number = g_strdup ("—");
      *out_name = menu_button
                    /* Translators: the filter menu button's accessible name while the possible
                     * duplicates are not counted yet: "Filter: Possible duplicates, not counted
                     * until a sync completes" */
                    ? g_strdup_printf (_("Filter: %s, not counted until a sync completes"), label)
                    /* Translators: a filter button's accessible name while its count is not
                     * known: "Possible duplicates, not counted until a sync completes" */
                    : g_strdup_printf (_("%s, not counted until a sync completes"), label);
      return;
    }
  *out_number = g_strdup_printf ("%'u", pd_organization_model_get_count (self->model, filter));
  *out_name = menu_button
                /* Translators: the filter menu button's accessible name, e.g. "Filter: Bill-to
                 * incomplete, 12" */
                ? g_strdup_printf (_("Filter: %s, %s"), label, *out_number)
                /* Translators: a filter button's accessible name, e.g. "Bill-to incomplete, 12". */
                : g_strdup_printf (_("%s, %s"), label, *out_number);
}

/* The menu button shows the chosen filter and its count ("Bill-to incomplete 12"). */
static void
update_filter_menu_button (PdOrganizationList *self,
                           gboolean            dups_counted)
{
  PdFilter filter = pd_organization_model_get_filter (self->model);
  g_autofree char *number = NULL;
  g_autofree char *name = NULL;

  dup_count_texts (self, filter, dups_counted, TRUE, &number, &name);
  gtk_label_set_text (self->filter_label, pd_filter_label (filter));
  gtk_label_set_text (self->filter_count, number);
  /* The status line under the table counts them all: the label fits 360 px in German. */
  gtk_widget_set_visible (GTK_WIDGET (self->filter_count), filter != PD_FILTER_ALL);
  pd_app_util_set_button_name (GTK_WIDGET (self->filter_menu_button), name);
}

static void
update_filter_buttons (PdOrganizationList *self)
{
  gboolean dups_counted = duplicates_counted (self);

  for (guint f = 0; f < PD_N_FILTERS; f++)
    {
      GtkWidget *button = self->filter_buttons[f];
      GtkWidget *count = g_object_get_data (G_OBJECT (button), "count-label");
      g_autofree char *number = NULL;
      g_autofree char *name = NULL;

      dup_count_texts (self, f, dups_counted, FALSE, &number, &name);
      gtk_label_set_text (GTK_LABEL (count), number);
      gtk_widget_set_tooltip_text (count, f == PD_FILTER_DUPLICATES && !dups_counted
                                            ? _("Not counted until a sync completes") : NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
    }
  update_filter_menu_button (self, dups_counted);
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

/* The "Possible duplicates" filter reads the store's flags, which a sync keeps for its end (a
 * first sync, all of them; a run that stopped leaves them for the next): while that filter is
 * chosen and they are not exact, say when they will be instead of a count that looks final.
 * NULL when there is nothing to say. Two look-ups in the store, only with that filter. */
static const char *
duplicates_pending_text (PdOrganizationList *self)
{
  PdStore *store = pd_session_get_store (self->session);
  g_autoptr(PdSyncRun) running = NULL;
  gboolean exact = TRUE;

  if (pd_organization_model_get_filter (self->model) != PD_FILTER_DUPLICATES
      || !pd_store_get_dup_flags_exact (store, &exact, NULL) || exact)
    return NULL;
  /* This app's sync, or the CLI's or the timer's on the same cache. */
  if (pd_session_get_syncing (self->session)
      || (running = pd_store_get_running_sync (store)) != NULL)
    return _("Possible duplicates are found when the sync completes.");
  return _("A sync stopped before it completed: the next complete sync finds the possible "
           "duplicates.");
}

/* The note under the filters, or the no-results page's text when no row is shown. */
static void
update_duplicates_note (PdOrganizationList *self,
                        const char         *page)
{
  const char *text = duplicates_pending_text (self);
  gboolean on_page = text != NULL && g_str_equal (page, "no-results");

  gtk_label_set_text (self->duplicates_note, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_note), text != NULL && !on_page);
  adw_status_page_set_description (self->no_results_page,
                                   on_page ? text : self->no_results_text);
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
  update_duplicates_note (self, page);
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
  /* As a search's: the view kept its offset, and the first matches were above it. */
  scroll_to_position (self, 0);
  update_filter_menu_button (self, duplicates_counted (self));
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
  /* A long label (German, French) wraps: on one line the popover was wider than a 360 px
   * screen, cut at its edge. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
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

static void
apply_visible_columns (PdOrganizationList *self)
{
  pd_organization_columns_apply_visible (self->columns, self->column_actions,
                                         pd_session_get_settings (self->session),
                                         self->has_resellers);
}

static void
add_column_actions (PdOrganizationList *self)
{
  GSettings *settings = pd_session_get_settings (self->session);

  self->column_actions = pd_organization_columns_new_actions (settings);
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

/* "Reseller: All resellers": the name says the choice, on the drop-down and on the button
 * inside it that takes the focus (a screen reader read "Reseller" alone). */
static void
name_reseller_dropdown (PdOrganizationList *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->reseller_dropdown);
  g_autofree char *name = NULL;

  if (item == NULL)
    return;
  /* Translators: accessible name of the reseller drop-down; %s is the chosen reseller */
  name = g_strdup_printf (_("Reseller: %s"), gtk_string_object_get_string (item));
  pd_app_util_set_button_name (GTK_WIDGET (self->reseller_dropdown), name);
}

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
  name_reseller_dropdown (self);
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

  gtk_string_list_append (list, _("All resellers"));
  gtk_string_list_splice (list, 1, 0, names);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ids[i], chosen) == 0)
      selected = i + 1;
  g_signal_handlers_block_by_func (self->reseller_dropdown, on_reseller_selected, self);
  gtk_drop_down_set_model (self->reseller_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->reseller_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->reseller_dropdown, on_reseller_selected, self);
  name_reseller_dropdown (self);
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

/* Enter in the search opens the first match, selected (as in GNOME Settings' search);
 * nothing when there is none. */
static void
on_search_activate (PdOrganizationList *self)
{
  PdOrganizationRowData *row = visible_row (self, 0);

  if (row == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  g_signal_emit (self, signals[ORGANIZATION_ACTIVATED], 0, pd_organization_row_data_get_id (row));
}

/* Down in the search goes to the results (it went to the Filter button beside it). */
static gboolean
on_search_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       PdOrganizationList    *self)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
      || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  return pd_organization_list_focus_rows (self);
}

static void
add_search_keys (PdOrganizationList *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activate),
                            self);
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
  for (guint i = 0; i < PD_ORGANIZATION_N_COLUMNS; i++)
    if (g_strcmp0 (pd_organization_columns_get_key (i), key) == 0)
      {
        gtk_column_view_sort_by_column (self->column_view, self->columns[i], order);
        return TRUE;
      }
  return FALSE;
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

GtkLabel *
pd_organization_list_get_duplicates_note (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return self->duplicates_note;
}

const char *
pd_organization_list_get_page (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
pd_organization_list_get_filter_button (PdOrganizationList *self,
                                        PdFilter            filter)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  g_return_val_if_fail ((guint) filter < PD_N_FILTERS, NULL);
  return self->filter_buttons[filter];
}

const char *
pd_organization_list_get_filter_count_text (PdOrganizationList *self,
                                            PdFilter            filter)
{
  GtkWidget *button = pd_organization_list_get_filter_button (self, filter);

  return button != NULL
         ? gtk_label_get_text (g_object_get_data (G_OBJECT (button), "count-label")) : NULL;
}

GtkWidget *
pd_organization_list_get_filter_menu_button (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return GTK_WIDGET (self->filter_menu_button);
}

const char *
pd_organization_list_get_filter_menu_count_text (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return gtk_label_get_text (self->filter_count);
}

const char *
pd_organization_list_get_no_results_text (PdOrganizationList *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_LIST (self), NULL);
  return adw_status_page_get_description (self->no_results_page);
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
  g_signal_connect_object (self->session, "notify::signed-in",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::syncing",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_sorter_changed), self);
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
  g_clear_pointer (&self->no_results_text, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, duplicates_note);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, stack);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, column_view);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PdOrganizationList, no_results_page);
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
  self->no_results_text = g_strdup (adw_status_page_get_description (self->no_results_page));

  build_models (self);
  pd_organization_columns_add (self->column_view, self->columns);
  add_table_keys (self);
  add_search_keys (self);
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
  pd_app_util_set_button_name (GTK_WIDGET (self->reseller_dropdown), _("Reseller"));
  g_signal_connect_swapped (self->clear_button, "clicked",
                            G_CALLBACK (clear_search_and_filters), self);
}

GtkWidget *
pd_organization_list_new (PdSession *session)
{
  g_return_val_if_fail (PD_IS_SESSION (session), NULL);
  return g_object_new (PD_TYPE_ORGANIZATION_LIST, "session", session, NULL);
}
