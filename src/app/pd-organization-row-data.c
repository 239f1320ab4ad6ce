/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-row-data.c — packed list rows with precomputed search and sort keys. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "pd-app-util.h"
#include "pd-collate.h"
#include "pd-organization-row-data.h"

static void
append_char (GString  *out,
             gunichar  c,
             gboolean *in_word)
{
  if (g_unichar_isalnum (c))
    {
      if (!*in_word)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_unichar_tolower (c));
      *in_word = TRUE;
    }
  else
    *in_word = FALSE;
}

/* Appends the words of text the way SQLite's unicode61 tokenizer sees them: runs of letters
 * and digits, case folded, accents removed. */
static void
append_words (GString    *out,
              const char *text)
{
  g_autofree char *decomposed = NULL;
  gboolean in_word = FALSE;
  gboolean ascii = TRUE;

  if (text == NULL)
    return;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;
  if (ascii)
    {
      /* The common case, kept free of per-character function calls: 100,000 rows of five
       * fields each are indexed at every load. */
      for (const char *p = text; *p != '\0'; p++)
        {
          if (g_ascii_isalnum (*p))
            {
              if (!in_word)
                g_string_append_c (out, ' ');
              g_string_append_c (out, g_ascii_tolower (*p));
              in_word = TRUE;
            }
          else
            in_word = FALSE;
        }
      return;
    }
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return;
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        append_char (out, c, &in_word);
    }
}

static guint
compute_filters (PdOrganization *org)
{
  guint bits = 1u << PD_FILTER_ALL;

  if (pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_INCOMPLETE)
    bits |= 1u << PD_FILTER_INCOMPLETE;
  if (pd_organization_get_bill_to_unreadable (org))
    bits |= 1u << PD_FILTER_UNREADABLE;
  if (pd_organization_get_has_local_edits (org))
    bits |= 1u << PD_FILTER_LOCAL_EDITS;
  if (pd_organization_get_possible_duplicate (org))
    bits |= 1u << PD_FILTER_DUPLICATES;
  if (pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL)
    bits |= 1u << PD_FILTER_MANUAL;
  if (pd_organization_get_removed (org))
    bits |= 1u << PD_FILTER_REMOVED;
  if (pd_organization_get_account_status (org) == PD_ACCOUNT_STATUS_UNDER_REVIEW)
    bits |= 1u << PD_FILTER_UNDER_REVIEW;
  if (pd_organization_get_status (org) == PD_ORG_STATUS_NEW)
    bits |= 1u << PD_FILTER_NEW;
  return bits;
}

/* ---- the table ---- */

G_STATIC_ASSERT (PD_MISSING_N_FIELDS <= 32);
G_STATIC_ASSERT (PD_N_FILTERS <= 16);

typedef struct {
  gint64 id;
  guint  index;
} IdIndex;

struct _PdRowTable
{
  GArray       *rows;      /* PdOrganizationRowData */
  GStringChunk *strings;   /* every string but the haystacks; repeated values stored once */
  GStringChunk *hay_tmp;   /* the haystacks until pd_row_table_finish */
  char         *hay;       /* then: every haystack, in row order */
  IdIndex      *ids;       /* then: by id */
  GString      *scratch;
  gboolean      finished;
};

PdRowTable *
pd_row_table_new (void)
{
  PdRowTable *table = g_new0 (PdRowTable, 1);

  table->rows = g_array_new (FALSE, TRUE, sizeof (PdOrganizationRowData));
  /* Small chunks for a table of one row (an edit), grown by GStringChunk as needed. */
  table->strings = g_string_chunk_new (4096);
  table->hay_tmp = g_string_chunk_new (4096);
  table->scratch = g_string_sized_new (128);
  return table;
}

void
pd_row_table_free (PdRowTable *table)
{
  if (table == NULL)
    return;
  g_array_unref (table->rows);
  g_string_chunk_free (table->strings);
  if (table->hay_tmp != NULL)
    g_string_chunk_free (table->hay_tmp);
  if (table->scratch != NULL)
    g_string_free (table->scratch, TRUE);
  g_free (table->hay);
  g_free (table->ids);
  g_free (table);
}

