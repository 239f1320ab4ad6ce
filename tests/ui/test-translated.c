/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-translated.c LANG POT PO — the real window in LANG shows no English message.
 *
 * Runs with LANGUAGE=LANG LC_ALL=C.UTF-8 on the catalogues built from po/ (PARTNER_DESK_LOCALEDIR),
 * opens an organization in the editor, then walks every widget (hidden stack pages included),
 * the stack pages, the menus and the accessible labels, and collects what a user could read.
 * Each text is compared with the English messages of POT (extracted from the sources at build
 * time): a text that is one of them, or that a message with placeholders produces ("12
 * organizations"), is English that should have been translated. Messages PO translates to
 * themselves ("Partner Desk", "ERP ID" in some languages) are allowed. Organization data, numbers
 * and the like are no messages, so they never match.
 *
 * The test also asserts that it saw a good number of translated texts, so that it cannot pass
 * by looking at nothing. */
#include "config.h"

#include <locale.h>

#include "core/pd-i18n.h"
#include "pd-test-util.h"
#include "ui-window-fixture.h"

typedef struct
{
  char     *msgctxt;
  char     *msgid;
  char     *msgid_plural;
  char     *msgstr[2];
  gboolean  fuzzy;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->msgctxt);
  g_free (entry->msgid);
  g_free (entry->msgid_plural);
  g_free (entry->msgstr[0]);
  g_free (entry->msgstr[1]);
  g_free (entry);
}

static const char *language;
static const char *pot_path;
static const char *po_path;

/* English messages that must not be seen, as they are and without mnemonic underscores. */
static GHashTable *english;
/* The same for messages with printf placeholders, as anchored regular expressions. */
static GPtrArray  *english_patterns;
/* Every translation, to count what the walk saw translated. */
static GHashTable *translations;

/* The entries of a .po or .pot file: msgid, msgid_plural, msgstr[0/1], the fuzzy flag. */
static GPtrArray *
read_catalogue (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  Entry *entry = NULL;
  char **target = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *quote = strchr (line, '"');
      g_autofree char *value = NULL;

      if (*line == '\0' || (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL))
        {
          /* A blank line ends an entry; a fuzzy flag belongs to the next one. */
          if (entry != NULL && entry->msgid != NULL)
            {
              g_ptr_array_add (entries, entry);
              entry = NULL;
              target = NULL;
            }
          if (*line != '\0')
            {
              entry = g_new0 (Entry, 1);
              entry->fuzzy = TRUE;
            }
          continue;
        }
      if (*line == '#' || quote == NULL)
        continue;
      value = g_strndup (quote + 1, strlen (quote + 1) - 1);
      if (entry == NULL)
        entry = g_new0 (Entry, 1);
      if (g_str_has_prefix (line, "msgctxt "))
        target = &entry->msgctxt;
      else if (g_str_has_prefix (line, "msgid_plural "))
        target = &entry->msgid_plural;
      else if (g_str_has_prefix (line, "msgid "))
        target = &entry->msgid;
      else if (g_str_has_prefix (line, "msgstr[1] "))
        target = &entry->msgstr[1];
      else if (g_str_has_prefix (line, "msgstr"))
        target = &entry->msgstr[0];
      g_assert_nonnull (target);
      {
        g_autofree char *text = g_strcompress (value);
        char *joined = g_strconcat (*target != NULL ? *target : "", text, NULL);

        g_free (*target);
        *target = joined;
      }
    }
  if (entry != NULL && entry->msgid != NULL)
    g_ptr_array_add (entries, entry);
  else if (entry != NULL)
    entry_free (entry);
  return g_steal_pointer (&entries);
}

static GRegex *printf_conversion;

/* TRUE when text, its placeholders taken out, still has a word of three letters: "%s, %s" and
 * "%'u" say nothing about the language and would match any text. */
static gboolean
has_a_word (const char *text)
{
  g_autofree char *literal = g_regex_replace_literal (printf_conversion, text, -1, 0, "", 0, NULL);
  guint run = 0;

  for (const char *p = literal; *p != '\0'; p = g_utf8_next_char (p))
    {
      run = g_unichar_isalpha (g_utf8_get_char (p)) ? run + 1 : 0;
      if (run >= 3)
        return TRUE;
    }
  return FALSE;
}

