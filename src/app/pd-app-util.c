/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-app-util.c — small helpers shared by the editor and the dialogs. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "core/pd-text.h"
#include "pd-app-util-private.h"
#include "pd-entry-row.h"

void
pd_app_util_set_template (GtkWidgetClass *widget_class,
                          const char     *ui_file)
{
  g_autofree char *path = g_strconcat (PD_APP_RESOURCE_PATH "/", ui_file, NULL);

  gtk_widget_class_set_template_from_resource (widget_class, path);
}

void
pd_app_util_copy_text (GtkWidget  *widget,
                       const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text != NULL ? text : "");
}

static void
on_error_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (response, "copy") != 0)
    return;
  text = g_strdup_printf ("%s\n%s", adw_message_dialog_get_heading (dialog),
                          adw_message_dialog_get_body (dialog));
  pd_app_util_copy_text (GTK_WIDGET (dialog), text);
}

GtkWidget *
pd_app_util_show_error_dialog (GtkWindow  *parent,
                               const char *heading,
                               const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, message);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "copy", _("C_opy Details"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_dialog_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

GtkWidget *
pd_app_util_new_message (GtkWindow  *parent,
                         const char *heading,
                         const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  return dialog;
}

GtkWidget *
pd_app_util_new_question (GtkWindow           *parent,
                          const char          *heading,
                          const char          *body,
                          const PdAppQuestion *answers)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);
  AdwMessageDialog *question = ADW_MESSAGE_DIALOG (dialog);

  adw_message_dialog_add_responses (question, answers->cancel_id, answers->cancel_label,
                                    answers->action_id, answers->action_label, NULL);
  adw_message_dialog_set_response_appearance (question, answers->action_id, answers->appearance);
  adw_message_dialog_set_default_response (question, answers->action_is_default
                                                       ? answers->action_id
                                                       : answers->cancel_id);
  adw_message_dialog_set_close_response (question, answers->cancel_id);
  return dialog;
}

static void
on_copy_clicked (GtkButton *button,
                 gpointer   user_data)
{
  pd_app_util_copy_text (GTK_WIDGET (button),
                         g_object_get_data (G_OBJECT (button), "copy-text"));
}

void
pd_app_util_set_row_text (AdwActionRow *row,
                          const char   *title,
                          const char   *subtitle)
{
  g_autofree char *shown_title = pd_text_for_label (title);
  g_autofree char *shown_subtitle = pd_text_for_label (subtitle);

  /* Titles are often user data (customer names, errors), never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown_title != NULL ? shown_title : "");
  adw_action_row_set_subtitle (row, shown_subtitle != NULL ? shown_subtitle : "");
}

GtkWidget *
pd_app_util_new_text_row (const char *title,
                          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  pd_app_util_set_row_text (ADW_ACTION_ROW (row), title, subtitle);
  /* Every line: a failed customer's reason was cut after three, with nothing to read the
   * rest by (at 360 px, in Finnish, nothing of it showed). */
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

void
pd_app_util_add_copy_button (GtkWidget  *row,
                             const char *text,
                             const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "copy-text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_copy_clicked), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

char *
pd_app_util_format_when (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  int days;

  if (when == NULL)
    return g_strdup (_("Never"));
  local = g_date_time_to_local (when);
  now = g_date_time_new_now_local ();
  days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (local);
  if (g_date_time_get_year (now) == g_date_time_get_year (local) && days == 0)
    /* Translators: %H:%M is a g_date_time_format() time, e.g. "Today at 14:02". */
    /* xgettext:no-c-format */
    return g_date_time_format (local, _("Today at %H:%M"));
  if (g_date_time_get_year (now) == g_date_time_get_year (local) && days == 1)
    /* xgettext:no-c-format */
    return g_date_time_format (local, _("Yesterday at %H:%M"));
  /* Translators: a g_date_time_format() date and time, e.g. "3 Nov 2026, 14:02" (%-d: the
   * day without padding). */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

char *
pd_app_util_format_day (GDateTime *when)
{
  if (when == NULL)
    return NULL;
  /* Translators: a g_date_time_format() day, e.g. "1 December 2026" (%-d: the day without
   * padding). */
  /* xgettext:no-c-format */
  return g_date_time_format (when, _("%-d %B %Y"));
}

void
pd_app_util_set_error (GtkWidget  *widget,
                       const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (PD_IS_ENTRY_ROW (widget))
    {
      pd_entry_row_set_error (PD_ENTRY_ROW (widget), message);
      return;
    }
  if (message != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, message);
  pd_app_util_set_accessible_description (widget, message);
}

static gboolean
strv_contains_casefold (GPtrArray  *items,
                        const char *item)
{
  for (guint i = 0; i < items->len; i++)
    if (g_utf8_collate (g_ptr_array_index (items, i), item) == 0
        || g_ascii_strcasecmp (g_ptr_array_index (items, i), item) == 0)
      return TRUE;
  return FALSE;
}

char **
pd_app_util_split_tags (const char *text)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]);

      if (*item != '\0' && !strv_contains_casefold (items, item))
        g_ptr_array_add (items, g_strdup (item));
    }
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&items), FALSE);
}

