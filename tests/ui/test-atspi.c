/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-atspi.c — the real window as a screen reader gets it over AT-SPI.
 *
 * The window runs in this process with GTK_A11Y=atspi; tests/ui/atspi-walk.py (Debian's
 * /usr/bin/python3 with pyatspi) walks it while the main loop answers, in each state a user
 * goes through: the list with its rows, the editor with an organization open, the sync view and
 * the main menu. The walk fails on an interactive element without a name, with a doubled name
 * ("Sync Now Sync Now") or with a mnemonic underscore ("_Approve Approve"); and a text field
 * that takes the keyboard focus must be the focused object, named after its title (a screen
 * reader announces nothing else on Tab). */
#include "config.h"

#include "pd-entry-row.h"
#include "pd-new-organization-dialog.h"
#include "pd-preferences-window.h"
#include "pd-test-util.h"
#include "ui-window-fixture.h"

#define PYTHON "/usr/bin/python3"
#define WALK_TIMEOUT_MS 90000

typedef struct
{
  gboolean done;
  char    *out;
  char    *err;
  int      status;
} Walk;

static void
on_walk_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Walk *walk = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &walk->out, &walk->err,
                                        &error);
  g_assert_no_error (error);
  walk->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  walk->done = TRUE;
}

/* Runs the walk while this process keeps answering AT-SPI; asserts it found no problem, saw
 * each role of expect (NULL-terminated) and, unless NULL, that the focused object is focused
 * ("ROLE=NAME") and that its description starts with description. */
static void
assert_walk_finds (const char * const *expect,
                   const char         *focused,
                   const char         *description)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "ui", "atspi-walk.py", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Walk walk = { 0 };

  g_ptr_array_add (argv, (char *) PYTHON);
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, (char *) "--pid");
  g_ptr_array_add (argv, pid);
  for (guint i = 0; expect != NULL && expect[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "--expect");
      g_ptr_array_add (argv, (char *) expect[i]);
    }
  if (focused != NULL)
    {
      g_ptr_array_add (argv, (char *) "--focused");
      g_ptr_array_add (argv, (char *) focused);
    }
  if (description != NULL)
    {
      g_ptr_array_add (argv, (char *) "--focused-description");
      g_ptr_array_add (argv, (char *) description);
    }
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_walk_done, &walk);
  g_assert_true (pd_test_wait_for_flag (&walk.done, WALK_TIMEOUT_MS));
  g_test_message ("walk: %s", walk.err != NULL ? walk.err : "");
  if (walk.out != NULL && *walk.out != '\0')
    g_test_message ("problems:\n%s", walk.out);
  /* The problems first: the assertion then shows them. */
  g_assert_cmpstr (walk.out, ==, "");
  g_assert_cmpint (walk.status, ==, 0);
  g_free (walk.out);
  g_free (walk.err);
}

static void
assert_walk_clean (const char * const *expect)
{
  assert_walk_finds (expect, NULL, NULL);
}

static gboolean
editor_shows (gpointer data)
{
  WindowFixture *fixture = data;

  return pd_organization_list_get_selected_id (window_fixture_list (fixture)) == fixture->contoso_id;
}

static gboolean
popover_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
is_primary_menu_button (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

static void
test_walk_window (WindowFixture *fixture,
                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkMenuButton *menu_button;
  GtkPopover *popover;

  /* The list with its rows, and the editor with an organization open. */
  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->contoso_id));
  g_assert_true (pd_test_wait_until (editor_shows, fixture, 2000));
  pd_test_spin (100);
  assert_walk_clean ((const char *[]) { "table row=Contoso Ltd, bill-to complete",
                                        "table row=Fabrikam Inc, bill-to incomplete",
                                        "tree table=Organizations",
                                        "push button=Preferred currency, ",
                                        "list item=Segments", "list item=Login options",
                                        "text=Company name", "combo box=Status", NULL });

  /* The sync view. */
  g_assert_true (gtk_widget_activate_action (window, "win.show-view", "s", "sync"));
  pd_test_spin (100);
  assert_walk_clean ((const char *[]) { "push button", NULL });

  /* The main menu, open. */
  menu_button = GTK_MENU_BUTTON (ui_find_matching (window, is_primary_menu_button, NULL));
  g_assert_nonnull (menu_button);
  gtk_menu_button_popup (menu_button);
  popover = gtk_menu_button_get_popover (menu_button);
  g_assert_true (pd_test_wait_until (popover_visible, popover, 2000));
  pd_test_spin (100);
  assert_walk_clean ((const char *[]) { "menu item", NULL });
  gtk_menu_button_popdown (menu_button);
}

