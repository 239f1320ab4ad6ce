/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-json-writer.c — PdCliJsonWriter writes what json-glib's pretty generator writes for
 * the same calls, and escapes what a terminal would take as a command, losslessly. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "pd-cli-json-writer.h"
#include "pd-cli-table.h"

/* The same calls to a JsonBuilder and a PdCliJsonWriter. */
typedef struct {
  JsonBuilder     *builder;
  PdCliJsonWriter *writer;
  GString         *text;
} Both;

/* Characters json-glib and the writer write alike: printable ASCII, the escapes both share,
 * and text beyond ASCII (accents, CJK, an emoji, a left-to-right mark). */
static const char * const pieces[] = {
  "a", "Z", "0", " ", "\"", "\\", "/", "{", "]", ":", ",", "\b", "\f", "\n", "\r", "\t",
  "\x01", "\x1b", "\x7f", "é", "ß", "日本", "😀", "\u200e", "\u05d0",
};

static char *
random_text (void)
{
  GString *text = g_string_new (NULL);
  guint length = g_test_rand_int_range (0, 12);

  for (guint i = 0; i < length; i++)
    g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  return g_string_free (text, FALSE);
}

static void add_random_value (Both *both, guint depth);

static void
add_random_container (Both     *both,
                      gboolean  is_array,
                      guint     depth)
{
  guint n = g_test_rand_int_range (0, 5);

  if (is_array)
    {
      json_builder_begin_array (both->builder);
      pd_cli_json_writer_begin_array (both->writer);
    }
  else
    {
      json_builder_begin_object (both->builder);
      pd_cli_json_writer_begin_object (both->writer);
    }
  for (guint i = 0; i < n; i++)
    {
      if (!is_array)
        {
          /* json-glib keeps one member per name: the index keeps names apart. */
          g_autofree char *random = random_text ();
          g_autofree char *name = g_strdup_printf ("%u%s", i, random);

          json_builder_set_member_name (both->builder, name);
          pd_cli_json_writer_set_member_name (both->writer, name);
        }
      add_random_value (both, depth + 1);
    }
  if (is_array)
    {
      json_builder_end_array (both->builder);
      pd_cli_json_writer_end_array (both->writer);
    }
  else
    {
      json_builder_end_object (both->builder);
      pd_cli_json_writer_end_object (both->writer);
    }
}

static void
add_random_value (Both  *both,
                  guint  depth)
{
  static const gint64 ints[] = { 0, 1, -1, 42, G_MAXINT64, G_MININT64, 1796560725 };
  guint kind = g_test_rand_int_range (depth < 4 ? 0 : 2, 7);

  switch (kind)
    {
    case 0:
    case 1:
      add_random_container (both, kind == 0, depth);
      break;
    case 2:
    case 3:
      {
        g_autofree char *text = random_text ();

        json_builder_add_string_value (both->builder, text);
        pd_cli_json_writer_add_string_value (both->writer, text);
      }
      break;
    case 4:
      {
        gint64 value = ints[g_test_rand_int_range (0, G_N_ELEMENTS (ints))];

        json_builder_add_int_value (both->builder, value);
        pd_cli_json_writer_add_int_value (both->writer, value);
      }
      break;
    case 5:
      {
        gboolean value = g_test_rand_bit ();

        json_builder_add_boolean_value (both->builder, value);
        pd_cli_json_writer_add_boolean_value (both->writer, value);
      }
      break;
    default:
      json_builder_add_null_value (both->builder);
      pd_cli_json_writer_add_null_value (both->writer);
    }
}

static char *
generate (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
test_same_as_json_glib (void)
{
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (text);
      Both both = { builder, writer, text };
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *expected = NULL;

      /* An object, as the CLI's documents are, or an array (a listing); a JsonBuilder's root
       * is one of the two. */
      add_random_container (&both, i % 2 == 1, 0);
      root = json_builder_get_root (builder);
      expected = generate (root);
      g_assert_cmpstr (text->str, ==, expected);
    }
}

/* Text from Partner Center with what a terminal takes as a command: U+001F (which json-glib
 * leaves raw), a C1 CSI, bidi overrides and isolates, ESC and DEL. */
#define HOSTILE "a\x1f" "b\xc2\x9b" "31mc\u202ed\u2066e\u2069\x1b[2Jf\x7fg"

static void
test_terminal_controls_escaped (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (text);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *for_terminal = NULL;
  JsonObject *object;

  pd_cli_json_writer_begin_object (writer);
  pd_cli_json_writer_set_member_name (writer, "name\u202e");
  pd_cli_json_writer_add_string_value (writer, HOSTILE);
  pd_cli_json_writer_end_object (writer);

  g_assert_cmpstr (text->str, ==,
                   "{\n  \"name\\u202e\" : "
                   "\"a\\u001fb\\u009b31mc\\u202ed\\u2066e\\u2069\\u001b[2Jf\\u007fg\"\n}");
  /* Nothing in it that a terminal would act on... */
  for_terminal = pd_cli_text_for_terminal (text->str, text->len);
  g_assert_cmpstr (for_terminal, ==, text->str);
  /* ...and a script reads the same text back. */
  json_parser_load_from_data (parser, text->str, text->len, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "name\u202e"), ==, HOSTILE);
}

static void
test_invalid_utf8_replaced (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (text);

  pd_cli_json_writer_add_string_value (writer, "M\xfcller \xe2\x82");
  g_assert_cmpstr (text->str, ==, "\"M\xef\xbf\xbdller \xef\xbf\xbd\xef\xbf\xbd\"");
  g_assert_true (g_utf8_validate (text->str, text->len, NULL));
}

static void
test_empty_containers (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PdCliJsonWriter) writer = pd_cli_json_writer_new (text);

  pd_cli_json_writer_begin_array (writer);
  pd_cli_json_writer_begin_object (writer);
  pd_cli_json_writer_end_object (writer);
  pd_cli_json_writer_begin_array (writer);
  pd_cli_json_writer_end_array (writer);
  pd_cli_json_writer_add_string_value (writer, NULL);
  pd_cli_json_writer_end_array (writer);
  g_assert_cmpstr (text->str, ==, "[\n  {  },\n  [],\n  null\n]");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/json-writer/same-as-json-glib", test_same_as_json_glib);
  g_test_add_func ("/cli/json-writer/terminal-controls-escaped", test_terminal_controls_escaped);
  g_test_add_func ("/cli/json-writer/invalid-utf8-replaced", test_invalid_utf8_replaced);
  g_test_add_func ("/cli/json-writer/empty-containers", test_empty_containers);
  return g_test_run ();
}
