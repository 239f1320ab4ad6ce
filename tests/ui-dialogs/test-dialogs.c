/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dialogs.c — new organization (live duplicates), consent link, preferences and sign-in
 * dialogs on real widgets. */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-app-util.h"
#include "pd-consent-dialog.h"
#include "pd-demo.h"
#include "pd-entry-row.h"
#include "pd-history-list.h"
#include "pd-code-row.h"
#include "pd-new-organization-dialog.h"
#include "pd-preferences-window.h"
#include "pd-reseller-scope-group.h"
#include "pd-sign-in-dialog.h"
#include "pd-test-seed.h"
#include "pd-test-util.h"
#include "ui-fixture.h"

#define WAIT_MS 3000

/* What the user can click: the button bound to the action is sensitive. */
static gboolean
button_enabled (gpointer    dialog,
                GType       type,
                const char *button)
{
  return gtk_widget_is_sensitive (ui_fixture_child (dialog, type, button));
}

/* GTK 4.8 reads an accessible label, then each labelled-by label: a control with both (its
 * mnemonic label, its row's title) was read with its name twice (seen over AT-SPI). */
static void
assert_named_once (gpointer control)
{
  g_assert_nonnull (control);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (control),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (control),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
}

/* ---- new organization ---- */

/* Journey 5: typing an existing customer's name shows it as a match with its reasons, and
 * Create waits until the user says it is a different customer. */
static void
test_new_organization_shows_duplicate (UiFixture    *fixture,
                                       gconstpointer data)
{
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  GtkWidget *name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  GtkListBox *matches = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "matches_list");
  GtkCheckButton *different = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                                "different_check");
  GtkWidget *row;
  int minimum = 0;

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_false (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  gtk_editable_set_text (GTK_EDITABLE (name), "Contoso");
  g_assert_true (ui_fixture_wait_text (GTK_WIDGET (matches), ADW_TYPE_ACTION_ROW, "Contoso Ltd",
                                       WAIT_MS));
  row = ui_fixture_find_text (GTK_WIDGET (matches), ADW_TYPE_ACTION_ROW, "Contoso Ltd");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            FIXTURE_CONTOSO_TENANT));
  g_assert_nonnull (ui_fixture_find_text (row, GTK_TYPE_BUTTON, "Open Existing"));
  g_assert_nonnull (ui_fixture_find_text (row, GTK_TYPE_BUTTON, "Consent"));
  assert_named_once (ui_fixture_find_text (row, GTK_TYPE_BUTTON, "Open Existing"));
  assert_named_once (ui_fixture_find_text (row, GTK_TYPE_BUTTON, "Consent"));
  /* It fits a 360 px phone: with its two buttons side by side, the name wrapped a letter a
   * line and the dialog grew past the screen. */
  gtk_widget_measure (dialog, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (different)));
  /* Read without its mnemonic's underscore (before: "It is a _different customer"). */
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (different),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "It is a different customer"));
  g_assert_false (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  gtk_check_button_set_active (different, TRUE);
  g_assert_true (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* The duplicate index is built when the dialog opens, not before; matches found while it
 * was building appear once it is in. */
static gboolean
duplicates_built (gpointer data)
{
  return pd_session_peek_duplicates (data) != NULL;
}

static void
test_new_organization_builds_index (UiFixture    *fixture,
                                    gconstpointer data)
{
  GtkWidget *dialog;
  GtkWidget *name;
  GtkWidget *checking;
  GtkWidget *matches;

  g_assert_null (pd_session_peek_duplicates (fixture->session));
  dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  checking = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "checking_box");
  matches = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "matches_list");
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (name), "Contoso");
  g_assert_true (ui_fixture_wait_text (matches, ADW_TYPE_ACTION_ROW, "Contoso Ltd", WAIT_MS));
  g_assert_nonnull (pd_session_peek_duplicates (fixture->session));
  g_assert_false (gtk_widget_get_visible (checking));
  ui_fixture_destroy (GTK_WINDOW (dialog));
  g_assert_true (pd_test_wait_until (duplicates_built, fixture->session, WAIT_MS));
}

typedef struct
{
  GtkWidget  *dialog;
  GType       type;
  const char *button;
} ButtonWait;

static gboolean
button_becomes_enabled (gpointer data)
{
  ButtonWait *wait = data;

  return button_enabled (wait->dialog, wait->type, wait->button);
}

static gboolean
is_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

/* The guard fails closed: an index that cannot be built (here: the cache's path is a folder
 * for the reading thread) is said, with Retry, and Create stays disabled — also while the
 * check runs, and after every keystroke until it has run again. */
