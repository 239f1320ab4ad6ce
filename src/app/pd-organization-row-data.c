/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-row-data.c — packed list rows with precomputed search and sort keys. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "pd-app-util.h"
#include "pd-collate.h"
#include "pd-huge-pages.h"
#include "pd-text-arena.h"
#include "pd-organization-row-data.h"

#define GREEK_FINAL_SIGMA 0x03C2
#define GREEK_SIGMA       0x03C3

static void
append_char (GString  *out,
             gunichar  c,
             gboolean *in_word)
{
  if (g_unichar_isalnum (c))
    {
      gunichar lower = g_unichar_tolower (c);

      if (!*in_word)
        g_string_append_c (out, ' ');
      /* SQLite's case folding takes the final sigma for a sigma; GLib's lower case keeps it. */
      g_string_append_unichar (out, lower == GREEK_FINAL_SIGMA ? GREEK_SIGMA : lower);
      *in_word = TRUE;
    }
  else
    *in_word = FALSE;
}

/* The Latin letters, whose accents SQLite's unicode61 tokenizer (remove_diacritics 2)
 * removes; it keeps those of other scripts (Cyrillic ё, Greek ά). */
static gboolean
is_latin (gunichar c)
{
  return c < 0x0250 || (c >= 0x1E00 && c <= 0x1EFF);
}

/* c as unicode61 sees it: a Latin letter without its accents (its canonical decomposition,
 * NFD's without the reordering, which only moves the marks dropped here, less the marks);
 * another letter as it is; a combining mark of its own, nothing (the tokenizer drops those
 * of every script). The list then finds what the store's search finds. */
static void
append_decomposed (GString  *out,
                   gunichar  c,
                   gboolean *in_word)
{
  gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (c, FALSE, parts, G_N_ELEMENTS (parts));

  if (g_unichar_ismark (c))
    return;
  if (!is_latin (parts[0]))
    {
      append_char (out, c, in_word);
      return;
    }
  for (gsize i = 0; i < n; i++)
    if (!g_unichar_ismark (parts[i]))
      append_char (out, parts[i], in_word);
}

/* Room for extra more bytes after out's text: where they go. out->len is unchanged. */
static char *
reserve (GString *out,
         gsize    extra)
{
  gsize len = out->len;

  g_string_set_size (out, len + extra);
  out->len = len;
  return out->str + len;
}

/* The words of the ASCII text from *p up to end or the first other byte, written at to (a
 * space before each word, letters in lower case): the end of what it wrote. Its own loop,
 * so that nothing it keeps in registers lives across the calls of the rest. */
static char *
append_ascii_words (char        *to,
                    const char **p,
                    const char  *end,
                    gboolean    *in_word)
{
  const char *from = *p;
  gboolean word = *in_word;

  for (; from < end && (guchar) *from < 0x80; from++)
    {
      /* Bit 5 lowers an ASCII letter, and digits have it already. */
      guchar lower = (guchar) *from | 0x20;

      if ((guint) (lower - 'a') < 26 || (guint) ((guchar) *from - '0') < 10)
        {
          if (!word)
            *to++ = ' ';
          *to++ = (char) lower;
          word = TRUE;
        }
      else
        word = FALSE;
    }
  *p = from;
  *in_word = word;
  return to;
}

/* Appends the words of text the way SQLite's unicode61 tokenizer sees them: runs of letters
 * and digits, case folded, accents removed. ASCII, nearly every character of a million rows'
 * five fields at each load, is written straight into room made for the worst case (a space
 * before every character); text that is not UTF-8 adds nothing. */
static void
append_words (GString    *out,
              const char *text)
{
  gsize start = out->len;
  gboolean in_word = FALSE;
  gboolean valid = FALSE;
  const char *end;
  char *to;

  if (text == NULL)
    return;
  end = text + strlen (text);
  to = reserve (out, 2 * (gsize) (end - text));
  for (const char *p = text; p < end;)
    {
      to = append_ascii_words (to, &p, end, &in_word);
      if (p == end)
        break;
      if (!valid && !(valid = g_utf8_validate (p, -1, NULL)))
        {
          g_string_truncate (out, start);
          return;
        }
      out->len = (gsize) (to - out->str);
      append_decomposed (out, g_utf8_get_char (p), &in_word);
      p = g_utf8_next_char (p);
      to = reserve (out, 2 * (gsize) (end - p));
    }
  out->len = (gsize) (to - out->str);
  out->str[out->len] = '\0';
}

