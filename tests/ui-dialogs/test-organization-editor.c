/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-organization-editor.c — the detail editor on real widgets: bill-to overrides with
 * their warning, revert, the live missing-fields list, ERP ID clashes, undo, saving. */
#include "config.h"

#include <math.h>

#include <sqlite3.h>

#include "pd-app-util-private.h"
#include "pd-bill-to-editor-private.h"
#include "pd-code-row.h"
#include "pd-entry-row.h"
#include "pd-history-list-private.h"
#include "pd-organization-editor-private.h"
#include "pd-tag-row-private.h"
#include "pd-test-util.h"
#include "ui-fixture.h"

#define SAVE_TIMEOUT_MS 3000

typedef struct
{
  UiFixture             base;
  PdOrganizationEditor *editor;
  PdBillToEditor       *bill_to;
  GtkWindow            *window;
} EditorFixture;

static void
editor_set_up (EditorFixture *fixture,
               gconstpointer  data)
{
  ui_fixture_set_up (&fixture->base, data);
  fixture->editor = PD_ORGANIZATION_EDITOR (pd_organization_editor_new (fixture->base.session));
  fixture->bill_to = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                       "bill_to_editor");
  fixture->window = ui_fixture_present (GTK_WIDGET (fixture->editor));
}

static void
editor_tear_down (EditorFixture *fixture,
                  gconstpointer  data)
{
  ui_fixture_destroy (fixture->window);
  ui_fixture_tear_down (&fixture->base, data);
}

static PdOrganization *
load (EditorFixture *fixture,
      gint64         id)
{
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_store_get (fixture->base.store, id, &error);

  g_assert_no_error (error);
  return org;
}

typedef struct
{
  EditorFixture *fixture;
  gint64         id;
  PdBillToField  field;
  gboolean       expected;
} OverrideWait;

static gboolean
override_is (gpointer data)
{
  OverrideWait *wait = data;
  g_autoptr(PdOrganization) org = load (wait->fixture, wait->id);

  return pd_organization_is_field_overridden (org, wait->field) == wait->expected;
}

static void
type_text (GtkWidget  *editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static void
test_empty_state (EditorFixture *fixture,
                  gconstpointer  data)
{
  GtkStack *stack = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "stack");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "editor");
  g_assert_cmpint (pd_organization_editor_get_organization_id (fixture->editor), ==,
                   fixture->base.contoso_id);
  pd_organization_editor_set_organization_id (fixture->editor, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
}

static void
test_header (EditorFixture *fixture,
             gconstpointer  data)
{
  GtkLabel *name;
  AdwActionRow *tenant;
  g_autofree char *copied = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  name = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "name_label");
  tenant = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "tenant_row");
  g_assert_cmpstr (gtk_label_get_label (name), ==, "Contoso Ltd");
  g_assert_cmpstr (adw_action_row_get_subtitle (tenant), ==, FIXTURE_CONTOSO_TENANT);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor),
                                             "editor.copy-tenant-id", NULL));
  copied = ui_fixture_read_clipboard (GTK_WIDGET (fixture->editor));
  g_assert_cmpstr (copied, ==, FIXTURE_CONTOSO_TENANT);
}

/* A customer gone from Partner Center says so; its local data stays on screen. */
static void
test_removed_notice (EditorFixture *fixture,
                     gconstpointer  data)
{
  GtkWidget *notice = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                        "removed_box");
  GtkWidget *missing = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "missing_list");
  g_autoptr(GError) error = NULL;
  gint64 run_id;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_false (gtk_widget_get_visible (notice));
  run_id = pd_store_begin_sync_run (fixture->base.store, PD_SYNC_KIND_INCREMENTAL, "ui-test",
                                    NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_mark_removed (fixture->base.store, run_id, FIXTURE_CONTOSO_TENANT,
                                        &error));
  g_assert_true (pd_store_finish_sync_run (fixture->base.store, run_id, PD_SYNC_STATE_COMPLETE,
                                           NULL, &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->base.session, fixture->base.contoso_id);
  g_assert_true (gtk_widget_get_visible (notice));
  /* Its bill-to, complete as last synced, takes no order any more. */
  g_assert_null (ui_fixture_find_text (missing, GTK_TYPE_LABEL, "accepts orders"));
  g_assert_nonnull (ui_fixture_find_text (missing, GTK_TYPE_LABEL, "orders cannot be placed"));
}

/* Journey 3: a local bill-to edit shows the warning and is stored as an override; the row
 * then shows the Partner Center value and a revert button that drops the override. */
static void
test_bill_to_override_and_revert (EditorFixture *fixture,
                                  gconstpointer  data)
{
  OverrideWait wait = { fixture, fixture->base.contoso_id, PD_BILL_TO_CITY, TRUE };
  GtkWidget *row;
  GtkWidget *revert;
  g_autoptr(PdOrganization) org = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_false (pd_bill_to_editor_get_warning_visible (fixture->bill_to));

  row = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_CITY);
  type_text (row, "Hamburg");
  g_assert_true (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
  g_assert_true (pd_test_wait_until (override_is, &wait, SAVE_TIMEOUT_MS));

  org = load (fixture, fixture->base.contoso_id);
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to (org), PD_BILL_TO_CITY), ==,
                   "Hamburg");
  g_assert_cmpstr (pd_bill_to_get (pd_organization_get_bill_to_partner_center (org),
                                   PD_BILL_TO_CITY), ==, "Berlin");
  g_assert_true (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Hamburg");

  revert = pd_bill_to_editor_get_revert_button (fixture->bill_to, PD_BILL_TO_CITY);
  g_assert_true (gtk_widget_get_visible (revert));
  g_assert_nonnull (ui_fixture_find_text (row, GTK_TYPE_LABEL, "Berlin"));
  g_assert_true (gtk_widget_activate (revert));

  wait.expected = FALSE;
  g_assert_true (pd_test_wait_until (override_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Berlin");
  g_assert_false (gtk_widget_get_visible (revert));
}

/* An organization that already has an override shows the warning as soon as it is opened. */
static void
test_warning_for_existing_override (EditorFixture *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_bill_to_field (fixture->base.store, fixture->base.contoso_id,
                                             PD_BILL_TO_EMAIL, "ap@contoso.com", &error));
  g_assert_no_error (error);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  g_assert_false (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_true (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
  g_assert_true (gtk_widget_get_visible (pd_bill_to_editor_get_revert_button (fixture->bill_to,
                                                                             PD_BILL_TO_EMAIL)));
}

static gboolean
strv_has (char       **strv,
          const char  *item)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, item);
}

/* Journey 2: exactly which fields are missing for the country, updated while typing. */
static void
test_missing_fields_update (EditorFixture *fixture,
                            gconstpointer  data)
{
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  GtkWidget *postal;
  GtkWidget *missing = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "missing_list");

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  before = pd_bill_to_editor_dup_problem_fields (fixture->bill_to);
  g_assert_true (strv_has (before, "address.postalCode"));
  g_assert_true (strv_has (before, "address.state"));
  postal = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_POSTAL_CODE);
  g_assert_true (gtk_widget_has_css_class (postal, "error"));

  /* The state problem lists the allowed codes. */
  g_assert_nonnull (ui_fixture_find_text (missing, GTK_TYPE_LABEL, "WA"));
  /* Activating a problem in the list takes the focus to its field. */
  g_assert_true (gtk_widget_activate (gtk_widget_get_first_child (missing)));
  g_assert_true (pd_app_util_has_focus_within (pd_bill_to_editor_get_row (fixture->bill_to,
                                                                          PD_BILL_TO_STATE)));

  type_text (postal, "98052");
  after = pd_bill_to_editor_dup_problem_fields (fixture->bill_to);
  g_assert_false (strv_has (after, "address.postalCode"));
  g_assert_true (strv_has (after, "address.state"));
  g_assert_false (gtk_widget_has_css_class (postal, "error"));
}