static const char *
insert (PdRowTable *table,
        const char *text)
{
  return text != NULL ? g_string_chunk_insert (table->strings, text) : NULL;
}

/* For the values that repeat across rows (countries, currencies, resellers…). */
static const char *
insert_const (PdRowTable *table,
              const char *text)
{
  return text != NULL ? g_string_chunk_insert_const (table->strings, text) : NULL;
}

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

static void
pack_texts (PdRowTable            *table,
            PdOrganizationRowData *row,
            PdOrganization        *org)
{
  const char * const *segments = pd_organization_get_segments (org);
  g_autofree char *sort_key = pd_collate_key (pd_organization_get_name (org));

  row->name = insert (table, pd_organization_get_name (org) != NULL
                             ? pd_organization_get_name (org) : "");
  row->domain = insert (table, pd_organization_get_domain (org));
  row->erp_id = insert (table, pd_organization_get_erp_id (org));
  row->country = insert_const (table, pd_organization_get_country (org));
  row->currency = insert_const (table, pd_organization_get_currency (org));
  row->account_manager = insert_const (table, pd_organization_get_account_manager (org));
  row->reseller_id = insert_const (table, pd_organization_get_reseller_id (org));
  row->reseller_name = insert_const (table, pd_organization_get_reseller_name (org));
  row->read_error = insert_const (table, pd_organization_get_bill_to_read_error (org));
  row->sort_key = insert (table, sort_key);
  if (segments != NULL && segments[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) segments);

      row->segments = insert_const (table, joined);
    }
}

static const char *
pack_haystack (PdRowTable     *table,
               PdOrganization *org)
{
  const PdBillTo *bill_to = pd_organization_get_bill_to (org);
  GString *words = table->scratch;

  g_string_truncate (words, 0);
  append_words (words, pd_organization_get_name (org));
  append_words (words, pd_organization_get_domain (org));
  append_words (words, pd_organization_get_erp_id (org));
  append_words (words, pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL));
  append_words (words, pd_bill_to_get (bill_to, PD_BILL_TO_CITY));
  append_words (words, pd_organization_get_notes (org));
  return g_string_chunk_insert_len (table->hay_tmp, words->str, (gssize) words->len);
}

guint
pd_row_table_add (PdRowTable     *table,
                  PdOrganization *org)
{
  PdOrganizationRowData row = { 0 };
  GDateTime *when;

  g_return_val_if_fail (table != NULL && !table->finished, 0);
  g_return_val_if_fail (PD_IS_ORGANIZATION (org), 0);

  row.id = pd_organization_get_id (org);
  pack_texts (table, &row, org);
  row.haystack = pack_haystack (table, org);
  if ((when = pd_organization_get_last_synced_at (org)) != NULL)
    {
      row.last_synced = g_date_time_to_unix (when);
      row.has_last_synced = TRUE;
    }
  if ((when = pd_organization_get_bill_to_read_at (org)) != NULL)
    {
      row.read_at = g_date_time_to_unix (when);
      row.has_read_at = TRUE;
    }
  row.missing = missing_mask (org);
  row.local = local_mask (org);
  row.filters = (guint16) compute_filters (org);
  row.status = (guint8) pd_organization_get_status (org);
  row.bill_to_state = (guint8) pd_organization_get_bill_to_state (org);
  row.removed = pd_organization_get_removed (org);
  row.manual = pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL;
  g_array_append_val (table->rows, row);
  return table->rows->len - 1;
}

