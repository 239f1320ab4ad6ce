/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-app-util.h — small helpers shared by the editor and the dialogs (clipboard, dates,
 * row errors, tags, the partner tenant id). Not a type: plain functions. */
#pragma once

#include <adwaita.h>

#include "core/pd-organization.h"
#include "pd-session.h"

G_BEGIN_DECLS

/* Where the app's gresource puts its files (templates, style, icons). */
#define PD_APP_RESOURCE_PATH "/io/github/partnerdesk/PartnerDesk"

/* Sets the template of widget_class from the app's gresource: ui_file is "pd-thing.ui". */
void      pd_app_util_set_template         (GtkWidgetClass *widget_class,
                                            const char     *ui_file);
/* Puts text on the widget's clipboard. */
void      pd_app_util_copy_text            (GtkWidget   *widget,
                                            const char  *text);
/* A message dialog for a Partner Center error over parent: Close, and Copy Details, which puts
 * heading and message (with the correlation and request IDs Microsoft support asks for) on the
 * clipboard. Returns the dialog, presented. (transfer none) */
GtkWidget *pd_app_util_show_error_dialog   (GtkWindow   *parent,
                                            const char  *heading,
                                            const char  *message);
/* A message dialog over parent that tells heading (body) and offers only Close, not yet
 * presented. (transfer none): GTK holds it until it is destroyed. */
GtkWidget *pd_app_util_new_message         (GtkWindow   *parent,
                                            const char  *heading,
                                            const char  *body);
/* The two answers of a question: cancel (also what Escape and closing the dialog answer), then
 * action, which looks as appearance says; Enter answers action if action_is_default. */
typedef struct
{
  const char            *cancel_id;
  const char            *cancel_label;
  const char            *action_id;
  const char            *action_label;
  AdwResponseAppearance  appearance;
  gboolean               action_is_default;
} PdAppQuestion;

/* A message dialog over parent that asks heading (body) with answers, not yet presented:
 * connect "response" first. (transfer none): GTK holds it until it is destroyed. */
GtkWidget *pd_app_util_new_question        (GtkWindow           *parent,
                                            const char          *heading,
                                            const char          *body,
                                            const PdAppQuestion *answers);
/* An AdwActionRow showing title and subtitle (may be NULL) as pd_app_util_set_row_text does,
 * every line of the subtitle. (transfer floating) */
GtkWidget *pd_app_util_new_text_row        (const char  *title,
                                            const char  *subtitle);
/* Shows title and subtitle (NULL: none) on row as plain text: never markup, and as
 * pd_text_for_label shows untrusted text (a row shows a customer's name, Partner Center's
 * values or reasons: a bidi override in a name would reverse the rest of the line). */
void      pd_app_util_set_row_text         (AdwActionRow *row,
                                            const char   *title,
                                            const char   *subtitle);
/* A suffix button on row that copies text (an error with its IDs); name is its accessible
 * label. */
void      pd_app_util_add_copy_button      (GtkWidget   *row,
                                            const char  *text,
                                            const char  *name);
/* "Today at 14:02", "Yesterday at 09:10" or "3 Nov 2026, 14:02"; "Never" for NULL.
 * (transfer full) */
char     *pd_app_util_format_when          (GDateTime   *when);
/* "just now", "5 minutes ago", "3 hours ago", "3 days ago"; "never" for NULL. (transfer full) */
char     *pd_app_util_format_ago           (GDateTime   *when);
/* What the list and the editor say of a bill-to Partner Center could not be read: "Bill-to
 * not readable: <reason>" for one never read; "Last read 3 days ago; the latest read failed:
 * <reason>" for one kept from an earlier read; NULL when the latest read succeeded.
 * (transfer full) (nullable) */
char     *pd_app_util_dup_bill_to_read_text (PdOrganization *org);
/* The same from the values (a packed list row keeps no organization). (transfer full)
 * (nullable) */
char     *pd_app_util_format_bill_to_read  (PdBillToState  state,
                                            const char    *reason,
                                            GDateTime     *read_at);
/* "1 December 2026" for the first of a month (currency effective dates). (transfer full) */
char     *pd_app_util_format_day           (GDateTime   *when);
/* Marks a widget invalid or valid (message NULL): red (css class "error"), message in its
 * tooltip and accessible description, and under the field of a PdEntryRow. */
void      pd_app_util_set_error            (GtkWidget   *widget,
                                            const char  *message);
/* "a, b, c" → {"a", "b", "c"}: trims, drops empty items and case-insensitive repeats.
 * (transfer full) */