static GtkWidget *
find_icon (GtkWidget  *root,
           const char *icon_name)
{
  if (GTK_IS_IMAGE (root) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (root)), icon_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon (child, icon_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A bill-to completed only locally is a warning, not a success: Microsoft still refuses
 * orders, and the row has nothing local to go to. */
static void
test_local_fill_is_a_warning (EditorFixture *fixture,
                              gconstpointer  data)
{
  GtkWidget *missing = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "missing_list");
  g_auto(GStrv) problems = NULL;
  GtkWidget *label, *row, *icon;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  type_text (pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_POSTAL_CODE), "98052");
  type_text (pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_STATE), "WA");
  problems = pd_bill_to_editor_dup_problem_fields (fixture->bill_to);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);

  label = ui_fixture_find_text (missing, GTK_TYPE_LABEL, "Filled in locally");
  g_assert_nonnull (label);
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW);
  icon = find_icon (row, "dialog-warning-symbolic");
  g_assert_nonnull (icon);
  g_assert_true (gtk_widget_has_css_class (icon, "warning"));
  g_assert_false (gtk_widget_has_css_class (icon, "success"));
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
}

/* Partner Center's bill-to is complete and a local edit emptied the City: Microsoft still
 * accepts orders (it checks Partner Center's), which the editor says first; the gap is the
 * local edit's, a warning that takes the user to the field, not a refusal (it read "City is
 * required" in red under "Needed Before Orders", while the list showed ✓ and show said
 * "orders can be placed"). */
static void
test_local_gap_is_not_a_refusal (EditorFixture *fixture,
                                 gconstpointer  data)
{
  GtkWidget *missing = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "missing_list");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  GtkWidget *complete, *gap, *icon;

  g_assert_true (pd_store_set_bill_to_field (fixture->base.store, fixture->base.contoso_id,
                                             PD_BILL_TO_CITY, "", &error));
  g_assert_no_error (error);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  problems = pd_bill_to_editor_dup_problem_fields (fixture->bill_to);
  g_assert_true (strv_has (problems, "address.city"));

  complete = ui_fixture_find_text (missing, GTK_TYPE_LABEL,
                                   "Complete in Partner Center: Microsoft accepts orders");
  g_assert_nonnull (complete);
  g_assert_nonnull (ui_fixture_find_text (missing, GTK_TYPE_LABEL,
                                          "With your local edits the bill-to would lack:"));
  g_assert_true (gtk_widget_get_ancestor (complete, GTK_TYPE_LIST_BOX_ROW)
                 == gtk_widget_get_first_child (missing));
  gap = gtk_widget_get_next_sibling (gtk_widget_get_first_child (missing));
  g_assert_nonnull (gap);
  icon = find_icon (gap, "dialog-warning-symbolic");
  g_assert_nonnull (icon);
  g_assert_true (gtk_widget_has_css_class (icon, "warning"));
  g_assert_false (gtk_widget_has_css_class (icon, "error"));
  /* It still takes the keyboard to the field. */
  g_assert_true (gtk_widget_activate (gap));
  g_assert_true (pd_app_util_has_focus_within (pd_bill_to_editor_get_row (fixture->bill_to,
                                                                          PD_BILL_TO_CITY)));
}

/* A local edit over a bill-to whose latest read failed: Partner Center's value beside it is
 * the one last read, and a screen reader is told so, not that Partner Center has it now. */
static void
test_local_edit_note_as_last_read (EditorFixture *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *email_row;
  GtkWidget *text;
  GtkWidget *entry;

  g_assert_true (pd_store_set_bill_to_field (fixture->base.store, fixture->base.contoso_id,
                                             PD_BILL_TO_EMAIL, "local@example.com", &error));
  g_assert_true (pd_store_set_bill_to_unreadable (fixture->base.store, FIXTURE_CONTOSO_TENANT,
                                                  "timed out", &error));
  g_assert_no_error (error);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  email_row = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_EMAIL);
  /* The row's text (its delegate) is inside the entry a screen reader is told of. */
  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (email_row)));
  g_assert_nonnull (text);
  entry = gtk_widget_get_ancestor (text, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  g_assert_null (gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
    "Local edit, kept only in Partner Desk. Partner Center value as last read: "
    "billing@example.com"));
}

/* Waits for one of Contoso's stored fields to hold a value. */
typedef struct
{
  EditorFixture *fixture;
  const char  *(*get) (PdOrganization *org);
  const char    *expected;  /* NULL = unset */
} StoredWait;

static gboolean
stored_is (gpointer data)
{
  StoredWait *wait = data;
  g_autoptr(PdOrganization) org = load (wait->fixture, wait->fixture->base.contoso_id);

  return g_strcmp0 (wait->get (org), wait->expected) == 0;
}

/* ---- the registration number some countries require ---- */

#define RU_REASON "A registration number is required in Russia"

/* Contoso's bill-to, moved to Russia: complete there but for the registration number. */
static void
move_contoso_to_russia (EditorFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_bill_to_field (fixture->base.store, fixture->base.contoso_id,
                                             PD_BILL_TO_COUNTRY, "RU", &error));
  g_assert_true (pd_store_set_bill_to_field (fixture->base.store, fixture->base.contoso_id,
                                             PD_BILL_TO_POSTAL_CODE, "101000", &error));
  g_assert_no_error (error);
}

static GtkWidget *
registration_row (EditorFixture *fixture)
{
  return ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "registration_row");
}

/* The row shows the error and its reason; the missing list (the bill-to's problems) has it. */
static void
assert_registration_missing (EditorFixture *fixture,
                             gboolean       missing)
{
  GtkWidget *row = registration_row (fixture);
  GtkWidget *list = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "missing_list");
  g_auto(GStrv) problems = pd_bill_to_editor_dup_problem_fields (fixture->bill_to);
  const char *tooltip = gtk_widget_get_tooltip_text (row);

  g_assert_cmpint (gtk_widget_has_css_class (row, "error"), ==, missing);
  g_assert_cmpint (strv_has (problems, "registrationNumber"), ==, missing);
  g_assert_cmpint (ui_fixture_find_text (list, GTK_TYPE_LABEL, RU_REASON) != NULL, ==, missing);
  if (missing)
    g_assert_cmpstr (tooltip, ==, RU_REASON);
  else
    g_assert_null (tooltip);
}

/* A Russian organization without a registration number: the row says it is required, live as
 * the number is typed, saved, cleared and changed elsewhere. */
static void
test_registration_number_required (EditorFixture *fixture,
                                   gconstpointer  data)
{
  GtkWidget *row = registration_row (fixture);
  GtkWidget *list = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "missing_list");
  StoredWait wait = { fixture, pd_organization_get_registration_number, "1027700132195" };
  g_autoptr(GError) error = NULL;

  move_contoso_to_russia (fixture);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  assert_registration_missing (fixture, TRUE);
  /* It is the only problem (of the local edits: Partner Center's German bill-to is complete,
   * said first); activating it takes the focus to the row. */
  g_assert_true (gtk_widget_activate (gtk_widget_get_ancestor (
    ui_fixture_find_text (list, GTK_TYPE_LABEL, RU_REASON), GTK_TYPE_LIST_BOX_ROW)));
  g_assert_true (pd_app_util_has_focus_within (row));

  type_text (row, "1027700132195");
  assert_registration_missing (fixture, FALSE);
  g_assert_nonnull (ui_fixture_find_text (list, GTK_TYPE_LABEL, "Complete"));
  g_assert_true (pd_test_wait_until (stored_is, &wait, SAVE_TIMEOUT_MS));
  assert_registration_missing (fixture, FALSE);

  /* Blank is missing, before and after the save. */
  type_text (row, "  ");
  assert_registration_missing (fixture, TRUE);
  pd_organization_editor_flush (fixture->editor);
  wait.expected = NULL;
  g_assert_true (stored_is (&wait));
  assert_registration_missing (fixture, TRUE);
  /* Typed and cleared before the save: nothing to write, and still missing. */
  type_text (row, "1");
  assert_registration_missing (fixture, FALSE);
  type_text (row, "");
  pd_organization_editor_flush (fixture->editor);
  assert_registration_missing (fixture, TRUE);

  /* The required-number error is not a refused value: a number set elsewhere shows. */
  g_assert_true (pd_store_set_field (fixture->base.store, fixture->base.contoso_id,
                                     "registration-number", "7707083893", &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->base.session, fixture->base.contoso_id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "7707083893");
  assert_registration_missing (fixture, FALSE);
}

