/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-country-row.c — a country, chosen from a searchable popover.
 *
 * libadwaita 1.2's AdwComboRow cannot search, and ~250 ISO 3166 codes are too many to scroll.
 * As PdCurrencyRow, this row copies AdwComboRow's look (the value and a pan-down arrow after
 * the title, a "menu" popover with a check mark on the chosen item) and adds a search entry
 * above the list, as AdwComboRow's "enable-search" does from 1.4 on. Items
 * show the code and the name ("FI — Finland"); the filter matches either, without case. The row
 * itself shows the name, translated by iso-codes, and the code as its tooltip. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "pd-app-util.h"
#include "pd-country-row.h"

struct _PdCountryRow
{
  AdwActionRow        parent_instance;

  GtkWidget          *value_box;
  GtkLabel           *value_label;
  GtkPopover         *popover;
  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;

  GtkFilterListModel *filtered;  /* GtkStringObject: "" for "Not set", else a code */
  GtkCustomFilter    *filter;
  GtkSortListModel   *shown;     /* filtered, the codes the search starts first */
  GtkCustomSorter    *sorter;
  char               *search;    /* casefolded search text, NULL when empty */
  char               *country;   /* NULL when not set */
};

G_DEFINE_FINAL_TYPE (PdCountryRow, pd_country_row, ADW_TYPE_ACTION_ROW)

enum { PROP_0, PROP_COUNTRY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* What an item shows: the code and the country's name, or "Not set" for the empty code. */
static char *
dup_item_label (GtkStringObject *item)
{
  const char *code = gtk_string_object_get_string (item);
  const char *name = pd_country_name (code);

  if (*code == '\0')
    return g_strdup (_("Not set"));
  if (name == NULL)
    return g_strdup (code);
  /* Translators: a country in a list: its ISO code, then its name ("FI — Finland"). */
  return g_strdup_printf (_("%s — %s"), code, name);
}

static gboolean
item_is_chosen (PdCountryRow    *self,
                GtkStringObject *item)
{
  return g_strcmp0 (gtk_string_object_get_string (item),
                    self->country != NULL ? self->country : "") == 0;
}

static gboolean
matches_search (gpointer item,
                gpointer data)
{
  PdCountryRow *self = data;
  g_autofree char *label = NULL;
  g_autofree char *folded = NULL;

  if (self->search == NULL)
    return TRUE;
  label = dup_item_label (item);
  folded = g_utf8_casefold (label, -1);
  return strstr (folded, self->search) != NULL;
}

/* The codes that start with the search come first, so that "de" puts DE before AD
 * ("Andorra") and Enter picks it; otherwise the order of the codes, "Not set" first. */
static gboolean
code_starts_with_search (PdCountryRow    *self,
                         GtkStringObject *item)
{
  g_autofree char *folded = g_utf8_casefold (gtk_string_object_get_string (item), -1);

  return self->search != NULL && g_str_has_prefix (folded, self->search);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  PdCountryRow *self = data;
  gboolean a_first = code_starts_with_search (self, (GtkStringObject *) a);
  gboolean b_first = code_starts_with_search (self, (GtkStringObject *) b);

  if (a_first != b_first)
    return a_first ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return gtk_ordering_from_cmpfunc (strcmp (gtk_string_object_get_string ((GtkStringObject *) a),
                                            gtk_string_object_get_string ((GtkStringObject *) b)));
}

/* ---- list items ---- */

static void
update_check (GtkListItem *list_item)
{
  PdCountryRow *self = g_object_get_data (G_OBJECT (list_item), "row");
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *check = gtk_widget_get_last_child (box);
  GtkStringObject *item = gtk_list_item_get_item (list_item);

  gtk_widget_set_opacity (check, item != NULL && item_is_chosen (self, item) ? 1 : 0);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            PdCountryRow             *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  /* One width for the whole list: the list view measures only the rows it shows, so the
   * popover would change width while scrolling; the longest names ellipsize. */
  gtk_label_set_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_accessible_update_state (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (list_item, box);
  g_object_set_data (G_OBJECT (list_item), "row", self);
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           PdCountryRow             *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  g_autofree char *label = dup_item_label (gtk_list_item_get_item (list_item));
  gulong handler;

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), label);
  pd_app_util_set_list_row_name (box, label);
  update_check (list_item);
  handler = g_signal_connect_object (self, "notify::country", G_CALLBACK (update_check),
                                     list_item, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (list_item), "handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_item (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PdCountryRow             *self)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "handler"));

  g_clear_signal_handler (&handler, self);
  g_object_set_data (G_OBJECT (list_item), "handler", NULL);
}

/* ---- choosing ---- */

static void
choose_position (PdCountryRow *self,
                 guint         position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->shown),
                                                           position);

  if (item == NULL)
    return;
  gtk_popover_popdown (self->popover);
  pd_country_row_set_country (self, gtk_string_object_get_string (item));
}

static void
on_list_activate (PdCountryRow *self,
                  guint         position)
{
  choose_position (self, position);
}

/* Enter in the search picks the first match (nothing when nothing matches). */
static void
on_search_activate (PdCountryRow *self)
{
  choose_position (self, 0);
}

