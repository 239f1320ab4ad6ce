/* test-application.c — PdApplication as the desktop starts it: the cache from PARTNER_DESK_DB,
 * the app actions and their state while signed out, the keyboard shortcuts window, and an
 * unreadable cache: an error page naming the file, which is left byte for byte as it was. */
#include "config.h"

#include "pd-application.h"
#include "pd-test-util.h"
#include "pd-window.h"
#include "ui-window-fixture.h"

static gboolean
action_enabled (AppFixture *fixture,
                const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), name);
}

static void
test_starts_on_cache (AppFixture    *fixture,
                      gconstpointer  data)
{
  GtkWindow *window = app_fixture_start (fixture);
  const char *actions[] = { "preferences", "about", "sign-in", "sign-out", "quit", "show-view" };

  g_assert_true (PD_IS_WINDOW (window));
  g_assert_nonnull (pd_application_get_session (fixture->app));
  g_assert_cmpstr (pd_store_get_path (pd_session_get_store (pd_application_get_session (fixture->app))),
                   ==, fixture->path);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), actions[i]));
  /* Not signed in: Sign In is offered, Sign Out is not. */
  g_assert_true (action_enabled (fixture, "sign-in"));
  g_assert_false (action_enabled (fixture, "sign-out"));
  /* gtk/help-overlay.ui from the resource base path gives every window the shortcuts window. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* A second activation presents the same window. */
  g_application_activate (G_APPLICATION (fixture->app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (fixture->app))),
                    ==, 1);
}

static void
test_unreadable_cache (AppFixture    *fixture,
                       gconstpointer  data)
{
  const char garbage[] = "this is not an SQLite database, but somebody's data all the same\n";
  g_autofree char *after = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  AdwStatusPage *page;

  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, &error));
  window = app_fixture_start (fixture);
  g_assert_true (PD_IS_WINDOW (window));
  g_assert_null (pd_application_get_session (fixture->app));
  g_assert_null (pd_window_get_session (PD_WINDOW (window)));
  page = ADW_STATUS_PAGE (ui_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), fixture->path));
  g_assert_false (action_enabled (fixture, "preferences"));

  g_assert_true (g_file_get_contents (fixture->path, &after, &length, &error));
  g_assert_cmpmem (after, length, garbage, strlen (garbage));
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

  g_test_add ("/application/starts-on-cache", AppFixture, NULL, app_fixture_set_up,
              test_starts_on_cache, app_fixture_tear_down);
  g_test_add ("/application/unreadable-cache", AppFixture, NULL, app_fixture_set_up,
              test_unreadable_cache, app_fixture_tear_down);
  return g_test_run ();
}