/* The requirement follows the bill-to's country as typed, and the organization shown. */
static void
test_registration_number_follows_country (EditorFixture *fixture,
                                          gconstpointer  data)
{
  GtkWidget *country = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_COUNTRY);

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  assert_registration_missing (fixture, FALSE);
  type_text (country, "RU");
  g_assert_true (gtk_widget_has_css_class (registration_row (fixture), "error"));
  g_assert_true (strstr (gtk_widget_get_tooltip_text (registration_row (fixture)), "Russia")
                 != NULL);
  type_text (country, "DE");
  assert_registration_missing (fixture, FALSE);
  type_text (country, "RU");
  pd_organization_editor_flush (fixture->editor);
  assert_registration_missing (fixture, TRUE);

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  g_assert_false (gtk_widget_has_css_class (registration_row (fixture), "error"));
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  assert_registration_missing (fixture, TRUE);
}

/* An ERP ID that another organization uses is not saved, stays typed, and names the other. */
static void
test_erp_clash (EditorFixture *fixture,
                gconstpointer  data)
{
  GtkWidget *erp_row = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "erp_row");
  AdwPreferencesRow *error_row = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                                   "erp_error_row");
  g_autoptr(PdOrganization) org = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  type_text (erp_row, "ERP-100");
  g_assert_true (ui_fixture_wait_visible (GTK_WIDGET (error_row), SAVE_TIMEOUT_MS));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (error_row), "Northwind Traders"));
  g_assert_true (gtk_widget_has_css_class (erp_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (erp_row)), ==, "ERP-100");
  org = load (fixture, fixture->base.contoso_id);
  g_assert_null (pd_organization_get_erp_id (org));
}

/* Edits save by themselves; Undo (the window's win.undo: the toast's button and Ctrl+Z)
 * restores the old value and the history records both. */
static void
test_autosave_and_undo (EditorFixture *fixture,
                        gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  PdHistoryList *history = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                             "history_list");
  StoredWait wait = { fixture, pd_organization_get_account_manager, "Alice Andersson" };
  guint rows_before;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  rows_before = pd_history_list_get_n_rows (history);
  type_text (manager, "Alice Andersson");
  g_assert_true (pd_test_wait_until (stored_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_cmpuint (pd_history_list_get_n_rows (history), >, rows_before);

  g_assert_true (pd_organization_editor_get_can_undo (fixture->editor));
  pd_organization_editor_undo (fixture->editor);
  g_assert_false (pd_organization_editor_get_can_undo (fixture->editor));
  wait.expected = NULL;
  g_assert_true (stored_is (&wait));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (manager)), ==, "");
}

/* A pending (debounced) edit is written by flush and when switching organization. */
static void
test_flush_on_switch (EditorFixture *fixture,
                      gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  StoredWait wait = { fixture, pd_organization_get_account_manager, "Bob" };

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  type_text (manager, "Bob");
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  g_assert_true (stored_is (&wait));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (manager)), ==, "");
  /* Undo never reaches back into the organization no longer shown. */
  g_assert_false (pd_organization_editor_get_can_undo (fixture->editor));
  pd_organization_editor_undo (fixture->editor);
  g_assert_true (stored_is (&wait));
}

/* Another program (the CLI, the timer's sync) keeps the cache locked while an edit is saved:
 * the window freezes a second at most (before: the store's whole busy timeout, 5 s), and the
 * edit is not lost with its error, but written once the cache is free, though another
 * organization is shown by then. */
static void
test_saved_after_busy (EditorFixture *fixture,
                       gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  StoredWait wait = { fixture, pd_organization_get_account_manager, "Carol" };
  sqlite3 *other = NULL;
  gint64 start;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_cmpint (sqlite3_open (pd_store_get_path (fixture->base.store), &other), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  type_text (manager, "Carol");
  /* The save waits a moment (a sleep, not work: the bound holds on a busy machine), and is
   * refused. */
  start = g_get_monotonic_time ();
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (stored_is (&wait));

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (pd_test_wait_until (stored_is, &wait, 10000));
}

/* Holds the cache's write lock from another connection, as another program's sync does. */
static sqlite3 *
lock_cache (EditorFixture *fixture)
{
  sqlite3 *other = NULL;

  g_assert_cmpint (sqlite3_open (pd_store_get_path (fixture->base.store), &other), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return other;
}

static gboolean
tooltip_starts_with (gpointer data)
{
  GtkWidget *widget = ((gpointer *) data)[0];
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  return tooltip != NULL && g_str_has_prefix (tooltip, ((gpointer *) data)[1]);
}

/* An edit a busy cache refused, kept to be written again, yields: to a value another program
 * wrote meanwhile (not written over it unseen; the field names the user's value), and to the
 * user's own Undo (dropped, not tried again 2 s after it). */
static void
test_busy_retry_yields (EditorFixture *fixture,
                        gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  StoredWait dave = { fixture, pd_organization_get_account_manager, "Dave" };
  StoredWait erin = { fixture, pd_organization_get_account_manager, "Erin" };
  StoredWait carol = { fixture, pd_organization_get_account_manager, "Carol" };
  gpointer conflict[] = { manager, "Another program changed this field" };
  g_autofree char *write_dave = NULL;
  sqlite3 *other;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  other = lock_cache (fixture);
  type_text (manager, "Carol");
  pd_organization_editor_flush (fixture->editor);   /* waits a moment: refused */
  g_assert_false (stored_is (&carol));
  write_dave = g_strdup_printf ("INSERT INTO local_fields (org_id, account_manager) VALUES "
                                "(%" G_GINT64_FORMAT ", 'Dave') ON CONFLICT (org_id) DO UPDATE "
                                "SET account_manager = 'Dave'", fixture->base.contoso_id);
  g_assert_cmpint (sqlite3_exec (other, write_dave, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (pd_test_wait_until (tooltip_starts_with, conflict, 10000));
  g_assert_true (stored_is (&dave));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (manager), "Carol"));

  /* Erin saved; then Frank refused and kept; then Undo, with the cache free again. */
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  type_text (manager, "Erin");
  pd_organization_editor_flush (fixture->editor);
  g_assert_true (stored_is (&erin));
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  type_text (manager, "Frank");
  pd_organization_editor_flush (fixture->editor);
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  pd_organization_editor_undo (fixture->editor);
  g_assert_true (stored_is (&dave));
  /* The kept "Frank" is dropped by the Undo: not tried again 2 s later, neither written
   * back nor reported as a change by another program. */
  g_assert_false (pd_test_wait_until (tooltip_starts_with, conflict, 3500));
  g_assert_true (stored_is (&dave));
}

/* A toast of overlay (not its content, where a field may say the same) holds a label with
 * text. data: { overlay, text } */
static gboolean
toast_says (gpointer data)
{
  GtkWidget *overlay = ((gpointer *) data)[0];
  GtkWidget *content = adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay));

  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != content && ui_fixture_find_text (child, GTK_TYPE_LABEL, ((gpointer *) data)[1]))
      return TRUE;
  return FALSE;
}

