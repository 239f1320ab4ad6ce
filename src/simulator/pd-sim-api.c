/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-api.c — the Partner Center resources under /v1, as partner-center-api.md documents
 * them: collections with per-page totalCount, links.next carrying MS-ContinuationToken, the
 * selectable end-of-paging signals, billing profile etags, classic error bodies. */
#include "pd-simulator-private.h"

#include <string.h>

#include "pd-sim-json.h"

#define DEFAULT_PAGE_SIZE 100
#define MAX_PAGE_SIZE     500
#define AUDIT_RETENTION_DAYS 90
#define AUDIT_DEFAULT_DAYS   30
#define DAY_US (G_USEC_PER_SEC * G_GINT64_CONSTANT (86400))

/* ---- Small helpers -------------------------------------------------------------------- */

JsonNode *
pd_sim_member (JsonObject *object, const char *name)
{
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (object, l->data);
  return NULL;
}

JsonObject *
pd_sim_parse_object (const char *text, gsize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text ? text : "", text ? (gssize) length : 0, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "The body is not a JSON object.");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* A string member (case-insensitive name); NULL when absent, null, or not a string. */
static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = pd_sim_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
query_get (PdSimRequest *req, const char *key)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, key) : NULL;
}

static void
respond_writer (PdSimResponse *resp, PdSimJson *w)
{
  gsize length;
  char *body = pd_sim_json_steal (w, &length);

  pd_sim_response_json (resp, 200, body);
}

/* Ends a resource begun with pd_sim_json_init_object with its objectType, and answers 200
 * with it. */
static void
respond_resource (PdSimResponse *resp, PdSimJson *w, const char *object_type)
{
  pd_sim_json_attributes (w, object_type, NULL);
  pd_sim_json_end_object (w);
  respond_writer (resp, w);
}

static PdSimCustomer *
find_customer (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  PdSimCustomer *c = pd_sim_data_lookup (self->data, req->segments[1]);

  if (c == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Tenant '%s' was not found.", req->segments[1]);
      pd_sim_response_error (resp, 404, PD_SIM_CODE_TENANT_NOT_FOUND, text);
    }
  return c;
}

/* ---- Continuation tokens -------------------------------------------------------------- */

/* Self-contained: "<kind>.<last seq>.<issued ms>.<check>", base64url. The check stops a
 * client from fabricating positions; the issue time lets tokens expire. A kind in upper case
 * marks a token issued by an empty page (knob emptyPages), which resumes at the same place. */
static guint
token_check (PdSimulator *self, const char *content)
{
  g_autofree char *keyed = g_strconcat (pd_sim_data_partner_tenant_id (self->data), content, NULL);

  return g_str_hash (keyed);
}

static char *
token_encode (PdSimulator *self, char kind, guint64 seq, gint64 now_us)
{
  g_autofree char *content = g_strdup_printf ("%c.%" G_GUINT64_FORMAT ".%" G_GINT64_FORMAT,
                                              kind, seq, now_us / 1000);
  g_autofree char *full = g_strdup_printf ("%s.%08x", content, token_check (self, content));
  char *text = g_base64_encode ((const guchar *) full, strlen (full));

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  return text;
}

typedef enum { TOKEN_OK, TOKEN_INVALID, TOKEN_EXPIRED } TokenState;

static TokenState
token_decode (PdSimulator *self, const char *token, char kind, guint64 *seq,
              gboolean *from_empty_page, gint64 now_us)
{
  g_autofree char *copy = g_strdelimit (g_strdelimit (g_strdup (token), "-", '+'), "_", '/');
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode (copy, &len);
  g_autofree char *text = g_strndup ((const char *) raw, len);
  g_auto(GStrv) parts = g_strsplit (text, ".", 4);
  g_autofree char *content = NULL;
  gint64 issued_ms;

  if (g_strv_length (parts) != 4 || g_ascii_tolower (parts[0][0]) != kind
      || parts[0][1] != '\0')
    return TOKEN_INVALID;
  content = g_strdup_printf ("%s.%s.%s", parts[0], parts[1], parts[2]);
  if (g_ascii_strtoull (parts[3], NULL, 16) != token_check (self, content))
    return TOKEN_INVALID;
  *seq = g_ascii_strtoull (parts[1], NULL, 10);
  *from_empty_page = parts[0][0] != kind;
  issued_ms = g_ascii_strtoll (parts[2], NULL, 10);
  if (issued_ms < self->tokens_valid_from_ms
      || now_us / 1000 - issued_ms >= (gint64) self->continuation_ttl_s * 1000)
    return TOKEN_EXPIRED;
  return TOKEN_OK;
}

/* ---- Generic pager -------------------------------------------------------------------- */

typedef struct _Pager Pager;
struct _Pager {
  char        kind;               /* token kind */
  const char *resource;           /* "customers" */
  const char * const *carried;    /* query keys repeated in next links */
  GPtrArray  *items;              /* the whole listing, in seq order (borrowed) */
  gsize       seq_offset;         /* of an item's guint64 seq */
  guint     (*index_after)(PdSimData *data, guint64 seq);
  gboolean  (*matches)    (const Pager *pager, gpointer item);
  void      (*write)      (PdSimulator *self, PdSimJson *w, gpointer item);
  gpointer    filter;
};

