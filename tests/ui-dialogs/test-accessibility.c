/* test-accessibility.c — every interactive widget of the editor and the dialogs has an
 * accessible name (what a screen reader says), walking the real widget trees. */
#include "config.h"

#include "pd-bill-to-editor.h"
#include "pd-consent-dialog.h"
#include "pd-new-organization-dialog.h"
#include "pd-organization-editor.h"
#include "pd-preferences-window.h"
#include "pd-sign-in-dialog.h"
#include "pd-test-util.h"
#include "ui-fixture.h"

#define WAIT_MS 3000

static gboolean
is_interactive (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget)
         || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_EDITABLE (widget) || GTK_IS_TEXT_VIEW (widget)
         || GTK_IS_DROP_DOWN (widget) || GTK_IS_SPIN_BUTTON (widget)
         || (GTK_IS_LIST_BOX_ROW (widget) && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)));
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  return gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
         || gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *report,
                 guint     *n_checked)
{
  /* What is on screen now; hidden stack pages and unrevealed bars are not reachable. */
  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_interactive (widget))
    {
      (*n_checked)++;
      if (!has_accessible_name (widget))
        {
          GtkWidget *parent = gtk_widget_get_parent (widget);

          g_string_append_printf (report, "%s (in %s, tooltip “%s”)\n",
                                  G_OBJECT_TYPE_NAME (widget),
                                  parent != NULL ? G_OBJECT_TYPE_NAME (parent) : "-",
                                  gtk_widget_get_tooltip_text (widget) ?: "");
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, report, n_checked);
}

static void
assert_all_named (GtkWidget *root)
{
  g_autoptr(GString) report = g_string_new (NULL);
  guint n_checked = 0;

  collect_unnamed (root, report, &n_checked);
  g_test_message ("%u interactive widgets checked in %s", n_checked, G_OBJECT_TYPE_NAME (root));
  g_assert_cmpuint (n_checked, >, 0);
  if (report->len > 0)
    g_test_message ("Without an accessible name:\n%s", report->str);
  g_assert_cmpstr (report->str, ==, "");
}

static void
test_editor (UiFixture    *fixture,
             gconstpointer data)
{
  GtkWidget *editor = pd_organization_editor_new (fixture->session);
  GtkWindow *window = ui_fixture_present (editor);
  PdBillToEditor *bill_to = ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR, "bill_to_editor");
  g_autoptr(GError) error = NULL;

  /* Everything that can show at once: an override (revert button, Partner Center value), the
   * warning with its buttons, the ERP clash row. */
  g_settings_set_string (fixture->settings, "partner-role", "direct-partner");
  g_assert_true (pd_store_set_bill_to_field (fixture->store, fixture->contoso_id,
                                             PD_BILL_TO_CITY, "Hamburg", &error));
  g_assert_no_error (error);
  pd_organization_editor_set_organization_id (PD_ORGANIZATION_EDITOR (editor), fixture->contoso_id);
  g_assert_true (pd_bill_to_editor_get_warning_visible (bill_to));
  gtk_editable_set_text (ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR, "erp_row"),
                         "ERP-100");
  g_assert_true (ui_fixture_wait_visible (ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR,
                                                            "erp_error_row"), WAIT_MS));
  assert_all_named (editor);
  ui_fixture_destroy (window);
}

static void
test_new_organization_dialog (UiFixture    *fixture,
                              gconstpointer data)
{
  GtkWidget *dialog = pd_new_organization_dialog_new (fixture->session, NULL);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_editable_set_text (ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG, "name_row"),
                         "Contoso");
  g_assert_true (ui_fixture_wait_visible (ui_fixture_child (dialog, PD_TYPE_NEW_ORGANIZATION_DIALOG,
                                                            "matches_group"), WAIT_MS));
  assert_all_named (dialog);
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static void
test_consent_dialog (UiFixture    *fixture,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  g_assert_true (pd_store_set_meta (fixture->store, "partner-tenant-id", FIXTURE_PARTNER_TENANT,
                                    &error));
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  assert_all_named (dialog);
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static void
test_preferences_window (UiFixture    *fixture,
                         gconstpointer data)
{
  GtkWidget *window = pd_preferences_window_new (fixture->session, NULL);

  gtk_window_present (GTK_WINDOW (window));
  assert_all_named (window);
  ui_fixture_destroy (GTK_WINDOW (window));
}

static void
test_sign_in_dialog (UiFixture    *fixture,
                     gconstpointer data)
{
  GtkWidget *dialog = pd_sign_in_dialog_new (fixture->session, NULL);

  gtk_window_present (GTK_WINDOW (dialog));
  assert_all_named (dialog);
  /* The login service of the test environment is a closed port: the error page follows. */
  g_assert_true (ui_fixture_wait_stack_page (ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG,
                                                               "stack"), "error", 20000));
  assert_all_named (dialog);
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

int
main (int argc, char **argv)
{
  ui_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, UiFixture, NULL, ui_fixture_set_up, func, ui_fixture_tear_down)
  ADD ("/accessibility/organization-editor", test_editor);
  ADD ("/accessibility/new-organization-dialog", test_new_organization_dialog);
  ADD ("/accessibility/consent-dialog", test_consent_dialog);
  ADD ("/accessibility/preferences-window", test_preferences_window);
  ADD ("/accessibility/sign-in-dialog", test_sign_in_dialog);
#undef ADD
  return g_test_run ();
}
