/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accessible-names.c — every interactive widget of the main window has one name a screen
 * reader can read: a label, or an accessible label or a labelled-by relation (not both).
 *
 * Walks the real widget tree (hidden stack pages included, so empty states and the sync
 * panel are checked too) with an organization open in the editor, at full width and at
 * 360 px, and the error window of an unreadable cache. */
#include "config.h"

#include "pd-test-util.h"
#include "ui-window-fixture.h"

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* A visible label inside widget (a button's own label, an AdwActionRow title…). */
static gboolean
has_label_descendant (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && has_text (gtk_label_get_text (GTK_LABEL (widget))))
    return TRUE;
  if (GTK_IS_INSCRIPTION (widget) && has_text (gtk_inscription_get_text (GTK_INSCRIPTION (widget))))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_descendant (child))
      return TRUE;
  return FALSE;
}

static gboolean
is_named (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  /* A tooltip is not enough: GTK 4.8 gives it to assistive technology as the description,
   * and an icon button with only a tooltip is read as "GtkButton" (seen over AT-SPI). */
  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && has_text (gtk_button_get_label (GTK_BUTTON (widget))))
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) && has_text (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget))))
    return TRUE;
  /* Entries, rows and buttons showing their own text. */
  return has_label_descendant (widget);
}

/* The row that widget is the activatable widget of (which labels it with its title), or NULL. */
static AdwActionRow *
activating_row (GtkWidget *widget)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_ACTION_ROW (w))
      return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (w)) == widget
             ? ADW_ACTION_ROW (w) : NULL;
  return NULL;
}

/* GTK 4.8 reads an accessible label and then every labelled-by label: a widget with a label of
 * its own and a text that labels it (its button label, its row's title) is read with its name
 * twice ("Retry Retry"). A labelled-by icon adds nothing. */
static gboolean
is_named_twice (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  return gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
         && gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY)
         && (has_label_descendant (widget) || activating_row (widget) != NULL);
}

/* The controls a user operates (GtkText inside an entry is the entry's part, not a control of
 * its own; list rows are named by their cells' text). */
static gboolean
is_control (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_TEXT (widget) && parent != NULL && GTK_IS_EDITABLE (parent))
    return FALSE;
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_EDITABLE (widget)
         || GTK_IS_SCALE (widget) || GTK_IS_COLUMN_VIEW (widget) || GTK_IS_LIST_BOX_ROW (widget)
         || GTK_IS_PROGRESS_BAR (widget);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *out,
                 guint     *n_checked)
{
  if (is_control (widget))
    {
      (*n_checked)++;
      if (!is_named (widget) || is_named_twice (widget))
        g_string_append_printf (out, "  %s%s “%s” (css name %s, in %s)\n",
                                G_OBJECT_TYPE_NAME (widget),
                                is_named_twice (widget) ? " named twice" : "",
                                GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget))
                                ? gtk_button_get_label (GTK_BUTTON (widget)) : "",
                                gtk_widget_get_css_name (widget),
                                gtk_widget_get_parent (widget) != NULL
                                ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)) : "-");
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, out, n_checked);
}

static void
assert_all_named (GtkWidget *root,
                  guint      min_controls)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint n_checked = 0;

  collect_unnamed (root, unnamed, &n_checked);
  g_test_message ("%u controls checked", n_checked);
  if (unnamed->len > 0)
    g_test_message ("controls without one accessible name:\n%s", unnamed->str);
  g_assert_cmpstr (unnamed->str, ==, "");
  g_assert_cmpuint (n_checked, >=, min_controls);
}

static gboolean
editor_shows (gpointer data)
{
  WindowFixture *fixture = data;

  return pd_organization_list_get_selected_id (window_fixture_list (fixture)) == fixture->contoso_id;
}

static void
test_window_names (WindowFixture *fixture,
                   gconstpointer  data)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->contoso_id));
  g_assert_true (pd_test_wait_until (editor_shows, fixture, 2000));
  pd_test_spin (50);
  /* Header bar, search, six filters, reseller, table, empty-state buttons, editor, sync panel. */
  assert_all_named (GTK_WIDGET (fixture->window), 20);
}

static gboolean
folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

static void
test_narrow_window_names (WindowFixture *fixture,
                          gconstpointer  data)
{
  AdwLeaflet *leaflet;

  gtk_window_destroy (fixture->window);
  fixture->window = GTK_WINDOW (pd_window_new (NULL, fixture->session));
  gtk_window_set_default_size (fixture->window, 360, 640);
  gtk_window_present (fixture->window);
  g_assert_true (window_fixture_wait_loaded (fixture, 10000));
  leaflet = ADW_LEAFLET (ui_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_LEAFLET));
  g_assert_true (pd_test_wait_until (folded, leaflet, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->northwind_id));
  pd_test_spin (50);
  assert_all_named (GTK_WIDGET (fixture->window), 20);
}

static void
test_error_window_names (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "not a database");
  GtkWidget *window = pd_window_new_for_error (NULL, "/tmp/broken.db", error);

  gtk_window_present (GTK_WINDOW (window));
  pd_test_spin (50);
  assert_all_named (window, 3);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

  g_test_add ("/accessible-names/window", WindowFixture, NULL, window_fixture_set_up,
              test_window_names, window_fixture_tear_down);
  g_test_add ("/accessible-names/narrow-window", WindowFixture, NULL, window_fixture_set_up,
              test_narrow_window_names, window_fixture_tear_down);
  g_test_add_func ("/accessible-names/error-window", test_error_window_names);
  return g_test_run ();
}