static guint
compute_filters (const PdStoreListRow *row)
{
  guint bits = 1u << PD_FILTER_ALL;

  if (row->bill_to_state == PD_BILL_TO_STATE_INCOMPLETE)
    bits |= 1u << PD_FILTER_INCOMPLETE;
  if (row->bill_to_state == PD_BILL_TO_STATE_UNREADABLE)
    bits |= 1u << PD_FILTER_UNREADABLE;
  if (row->local_mask != 0)
    bits |= 1u << PD_FILTER_LOCAL_EDITS;
  if (row->possible_duplicate)
    bits |= 1u << PD_FILTER_DUPLICATES;
  if (row->source == PD_ORG_SOURCE_MANUAL)
    bits |= 1u << PD_FILTER_MANUAL;
  if (row->removed)
    bits |= 1u << PD_FILTER_REMOVED;
  if (row->account_status == PD_ACCOUNT_STATUS_UNDER_REVIEW)
    bits |= 1u << PD_FILTER_UNDER_REVIEW;
  if (row->status == PD_ORG_STATUS_NEW)
    bits |= 1u << PD_FILTER_NEW;
  return bits;
}

/* ---- the table ---- */

G_STATIC_ASSERT (PD_MISSING_N_FIELDS <= 32);
G_STATIC_ASSERT (PD_N_FILTERS <= 16);


/* A table of one row (an edit) takes small blocks; from HUGE_TABLE_ROWS rows, huge ones
 * (about 40 bytes of each string per row fill a few). */
#define SMALL_BLOCK     4096
#define HUGE_TABLE_ROWS 16384

struct _PdRowTable
{
  GArray       *rows;      /* PdOrganizationRowData */
  PdTextArena  *texts;     /* the strings of one row (names, domains, ERP IDs) */
  GStringChunk *strings;   /* the values that repeat across rows, each stored once */
  PdTextArena  *hay_tmp;   /* the haystacks until pd_row_table_finish */
  GArray       *hay_lens;  /* their lengths (guint32), until then too */
  gsize         hay_size;  /* and their total size with a NUL each */
  PdTextArena  *keys_tmp;  /* the names' collation keys, until then too */
  GPtrArray    *keys;      /* per row */
  char         *hay;       /* then: every haystack, in row order */
  guint32      *by_id;     /* then: row indices by id */
  gsize         by_id_size; /* and its size in bytes */
  GString      *scratch;
  gboolean      by_id_order; /* every row was added with a greater id than the one before */
  gboolean      finished;
};

PdRowTable *
pd_row_table_new (void)
{
  PdRowTable *table = g_new0 (PdRowTable, 1);

  table->rows = g_array_new (FALSE, TRUE, sizeof (PdOrganizationRowData));
  /* Small blocks for a table of one row (an edit); pd_row_table_reserve makes them huge for a
   * large one. */
  table->texts = pd_text_arena_new (SMALL_BLOCK);
  table->strings = g_string_chunk_new (SMALL_BLOCK);
  table->hay_tmp = pd_text_arena_new (SMALL_BLOCK);
  table->hay_lens = g_array_new (FALSE, FALSE, sizeof (guint32));
  table->keys_tmp = pd_text_arena_new (SMALL_BLOCK);
  table->keys = g_ptr_array_new ();
  table->scratch = g_string_sized_new (128);
  table->by_id_order = TRUE;
  return table;
}

void
pd_row_table_free (PdRowTable *table)
{
  if (table == NULL)
    return;
  g_array_unref (table->rows);
  pd_text_arena_free (table->texts);
  g_string_chunk_free (table->strings);
  pd_text_arena_free (table->hay_tmp);
  if (table->hay_lens != NULL)
    g_array_unref (table->hay_lens);
  pd_text_arena_free (table->keys_tmp);
  if (table->keys != NULL)
    g_ptr_array_unref (table->keys);
  if (table->scratch != NULL)
    g_string_free (table->scratch, TRUE);
  pd_huge_pages_free (table->hay, MAX (table->hay_size, 1));
  pd_huge_pages_free (table->by_id, table->by_id_size);
  g_free (table);
}