static guint
page_size (PdSimulator *self, PdSimRequest *req)
{
  const char *text = query_get (req, "size");
  gint64 size = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
  guint cap = self->options.page_size_cap > 0 ? self->options.page_size_cap : MAX_PAGE_SIZE;

  /* The SDK sends size=0 on filter queries: the service then uses its default. */
  if (size <= 0)
    size = DEFAULT_PAGE_SIZE;
  return (guint) MIN (size, (gint64) cap);
}

/* Where a link starts: "/" or "/v1/" (next_link_with_v1), the service's absolute address, or
 * nothing (the bare style). */
static const char *
link_prefix (PdSimulator *self, gboolean next)
{
  if (next && self->next_link_style == PD_SIM_NEXT_LINK_ABSOLUTE)
    return "https://api.partnercenter.microsoft.com/v1/";
  if (next && self->next_link_style == PD_SIM_NEXT_LINK_BARE)
    return "";
  return self->options.next_link_with_v1 ? "/v1/" : "/";
}

static char *
link_uri (PdSimulator *self, PdSimRequest *req, const Pager *p, gboolean next)
{
  GString *uri = g_string_new (link_prefix (self, next));

  g_string_append (uri, p->resource);
  g_string_append_printf (uri, "?size=%u", page_size (self, req));
  for (guint i = 0; p->carried[i] != NULL; i++)
    {
      const char *value = query_get (req, p->carried[i]);
      if (value != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
          g_string_append_printf (uri, "&%s=%s", p->carried[i], escaped);
        }
    }
  if (next)
    g_string_append (uri, self->next_link_style == PD_SIM_NEXT_LINK_BARE
                          ? "&seek_operation=Next" : "&seekOperation=Next");
  return g_string_free (uri, FALSE);
}

static gboolean
is_next_request (PdSimRequest *req)
{
  const char *seek = query_get (req, "seekOperation");

  if (seek == NULL)
    seek = query_get (req, "seek_operation");

  return seek != NULL && g_ascii_strcasecmp (seek, "next") == 0;
}

/* Where a "next" request resumes, and whether an empty page sent it there; FALSE when the
 * response is already set (an error). */
static gboolean
resume_position (PdSimulator *self, PdSimRequest *req, const Pager *p, guint64 *after,
                 gboolean *from_empty_page, PdSimResponse *resp)
{
  const char *token = soup_message_headers_get_one (req->headers, "MS-ContinuationToken");

  *after = 0;
  *from_empty_page = FALSE;
  if (!is_next_request (req))
    return TRUE;
  if (token == NULL || *token == '\0')
    {
      /* What Microsoft's raw-REST tool reads as "all records fetched". */
      pd_sim_response_error (resp, 400, PD_SIM_CODE_END_OF_PAGING,
                             "No continuation token: all records have been fetched.");
      return FALSE;
    }
  switch (token_decode (self, token, p->kind, after, from_empty_page, req->now_us))
    {
    case TOKEN_OK:
      return TRUE;
    case TOKEN_EXPIRED:
      pd_sim_response_error (resp, 400, PD_SIM_CODE_BAD_TOKEN,
                             "The continuation token has expired. Start the query again.");
      return FALSE;
    default:
      pd_sim_response_error (resp, 400, PD_SIM_CODE_BAD_TOKEN,
                             "The continuation token is not valid.");
      return FALSE;
    }
}

static gboolean
more_after (PdSimulator *self, const Pager *p, guint index)
{
  for (; index < p->items->len; index++)
    if (p->matches (p, g_ptr_array_index (p->items, index)))
      return TRUE;
  return FALSE;
}

/* The links of a page that ends at last_seq; an empty page put before a next one (knob
 * emptyPages) links to where it was asked to resume, with its own kind of token. */
static void
write_page_links (PdSimulator *self, PdSimRequest *req, const Pager *p, PdSimJson *w,
                  gboolean more, guint count, guint64 last_seq, gboolean empty_page)
{
  g_autofree char *self_uri = link_uri (self, req, p, FALSE);
  g_autofree char *next_uri = link_uri (self, req, p, TRUE);
  g_autofree char *token = NULL;
  PdSimEndOfPaging how = self->options.end_of_paging;
  gboolean signal_by_request = how == PD_SIM_END_BY_400_2000 || how == PD_SIM_END_BY_204;

  if (empty_page)
    token = token_encode (self, g_ascii_toupper (p->kind), last_seq, req->now_us);
  else if (more || (signal_by_request && count > 0))
    token = token_encode (self, p->kind, last_seq, req->now_us);
  else if (how == PD_SIM_END_BY_EMPTY_TOKEN && count > 0)
    token = g_strdup ("");
  pd_sim_json_begin_object (w, "links");
  pd_sim_json_link (w, "self", self_uri, NULL, NULL);
  if (token != NULL)
    pd_sim_json_link (w, "next", next_uri, "MS-ContinuationToken", token);
  pd_sim_json_end_object (w);
  pd_sim_json_string (w, "continuationToken", token);
}

/* A "next" request that finds nothing more: answered 400 {code: 2000} or 204 when that is
 * the selected end-of-paging signal; FALSE when an (empty) page is the answer. */
