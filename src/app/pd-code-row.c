/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-code-row.c — an ISO code (a currency or a country), chosen from a searchable popover.
 *
 * libadwaita 1.2's AdwComboRow cannot search, and ~150 ISO 4217 or ~250 ISO 3166 codes are too
 * many to scroll. This row copies AdwComboRow's look (the value and a pan-down arrow after the
 * title, a "menu" popover with a check mark on the chosen item) and adds a search entry above
 * the list, as AdwComboRow's "enable-search" does from 1.4 on: one code path on every
 * libadwaita. Items show the code and the name ("EUR — Euro", "FI — Finland"); the filter
 * matches either, without case. A currency row shows the code (what ERP systems and invoices
 * use) with the name as its tooltip; a country row shows the name, translated by iso-codes,
 * with the code as its tooltip. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "pd-app-util.h"
#include "pd-code-row.h"

/* What differs between the two kinds of code. */
typedef struct {
  const char * const *(*codes) (void);
  const char         *(*name) (const char *code);
  gboolean            (*valid) (const char *code);
  const char         *search_label;  /* N_() */
  const char         *list_label;    /* N_() */
  gboolean            shows_name;    /* the row shows the name (else the code) */
} CodeKind;

static const CodeKind kinds[] = {
  [PD_CODE_KIND_CURRENCY] = { pd_currency_codes, pd_currency_name, pd_currency_code_is_valid,
                              N_("Search currencies"), N_("Currencies"), FALSE },
  [PD_CODE_KIND_COUNTRY] = { pd_country_codes, pd_country_name, pd_country_code_is_valid,
                             N_("Search countries"), N_("Countries"), TRUE },
};

G_DEFINE_ENUM_TYPE (PdCodeKind, pd_code_kind,
                    G_DEFINE_ENUM_VALUE (PD_CODE_KIND_CURRENCY, "currency"),
                    G_DEFINE_ENUM_VALUE (PD_CODE_KIND_COUNTRY, "country"))

struct _PdCodeRow
{
  AdwActionRow        parent_instance;

  GtkWidget          *value_box;
  GtkLabel           *value_label;
  GtkPopover         *popover;
  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;

  GtkStringList      *items;     /* "" for "Not set", then the kind's codes */
  GtkFilterListModel *filtered;  /* GtkStringObject: "" for "Not set", else a code */
  GtkCustomFilter    *filter;
  GtkSortListModel   *shown;     /* filtered, the codes the search starts first */
  GtkCustomSorter    *sorter;
  char               *search;    /* casefolded search text, NULL when empty */
  const CodeKind     *kind;
  char               *code;      /* NULL when not set */
};

G_DEFINE_FINAL_TYPE (PdCodeRow, pd_code_row, ADW_TYPE_ACTION_ROW)

enum { PROP_0, PROP_KIND, PROP_CODE, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* What an item shows: the code and its name, or "Not set" for the empty code. */
static char *
dup_item_label (PdCodeRow       *self,
                GtkStringObject *item)
{
  const char *code = gtk_string_object_get_string (item);
  const char *name = self->kind->name (code);

  if (*code == '\0')
    return g_strdup (_("Not set"));
  if (name == NULL)
    return g_strdup (code);
  /* Translators: a currency or a country in a list: its ISO code, then its name ("EUR — Euro",
   * "FI — Finland"). */
  return g_strdup_printf (_("%s — %s"), code, name);
}

static gboolean
item_is_chosen (PdCodeRow   *self,
                GtkStringObject *item)
{
  return g_strcmp0 (gtk_string_object_get_string (item),
                    self->code != NULL ? self->code : "") == 0;
}

static gboolean
matches_search (gpointer item,
                gpointer data)
{
  PdCodeRow *self = data;
  g_autofree char *label = NULL;
  g_autofree char *folded = NULL;

  if (self->search == NULL)
    return TRUE;
  label = dup_item_label (self, item);
  folded = g_utf8_casefold (label, -1);
  return strstr (folded, self->search) != NULL;
}

/* The codes that start with the search come first, so that "eur" puts EUR before CHE
 * ("WIR Euro") and Enter picks it; otherwise the order of the codes, "Not set" first. */
static gboolean
code_starts_with_search (PdCodeRow   *self,
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
  PdCodeRow *self = data;
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
  PdCodeRow *self = g_object_get_data (G_OBJECT (list_item), "row");
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *check = gtk_widget_get_last_child (box);
  GtkStringObject *item = gtk_list_item_get_item (list_item);

  gtk_widget_set_opacity (check, item != NULL && item_is_chosen (self, item) ? 1 : 0);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            PdCodeRow            *self)
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
           PdCodeRow            *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  g_autofree char *label = dup_item_label (self, gtk_list_item_get_item (list_item));
  gulong handler;

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), label);
  pd_app_util_set_list_row_name (box, label);
  update_check (list_item);
  handler = g_signal_connect_object (self, "notify::code", G_CALLBACK (update_check),
                                     list_item, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (list_item), "handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_item (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PdCodeRow            *self)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "handler"));

  g_clear_signal_handler (&handler, self);
  g_object_set_data (G_OBJECT (list_item), "handler", NULL);
}