/* How many characters of a toast's title show at most, and at least when the pane is narrow
 * (fit_toast_title). */
#define TOAST_TITLE_CHARS 40
#define TOAST_TITLE_MIN_CHARS 12

static void on_toast_title_mapped (GtkWidget *title);

/* A toast's title: one line, ellipsized, the whole text in its tooltip; plain text shown as
 * pd_text_for_label shows untrusted text (titles name customers, quote Partner Center). */
static GtkWidget *
new_toast_title (const char *title)
{
  g_autofree char *shown = pd_text_for_label (title);
  GtkWidget *label = gtk_label_new (shown);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), TOAST_TITLE_CHARS);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_set_tooltip_text (label, shown);
  g_signal_connect (label, "map", G_CALLBACK (on_toast_title_mapped), NULL);
  return label;
}

AdwToast *
pd_app_util_new_toast (const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_custom_title (toast, new_toast_title (title));
  return toast;
}

/* libadwaita 1.2 (Debian 12's 1.2.2) frees a toast's state when its slide-out ends, while its
 * slide-in (up to half a second, longer while it waits behind another toast) may still run:
 * the slide-in's end then writes to freed memory, a crash in adw_animation_skip. It struck
 * when a toast was replaced or dismissed right after it appeared (the editor's toast at each
 * save). So a toast still up is changed in place rather than replaced, and a dismissal waits
 * until the toast has surely slid in. */
#define TOAST_SETTLED_US (1500 * G_TIME_SPAN_MILLISECOND)
#define TOAST_ADDED_KEY "pd-toast-added"
#define TOAST_DISMISSED_KEY "pd-toast-dismissed"

static void
mark_toast_dismissed (AdwToast *toast)
{
  g_object_set_data (G_OBJECT (toast), TOAST_DISMISSED_KEY, GINT_TO_POINTER (TRUE));
}

static gboolean
toast_is_up (AdwToast *toast)
{
  return toast != NULL && g_object_get_data (G_OBJECT (toast), TOAST_DISMISSED_KEY) == NULL;
}

static AdwToast *
new_tracked_toast (const char *title)
{
  AdwToast *toast = pd_app_util_new_toast (title);

  g_object_set_data_full (G_OBJECT (toast), TOAST_ADDED_KEY,
                          g_memdup2 (&(gint64) { g_get_monotonic_time () }, sizeof (gint64)),
                          g_free);
  g_signal_connect (toast, "dismissed", G_CALLBACK (mark_toast_dismissed), NULL);
  return toast;
}

/* The title first: setting it drops the custom one. */
static void
set_toast_title (AdwToast   *toast,
                 const char *title)
{
  adw_toast_set_title (toast, title);
  adw_toast_set_custom_title (toast, new_toast_title (title));
}

/* Gives the focus to stack's visible button, else (its action stays off: offline, say) to the
 * next control after the stack, so that it never falls on an unnamed container. */
static void
focus_shown_button (GtkStack *stack)
{
  GtkWidget *shown = gtk_stack_get_visible_child (stack);

  if (shown == NULL || !gtk_widget_grab_focus (shown))
    gtk_widget_child_focus (gtk_widget_get_parent (GTK_WIDGET (stack)), GTK_DIR_TAB_FORWARD);
}

static gboolean
focus_shown_button_later (gpointer stack)
{
  GtkRoot *root = gtk_widget_get_root (stack);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Unless the user has moved the keyboard since (or the stack is gone): GTK leaves it on
   * nothing, or on a container above the button that went. */
  if (root != NULL && (focus == NULL || gtk_widget_is_ancestor (focus, stack)
                       || gtk_widget_is_ancestor (stack, focus)))
    focus_shown_button (stack);
  return G_SOURCE_REMOVE;
}

void
pd_app_util_switch_buttons (GtkStack   *stack,
                            const char *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (stack));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean had_focus = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (stack));
  GtkWidget *shown;

  gtk_stack_set_visible_child_name (stack, name);
  shown = gtk_stack_get_visible_child (stack);
  if (had_focus && shown != NULL && !gtk_widget_grab_focus (shown))
    /* Its action is not enabled yet (the window enables it once the session's change is
     * told): in a moment, to whichever button the stack shows then. */
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_shown_button_later, g_object_ref (stack),
                     g_object_unref);
}

