/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-auth.c — see pd-sim-auth.h. Error bodies follow Entra ID v2 ({error,
 * error_description, error_codes, timestamp, trace_id, correlation_id}); tokens are
 * JWT-shaped (header.payload.signature, base64url) but not signed by anything. */
#include "pd-sim-auth.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-sim-data.h"
#include "pd-sim-json.h"

#define DEVICE_CODE_LIFETIME_S 900
#define API_AUDIENCE           "https://api.partnercenter.microsoft.com"
#define SIM_UPN                "admin@partnerdesksim.onmicrosoft.com"

typedef enum {
  OUTCOME_APPROVE,
  OUTCOME_DECLINE,
  OUTCOME_EXPIRE,
} Outcome;

typedef struct {
  char    *client_id;
  char    *scope;
  gint64   created_us;
  Outcome  outcome;
  gboolean no_mfa;
  gboolean redeemed;
} DeviceCode;

typedef struct {
  char     *client_id;
  char     *scope;
  gboolean  no_mfa;
} Grant;

struct _PdSimAuth
{
  char       *partner_tenant_id;
  char       *extra_token;
  PdSimRng    rng;
  guint       approve_after_ms;
  guint       token_lifetime_s;
  guint       token_failure;   /* 0, or the status every token request gets (400, 503) */
  GHashTable *device_codes;   /* device_code → DeviceCode */
  GHashTable *access_tokens;  /* token → gint64 expiry (µs), boxed */
  GHashTable *refresh_tokens; /* token → Grant */
  guint       n_issued;
};

static void
device_code_free (DeviceCode *code)
{
  g_free (code->client_id);
  g_free (code->scope);
  g_free (code);
}

static void
grant_free (Grant *grant)
{
  g_free (grant->client_id);
  g_free (grant->scope);
  g_free (grant);
}

PdSimAuth *
pd_sim_auth_new (const char *partner_tenant_id, const char *extra_token, guint64 seed)
{
  PdSimAuth *auth = g_new0 (PdSimAuth, 1);

  auth->partner_tenant_id = g_strdup (partner_tenant_id);
  auth->extra_token = g_strdup (extra_token);
  pd_sim_rng_init (&auth->rng, seed ^ G_GUINT64_CONSTANT (0xa17));
  auth->approve_after_ms = 1000;
  auth->token_lifetime_s = 3599;
  auth->device_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) device_code_free);
  auth->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  auth->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) grant_free);
  return auth;
}

void
pd_sim_auth_free (PdSimAuth *auth)
{
  if (auth == NULL)
    return;
  g_hash_table_unref (auth->device_codes);
  g_hash_table_unref (auth->access_tokens);
  g_hash_table_unref (auth->refresh_tokens);
  g_free (auth->partner_tenant_id);
  g_free (auth->extra_token);
  g_free (auth);
}

void
pd_sim_auth_set_approve_after (PdSimAuth *auth, guint approve_after_ms)
{
  auth->approve_after_ms = approve_after_ms;
}

void
pd_sim_auth_set_token_lifetime (PdSimAuth *auth, guint seconds)
{
  auth->token_lifetime_s = MAX (seconds, 1);
}

guint
pd_sim_auth_n_tokens_issued (PdSimAuth *auth)
{
  return auth->n_issued;
}

gboolean
pd_sim_auth_check_bearer (PdSimAuth *auth, const char *authorization, gint64 now_us)
{
  const char *token;
  gint64 *expiry;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  token = authorization + 7;
  while (*token == ' ')
    token++;
  if (*token == '\0')
    return FALSE;
  if (auth->extra_token != NULL && strcmp (token, auth->extra_token) == 0)
    return TRUE;
  expiry = g_hash_table_lookup (auth->access_tokens, token);
  return expiry != NULL && *expiry > now_us;
}

/* The JSON payload of a JWT (its second base64url part), or NULL. */
static JsonNode *
jwt_payload (const char *token)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GString) base64 = NULL;
  g_autofree guchar *json = NULL;
  gsize len = 0;

  if (g_strv_length (parts) != 3)
    return NULL;
  base64 = g_string_new (parts[1]);
  g_strdelimit (base64->str, "-", '+');
  g_strdelimit (base64->str, "_", '/');
  while (base64->len % 4 != 0)
    g_string_append_c (base64, '=');
  json = g_base64_decode (base64->str, &len);
  return json != NULL ? json_from_string ((const char *) json, NULL) : NULL;
}