/* ---- choosing ---- */

static void
choose_position (PdCodeRow *self,
                 guint          position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->shown),
                                                           position);

  if (item == NULL)
    return;
  gtk_popover_popdown (self->popover);
  pd_code_row_set_code (self, gtk_string_object_get_string (item));
}

static void
on_list_activate (PdCodeRow *self,
                  guint          position)
{
  choose_position (self, position);
}

/* Enter in the search picks the first match (nothing when nothing matches). */
static void
on_search_activate (PdCodeRow *self)
{
  choose_position (self, 0);
}

static void
on_stop_search (PdCodeRow *self)
{
  gtk_popover_popdown (self->popover);
}

static void
on_search_changed (PdCodeRow *self)
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
chosen_position (PdCodeRow *self)
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
on_popover_show (PdCodeRow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  on_search_changed (self);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              chosen_position (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Down from the search moves into the list, as in a combo box. */
static gboolean
on_search_key_pressed (PdCodeRow   *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;
  return gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
}

/* A button to assistive technology, named once with its title and value ("Preferred currency,
 * EUR"): AdwActionRow names a row by its title label, and the value would go unread. */
static void
update_accessible_name (PdCodeRow *self)
{
  g_autofree char *name = pd_app_util_dup_picker_name (GTK_WIDGET (self),
                                                       gtk_label_get_label (self->value_label));

  pd_app_util_set_accessible_name (GTK_WIDGET (self), name);
}

/* Shown whole up to VALUE_MIN_CHARS: the title's subtitle ("A change takes effect on …") wraps
 * instead; with no minimum, the value was cut to "Not…" at any width. A longer country name
 * is cut, its tooltip and accessible name have it all. */
#define VALUE_MIN_CHARS 16

static void
set_value_text (PdCodeRow  *self,
                const char *text)
{
  gtk_label_set_label (self->value_label, text);
  gtk_label_set_width_chars (self->value_label, MIN ((int) g_utf8_strlen (text, -1),
                                                     VALUE_MIN_CHARS));
}

/* The value after the title: the code (a currency) or the name (a country), with the other as
 * its tooltip. */
static void
show_value (PdCodeRow *self)
{
  const char *name = self->code != NULL ? self->kind->name (self->code) : NULL;
  const char *shown = self->kind->shows_name && name != NULL ? name : self->code;

  set_value_text (self, shown != NULL ? shown : _("Not set"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->value_label),
                               self->kind->shows_name ? self->code : name);
  update_accessible_name (self);
}

/* The codes to choose from, and the words that name them. */
static void
set_kind (PdCodeRow  *self,
          PdCodeKind  kind)
{
  const char * const *codes;
  guint n_old;

  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kinds));
  self->kind = &kinds[kind];
  codes = self->kind->codes ();
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  gtk_string_list_splice (self->items, 0, n_old, NULL);
  gtk_string_list_append (self->items, "");
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    gtk_string_list_append (self->items, codes[i]);
  g_object_set (self->search_entry, "placeholder-text", _(self->kind->search_label), NULL);
  pd_app_util_set_accessible_name (GTK_WIDGET (self->search_entry), _(self->kind->search_label));
  pd_app_util_set_accessible_name (GTK_WIDGET (self->list_view), _(self->kind->list_label));
  pd_code_row_set_code (self, NULL);
  show_value (self);
}