static void
test_new_organization_check_fails (UiFixture    *fixture,
                                   gconstpointer data)
{
  const char *path = pd_store_get_path (fixture->store);
  g_autofree char *aside = g_strconcat (path, ".aside", NULL);
  GtkWidget *dialog;
  GtkWidget *name;
  GtkWidget *failed;
  ButtonWait create;

  g_assert_cmpint (g_rename (path, aside), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  create = (ButtonWait) { dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button" };
  name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  failed = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "failed_box");
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (name), "Wingtip Toys");
  g_assert_false (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  g_assert_true (pd_test_wait_until (is_visible, failed, WAIT_MS));
  g_assert_false (gtk_widget_get_visible (ui_fixture_child (dialog,
                                                            PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                                            "checking_box")));
  g_assert_nonnull (strstr (gtk_label_get_label (ui_fixture_child (dialog,
                                                                   PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                                                   "failed_label")),
                            "Could not check"));
  g_assert_false (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));

  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_assert_cmpint (g_rename (aside, path), ==, 0);
  g_assert_true (gtk_widget_activate (ui_fixture_find_text (failed, GTK_TYPE_BUTTON, "Retry")));
  g_assert_true (pd_test_wait_until (button_becomes_enabled, &create, WAIT_MS));
  g_assert_nonnull (pd_session_peek_duplicates (fixture->session));
  g_assert_false (gtk_widget_get_visible (failed));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* Partner Center's text is untrusted: a bidi override in a customer's name (U+202E) would
 * show the rest of its line reversed. Every row and toast that shows such text shows the
 * override replaced (U+FFFD), as the list and the editor's header do. */
#define NAME_WITH_OVERRIDE "Contoso Evil\u202eCorp"
#define NAME_SHOWN "Contoso Evil\ufffdCorp"

static void
assert_no_override_shown (GtkWidget *root)
{
  g_assert_null (ui_fixture_find_text (root, GTK_TYPE_WIDGET, "\u202e"));
}

static void
test_untrusted_text_shown_replaced (UiFixture    *fixture,
                                    gconstpointer data)
{
  GtkWidget *dialog;
  GtkWidget *name;
  GtkWidget *matches;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToast) toast = pd_app_util_new_toast ("Saved over “" NAME_WITH_OVERRIDE "”");
  PdHistoryEntry renamed = { .what = (char *) "name", .old_value = (char *) "Contoso Ltd",
                             .new_value = (char *) NAME_WITH_OVERRIDE, .by = PD_CHANGE_BY_SYNC,
                             .when = g_date_time_new_now_local () };
  GtkWidget *history = g_object_ref_sink (pd_history_list_new ());
  GtkWidget *row;
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_tenant_id (org, "33333333-3333-4333-8333-333333333333");
  pd_organization_set_name (org, NAME_WITH_OVERRIDE);
  g_ptr_array_add (listed, org);
  g_assert_true (pd_store_apply_listing (fixture->store, 0, listed, NULL, &error));
  g_assert_no_error (error);

  /* The New Organization dialog's match: its title, and its buttons' accessible names. The
   * dialog opens on the cache as it is now (its duplicate index is built then). */
  dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  matches = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "matches_list");
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (name), "Contoso Evil");
  g_assert_true (ui_fixture_wait_text (matches, ADW_TYPE_ACTION_ROW, NAME_SHOWN, WAIT_MS));
  row = ui_fixture_find_text (matches, ADW_TYPE_ACTION_ROW, NAME_SHOWN);
  assert_no_override_shown (dialog);
  g_assert_null (gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (ui_fixture_find_text (row, GTK_TYPE_BUTTON, "Open Existing")),
    GTK_ACCESSIBLE_PROPERTY_LABEL, "Open existing organization " NAME_SHOWN));

  /* A toast's title and its tooltip. */
  row = adw_toast_get_custom_title (toast);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row)), ==, "Saved over “" NAME_SHOWN "”");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, "Saved over “" NAME_SHOWN "”");

  /* A history row of a sync's rename. */
  g_ptr_array_add (entries, &renamed);
  pd_history_list_set_entries (PD_HISTORY_LIST (history), entries);
  row = ui_fixture_find_text (history, ADW_TYPE_ACTION_ROW, "Name");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), NAME_SHOWN));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "\u202e"));

  g_object_unref (history);
  g_date_time_unref (renamed.when);
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* A toast's buttons have one name each for a screen reader: its action without the
 * mnemonic's underscore (before: "_Undo Undo"), its close button (before: "GtkImage"). */
static void
test_toast_buttons_named (UiFixture    *fixture,
                          gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  AdwToast *slot = NULL;
  GtkWidget *undo;

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), gtk_label_new ("Content"));
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  pd_app_util_show_toast_in (ADW_TOAST_OVERLAY (overlay), &slot, "Notes saved", "_Undo",
                             "win.undo");
  g_assert_true (ui_fixture_wait_text (overlay, GTK_TYPE_BUTTON, "_Undo", WAIT_MS));
  undo = ui_fixture_find_text (overlay, GTK_TYPE_BUTTON, "_Undo");
  g_assert_true (ui_fixture_wait_visible (undo, WAIT_MS));
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (undo),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, "Undo"));
  ui_fixture_assert_all_named (overlay);
  g_clear_weak_pointer (&slot);
  ui_fixture_destroy (GTK_WINDOW (window));
}

/* The dialog opens with the keyboard in Name, not on Cancel. */
static void
test_new_organization_focus (UiFixture    *fixture,
                             gconstpointer data)
{
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  GtkWidget *name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  GtkWidget *focus;

  gtk_window_present (GTK_WINDOW (dialog));
  focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_assert_nonnull (focus);
  g_assert_true (focus == name || gtk_widget_is_ancestor (focus, name));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  gint64   shown_id;
  gboolean consent;
} ParentActions;