static gboolean
answer_end_of_paging (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  if (!is_next_request (req))
    return FALSE;
  switch (self->options.end_of_paging)
    {
    case PD_SIM_END_BY_400_2000:
      pd_sim_response_error (resp, 400, PD_SIM_CODE_END_OF_PAGING,
                             "All records have been fetched.");
      return TRUE;
    case PD_SIM_END_BY_204:
      {
        /* As in Java SDK PR #115: 204 with a Retry-After date, which means nothing here. */
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        resp->status = 204;
        resp->retry_after = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static guint cut_after (PdSimulator *self, const Pager *p);

static void
serve_page (PdSimulator *self, PdSimRequest *req, const Pager *p, PdSimResponse *resp)
{
  guint size = page_size (self, req), count = 0, index;
  guint64 after, last_seq = 0;
  gboolean from_empty_page, empty_page;
  PdSimJson w;

  if (!resume_position (self, req, p, &after, &from_empty_page, resp))
    return;
  index = p->index_after (self->data, after);
  if (cut_after (self, p) > 0 && index >= cut_after (self, p)
      && answer_end_of_paging (self, req, resp))
    return;
  /* The knob emptyPages: an empty page before each next one, which resumes where it was. */
  empty_page = self->empty_pages && is_next_request (req) && !from_empty_page
               && more_after (self, p, index);
  if (empty_page)
    last_seq = after;
  pd_sim_json_init_object (&w);
  pd_sim_json_begin_array (&w, "items");
  for (; !empty_page && index < p->items->len && count < size; index++)
    {
      gpointer item = g_ptr_array_index (p->items, index);
      if (!p->matches (p, item))
        continue;
      p->write (self, &w, item);
      last_seq = G_STRUCT_MEMBER (guint64, item, p->seq_offset);
      count++;
    }
  pd_sim_json_end_array (&w);
  if (count == 0 && !empty_page && answer_end_of_paging (self, req, resp))
    {
      pd_sim_json_clear (&w);
      return;
    }
  pd_sim_json_int (&w, "totalCount", count);
  write_page_links (self, req, p, &w, more_after (self, p, index), count, last_seq, empty_page);
  respond_resource (resp, &w, "Collection");
}

/* ---- Customers ------------------------------------------------------------------------ */

typedef enum {
  FIELD_NONE,
  FIELD_COMPANY_NAME,
  FIELD_DOMAIN,
  FIELD_INDIRECT_RESELLER,
  FIELD_INDIRECT_CSP,
  FIELD_CUSTOMER_ID,
  FIELD_RESOURCE_TYPE,
} FilterField;

typedef enum { OP_STARTS_WITH, OP_EQUALS, OP_SUBSTRING } FilterOp;

typedef struct {
  FilterField  field;
  FilterOp     op;
  char        *value;       /* case-folded */
} Filter;

static void
filter_clear (Filter *f)
{
  g_clear_pointer (&f->value, g_free);
}

static gboolean
text_matches (const Filter *f, const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  switch (f->op)
    {
    case OP_EQUALS: return strcmp (folded, f->value) == 0;
    case OP_SUBSTRING: return strstr (folded, f->value) != NULL;
    default: return g_str_has_prefix (folded, f->value);
    }
}

static gboolean
parse_filter (PdSimRequest *req, gboolean audit, Filter *f, PdSimResponse *resp)
{
  static const char * const fields[] = {
    NULL, "CompanyName", "Domain", "IndirectReseller", "IndirectCloudSolutionProvider",
    "CustomerId", "ResourceType",
  };
  const char *text = query_get (req, "filter");
  g_autoptr(JsonObject) object = NULL;
  const char *field, *value, *op;

  f->field = FIELD_NONE;
  if (text == NULL)
    return TRUE;
  object = pd_sim_parse_object (text, strlen (text), NULL);
  field = object ? member_string (object, "Field") : NULL;
  value = object ? member_string (object, "Value") : NULL;
  op = object ? member_string (object, "Operator") : NULL;
  for (guint i = 1; field != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_ascii_strcasecmp (field, fields[i]) == 0)
      f->field = i;
  f->op = g_strcmp0 (op, "equals") == 0 ? OP_EQUALS
        : g_strcmp0 (op, "substring") == 0 ? OP_SUBSTRING : OP_STARTS_WITH;
  /* The customers endpoint knows starts_with only; the activity log equals/substring. An
   * operator of neither kind ("contains", a typo) is refused like a wrong field. */
  if (f->field == FIELD_NONE || value == NULL || op == NULL
      || (f->op == OP_STARTS_WITH && strcmp (op, "starts_with") != 0)
      || (!audit && (f->field >= FIELD_CUSTOMER_ID || f->op != OP_STARTS_WITH))
      || (audit && f->field != FIELD_COMPANY_NAME && f->field < FIELD_CUSTOMER_ID))
    {
      f->field = FIELD_NONE;
      pd_sim_response_error (resp, 400, 400, "The filter is not valid for this resource.");
      return FALSE;
    }
  f->value = g_utf8_casefold (value, -1);
  return TRUE;
}

static gboolean
customer_matches (const Pager *p, gpointer item)
{
  const Filter *f = p->filter;
  const PdSimCustomer *c = item;

  switch (f->field)
    {
    case FIELD_COMPANY_NAME: return text_matches (f, c->bill[PD_SIM_BILL_COMPANY_NAME]);
    case FIELD_DOMAIN:
      return text_matches (f, c->domain) || text_matches (f, c->custom_domain);
    case FIELD_INDIRECT_RESELLER:
      return text_matches (f, c->reseller_id) || text_matches (f, c->also_resold_by);
    case FIELD_INDIRECT_CSP: return FALSE; /* this partner is the provider */
    default: return TRUE;
    }
}

static void
write_reduced_customer (PdSimulator *self, PdSimJson *w, gpointer item)
{
  pd_sim_json_customer (w, item, FALSE);
}

/* Where the knobs cut a listing short (0: nowhere): pd_simulator_set_cut_listing_after cuts
 * every list, pd_simulator_set_cut_reseller_listings_after one reseller's customers only. */
static guint
cut_after (PdSimulator *self, const Pager *p)
{
  const Filter *filter = p->kind == 'c' ? p->filter : NULL;

  if (filter != NULL && filter->field == FIELD_INDIRECT_RESELLER
      && self->cut_reseller_listings_after > 0)
    return self->cut_reseller_listings_after;
  return self->cut_listing_after;
}

static void
list_customers (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  static const char * const carried[] = { "filter", NULL };
  Filter filter = { 0 };
  Pager pager = {
    'c', "customers", carried, pd_sim_data_customers (self->data),
    G_STRUCT_OFFSET (PdSimCustomer, seq), pd_sim_data_index_after, customer_matches,
    write_reduced_customer, &filter,
  };

  if (parse_filter (req, FALSE, &filter, resp))
    serve_page (self, req, &pager, resp);
  filter_clear (&filter);
}

typedef void (*CustomerWriter) (PdSimJson *w, const PdSimCustomer *customer);

/* One customer resource (GET by id, billing or company profile), or 404 {code: 60003}. */
static void
serve_customer (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp, CustomerWriter write)
{
  PdSimCustomer *c = find_customer (self, req, resp);
  PdSimJson w;

  if (c == NULL)
    return;
  pd_sim_json_init (&w);
  write (&w, c);
  respond_writer (resp, &w);
}

static void
write_full_customer (PdSimJson *w, const PdSimCustomer *c)
{
  pd_sim_json_customer (w, c, TRUE);
}

static void
write_billing_profile (PdSimJson *w, const PdSimCustomer *c)
{
  pd_sim_json_billing_profile (w, NULL, c);
}

/* A refused read (pd_simulator_set_refusal): TRUE when resp holds the refusal. */
static gboolean
refuse (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp, PdSimRefuseScope resource)
{
  guint status = pd_sim_refusal_status (self, req->segments[1], resource);

  if (status == 404)
    {
      g_autofree char *text = g_strdup_printf ("Tenant '%s' was not found.", req->segments[1]);
      pd_sim_response_error (resp, 404, PD_SIM_CODE_TENANT_NOT_FOUND, text);
    }
  else if (status >= 500)
    pd_sim_response_error (resp, status, status, "The service is temporarily unavailable.");
  else if (status != 0)
    pd_sim_response_error (resp, 403, PD_SIM_CODE_NO_RELATIONSHIP,
                           "The partner does not have the access needed for this resource.");
  return status != 0;
}

static void
get_customer (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  if (refuse (self, req, resp, PD_SIM_REFUSE_CUSTOMER))
    return;
  /* A refused billing profile is not embedded: the client asks for it, and is refused. */
  serve_customer (self, req, resp, pd_sim_refusal_status (self, req->segments[1],
                                                          PD_SIM_REFUSE_BILLING_PROFILE) != 0
                                   ? pd_sim_json_customer_without_billing : write_full_customer);
}

static void
get_billing_profile (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  if (!refuse (self, req, resp, PD_SIM_REFUSE_BILLING_PROFILE))
    serve_customer (self, req, resp, write_billing_profile);
}

static void
get_company_profile (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  serve_customer (self, req, resp, pd_sim_json_company_profile);
}

static void
write_collection (PdSimJson *w, GPtrArray *resellers)
{
  pd_sim_json_begin_object (w, NULL);
  pd_sim_json_int (w, "totalCount", resellers->len);
  pd_sim_json_begin_array (w, "items");
  for (guint i = 0; i < resellers->len; i++)
    pd_sim_json_reseller (w, g_ptr_array_index (resellers, i));
  pd_sim_json_end_array (w);
  pd_sim_json_attributes (w, "Collection", NULL);
  pd_sim_json_end_object (w);
}

static void
get_customer_relationships (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  PdSimCustomer *c = find_customer (self, req, resp);
  g_autoptr(GPtrArray) resellers = g_ptr_array_new ();
  PdSimReseller *r;
  PdSimJson w;

  if (c == NULL || refuse (self, req, resp, PD_SIM_REFUSE_RELATIONSHIPS))
    return;
  r = pd_sim_data_lookup_reseller (self->data, c->reseller_id);
  if (r != NULL)
    g_ptr_array_add (resellers, r);
  pd_sim_json_init (&w);
  write_collection (&w, resellers);
  respond_writer (resp, &w);
}

/* ---- Billing profile PUT -------------------------------------------------------------- */

/* The etag without quotes or a weak prefix. */
static char *
bare_etag (const char *etag)
{
  g_autofree char *copy = NULL;
  gsize len;

  if (etag == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (etag));
  if (g_str_has_prefix (copy, "W/"))
    memmove (copy, copy + 2, strlen (copy + 2) + 1);
  len = strlen (copy);
  if (len >= 2 && copy[0] == '"' && copy[len - 1] == '"')
    return g_strndup (copy + 1, len - 2);
  return g_steal_pointer (&copy);
}

static const char *
body_etag (JsonObject *body)
{
  JsonNode *attributes = pd_sim_member (body, "attributes");

  if (attributes == NULL || !JSON_NODE_HOLDS_OBJECT (attributes))
    return NULL;
  return member_string (json_node_get_object (attributes), "etag");
}

/* Either etag may be sent (the docs want If-Match, the SDK sends the body one); each one
 * sent must be current, and at least one must be. */
static gboolean
etag_matches (PdSimCustomer *c, PdSimRequest *req, JsonObject *body)
{
  g_autofree char *header = bare_etag (soup_message_headers_get_one (req->headers, "If-Match"));
  g_autofree char *in_body = bare_etag (body_etag (body));
  g_autofree char *current = g_strdup_printf ("%" G_GINT64_FORMAT, c->etag);

  if (header == NULL && in_body == NULL)
    return FALSE;
  if (header != NULL && strcmp (header, "*") != 0 && strcmp (header, current) != 0)
    return FALSE;
  return in_body == NULL || strcmp (in_body, current) == 0;
}

/* Takes the fields present in `object` (keys in any case); absent keys keep their value. */
static void
read_fields (JsonObject *object, guint first, guint last, char **values)
{
  for (guint f = first; object != NULL && f < last; f++)
    {
      JsonNode *node = pd_sim_member (object, pd_sim_bill_key (f));
      const char *text;

      if (node == NULL)
        continue;
      text = json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node)
                                                               : NULL;
      g_free (values[f]);
      values[f] = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
    }
}

/* Validation failures use the newer error body, so that clients meet both shapes. */
static gboolean
reject (PdSimResponse *resp, gint64 code, const char *name, const char *message)
{
  pd_sim_response_json (resp, 400, pd_sim_newer_error (code, name, message));
  return FALSE;
}

static gboolean
validate_bill_to (PdSimCustomer *c, char **values, PdSimResponse *resp)
{
  const PdSimCountryInfo *info = pd_sim_country_info (values[PD_SIM_BILL_COUNTRY]);

  if (values[PD_SIM_BILL_COMPANY_NAME] == NULL)
    return reject (resp, 600012, "CompanyNameRequired", "billingProfile.companyName is required.");
  if (g_strcmp0 (values[PD_SIM_BILL_COUNTRY], c->bill[PD_SIM_BILL_COUNTRY]) != 0)
    return reject (resp, 600013, "CountryChangeNotAllowed",
                   "The country of the billing address cannot be changed.");
  if (info != NULL && info->phone_required && values[PD_SIM_BILL_PHONE] == NULL)
    return reject (resp, PD_SIM_CODE_PHONE_REQUIRED, "PhoneNumberRequired",
                   "billingProfile.defaultAddress.phoneNumber is required.");
  return TRUE;
}

#define MAX_REMEMBERED_PUTS 1024

/* MS-RequestId is the idempotency key (§2): a PUT retried with the same id after a lost or
 * garbled answer gets the answer of the first one instead of a 412 for its own change. */
static char *
replay_key (PdSimRequest *req)
{
  const char *request_id = soup_message_headers_get_one (req->headers, "MS-RequestId");

  return request_id != NULL ? g_strconcat (request_id, "|", req->segments[1], NULL) : NULL;
}

static void
remember_put (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  char *key = replay_key (req);

  if (key == NULL || resp->status != 200)
    {
      g_free (key);
      return;
    }
  if (g_hash_table_size (self->put_replies) >= MAX_REMEMBERED_PUTS)
    g_hash_table_remove_all (self->put_replies);
  g_hash_table_insert (self->put_replies, key, g_strndup (resp->body, resp->length));
}

static void
put_billing_profile (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp);

/* Microsoft's account verification: a new company name or address of a verified customer. */
static void
start_review_if_verified_fields_change (PdSimulator *self, PdSimCustomer *c, char **values,
                                        gint64 now_us)
{
  static const PdSimBillField verified[] = {
    PD_SIM_BILL_COMPANY_NAME, PD_SIM_BILL_COUNTRY, PD_SIM_BILL_REGION, PD_SIM_BILL_CITY,
    PD_SIM_BILL_STATE, PD_SIM_BILL_LINE1, PD_SIM_BILL_LINE2, PD_SIM_BILL_POSTAL_CODE,
  };
  gint64 *until;

  if (self->account_review_ms == 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (verified); i++)
    if (g_strcmp0 (c->bill[verified[i]], values[verified[i]]) != 0)
      {
        until = g_new (gint64, 1);
        *until = now_us + (gint64) self->account_review_ms * 1000;
        g_hash_table_replace (self->review_until, g_strdup (c->id), until);
        return;
      }
}

static void
get_validation_status (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  PdSimCustomer *c = find_customer (self, req, resp);
  const gint64 *until;
  gboolean reviewing;
  g_autoptr(GDateTime) changed = NULL;
  g_autofree char *changed_text = NULL;
  PdSimJson w;

  if (c == NULL)
    return;
  if (g_strcmp0 (query_get (req, "type"), "account") != 0)
    {
      pd_sim_response_error (resp, 400, 400, "The validation type is not supported.");
      return;
    }
  until = g_hash_table_lookup (self->review_until, c->id);
  reviewing = until != NULL && req->now_us < *until;
  changed = g_date_time_new_from_unix_utc ((until != NULL
                                            ? *until - (gint64) self->account_review_ms * 1000
                                            : req->now_us) / G_USEC_PER_SEC);
  changed_text = g_date_time_format_iso8601 (changed);
  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "type", "Account");
  pd_sim_json_string (&w, "status", reviewing ? "UnderReview" : "Allowed");
  pd_sim_json_string (&w, "lastUpdateDateTime", changed_text);
  pd_sim_json_end_object (&w);
  respond_writer (resp, &w);
}

static void
put_billing_profile_once (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  g_autofree char *key = replay_key (req);
  const char *replay = key != NULL ? g_hash_table_lookup (self->put_replies, key) : NULL;

  if (replay != NULL)
    {
      pd_sim_response_json (resp, 200, g_strdup (replay));
      return;
    }
  put_billing_profile (self, req, resp);
  remember_put (self, req, resp);
}

static void
put_billing_profile (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  PdSimCustomer *c = find_customer (self, req, resp);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  char *values[PD_SIM_BILL_N];
  JsonNode *address;
  gsize length = 0;
  const char *text = req->body ? g_bytes_get_data (req->body, &length) : NULL;

  if (c == NULL)
    return;
  body = pd_sim_parse_object (text, length, &error);
  if (body == NULL)
    {
      pd_sim_response_error (resp, 400, 400, "The request body is not a valid billing profile.");
      return;
    }
  if (!etag_matches (c, req, body))
    {
      if (self->conflict_status == 400)
        pd_sim_response_error (resp, 400, PD_SIM_CODE_ETAG_INVALID, "Etag is no longer valid.");
      else
        pd_sim_response_error (resp, self->conflict_status, self->conflict_status,
                               "The etag does not match the current billing profile: get the "
                               "profile again and retry.");
      return;
    }
  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    values[f] = g_strdup (c->bill[f]);
  read_fields (body, 0, PD_SIM_BILL_FIRST_ADDRESS_FIELD, values);
  address = pd_sim_member (body, "defaultAddress");
  if (address != NULL && JSON_NODE_HOLDS_OBJECT (address))
    read_fields (json_node_get_object (address), PD_SIM_BILL_FIRST_ADDRESS_FIELD,
                 PD_SIM_BILL_N, values);
  if (!validate_bill_to (c, values, resp))
    {
      for (guint f = 0; f < PD_SIM_BILL_N; f++)
        g_free (values[f]);
      return;
    }
  start_review_if_verified_fields_change (self, c, values, req->now_us);
  pd_sim_data_set_bill_to (self->data, c, values, req->now_us);
  get_billing_profile (self, req, resp);
}

/* ---- Partner-level resources ---------------------------------------------------------- */

static void
get_relationship_request (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  g_autofree char *url = g_strdup_printf (
    "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=%s"
    "&msppId=0&DAP=false#/BillingAccounts/partner-invitation",
    pd_sim_data_partner_tenant_id (self->data));
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "url", url);
  respond_resource (resp, &w, "RelationshipRequest");
}

