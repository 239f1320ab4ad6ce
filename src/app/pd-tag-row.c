/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-tag-row.c — a list row editing a short list of tags as removable pills. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-tag-row-private.h"

struct _PdTagRow
{
  AdwPreferencesRow parent_instance;

  GtkLabel   *title_label;
  GtkFlowBox *flow_box;
  GtkEntry   *entry;
  GtkButton  *add_button;

  GPtrArray  *tags;  /* char*, in display order */
};

G_DEFINE_FINAL_TYPE (PdTagRow, pd_tag_row, ADW_TYPE_PREFERENCES_ROW)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void rebuild_pills (PdTagRow *self);

static void
on_remove_clicked (GtkButton *button,
                   PdTagRow  *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "tag");

  for (guint i = 0; i < self->tags->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->tags, i), tag) == 0)
      {
        g_ptr_array_remove_index (self->tags, i);
        break;
      }
  rebuild_pills (self);
  /* The removed pill had focus: keep the keyboard user in the row. */
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
create_pill (PdTagRow   *self,
             const char *tag)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (tag);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), tag);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_object_set_data_full (G_OBJECT (remove), "tag", g_strdup (tag), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), remove);
  return box;
}

static void
rebuild_pills (PdTagRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box))) != NULL)
    gtk_flow_box_remove (self->flow_box, child);
  for (guint i = 0; i < self->tags->len; i++)
    {
      GtkWidget *pill = create_pill (self, g_ptr_array_index (self->tags, i));

      gtk_flow_box_append (self->flow_box, pill);
      /* The box's own child took a Tab stop of its own, nameless, before each Remove button. */
      gtk_widget_set_focusable (gtk_widget_get_parent (pill), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->flow_box), self->tags->len > 0);
}

static gboolean
has_tag (PdTagRow   *self,
         const char *tag)
{
  for (guint i = 0; i < self->tags->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->tags, i), tag) == 0)
      return TRUE;
  return FALSE;
}

void
pd_tag_row_add_tag (PdTagRow   *self,
                    const char *tag)
{
  g_auto(GStrv) parts = NULL;
  gboolean added = FALSE;

  g_return_if_fail (PD_IS_TAG_ROW (self));

  /* A pasted "a, b" adds two tags, as the comma-separated store format would. */
  parts = pd_app_util_split_tags (tag);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!has_tag (self, parts[i]))
      {
        g_ptr_array_add (self->tags, g_strdup (parts[i]));
        added = TRUE;
      }
  if (!added)
    return;
  rebuild_pills (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
pd_tag_row_commit_entry (PdTagRow *self)
{
  g_autofree char *text = NULL;
  guint before;

  g_return_val_if_fail (PD_IS_TAG_ROW (self), FALSE);
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  if (*g_strstrip (text) == '\0')
    return FALSE;
  before = self->tags->len;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  pd_tag_row_add_tag (self, text);
  return self->tags->len > before;
}

static void
on_entry_activate (PdTagRow *self)
{
  pd_tag_row_commit_entry (self);
}

void
pd_tag_row_set_tags (PdTagRow           *self,
                     const char * const *tags)
{
  g_return_if_fail (PD_IS_TAG_ROW (self));

  g_ptr_array_set_size (self->tags, 0);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    if (*tags[i] != '\0' && !has_tag (self, tags[i]))
      g_ptr_array_add (self->tags, g_strdup (tags[i]));
  rebuild_pills (self);
}

char **
pd_tag_row_dup_tags (PdTagRow *self)
{
  char **strv;

  g_return_val_if_fail (PD_IS_TAG_ROW (self), NULL);

  strv = g_new0 (char *, self->tags->len + 1);
  for (guint i = 0; i < self->tags->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (self->tags, i));
  return strv;
}

static void
on_title_changed (PdTagRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  /* Translators: accessible name of the entry that adds a tag, e.g. "Add to Segments". */
  g_autofree char *label = g_strdup_printf (_("Add to %s"), title);

  gtk_label_set_label (self->title_label, title);
  pd_app_util_set_accessible_name (GTK_WIDGET (self), title);
  gtk_entry_set_placeholder_text (self->entry, _("Type and press Enter to add"));
  pd_app_util_set_editable_label (GTK_EDITABLE (self->entry), label);
  /* "Add" alone did not say to which: Segments and Login options both had one. */
  pd_app_util_set_accessible_name (GTK_WIDGET (self->add_button), label);
}

static void
pd_tag_row_finalize (GObject *object)
{
  PdTagRow *self = PD_TAG_ROW (object);

  g_clear_pointer (&self->tags, g_ptr_array_unref);
  G_OBJECT_CLASS (pd_tag_row_parent_class)->finalize (object);
}

static void
pd_tag_row_class_init (PdTagRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pd_tag_row_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  pd_app_util_set_template (widget_class, "pd-tag-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTagRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdTagRow, flow_box);
  gtk_widget_class_bind_template_child (widget_class, PdTagRow, entry);
  gtk_widget_class_bind_template_child (widget_class, PdTagRow, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
}

static void
pd_tag_row_init (PdTagRow *self)
{
  self->tags = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self, "notify::title", G_CALLBACK (on_title_changed), self);
}

GtkWidget *
pd_tag_row_new (void)
{
  return g_object_new (PD_TYPE_TAG_ROW, NULL);
}