static void
pd_code_row_activate (AdwActionRow *row)
{
  gtk_popover_popup (PD_CODE_ROW (row)->popover);
}

/* ---- life cycle ---- */

static void
pd_code_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  PdCodeRow *self = PD_CODE_ROW (widget);

  GTK_WIDGET_CLASS (pd_code_row_parent_class)->size_allocate (widget, width, height,
                                                                   baseline);
  gtk_popover_present (self->popover);
}

static void
pd_code_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdCodeRow *self = PD_CODE_ROW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, (int) (self->kind - kinds));
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_code_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdCodeRow *self = PD_CODE_ROW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      set_kind (self, g_value_get_enum (value));
      break;
    case PROP_CODE:
      pd_code_row_set_code (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_code_row_dispose (GObject *object)
{
  PdCodeRow *self = PD_CODE_ROW (object);

  /* The popover hangs off value_box, outside the template's tree. */
  if (self->popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->popover));
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_CODE_ROW);
  g_clear_object (&self->shown);
  g_clear_object (&self->sorter);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  G_OBJECT_CLASS (pd_code_row_parent_class)->dispose (object);
}

static void
pd_code_row_finalize (GObject *object)
{
  PdCodeRow *self = PD_CODE_ROW (object);

  g_free (self->search);
  g_free (self->code);
  G_OBJECT_CLASS (pd_code_row_parent_class)->finalize (object);
}

static void
pd_code_row_class_init (PdCodeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwActionRowClass *row_class = ADW_ACTION_ROW_CLASS (klass);

  object_class->dispose = pd_code_row_dispose;
  object_class->finalize = pd_code_row_finalize;
  object_class->get_property = pd_code_row_get_property;
  object_class->set_property = pd_code_row_set_property;
  widget_class->size_allocate = pd_code_row_size_allocate;
  row_class->activate = pd_code_row_activate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, PD_TYPE_CODE_KIND, PD_CODE_KIND_CURRENCY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  pd_app_util_set_template (widget_class, "pd-code-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCodeRow, value_box);
  gtk_widget_class_bind_template_child (widget_class, PdCodeRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, PdCodeRow, popover);
  gtk_widget_class_bind_template_child (widget_class, PdCodeRow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdCodeRow, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
}

static void
pd_code_row_init (PdCodeRow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_parent (GTK_WIDGET (self->popover), self->value_box);

  self->items = gtk_string_list_new (NULL);
  self->filter = gtk_custom_filter_new (matches_search, self, NULL);
  self->sorter = gtk_custom_sorter_new (compare_items, self, NULL);
  /* The models take the references they are given: keep one of each for ourselves. */
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
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
  set_value_text (self, _("Not set"));
  g_signal_connect (self, "notify::title", G_CALLBACK (update_accessible_name), NULL);
  set_kind (self, PD_CODE_KIND_CURRENCY);
}

GtkWidget *
pd_code_row_new (PdCodeKind kind)
{
  return g_object_new (PD_TYPE_CODE_ROW, "kind", kind, NULL);
}

const char *
pd_code_row_get_code (PdCodeRow *self)
{
  g_return_val_if_fail (PD_IS_CODE_ROW (self), NULL);

  return self->code;
}

void
pd_code_row_set_code (PdCodeRow  *self,
                      const char *code)
{
  g_return_if_fail (PD_IS_CODE_ROW (self));

  if (code != NULL && !self->kind->valid (code))
    code = NULL;
  if (g_strcmp0 (self->code, code) == 0)
    return;
  g_free (self->code);
  self->code = g_strdup (code);
  show_value (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}