/* The partner's own profile: each seed is another partner, with its own tenant. */
static void
get_organization_profile (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  const char *tenant = pd_sim_data_partner_tenant_id (self->data);
  g_autofree char *name = g_strdup_printf ("Simulated Partner %.4s Oy", tenant);
  g_autofree char *domain = g_strdup_printf ("partner%.4s.onmicrosoft.com", tenant);
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "id", tenant);
  pd_sim_json_string (&w, "tenantId", tenant);
  pd_sim_json_string (&w, "companyName", name);
  pd_sim_json_string (&w, "domain", domain);
  pd_sim_json_string (&w, "email", "admin@example.com");
  pd_sim_json_string (&w, "culture", "fi-FI");
  pd_sim_json_string (&w, "language", "fi");
  pd_sim_json_begin_object (&w, "defaultAddress");
  pd_sim_json_string (&w, "country", "FI");
  pd_sim_json_string (&w, "city", "Helsinki");
  pd_sim_json_end_object (&w);
  respond_resource (resp, &w, "OrganizationProfile");
}


/* A refusal as to a role that may not read the resource. */
static void
respond_forbidden (PdSimResponse *resp)
{
  pd_sim_response_error (resp, 403, PD_SIM_CODE_NO_RELATIONSHIP,
                         "The partner does not have the access needed for this resource.");
}