/* An empty arena by one of huge blocks. */
static void
replace_arena (PdTextArena **arena)
{
  pd_text_arena_free (*arena);
  *arena = pd_text_arena_new (PD_TEXT_ARENA_HUGE_BLOCK);
}

void
pd_row_table_reserve (PdRowTable *table,
                      guint       n_rows)
{
  g_return_if_fail (table != NULL && table->rows->len == 0 && !table->finished);

  /* Advised before anything writes to them: a page written to is a small page already. */
  g_array_unref (table->rows);
  table->rows = g_array_sized_new (FALSE, TRUE, sizeof (PdOrganizationRowData), n_rows);
  pd_huge_pages_advise (table->rows->data, (gsize) n_rows * sizeof (PdOrganizationRowData));
  g_ptr_array_unref (table->keys);
  table->keys = g_ptr_array_sized_new (n_rows);
  g_array_unref (table->hay_lens);
  table->hay_lens = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_rows);
  if (n_rows >= HUGE_TABLE_ROWS)
    {
      replace_arena (&table->texts);
      replace_arena (&table->hay_tmp);
      replace_arena (&table->keys_tmp);
    }
}

static const char *
insert (PdRowTable *table,
        const char *text)
{
  return text != NULL ? pd_text_arena_insert_len (table->texts, text, -1) : NULL;
}

/* For the values that repeat across rows (countries, currencies, resellers…). */
static const char *
insert_const (PdRowTable *table,
              const char *text)
{
  return text != NULL ? g_string_chunk_insert_const (table->strings, text) : NULL;
}

static void
pack_texts (PdRowTable            *table,
            PdOrganizationRowData *row,
            const PdStoreListRow  *from)
{
  GString *key = table->scratch;

  g_string_truncate (key, 0);
  pd_collate_append_key (key, from->name);
  g_ptr_array_add (table->keys, pd_text_arena_insert_len (table->keys_tmp, key->str,
                                                          (gssize) key->len));
  row->name = insert (table, from->name != NULL ? from->name : "");
  row->domain = insert (table, from->domain);
  row->erp_id = insert (table, from->erp_id);
  row->country = insert_const (table, from->country);
  row->currency = insert_const (table, from->currency);
  row->account_manager = insert_const (table, from->account_manager);
  row->reseller_id = insert_const (table, from->reseller_id);
  row->reseller_name = insert_const (table, from->reseller_name);
  row->read_error = insert_const (table, from->bill_to_read_error);
  row->segments = insert_const (table, from->segments);
}

static const char *
pack_haystack (PdRowTable           *table,
               const PdStoreListRow *from)
{
  GString *words = table->scratch;

  g_string_truncate (words, 0);
  append_words (words, from->name);
  append_words (words, from->domain);
  append_words (words, from->erp_id);
  append_words (words, from->email);
  append_words (words, from->city);
  append_words (words, from->notes);
  g_array_append_val (table->hay_lens, (guint32) { (guint32) words->len });
  table->hay_size += words->len + 1;
  return pd_text_arena_insert_len (table->hay_tmp, words->str, (gssize) words->len);
}

guint
pd_row_table_add (PdRowTable           *table,
                  const PdStoreListRow *from)
{
  PdOrganizationRowData row = { 0 };

  g_return_val_if_fail (table != NULL && !table->finished, 0);

  row.id = from->id;
  pack_texts (table, &row, from);
  row.haystack = pack_haystack (table, from);
  row.last_synced = from->last_synced_at;
  row.has_last_synced = from->has_last_synced;
  row.read_at = from->bill_to_read_at;
  row.has_read_at = from->has_bill_to_read_at;
  row.missing = from->missing_mask;
  row.local = from->local_mask;
  row.filters = (guint16) compute_filters (from);
  row.status = (guint8) from->status;
  row.bill_to_state = (guint8) from->bill_to_state;
  row.removed = from->removed;
  row.manual = from->source == PD_ORG_SOURCE_MANUAL;
  if (table->rows->len > 0
      && g_array_index (table->rows, PdOrganizationRowData, table->rows->len - 1).id >= row.id)
    table->by_id_order = FALSE;
  g_array_append_val (table->rows, row);
  return table->rows->len - 1;
}

/* What pd_store_list_rows gives of org. */
static guint32
missing_mask (PdOrganization *org)
{
  const char * const *paths = pd_organization_get_missing_fields (org);
  guint32 mask = 0;

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      PdBillToField field;

      if (pd_missing_field_from_path (paths[i], &field) && field < PD_MISSING_N_FIELDS)
        mask |= 1u << field;
    }
  return mask;
}