static void
on_show_organization (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ((ParentActions *) user_data)->shown_id = g_variant_get_int64 (parameter);
}

static void
on_consent_link (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ((ParentActions *) user_data)->consent = TRUE;
}

/* A stand-in for the main window: the "win" actions the dialog activates on its parent. */
static GtkWindow *
create_parent (ParentActions *actions)
{
  const GActionEntry entries[] = {
    { .name = "show-organization", .activate = on_show_organization, .parameter_type = "x" },
    { .name = "consent-link", .activate = on_consent_link },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), actions);
  gtk_widget_insert_action_group (GTK_WIDGET (parent), "win", G_ACTION_GROUP (group));
  gtk_window_present (parent);
  return parent;
}

static gboolean
id_shown (gpointer data)
{
  return ((ParentActions *) data)->shown_id != 0;
}

static gboolean
consent_asked (gpointer data)
{
  return ((ParentActions *) data)->consent;
}

static GtkWidget *
match_button (GtkWidget  *dialog,
              const char *label)
{
  GtkWidget *matches = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "matches_list");
  GtkWidget *row;

  gtk_editable_set_text (ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "domain_row"),
                         "contoso.com");
  g_assert_true (ui_fixture_wait_text (matches, ADW_TYPE_ACTION_ROW, "Contoso Ltd", WAIT_MS));
  row = ui_fixture_find_text (matches, ADW_TYPE_ACTION_ROW, "Contoso Ltd");
  return ui_fixture_find_text (row, GTK_TYPE_BUTTON, label);
}

/* The dialog steers to the existing organization or to the consent link, on the parent. */
static void
test_new_organization_steers_away (UiFixture    *fixture,
                                   gconstpointer data)
{
  ParentActions actions = { 0, FALSE };
  GtkWindow *parent = create_parent (&actions);
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, parent);

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate (match_button (dialog, "Open Existing")));
  g_assert_true (pd_test_wait_until (id_shown, &actions, WAIT_MS));
  g_assert_cmpint (actions.shown_id, ==, fixture->contoso_id);

  dialog = pd_new_organization_dialog_new (fixture->session, parent);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate (match_button (dialog, "Consent")));
  g_assert_true (pd_test_wait_until (consent_asked, &actions, WAIT_MS));
  ui_fixture_destroy (parent);
}

static void
test_new_organization_creates (UiFixture    *fixture,
                               gconstpointer data)
{
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  GtkWidget *name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  GtkWidget *erp = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "erp_row");
  GtkWidget *domain = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "domain_row");
  GtkWidget *error_label = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                             "error_label");
  guint count = pd_store_count (fixture->store);
  PdStoreQuery query = { .search = "Wingtip" };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  ButtonWait create = { dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button" };
  GtkWidget *different = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                           "different_check");
  GtkWidget *country = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "country_row");
  GtkWidget *popover = ui_fixture_child (country, PD_TYPE_CODE_ROW, "popover");

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (name), "Wingtip Toys");
  /* An ERP ID in use is a strong match; said to be another customer, the store still refuses
   * it, and everything typed stays for the fix. */
  gtk_editable_set_text (GTK_EDITABLE (erp), "ERP-100");
  g_assert_true (pd_test_wait_until (is_visible, different, WAIT_MS));
  g_assert_false (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (different), TRUE);
  g_assert_true (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  g_assert_true (gtk_widget_activate_action (dialog, "new-organization.create", NULL));
  /* Said on the ERP ID's field, where the keyboard goes (before: a line under the form). */
  g_assert_nonnull (pd_entry_row_get_error (PD_ENTRY_ROW (erp)));
  g_assert_nonnull (strstr (pd_entry_row_get_error (PD_ENTRY_ROW (erp)), "ERP-100"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), erp));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Wingtip Toys");

  /* A domain that is not one: said on its field, nothing created. */
  gtk_editable_set_text (GTK_EDITABLE (domain), "bad domain!");
  g_assert_null (pd_entry_row_get_error (PD_ENTRY_ROW (erp)));
  g_assert_true (pd_test_wait_until (button_becomes_enabled, &create, WAIT_MS));
  g_assert_true (gtk_widget_activate_action (dialog, "new-organization.create", NULL));
  g_assert_nonnull (pd_entry_row_get_error (PD_ENTRY_ROW (domain)));
  g_assert_nonnull (strstr (pd_entry_row_get_error (PD_ENTRY_ROW (domain)), "bad domain!"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), domain));
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count);
  gtk_editable_set_text (GTK_EDITABLE (domain), "");

  g_object_ref (dialog);
  gtk_editable_set_text (GTK_EDITABLE (erp), "ERP-200");
  /* The country is searched and picked with Enter, as a user does. */
  g_assert_true (gtk_widget_activate (country));
  g_assert_true (ui_fixture_wait_visible (popover, WAIT_MS));
  ui_fixture_search_pick (country, PD_TYPE_CODE_ROW, "de", "DE");
  g_assert_cmpstr (pd_code_row_get_code (PD_CODE_ROW (country)), ==, "DE");
  g_assert_true (pd_test_wait_until (button_becomes_enabled, &create, WAIT_MS));
  g_assert_true (gtk_widget_activate_action (dialog, "new-organization.create", NULL));
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count + 1);
  found = pd_store_list (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (pd_organization_get_name (g_ptr_array_index (found, 0)), ==, "Wingtip Toys");
  g_assert_cmpstr (pd_organization_get_erp_id (g_ptr_array_index (found, 0)), ==, "ERP-200");
  g_assert_cmpstr (pd_organization_get_country (g_ptr_array_index (found, 0)), ==, "DE");
  g_assert_cmpint (pd_organization_get_source (g_ptr_array_index (found, 0)), ==,
                   PD_ORG_SOURCE_MANUAL);
  g_assert_false (gtk_widget_get_visible (dialog));
  g_object_unref (dialog);
}