static void
on_stop_search (PdCountryRow *self)
{
  gtk_popover_popdown (self->popover);
}

static void
on_search_changed (PdCountryRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

static guint
chosen_position (PdCountryRow *self)
{
  GListModel *model = G_LIST_MODEL (self->shown);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (item_is_chosen (self, item))
        return i;
    }
  return 0;
}

/* Each opening starts with the whole list, scrolled to the chosen item, and the search
 * focused: typing filters at once. */
static void
on_popover_show (PdCountryRow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  on_search_changed (self);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              chosen_position (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Down from the search moves into the list, as in a combo box. */
static gboolean
on_search_key_pressed (PdCountryRow    *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;
  return gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
}

/* A button to assistive technology, named once with its title and value ("Country,
 * Finland"): AdwActionRow names a row by its title label, and the value would go unread. */
static void
update_accessible_name (PdCountryRow *self)
{
  g_autofree char *name = pd_app_util_dup_picker_name (GTK_WIDGET (self),
                                                       gtk_label_get_label (self->value_label));

  pd_app_util_set_accessible_name (GTK_WIDGET (self), name);
}

static void
pd_country_row_activate (AdwActionRow *row)
{
  gtk_popover_popup (PD_COUNTRY_ROW (row)->popover);
}

/* ---- life cycle ---- */

static void
pd_country_row_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  PdCountryRow *self = PD_COUNTRY_ROW (widget);

  GTK_WIDGET_CLASS (pd_country_row_parent_class)->size_allocate (widget, width, height,
                                                                  baseline);
  gtk_popover_present (self->popover);
}

static void
pd_country_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdCountryRow *self = PD_COUNTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_country_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdCountryRow *self = PD_COUNTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_COUNTRY:
      pd_country_row_set_country (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_country_row_dispose (GObject *object)
{
  PdCountryRow *self = PD_COUNTRY_ROW (object);

  /* The popover hangs off value_box, outside the template's tree. */
  if (self->popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->popover));
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_COUNTRY_ROW);
  g_clear_object (&self->shown);
  g_clear_object (&self->sorter);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  G_OBJECT_CLASS (pd_country_row_parent_class)->dispose (object);
}

static void
pd_country_row_finalize (GObject *object)
{
  PdCountryRow *self = PD_COUNTRY_ROW (object);

  g_free (self->search);
  g_free (self->country);
  G_OBJECT_CLASS (pd_country_row_parent_class)->finalize (object);
}

static void
pd_country_row_class_init (PdCountryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwActionRowClass *row_class = ADW_ACTION_ROW_CLASS (klass);

  object_class->dispose = pd_country_row_dispose;
  object_class->finalize = pd_country_row_finalize;
  object_class->get_property = pd_country_row_get_property;
  object_class->set_property = pd_country_row_set_property;
  widget_class->size_allocate = pd_country_row_size_allocate;
  row_class->activate = pd_country_row_activate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);

  properties[PROP_COUNTRY] =
    g_param_spec_string ("country", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/partnerdesk/PartnerDesk/"
                                               "pd-country-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCountryRow, value_box);
  gtk_widget_class_bind_template_child (widget_class, PdCountryRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, PdCountryRow, popover);
  gtk_widget_class_bind_template_child (widget_class, PdCountryRow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdCountryRow, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
}

static void
pd_country_row_init (PdCountryRow *self)
{
  GtkStringList *items = gtk_string_list_new (NULL);
  const char * const *codes = pd_country_codes ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_parent (GTK_WIDGET (self->popover), self->value_box);

  gtk_string_list_append (items, "");
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    gtk_string_list_append (items, codes[i]);
  self->filter = gtk_custom_filter_new (matches_search, self, NULL);
  self->sorter = gtk_custom_sorter_new (compare_items, self, NULL);
  /* The models take the references they are given: keep one of each for ourselves. */
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (items),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->shown = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                         g_object_ref (GTK_SORTER (self->sorter)));
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             g_object_ref (G_LIST_MODEL (self->shown)))));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_item), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_search_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  /* Typing while the list has the focus still goes to the search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->popover));
  gtk_label_set_label (self->value_label, _("Not set"));
  g_signal_connect (self, "notify::title", G_CALLBACK (update_accessible_name), NULL);
  update_accessible_name (self);
}

GtkWidget *
pd_country_row_new (void)
{
  return g_object_new (PD_TYPE_COUNTRY_ROW, NULL);
}

const char *
pd_country_row_get_country (PdCountryRow *self)
{
  g_return_val_if_fail (PD_IS_COUNTRY_ROW (self), NULL);

  return self->country;
}

void
pd_country_row_set_country (PdCountryRow *self,
                            const char   *code)
{
  g_return_if_fail (PD_IS_COUNTRY_ROW (self));

  if (code != NULL && !pd_country_code_is_valid (code))
    code = NULL;
  if (g_strcmp0 (self->country, code) == 0)
    return;
  g_free (self->country);
  self->country = g_strdup (code);
  gtk_label_set_label (self->value_label, code != NULL ? pd_country_name (code) : _("Not set"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->value_label), code);
  update_accessible_name (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTRY]);
}