static guint32
local_mask (PdOrganization *org)
{
  guint32 mask = 0;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    if (pd_organization_is_field_overridden (org, i))
      mask |= 1u << i;
  return mask;
}

static gint64
unix_time (GDateTime *when,
           gboolean  *out_has)
{
  *out_has = when != NULL;
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

guint
pd_row_table_add_organization (PdRowTable     *table,
                               PdOrganization *org)
{
  const PdBillTo *bill_to = pd_organization_get_bill_to (org);
  const char * const *segments = pd_organization_get_segments (org);
  g_autofree char *joined = segments != NULL && segments[0] != NULL
                            ? g_strjoinv (", ", (char **) segments) : NULL;
  PdStoreListRow row = {
    .id = pd_organization_get_id (org),
    .name = pd_organization_get_name (org),
    .domain = pd_organization_get_domain (org),
    .erp_id = pd_organization_get_erp_id (org),
    .country = pd_organization_get_country (org),
    .currency = pd_organization_get_currency (org),
    .account_manager = pd_organization_get_account_manager (org),
    .reseller_id = pd_organization_get_reseller_id (org),
    .reseller_name = pd_organization_get_reseller_name (org),
    .segments = joined,
    .notes = pd_organization_get_notes (org),
    .email = pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL),
    .city = pd_bill_to_get (bill_to, PD_BILL_TO_CITY),
    .bill_to_read_error = pd_organization_get_bill_to_read_error (org),
    .missing_mask = missing_mask (org),
    .local_mask = local_mask (org),
    .source = pd_organization_get_source (org),
    .status = pd_organization_get_status (org),
    .account_status = pd_organization_get_account_status (org),
    .bill_to_state = pd_organization_get_bill_to_state (org),
    .removed = pd_organization_get_removed (org),
    .possible_duplicate = pd_organization_get_possible_duplicate (org),
  };

  g_return_val_if_fail (PD_IS_ORGANIZATION (org), 0);
  row.last_synced_at = unix_time (pd_organization_get_last_synced_at (org), &row.has_last_synced);
  row.bill_to_read_at = unix_time (pd_organization_get_bill_to_read_at (org),
                                   &row.has_bill_to_read_at);
  return pd_row_table_add (table, &row);
}

/* What the default order sorts: the first bytes of the key as a number compare most pairs
 * without touching the strings. */
typedef struct {
  guint64     prefix;
  const char *key;
  gint64      id;
  guint       index;
} SortEntry;

static guint64
key_prefix (const char *key)
{
  guint64 prefix = 0;
  guint i;

  for (i = 0; i < 8 && key[i] != '\0'; i++)
    prefix = (prefix << 8) | (guchar) key[i];
  return prefix << (8 * (8 - i));
}

/* A total order (the index last), so that any way of sorting gives the same rows. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *x = a, *y = b;
  int result;

  if (x->prefix != y->prefix)
    return x->prefix < y->prefix ? -1 : 1;
  result = strcmp (x->key, y->key);
  if (result != 0)
    return result;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* The index of the entry of id in by_index (sorted by id), or G_MAXUINT: by the table of
 * where, when the ids are dense enough for one, else a binary search. */
static guint
find_entry (const SortEntry *by_index,
            guint            n,
            const guint32   *where,
            gint64           id)
{
  guint low = 0, high = n;

  if (n == 0 || id < by_index[0].id || id > by_index[n - 1].id)
    return G_MAXUINT;
  if (where != NULL)
    return where[id - by_index[0].id] != G_MAXUINT32 ? where[id - by_index[0].id] : G_MAXUINT;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (by_index[middle].id < id)
        low = middle + 1;
      else
        high = middle;
    }
  return low < n && by_index[low].id == id ? low : G_MAXUINT;
}

/* The entries of the rows of ids first, in that order (ids of no row and repeats skipped),
 * then the others as they were. Only when the rows were added by id (as the store hands them
 * out): FALSE otherwise. */