static void
get_relationships (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  const char *type = query_get (req, "relationship_type");
  g_autoptr(GPtrArray) resellers = g_ptr_array_new ();
  PdSimJson w;

  if (type == NULL)
    {
      pd_sim_response_error (resp, 400, 400, "relationship_type is required.");
      return;
    }
  if (self->resellers_forbidden)
    {
      respond_forbidden (resp);
      return;
    }
  if (g_ascii_strcasecmp (type, "IsIndirectCloudSolutionProviderOf") == 0)
    for (guint i = 0; i < pd_sim_data_n_resellers (self->data); i++)
      g_ptr_array_add (resellers, pd_sim_data_reseller (self->data, i));
  pd_sim_json_init (&w);
  write_collection (&w, resellers);
  respond_writer (resp, &w);
}

static void
write_strings (PdSimJson *w, const char *key, const char *space_separated)
{
  g_auto(GStrv) items = g_strsplit (space_separated ? space_separated : "", " ", -1);

  pd_sim_json_begin_array (w, key);
  for (guint i = 0; items[i] != NULL; i++)
    if (*items[i] != '\0')
      pd_sim_json_string (w, NULL, items[i]);
  pd_sim_json_end_array (w);
}

static void
get_country_rules (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  const char *iso2 = req->segments[1];
  g_autofree char *upper = g_ascii_strup (iso2, -1);
  const PdSimCountryInfo *info = pd_sim_country_info (upper);
  const char *culture = info ? info->culture : "en-US";
  g_autofree char *language = g_strndup (culture, 2);
  PdSimJson w;

  if (strlen (upper) != 2 || !g_ascii_isalpha (upper[0]) || !g_ascii_isalpha (upper[1]))
    {
      pd_sim_response_error (resp, 400, 400, "The country code is not valid.");
      return;
    }
  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "iso2Code", upper);
  pd_sim_json_string (&w, "defaultCulture", culture);
  pd_sim_json_bool (&w, "isStateRequired", info && info->state_required);
  write_strings (&w, "supportedStatesList", info ? info->states : NULL);
  write_strings (&w, "supportedLanguagesList", language);
  write_strings (&w, "supportedCulturesList", culture);
  pd_sim_json_bool (&w, "isPostalCodeRequired", info == NULL || info->postal_code_required);
  pd_sim_json_string (&w, "postalCodeRegex", info ? info->postal_code_regex : NULL);
  pd_sim_json_bool (&w, "isCityRequired", TRUE);
  pd_sim_json_bool (&w, "isVatIdSupported", FALSE);
  pd_sim_json_bool (&w, "isTaxIdSupported", FALSE);
  pd_sim_json_bool (&w, "isTaxIdOptional", TRUE);
  write_strings (&w, "countryCallingCodesList", info ? info->calling_code : NULL);
  /* Where a phone number is required, its pattern too (the PowerShell module checks it). */
  pd_sim_json_string (&w, "phoneNumberRegex",
                      info && info->phone_required ? "^\\+?[0-9][0-9 ().\\/-]{5,24}$" : NULL);
  respond_resource (resp, &w, "CountryValidationRules");
}

