/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-corpus-main.c — runs a fuzz target over its seed corpus without libFuzzer, so that the
 * default test suite (gcc, with or without sanitizers) exercises every target. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Every prefix cut of each seed too: truncated bodies are the commonest bad input. */
static void
feed (const char *data,
      gsize       len)
{
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  for (gsize cut = 0; cut < len; cut += 1 + len / 16)
    {
      /* A private copy, so that an overread past the cut is an ASan error. */
      char *copy = g_memdup2 (data, cut);
      LLVMFuzzerTestOneInput ((const uint8_t *) copy, cut);
      g_free (copy);
    }
}

int
main (int argc, char **argv)
{
  guint n_files = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          fprintf (stderr, "cannot open corpus %s\n", argv[i]);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize len;

          if (!g_file_get_contents (path, &contents, &len, NULL))
            return 1;
          feed (contents, len);
          n_files++;
        }
    }
  printf ("1..1\nok 1 - %u corpus files\n", n_files);
  return n_files > 0 ? 0 : 1;
}