static gboolean
order_by_ids (SortEntry    *entries,
              guint         n,
              const gint64 *ids,
              guint         n_ids)
{
  gsize size = sizeof (SortEntry) * MAX (n, 1);
  SortEntry *by_index;
  g_autofree guint8 *placed = NULL;
  g_autofree guint32 *where = NULL;
  guint k = 0;

  for (guint i = 1; i < n; i++)
    if (entries[i - 1].id >= entries[i].id)
      return FALSE;
  by_index = pd_huge_pages_alloc (size);
  memcpy (by_index, entries, sizeof (SortEntry) * n);
  placed = g_new0 (guint8, MAX (n, 1));
  /* Ids are numbered from 1 with few gaps: a lookup table costs less than binary searches,
   * which miss the cache at every step. */
  if (n > 0 && (guint64) by_index[n - 1].id - (guint64) by_index[0].id < 2 * (guint64) n + 1024)
    {
      where = g_new (guint32, by_index[n - 1].id - by_index[0].id + 1);
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            for (gint64 id = by_index[i - 1].id + 1; id < by_index[i].id; id++)
              where[id - by_index[0].id] = G_MAXUINT32;
          where[by_index[i].id - by_index[0].id] = i;
        }
    }
  for (guint i = 0; i < n_ids; i++)
    {
      guint index = find_entry (by_index, n, where, ids[i]);

      if (index != G_MAXUINT && !placed[index])
        {
          placed[index] = TRUE;
          entries[k++] = by_index[index];
        }
    }
  for (guint i = 0; i < n; i++)
    if (!placed[i])
      entries[k++] = by_index[i];
  pd_huge_pages_free (by_index, size);
  return TRUE;
}

/* Sorts entries as qsort would, in a pass when they are nearly sorted already: the entries
 * that are in order stay in place; those that are not (fewer, when nearly sorted) are moved
 * aside, sorted alone and merged back. */
static void
sort_nearly_sorted (SortEntry *entries,
                    guint      n)
{
  g_autofree SortEntry *aside = g_new (SortEntry, MAX (n, 1));
  guint kept = 0, n_aside = 0;

  for (guint i = 0; i < n; i++)
    {
      SortEntry entry = entries[i];

      if (kept == 0 || compare_entries (&entries[kept - 1], &entry) < 0)
        entries[kept++] = entry;
      /* The last kept entry is the one out of order when it is above both this one and the
       * next, while this one follows the entry before it: one early entry must not push
       * every later one aside. */
      else if (kept >= 2 && i + 1 < n && compare_entries (&entries[kept - 2], &entry) < 0
               && compare_entries (&entries[kept - 1], &entries[i + 1]) > 0)
        {
          aside[n_aside++] = entries[kept - 1];
          entries[kept - 1] = entry;
        }
      else
        aside[n_aside++] = entry;
    }
  qsort (aside, n_aside, sizeof (SortEntry), compare_entries);
  /* Merged from the end, into the room the entries set aside left. */
  for (guint k = n; n_aside > 0; k--)
    {
      if (kept > 0 && compare_entries (&entries[kept - 1], &aside[n_aside - 1]) > 0)
        entries[k - 1] = entries[--kept];
      else
        entries[k - 1] = aside[--n_aside];
    }
}

/* The move of sort_rows reads the rows in a random order (by name, from rows added by id): a
 * cache miss each, two with the haystack. Asking for the rows some steps ahead, and for their
 * haystacks (the pointer read from a row asked for earlier), lets those misses overlap instead
 * of following each other; and two threads move half the rows each. */
#define PREFETCH_ROWS_AHEAD 16
#define PREFETCH_HAY_AHEAD  8
#define MOVE_SPLIT_MIN      65536

typedef struct {
  PdRowTable            *table;
  const SortEntry       *entries;
  guint                  from, to;  /* the span this move fills */
  PdOrganizationRowData *sorted;    /* the rows in their new order (every row) */
  char                  *hay;       /* where the span's first haystack goes */
  guint32                spacing;
} MoveSpan;

static inline void
prefetch_ahead (const MoveSpan *span,
                guint           i)
{
#if defined(__GNUC__) || defined(__clang__)
  const PdOrganizationRowData *rows = (const PdOrganizationRowData *) span->table->rows->data;

  if (i + PREFETCH_ROWS_AHEAD < span->to)
    {
      const char *row = (const char *) &rows[span->entries[i + PREFETCH_ROWS_AHEAD].index];

      for (gsize offset = 0; offset < sizeof (PdOrganizationRowData); offset += 64)
        __builtin_prefetch (row + offset);
    }
  if (i + PREFETCH_HAY_AHEAD < span->to)
    __builtin_prefetch (rows[span->entries[i + PREFETCH_HAY_AHEAD].index].haystack);
#endif
}