/* ---- Address validation --------------------------------------------------------------- */

typedef struct {
  const char *line1, *line2, *city, *state, *postal, *country;
} Address;

static void
write_address (PdSimJson *w, const char *key, const Address *a, const char *line1)
{
  pd_sim_json_begin_object (w, key);
  pd_sim_json_string (w, "country", a->country);
  pd_sim_json_string (w, "city", a->city);
  pd_sim_json_string (w, "state", a->state);
  pd_sim_json_string (w, "addressLine1", line1 ? line1 : a->line1);
  pd_sim_json_string (w, "addressLine2", a->line2);
  pd_sim_json_string (w, "postalCode", a->postal);
  pd_sim_json_end_object (w);
}

/* None for a missing or malformed required part, StreetPartial when the street has no house
 * number (three suggestions), VerifiedShippable otherwise. */
static const char *
judge_address (const Address *a, const char **message)
{
  const PdSimCountryInfo *info = pd_sim_country_info (a->country);

  *message = NULL;
  if (a->line1 == NULL || a->city == NULL || a->country == NULL)
    *message = "Address line 1, city and country are required.";
  else if (info != NULL && info->postal_code_required && a->postal == NULL)
    *message = "A postal code is required for this country.";
  else if (info != NULL && info->postal_code_required
           && !g_regex_match_simple (info->postal_code_regex, a->postal, 0, 0))
    *message = "The postal code is not valid for this country.";
  else if (info != NULL && info->state_required && a->state == NULL)
    *message = "A state is required for this country.";
  if (*message != NULL)
    return "None";
  if (strpbrk (a->line1, "0123456789") == NULL)
    {
      *message = "The street was found, but not the premises.";
      return "StreetPartial";
    }
  return "VerifiedShippable";
}