/* An edit whose organization cannot be read when it is saved (here another program took a
 * table away for a moment; a cache failing otherwise) is said on its field and in a toast,
 * and the typed value stays in the field. Before, the edit was dropped without a word. */
static void
test_unreadable_edit_said (EditorFixture *fixture,
                           gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");
  StoredWait grace = { fixture, pd_organization_get_account_manager, "Grace" };
  const char *reason;
  sqlite3 *other = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_cmpint (sqlite3_open (pd_store_get_path (fixture->base.store), &other), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "ALTER TABLE synced_unchanged RENAME TO away", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  type_text (manager, "Grace");
  pd_organization_editor_flush (fixture->editor);
  g_assert_cmpint (sqlite3_exec (other, "ALTER TABLE away RENAME TO synced_unchanged", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  reason = pd_entry_row_get_error (PD_ENTRY_ROW (manager));
  g_assert_nonnull (reason);
  g_assert_true (pd_test_wait_until (toast_says, (gpointer[]) { overlay, (gpointer) reason },
                                     5000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (manager)), ==, "Grace");
  g_assert_false (stored_is (&grace));
  /* Typed again once the cache reads, it is saved. */
  type_text (manager, "Grace Hopper");
  pd_organization_editor_flush (fixture->editor);
  grace.expected = "Grace Hopper";
  g_assert_true (stored_is (&grace));
  g_assert_null (pd_entry_row_get_error (PD_ENTRY_ROW (manager)));
}

/* Another program (partner-desk-cli set) writes a field while the user types in it: the
 * user's value, typed last, is saved, and the toast names the value it replaced, which its
 * Undo brings back. Before, the other program's value was written over without a word. The
 * user's own earlier value of the field is not named as another's. */
static void
test_typed_over_other_program (EditorFixture *fixture,
                               gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");
  StoredWait anna = { fixture, pd_organization_get_account_manager, "Anna" };
  StoredWait carl = { fixture, pd_organization_get_account_manager, "Carl" };
  StoredWait anna_b = { fixture, pd_organization_get_account_manager, "Anna B" };
  g_autoptr(PdStore) cli = NULL;
  g_autoptr(GError) error = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  cli = pd_store_open (pd_store_get_path (fixture->base.store), &error);
  g_assert_no_error (error);
  type_text (manager, "Anna");
  g_assert_true (pd_store_set_field (cli, fixture->base.contoso_id, "account-manager", "Carl",
                                     &error));
  g_assert_no_error (error);
  pd_organization_editor_flush (fixture->editor);
  g_assert_true (stored_is (&anna));
  g_assert_true (pd_test_wait_until (toast_says, (gpointer[]) { overlay, "saved over “Carl”" },
                                     5000));
  pd_organization_editor_undo (fixture->editor);
  g_assert_true (stored_is (&carl));

  /* The user's own saves, one after the other, are plainly saved. */
  type_text (manager, "Anna");
  pd_organization_editor_flush (fixture->editor);
  type_text (manager, "Anna B");
  pd_organization_editor_flush (fixture->editor);
  g_assert_true (stored_is (&anna_b));
  g_assert_true (pd_test_wait_until (toast_says, (gpointer[]) { overlay, "Account manager saved" },
                                     5000));
  g_assert_false (toast_says ((gpointer[]) { overlay, "saved over" }));
}

/* The same, when the cache was busy at the save: the retry that writes over the other
 * program's value names it too (before: a plain "saved"). */
static void
test_typed_over_then_busy (EditorFixture *fixture,
                           gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");
  StoredWait anna = { fixture, pd_organization_get_account_manager, "Anna" };
  g_autoptr(PdStore) cli = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *other;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  cli = pd_store_open (pd_store_get_path (fixture->base.store), &error);
  g_assert_no_error (error);
  type_text (manager, "Anna");
  g_assert_true (pd_store_set_field (cli, fixture->base.contoso_id, "account-manager", "Carl",
                                     &error));
  g_assert_no_error (error);
  other = lock_cache (fixture);
  pd_organization_editor_flush (fixture->editor);   /* waits a moment: refused, kept */
  g_assert_false (stored_is (&anna));
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (pd_test_wait_until (stored_is, &anna, 10000));
  g_assert_true (pd_test_wait_until (toast_says, (gpointer[]) { overlay, "saved over “Carl”" },
                                     5000));
}

/* The editor alone in a new window width px wide, presented, showing Contoso. */
static void
present_editor_at_width (EditorFixture *fixture,
                         int            width)
{
  g_object_ref (fixture->editor);
  gtk_window_set_child (fixture->window, NULL);
  ui_fixture_destroy (fixture->window);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, width, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->editor));
  g_object_unref (fixture->editor);
  gtk_window_present (fixture->window);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  pd_test_spin (200);
}

/* Undo while typing takes back the typing, not saved yet: the field shows its saved value and
 * nothing is saved a moment later. Before, Undo restored an older field, and the typing was
 * saved anyway; with nothing older, Undo did nothing at all. */
static void
test_undo_while_typing (EditorFixture *fixture,
                        gconstpointer  data)
{
  GtkWidget *erp = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "erp_row");
  GtkWidget *registration = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                              "registration_row");
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");
  StoredWait erp_saved = { fixture, pd_organization_get_erp_id, "X1" };
  StoredWait registration_saved = { fixture, pd_organization_get_registration_number, "REG9" };

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_false (pd_organization_editor_get_can_undo (fixture->editor));
  type_text (registration, "REG8");
  g_assert_true (pd_organization_editor_get_can_undo (fixture->editor));
  pd_organization_editor_undo (fixture->editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (registration)), ==, "");
  g_assert_false (pd_organization_editor_get_can_undo (fixture->editor));

  type_text (erp, "X1");
  pd_organization_editor_flush (fixture->editor);
  g_assert_true (stored_is (&erp_saved));
  type_text (registration, "REG9");
  pd_organization_editor_undo (fixture->editor);
  g_assert_true (pd_test_wait_until (toast_says,
                                     (gpointer[]) { overlay, "Registration number restored" },
                                     5000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (registration)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (erp)), ==, "X1");
  pd_test_spin (2500);   /* past the save delay of the typing taken back */
  g_assert_true (stored_is (&erp_saved));
  g_assert_false (stored_is (&registration_saved));
  /* The saved change is still there to undo. */
  g_assert_true (pd_organization_editor_get_can_undo (fixture->editor));
  pd_organization_editor_undo (fixture->editor);
  g_assert_false (stored_is (&erp_saved));
}

static gboolean
focus_is_in (GtkWindow *window,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Shift+Tab leaves a field for the one before it (before: it stayed in every PdEntryRow, a
 * trap for a keyboard user going back through a form); Tab comes back. */
static void
test_shift_tab_leaves_field (EditorFixture *fixture,
                             gconstpointer  data)
{
  GtkWidget *erp = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "erp_row");
  GtkWidget *registration = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                              "registration_row");

  present_editor_at_width (fixture, 600);
  g_assert_true (gtk_widget_grab_focus (registration));
  g_assert_true (focus_is_in (fixture->window, registration));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_BACKWARD));
  g_assert_true (focus_is_in (fixture->window, erp));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_is_in (fixture->window, registration));
}