/* Moves the rows of entries[from, to) and their haystacks to their places, ranked. */
static gpointer
move_span (gpointer data)
{
  MoveSpan *span = data;
  const PdOrganizationRowData *rows = (const PdOrganizationRowData *) span->table->rows->data;
  const guint32 *hay_lens = (const guint32 *) span->table->hay_lens->data;
  char *hay = span->hay;

  for (guint i = span->from; i < span->to; i++)
    {
      PdOrganizationRowData *row = &span->sorted[i];
      gsize len = hay_lens[span->entries[i].index] + 1;

      prefetch_ahead (span, i);
      *row = rows[span->entries[i].index];
      row->rank = (guint32) (i + 1) * span->spacing;
      memcpy (hay, row->haystack, len);
      row->haystack = hay;
      hay += len;
    }
  return NULL;
}

/* The rows to sorted in the order of entries, their haystacks side by side from hay: a
 * million rows in two threads, each with a half. */
static void
move_rows (PdRowTable            *table,
           const SortEntry       *entries,
           guint                  n,
           PdOrganizationRowData *sorted,
           char                  *hay)
{
  MoveSpan first = { table, entries, 0, n, sorted, hay,
                     (guint32) MAX (1, G_MAXUINT32 / ((guint64) n + 1)) };
  MoveSpan second = first;
  const guint32 *hay_lens = (const guint32 *) table->hay_lens->data;
  GThread *thread;

  if (n < MOVE_SPLIT_MIN)
    {
      move_span (&first);
      return;
    }
  first.to = second.from = n / 2;
  for (guint i = 0; i < first.to; i++)
    second.hay += hay_lens[entries[i].index] + 1;
  thread = g_thread_new ("pd-list-sort", move_span, &second);
  move_span (&first);
  g_thread_join (thread);
}

/* Rows in the default order, ranked: entries are sorted, then the records and their
 * haystacks moved once. */
static void
sort_rows (PdRowTable   *table,
           const gint64 *ids,
           guint         n_ids)
{
  guint n = table->rows->len;
  gsize entries_size = sizeof (SortEntry) * MAX (n, 1);
  SortEntry *entries = pd_huge_pages_alloc (entries_size);
  GArray *sorted = g_array_sized_new (FALSE, FALSE, sizeof (PdOrganizationRowData), n);

  pd_huge_pages_advise (sorted->data, (gsize) n * sizeof (PdOrganizationRowData));
  for (guint i = 0; i < n; i++)
    {
      const char *key = g_ptr_array_index (table->keys, i);

      entries[i] = (SortEntry) { key_prefix (key), key,
                                 g_array_index (table->rows, PdOrganizationRowData, i).id, i };
    }
  if (ids != NULL && order_by_ids (entries, n, ids, n_ids))
    sort_nearly_sorted (entries, n);
  else
    qsort (entries, n, sizeof (SortEntry), compare_entries);
  /* The haystacks too, in one block in row order: a keystroke's scan reads memory in
   * sequence. */
  table->hay = pd_huge_pages_alloc (MAX (table->hay_size, 1));
  g_array_set_size (sorted, n);
  move_rows (table, entries, n, (PdOrganizationRowData *) sorted->data, table->hay);
  g_array_unref (table->rows);
  table->rows = sorted;
  /* Where each row went, in the order rows were added: the store hands them out by id, so
   * this is usually the index by id already (see index_ids). */
  table->by_id_size = sizeof (guint32) * MAX (n, 1);
  table->by_id = pd_huge_pages_alloc (table->by_id_size);
  for (guint i = 0; i < n; i++)
    table->by_id[entries[i].index] = i;
  pd_huge_pages_free (entries, entries_size);
  g_clear_pointer (&table->keys, g_ptr_array_unref);
  g_clear_pointer (&table->keys_tmp, pd_text_arena_free);
  g_clear_pointer (&table->hay_lens, g_array_unref);
  g_clear_pointer (&table->hay_tmp, pd_text_arena_free);
}

static int
compare_by_id (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const PdOrganizationRowData *rows = user_data;
  gint64 x = rows[*(const guint32 *) a].id, y = rows[*(const guint32 *) b].id;

  return x < y ? -1 : x > y;
}