static char *
without_underscores (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "_", "", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_english (const char *msgid,
             const char *translation)
{
  g_autofree char *shown_msgid = NULL;
  g_autofree char *shown_translation = NULL;

  if (msgid == NULL || *msgid == '\0' || !has_a_word (msgid))
    return;
  shown_msgid = without_underscores (msgid);
  shown_translation = translation != NULL ? without_underscores (translation) : NULL;
  /* The same in both languages (a mnemonic on another letter aside: French "S_egments" for
   * "Se_gments"): seeing it proves nothing. */
  if (g_strcmp0 (shown_translation, shown_msgid) == 0)
    return;
  if (g_regex_match (printf_conversion, msgid, 0, NULL))
    {
      g_auto(GStrv) parts = g_regex_split (printf_conversion, msgid, 0);
      g_autoptr(GString) pattern = g_string_new ("^");

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_autofree char *escaped = g_regex_escape_string (parts[i], -1);

          if (i > 0)
            g_string_append (pattern, ".+?");
          g_string_append (pattern, escaped);
        }
      g_string_append (pattern, "$");
      g_ptr_array_add (english_patterns,
                       g_regex_new (pattern->str, G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL));
    }
  else
    {
      g_hash_table_add (english, g_strdup (msgid));
      g_hash_table_add (english, without_underscores (msgid));
    }
}

static void
load_messages (void)
{
  g_autoptr(GPtrArray) pot = read_catalogue (pot_path);
  g_autoptr(GPtrArray) po = read_catalogue (po_path);
  g_autoptr(GHashTable) po_by_msgid = g_hash_table_new (g_str_hash, g_str_equal);

  printf_conversion = g_regex_new ("%(?:[0-9]+\\$)?[-'#0 +]*[0-9]*(?:\\.[0-9]+)?(?:hh|h|ll|l|z|j|t)?"
                                   "[diouxXeEfgGcsp]", G_REGEX_OPTIMIZE, 0, NULL);
  english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  english_patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  translations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < po->len; i++)
    {
      Entry *entry = g_ptr_array_index (po, i);

      if (entry->fuzzy || entry->msgstr[0] == NULL || *entry->msgstr[0] == '\0')
        continue;
      g_hash_table_insert (po_by_msgid, entry->msgid, entry);
      for (guint form = 0; form < 2; form++)
        if (entry->msgstr[form] != NULL && has_a_word (entry->msgstr[form])
            && !g_regex_match (printf_conversion, entry->msgstr[form], 0, NULL)
            && g_strcmp0 (entry->msgstr[form], entry->msgid) != 0)
          {
            g_hash_table_add (translations, g_strdup (entry->msgstr[form]));
            g_hash_table_add (translations, without_underscores (entry->msgstr[form]));
          }
    }
  for (guint i = 0; i < pot->len; i++)
    {
      Entry *entry = g_ptr_array_index (pot, i);
      Entry *translated = g_hash_table_lookup (po_by_msgid, entry->msgid);

      add_english (entry->msgid, translated != NULL ? translated->msgstr[0] : NULL);
      add_english (entry->msgid_plural, translated != NULL ? translated->msgstr[1] : NULL);
    }
  g_test_message ("%u English messages, %u with placeholders; %u translations",
                  g_hash_table_size (english), english_patterns->len,
                  g_hash_table_size (translations));
  g_assert_cmpuint (g_hash_table_size (english), >, 100);
  g_assert_cmpuint (g_hash_table_size (translations), >, 100);
}

typedef struct
{
  GString *english_seen;
  guint    n_texts;
  guint    n_translated;
} Walk;

static const char *
english_match (const char *text)
{
  if (g_hash_table_contains (english, text))
    return text;
  for (guint i = 0; i < english_patterns->len; i++)
    if (g_regex_match (g_ptr_array_index (english_patterns, i), text, 0, NULL))
      return g_regex_get_pattern (g_ptr_array_index (english_patterns, i));
  return NULL;
}

static void
check_text (Walk       *walk,
            const char *text,
            const char *where)
{
  const char *match;

  if (text == NULL || *text == '\0')
    return;
  walk->n_texts++;
  if (g_hash_table_contains (translations, text))
    walk->n_translated++;
  if ((match = english_match (text)) != NULL)
    g_string_append_printf (walk->english_seen, "  “%s” (%s; English message %s)\n", text,
                            where, match);
}

static void
check_properties (Walk       *walk,
                  GObject    *object,
                  const char *where)
{
  static const char * const names[] = {
    "label", "title", "subtitle", "description", "placeholder-text", "tooltip-text", "text",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), names[i]);
      g_autofree char *value = NULL;
      g_autofree char *place = NULL;

      if (pspec == NULL || pspec->value_type != G_TYPE_STRING
          || !(pspec->flags & G_PARAM_READABLE))
        continue;
      g_object_get (object, names[i], &value, NULL);
      place = g_strdup_printf ("%s %s", where, names[i]);
      check_text (walk, value, place);
    }
}