gboolean
pd_sim_auth_bearer_lacks_mfa (const char *authorization)
{
  g_autoptr(JsonNode) payload = NULL;
  JsonNode *amr;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  payload = jwt_payload (authorization + 7);
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return FALSE;
  amr = json_object_get_member (json_node_get_object (payload), "amr");
  if (amr == NULL || !JSON_NODE_HOLDS_ARRAY (amr))
    return FALSE;
  /* As Microsoft's MCARefresh tool checks it: an amr value ending in "mfa". */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (amr)); i++)
    {
      JsonNode *value = json_array_get_element (json_node_get_array (amr), i);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
          && g_str_has_suffix (json_node_get_string (value), "mfa"))
        return FALSE;
    }
  return TRUE;
}

/* ---- Token material ------------------------------------------------------------------- */

static char *
base64url (const char *data, gsize len)
{
  char *text = g_base64_encode ((const guchar *) data, len);
  gsize n = strlen (text);

  while (n > 0 && text[n - 1] == '=')
    text[--n] = '\0';
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  return text;
}

static char *
random_text (PdSimAuth *auth, guint n_words)
{
  guint64 words[8];

  n_words = MIN (n_words, G_N_ELEMENTS (words));
  for (guint i = 0; i < n_words; i++)
    words[i] = pd_sim_rng_next (&auth->rng);
  return base64url ((const char *) words, n_words * sizeof (guint64));
}

static char *
make_jwt (PdSimAuth *auth, const char *payload)
{
  static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"pd-simulator\"}";
  g_autofree char *h = base64url (header, strlen (header));
  g_autofree char *p = base64url (payload, strlen (payload));
  g_autofree char *signature = random_text (auth, 4);

  return g_strdup_printf ("%s.%s.%s", h, p, signature);
}

static char *
access_token_claims (PdSimAuth *auth, const Grant *grant, gint64 now_s)
{
  g_autofree char *issuer = g_strdup_printf ("https://sts.windows.net/%s/", auth->partner_tenant_id);
  g_autofree char *jti = random_text (auth, 2);
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "aud", API_AUDIENCE);
  pd_sim_json_string (&w, "iss", issuer);
  pd_sim_json_int (&w, "iat", now_s);
  pd_sim_json_int (&w, "nbf", now_s);
  pd_sim_json_int (&w, "exp", now_s + auth->token_lifetime_s);
  pd_sim_json_begin_array (&w, "amr");
  pd_sim_json_string (&w, NULL, "pwd");
  if (!grant->no_mfa)
    pd_sim_json_string (&w, NULL, "mfa");
  pd_sim_json_end_array (&w);
  pd_sim_json_string (&w, "appid", grant->client_id);
  pd_sim_json_string (&w, "name", "Simulator Admin");
  pd_sim_json_string (&w, "scp", "user_impersonation");
  pd_sim_json_string (&w, "tid", auth->partner_tenant_id);
  pd_sim_json_string (&w, "unique_name", SIM_UPN);
  pd_sim_json_string (&w, "upn", SIM_UPN);
  pd_sim_json_string (&w, "uti", jti);
  pd_sim_json_string (&w, "ver", "1.0");
  return pd_sim_json_finish_object (&w);
}

static char *
id_token_claims (PdSimAuth *auth, const Grant *grant, gint64 now_s)
{
  g_autofree char *issuer = g_strdup_printf ("https://login.microsoftonline.com/%s/v2.0",
                                             auth->partner_tenant_id);
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "aud", grant->client_id);
  pd_sim_json_string (&w, "iss", issuer);
  pd_sim_json_int (&w, "iat", now_s);
  pd_sim_json_int (&w, "nbf", now_s);
  pd_sim_json_int (&w, "exp", now_s + auth->token_lifetime_s);
  pd_sim_json_string (&w, "name", "Simulator Admin");
  pd_sim_json_string (&w, "preferred_username", SIM_UPN);
  pd_sim_json_string (&w, "tid", auth->partner_tenant_id);
  pd_sim_json_string (&w, "ver", "2.0");
  return pd_sim_json_finish_object (&w);
}