/* Another program (partner-desk-cli create, a colleague's app) adds the same customer after
 * the dialog checked and before Create: nothing is created, and the new organization is shown
 * among the matches; Create again is the user's decision about it (before: a second
 * organization for the same customer was created). */
static void
test_new_organization_added_meanwhile (UiFixture    *fixture,
                                       gconstpointer data)
{
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  GtkWidget *name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  GtkWidget *matches = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                         "matches_group");
  ButtonWait create = { dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button" };
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  guint count = pd_store_count (fixture->store);

  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (name), "Blue Yonder Airlines");
  g_assert_true (pd_test_wait_until (button_becomes_enabled, &create, WAIT_MS));
  g_assert_false (gtk_widget_get_visible (matches));

  /* Another process: its own connection, which this app's session is not told about. */
  other = pd_store_open (pd_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_create_manual (other, "Blue Yonder Airlines", NULL, NULL, NULL,
                                           &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (dialog, "new-organization.create", NULL));
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count + 1);
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_true (gtk_widget_get_visible (matches));

  /* Said to be another customer, it is created. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ui_fixture_child (dialog,
                                                                   PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                                                   "different_check")), TRUE);
  g_assert_true (button_enabled (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "create_button"));
  g_assert_true (gtk_widget_activate_action (dialog, "new-organization.create", NULL));
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count + 2);
  g_assert_false (gtk_widget_get_visible (dialog));
  g_object_unref (dialog);
}

/* What the session's poll does for each commit of another program. */
static gboolean
notify_wholesale_change (gpointer session)
{
  pd_session_notify_changed (session, 0);
  return G_SOURCE_CONTINUE;
}

/* Another program's commits (a sync of the timer commits every few seconds) make the index
 * stale but never take it away: the dialog answers from it at once, builds it again on typing,
 * and the rebuilt index has what the other program wrote. Before, a commit dropped the index,
 * and threw away a build it overtook: while a sync committed faster than the index was built
 * (a million organizations: seconds), the dialog said "Checking…" for as long as it ran. */
static void
test_new_organization_while_others_commit (UiFixture    *fixture,
                                           gconstpointer data)
{
  GtkWidget *dialog;
  GtkWidget *checking;
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *matches;
  guint commits;

  seed_many_customers (pd_store_get_path (fixture->store), 3000);
  pd_session_warm_duplicates (fixture->session, NULL);
  commits = g_timeout_add (1, notify_wholesale_change, fixture->session);
  g_assert_true (pd_test_wait_until (duplicates_built, fixture->session, WAIT_MS));
  g_source_remove (commits);

  other = pd_store_open (pd_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_store_create_manual (other, "Wingtip Toys Holding", NULL, NULL, NULL,
                                           &error), >, 0);
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, 0);
  g_assert_nonnull (pd_session_peek_duplicates (fixture->session));

  dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  checking = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "checking_box");
  matches = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "matches_list");
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                                         "name_row")), "Wingtip Toys Holding");
  g_assert_true (ui_fixture_wait_text (matches, ADW_TYPE_ACTION_ROW, "Wingtip Toys Holding",
                                       WAIT_MS));
  g_assert_false (gtk_widget_get_visible (checking));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* Enter pressed right after the last key, before the typing pause ends, is not lost: the
 * check runs at once. A strong match it finds still stops the creation. */
static void
test_new_organization_enter_right_after_typing (UiFixture    *fixture,
                                                gconstpointer data)
{
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, NULL);
  GtkWidget *name = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row");
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (name)));
  GtkWidget *different = ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                           "different_check");
  guint count = pd_store_count (fixture->store);

  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (pd_test_wait_until (duplicates_built, fixture->session, WAIT_MS));
  gtk_editable_set_text (GTK_EDITABLE (name), "Contoso");
  g_signal_emit_by_name (text, "activate");   /* Enter */
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count);
  g_assert_true (gtk_widget_get_visible (different));
  g_assert_true (gtk_widget_get_visible (dialog));

  gtk_editable_set_text (GTK_EDITABLE (name), "Wingtip Toys");
  g_signal_emit_by_name (text, "activate");   /* Enter */
  g_assert_cmpuint (pd_store_count (fixture->store), ==, count + 1);
  g_assert_false (gtk_widget_get_visible (dialog));
  g_object_unref (dialog);
}

/* ---- consent link ---- */