static void
check_menu (Walk       *walk,
            GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;
      const char *name;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (walk, label, "menu item");
      links = g_menu_model_iterate_item_links (menu, i);
      while (g_menu_link_iter_get_next (links, &name, &link))
        {
          check_menu (walk, link);
          g_object_unref (link);
        }
    }
}

static void
check_accessible_label (Walk      *walk,
                        GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  GHashTableIter iter;
  gpointer key;

  if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return;
  walk->n_texts++;
  /* GTK 4.8 has no getter for an accessible property: ask whether it is each English message. */
  g_hash_table_iter_init (&iter, english);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *mismatch =
        gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, key);

      if (mismatch == NULL)
        g_string_append_printf (walk->english_seen, "  “%s” (accessible name of %s)\n",
                                (const char *) key, G_OBJECT_TYPE_NAME (widget));
    }
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  const char *type = G_OBJECT_TYPE_NAME (widget);

  check_properties (walk, G_OBJECT (widget), type);
  check_accessible_label (walk, widget);
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    check_menu (walk, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));
  if (GTK_IS_STACK (widget) || ADW_IS_VIEW_STACK (widget))
    {
      g_autoptr(GListModel) pages = GTK_IS_STACK (widget)
        ? G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (widget)))
        : G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (widget)));

      for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
        {
          g_autoptr(GObject) page = g_list_model_get_item (pages, i);

          check_properties (walk, page, "stack page");
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_widget (walk, child);
}

static gboolean
editor_shows (gpointer data)
{
  WindowFixture *fixture = data;

  return pd_organization_list_get_selected_id (window_fixture_list (fixture)) == fixture->contoso_id;
}

static void
test_window_translated (WindowFixture *fixture,
                        gconstpointer  data)
{
  Walk walk = { g_string_new (NULL), 0, 0 };
  g_autofree char *seen = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->contoso_id));
  g_assert_true (pd_test_wait_until (editor_shows, fixture, 2000));
  check_text (&walk, gtk_window_get_title (fixture->window), "window title");
  walk_widget (&walk, GTK_WIDGET (fixture->window));
  seen = g_string_free (walk.english_seen, FALSE);
  g_test_message ("%s: %u texts, %u of them translations", language, walk.n_texts,
                  walk.n_translated);
  if (*seen != '\0')
    g_test_message ("English in the %s window:\n%s", language, seen);
  g_assert_cmpstr (seen, ==, "");
  /* The walk really read the window: the toolbar, filters, editor and sync panel. */
  g_assert_cmpuint (walk.n_translated, >=, 40);
}

/* The filter popover fits a 360 px screen in every language (in German it was 373 px wide:
 * cut at the window's edge). */
static void
test_filters_fit_narrow (WindowFixture *fixture,
                         gconstpointer  data)
{
  GtkWidget *button = pd_organization_list_get_filter_button (window_fixture_list (fixture),
                                                              PD_FILTER_ALL);
  GtkWidget *popover = gtk_widget_get_ancestor (button, GTK_TYPE_POPOVER);
  int minimum = 0;

  g_assert_nonnull (popover);
  /* Its content: the popover itself measures nothing until it is shown. Its frame and
   * margins take some 30 px more. */
  gtk_widget_measure (gtk_popover_get_child (GTK_POPOVER (popover)), GTK_ORIENTATION_HORIZONTAL,
                      -1, &minimum, NULL, NULL, NULL);
  g_test_message ("%s: the filter popover's content needs %d px", language, minimum);
  g_assert_cmpint (minimum, >, 0);
  g_assert_cmpint (minimum, <=, 360 - 40);
}

int
main (int    argc,
      char **argv)
{
  if (argc < 4)
    {
      g_printerr ("usage: %s LANG POT PO [TEST OPTION…]\n", argv[0]);
      return 2;
    }
  language = argv[1];
  pot_path = argv[2];
  po_path = argv[3];
  argv[3] = argv[0];
  argc -= 3;
  argv += 3;

  /* No locale of the language needs to be installed: LANGUAGE picks the catalogues. */
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  pd_i18n_init ();
  window_fixture_init (&argc, &argv);
  load_messages ();
  g_test_add ("/translated/window", WindowFixture, NULL, window_fixture_set_up,
              test_window_translated, window_fixture_tear_down);
  g_test_add ("/translated/filters-fit-narrow", WindowFixture, NULL, window_fixture_set_up,
              test_filters_fit_narrow, window_fixture_tear_down);
  return g_test_run ();
}