static int
natural_width (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

/* A toast wider than the pane it shows in widened the pane: a window gives a side pane its
 * natural width, and a toast's counts (the editor's toasts took the list beside it from 744 to
 * 601 px). So the title shows fewer characters until the overlay is no wider than it is, or
 * than its child asks (the rest is in the title's tooltip). */
static void
fit_toast_title (AdwToastOverlay *overlay,
                 GtkLabel        *title)
{
  GtkWidget *child = adw_toast_overlay_get_child (overlay);
  int room = gtk_widget_get_width (GTK_WIDGET (overlay));
  int chars = TOAST_TITLE_CHARS;

  if (room <= 0)
    return;
  if (child != NULL)
    room = MAX (room, natural_width (child));
  while (chars > TOAST_TITLE_MIN_CHARS && natural_width (GTK_WIDGET (overlay)) > room)
    {
      chars = MAX (chars - 4, TOAST_TITLE_MIN_CHARS);
      gtk_label_set_max_width_chars (title, chars);
    }
}

/* The close button of a toast: an icon, which GTK 4.8 names after its image ("GtkImage"). */
static void
name_toast_buttons (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) == NULL
      && gtk_button_get_icon_name (GTK_BUTTON (root)) != NULL)
    /* Translators: the accessible name of a notification's close button */
    pd_app_util_set_accessible_name (root, _("Close notification"));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_toast_buttons (child);
}

/* A toast shown (its title label mapped): its buttons named, its title fitted to the overlay,
 * which holds it now. */
static void
settle_shown_toast (GtkLabel *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (title), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *toast_widget = GTK_WIDGET (title);

  if (overlay == NULL || !gtk_widget_get_mapped (toast_widget))
    return;
  /* The toast's widget is the overlay's child that holds the title. */
  while (gtk_widget_get_parent (toast_widget) != overlay)
    toast_widget = gtk_widget_get_parent (toast_widget);
  pd_app_util_fix_accessible_names (toast_widget);
  name_toast_buttons (toast_widget);
  fit_toast_title (ADW_TOAST_OVERLAY (overlay), title);
}

static gboolean
settle_shown_toast_later (gpointer title)
{
  settle_shown_toast (title);
  return G_SOURCE_REMOVE;
}

/* A toast queued behind another gets its widget only when it shows: settled then (not from
 * within the map: the overlay may be in the middle of its layout). */
static void
on_toast_title_mapped (GtkWidget *title)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, settle_shown_toast_later, g_object_ref (title),
                   g_object_unref);
}

void
pd_app_util_add_toast (AdwToastOverlay *overlay,
                       AdwToast        *toast)
{
  GtkWidget *title = adw_toast_get_custom_title (toast);

  adw_toast_overlay_add_toast (overlay, toast);
  /* Shown at once: settled now, before anyone reads it (a queued one: when it shows). */
  if (GTK_IS_LABEL (title))
    settle_shown_toast (GTK_LABEL (title));
}