/* The rows' indices by id, from where sort_rows put each row: sorted already when the rows
 * were added by id (as the store hands them out), sorted here otherwise. */
static void
index_ids (PdRowTable *table)
{
  if (!table->by_id_order)
    g_qsort_with_data (table->by_id, (gint) table->rows->len, sizeof (guint32), compare_by_id,
                       table->rows->data);
}

void
pd_row_table_finish (PdRowTable *table)
{
  pd_row_table_finish_near (table, NULL, 0);
}

void
pd_row_table_finish_near (PdRowTable   *table,
                          const gint64 *ids,
                          guint         n_ids)
{
  g_return_if_fail (table != NULL && !table->finished);

  sort_rows (table, ids, n_ids);
  index_ids (table);
  g_string_free (table->scratch, TRUE);
  table->scratch = NULL;
  table->finished = TRUE;
}

guint
pd_row_table_get_n_rows (PdRowTable *table)
{
  return table->rows->len;
}

PdOrganizationRowData *
pd_row_table_get_row (PdRowTable *table,
                      guint       index)
{
  g_return_val_if_fail (index < table->rows->len, NULL);
  return &g_array_index (table->rows, PdOrganizationRowData, index);
}

PdOrganizationRowData *
pd_row_table_find (PdRowTable *table,
                   gint64      id)
{
  PdOrganizationRowData *rows = (PdOrganizationRowData *) table->rows->data;
  guint low = 0, high = table->rows->len;

  g_return_val_if_fail (table->finished, NULL);
  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      gint64 middle_id = rows[table->by_id[middle]].id;

      if (middle_id == id)
        return &rows[table->by_id[middle]];
      if (middle_id < id)
        low = middle + 1;
      else
        high = middle;
    }
  return NULL;
}

/* ---- one row ---- */

gint64
pd_organization_row_data_get_id (PdOrganizationRowData *self)
{
  return self->id;
}

const char *
pd_organization_row_data_get_name (PdOrganizationRowData *self)
{
  return self->name;
}

