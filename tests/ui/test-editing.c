/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-editing.c — editing in the real window: Ctrl+Z is one window-wide undo of saved
 * changes (the entries' own undo is off), it is in the Shortcuts window, the list follows
 * every save, a long toast does not widen the detail pane, a bill-to kept from an earlier
 * read claims nothing of now, and its age follows the clock. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "pd-bill-to-editor-private.h"
#include "pd-organization-editor-private.h"
#include "pd-test-util.h"
#include "ui-window-fixture.h"

static PdOrganizationEditor *
editor_of (WindowFixture *fixture)
{
  GtkWidget *editor = ui_find_widget (GTK_WIDGET (fixture->window), PD_TYPE_ORGANIZATION_EDITOR);

  g_assert_nonnull (editor);
  return PD_ORGANIZATION_EDITOR (editor);
}

static GtkWidget *
bill_to_row (WindowFixture *fixture,
             PdBillToField  field)
{
  GtkWidget *bill_to = ui_find_widget (GTK_WIDGET (editor_of (fixture)), PD_TYPE_BILL_TO_EDITOR);

  g_assert_nonnull (bill_to);
  return pd_bill_to_editor_get_row (PD_BILL_TO_EDITOR (bill_to), field);
}

static void
open_organization (WindowFixture *fixture,
                   gint64         id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-organization", "x", id));
  g_assert_cmpint (pd_organization_editor_get_organization_id (editor_of (fixture)), ==, id);
}

/* Types text at the end of editable as keys do (an insertion the entry could undo). */
static void
type_at_end (GtkWidget  *editable,
             const char *text)
{
  int position = (int) strlen (gtk_editable_get_text (GTK_EDITABLE (editable)));

  gtk_editable_insert_text (GTK_EDITABLE (editable), text, -1, &position);
}

static char *
stored_city (WindowFixture *fixture,
             gint64         id,
             gboolean      *out_overridden)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_get (fixture->store, id, &error);

  g_assert_no_error (error);
  *out_overridden = pd_organization_is_field_overridden (org, PD_BILL_TO_CITY);
  return g_strdup (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY));
}

/* Ctrl+Z reaches win.undo before the focused widget sees it (capture phase). */
static gboolean
has_capture_undo_shortcut (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller)
          || gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_z
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_CONTROL_MASK
              && GTK_IS_NAMED_ACTION (action)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                            "win.undo") == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The entry's own undo would blank what was typed and save the blank; the window's undo
 * restores the saved change, from the list as from the field. */
static void
test_undo_is_one_window_action (WindowFixture *fixture,
                                gconstpointer  data)
{
  GtkWidget *city;
  GtkWidget *text;
  g_autofree char *value = NULL;
  gboolean overridden;

  open_organization (fixture, fixture->contoso_id);
  city = bill_to_row (fixture, PD_BILL_TO_CITY);
  g_assert_true (gtk_widget_grab_focus (city));
  type_at_end (city, "er");
  text = ui_find_widget (city, GTK_TYPE_TEXT);
  g_assert_nonnull (text);
  gtk_widget_activate_action (text, "text.undo", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city)), ==, "Berliner");

  /* Enter saves at once. */
  g_signal_emit_by_name (city, "entry-activated");
  value = stored_city (fixture, fixture->contoso_id, &overridden);
  g_assert_cmpstr (value, ==, "Berliner");
  g_assert_true (overridden);

  g_assert_true (has_capture_undo_shortcut (GTK_WIDGET (fixture->window)));
  gtk_widget_grab_focus (GTK_WIDGET (window_fixture_list (fixture)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window_fixture_list (fixture)),
                                             "win.undo", NULL));
  g_clear_pointer (&value, g_free);
  value = stored_city (fixture, fixture->contoso_id, &overridden);
  g_assert_cmpstr (value, ==, "Berlin");
  g_assert_false (overridden);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city)), ==, "Berlin");
}

static void
test_undo_in_shortcuts_window (WindowFixture *fixture,
                               gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/partnerdesk/PartnerDesk/gtk/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  gboolean listed = FALSE;

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerator = NULL;

        g_object_get (l->data, "accelerator", &accelerator, NULL);
        listed |= g_strcmp0 (accelerator, "<Control>z") == 0;
      }
  g_assert_true (listed);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static gboolean