/* Journey 6 offline: built from the partner id, labelled so, DAP follows the switch. */
static void
test_consent_offline (UiFixture    *fixture,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkLabel *link;
  GtkLabel *source;
  GtkSwitch *dap;
  g_autofree char *copied = NULL;

  g_assert_true (pd_store_set_meta (fixture->store, "partner-tenant-id", FIXTURE_PARTNER_TENANT,
                                    &error));
  g_assert_no_error (error);
  g_settings_set_enum (fixture->settings, "partner-role", PD_PARTNER_ROLE_INDIRECT_PROVIDER);
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  link = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "link_label");
  source = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "source_label");
  dap = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "dap_switch");

  g_assert_nonnull (strstr (gtk_label_get_label (link), FIXTURE_PARTNER_TENANT));
  g_assert_nonnull (strstr (gtk_label_get_label (link), "DAP=false"));
  g_assert_nonnull (strstr (gtk_label_get_label (source), "offline"));
  g_assert_true (button_enabled (dialog, PD_TYPE_CONSENT_DIALOG, "copy_button"));
  assert_named_once (dap);

  gtk_switch_set_active (dap, TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (link), "DAP=true"));
  g_assert_null (strstr (gtk_label_get_label (link), "DAP=false"));
  g_assert_true (gtk_widget_activate_action (dialog, "consent.copy", NULL));
  copied = ui_fixture_read_clipboard (dialog);
  g_assert_cmpstr (copied, ==, gtk_label_get_label (link));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* Partner Center makes the link for direct partners and indirect providers: a reseller is
 * told so, and is offered nothing to copy or send. */
static void
test_consent_reseller (UiFixture    *fixture,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  g_assert_true (pd_store_set_meta (fixture->store, "partner-tenant-id", FIXTURE_PARTNER_TENANT,
                                    &error));
  g_settings_set_enum (fixture->settings, "partner-role", PD_PARTNER_ROLE_RESELLER);
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_is_visible (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG,
                                                          "reseller_label")));
  g_assert_false (gtk_widget_is_visible (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG,
                                                           "copy_button")));
  g_assert_false (gtk_widget_is_visible (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG,
                                                           "email_button")));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* No e-mail program here (no portal, no mailto handler): the failure is said, and the e-mail
 * text can be copied instead. */
static void
test_consent_email_fallback (UiFixture    *fixture,
                             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *dialog;
  GtkWidget *failed;
  const char *link;

  g_assert_true (pd_store_set_meta (fixture->store, "partner-tenant-id", FIXTURE_PARTNER_TENANT,
                                    &error));
  g_settings_set_enum (fixture->settings, "partner-role", PD_PARTNER_ROLE_DIRECT_PARTNER);
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  failed = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "email_failed_box");
  g_assert_true (gtk_widget_activate_action (dialog, "consent.email", NULL));
  g_assert_true (ui_fixture_wait_visible (failed, WAIT_MS));
  g_assert_true (gtk_widget_activate_action (dialog, "consent.copy-email", NULL));
  copied = ui_fixture_read_clipboard (dialog);
  link = gtk_label_get_label (ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "link_label"));
  g_assert_true (g_str_has_prefix (copied, "Subject: "));
  g_assert_nonnull (strstr (copied, link));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

/* The demo runs as an indirect provider (its customers have resellers), in settings of its
 * own. */
static void
test_demo_settings (void)
{
  g_autoptr(GSettings) settings = pd_demo_new_settings ();

  g_assert_cmpint (g_settings_get_enum (settings, "partner-role"), ==,
                   PD_PARTNER_ROLE_INDIRECT_PROVIDER);
}

static void
test_consent_without_partner_id (UiFixture    *fixture,
                                 gconstpointer data)
{
  GtkWidget *dialog;
  GtkStack *stack;

  g_settings_set_enum (fixture->settings, "partner-role", PD_PARTNER_ROLE_INDIRECT_PROVIDER);
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  stack = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "stack");

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "none");
  g_assert_false (button_enabled (dialog, PD_TYPE_CONSENT_DIALOG, "copy_button"));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static void
test_mailto_is_escaped (void)
{
  g_autofree char *uri = pd_app_util_build_mailto ("Invitation & more",
                                                   "Open https://x.example/?a=1&b=2#frag\n");

  g_assert_true (g_str_has_prefix (uri, "mailto:?subject=Invitation%20%26%20more&body="));
  g_assert_null (strstr (uri + strlen ("mailto:?"), "#"));
  g_assert_null (strstr (strstr (uri, "body="), "&"));
  g_assert_nonnull (strstr (uri, "%0A"));
}

/* ---- the text rows ---- */

static void
count_emission (guint *count)
{
  (*count)++;
}

/* The Apply button comes with what the user types, not with what the program shows; Enter
 * applies a change once; the field is one named text for a screen reader. */