char    **pd_app_util_split_tags           (const char  *text);
/* A toast whose title never widens what it covers: one line, ellipsized (the whole text in
 * its tooltip). (transfer full) */
AdwToast *pd_app_util_new_toast            (const char  *title);
/* Shows stack's page name, a button that takes another's place (Sync Now and Cancel Sync):
 * the keyboard on the one going moves to it, also when its action is enabled only a moment
 * later (before, it fell on an unnamed scrolled window, which a screen reader read as
 * nothing). */
void      pd_app_util_switch_buttons       (GtkStack        *stack,
                                            const char      *name);
/* Adds toast (transfer full) to overlay as every toast of the app shows: its title no wider
 * than the pane, its buttons named for assistive technology (libadwaita 1.2 gives the close
 * button no name, and the action button's mnemonic label with its underscore). */
void      pd_app_util_add_toast            (AdwToastOverlay *overlay,
                                            AdwToast        *toast);
/* pd_app_util_add_toast over a preferences window (its overlay is its own). */
void      pd_app_util_add_toast_to_preferences (AdwPreferencesWindow *window,
                                                AdwToast             *toast);
/* Shows title over overlay in the toast *slot holds while that one is up (changed in place,
 * its timeout restarted), else in a new toast that *slot then holds (weakly). button_label
 * and action_name: its button, or NULL for none. Never replace or dismiss a toast by hand
 * right after it appeared: libadwaita 1.2 crashes (pd-app-util.c). (transfer none) */
AdwToast *pd_app_util_show_toast_in        (AdwToastOverlay  *overlay,
                                            AdwToast        **slot,
                                            const char       *title,
                                            const char       *button_label,
                                            const char       *action_name);
/* Takes down the toast *slot holds: its button goes at once, the toast once it has surely
 * appeared. *slot is cleared. */
void      pd_app_util_dismiss_toast        (AdwToast        **slot);
/* A stored history value as the user reads it: labels for status and yes/no, lists joined
 * with ", ", country names beside their codes; "(empty)" for nothing. (transfer full) */
char     *pd_app_util_dup_history_value    (const char  *what,
                                            const char  *value);
/* The partner's own tenant id: from the signed-in account, else the cache (meta
 * "partner-tenant-id"); NULL when neither knows it. (transfer full) (nullable) */
char     *pd_app_util_dup_partner_tenant_id (PdSession  *session);
/* "mailto:?subject=…&body=…" with both parts percent-escaped (links survive mail clients).
 * (transfer full) */
char     *pd_app_util_build_mailto         (const char  *subject,
                                            const char  *body);
/* Gives an editable (and the GtkText inside it, which is what takes focus) an accessible
 * name. */
void      pd_app_util_set_editable_label   (GtkEditable *editable,
                                            const char  *label);
/* Gives widget exactly one accessible name (GTK 4.8 joins the label property with every
 * labelled-by label: "City City"). */
void      pd_app_util_set_accessible_name  (GtkWidget   *widget,
                                            const char  *name);
/* What a screen reader says after the name and role; NULL: nothing. */
void      pd_app_util_set_accessible_description (GtkWidget  *widget,
                                                  const char *description);
/* Names a menu button or a drop-down and the button inside it, which is what takes the focus:
 * GTK 4.8 exposes that one on its own (a drop-down's is read as its type), and a screen reader
 * kept its first name when only the outer one was renamed. */
void      pd_app_util_set_button_name      (GtkWidget   *widget,
                                            const char  *name);
/* One name for each control under root that GTK 4.8 and libadwaita 1.2 name twice: every
 * mnemonic button ("_Approve" read as "_Approve Approve"; now "Approve", also after a new
 * label) and a column view's header row. Call after init_template. */
void      pd_app_util_fix_accessible_names (GtkWidget   *root);
/* "Preferred currency, EUR": how a picker row (title, chosen value) is named. (transfer full) */
char     *pd_app_util_dup_picker_name      (GtkWidget   *row,
                                            const char  *value);
/* Shows the strings of row's model (GtkStringObject items) with each of its items named for
 * assistive technology, the value shown and the popover's (GTK 4.8 leaves list items
 * unnamed: a screen reader read an empty item). Call before setting the model. */
void      pd_app_util_name_combo_items     (AdwComboRow *row);
/* Names the list row (GtkListView item or GtkColumnView row) that shows child. */
void      pd_app_util_set_list_row_name    (GtkWidget   *child,
                                            const char  *name);
/* Removes every child of a GtkListBox. */
void      pd_app_util_list_box_clear       (GtkListBox  *list);

G_END_DECLS