local_edits_counted (gpointer data)
{
  WindowFixture *fixture = data;

  return pd_organization_list_get_count (window_fixture_list (fixture), PD_FILTER_LOCAL_EDITS)
         == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->window), "expected"));
}

/* A save in the editor shows in the list's filter counts right away. */
static void
test_list_follows_saves (WindowFixture *fixture,
                         gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  guint before = pd_organization_list_get_count (list, PD_FILTER_LOCAL_EDITS);
  GtkWidget *city;

  open_organization (fixture, fixture->contoso_id);
  city = bill_to_row (fixture, PD_BILL_TO_CITY);
  gtk_editable_set_text (GTK_EDITABLE (city), "Hamburg");
  g_signal_emit_by_name (city, "entry-activated");
  g_object_set_data (G_OBJECT (fixture->window), "expected", GUINT_TO_POINTER (before + 1));
  g_assert_true (pd_test_wait_until (local_edits_counted, fixture, 2000));
}

/* A toast, however long its text, never makes the detail pane ask for more width. */
static void
test_long_toast_keeps_width (WindowFixture *fixture,
                             gconstpointer  data)
{
  GtkWidget *editor;
  g_autoptr(GString) title = g_string_new (NULL);
  int min_before, min_after;

  open_organization (fixture, fixture->contoso_id);
  editor = GTK_WIDGET (editor_of (fixture));
  gtk_widget_measure (editor, GTK_ORIENTATION_HORIZONTAL, -1, &min_before, NULL, NULL, NULL);
  for (guint i = 0; i < 20; i++)
    g_string_append (title, "ERP ID ERP-123456 is already used by Contoso Holdings ");
  g_assert_true (gtk_widget_activate_action (editor, "editor.show-toast", "s", title->str));
  gtk_widget_measure (editor, GTK_ORIENTATION_HORIZONTAL, -1, &min_after, NULL, NULL, NULL);
  g_assert_cmpint (min_after, <=, min_before);
}

/* A bill-to complete when last read, whose latest read failed, claims nothing of now: not
 * "Microsoft accepts orders", which Partner Center may no longer say. */
static void
test_stale_bill_to_claims_nothing (WindowFixture *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *editor;

  open_organization (fixture, fixture->contoso_id);
  editor = GTK_WIDGET (editor_of (fixture));
  g_assert_nonnull (ui_find_shown_label (editor, "Complete in Partner Center: Microsoft accepts orders"));
  g_assert_true (pd_store_set_bill_to_unreadable (fixture->store,
                                                  "11111111-1111-4111-8111-111111111111",
                                                  "Partner Center answered 503", &error));
  g_assert_no_error (error);
  open_organization (fixture, fixture->fabrikam_id);
  open_organization (fixture, fixture->contoso_id);
  g_assert_null (ui_find_shown_label (editor, "Complete in Partner Center: Microsoft accepts orders"));
  g_assert_nonnull (ui_find_shown_label (editor, "Complete as last read — the latest read "
                                                 "failed"));
}

/* Fabrikam lacked state and postal code when last read, and a local edit fills them: while
 * that read is the latest, the editor says Partner Center still lacks them. Once a later read
 * failed, it says only what was last read, and that whether orders are accepted now is not
 * known. Before, it still said Partner Center lacks them, as a fact of now. */