static void
test_entry_row_apply (UiFixture    *fixture,
                      gconstpointer data)
{
  GtkWidget *row = pd_entry_row_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWindow *window;
  GtkWidget *apply = ui_fixture_child (row, PD_TYPE_ENTRY_ROW, "apply_button");
  GtkWidget *entry = ui_fixture_child (row, PD_TYPE_ENTRY_ROW, "entry");
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (row)));
  guint applied = 0;
  guint entered = 0;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Login URL");
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (count_emission), &entered);
  pd_entry_row_set_show_apply_button (PD_ENTRY_ROW (row), TRUE);
  g_signal_connect_swapped (row, "apply", G_CALLBACK (count_emission), &applied);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  window = ui_fixture_present (list);
  gtk_test_accessible_assert_property (entry, GTK_ACCESSIBLE_PROPERTY_LABEL, "Login URL");
  gtk_test_accessible_assert_property (apply, GTK_ACCESSIBLE_PROPERTY_LABEL, "Apply Login URL");

  /* The row takes the focus into its text. Typed into the empty field and deleted again:
   * nothing to apply. */
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (gtk_widget_is_focus (text));
  gtk_editable_set_text (GTK_EDITABLE (text), "h");
  g_assert_true (gtk_widget_get_visible (apply));
  gtk_editable_set_text (GTK_EDITABLE (text), "");
  g_assert_false (gtk_widget_get_visible (apply));
  /* Shown by the program, also while the field has the focus, or through its property:
   * nothing to apply. */
  g_object_set (row, "text", "https://login.example.net", NULL);
  g_assert_false (gtk_widget_get_visible (apply));
  gtk_editable_set_text (GTK_EDITABLE (row), "https://login.example.com");
  g_assert_false (gtk_widget_get_visible (apply));
  g_signal_emit_by_name (text, "activate");   /* Enter, nothing changed */
  g_assert_cmpuint (applied, ==, 0);

  /* Typed (into the text, as keys go): Apply shows; typed back to what was applied, it goes. */
  gtk_editable_set_text (GTK_EDITABLE (text), "https://login.example.org");
  g_assert_true (gtk_widget_get_visible (apply));
  gtk_editable_set_text (GTK_EDITABLE (text), "https://login.example.com");
  g_assert_false (gtk_widget_get_visible (apply));
  gtk_editable_set_text (GTK_EDITABLE (text), "https://login.example.org");
  g_signal_emit_by_name (text, "activate");   /* Enter */
  g_assert_cmpuint (applied, ==, 1);
  g_assert_false (gtk_widget_get_visible (apply));
  g_signal_emit_by_name (text, "activate");   /* Enter again: applied already */
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpuint (entered, ==, 3);

  /* The button applies too, and leaves the keyboard in the field. */
  gtk_editable_set_text (GTK_EDITABLE (text), "https://login.example.net");
  g_signal_emit_by_name (apply, "clicked");
  g_assert_cmpuint (applied, ==, 2);
  g_assert_true (gtk_widget_is_focus (text));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://login.example.net");
  ui_fixture_destroy (window);
}

/* ---- preferences ---- */

/* A client ID that is not a GUID is refused with the reason under the field, not saved to
 * fail at the next sign-in; a GUID is saved and clears the mark. */
static void
assert_client_id_checked (GtkWidget *window,
                          GSettings *settings)
{
  GtkWidget *client_id = ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW, "client_id_row");
  g_autofree char *before = g_settings_get_string (settings, "client-id");
  g_autofree char *after = NULL;
  g_autofree char *saved = NULL;

  gtk_editable_set_text (GTK_EDITABLE (client_id), "not a guid");
  g_signal_emit_by_name (client_id, "apply");
  after = g_settings_get_string (settings, "client-id");
  g_assert_cmpstr (after, ==, before);
  g_assert_true (g_str_has_prefix (pd_entry_row_get_error (PD_ENTRY_ROW (client_id)),
                                   "An application (client) ID looks like "));
  gtk_editable_set_text (GTK_EDITABLE (client_id), "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
  g_signal_emit_by_name (client_id, "apply");
  saved = g_settings_get_string (settings, "client-id");
  g_assert_cmpstr (saved, ==, "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
  g_assert_null (pd_entry_row_get_error (PD_ENTRY_ROW (client_id)));
}

static void
test_preferences_urls_and_role (UiFixture    *fixture,
                                gconstpointer data)
{
  GtkWidget *window = pd_preferences_window_new (fixture->session, NULL);
  GtkWidget *api = ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW, "api_url_row");
  AdwComboRow *role = ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW, "role_row");
  AdwComboRow *interval = ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW, "interval_row");
  g_autofree char *saved = NULL;
  g_autofree char *refused = NULL;

  gtk_window_present (GTK_WINDOW (window));
  /* Plain http:// to another host is refused and the typed text stays. */
  gtk_editable_set_text (GTK_EDITABLE (api), "http://partner.example.com");
  g_signal_emit_by_name (api, "apply");
  refused = g_settings_get_string (fixture->settings, "api-url");
  g_assert_cmpstr (refused, ==, "");
  g_assert_true (gtk_widget_has_css_class (api, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (api)), ==, "http://partner.example.com");

  gtk_editable_set_text (GTK_EDITABLE (api), "http://127.0.0.1:8080");
  g_signal_emit_by_name (api, "apply");
  saved = g_settings_get_string (fixture->settings, "api-url");
  g_assert_cmpstr (saved, ==, "http://127.0.0.1:8080");
  g_assert_false (gtk_widget_has_css_class (api, "error"));
  assert_client_id_checked (window, fixture->settings);

  adw_combo_row_set_selected (role, 0);
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "partner-role"), ==,
                   PD_PARTNER_ROLE_DIRECT_PARTNER);
  g_assert_true (pd_session_can_push_to_partner_center (fixture->session));
  adw_combo_row_set_selected (interval, 0);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "sync-interval"), ==, 0);
  gtk_spin_button_set_value (ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW,
                                               "max_in_flight_spin"), 3);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "max-in-flight"), ==, 3);
  ui_fixture_destroy (GTK_WINDOW (window));
}

