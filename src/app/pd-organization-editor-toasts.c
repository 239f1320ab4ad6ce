/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-editor-toasts.c — the editor's toasts, and the field being typed in kept
 * where the user is looking: clear of the toasts, and still when something appears above it. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-organization-editor-private.h"

/* ---- keeping the field being typed in where it is ---- */

/* Toasts show over the bottom of the pane: the field being typed in (the notes, often) is
 * scrolled above them (the pane's bottom margin leaves room to). */
#define TOAST_CLEARANCE 96

static GtkWidget *
focus_in_pane (PdOrganizationEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->scroller)) ? focus
                                                                                        : NULL;
}

static gboolean
y_in_scroller (PdOrganizationEditor *self,
               GtkWidget            *widget,
               double               *out_y)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (widget, GTK_WIDGET (self->scroller),
                                 &GRAPHENE_POINT_INIT (0, 0), &point))
    return FALSE;
  *out_y = point.y;
  return TRUE;
}

/* How far the focused field, moved by shift, reaches into the toasts' strip (0: not). */
static double
toast_overlap (PdOrganizationEditor *self,
               double                shift)
{
  GtkWidget *focus = focus_in_pane (self);
  double y;

  if (focus == NULL || !y_in_scroller (self, focus, &y))
    return 0;
  return MAX (0, y - shift + gtk_widget_get_height (focus)
                 - (gtk_widget_get_height (GTK_WIDGET (self->scroller)) - TOAST_CLEARANCE));
}

/* After a layout: the anchored field back where it was, then clear of the toasts. */
static void
on_pane_layout (GdkFrameClock        *clock,
                PdOrganizationEditor *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double shift = 0;
  double y;

  g_clear_signal_handler (&self->layout_handler, clock);
  if (self->anchor != NULL && y_in_scroller (self, self->anchor, &y))
    shift = y - self->anchor_y;
  if (self->clear_of_toasts)
    shift += toast_overlap (self, shift);
  self->clear_of_toasts = FALSE;
  g_clear_weak_pointer (&self->anchor);
  if (shift != 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + shift);
}

static void
watch_next_layout (PdOrganizationEditor *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL || self->layout_handler != 0)
    return;
  self->layout_handler = g_signal_connect_object (clock, "layout", G_CALLBACK (on_pane_layout),
                                                  self, G_CONNECT_AFTER);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
}

/* What appears or goes above the focused field (the local-edit card, a line of the missing
 * list) must not move it under the user's cursor: after the next layout, the pane scrolls by
 * as much as the field moved. Called before that layout, while the allocations are the old
 * ones. */
void
_pd_organization_editor_hold_focus_still (PdOrganizationEditor *self)
{
  GtkWidget *focus = focus_in_pane (self);

  if (self->anchor != NULL || focus == NULL || !y_in_scroller (self, focus, &self->anchor_y))
    return;
  g_set_weak_pointer (&self->anchor, focus);
  watch_next_layout (self);
}

static void
keep_focus_above_toasts (PdOrganizationEditor *self)
{
  self->clear_of_toasts = TRUE;
  watch_next_layout (self);
}

/* ---- toasts ---- */

void
_pd_organization_editor_show_toast (PdOrganizationEditor *self,
                                    const char           *title,
                                    gboolean              with_undo)
{
  pd_app_util_show_toast_in (self->toast_overlay, &self->toast, title,
                             with_undo ? _("_Undo") : NULL, with_undo ? "win.undo" : NULL);
  keep_focus_above_toasts (self);
}

