/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-client.c — PdPcClient: the endpoints of partner-center-api.md and the paging of
 * collections. Queueing, retries and error mapping live in pd-pc-request.c. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pd-pc-client-private.h"

#define PAGE_SIZE 500
/* The adaptive limit starts near 8 (the API issue) and may grow, one step per run of
 * successes, up to the default cap of 16: with 8 in flight a sync could never be more than 8×
 * faster than a serial one, and a 429 halves the limit again at once. */
#define INITIAL_IN_FLIGHT 8
#define DEFAULT_MAX_IN_FLIGHT 16
#define DEFAULT_MAX_RETRIES 4
#define DEFAULT_BASE_DELAY_MS 500
/* The SDK's per-request timeout (partner-center-api.md §10). */
#define REQUEST_TIMEOUT_S 180

G_DEFINE_FINAL_TYPE (PdPcClient, pd_pc_client, G_TYPE_OBJECT)

guint pd_pc_client_throttled_signal;

static void
pd_pc_client_dispose (GObject *object)
{
  PdPcClient *self = PD_PC_CLIENT (object);

  pd_pc_request_shutdown (self);
  g_clear_object (&self->session);
  g_clear_object (&self->auth);
  G_OBJECT_CLASS (pd_pc_client_parent_class)->dispose (object);
}

static void
pd_pc_client_finalize (GObject *object)
{
  PdPcClient *self = PD_PC_CLIENT (object);

  g_free (self->base_url);
  g_free (self->correlation_id);
  g_free (self->locale);
  G_OBJECT_CLASS (pd_pc_client_parent_class)->finalize (object);
}

