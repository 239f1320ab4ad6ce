/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accessibility.c — every interactive widget of the editor and the dialogs has an
 * accessible name (what a screen reader says), walking the real widget trees. */
#include "config.h"

#include "pd-bill-to-editor-private.h"
#include "pd-consent-dialog.h"
#include "pd-new-organization-dialog.h"
#include "pd-organization-editor.h"
#include "pd-preferences-window.h"
#include "pd-sign-in-dialog.h"
#include "pd-tag-row-private.h"
#include "pd-test-util.h"
#include "ui-fixture.h"

#define WAIT_MS 3000

/* A focusable scroller under root: a Tab stop with no name (AT-SPI: "scroll pane ''"). */
static gboolean
has_focusable_scroller (GtkWidget *root)
{
  if (GTK_IS_SCROLLED_WINDOW (root) && gtk_widget_get_can_focus (root))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_focusable_scroller (child))
      return TRUE;
  return FALSE;
}

/* A focusable GtkFlowBoxChild under root: a Tab stop with no name. */
static gboolean
has_focusable_flow_box_child (GtkWidget *root)
{
  if (GTK_IS_FLOW_BOX_CHILD (root) && gtk_widget_get_focusable (root))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_focusable_flow_box_child (child))
      return TRUE;
  return FALSE;
}

static void
test_editor (UiFixture    *fixture,
             gconstpointer data)
{
  GtkWidget *editor = pd_organization_editor_new (fixture->session);
  GtkWindow *window = ui_fixture_present (editor);
  PdBillToEditor *bill_to = ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR,
                                              "bill_to_editor");
  g_autoptr(GError) error = NULL;
  PdTagRow *segments;

  /* Nothing selected: the empty page is text, no Tab stop. */
  g_assert_false (has_focusable_scroller (
    gtk_stack_get_child_by_name (ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR, "stack"),
                                 "empty")));
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
  ui_fixture_assert_all_named (editor);
  /* A tag is one Tab stop (its Remove button), not two: the chip's box child took a nameless
   * one before (AT-SPI: "table cell GtkFlowBoxChild"). */
  segments = ui_fixture_child (editor, PD_TYPE_ORGANIZATION_EDITOR, "segments_row");
  pd_tag_row_add_tag (segments, "SMB");
  g_assert_false (has_focusable_flow_box_child (GTK_WIDGET (segments)));
  /* Its Add button says to which list it adds, as its entry does. */
  gtk_test_accessible_assert_property (ui_fixture_child (segments, PD_TYPE_TAG_ROW, "add_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Add to Segments");
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
  ui_fixture_assert_all_named (dialog);
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static void
test_consent_dialog (UiFixture    *fixture,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *dap_switch;

  g_assert_true (pd_store_set_meta (fixture->store, "partner-tenant-id", FIXTURE_PARTNER_TENANT,
                                    &error));
  dialog = pd_consent_dialog_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_assert_all_named (dialog);
  /* The DAP choice is one Tab stop, its switch, not its row and then its switch. */
  dap_switch = ui_fixture_child (dialog, PD_TYPE_CONSENT_DIALOG, "dap_switch");
  g_assert_true (gtk_widget_get_focusable (dap_switch));
  g_assert_false (gtk_widget_get_focusable (gtk_widget_get_ancestor (dap_switch,
                                                                     ADW_TYPE_ACTION_ROW)));
  ui_fixture_destroy (GTK_WINDOW (dialog));
}

static void
test_preferences_window (UiFixture    *fixture,
                         gconstpointer data)
{
  GtkWidget *window = pd_preferences_window_new (fixture->session, NULL);

  gtk_window_present (GTK_WINDOW (window));
  ui_fixture_assert_all_named (window);
  ui_fixture_destroy (GTK_WINDOW (window));
}

static void
test_sign_in_dialog (UiFixture    *fixture,
                     gconstpointer data)
{
  GtkWidget *dialog = pd_sign_in_dialog_new (fixture->session, NULL);

  gtk_window_present (GTK_WINDOW (dialog));
  ui_fixture_assert_all_named (dialog);
  /* The login service of the test environment is a closed port: the error page follows. */
  g_assert_true (ui_fixture_wait_stack_page (ui_fixture_child (dialog, PD_TYPE_SIGN_IN_DIALOG,
                                                               "stack"), "error", 20000));
  ui_fixture_assert_all_named (dialog);
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