static int
natural_width (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

/* A toast with a long title (a reason, a value it names) does not widen the pane: the window
 * gives the editor its natural width, so the list beside it shrank (744 to 601 px at 1280). */
static void
test_long_toast_keeps_width (EditorFixture *fixture,
                             gconstpointer  data)
{
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");
  int before;
  int width;

  present_editor_at_width (fixture, 340);
  before = natural_width (GTK_WIDGET (fixture->editor));
  width = gtk_widget_get_width (GTK_WIDGET (fixture->editor));
  g_assert_cmpint (width, >, 0);
  _pd_organization_editor_show_toast (fixture->editor,
                                      "Account manager saved over “A value written by another "
                                      "program while you typed, long enough to be cut”, "
                                      "written while you typed", TRUE);
  g_assert_true (pd_test_wait_until (toast_says, (gpointer[]) { overlay, "A value written" },
                                     5000));
  g_test_message ("natural width %d, allocated %d, with the toast %d", before, width,
                  natural_width (GTK_WIDGET (fixture->editor)));
  g_assert_cmpint (natural_width (GTK_WIDGET (fixture->editor)), <=, MAX (before, width));
}

/* A bill-to field typed while another program holds the cache, then changed by that program:
 * the typed value stays on screen while it waits (through reloads), the wait is said, and the
 * value overtaken is named. Before, a reload showed the other value at once, the retry then
 * dropped the typed one without a word, and nothing said the cache was busy. */
static void
test_busy_bill_to_edit_kept_in_sight (EditorFixture *fixture,
                                      gconstpointer  data)
{
  GtkWidget *city = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_CITY);
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");
  g_autofree char *write_city = NULL;
  sqlite3 *other;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  other = lock_cache (fixture);
  type_text (city, "Berlin-Mitte");
  pd_organization_editor_flush (fixture->editor);   /* waits a moment: refused */
  g_assert_true (ui_fixture_wait_text (overlay, GTK_TYPE_LABEL, "The cache is busy", 5000));
  pd_session_notify_changed (fixture->base.session, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city)), ==, "Berlin-Mitte");

  write_city = g_strdup_printf ("INSERT INTO bill_to_overrides (org_id, field, value) VALUES "
                                "(%" G_GINT64_FORMAT ", %d, 'Hamburg')", fixture->base.contoso_id,
                                (int) PD_BILL_TO_CITY);
  g_assert_cmpint (sqlite3_exec (other, write_city, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (ui_fixture_wait_text (overlay, GTK_TYPE_LABEL, "Another program changed this "
                                      "field meanwhile; your value was not saved: Berlin-Mitte",
                                      10000));
  /* The field then shows what the cache holds. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city)), ==, "Hamburg");
}

static gboolean
northwind_is_active (gpointer data)
{
  EditorFixture *fixture = data;
  g_autoptr(PdOrganization) org = load (fixture, fixture->base.northwind_id);

  return pd_organization_get_status (org) == PD_ORG_STATUS_ACTIVE;
}

static void
test_currency_and_status (EditorFixture *fixture,
                          gconstpointer  data)
{
  PdCodeRow *currency = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                              "currency_row");
  AdwComboRow *status = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                          "status_row");
  GtkWidget *approve = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "approve_button");
  g_autoptr(PdOrganization) after_currency = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.northwind_id);
  /* Before any choice the row already says when a change would start. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (currency)),
                            "A change takes effect on 1 "));
  pd_code_row_set_code (currency, "EUR");
  after_currency = load (fixture, fixture->base.northwind_id);
  g_assert_cmpstr (pd_organization_get_currency (after_currency), ==, "EUR");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (currency)),
                                   "Takes effect on 1 "));

  /* A manual organization starts as New: Approve makes it Active. */
  g_assert_cmpuint (adw_combo_row_get_selected (status), ==, PD_ORG_STATUS_NEW);
  g_assert_true (gtk_widget_get_visible (approve));
  g_assert_true (gtk_widget_activate (approve));
  /* A button activated from the keyboard emits "clicked" after its press animation. */
  g_assert_true (pd_test_wait_until (northwind_is_active, fixture, SAVE_TIMEOUT_MS));
  g_assert_cmpuint (adw_combo_row_get_selected (status), ==, PD_ORG_STATUS_ACTIVE);
  g_assert_false (gtk_widget_get_visible (approve));

  adw_combo_row_set_selected (status, PD_ORG_STATUS_BLOCKED);
  g_assert_false (northwind_is_active (fixture));
}

/* ---- the searchable currency row ---- */

typedef struct
{
  EditorFixture *fixture;
  GtkListView   *list;
  guint          n_items;
  const char    *currency;
} CurrencyWait;

static guint
shown_currencies (GtkListView *list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list)));
}

/* The labels of the items the list shows, joined with spaces. */
static char *
dup_shown_currencies (GtkListView *list)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      const char *code = gtk_string_object_get_string (item);

      g_strv_builder_add (builder, *code != '\0' ? code : "(not set)");
    }
  labels = g_strv_builder_end (builder);
  return g_strjoinv (" ", labels);
}

static gboolean
shown_count_is (gpointer data)
{
  CurrencyWait *wait = data;

  return shown_currencies (wait->list) == wait->n_items;
}

static gboolean
stored_currency_is (gpointer data)
{
  CurrencyWait *wait = data;
  g_autoptr(PdOrganization) org = load (wait->fixture, wait->fixture->base.northwind_id);

  return g_strcmp0 (pd_organization_get_currency (org), wait->currency) == 0;
}

/* Types text into the row's search as a user does, and waits for the list to settle on
 * n_items (the search entry reports changes after a short delay). */
static void
search_currency (GtkWidget   *search,
                 CurrencyWait *wait,
                 const char  *text,
                 guint        n_items)
{
  g_autofree char *shown = NULL;

  gtk_editable_set_text (GTK_EDITABLE (search), text);
  wait->n_items = n_items;
  if (!pd_test_wait_until (shown_count_is, wait, SAVE_TIMEOUT_MS))
    {
      shown = dup_shown_currencies (wait->list);
      g_error ("Searching \"%s\" shows %u currencies (%s), expected %u", text,
               shown_currencies (wait->list), shown, n_items);
    }
}

/* Scrolls the row into its window as a user would (GTK 4.8 on X11 cannot place a popup whose
 * anchor is off every monitor); TRUE once it is drawn there. Asked again until the page's
 * scrolled window knows its size. */
static gboolean
scroll_into_view (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (row));
  GtkWidget *scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (row) || !gtk_widget_compute_bounds (row, window, &bounds))
    return FALSE;
  if (bounds.origin.y >= 0
      && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (window))
    return TRUE;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                        + bounds.origin.y - 100);
  return FALSE;
}

/* Opens the popover as Enter on the focused row does. */
static void
open_currency_popover (GtkWidget  *row,
                       GtkPopover *popover)
{
  g_assert_true (pd_test_wait_until (scroll_into_view, row, SAVE_TIMEOUT_MS));
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (ui_fixture_wait_visible (GTK_WIDGET (popover), SAVE_TIMEOUT_MS));
}