static void
validate_address (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  gsize length = 0;
  const char *text = req->body ? g_bytes_get_data (req->body, &length) : NULL;
  g_autoptr(JsonObject) body = pd_sim_parse_object (text, length, NULL);
  Address a;
  const char *status, *message;
  PdSimJson w;

  if (body == NULL)
    {
      pd_sim_response_error (resp, 400, 400, "The request body is not a valid address.");
      return;
    }
  a = (Address) { member_string (body, "addressLine1"), member_string (body, "addressLine2"),
                  member_string (body, "city"), member_string (body, "state"),
                  member_string (body, "postalCode"), member_string (body, "country") };
  status = judge_address (&a, &message);
  pd_sim_json_init_object (&w);
  write_address (&w, "originalAddress", &a, NULL);
  pd_sim_json_begin_array (&w, "suggestedAddresses");
  for (guint i = 0; g_str_equal (status, "StreetPartial") && i < 3; i++)
    {
      g_autofree char *line1 = g_strdup_printf ("%s %u", a.line1, i + 1);
      write_address (&w, NULL, &a, line1);
    }
  if (g_str_equal (status, "VerifiedShippable"))
    write_address (&w, NULL, &a, NULL);
  pd_sim_json_end_array (&w);
  pd_sim_json_string (&w, "status", status);
  pd_sim_json_string (&w, "validationMessage", message);
  pd_sim_json_end_object (&w);
  respond_writer (resp, &w);
}

/* ---- Activity log --------------------------------------------------------------------- */

typedef struct {
  Filter filter;
  gint64 start_us;
  gint64 end_us;
} AuditQuery;

static gboolean
audit_matches (const Pager *p, gpointer item)
{
  const AuditQuery *q = p->filter;
  const PdSimAudit *a = item;

  if (a->date_us < q->start_us || a->date_us >= q->end_us)
    return FALSE;
  switch (q->filter.field)
    {
    case FIELD_COMPANY_NAME: return text_matches (&q->filter, a->customer_name);
    case FIELD_CUSTOMER_ID: return text_matches (&q->filter, a->customer_id);
    case FIELD_RESOURCE_TYPE: return text_matches (&q->filter, a->resource_type);
    default: return TRUE;
    }
}