static void
test_stale_local_fill_claims_nothing (WindowFixture *fixture,
                                      gconstpointer  data)
{
  g_autoptr(PdOrganization) fabrikam = pd_store_get (fixture->store, fixture->fabrikam_id, NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *editor;

  g_assert_true (pd_store_set_bill_to_field (fixture->store, fixture->fabrikam_id,
                                             PD_BILL_TO_STATE, "WA", &error));
  g_assert_true (pd_store_set_bill_to_field (fixture->store, fixture->fabrikam_id,
                                             PD_BILL_TO_POSTAL_CODE, "98052", &error));
  g_assert_no_error (error);
  open_organization (fixture, fixture->fabrikam_id);
  editor = GTK_WIDGET (editor_of (fixture));
  g_assert_nonnull (ui_find_shown_label (editor, "Filled in locally — Partner Center still "
                                                 "lacks"));
  g_assert_true (pd_store_set_bill_to_unreadable (fixture->store,
                                                  pd_organization_get_tenant_id (fabrikam),
                                                  "Partner Center answered 503", &error));
  g_assert_no_error (error);
  open_organization (fixture, fixture->contoso_id);
  open_organization (fixture, fixture->fabrikam_id);
  g_assert_null (ui_find_shown_label (editor, "Filled in locally — Partner Center still lacks"));
  g_assert_nonnull (ui_find_shown_label (editor, "Filled in locally — Partner Center lacked"));
  g_assert_nonnull (ui_find_shown_label (editor, "Filled in locally — Partner Center lacked "
                                                 "State"));
}

/* The open pane's times age with the clock: "as last read just now" was still said an hour
 * later, the editor's texts being written only when it loaded. */
static void
test_read_time_ages_while_open (WindowFixture *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  PdOrganizationEditor *editor;
  sqlite3 *db = NULL;
  /* Five seconds to open it while it is still "just now", even under the sanitizers. */
  gint64 read_at = g_get_real_time () / G_USEC_PER_SEC - 55;

  g_assert_true (pd_store_set_bill_to_unreadable (fixture->store,
                                                  "11111111-1111-4111-8111-111111111111",
                                                  "Partner Center answered 503", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE organizations SET bill_to_read_at = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT, read_at, fixture->contoso_id);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  open_organization (fixture, fixture->fabrikam_id);
  open_organization (fixture, fixture->contoso_id);
  editor = editor_of (fixture);
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (editor), "Bill-to as last read just now"));
  g_assert_cmpuint (editor->clock_id, !=, 0);
  while (g_get_real_time () / G_USEC_PER_SEC < read_at + 61)
    g_usleep (G_USEC_PER_SEC / 4);
  /* What the minute clock runs. */
  _pd_organization_editor_refresh_times (editor);
  g_assert_null (ui_find_shown_label (GTK_WIDGET (editor), "Bill-to as last read just now"));
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (editor),
                                         "Bill-to as last read 1 minute ago"));
}

/* Litware, open with its account manager typed and not saved yet, is linked onto the synced
 * Contoso by another program (the CLI's link). */
static PdOrganizationEditor *
link_litware_while_typed (WindowFixture *fixture)
{
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganizationEditor *editor;

  open_organization (fixture, fixture->litware_id);
  editor = editor_of (fixture);
  type_at_end (GTK_WIDGET (editor->manager_row), "Maija Virtanen");
  other = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_link (other, fixture->litware_id,
                                  "11111111-1111-4111-8111-111111111111", &error),
                   ==, fixture->contoso_id);
  g_assert_no_error (error);
  return editor;
}

static void
assert_contoso_manager (WindowFixture *fixture)
{
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(GError) error = NULL;

  contoso = pd_store_get (fixture->store, fixture->contoso_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_account_manager (contoso), ==, "Maija Virtanen");
}

/* The pane sees the link first (the app's look for other programs' writes, which runs each
 * second: called here): it follows Litware to Contoso with the typed value, says so, and the
 * edit is saved there. Before, the pane emptied and the edit was dropped without a word. */
static void
test_linked_away_keeps_edit (WindowFixture *fixture,
                             gconstpointer  data)
{
  PdOrganizationEditor *editor = link_litware_while_typed (fixture);

  pd_session_notify_changed (fixture->session, 0);
  g_assert_cmpint (pd_organization_editor_get_organization_id (editor), ==, fixture->contoso_id);
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (editor), "Another program linked "
                                                              "“Litware"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->manager_row)), ==,
                   "Maija Virtanen");
  pd_organization_editor_flush (editor);
  assert_contoso_manager (fixture);
}

/* The edit's save comes first (its timer ran before the pane's look): it is saved on
 * Contoso, and the pane follows when it looks, and says so. */
static void
test_linked_away_saved_first (WindowFixture *fixture,
                              gconstpointer  data)
{
  PdOrganizationEditor *editor = link_litware_while_typed (fixture);

  pd_organization_editor_flush (editor);
  assert_contoso_manager (fixture);
  pd_session_notify_changed (fixture->session, 0);
  g_assert_cmpint (pd_organization_editor_get_organization_id (editor), ==, fixture->contoso_id);
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (editor), "Another program linked "
                                                              "“Litware"));
}

/* Undo takes back this window's change, not another program's made since: the CLI set the
 * account manager after the window saved it; Undo wrote the value from before both over it
 * (and said "restored"). */