static gboolean
is_entry_row_titled (GtkWidget     *widget,
                     gconstpointer  title)
{
  return PD_IS_ENTRY_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* Tab into a text field of the editor: the screen reader is told which field has the focus
 * (libadwaita 1.2's AdwEntryRow told it nothing: Orca was silent in every bill-to field). */
static void
test_fields_announced (WindowFixture *fixture,
                       gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  const char *titles[] = { "ERP ID", "Company name", "City" };

  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->contoso_id));
  g_assert_true (pd_test_wait_until (editor_shows, fixture, 2000));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *row = ui_find_matching (window, is_entry_row_titled, titles[i]);
      g_autofree char *focused = g_strdup_printf ("text=%s", titles[i]);

      g_assert_nonnull (row);
      g_assert_true (gtk_widget_grab_focus (row));
      pd_test_spin (100);
      assert_walk_finds (NULL, focused, NULL);
    }
}

/* A bill-to field edited locally says so to a screen reader, with Partner Center's value, as
 * the eye reads them beside the text: Northwind's City was edited to "Lübeck" over
 * Partner Center's "Hamburg". */
static void
test_local_edit_announced (WindowFixture *fixture,
                           gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *city;

  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->northwind_id));
  pd_test_spin (100);
  city = ui_find_matching (window, is_entry_row_titled, "City");
  g_assert_nonnull (city);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city)), ==, "Lübeck");
  g_assert_true (gtk_widget_grab_focus (city));
  pd_test_spin (100);
  assert_walk_finds (NULL, "text=City",
                     "Local edit, kept only in Partner Desk. Partner Center value: Hamburg");
}

/* A field marked wrong says why to a screen reader, not only in red and in a tooltip: the
 * tenant ID typed to link a manual organization is not one. */
static void
test_field_error_announced (WindowFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *link;

  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->litware_id));
  link = ui_find_matching (window, is_entry_row_titled, "Link to Microsoft tenant ID");
  g_assert_nonnull (link);
  g_assert_true (gtk_widget_grab_focus (link));
  gtk_editable_set_text (GTK_EDITABLE (link), "not-a-guid");
  g_signal_emit_by_name (link, "apply");
  g_assert_true (gtk_widget_has_css_class (link, "error"));
  pd_test_spin (100);
  assert_walk_finds (NULL, "text=Link to Microsoft tenant ID", "A tenant ID looks like 0000");
}

/* The dialog is finalized before the tear-down, which expects the main window it is
 * transient for to be finalized. */
#define DESTROY_TIMEOUT_MS 5000

/* The dialogs' fields too: New Organization opens in its Name field; Preferences' client ID. */
static void
test_dialog_fields_announced (WindowFixture *fixture,
                              gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWindow *dialog;
  GtkWidget *preferences;

  g_assert_true (gtk_widget_activate_action (window, "win.new-organization", NULL));
  dialog = ui_find_toplevel (PD_TYPE_NEW_ORGANIZATION_DIALOG);
  g_assert_nonnull (dialog);
  pd_test_spin (100);
  assert_walk_finds (NULL, "text=Name", NULL);
  g_assert_true (pd_test_destroy_and_wait (dialog, (GDestroyNotify) gtk_window_destroy,
                                           DESTROY_TIMEOUT_MS));

  preferences = pd_preferences_window_new (fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_true (gtk_widget_grab_focus (
    ui_find_matching (preferences, is_entry_row_titled, "Application (Client) ID")));
  pd_test_spin (100);
  assert_walk_finds (NULL, "text=Application (Client) ID", NULL);
  g_assert_true (pd_test_destroy_and_wait (preferences, (GDestroyNotify) gtk_window_destroy,
                                           DESTROY_TIMEOUT_MS));
  pd_test_spin (300);
}

/* The AT-SPI bus a GTK_A11Y=atspi application talks to: org.a11y.Bus on the session bus
 * (D-Bus activates at-spi-bus-launcher from at-spi2-core). */
static void
assert_a11y_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  const char *address = NULL;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (session, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                       "GetAddress", NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &address);
  g_assert_cmpstr (address, !=, "");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GTK_A11Y", "atspi", TRUE);
  assert_a11y_bus ();
  window_fixture_init (&argc, &argv);

  g_test_add ("/atspi/window", WindowFixture, NULL, window_fixture_set_up, test_walk_window,
              window_fixture_tear_down);
  g_test_add ("/atspi/fields-announced", WindowFixture, NULL, window_fixture_set_up,
              test_fields_announced, window_fixture_tear_down);
  g_test_add ("/atspi/local-edit-announced", WindowFixture, NULL, window_fixture_set_up,
              test_local_edit_announced, window_fixture_tear_down);
  g_test_add ("/atspi/field-error-announced", WindowFixture, NULL, window_fixture_set_up,
              test_field_error_announced, window_fixture_tear_down);
  g_test_add ("/atspi/dialog-fields-announced", WindowFixture, NULL, window_fixture_set_up,
              test_dialog_fields_announced, window_fixture_tear_down);
  return g_test_run ();
}