/* Audit seqs are 1, 2, 3… and records are never removed. */
static guint
audit_index_after (PdSimData *data, guint64 seq)
{
  return (guint) MIN (seq, (guint64) pd_sim_data_n_audit (data));
}

static void
write_audit (PdSimulator *self, PdSimJson *w, gpointer item)
{
  pd_sim_json_audit (w, item, pd_sim_data_partner_tenant_id (self->data));
}

/* "YYYY-MM-DD" (a longer ISO 8601 text is cut to its date) → unix µs at 00:00 UTC. */
static gboolean
parse_day (const char *text, gint64 *out_us)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || strlen (text) < 10)
    return FALSE;
  iso = g_strdup_printf ("%.10sT00:00:00Z", text);
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
parse_audit_range (PdSimRequest *req, AuditQuery *q, PdSimResponse *resp)
{
  const char *start = query_get (req, "startDate");
  const char *end = query_get (req, "endDate");
  gint64 today = req->now_us - req->now_us % DAY_US;

  q->start_us = today - AUDIT_DEFAULT_DAYS * DAY_US;
  q->end_us = G_MAXINT64;
  if ((start != NULL && !parse_day (start, &q->start_us))
      || (end != NULL && !parse_day (end, &q->end_us)))
    {
      pd_sim_response_error (resp, 400, 400, "startDate and endDate must be dates (YYYY-MM-DD).");
      return FALSE;
    }
  if (q->start_us < today - AUDIT_RETENTION_DAYS * DAY_US)
    {
      pd_sim_response_error (resp, 400, 400,
                             "startDate must be within the last 90 days: activity records are "
                             "kept for 90 days.");
      return FALSE;
    }
  if (end != NULL)
    q->end_us += DAY_US; /* the end day is included */
  return TRUE;
}

static void
list_audit_records (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  static const char * const carried[] = { "startDate", "endDate", "filter", NULL };
  AuditQuery query = { 0 };
  Pager pager = {
    'a', "auditrecords", carried, pd_sim_data_audit_records (self->data),
    G_STRUCT_OFFSET (PdSimAudit, seq), audit_index_after, audit_matches, write_audit, &query,
  };

  if (self->audit_forbidden)
    respond_forbidden (resp);
  else if (parse_audit_range (req, &query, resp)
           && parse_filter (req, TRUE, &query.filter, resp))
    serve_page (self, req, &pager, resp);
  filter_clear (&query.filter);
}

/* ---- Routing -------------------------------------------------------------------------- */

typedef void (*Handler) (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp);

typedef struct {
  const char *method;
  const char *pattern;   /* segments, "*" = any one */
  const char *name;
  Handler     handler;
} Route;

/* Order matters: literal segments before "*". */
static const Route routes[] = {
  { "GET", "customers", "GET /v1/customers", list_customers },
  { "GET", "customers/relationshiprequests", "GET /v1/customers/relationshiprequests",
    get_relationship_request },
  { "GET", "customers/*", "GET /v1/customers/{id}", get_customer },
  { "GET", "customers/*/profiles/billing", "GET /v1/customers/{id}/profiles/billing",
    get_billing_profile },
  { "PUT", "customers/*/profiles/billing", "PUT /v1/customers/{id}/profiles/billing",
    put_billing_profile_once },
  { "GET", "customers/*/profiles/company", "GET /v1/customers/{id}/profiles/company",
    get_company_profile },
  { "GET", "customers/*/validationStatus", "GET /v1/customers/{id}/validationStatus",
    get_validation_status },
  { "GET", "customers/*/relationships", "GET /v1/customers/{id}/relationships",
    get_customer_relationships },
  { "GET", "relationships", "GET /v1/relationships", get_relationships },
  { "GET", "profiles/organization", "GET /v1/profiles/organization", get_organization_profile },
  { "GET", "countryvalidationrules/*", "GET /v1/countryvalidationrules/{iso2}",
    get_country_rules },
  { "POST", "validations/address", "POST /v1/validations/address", validate_address },
  { "GET", "auditrecords", "GET /v1/auditrecords", list_audit_records },
};

static gboolean
path_matches (const char *pattern, char **segments)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint i;

  for (i = 0; parts[i] != NULL; i++)
    {
      if (segments[i] == NULL || *segments[i] == '\0')
        return FALSE;
      if (strcmp (parts[i], "*") != 0 && g_ascii_strcasecmp (parts[i], segments[i]) != 0)
        return FALSE;
    }
  return segments[i] == NULL;
}

/* Matches the path; sets *method_ok when some route has the path with another method. */
static const Route *
find_route (const char *method, char **segments, gboolean *path_known)
{
  *path_known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!path_matches (routes[i].pattern, segments))
        continue;
      *path_known = TRUE;
      if (strcmp (routes[i].method, method) == 0)
        return &routes[i];
    }
  return NULL;
}

const char *
pd_sim_api_endpoint (const char *method, char **segments)
{
  gboolean path_known;
  const Route *route = find_route (method, segments, &path_known);

  return route != NULL ? route->name : "other";
}

void
pd_sim_api_handle (PdSimulator *self, PdSimRequest *req, PdSimResponse *resp)
{
  gboolean path_known;
  const Route *route = find_route (req->method, req->segments, &path_known);

  if (route != NULL)
    route->handler (self, req, resp);
  else if (path_known)
    pd_sim_response_error (resp, 405, 405, "The method is not allowed for this resource.");
  else
    pd_sim_response_error (resp, 404, 404, "Resource not found.");
}