#define BLUE_RESELLER  "aaaaaaaa-0000-4000-8000-00000000000b"
#define GREEN_RESELLER "aaaaaaaa-0000-4000-8000-00000000000c"

static GtkWidget *
find_check (GtkWidget *root)
{
  if (GTK_IS_CHECK_BUTTON (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_check (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_scope (UiFixture  *fixture,
              const char *first,
              const char *second)
{
  g_auto(GStrv) scope = pd_store_dup_reseller_scope (fixture->store);

  if (first == NULL)
    {
      g_assert_null (scope);
      return;
    }
  g_assert_nonnull (scope);
  g_assert_cmpstr (scope[0], ==, first);
  g_assert_cmpstr (scope[1], ==, second);
}

/* My Resellers: a check row per reseller the cache knows. Activating rows (Enter or a click
 * on a row does the same) keeps the choice in the cache, where the sync and the CLI read it;
 * All Customers clears it. Every control is named and reachable, and the group fits 360 px. */
static void
test_preferences_my_resellers (UiFixture    *fixture,
                               gconstpointer data)
{
  GtkWidget *window;
  GtkWidget *group;
  GtkWidget *blue, *green, *all;
  int minimum = 0;

  ui_fixture_set_reseller (fixture, FIXTURE_CONTOSO_TENANT, BLUE_RESELLER, "Blue & Co Resellers");
  ui_fixture_set_reseller (fixture, FIXTURE_FABRIKAM_TENANT, GREEN_RESELLER, "Green Reseller");
  window = pd_preferences_window_new (fixture->session, NULL);
  group = ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW, "reseller_group");
  gtk_window_present (GTK_WINDOW (window));
  blue = ui_fixture_find_text (group, ADW_TYPE_ACTION_ROW, "Blue & Co Resellers");
  green = ui_fixture_find_text (group, ADW_TYPE_ACTION_ROW, "Green Reseller");
  all = ui_fixture_find_text (group, ADW_TYPE_ACTION_ROW, "All Customers");
  g_assert_nonnull (blue);
  g_assert_nonnull (green);
  g_assert_nonnull (all);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (blue)), ==, BLUE_RESELLER);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (all))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (blue))));
  ui_fixture_assert_all_named (window);
  /* Keyboard: each row can be activated, and its check takes the focus. */
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (blue)));
  g_assert_true (gtk_widget_get_focusable (find_check (blue)));

  adw_action_row_activate (ADW_ACTION_ROW (blue));
  assert_scope (fixture, BLUE_RESELLER, NULL);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (all))));
  adw_action_row_activate (ADW_ACTION_ROW (green));
  assert_scope (fixture, BLUE_RESELLER, GREEN_RESELLER);
  adw_action_row_activate (ADW_ACTION_ROW (blue));
  assert_scope (fixture, GREEN_RESELLER, NULL);

  /* All Customers clears the choice; activated again, it stays on. */
  adw_action_row_activate (ADW_ACTION_ROW (all));
  assert_scope (fixture, NULL, NULL);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (green))));
  adw_action_row_activate (ADW_ACTION_ROW (all));
  assert_scope (fixture, NULL, NULL);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (all))));

  gtk_widget_measure (group, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360 - 2 * 12);
  ui_fixture_destroy (GTK_WINDOW (window));
}

/* A scope set elsewhere (the CLI) shows checked, a reseller the cache has no customer of by its
 * tenant ID; a long list gets a search row that filters by name or ID. */
static void
test_preferences_my_resellers_search (UiFixture    *fixture,
                                      gconstpointer data)
{
  const char * const scope[] = {
    "bbbbbbbb-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002",
    "bbbbbbbb-0000-4000-8000-000000000003", "bbbbbbbb-0000-4000-8000-000000000004",
    "bbbbbbbb-0000-4000-8000-000000000005", "bbbbbbbb-0000-4000-8000-000000000006",
    GREEN_RESELLER, NULL,
  };
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *group;
  GtkWidget *search;
  GtkWidget *green;
  GtkWidget *other;

  ui_fixture_set_reseller (fixture, FIXTURE_FABRIKAM_TENANT, GREEN_RESELLER, "Green Reseller");
  g_assert_true (pd_store_set_reseller_scope (fixture->store, scope, &error));
  g_assert_no_error (error);
  window = pd_preferences_window_new (fixture->session, NULL);
  group = ui_fixture_child (window, PD_TYPE_PREFERENCES_WINDOW, "reseller_group");
  gtk_window_present (GTK_WINDOW (window));
  green = ui_fixture_find_text (group, ADW_TYPE_ACTION_ROW, "Green Reseller");
  other = ui_fixture_find_text (group, ADW_TYPE_ACTION_ROW, scope[2]);
  search = ui_fixture_find_text (group, PD_TYPE_ENTRY_ROW, "Search Resellers");
  g_assert_nonnull (other);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (green))));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_check (other))));
  g_assert_true (gtk_widget_get_visible (search));
  ui_fixture_assert_all_named (window);

  gtk_editable_set_text (GTK_EDITABLE (search), "GREEN");
  g_assert_true (gtk_widget_get_visible (green));
  g_assert_false (gtk_widget_get_visible (other));
  gtk_editable_set_text (GTK_EDITABLE (search), "0003");
  g_assert_false (gtk_widget_get_visible (green));
  g_assert_true (gtk_widget_get_visible (other));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (gtk_widget_get_visible (green));

  /* Unchecking one keeps the others. */
  adw_action_row_activate (ADW_ACTION_ROW (other));
  {
    g_auto(GStrv) kept = pd_store_dup_reseller_scope (fixture->store);

    g_assert_cmpuint (g_strv_length (kept), ==, 6);
    g_assert_false (g_strv_contains ((const char * const *) kept, scope[2]));
  }
  ui_fixture_destroy (GTK_WINDOW (window));
}