static void
test_currency_search (EditorFixture *fixture,
                      gconstpointer  data)
{
  GtkWidget *row = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                     "currency_row");
  GtkPopover *popover = ui_fixture_child (row, PD_TYPE_CODE_ROW, "popover");
  GtkWidget *search = ui_fixture_child (row, PD_TYPE_CODE_ROW, "search_entry");
  GtkListView *list = ui_fixture_child (row, PD_TYPE_CODE_ROW, "list_view");
  GtkWidget *value = ui_fixture_child (row, PD_TYPE_CODE_ROW, "value_label");
  CurrencyWait wait = { fixture, list, 0, NULL };
  guint all = g_strv_length ((char **) pd_currency_codes ()) + 1;
  g_autofree char *shown = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.northwind_id);
  /* A row of the group, reachable and named like the others. */
  /* One name, as a button: the title and the value ("Preferred currency, Not set"). */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)), ==,
                   GTK_ACCESSIBLE_ROLE_BUTTON);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Preferred currency, Not set"));
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (row),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  g_assert_true (gtk_widget_get_focusable (row));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "Not set");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "A change takes effect on 1 "));

  /* Typing filters, without case, on any part of what an item shows (code and name): the
   * codes that start with the search first, then the others in code order. */
  open_currency_popover (row, popover);
  g_assert_cmpuint (shown_currencies (list), ==, all);
  g_assert_nonnull (ui_fixture_find_text (GTK_WIDGET (list), GTK_TYPE_LABEL, "AED — UAE Dirham"));
  search_currency (search, &wait, "eu", 4);
  shown = dup_shown_currencies (list);
  g_assert_cmpstr (shown, ==, "EUR CHE MDL RON");   /* Euro, WIR Euro, Moldovan and Romanian Leu */
  g_clear_pointer (&shown, g_free);
  search_currency (search, &wait, "Ch", 8);
  shown = dup_shown_currencies (list);
  g_assert_cmpstr (shown, ==, "CHE CHF CHW CLP CZK MWK SCR ZMW");
  g_clear_pointer (&shown, g_free);
  search_currency (search, &wait, "not", 1);
  shown = dup_shown_currencies (list);
  g_assert_cmpstr (shown, ==, "(not set)");
  search_currency (search, &wait, "", all);

  /* Enter picks the first match and saves it through the editor: EUR, before "WIR Euro". */
  search_currency (search, &wait, "eur", 2);
  g_signal_emit_by_name (search, "activate");
  wait.currency = "EUR";
  g_assert_true (pd_test_wait_until (stored_currency_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "EUR");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (value), ==, "Euro");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Takes effect on 1 "));

  /* Each opening starts unfiltered; Enter without a match and Escape change nothing. */
  open_currency_popover (row, popover);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_cmpuint (shown_currencies (list), ==, all);
  search_currency (search, &wait, "zzz", 0);
  g_signal_emit_by_name (search, "activate");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_signal_emit_by_name (search, "stop-search");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (stored_currency_is (&wait));

  /* A click on a filtered item picks it; a name finds it too. */
  open_currency_popover (row, popover);
  search_currency (search, &wait, "swiss", 1);
  g_signal_emit_by_name (list, "activate", 0);
  wait.currency = "CHF";
  g_assert_true (pd_test_wait_until (stored_currency_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* "Not set" is a choice too. */
  open_currency_popover (row, popover);
  search_currency (search, &wait, "not set", 1);
  g_signal_emit_by_name (search, "activate");
  wait.currency = NULL;
  g_assert_true (pd_test_wait_until (stored_currency_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "Not set");
}

static void
test_segments_tags (EditorFixture *fixture,
                    gconstpointer  data)
{
  PdTagRow *segments = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "segments_row");
  g_autoptr(PdOrganization) org = NULL;
  const char * const *stored;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  pd_tag_row_add_tag (segments, "Education, SMB");
  org = load (fixture, fixture->base.contoso_id);
  stored = pd_organization_get_segments (org);
  g_assert_nonnull (stored);
  g_assert_true (g_strv_contains (stored, "Education"));
  g_assert_true (g_strv_contains (stored, "SMB"));
}

/* A tag typed without Enter, then another organization opened: the tag is Contoso's (added as
 * a field is saved on leaving), and Fabrikam's entry is empty. Before, the text stayed in the
 * entry for Fabrikam, and closing dropped it. */
static void
test_typed_tag_kept_on_switch (EditorFixture *fixture,
                               gconstpointer  data)
{
  PdTagRow *segments = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "segments_row");
  GtkWidget *entry = ui_fixture_child (GTK_WIDGET (segments), PD_TYPE_TAG_ROW, "entry");
  g_autoptr(PdOrganization) contoso = NULL;
  g_autoptr(PdOrganization) fabrikam = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  type_text (entry, "Retail");
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  contoso = load (fixture, fixture->base.contoso_id);
  fabrikam = load (fixture, fixture->base.fabrikam_id);
  g_assert_nonnull (pd_organization_get_segments (contoso));
  g_assert_true (g_strv_contains (pd_organization_get_segments (contoso), "Retail"));
  g_assert_true (pd_organization_get_segments (fabrikam) == NULL
                 || !g_strv_contains (pd_organization_get_segments (fabrikam), "Retail"));
}

typedef struct
{
  EditorFixture *fixture;
  const char    *expected;
} NameWait;

static gboolean
northwind_name_is (gpointer data)
{
  NameWait *wait = data;
  g_autoptr(PdOrganization) org = load (wait->fixture, wait->fixture->base.northwind_id);

  return g_strcmp0 (pd_organization_get_name (org), wait->expected) == 0;
}

static gboolean
northwind_country_is (gpointer data)
{
  NameWait *wait = data;
  g_autoptr(PdOrganization) org = load (wait->fixture, wait->fixture->base.northwind_id);

  return g_strcmp0 (pd_organization_get_country (org), wait->expected) == 0;
}

/* The country is picked from a searchable row, a button named with the country. */
static void
assert_country_row (GtkWidget  *row,
                    const char *name)
{
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)), ==,
                   GTK_ACCESSIBLE_ROLE_BUTTON);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, name));
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (row),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
}

/* A manual organization's name, domain and country are editable, the country picked by code
 * or name ("fin" finds FI first, "de" and Enter picks DE). Synced organizations hide these
 * rows. */
