/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-text.c — untrusted text kept on the line it stands in. */
#include "config.h"

#include "pd-text.h"

static void
assert_one_line (const char *text,
                 const char *expected)
{
  g_autofree char *got = pd_text_one_line (text);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_one_line (void)
{
  assert_one_line (NULL, NULL);
  assert_one_line ("", "");
  assert_one_line ("Contoso Oy", "Contoso Oy");
  assert_one_line ("timed out\nBill-to complete", "timed out Bill-to complete");
  assert_one_line ("a\r\nb", "a  b");
  assert_one_line ("a\vb\fc", "a b c");
  /* GTK's labels break at these too: a conflict dialog showed a forged line. */
  assert_one_line ("Espoo\u2028City: Helsinki", "Espoo City: Helsinki");
  assert_one_line ("a\u2029b" "\xc2\x85" "c", "a b c");
  /* Tabs and other text stay as they are. */
  assert_one_line ("a\tb München 東京", "a\tb München 東京");
  /* Invalid UTF-8 is made valid, not passed on. */
  assert_one_line ("a\xff\nb", "a\xef\xbf\xbd b");
}

static void
assert_for_label (const char *text,
                  const char *expected)
{
  g_autofree char *got = pd_text_for_label (text);

  g_assert_cmpstr (got, ==, expected);
}

/* Partner Center's text in a label: on one line, and no character that reverses what
 * follows or that a terminal would take as a command; right-to-left text stays. */
static void
test_for_label (void)
{
  assert_for_label (NULL, NULL);
  assert_for_label ("Contoso Oy", "Contoso Oy");
  assert_for_label ("Corp\u202Eabc", "Corp\ufffdabc");
  assert_for_label ("a\u2066b\u2069c\u202Ad", "a\ufffdb\ufffdc\ufffdd");
  assert_for_label ("Evil\x1b[31mRed\x7f\xc2\x9b", "Evil\ufffd[31mRed\ufffd\ufffd");
  assert_for_label ("two\nlines\tand a tab", "two lines\tand a tab");
  assert_for_label ("\u05e9\u05dc\u05d5\u05dd \u200fAB", "\u05e9\u05dc\u05d5\u05dd \u200fAB");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/one-line", test_one_line);
  g_test_add_func ("/text/for-label", test_for_label);
  return g_test_run ();
}