static void
test_undo_keeps_other_program_value (WindowFixture *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganizationEditor *editor;

  open_organization (fixture, fixture->contoso_id);
  editor = editor_of (fixture);
  type_at_end (GTK_WIDGET (editor->manager_row), "Alice");
  pd_organization_editor_flush (editor);
  g_assert_true (pd_organization_editor_get_can_undo (editor));
  other = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_field (other, fixture->contoso_id, "account-manager", "Zed",
                                     &error));
  g_assert_no_error (error);
  g_clear_object (&other);
  pd_organization_editor_undo (editor);
  contoso = pd_store_get (fixture->store, fixture->contoso_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_account_manager (contoso), ==, "Zed");
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (editor), "Account manager: not undone"));
}

/* Two saves of a field a moment apart are one Undo, but not when another program wrote the
 * field between them: Undo then takes back only the last save. Before, the saves merged and
 * Undo erased the other program's value with the one from before both. */
static void
test_undo_does_not_merge_over_other_program (WindowFixture *fixture,
                                             gconstpointer  data)
{
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganizationEditor *editor;

  open_organization (fixture, fixture->contoso_id);
  editor = editor_of (fixture);
  type_at_end (GTK_WIDGET (editor->manager_row), "Alice");
  pd_organization_editor_flush (editor);
  other = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_field (other, fixture->contoso_id, "account-manager", "Zed",
                                     &error));
  g_assert_no_error (error);
  g_clear_object (&other);
  pd_session_notify_changed (fixture->session, fixture->contoso_id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor->manager_row)), ==, "Zed");
  type_at_end (GTK_WIDGET (editor->manager_row), " Jr");
  pd_organization_editor_flush (editor);
  pd_organization_editor_undo (editor);
  contoso = pd_store_get (fixture->store, fixture->contoso_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_organization_get_account_manager (contoso), ==, "Zed");
}

/* Opening an organization another program linked away before it showed: the pane follows it
 * without naming the organization shown before as the one linked. Before, the toast said
 * "Another program linked “Contoso” to …" of the other one. */
static void
test_open_linked_away_names_nothing_else (WindowFixture *fixture,
                                          gconstpointer  data)
{
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganizationEditor *editor;

  open_organization (fixture, fixture->fabrikam_id);
  editor = editor_of (fixture);
  other = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_link (other, fixture->litware_id,
                                  "11111111-1111-4111-8111-111111111111", &error),
                   ==, fixture->contoso_id);
  g_clear_object (&other);
  pd_organization_editor_set_organization_id (editor, fixture->litware_id);
  g_assert_cmpint (pd_organization_editor_get_organization_id (editor), ==, fixture->contoso_id);
  g_assert_null (ui_find_shown_label (GTK_WIDGET (editor), "Another program linked “Fabrikam"));
}

static gboolean
complete_no_more (gpointer data)
{
  return ui_find_shown_label (data, "Complete in Partner Center: Microsoft accepts orders") == NULL;
}

/* Another program (the timer's sync) saves Partner Center's rule for Germany, which Contoso's
 * postal code does not meet: the open editor judges by it once that program's write is seen.
 * Before, the app kept its own rules until it wrote something, and said orders are accepted. */
static void
test_other_program_rule_judges (WindowFixture *fixture,
                                gconstpointer  data)
{
  g_autoptr(PdCountryRule) rule = pd_country_rule_new ("DE");
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *editor;

  open_organization (fixture, fixture->contoso_id);
  editor = GTK_WIDGET (editor_of (fixture));
  g_assert_nonnull (ui_find_shown_label (editor, "Complete in Partner Center: Microsoft accepts orders"));
  other = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  rule->postal_code_required = TRUE;
  rule->postal_code_pattern = g_strdup ("^D-[0-9]{5}$");
  g_assert_true (pd_store_save_country_rule (other, rule, &error));
  g_assert_no_error (error);
  g_clear_object (&other);
  g_assert_true (pd_test_wait_until (complete_no_more, editor, 5000));
  g_assert_true (pd_country_rules_lookup (pd_store_get_country_rules (fixture->store), "DE")
                 ->postal_code_required);
}

/* Another program holds the cache's write lock (a transaction of its own, past the busy
 * timeout) while the user closes the window with an edit typed. */