static void
test_manual_organization_fields (EditorFixture *fixture,
                                 gconstpointer  data)
{
  GtkWidget *group = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                       "manual_group");
  GtkWidget *name = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "name_row");
  GtkWidget *country = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "country_row");
  GtkPopover *popover = ui_fixture_child (country, PD_TYPE_CODE_ROW, "popover");
  GtkLabel *title = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "name_label");
  NameWait wait = { fixture, "Northwind Traders Oy" };
  g_autoptr(PdOrganization) org = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_false (gtk_widget_get_visible (group));
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.northwind_id);
  g_assert_true (gtk_widget_get_visible (group));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Northwind Traders");

  type_text (name, "Northwind Traders Oy");
  g_assert_true (pd_test_wait_until (northwind_name_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_cmpstr (gtk_label_get_label (title), ==, "Northwind Traders Oy");

  assert_country_row (country, "Country, Finland");
  open_currency_popover (country, popover);
  ui_fixture_search_pick (country, PD_TYPE_CODE_ROW, "fin", "FI");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  open_currency_popover (country, popover);
  ui_fixture_search_pick (country, PD_TYPE_CODE_ROW, "de", "DE");
  wait.expected = "DE";
  g_assert_true (pd_test_wait_until (northwind_country_is, &wait, SAVE_TIMEOUT_MS));
  g_assert_cmpstr (pd_code_row_get_code (PD_CODE_ROW (country)), ==, "DE");
  assert_country_row (country, "Country, Germany");
  org = load (fixture, fixture->base.northwind_id);
  g_assert_cmpstr (pd_organization_get_name (org), ==, "Northwind Traders Oy");
}

/* A manual organization's bill-to is its own: a value it holds is not a local edit over
 * Partner Center's, so no Partner Center value stands beside it, no revert button, no warning
 * that Partner Center replaces it, and a screen reader is told none of that either. */
static void
test_manual_bill_to_is_its_own (EditorFixture *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *city, *caption, *revert;

  g_assert_true (pd_store_set_bill_to_field (fixture->base.store, fixture->base.northwind_id,
                                             PD_BILL_TO_CITY, "Espoo", &error));
  g_assert_no_error (error);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.northwind_id);
  city = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_CITY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city)), ==, "Espoo");
  caption = ui_fixture_find_text (city, GTK_TYPE_LABEL, "Partner Center");
  g_assert_true (caption == NULL || !gtk_widget_is_visible (caption));
  revert = find_icon (city, "edit-undo-symbolic");
  g_assert_nonnull (revert);
  g_assert_false (gtk_widget_is_visible (revert));
  g_assert_false (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
  type_text (city, "Espoo 2");
  g_assert_false (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
}

/* Linking a manual organization to a synced tenant moves its local fields there and the
 * editor follows. */
static void
test_link_manual_to_tenant (EditorFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *link = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "link_row");
  g_autoptr(PdOrganization) survivor = NULL;
  g_autoptr(PdOrganization) gone = NULL;
  g_autoptr(GError) error = NULL;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.northwind_id);
  gtk_editable_set_text (GTK_EDITABLE (link), "not-a-synced-tenant and not a guid");
  g_signal_emit_by_name (link, "apply");
  g_assert_true (gtk_widget_has_css_class (link, "error"));
  /* Said in words under the field, not only in red. */
  g_assert_true (g_str_has_prefix (pd_entry_row_get_error (PD_ENTRY_ROW (link)),
                                   "A tenant ID looks like "));
  survivor = load (fixture, fixture->base.northwind_id);
  g_assert_null (pd_organization_get_tenant_id (survivor));
  g_clear_object (&survivor);

  gtk_editable_set_text (GTK_EDITABLE (link), FIXTURE_FABRIKAM_TENANT);
  g_signal_emit_by_name (link, "apply");
  g_assert_cmpint (pd_organization_editor_get_organization_id (fixture->editor), ==,
                   fixture->base.fabrikam_id);
  g_assert_null (pd_entry_row_get_error (PD_ENTRY_ROW (link)));
  g_assert_false (gtk_widget_has_css_class (link, "error"));
  survivor = load (fixture, fixture->base.fabrikam_id);
  g_assert_cmpstr (pd_organization_get_erp_id (survivor), ==, "ERP-100");
  gone = pd_store_get (fixture->base.store, fixture->base.northwind_id, &error);
  g_assert_null (gone);
  g_assert_error (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND);
}

/* Resellers get the "ask your indirect provider" text and a ready-to-send request. */
static void
test_reseller_change_request (EditorFixture *fixture,
                              gconstpointer  data)
{
  GtkWidget *copy = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR,
                                      "copy_request_button");
  GtkWidget *push = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "push_button");
  g_autofree char *request = NULL;

  g_settings_set_string (fixture->base.settings, "partner-role", "reseller");
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  type_text (pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_CITY), "Hamburg");
  g_assert_true (gtk_widget_get_visible (copy));
  g_assert_false (gtk_widget_get_visible (push));
  pd_organization_editor_flush (fixture->editor);

  /* A direct partner pushes instead of asking; the warning follows the setting at once. */
  g_settings_set_string (fixture->base.settings, "partner-role", "direct-partner");
  g_assert_false (gtk_widget_get_visible (copy));
  g_assert_true (gtk_widget_get_visible (push));
  g_settings_set_string (fixture->base.settings, "partner-role", "reseller");
  /* The button copies the request, ready to paste into a mail to the provider. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->bill_to),
                                             "bill-to.copy-change-request", NULL));
  request = ui_fixture_read_clipboard (GTK_WIDGET (fixture->bill_to));
  g_assert_nonnull (request);
  g_assert_nonnull (strstr (request, FIXTURE_CONTOSO_TENANT));
  g_assert_nonnull (strstr (request, "Contoso Ltd"));
  g_assert_nonnull (strstr (request, "Berlin → Hamburg"));
  g_assert_null (strstr (request, "10115"));
}

/* ---- history, undo and a pane that holds still ---- */

/* Saves of one field a moment apart (pauses in the typing) are one history entry and one
 * undo; undoing it leaves no entry behind. */
static void
test_history_merges_typing (EditorFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *manager = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "manager_row");
  PdHistoryList *history = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                             "history_list");
  StoredWait wait = { fixture, pd_organization_get_account_manager, NULL };
  guint rows_before;

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  rows_before = pd_history_list_get_n_rows (history);
  type_text (manager, "M");
  pd_organization_editor_flush (fixture->editor);
  type_text (manager, "MA");
  pd_organization_editor_flush (fixture->editor);
  g_assert_cmpuint (pd_history_list_get_n_rows (history), ==, rows_before + 1);
  g_assert_nonnull (ui_fixture_find_text (GTK_WIDGET (history), GTK_TYPE_LABEL, "(empty) → MA"));

  pd_organization_editor_undo (fixture->editor);
  g_assert_true (stored_is (&wait));
  g_assert_false (pd_organization_editor_get_can_undo (fixture->editor));
  g_assert_cmpuint (pd_history_list_get_n_rows (history), ==, rows_before);
}

/* The history shows labels, not stored values, and says which change was a revert. */
static void
test_history_labels (EditorFixture *fixture,
                     gconstpointer  data)
{
  PdHistoryList *history = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                             "history_list");
  GtkWidget *approve = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "approve_button");
  g_autoptr(GError) error = NULL;
  OverrideWait wait = { fixture, fixture->base.contoso_id, PD_BILL_TO_CITY, FALSE };

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.northwind_id);
  g_assert_true (gtk_widget_activate (approve));
  g_assert_true (pd_test_wait_until (northwind_is_active, fixture, SAVE_TIMEOUT_MS));
  g_assert_nonnull (ui_fixture_find_text (GTK_WIDGET (history), GTK_TYPE_LABEL, "New → Active"));
  g_assert_true (pd_store_set_field (fixture->base.store, fixture->base.northwind_id, "segments",
                                     "Retail,Enterprise", &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->base.session, fixture->base.northwind_id);
  g_assert_nonnull (ui_fixture_find_text (GTK_WIDGET (history), GTK_TYPE_LABEL,
                                          "Retail, Enterprise"));

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  type_text (pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_CITY), "Hamburg");
  pd_organization_editor_flush (fixture->editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor),
                                             "editor.revert-bill-to-field", "i",
                                             (gint32) PD_BILL_TO_CITY));
  g_assert_true (override_is (&wait));
  g_assert_nonnull (ui_fixture_find_text (GTK_WIDGET (history), GTK_TYPE_LABEL,
                                          "Hamburg → Berlin · reverted to the Partner Center "
                                          "value by you"));
  /* Nothing is left that stays in Partner Desk: the card goes. */
  g_assert_false (pd_bill_to_editor_get_warning_visible (fixture->bill_to));
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static double
y_in (GtkWidget *widget,
      GtkWidget *ancestor)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, ancestor, &GRAPHENE_POINT_INIT (0, 0), &point));
  return point.y;
}

typedef struct
{
  GtkWidget *widget;
  GtkWidget *scroller;
  double     y;      /* the widget's top (or, with bottom, its bottom) in the scroller */
  gboolean   bottom;
} PlaceWait;

static gboolean
is_at (gpointer data)
{
  PlaceWait *wait = data;
  double y = y_in (wait->widget, wait->scroller)
             + (wait->bottom ? gtk_widget_get_height (wait->widget) : 0);

  return wait->bottom ? y <= wait->y + 1 : fabs (y - wait->y) < 1;
}

/* Scrolls the pane so that widget's top is y below the pane's top. */
static void
scroll_to (EditorFixture *fixture,
           GtkWidget     *widget,
           double         y)
{
  GtkWidget *scroller = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                          "scroller");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  PlaceWait place = { widget, scroller, y, FALSE };

  g_assert_true (pd_test_wait_until (is_allocated, widget, 2000));
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + y_in (widget, scroller) - y);
  g_assert_true (pd_test_wait_until (is_at, &place, 2000));
}

