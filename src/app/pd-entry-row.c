/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-entry-row.c — a list row that edits one line of text under its title (see the header for
 * why it is not an AdwEntryRow). */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-entry-row.h"

struct _PdEntryRow
{
  AdwPreferencesRow parent_instance;

  GtkLabel  *title_label;
  GtkEntry  *entry;
  GtkLabel  *error_label;
  GtkBox    *suffixes;
  GtkButton *apply_button;

  gboolean   show_apply_button;
  /* The text as last applied or set by the program (through the row's GtkEditable): the Apply
   * button shows when the user's typing leaves something else. */
  char      *applied_text;
  guint      program_edits;  /* > 0 while the program changes the text */
  gboolean   focus_leaving;  /* pd_entry_row_focus moves the focus from inside the row */
  char      *error;          /* what show_error last said (NULL: nothing wrong) */
  char      *note;           /* pd_entry_row_set_note */
};

static void pd_entry_row_editable_init (GtkEditableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdEntryRow, pd_entry_row, ADW_TYPE_PREFERENCES_ROW,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_EDITABLE,
                                                      pd_entry_row_editable_init))

enum { PROP_0, PROP_SHOW_APPLY_BUTTON, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { APPLY, ENTRY_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The GtkText inside the entry, as AdwEntryRow's delegate is: what takes the focus and emits
 * "activate" before the default widget is activated. */
static GtkEditable *
pd_entry_row_get_delegate (GtkEditable *editable)
{
  return gtk_editable_get_delegate (GTK_EDITABLE (PD_ENTRY_ROW (editable)->entry));
}

/* The program edits through the row (gtk_editable_set_text (row), …); the user's typing goes
 * to the GtkText itself. */
static void
pd_entry_row_insert_text (GtkEditable *editable,
                          const char  *text,
                          int          length,
                          int         *position)
{
  PdEntryRow *self = PD_ENTRY_ROW (editable);

  self->program_edits++;
  gtk_editable_insert_text (pd_entry_row_get_delegate (editable), text, length, position);
  self->program_edits--;
}

static void
pd_entry_row_delete_text (GtkEditable *editable,
                          int          start_pos,
                          int          end_pos)
{
  PdEntryRow *self = PD_ENTRY_ROW (editable);

  self->program_edits++;
  gtk_editable_delete_text (pd_entry_row_get_delegate (editable), start_pos, end_pos);
  self->program_edits--;
}

static void
pd_entry_row_editable_init (GtkEditableInterface *iface)
{
  iface->get_delegate = pd_entry_row_get_delegate;
  iface->insert_text = pd_entry_row_insert_text;
  iface->delete_text = pd_entry_row_delete_text;
}

static void
on_text_changed (PdEntryRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  /* What the program shows (a field filled anew) is nothing to apply. */
  if (self->program_edits > 0)
    {
      g_free (self->applied_text);
      self->applied_text = g_strdup (text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->apply_button),
                          self->show_apply_button && g_strcmp0 (text, self->applied_text) != 0);
}

static void
apply (PdEntryRow *self)
{
  g_free (self->applied_text);
  self->applied_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gtk_widget_set_visible (GTK_WIDGET (self->apply_button), FALSE);
  g_signal_emit (self, signals[APPLY], 0);
}

static void
on_apply_clicked (PdEntryRow *self)
{
  /* The button goes away under the focus: keep the keyboard user in the field. */
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  apply (self);
}

static void
on_entry_activate (PdEntryRow *self)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
  if (gtk_widget_get_visible (GTK_WIDGET (self->apply_button)))
    apply (self);
}

static void
on_title_changed (PdEntryRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  /* Translators: accessible name of a field's Apply button, e.g. "Apply Login URL" */
  g_autofree char *apply_label = g_strdup_printf (_("Apply %s"), title);

  gtk_label_set_label (self->title_label, title);
  /* The entry is what AT-SPI presents and focuses on GTK 4.8; the row and the GtkText inside
   * carry the name too, for toolkits that present them instead. */
  pd_app_util_set_accessible_name (GTK_WIDGET (self->entry), title);
  pd_app_util_set_editable_label (GTK_EDITABLE (self), title);
  pd_app_util_set_accessible_name (GTK_WIDGET (self->apply_button), apply_label);
}

static void
on_title_pressed (PdEntryRow *self)
{
  /* A click on the title edits, as in AdwEntryRow, without selecting the value (what is
   * typed next would replace it). */
  gtk_text_grab_focus_without_selecting (GTK_TEXT (pd_entry_row_get_delegate (
                                                     GTK_EDITABLE (self))));
}

static gboolean
pd_entry_row_grab_focus (GtkWidget *widget)
{
  PdEntryRow *self = PD_ENTRY_ROW (widget);

  /* Asked by GtkWidget's focus while the focus leaves the row (pd_entry_row_focus): no. */
  if (self->focus_leaving)
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static gboolean
pd_entry_row_focus (GtkWidget        *widget,
                    GtkDirectionType  direction)
{
  /* GtkListBoxRow's own focus handling takes the focus to the row itself; this row is only
   * its entry and buttons: move among them as any container does. */
  PdEntryRow *self = PD_ENTRY_ROW (widget);
  GtkWidgetClass *widget_base = g_type_class_peek (GTK_TYPE_WIDGET);
  gboolean moved;

  /* Past its first child backwards, GtkWidget's focus gives the focus to the row itself,
   * which hands it to the entry (grab_focus): Shift+Tab never left the field. From inside,
   * the row refuses it, and the focus goes on to what comes before. */
  self->focus_leaving = gtk_widget_get_focus_child (widget) != NULL;
  moved = widget_base->focus (widget, direction);
  self->focus_leaving = FALSE;
  return moved;
}

void
pd_entry_row_add_suffix (PdEntryRow *self,
                         GtkWidget  *widget)
{
  g_return_if_fail (PD_IS_ENTRY_ROW (self));

  gtk_box_append (self->suffixes, widget);
  gtk_widget_set_visible (GTK_WIDGET (self->suffixes), TRUE);
}

void
pd_entry_row_set_show_apply_button (PdEntryRow *self,
                                    gboolean    show_apply_button)
{
  g_return_if_fail (PD_IS_ENTRY_ROW (self));

  show_apply_button = !!show_apply_button;
  if (self->show_apply_button == show_apply_button)
    return;
  self->show_apply_button = show_apply_button;
  if (!show_apply_button)
    gtk_widget_set_visible (GTK_WIDGET (self->apply_button), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_APPLY_BUTTON]);
}

/* Read after the field's name when it takes the focus: what is wrong, then the note. */
static void
update_description (PdEntryRow *self)
{
  /* Two sentences, read with a pause between ("City is required. Local edit, …"). */
  g_autofree char *both = self->error != NULL && self->note != NULL
                            ? g_strdup_printf (g_str_has_suffix (self->error, ".")
                                                 ? "%s %s" : "%s. %s", self->error, self->note)
                            : NULL;

  pd_app_util_set_accessible_description (GTK_WIDGET (self->entry),
                                          both != NULL ? both
                                          : self->error != NULL ? self->error : self->note);
}

static void
show_error (PdEntryRow *self,
            const char *message,
            gboolean    in_words)
{
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && in_words);
  g_free (self->error);
  self->error = g_strdup (message);
  update_description (self);
}