static int
compare_indices (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GArray *rows = user_data;

  return pd_organization_row_data_compare (
    &g_array_index (rows, PdOrganizationRowData, *(const guint *) a),
    &g_array_index (rows, PdOrganizationRowData, *(const guint *) b));
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const IdIndex *x = a, *y = b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* Rows in the default order: indices are sorted, then the records moved once. */
static void
sort_rows (PdRowTable *table)
{
  guint n = table->rows->len;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  GArray *sorted = g_array_sized_new (FALSE, TRUE, sizeof (PdOrganizationRowData), n);

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_indices, table->rows);
  for (guint i = 0; i < n; i++)
    g_array_append_val (sorted, g_array_index (table->rows, PdOrganizationRowData, order[i]));
  g_array_unref (table->rows);
  table->rows = sorted;
}

/* One block of every haystack in row order: a keystroke's scan reads memory in sequence. */
static void
pack_haystacks (PdRowTable *table)
{
  PdOrganizationRowData *rows = (PdOrganizationRowData *) table->rows->data;
  gsize total = 0;
  char *p;

  for (guint i = 0; i < table->rows->len; i++)
    total += strlen (rows[i].haystack) + 1;
  p = table->hay = g_malloc (MAX (total, 1));
  for (guint i = 0; i < table->rows->len; i++)
    {
      gsize len = strlen (rows[i].haystack) + 1;

      memcpy (p, rows[i].haystack, len);
      rows[i].haystack = p;
      p += len;
    }
  g_clear_pointer (&table->hay_tmp, g_string_chunk_free);
}

void
pd_row_table_finish (PdRowTable *table)
{
  PdOrganizationRowData *rows;

  g_return_if_fail (table != NULL && !table->finished);

  sort_rows (table);
  pack_haystacks (table);
  rows = (PdOrganizationRowData *) table->rows->data;
  table->ids = g_new (IdIndex, MAX (table->rows->len, 1));
  for (guint i = 0; i < table->rows->len; i++)
    table->ids[i] = (IdIndex) { rows[i].id, i };
  qsort (table->ids, table->rows->len, sizeof (IdIndex), compare_ids);
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
  IdIndex key = { id, 0 };
  IdIndex *found;

  g_return_val_if_fail (table->finished, NULL);
  found = bsearch (&key, table->ids, table->rows->len, sizeof (IdIndex), compare_ids);
  return found != NULL ? pd_row_table_get_row (table, found->index) : NULL;
}

/* ---- one row ---- */

const char *
pd_organization_row_data_get_country (PdOrganizationRowData *self)
{
  return self->country;
}

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

const char *
pd_organization_row_data_get_sort_key (PdOrganizationRowData *self)
{
  return self->sort_key;
}

int
pd_organization_row_data_compare (gconstpointer a,
                                  gconstpointer b)
{
  const PdOrganizationRowData *x = a, *y = b;
  int result = strcmp (x->sort_key, y->sort_key);

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
  if (words->len == 0)
    return NULL;
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
dup_missing_text (guint32 missing)
{
  g_autoptr(GString) text = g_string_new (_("Bill-to incomplete. Missing: "));
  gboolean first = TRUE;

  for (guint i = 0; i < PD_MISSING_N_FIELDS; i++)
    if (missing & (1u << i))
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
    pd_app_util_format_bill_to_read (self->bill_to_state == PD_BILL_TO_STATE_UNREADABLE,
                                     self->read_error, read_at);
  g_autofree char *state_text = NULL;

  switch ((PdBillToState) self->bill_to_state)
    {
    case PD_BILL_TO_STATE_UNREADABLE:
      return g_steal_pointer (&read_text);
    case PD_BILL_TO_STATE_INCOMPLETE:
      state_text = dup_missing_text (self->missing);
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
  g_autoptr(GString) text = NULL;
  gboolean first = TRUE;

  if (self->local == 0)
    return NULL;
  text = g_string_new (_("Local bill-to edits (not in Partner Center): "));
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    if (self->local & (1u << i))
      {
        g_string_append_printf (text, first ? "%s" : ", %s",
                                pd_bill_to_field_label ((PdBillToField) i));
        first = FALSE;
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
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
    case PD_BILL_TO_STATE_INCOMPLETE:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to incomplete"), name);
    case PD_BILL_TO_STATE_COMPLETE:
    default:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to complete"), name);
    }
}