int
pd_organization_row_data_compare (gconstpointer a,
                                  gconstpointer b)
{
  const PdOrganizationRowData *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

int
pd_organization_row_data_compare_names (gconstpointer a,
                                        gconstpointer b)
{
  const PdOrganizationRowData *x = a, *y = b;
  int result = pd_collate (x->name, y->name);

  if (result != 0)
    return result;
  return x->id < y->id ? -1 : x->id > y->id;
}

gboolean
pd_organization_row_data_in_filter (PdOrganizationRowData *self,
                                    PdFilter               filter)
{
  return (self->filters & (1u << filter)) != 0;
}

guint
pd_organization_row_data_get_filter_mask (PdOrganizationRowData *self)
{
  return self->filters;
}

gboolean
pd_organization_row_data_matches_words (PdOrganizationRowData *self,
                                        const char * const    *words)
{
  if (words == NULL)
    return TRUE;
  /* words are stored with their leading space (see split_query). */
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (self->haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

char **
pd_organization_row_data_split_query (const char *text)
{
  g_autoptr(GString) normalized = g_string_new (NULL);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;

  append_words (normalized, text);
  parts = g_strsplit (normalized->str, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      /* Kept with the leading space: a match must start at a word boundary. */
      g_ptr_array_add (words, g_strconcat (" ", parts[i], NULL));
    }
  if (words->len == 0 && pd_store_search_is_blank (text))
    return NULL;
  /* Text without a word matches no organization, as in the store (pd_store_search_is_blank):
   * a word no haystack has, which holds only spaces, letters and digits. */
  if (words->len == 0)
    g_ptr_array_add (words, g_strdup (" \x01"));
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/* The searchable fields besides the name, in the order of the haystack. */
static const char *
field_value (PdOrganization *org,
             guint           field,
             const char    **out_label)
{
  const PdBillTo *bill_to = pd_organization_get_bill_to (org);

  switch (field)
    {
    case 0:
      *out_label = _("Domain");
      return pd_organization_get_domain (org);
    case 1:
      *out_label = _("ERP ID");
      return pd_organization_get_erp_id (org);
    case 2:
      *out_label = _("E-mail");
      return pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL);
    case 3:
      *out_label = _("City");
      return pd_bill_to_get (bill_to, PD_BILL_TO_CITY);
    default:
      *out_label = _("Notes");
      return pd_organization_get_notes (org);
    }
}

#define N_SEARCH_FIELDS 5
#define REASON_MAX_CHARS 60

static gboolean
text_has_word (const char *text,
               const char *word)
{
  g_autoptr(GString) words = g_string_new (NULL);

  append_words (words, text);
  return strstr (words->str, word) != NULL;
}

/* "Label: value", the value cut to a line. */
static void
append_reason (GString    *reason,
               const char *label,
               const char *value)
{
  g_autofree char *line = g_strdelimit (g_strdup (value), "\r\n\t", ' ');
  g_autofree char *shown = NULL;

  if (g_utf8_strlen (line, -1) > REASON_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, REASON_MAX_CHARS);

      shown = g_strconcat (cut, "…", NULL);
    }
  if (reason->len > 0)
    g_string_append (reason, "; ");
  /* Translators: why a search found an organization: a field and its value, e.g.
   * "E-mail: billing@northwind.com" */
  g_string_append_printf (reason, _("%s: %s"), label, shown != NULL ? shown : line);
}

char *
pd_organization_row_data_dup_match_reason (PdOrganization     *org,
                                           const char * const *words)
{
  g_autoptr(GString) reason = g_string_new (NULL);
  gboolean used[N_SEARCH_FIELDS] = { FALSE };

  g_return_val_if_fail (PD_IS_ORGANIZATION (org), NULL);
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      if (text_has_word (pd_organization_get_name (org), words[i]))
        continue;
      for (guint f = 0; f < N_SEARCH_FIELDS; f++)
        {
          const char *label;
          const char *value = field_value (org, f, &label);

          if (value == NULL || !text_has_word (value, words[i]))
            continue;
          if (!used[f])
            append_reason (reason, label, value);
          used[f] = TRUE;
          break;
        }
    }
  return reason->len > 0 ? g_string_free (g_steal_pointer (&reason), FALSE) : NULL;
}

static char *
dup_fields_text (const char *intro,
                 guint32     fields)
{
  g_autoptr(GString) text = g_string_new (intro);
  gboolean first = TRUE;

  /* pd_missing_field_label is pd_bill_to_field_label for every bill-to field. */
  for (guint i = 0; i < PD_MISSING_N_FIELDS; i++)
    if (fields & (1u << i))
      {
        g_string_append_printf (text, first ? "%s" : ", %s",
                                pd_missing_field_label ((PdBillToField) i));
        first = FALSE;
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
pd_organization_row_data_dup_bill_to_text (PdOrganizationRowData *self)
{
  g_autoptr(GDateTime) read_at = self->has_read_at ? g_date_time_new_from_unix_utc (self->read_at)
                                                    : NULL;
  g_autofree char *read_text =
    pd_app_util_format_bill_to_read ((PdBillToState) self->bill_to_state, self->read_error,
                                     read_at);
  g_autofree char *state_text = NULL;

  switch ((PdBillToState) self->bill_to_state)
    {
    case PD_BILL_TO_STATE_UNREADABLE:
    case PD_BILL_TO_STATE_NOT_READ:
      return g_steal_pointer (&read_text);
    case PD_BILL_TO_STATE_INCOMPLETE:
      state_text = dup_fields_text (_("Bill-to incomplete. Missing: "), self->missing);
      break;
    case PD_BILL_TO_STATE_COMPLETE:
    default:
      state_text = g_strdup (_("Bill-to complete"));
      break;
    }
  if (read_text == NULL)
    return g_steal_pointer (&state_text);
  return g_strdup_printf ("%s\n%s", state_text, read_text);
}

char *
pd_organization_row_data_dup_local_text (PdOrganizationRowData *self)
{
  if (self->local == 0)
    return NULL;
  return dup_fields_text (_("Local bill-to edits (not in Partner Center): "), self->local);
}

char *
pd_organization_row_data_dup_accessible_name (PdOrganizationRowData *self)
{
  const char *name = self->name;

  switch ((PdBillToState) self->bill_to_state)
    {
    case PD_BILL_TO_STATE_UNREADABLE:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to not readable"), name);
    case PD_BILL_TO_STATE_NOT_READ:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to not read yet"), name);
    case PD_BILL_TO_STATE_INCOMPLETE:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to incomplete"), name);
    case PD_BILL_TO_STATE_COMPLETE:
    default:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to complete"), name);
    }
}