/* ---- sign-in ---- */

/* The login service is unreachable (test_env points it at a closed loopback port): the
 * dialog says so and offers Try Again instead of waiting forever. */
static void
test_sign_in_unreachable (UiFixture    *fixture,
                          gconstpointer data)
{
  GtkWidget *dialog = pd_sign_in_dialog_new (fixture->session, NULL);
  GtkStack *stack = ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG, "stack");
  AdwStatusPage *error_page = ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG, "error_page");

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (ui_fixture_wait_stack_page (stack, "error", 20000));
  g_assert_nonnull (adw_status_page_get_description (error_page));
  g_assert_true (button_enabled (dialog, PD_TYPE_SIGN_IN_DIALOG, "retry_button"));
  g_assert_null (pd_session_get_auth (fixture->session));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static gboolean
session_connected (gpointer data)
{
  return pd_session_get_client (data) != NULL;
}

/* PARTNER_DESK_ACCESS_TOKEN: nothing to approve, the session connects and the dialog closes. */
static void
test_sign_in_with_token (UiFixture    *fixture,
                         gconstpointer data)
{
  GtkWidget *dialog;
  GtkWidget *weak;

  g_setenv ("PARTNER_DESK_ACCESS_TOKEN", "test-token", TRUE);
  dialog = pd_sign_in_dialog_new (fixture->session, NULL);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (pd_test_wait_until (session_connected, fixture->session, WAIT_MS));
  g_unsetenv ("PARTNER_DESK_ACCESS_TOKEN");
  g_assert_true (pd_auth_get_signed_in (pd_session_get_auth (fixture->session)));
  g_assert_true (weak == NULL || !gtk_widget_get_visible (weak));
  if (weak != NULL)
    ui_fixture_destroy (GTK_WINDOW (weak));
}

int
main (int argc, char **argv)
{
  ui_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, UiFixture, NULL, ui_fixture_set_up, func, ui_fixture_tear_down)
  ADD ("/dialogs/new-organization/duplicate", test_new_organization_shows_duplicate);
  ADD ("/dialogs/new-organization/create", test_new_organization_creates);
  ADD ("/dialogs/new-organization/added-meanwhile", test_new_organization_added_meanwhile);
  ADD ("/dialogs/new-organization/builds-index", test_new_organization_builds_index);
  ADD ("/dialogs/new-organization/while-others-commit",
       test_new_organization_while_others_commit);
  ADD ("/dialogs/new-organization/steers-away", test_new_organization_steers_away);
  ADD ("/dialogs/new-organization/check-fails", test_new_organization_check_fails);
  ADD ("/dialogs/new-organization/focus", test_new_organization_focus);
  ADD ("/dialogs/untrusted-text-shown-replaced", test_untrusted_text_shown_replaced);
  ADD ("/dialogs/toast-buttons-named", test_toast_buttons_named);
  ADD ("/dialogs/new-organization/enter-right-after-typing",
       test_new_organization_enter_right_after_typing);
  ADD ("/dialogs/consent/offline", test_consent_offline);
  ADD ("/dialogs/consent/no-partner-id", test_consent_without_partner_id);
  ADD ("/dialogs/consent/reseller", test_consent_reseller);
  ADD ("/dialogs/consent/email-fallback", test_consent_email_fallback);
  ADD ("/dialogs/entry-row/apply", test_entry_row_apply);
  ADD ("/dialogs/preferences/urls-and-role", test_preferences_urls_and_role);
  ADD ("/dialogs/preferences/my-resellers", test_preferences_my_resellers);
  ADD ("/dialogs/preferences/my-resellers-search", test_preferences_my_resellers_search);
  ADD ("/dialogs/sign-in/unreachable", test_sign_in_unreachable);
  ADD ("/dialogs/sign-in/token", test_sign_in_with_token);
#undef ADD
  g_test_add_func ("/dialogs/consent/mailto", test_mailto_is_escaped);
  g_test_add_func ("/dialogs/demo/settings", test_demo_settings);
  return g_test_run ();
}