static AdwToastOverlay *
find_toast_overlay (GtkWidget *root)
{
  if (ADW_IS_TOAST_OVERLAY (root))
    return ADW_TOAST_OVERLAY (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *found = find_toast_overlay (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
pd_app_util_add_toast_to_preferences (AdwPreferencesWindow *window,
                                      AdwToast             *toast)
{
  AdwToastOverlay *overlay = find_toast_overlay (GTK_WIDGET (window));

  if (overlay != NULL)
    pd_app_util_add_toast (overlay, toast);
  else
    adw_preferences_window_add_toast (window, toast);
}

AdwToast *
pd_app_util_show_toast_in (AdwToastOverlay  *overlay,
                           AdwToast        **slot,
                           const char       *title,
                           const char       *button_label,
                           const char       *action_name)
{
  AdwToast *toast = *slot;

  if (toast_is_up (toast))
    {
      set_toast_title (toast, title);
      /* Adding a toast that is up restarts its timeout, and gives the reference back. */
      g_object_ref (toast);
    }
  else
    {
      toast = new_tracked_toast (title);
      g_set_weak_pointer (slot, toast);
    }
  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  pd_app_util_add_toast (overlay, toast);
  return toast;
}

static gboolean
dismiss_settled_toast (gpointer toast)
{
  adw_toast_dismiss (toast);
  return G_SOURCE_REMOVE;
}

void
pd_app_util_dismiss_toast (AdwToast **slot)
{
  AdwToast *toast = *slot;
  gint64 *added;
  gint64 wait_us;

  g_clear_weak_pointer (slot);
  if (!toast_is_up (toast))
    return;
  mark_toast_dismissed (toast);
  adw_toast_set_button_label (toast, NULL);
  adw_toast_set_action_name (toast, NULL);
  added = g_object_get_data (G_OBJECT (toast), TOAST_ADDED_KEY);
  wait_us = added != NULL ? *added + TOAST_SETTLED_US - g_get_monotonic_time () : 0;
  if (wait_us <= 0)
    adw_toast_dismiss (toast);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, wait_us / 1000 + 1, dismiss_settled_toast,
                        g_object_ref (toast), g_object_unref);
}

static gboolean
is_list_field (const char *what)
{
  const char *lists[] = { "segments", "loginOptions", "login-options" };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (g_str_equal (what, lists[i]))
      return TRUE;
  return FALSE;
}

char *
pd_app_util_dup_history_value (const char *what,
                               const char *value)
{
  PdOrgStatus status;

  if (value == NULL || *value == '\0')
    return g_strdup (_("(empty)"));
  if (what == NULL)
    return g_strdup (value);
  if (g_str_equal (what, "status") && pd_org_status_from_string (value, &status))
    return g_strdup (pd_org_status_label (status));
  if (is_list_field (what))
    {
      g_auto(GStrv) items = pd_app_util_split_tags (value);

      return g_strjoinv (", ", items);
    }
  if ((g_str_equal (what, "country") || g_str_equal (what, "billTo.address.country"))
      && pd_country_code_is_valid (value))
    /* Translators: a country in the history: its name, then its ISO code, e.g. "Germany (DE)" */
    return g_strdup_printf (_("%s (%s)"), pd_country_name (value), value);
  if (g_str_has_prefix (what, "removed") && (g_str_equal (value, "true")
                                             || g_str_equal (value, "false")))
    return g_strdup (g_str_equal (value, "true") ? _("Yes") : _("No"));
  return g_strdup (value);
}

char *
pd_app_util_dup_partner_tenant_id (PdSession *session)
{
  PdAuth *auth = pd_session_get_auth (session);
  PdStore *store = pd_session_get_store (session);
  const char *from_auth = auth != NULL ? pd_auth_get_tenant_id (auth) : NULL;
  g_autofree char *from_store = NULL;

  if (from_auth != NULL && *from_auth != '\0')
    return g_strdup (from_auth);
  if (store != NULL)
    from_store = pd_store_get_meta (store, "partner-tenant-id");
  if (from_store != NULL && *from_store != '\0')
    return g_steal_pointer (&from_store);
  return NULL;
}

gboolean
pd_app_util_has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

void
pd_app_util_list_box_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

char *
pd_app_util_build_mailto (const char *subject,
                          const char *body)
{
  g_autofree char *escaped_subject = g_uri_escape_string (subject != NULL ? subject : "", NULL,
                                                          FALSE);
  g_autofree char *escaped_body = g_uri_escape_string (body != NULL ? body : "", NULL, FALSE);

  return g_strdup_printf ("mailto:?subject=%s&body=%s", escaped_subject, escaped_body);
}

void
pd_app_util_set_editable_label (GtkEditable *editable,
                                const char  *label)
{
  GtkEditable *delegate;

  g_return_if_fail (GTK_IS_EDITABLE (editable));

  pd_app_util_set_accessible_name (GTK_WIDGET (editable), label);
  delegate = gtk_editable_get_delegate (editable);
  if (delegate != NULL && delegate != editable)
    pd_app_util_set_accessible_name (GTK_WIDGET (delegate), label);
}

void
pd_app_util_set_accessible_description (GtkWidget  *widget,
                                        const char *description)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

void
pd_app_util_set_accessible_name (GtkWidget  *widget,
                                 const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* GTK 4.8 reads the label property and then every labelled-by label: with both, a screen
   * reader says the name twice ("City City"). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

void
pd_app_util_set_button_name (GtkWidget  *widget,
                             const char *name)
{
  GtkWidget *inner = gtk_widget_get_first_child (widget);

  pd_app_util_set_accessible_name (widget, name);
  if (GTK_IS_BUTTON (inner))
    pd_app_util_set_accessible_name (inner, name);
}

/* A mnemonic button's name: its label as shown, without the underscore. */
static void
name_mnemonic_button (GtkButton *button)
{
  GtkWidget *child = gtk_button_get_child (button);

  if (GTK_IS_LABEL (child))
    pd_app_util_set_accessible_name (GTK_WIDGET (button), gtk_label_get_text (GTK_LABEL (child)));
}

/* A mnemonic check button's name: its label as shown (the GtkLabel inside it). */
static void
name_mnemonic_check (GtkCheckButton *check)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (check)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      pd_app_util_set_accessible_name (GTK_WIDGET (check), gtk_label_get_text (GTK_LABEL (child)));
}

void
pd_app_util_fix_accessible_names (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root))
           && gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    {
      name_mnemonic_button (GTK_BUTTON (root));
      /* GtkButton gives a new label to assistive technology as it is, underscore included. */
      g_signal_handlers_disconnect_by_func (root, name_mnemonic_button, NULL);
      g_signal_connect_after (root, "notify::label", G_CALLBACK (name_mnemonic_button), NULL);
    }
  else if (GTK_IS_CHECK_BUTTON (root) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (root))
           && gtk_check_button_get_label (GTK_CHECK_BUTTON (root)) != NULL)
    /* Read with its underscore too ("It is a _different customer"). */
    name_mnemonic_check (GTK_CHECK_BUTTON (root));
  else if (GTK_IS_COLUMN_VIEW (root))
    {
      /* The header row, which GTK 4.8 leaves to be read as "GtkListItemWidget". */
      GtkWidget *header = gtk_widget_get_first_child (root);

      if (header != NULL
          && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (header)) == GTK_ACCESSIBLE_ROLE_ROW)
        /* Translators: the header row of a table, as a screen reader reads it */
        pd_app_util_set_accessible_name (header, _("Column headers"));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    pd_app_util_fix_accessible_names (child);
}