void
pd_entry_row_set_error (PdEntryRow *self,
                        const char *message)
{
  g_return_if_fail (PD_IS_ENTRY_ROW (self));
  show_error (self, message, TRUE);
}

void
pd_entry_row_mark_error (PdEntryRow *self,
                         const char *message)
{
  g_return_if_fail (PD_IS_ENTRY_ROW (self));
  show_error (self, message, FALSE);
}

void
pd_entry_row_set_note (PdEntryRow *self,
                       const char *note)
{
  g_return_if_fail (PD_IS_ENTRY_ROW (self));
  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  update_description (self);
}

const char *
pd_entry_row_get_error (PdEntryRow *self)
{
  g_return_val_if_fail (PD_IS_ENTRY_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label) : NULL;
}

gboolean
pd_entry_row_get_show_apply_button (PdEntryRow *self)
{
  g_return_val_if_fail (PD_IS_ENTRY_ROW (self), FALSE);

  return self->show_apply_button;
}

static void
pd_entry_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PdEntryRow *self = PD_ENTRY_ROW (object);

  if (gtk_editable_delegate_get_property (object, prop_id, value, pspec))
    return;
  if (prop_id == PROP_SHOW_APPLY_BUTTON)
    g_value_set_boolean (value, self->show_apply_button);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pd_entry_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PdEntryRow *self = PD_ENTRY_ROW (object);
  gboolean delegated;

  /* The "text" property is the program's too (a binding, a .ui file). */
  self->program_edits++;
  delegated = gtk_editable_delegate_set_property (object, prop_id, value, pspec);
  self->program_edits--;
  if (delegated)
    return;
  if (prop_id == PROP_SHOW_APPLY_BUTTON)
    pd_entry_row_set_show_apply_button (self, g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pd_entry_row_dispose (GObject *object)
{
  PdEntryRow *self = PD_ENTRY_ROW (object);

  if (self->entry != NULL)
    gtk_editable_finish_delegate (GTK_EDITABLE (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ENTRY_ROW);
  self->entry = NULL;
  G_OBJECT_CLASS (pd_entry_row_parent_class)->dispose (object);
}

static void
pd_entry_row_finalize (GObject *object)
{
  PdEntryRow *self = PD_ENTRY_ROW (object);

  g_free (self->applied_text);
  g_free (self->error);
  g_free (self->note);
  G_OBJECT_CLASS (pd_entry_row_parent_class)->finalize (object);
}

static void
pd_entry_row_class_init (PdEntryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pd_entry_row_get_property;
  object_class->set_property = pd_entry_row_set_property;
  object_class->dispose = pd_entry_row_dispose;
  object_class->finalize = pd_entry_row_finalize;
  widget_class->grab_focus = pd_entry_row_grab_focus;
  widget_class->focus = pd_entry_row_focus;

  properties[PROP_SHOW_APPLY_BUTTON] =
    g_param_spec_boolean ("show-apply-button", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_editable_install_properties (object_class, N_PROPS);

  /* The user asked to use the text: the Apply button or Enter after a change. */
  signals[APPLY] = g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Enter in the text, changed or not. */
  signals[ENTRY_ACTIVATED] = g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  pd_app_util_set_template (widget_class, "pd-entry-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdEntryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdEntryRow, entry);
  gtk_widget_class_bind_template_child (widget_class, PdEntryRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdEntryRow, suffixes);
  gtk_widget_class_bind_template_child (widget_class, PdEntryRow, apply_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_clicked);
}

static void
pd_entry_row_init (PdEntryRow *self)
{
  GtkGesture *press = gtk_gesture_click_new ();

  /* Empty, as the entry starts: typing something and deleting it leaves nothing to apply. */
  self->applied_text = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_init_delegate (GTK_EDITABLE (self));
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self, "notify::title", G_CALLBACK (on_title_changed), self);
  g_signal_connect_swapped (press, "released", G_CALLBACK (on_title_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->title_label), GTK_EVENT_CONTROLLER (press));
}

GtkWidget *
pd_entry_row_new (void)
{
  return g_object_new (PD_TYPE_ENTRY_ROW, NULL);
}