static void
pd_pc_client_class_init (PdPcClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_pc_client_dispose;
  object_class->finalize = pd_pc_client_finalize;

  pd_pc_client_throttled_signal =
    g_signal_new ("throttled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pd_pc_client_init (PdPcClient *self)
{
  pd_pc_request_init (self);
  self->max_in_flight = DEFAULT_MAX_IN_FLIGHT;
  self->limit = INITIAL_IN_FLIGHT;
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->correlation_id = g_uuid_string_random ();
  self->locale = g_strdup ("en-US");
  self->session = soup_session_new_with_options (
    "max-conns", PD_PC_MAX_IN_FLIGHT_CAP,
    "max-conns-per-host", PD_PC_MAX_IN_FLIGHT_CAP,
    "timeout", REQUEST_TIMEOUT_S,
    "idle-timeout", 60,
    "user-agent", "PartnerDesk/" PACKAGE_VERSION " ",
    NULL);
}

/* --- URLs ------------------------------------------------------------------------------- */

gboolean
pd_pc_url_is_allowed (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

char *
pd_pc_resolve_next_uri (const char *base_url,
                        const char *next_uri)
{
  g_autofree char *relative = NULL;
  const char *path;

  if (g_str_has_prefix (next_uri, "https://") || g_str_has_prefix (next_uri, "http://"))
    {
      g_autoptr(GUri) uri = g_uri_parse (next_uri, G_URI_FLAGS_ENCODED, NULL);

      if (uri == NULL)
        return NULL;
      relative = g_strdup_printf ("%s%s%s", g_uri_get_path (uri),
                                  g_uri_get_query (uri) ? "?" : "",
                                  g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
    }
  else
    relative = g_strdup (next_uri);
  /* Collapse any number of leading "/" and "v1/" (the /v1//v1/ pitfall, §3 and §11). */
  path = relative;
  for (;;)
    {
      while (*path == '/')
        path++;
      if (g_ascii_strncasecmp (path, "v1/", 3) == 0)
        path += 3;
      else if (g_ascii_strcasecmp (path, "v1") == 0)
        path += 2;
      else
        break;
    }
  return g_strdup_printf ("%s/v1/%s", base_url, path);
}

static char *
api_url (PdPcClient *self,
         const char *path_format,
         ...) G_GNUC_PRINTF (2, 3);

static char *
api_url (PdPcClient *self,
         const char *path_format,
         ...)
{
  g_autofree char *path = NULL;
  g_auto(GStrv) segments = NULL;
  va_list args;

  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);
  /* An id "." or ".." (untrusted text: from Partner Center, the activity log, the cache) is no
   * segment of its own for URI resolution, even escaped (%2E is unreserved, so normalized back
   * to a dot): …/customers/../profiles/billing would be the partner's own profile. No URL,
   * and the request fails (pd_pc_request_send_async). */
  segments = g_strsplit_set (path, "/?", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
      return NULL;
  return g_strconcat (self->base_url, "/v1/", path, NULL);
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment ? segment : "", NULL, FALSE);
}

char *
pd_pc_customer_url (PdPcClient *self,
                    const char *tenant_id,
                    const char *below)
{
  g_autofree char *id = escape (tenant_id);

  return api_url (self, "customers/%s%s", id, below);
}

/* --- construction and settings ---------------------------------------------------------- */

PdPcClient *
pd_pc_client_new (const char  *base_url,
                  PdAuth      *auth,
                  GError     **error)
{
  PdPcClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  if (!pd_pc_url_is_allowed (base_url))
    {
      g_set_error (error, PD_PC_ERROR, PD_PC_ERROR_INSECURE_URL,
                   _("Refusing to talk to Partner Center at “%s”: only https:// addresses "
                     "(or http:// on this computer) are allowed."), base_url);
      return NULL;
    }
  self = g_object_new (PD_TYPE_PC_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->auth = auth ? g_object_ref (auth) : NULL;
  return self;
}

const char *
pd_pc_client_get_base_url (PdPcClient *self)
{
  g_return_val_if_fail (PD_IS_PC_CLIENT (self), NULL);
  return self->base_url;
}

void
pd_pc_client_set_max_in_flight (PdPcClient *self,
                                guint       max_in_flight)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  self->max_in_flight = CLAMP (max_in_flight, 1, PD_PC_MAX_IN_FLIGHT_CAP);
  self->limit = MIN (self->limit, (double) self->max_in_flight);
  self->stats.in_flight_limit = (guint) self->limit;
}

void
pd_pc_client_set_requests_per_minute (PdPcClient *self,
                                      guint       rpm)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  self->rpm = rpm;
}

void
pd_pc_client_set_correlation_id (PdPcClient *self,
                                 const char *correlation_id)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  g_free (self->correlation_id);
  self->correlation_id = correlation_id ? g_strdup (correlation_id) : g_uuid_string_random ();
}

void
pd_pc_client_set_locale (PdPcClient *self,
                         const char *locale)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  g_free (self->locale);
  self->locale = g_strdup (locale ? locale : "en-US");
}

void
pd_pc_client_set_retry_policy (PdPcClient *self,
                               guint       max_retries,
                               guint       base_delay_ms)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
}

void
pd_pc_client_get_stats (PdPcClient *self,
                        PdPcStats  *stats)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  *stats = self->stats;
  stats->in_flight_limit = MAX ((guint) self->limit, 1u);
}

/* --- single resources ------------------------------------------------------------------- */

#define DEFINE_BODY_PARSER(name, parser)                                   \
  static gpointer                                                          \
  name (GBytes *body, gpointer data, GError **error)                       \
  {                                                                        \
    gsize len;                                                             \
    const char *text = g_bytes_get_data (body, &len);                      \
    return parser (text, len, error);                                      \
  }

DEFINE_BODY_PARSER (parse_customer, pd_pc_json_parse_customer)
DEFINE_BODY_PARSER (parse_billing_profile, pd_pc_json_parse_billing_profile)
DEFINE_BODY_PARSER (parse_company_profile, pd_pc_json_parse_company_profile)
DEFINE_BODY_PARSER (parse_organization_profile, pd_pc_json_parse_organization_profile)
DEFINE_BODY_PARSER (parse_validation_status, pd_pc_json_parse_validation_status)
DEFINE_BODY_PARSER (parse_address_validation, pd_pc_json_parse_address_validation)
DEFINE_BODY_PARSER (parse_relationship_request, pd_pc_json_parse_relationship_request)