static void
setup_combo_item (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_combo_item (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (list_item));

  gtk_label_set_label (GTK_LABEL (label), text);
  pd_app_util_set_list_row_name (label, text);
}

void
pd_app_util_name_combo_items (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_combo_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_combo_item), NULL);
  adw_combo_row_set_factory (row, factory);
}

void
pd_app_util_set_list_row_name (GtkWidget  *child,
                               const char *name)
{
  /* GTK 4.8 gives GtkListItem no accessible properties (4.12 does): name the row widget that
   * holds the item's child (a list item, or a column view's row above the cell). */
  for (GtkWidget *w = gtk_widget_get_parent (child); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w));

      if (GTK_IS_LIST_VIEW (w) || GTK_IS_COLUMN_VIEW (w))
        return;
      if (role == GTK_ACCESSIBLE_ROLE_ROW || role == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          name, -1);
          return;
        }
    }
}

char *
pd_app_util_format_ago (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan span;
  gulong n;

  if (when == NULL)
    return g_strdup (_("never"));
  span = MAX (g_date_time_difference (now, when), 0);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  /* %lu, not G_GINT64_FORMAT: xgettext cannot see through a macro in a message. */
  if (span < G_TIME_SPAN_HOUR)
    {
      n = (gulong) (span / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu minute ago", "%lu minutes ago",
                                           n), n);
    }
  if (span < G_TIME_SPAN_DAY)
    {
      n = (gulong) (span / G_TIME_SPAN_HOUR);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu hour ago", "%lu hours ago", n),
                              n);
    }
  n = (gulong) (span / G_TIME_SPAN_DAY);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu day ago", "%lu days ago", n), n);
}

char *
pd_app_util_dup_bill_to_read_text (PdOrganization *org)
{
  return pd_app_util_format_bill_to_read (pd_organization_get_bill_to_state (org),
                                          pd_organization_get_bill_to_read_error (org),
                                          pd_organization_get_bill_to_read_at (org));
}

char *
pd_app_util_format_bill_to_read (PdBillToState  state,
                                 const char    *reason,
                                 GDateTime     *read_at)
{
  g_autofree char *ago = NULL;

  if (state == PD_BILL_TO_STATE_NOT_READ)
    return g_strdup (_("Bill-to not read yet: Partner Center listed this customer, and a sync "
                       "reads its bill-to after the list."));
  if (state == PD_BILL_TO_STATE_UNREADABLE)
    return g_strdup_printf (_("Bill-to not readable: %s. The next sync tries again."), reason);
  if (!pd_bill_to_state_is_stale (state, reason))
    return NULL;
  ago = pd_app_util_format_ago (read_at);
  return g_strdup_printf (_("Last read %s; the latest read failed: %s. The next sync tries "
                            "again."), ago, reason);
}

char *
pd_app_util_dup_picker_name (GtkWidget  *row,
                             const char *value)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

  /* Translators: a picker as a screen reader reads it: its title, then the value chosen
   * ("Preferred currency, EUR") */
  return g_strdup_printf (_("%s, %s"), title != NULL ? title : "", value);
}