/* The local-edit card that the first keystroke shows above the field does not move the field
 * under the cursor. */
static void
test_field_holds_still (EditorFixture *fixture,
                        gconstpointer  data)
{
  GtkWidget *scroller = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                          "scroller");
  GtkWidget *warning = ui_fixture_child (fixture->bill_to, PD_TYPE_BILL_TO_EDITOR, "warning_box");
  GtkWidget *city;
  int position = (int) strlen ("Berlin");

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  city = pd_bill_to_editor_get_row (fixture->bill_to, PD_BILL_TO_CITY);
  scroll_to (fixture, city, 300);
  g_assert_true (gtk_widget_grab_focus (city));
  g_assert_cmpfloat_with_epsilon (y_in (city, scroller), 300, 1);
  gtk_editable_insert_text (GTK_EDITABLE (city), "x", -1, &position);
  g_assert_true (pd_test_wait_until (is_allocated, warning, 2000));
  g_assert_cmpfloat_with_epsilon (y_in (city, scroller), 300, 1);
}

/* Another organization opens at its top, with its name. */
static void
test_switch_starts_at_top (EditorFixture *fixture,
                           gconstpointer  data)
{
  GtkWidget *scroller = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                          "scroller");
  GtkWidget *notes = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "notes_view");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  GtkLabel *name = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "name_label");

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_true (pd_test_wait_until (is_allocated, notes, 2000));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.fabrikam_id);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (name), ==, "Fabrikam Inc");
}

/* A toast never covers the notes being typed: they scroll above it. */
static void
test_notes_clear_of_toast (EditorFixture *fixture,
                           gconstpointer  data)
{
  GtkWidget *scroller = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                          "scroller");
  GtkWidget *notes = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR, "notes_view");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes));
  PlaceWait clear = { notes, scroller, 0, TRUE };

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  g_assert_true (pd_test_wait_until (is_allocated, notes, 2000));
  scroll_to (fixture, notes, gtk_widget_get_height (scroller) - gtk_widget_get_height (notes) - 4);
  g_assert_true (gtk_widget_grab_focus (notes));
  gtk_text_buffer_insert_at_cursor (buffer, "Call back on Monday", -1);
  pd_organization_editor_flush (fixture->editor);
  clear.y = gtk_widget_get_height (scroller) - 96;
  g_assert_true (pd_test_wait_until (is_at, &clear, 2000));
}

/* Toasts that follow each other fast: the editor's toast replaced while it slides in, then
 * taken down by a switch to another organization. libadwaita 1.2 freed a toast's state when
 * its slide-out ended while its slide-in still ran, and crashed at the slide-in's end
 * (adw_animation_skip). The toast says the last thing at once, and is gone after the switch. */
static void
test_toasts_in_quick_succession (EditorFixture *fixture,
                                 gconstpointer  data)
{
  GtkWidget *overlay = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                         "toast_overlay");

  pd_organization_editor_set_organization_id (fixture->editor, fixture->base.contoso_id);
  for (guint round = 0; round < 4; round++)
    {
      gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.show-toast", "s",
                                  "First");
      pd_test_spin (60);
      gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.show-toast", "s",
                                  "Second");
      pd_test_spin (60);
      g_assert_null (ui_fixture_find_text (overlay, GTK_TYPE_LABEL, "First"));
      pd_organization_editor_set_organization_id (fixture->editor,
                                                  round % 2 == 0 ? fixture->base.fabrikam_id
                                                                 : fixture->base.contoso_id);
      /* Every animation of the round ends. */
      pd_test_spin (1000);
    }
  pd_test_spin (1000);
  g_assert_null (ui_fixture_find_text (overlay, GTK_TYPE_LABEL, "Second"));
}

/* The currency's value shows whole beside its long subtitle ("A change takes effect on …"):
 * it was cut to "Not…" at any width. */
static void
test_currency_value_whole (EditorFixture *fixture,
                           gconstpointer  data)
{
  PdCodeRow *currency = ui_fixture_child (fixture->editor, PD_TYPE_ORGANIZATION_EDITOR,
                                          "currency_row");
  GtkLabel *value = ui_fixture_child (currency, PD_TYPE_CODE_ROW, "value_label");

  /* The detail pane of a window of 1,200 px is about 340 px wide. */
  present_editor_at_width (fixture, 340);
  g_assert_cmpstr (gtk_label_get_label (value), ==, "Not set");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (value)));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (value)));
}

int
main (int argc, char **argv)
{
  ui_fixture_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, EditorFixture, NULL, editor_set_up, func, editor_tear_down)
  ADD ("/editor/empty-state", test_empty_state);
  ADD ("/editor/header", test_header);
  ADD ("/editor/removed-notice", test_removed_notice);
  ADD ("/editor/local-gap-is-not-a-refusal", test_local_gap_is_not_a_refusal);
  ADD ("/editor/local-edit-note-as-last-read", test_local_edit_note_as_last_read);
  ADD ("/editor/bill-to/override-and-revert", test_bill_to_override_and_revert);
  ADD ("/editor/bill-to/existing-override", test_warning_for_existing_override);
  ADD ("/editor/bill-to/missing-fields", test_missing_fields_update);
  ADD ("/editor/bill-to/local-fill-is-a-warning", test_local_fill_is_a_warning);
  ADD ("/editor/bill-to/reseller-change-request", test_reseller_change_request);
  ADD ("/editor/registration-number/required", test_registration_number_required);
  ADD ("/editor/registration-number/follows-country", test_registration_number_follows_country);
  ADD ("/editor/erp-clash", test_erp_clash);
  ADD ("/editor/autosave-and-undo", test_autosave_and_undo);
  ADD ("/editor/flush-on-switch", test_flush_on_switch);
  ADD ("/editor/saved-after-busy", test_saved_after_busy);
  ADD ("/editor/busy-retry-yields", test_busy_retry_yields);
  ADD ("/editor/busy-bill-to-edit-kept-in-sight", test_busy_bill_to_edit_kept_in_sight);
  ADD ("/editor/unreadable-edit-said", test_unreadable_edit_said);
  ADD ("/editor/typed-over-other-program", test_typed_over_other_program);
  ADD ("/editor/typed-over-then-busy", test_typed_over_then_busy);
  ADD ("/editor/long-toast-keeps-width", test_long_toast_keeps_width);
  ADD ("/editor/shift-tab-leaves-field", test_shift_tab_leaves_field);
  ADD ("/editor/undo-while-typing", test_undo_while_typing);
  ADD ("/editor/currency-and-status", test_currency_and_status);
  ADD ("/editor/currency/search", test_currency_search);
  ADD ("/editor/segments", test_segments_tags);
  ADD ("/editor/typed-tag-kept-on-switch", test_typed_tag_kept_on_switch);
  ADD ("/editor/manual-organization", test_manual_organization_fields);
  ADD ("/editor/manual-bill-to-is-its-own", test_manual_bill_to_is_its_own);
  ADD ("/editor/link-manual-to-tenant", test_link_manual_to_tenant);
  ADD ("/editor/history/merges-typing", test_history_merges_typing);
  ADD ("/editor/history/labels", test_history_labels);
  ADD ("/editor/field-holds-still", test_field_holds_still);
  ADD ("/editor/switch-starts-at-top", test_switch_starts_at_top);
  ADD ("/editor/notes-clear-of-toast", test_notes_clear_of_toast);
  ADD ("/editor/toasts-in-quick-succession", test_toasts_in_quick_succession);
  ADD ("/editor/currency-value-whole", test_currency_value_whole);
#undef ADD
  return g_test_run ();
}