static gpointer
parse_country_rules (GBytes   *body,
                     gpointer  iso2,
                     GError  **error)
{
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  PdCountryRule *rule = pd_pc_json_parse_country_rules (text, len, error);

  /* The rule belongs to the country asked for, whatever the body calls it. */
  if (rule != NULL && (rule->iso2 == NULL || *rule->iso2 == '\0'))
    {
      g_free (rule->iso2);
      rule->iso2 = g_strdup (iso2);
    }
  return rule;
}

static void
send_get (PdPcClient          *self,
          char                *url,
          PdPcParseFunc        parse,
          gpointer             parse_data,
          GDestroyNotify       result_free,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  PdPcCall call = {
    .method = "GET", .url = url, .flags = PD_PC_REQUEST_IDEMPOTENT,
    .parse = parse, .parse_data = parse_data, .result_free = result_free,
  };

  pd_pc_request_send_async (self, &call, cancellable, callback, user_data);
}

void
pd_pc_client_get_customer_async (PdPcClient          *self,
                                 const char          *tenant_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  send_get (self, pd_pc_customer_url (self, tenant_id, ""), parse_customer, NULL,
            (GDestroyNotify) pd_pc_customer_free, cancellable, callback, user_data);
}

PdPcCustomer *
pd_pc_client_get_customer_finish (PdPcClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

static void
get_billing_profile (PdPcClient          *self,
                     const char          *tenant_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  send_get (self, pd_pc_customer_url (self, tenant_id, "/profiles/billing"),
            parse_billing_profile, NULL, (GDestroyNotify) pd_pc_billing_profile_free,
            cancellable, callback, user_data);
}

void
pd_pc_client_get_billing_profile_async (PdPcClient          *self,
                                        const char          *tenant_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  get_billing_profile (self, tenant_id, cancellable, callback, user_data);
}

PdPcBillingProfile *
pd_pc_client_get_billing_profile_finish (PdPcClient    *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

void
pd_pc_client_get_company_profile_async (PdPcClient          *self,
                                        const char          *tenant_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  send_get (self, pd_pc_customer_url (self, tenant_id, "/profiles/company"),
            parse_company_profile, NULL, (GDestroyNotify) pd_pc_company_profile_free,
            cancellable, callback, user_data);
}

PdPcCompanyProfile *
pd_pc_client_get_company_profile_finish (PdPcClient    *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

void
pd_pc_client_get_validation_status_async (PdPcClient          *self,
                                          const char          *tenant_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  send_get (self, pd_pc_customer_url (self, tenant_id, "/validationStatus?type=account"),
            parse_validation_status, NULL, (GDestroyNotify) pd_pc_validation_status_free,
            cancellable, callback, user_data);
}

PdPcValidationStatus *
pd_pc_client_get_validation_status_finish (PdPcClient    *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

const char *
pd_pc_client_get_token_tenant_id (PdPcClient *self)
{
  g_return_val_if_fail (PD_IS_PC_CLIENT (self), NULL);
  return self->auth != NULL ? pd_auth_get_tenant_id (self->auth) : NULL;
}

void
pd_pc_client_get_organization_profile_async (PdPcClient          *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  send_get (self, api_url (self, "profiles/organization"), parse_organization_profile, NULL,
            (GDestroyNotify) pd_pc_company_profile_free, cancellable, callback, user_data);
}

PdPcCompanyProfile *
pd_pc_client_get_organization_profile_finish (PdPcClient    *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

void
pd_pc_client_get_country_rules_async (PdPcClient          *self,
                                      const char          *iso2,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *upper = g_ascii_strup (iso2 ? iso2 : "", -1);
  g_autofree char *code = escape (upper);

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  /* An interned string outlives the call; there are fewer than 300 country codes. */
  send_get (self, api_url (self, "countryvalidationrules/%s", code), parse_country_rules,
            (gpointer) g_intern_string (upper), (GDestroyNotify) pd_country_rule_free,
            cancellable, callback, user_data);
}

PdCountryRule *
pd_pc_client_get_country_rules_finish (PdPcClient    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

void
pd_pc_client_validate_address_async (PdPcClient          *self,
                                     const PdBillTo      *address,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  char *body = pd_pc_json_build_address (address);
  PdPcCall call = {
    .method = "POST", .url = api_url (self, "validations/address"),
    .body = g_bytes_new_take (body, strlen (body)),
    /* Validation changes nothing on the server: safe to repeat. */
    .flags = PD_PC_REQUEST_IDEMPOTENT,
    .parse = parse_address_validation,
    .result_free = (GDestroyNotify) pd_pc_address_validation_free,
  };

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  pd_pc_request_send_async (self, &call, cancellable, callback, user_data);
}

PdPcAddressValidation *
pd_pc_client_validate_address_finish (PdPcClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

void
pd_pc_client_get_relationship_request_async (PdPcClient          *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (PD_IS_PC_CLIENT (self));
  send_get (self, api_url (self, "customers/relationshiprequests"), parse_relationship_request,
            NULL, g_free, cancellable, callback, user_data);
}

char *
pd_pc_client_get_relationship_request_finish (PdPcClient    *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return pd_pc_request_send_finish (self, result, error);
}

/* --- paging --------------------------------------------------------------------------- */

typedef struct {
  PdPcItemParser  item_parser;
  GDestroyNotify  item_free;
  PdPcPageFunc    page_func;     /* customers: handed page by page */
  gpointer        page_data;
  GPtrArray      *collected;     /* other collections: gathered */
  gint64          count;
  char           *last_request;  /* next uri + token, to refuse an endless loop */
  guint           n_empty;       /* empty pages in a row, to refuse an endless run of them */
} Pager;

/* Empty pages in a row after which a list is taken for an endless loop: Partner Center sends
 * one now and then in the middle of a list, never a run of them (each with a new link, a loop
 * that pager_follow's same-link check cannot see). */
#define MAX_EMPTY_PAGES_IN_ROW 20

typedef struct {
  GPtrArray  *items;
  PdPcPaging  paging;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  pd_pc_paging_clear (&page->paging);
  g_free (page);
}

static void
pager_free (Pager *pager)
{
  g_clear_pointer (&pager->collected, g_ptr_array_unref);
  g_free (pager->last_request);
  g_free (pager);
}

static gpointer
parse_page (GBytes   *body,
            gpointer  data,
            GError  **error)
{
  Pager *pager = data;
  Page *page = g_new0 (Page, 1);
  gsize len;
  const char *text = g_bytes_get_data (body, &len);

  gboolean ok;

  /* Customer pages are the bulk of a sync: they go through the single-pass reader. */
  if (pager->item_parser == pd_pc_json_customer_from_object)
    ok = pd_pc_json_parse_customer_collection (text, len, &page->items, &page->paging, error);
  else
    ok = pd_pc_json_parse_collection (text, len, pager->item_parser, pager->item_free,
                                      &page->items, &page->paging, error);
  if (!ok)
    {
      page_free (page);
      return NULL;
    }
  return page;
}

static void on_page (GObject *source, GAsyncResult *result, gpointer data);

static void
pager_fetch (GTask     *task,
             char      *url,
             GPtrArray *headers,
             gboolean   is_next)
{
  Pager *pager = g_task_get_task_data (task);
  PdPcCall call = {
    .method = "GET", .url = url, .headers = headers,
    .flags = PD_PC_REQUEST_IDEMPOTENT | (is_next ? PD_PC_REQUEST_NEXT_PAGE : 0),
    .parse = parse_page, .parse_data = pager, .result_free = (GDestroyNotify) page_free,
  };

  pd_pc_request_send_async (g_task_get_source_object (task), &call,
                            g_task_get_cancellable (task), on_page, task);
}

/* The value of MS-ContinuationToken among flattened headers, or NULL. */
static const char *
find_continuation_header (GPtrArray *headers)
{
  for (guint i = 0; headers != NULL && i + 1 < headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (headers, i), "MS-ContinuationToken") == 0)
      return g_ptr_array_index (headers, i + 1);
  return NULL;
}

/* Every end-of-paging signal of §3/§11 that a page itself carries: no links.next, an empty
 * continuationToken (member present), an empty continuation header. The others (204,
 * 400/2000) are answers to the next request (PD_PC_REQUEST_NEXT_PAGE). An empty page is not
 * one: Partner Center may send one in the middle of a list, and Microsoft's SDK follows its
 * next link (BaseResourceCollectionEnumerator.IsLastPage looks at links.next only). */
static gboolean
page_is_last (Page *page)
{
  const char *header_token = find_continuation_header (page->paging.next_headers);

  if (page->paging.next_uri == NULL)
    return TRUE;
  if (page->paging.has_continuation_token
      && (page->paging.continuation_token == NULL || *page->paging.continuation_token == '\0'))
    return TRUE;
  return header_token != NULL && *header_token == '\0';
}

static void
pager_done (GTask *task)
{
  Pager *pager = g_task_get_task_data (task);

  if (pager->collected != NULL)
    g_task_return_pointer (task, g_steal_pointer (&pager->collected),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_int (task, pager->count);
  g_object_unref (task);
}

/* Follows links.next of page: its headers as given, plus the body token when the link has
 * none (Microsoft's raw-REST tool sends it that way). The link that fetched page (n_items
 * long) again is an endless loop, unless page was empty: then it has nothing more to give,
 * and the list ends. */
static void
pager_follow (GTask *task,
              Page  *page,
              guint  n_items)
{
  PdPcClient *self = g_task_get_source_object (task);
  Pager *pager = g_task_get_task_data (task);
  GPtrArray *headers = g_steal_pointer (&page->paging.next_headers);
  const char *token;
  g_autofree char *request_key = NULL;
  char *url;

  if (find_continuation_header (headers) == NULL && page->paging.continuation_token != NULL)
    {
      g_ptr_array_add (headers, g_strdup ("MS-ContinuationToken"));
      g_ptr_array_add (headers, g_strdup (page->paging.continuation_token));
    }
  token = find_continuation_header (headers);
  request_key = g_strconcat (page->paging.next_uri, "\n", token ? token : "", NULL);
  url = pd_pc_resolve_next_uri (self->base_url, page->paging.next_uri);
  if (g_strcmp0 (request_key, pager->last_request) == 0 && n_items == 0)
    {
      g_ptr_array_unref (headers);
      g_free (url);
      pager_done (task);
      return;
    }
  if (g_strcmp0 (request_key, pager->last_request) == 0 || url == NULL)
    {
      g_ptr_array_unref (headers);
      g_free (url);
      g_task_return_new_error (task, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE,
                               _("Partner Center sent the same page link twice; the list "
                                 "was stopped to avoid an endless loop."));
      g_object_unref (task);
      return;
    }
  pager->n_empty = n_items == 0 ? pager->n_empty + 1 : 0;
  if (pager->n_empty > MAX_EMPTY_PAGES_IN_ROW)
    {
      g_ptr_array_unref (headers);
      g_free (url);
      g_task_return_new_error (task, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE,
                               _("Partner Center sent %u empty pages in a row; the list was "
                                 "stopped to avoid an endless loop."), pager->n_empty);
      g_object_unref (task);
      return;
    }
  g_free (pager->last_request);
  pager->last_request = g_steal_pointer (&request_key);
  pager_fetch (task, url, headers, TRUE);
}

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  Pager *pager = g_task_get_task_data (task);
  GError *error = NULL;
  Page *page = pd_pc_request_send_finish (PD_PC_CLIENT (source), result, &error);
  gboolean keep_going = TRUE;
  guint n_items;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (page == NULL)   /* 204 or 400/2000 on a next link */
    {
      g_object_set_data (G_OBJECT (task), "ended-by-answer", GINT_TO_POINTER (TRUE));
      pager_done (task);
      return;
    }
  n_items = page->items->len;
  pager->count += n_items;
  if (pager->page_func != NULL)
    keep_going = pager->page_func (page->items, pager->page_data);
  else if (pager->collected != NULL)
    g_ptr_array_extend_and_steal (pager->collected, g_steal_pointer (&page->items));
  if (keep_going && !g_cancellable_is_cancelled (g_task_get_cancellable (task))
      && !page_is_last (page))
    pager_follow (task, page, n_items);
  else if (g_task_return_error_if_cancelled (task))
    g_object_unref (task);
  else
    pager_done (task);
  page_free (page);
}

static GTask *
pager_new (PdPcClient          *self,
           PdPcItemParser       item_parser,
           GDestroyNotify       item_free,
           gboolean             collect,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Pager *pager = g_new0 (Pager, 1);

  pager->item_parser = item_parser;
  pager->item_free = item_free;
  if (collect)
    pager->collected = g_ptr_array_new_with_free_func (item_free);
  g_task_set_task_data (task, pager, (GDestroyNotify) pager_free);
  return task;
}

/* The customers endpoint's filter: {"Field":…,"Value":…,"Operator":"starts_with"}, with every
 * reserved character percent-encoded, after size with "&" (partner-center-api.md §3, §9).
 * For IndirectReseller, Microsoft's page "Get customers of an indirect reseller"
 * (MicrosoftDocs/partner-center-sdk develop/get-customers-of-an-indirect-reseller.md) gives
 * exactly this encoded form, "filter=%7B%22Field%22%3A%22IndirectReseller%22%2C%22Value%22…",
 * as do the SDK (SimpleFieldFilter(CustomerSearchField.IndirectReseller, StartsWith, id)) and
 * microsoft/PartnerCenterPowerShellModule's Get-PCResellerCustomer (UrlEncode of that JSON).
 * One reseller per request: a scope of several is listed one reseller after the other. */
static char *
build_filter (PdPcCustomerFilter  filter,
              const char         *value)
{
  static const char * const fields[] = {
    [PD_PC_FILTER_COMPANY_NAME] = "CompanyName",
    [PD_PC_FILTER_DOMAIN] = "Domain",
    [PD_PC_FILTER_INDIRECT_RESELLER] = "IndirectReseller",
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Field");
  json_builder_add_string_value (builder, fields[filter]);
  json_builder_set_member_name (builder, "Value");
  json_builder_add_string_value (builder, value ? value : "");
  json_builder_set_member_name (builder, "Operator");
  json_builder_add_string_value (builder, "starts_with");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return g_uri_escape_string (json, NULL, FALSE);
}

void
pd_pc_client_list_customers_async (PdPcClient          *self,
                                   PdPcCustomerFilter   filter,
                                   const char          *value,
                                   PdPcPageFunc         page_func,
                                   gpointer             page_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  Pager *pager;
  char *url;

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  g_return_if_fail (filter <= PD_PC_FILTER_INDIRECT_RESELLER);
  task = pager_new (self, pd_pc_json_customer_from_object, (GDestroyNotify) pd_pc_customer_free,
                    FALSE, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pc_client_list_customers_async);
  pager = g_task_get_task_data (task);
  pager->page_func = page_func;
  pager->page_data = page_data;
  if (filter == PD_PC_FILTER_NONE)
    url = api_url (self, "customers?size=%d", PAGE_SIZE);
  else
    {
      g_autofree char *encoded = build_filter (filter, value);
      url = api_url (self, "customers?size=%d&filter=%s", PAGE_SIZE, encoded);
    }
  pager_fetch (task, url, NULL, FALSE);
}

gint64
pd_pc_client_list_customers_finish (PdPcClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

gboolean
pd_pc_client_list_ended_by_answer (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_object_get_data (G_OBJECT (result), "ended-by-answer") != NULL;
}

void
pd_pc_client_list_indirect_resellers_async (PdPcClient          *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  task = pager_new (self, pd_pc_json_reseller_from_object, (GDestroyNotify) pd_pc_reseller_free,
                    TRUE, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pc_client_list_indirect_resellers_async);
  pager_fetch (task,
               api_url (self, "relationships?relationship_type=IsIndirectCloudSolutionProviderOf"),
               NULL, FALSE);
}

GPtrArray *
pd_pc_client_list_indirect_resellers_finish (PdPcClient    *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The same PartnerRelationship items as the provider's list (partner-center-api.md §9). */
void
pd_pc_client_list_customer_resellers_async (PdPcClient          *self,
                                            const char          *tenant_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autofree char *id = escape (tenant_id);
  GTask *task;

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  task = pager_new (self, pd_pc_json_reseller_from_object, (GDestroyNotify) pd_pc_reseller_free,
                    TRUE, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pc_client_list_customer_resellers_async);
  pager_fetch (task, api_url (self, "customers/%s/relationships", id), NULL, FALSE);
}

GPtrArray *
pd_pc_client_list_customer_resellers_finish (PdPcClient    *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return pd_pc_client_list_indirect_resellers_finish (self, result, error);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

  return g_date_time_format (utc, "%Y-%m-%d");
}

void
pd_pc_client_list_audit_records_async (PdPcClient          *self,
                                       GDateTime           *start,
                                       GDateTime           *end,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  GTask *task;

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  g_return_if_fail (start != NULL && end != NULL);
  start_text = format_date (start);
  end_text = format_date (end);
  task = pager_new (self, pd_pc_json_audit_record_from_object,
                    (GDestroyNotify) pd_pc_audit_record_free, TRUE, cancellable, callback,
                    user_data);
  g_task_set_source_tag (task, pd_pc_client_list_audit_records_async);
  pager_fetch (task, api_url (self, "auditrecords?size=%d&startDate=%s&endDate=%s", PAGE_SIZE,
                              start_text, end_text),
               NULL, FALSE);
}

GPtrArray *
pd_pc_client_list_audit_records_finish (PdPcClient    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- consent links -------------------------------------------------------------------- */

char *
pd_pc_build_consent_link (const char *partner_tenant_id,
                          gboolean    delegated_admin)
{
  g_autofree char *id = escape (partner_tenant_id);

  return g_strdup_printf ("https://admin.microsoft.com/Adminportal/Home?"
                          "invType=ResellerRelationship&partnerId=%s&msppId=0&DAP=%s"
                          "#/BillingAccounts/partner-invitation",
                          id, delegated_admin ? "true" : "false");
}

char *
pd_pc_consent_link_with_dap (const char *url,
                             gboolean    delegated_admin)
{
  const char *fragment = strchr (url, '#');
  g_autofree char *head = g_strndup (url, fragment ? (gsize) (fragment - url) : strlen (url));
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *query = strchr (head, '?');
  const char *dap = delegated_admin ? "DAP=true" : "DAP=false";
  gboolean replaced = FALSE;

  if (query == NULL)
    return g_strdup_printf ("%s?%s%s", head, dap, fragment ? fragment : "");
  g_string_append_len (out, head, query - head + 1);
  parts = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean is_dap = g_ascii_strncasecmp (parts[i], "DAP=", 4) == 0;

      if (is_dap && replaced)
        continue;
      if (out->str[out->len - 1] != '?')
        g_string_append_c (out, '&');
      g_string_append (out, is_dap ? dap : parts[i]);
      replaced |= is_dap;
    }
  if (!replaced)
    g_string_append_printf (out, "%s%s", out->str[out->len - 1] == '?' ? "" : "&", dap);
  g_string_append (out, fragment ? fragment : "");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