/* Issues an access token and a (new) refresh token for `grant`; the answer's JSON. */
static char *
issue_tokens (PdSimAuth *auth, const Grant *grant, gint64 now_us)
{
  gint64 now_s = now_us / G_USEC_PER_SEC;
  g_autofree char *claims = access_token_claims (auth, grant, now_s);
  char *access_token = make_jwt (auth, claims);
  char *refresh_token = random_text (auth, 6);
  Grant *copy = g_new0 (Grant, 1);
  gint64 *expiry = g_new (gint64, 1);
  PdSimJson w;

  *expiry = now_us + (gint64) auth->token_lifetime_s * G_USEC_PER_SEC;
  g_hash_table_insert (auth->access_tokens, access_token, expiry);
  copy->client_id = g_strdup (grant->client_id);
  copy->scope = g_strdup (grant->scope);
  copy->no_mfa = grant->no_mfa;
  g_hash_table_insert (auth->refresh_tokens, refresh_token, copy);
  auth->n_issued++;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "token_type", "Bearer");
  pd_sim_json_string (&w, "scope", API_AUDIENCE "/user_impersonation");
  pd_sim_json_int (&w, "expires_in", auth->token_lifetime_s);
  pd_sim_json_int (&w, "ext_expires_in", auth->token_lifetime_s);
  pd_sim_json_string (&w, "access_token", access_token);
  pd_sim_json_string (&w, "refresh_token", refresh_token);
  if (grant->scope != NULL && strstr (grant->scope, "openid") != NULL)
    {
      g_autofree char *id_claims = id_token_claims (auth, grant, now_s);
      g_autofree char *id_token = make_jwt (auth, id_claims);
      pd_sim_json_string (&w, "id_token", id_token);
    }
  return pd_sim_json_finish_object (&w);
}

/* ---- Endpoints ------------------------------------------------------------------------ */

static guint
entra_error (PdSimAuth *auth, const char *error, guint aadsts, const char *text, char **body)
{
  g_autofree char *trace = pd_sim_rng_guid (&auth->rng);
  g_autofree char *correlation = pd_sim_rng_guid (&auth->rng);
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autofree char *now = g_date_time_format_iso8601 (utc);
  g_autofree char *description = g_strdup_printf ("AADSTS%u: %s\r\nTrace ID: %s\r\n"
                                                  "Correlation ID: %s\r\nTimestamp: %s",
                                                  aadsts, text, trace, correlation, now);
  g_autofree char *uri = g_strdup_printf ("https://login.microsoftonline.com/error?code=%u",
                                          aadsts);
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "error", error);
  pd_sim_json_string (&w, "error_description", description);
  pd_sim_json_begin_array (&w, "error_codes");
  pd_sim_json_int (&w, NULL, aadsts);
  pd_sim_json_end_array (&w);
  pd_sim_json_string (&w, "timestamp", now);
  pd_sim_json_string (&w, "trace_id", trace);
  pd_sim_json_string (&w, "correlation_id", correlation);
  pd_sim_json_string (&w, "error_uri", uri);
  *body = pd_sim_json_finish_object (&w);
  return 400;
}

static char *
user_code (PdSimAuth *auth)
{
  static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  char code[10];

  for (guint i = 0; i < 9; i++)
    code[i] = alphabet[pd_sim_rng_below (&auth->rng, sizeof alphabet - 1)];
  code[9] = '\0';
  return g_strdup (code);
}

static guint
handle_device_code (PdSimAuth *auth, GHashTable *form, const char *base_url, gint64 now_us,
                    char **body)
{
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *scope = g_hash_table_lookup (form, "scope");
  DeviceCode *code;
  g_autofree char *device_code = NULL;
  g_autofree char *user = NULL;
  g_autofree char *verification = NULL;
  g_autofree char *message = NULL;
  PdSimJson w;

  if (client_id == NULL || *client_id == '\0')
    return entra_error (auth, "invalid_request", 900144,
                        "The request body must contain the following parameter: 'client_id'.",
                        body);
  if (scope == NULL || *scope == '\0')
    return entra_error (auth, "invalid_request", 900144,
                        "The request body must contain the following parameter: 'scope'.", body);
  code = g_new0 (DeviceCode, 1);
  code->client_id = g_strdup (client_id);
  code->scope = g_strdup (scope);
  code->created_us = now_us;
  code->outcome = g_str_equal (client_id, "decline") ? OUTCOME_DECLINE
                : g_str_equal (client_id, "expire") ? OUTCOME_EXPIRE : OUTCOME_APPROVE;
  code->no_mfa = g_str_equal (client_id, "no-mfa");
  device_code = random_text (auth, 6);
  user = user_code (auth);
  g_hash_table_insert (auth->device_codes, g_strdup (device_code), code);

  verification = g_strdup_printf ("%s/devicelogin", base_url);
  message = g_strdup_printf ("To sign in, use a web browser to open the page %s and enter the "
                             "code %s to authenticate.", verification, user);
  pd_sim_json_init_object (&w);
  pd_sim_json_string (&w, "user_code", user);
  pd_sim_json_string (&w, "device_code", device_code);
  pd_sim_json_string (&w, "verification_uri", verification);
  pd_sim_json_int (&w, "expires_in", DEVICE_CODE_LIFETIME_S);
  /* Entra says 5; 1 keeps tests and the demo quick and is still a valid interval. */
  pd_sim_json_int (&w, "interval", 1);
  pd_sim_json_string (&w, "message", message);
  *body = pd_sim_json_finish_object (&w);
  return 200;
}