static sqlite3 *
hold_write_lock (WindowFixture *fixture)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
release_write_lock (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Closes the window with the city of Contoso edited while the cache is busy: the window stays,
 * and asks. Returns that question. */
static AdwMessageDialog *
close_with_unsaved_edit (WindowFixture *fixture)
{
  AdwMessageDialog *dialog;

  open_organization (fixture, fixture->contoso_id);
  type_at_end (bill_to_row (fixture, PD_BILL_TO_CITY), "-Mitte");
  gtk_window_close (fixture->window);
  dialog = ui_find_message_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Edits Not Saved");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 edit could not be saved"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  return dialog;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The window closes (*window: a weak pointer to it): the fixture's tear-down gets a window of
 * its own to destroy. */
static void
assert_window_closed (WindowFixture *fixture,
                      GtkWindow    **window)
{
  g_assert_true (pd_test_wait_until (is_null, window, 5000));
  fixture->window = GTK_WINDOW (gtk_window_new ());
}

/* An edit the cache stayed busy for is never lost by closing the window: the window asks, and
 * stays open; once the cache is free, closing again saves it (before: the window closed and
 * the edit was gone, with a warning on the terminal only). */
static void
test_close_keeps_unsaved_edit (WindowFixture *fixture,
                               gconstpointer  data)
{
  sqlite3 *blocker = hold_write_lock (fixture);
  AdwMessageDialog *dialog = close_with_unsaved_edit (fixture);
  gboolean overridden = FALSE;
  g_autofree char *city = stored_city (fixture, fixture->contoso_id, &overridden);
  GtkWindow *window;

  g_assert_cmpstr (city, ==, "Berlin");
  adw_message_dialog_response (dialog, "keep");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  release_write_lock (blocker);

  window = fixture->window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (window);
  assert_window_closed (fixture, &window);
  g_free (city);
  city = stored_city (fixture, fixture->contoso_id, &overridden);
  g_assert_cmpstr (city, ==, "Berlin-Mitte");
  g_assert_true (overridden);
}

/* … unless the user chooses to close without it. */
static void
test_close_discards_unsaved_edit (WindowFixture *fixture,
                                  gconstpointer  data)
{
  sqlite3 *blocker = hold_write_lock (fixture);
  AdwMessageDialog *dialog = close_with_unsaved_edit (fixture);
  gboolean overridden = TRUE;
  g_autofree char *city = NULL;

  GtkWindow *window = fixture->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  adw_message_dialog_response (dialog, "discard");
  assert_window_closed (fixture, &window);
  release_write_lock (blocker);
  city = stored_city (fixture, fixture->contoso_id, &overridden);
  g_assert_cmpstr (city, ==, "Berlin");
  g_assert_false (overridden);
}

int
main (int argc, char **argv)
{
  window_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, WindowFixture, NULL, window_fixture_set_up, func, window_fixture_tear_down)
  ADD ("/editing/undo-is-one-window-action", test_undo_is_one_window_action);
  ADD ("/editing/undo-in-shortcuts-window", test_undo_in_shortcuts_window);
  ADD ("/editing/list-follows-saves", test_list_follows_saves);
  ADD ("/editing/long-toast-keeps-width", test_long_toast_keeps_width);
  ADD ("/editing/stale-bill-to-claims-nothing", test_stale_bill_to_claims_nothing);
  ADD ("/editing/stale-local-fill-claims-nothing", test_stale_local_fill_claims_nothing);
  ADD ("/editing/read-time-ages-while-open", test_read_time_ages_while_open);
  ADD ("/editing/linked-away-keeps-edit", test_linked_away_keeps_edit);
  ADD ("/editing/linked-away-saved-first", test_linked_away_saved_first);
  ADD ("/editing/undo-keeps-other-program-value", test_undo_keeps_other_program_value);
  ADD ("/editing/undo-does-not-merge-over-other-program",
       test_undo_does_not_merge_over_other_program);
  ADD ("/editing/open-linked-away-names-nothing-else", test_open_linked_away_names_nothing_else);
  ADD ("/editing/other-program-rule-judges", test_other_program_rule_judges);
  ADD ("/editing/close-keeps-unsaved-edit", test_close_keeps_unsaved_edit);
  ADD ("/editing/close-discards-unsaved-edit", test_close_discards_unsaved_edit);
#undef ADD
  return g_test_run ();
}