static guint
redeem_device_code (PdSimAuth *auth, GHashTable *form, gint64 now_us, char **body)
{
  const char *device_code = g_hash_table_lookup (form, "device_code");
  DeviceCode *code = device_code ? g_hash_table_lookup (auth->device_codes, device_code) : NULL;
  gint64 age_ms;
  Grant grant;

  if (code == NULL || code->redeemed)
    return entra_error (auth, "bad_verification_code", 70000,
                        "The provided value for the input parameter 'device_code' is not valid.",
                        body);
  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), code->client_id) != 0)
    return entra_error (auth, "invalid_grant", 70000,
                        "The device code was issued to another application.", body);
  age_ms = (now_us - code->created_us) / 1000;
  if (age_ms < auth->approve_after_ms)
    return entra_error (auth, "authorization_pending", 70016,
                        "OAuth 2.0 device flow error. Authorization is pending. "
                        "Continue polling.", body);
  if (code->outcome == OUTCOME_DECLINE)
    return entra_error (auth, "authorization_declined", 70000,
                        "The user declined the sign-in request.", body);
  if (code->outcome == OUTCOME_EXPIRE || age_ms > DEVICE_CODE_LIFETIME_S * 1000)
    return entra_error (auth, "expired_token", 70020,
                        "The provided value for the input parameter 'device_code' is expired.",
                        body);
  code->redeemed = TRUE;
  grant.client_id = code->client_id;
  grant.scope = code->scope;
  grant.no_mfa = code->no_mfa;
  *body = issue_tokens (auth, &grant, now_us);
  return 200;
}

static guint
redeem_refresh_token (PdSimAuth *auth, GHashTable *form, gint64 now_us, char **body)
{
  const char *token = g_hash_table_lookup (form, "refresh_token");
  Grant *grant = token ? g_hash_table_lookup (auth->refresh_tokens, token) : NULL;

  if (grant == NULL)
    return entra_error (auth, "invalid_grant", 70000,
                        "The provided value for the input parameter 'refresh_token' is not "
                        "valid.", body);
  /* Refresh tokens are bound to the application they were issued to. */
  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), grant->client_id) != 0)
    return entra_error (auth, "invalid_grant", 70000,
                        "The refresh token was issued to another application.", body);
  *body = issue_tokens (auth, grant, now_us);
  /* Rotation: the refresh token just used is spent. */
  g_hash_table_remove (auth->refresh_tokens, token);
  return 200;
}

void
pd_sim_auth_set_token_failure (PdSimAuth *auth,
                               guint      status)
{
  auth->token_failure = status;
}

guint
pd_sim_auth_handle (PdSimAuth *auth, const char *endpoint, GHashTable *form,
                    const char *base_url, gint64 now_us, char **body)
{
  const char *grant_type = g_hash_table_lookup (form, "grant_type");

  if (auth->token_failure == 400)
    return entra_error (auth, "unauthorized_client", 700016,
                        "Application with identifier was not found in the directory. This can "
                        "happen if the application has not been installed by the administrator "
                        "of the tenant.", body);
  if (auth->token_failure != 0)
    {
      entra_error (auth, "temporarily_unavailable", 50031,
                   "The server is temporarily unavailable.", body);
      return auth->token_failure;
    }
  if (g_str_equal (endpoint, "devicecode"))
    return handle_device_code (auth, form, base_url, now_us, body);
  if (g_strcmp0 (grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
    return redeem_device_code (auth, form, now_us, body);
  if (g_strcmp0 (grant_type, "refresh_token") == 0)
    return redeem_refresh_token (auth, form, now_us, body);
  return entra_error (auth, "unsupported_grant_type", 70003,
                      "The app requested an unsupported grant type.", body);
}
