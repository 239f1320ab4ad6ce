/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-auth.c — PdAuth: device code sign-in, token refresh, sign-out. See pd-auth.h.
 *
 * Tokens never reach a log, an error message or a file: errors carry Entra's error code and
 * description only, debug lines name the endpoint, and freed token memory is wiped first.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "pd-auth-private.h"
#include "pd-auth-keyring.h"
#include "pd-pc-client.h"
#include "pd-pc-json.h"

/* Refresh this long before expiry (capped at half the token's lifetime). */
#define REFRESH_MARGIN_S 300
#define SLOW_DOWN_S 5

struct _PdAuth
{
  GObject      parent_instance;

  char        *login_url;       /* the authority, without a trailing slash */
  char        *client_id;
  char        *fixed_token;     /* PARTNER_DESK_ACCESS_TOKEN: never refreshed */
  gboolean     token_from_env;  /* … and it came from there, not from a test or the demo */
  SoupSession *session;

  char        *access_token;
  gint64       refresh_at_us;   /* real time after which the access token is refreshed */
  char        *refresh_token;
  char        *account;
  char        *tenant_id;
  GError      *keep_error;      /* why the last sign-in is not in the keyring, or NULL */

  GPtrArray   *waiters;         /* GTask* waiting for the refresh in progress */
  gboolean     refreshing;
  /* Counts sign-ins and sign-outs: a refresh's answer belongs to the sign-in it started in. */
  guint        generation;
  guint        refresh_generation;
  guint        poll_interval_ms; /* 0: the interval Entra gives */
};

G_DEFINE_FINAL_TYPE (PdAuth, pd_auth, G_TYPE_OBJECT)
G_DEFINE_QUARK (pd-auth-error-quark, pd_auth_error)

void
pd_auth_wipe_secret (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

static void
wipe (char **secret)
{
  pd_auth_wipe_secret (*secret);
  g_clear_pointer (secret, g_free);
}

static void
pd_auth_finalize (GObject *object)
{
  PdAuth *self = PD_AUTH (object);

  g_free (self->login_url);
  g_free (self->client_id);
  wipe (&self->fixed_token);
  wipe (&self->access_token);
  wipe (&self->refresh_token);
  g_free (self->account);
  g_free (self->tenant_id);
  g_clear_error (&self->keep_error);
  g_clear_object (&self->session);
  g_ptr_array_unref (self->waiters);
  G_OBJECT_CLASS (pd_auth_parent_class)->finalize (object);
}

static void
pd_auth_class_init (PdAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_auth_finalize;
}

static void
pd_auth_init (PdAuth *self)
{
  self->waiters = g_ptr_array_new ();
  self->session = soup_session_new_with_options ("timeout", 60,
                                                 "user-agent", "PartnerDesk/" PACKAGE_VERSION " ",
                                                 NULL);
}

/* --- construction ------------------------------------------------------------------- */

/* tid and the user name from a token's claims (nothing is verified: the API does that). */
static void
read_identity (PdAuth     *self,
               const char *jwt)
{
  static const char * const account_claims[] = {
    "upn", "preferred_username", "unique_name", "email", NULL
  };
  g_autoptr(JsonObject) claims = jwt ? pd_pc_json_parse_jwt_claims (jwt, NULL) : NULL;

  if (claims == NULL)
    return;
  if (json_object_has_member (claims, "tid")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (claims, "tid")))
    {
      g_free (self->tenant_id);
      self->tenant_id = g_strdup (json_object_get_string_member_with_default (claims, "tid",
                                                                              NULL));
    }
  for (guint i = 0; account_claims[i] != NULL; i++)
    {
      const char *value = json_object_get_string_member_with_default (claims, account_claims[i],
                                                                      NULL);
      if (value != NULL && *value != '\0')
        {
          g_free (self->account);
          self->account = g_strdup (value);
          return;
        }
    }
}

/* The authority as the keyring's entries name it: without a trailing slash. (transfer full) */
static char *
authority_of (const char *login_url)
{
  char *authority = g_strdup (login_url);

  while (g_str_has_suffix (authority, "/"))
    authority[strlen (authority) - 1] = '\0';
  return authority;
}

PdAuth *
pd_auth_new (const char  *login_url,
             const char  *client_id,
             GError     **error)
{
  PdAuth *self;

  g_return_val_if_fail (login_url != NULL && client_id != NULL, NULL);
  if (!pd_pc_url_is_allowed (login_url))
    {
      g_set_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_INSECURE_URL,
                   _("Refusing to sign in at “%s”: only https:// addresses (or http:// on "
                     "this computer) are allowed."), login_url);
      return NULL;
    }
  self = g_object_new (PD_TYPE_AUTH, NULL);
  self->login_url = authority_of (login_url);
  self->client_id = g_strdup (client_id);
  return self;
}

PdAuth *
pd_auth_new_with_token (const char *access_token)
{
  PdAuth *self;

  g_return_val_if_fail (access_token != NULL, NULL);
  self = g_object_new (PD_TYPE_AUTH, NULL);
  self->fixed_token = g_strdup (access_token);
  read_identity (self, access_token);
  return self;
}

PdAuth *
pd_auth_new_from_environment (const char  *default_login_url,
                              const char  *client_id,
                              GError     **error)
{
  const char *token = g_getenv ("PARTNER_DESK_ACCESS_TOKEN");
  const char *login_url = g_getenv ("PARTNER_DESK_LOGIN_URL");

  if (login_url == NULL || *login_url == '\0')
    login_url = default_login_url ? default_login_url : PD_DEFAULT_LOGIN_URL;
  if (token != NULL && *token != '\0')
    {
      PdAuth *self = pd_auth_new_with_token (token);

      self->token_from_env = TRUE;
      /* Not to sign in with: to find the stored sign-in that a sign-out forgets. */
      self->login_url = authority_of (login_url);
      self->client_id = g_strdup (client_id);
      return self;
    }
  return pd_auth_new (login_url, client_id, error);
}

void
pd_auth_set_poll_interval (PdAuth *self,
                           guint   interval_ms)
{
  g_return_if_fail (PD_IS_AUTH (self));
  self->poll_interval_ms = interval_ms;
}

gboolean
pd_auth_get_token_from_environment (PdAuth *self)
{
  g_return_val_if_fail (PD_IS_AUTH (self), FALSE);
  return self->token_from_env;
}

gboolean
pd_auth_get_signed_in (PdAuth *self)
{
  g_return_val_if_fail (PD_IS_AUTH (self), FALSE);
  return self->fixed_token != NULL || self->refresh_token != NULL || self->access_token != NULL;
}

const char *
pd_auth_get_account (PdAuth *self)
{
  g_return_val_if_fail (PD_IS_AUTH (self), NULL);
  return self->account;
}

const char *
pd_auth_get_tenant_id (PdAuth *self)
{
  g_return_val_if_fail (PD_IS_AUTH (self), NULL);
  return self->tenant_id;
}

/* --- the token endpoint --------------------------------------------------------------- */

static char *
endpoint (PdAuth     *self,
          const char *name)
{
  return g_strdup_printf ("%s/oauth2/v2.0/%s", self->login_url, name);
}

static SoupMessage *
new_form_post (PdAuth     *self,
               const char *endpoint_name,
               char       *form)
{
  g_autofree char *url = endpoint (self, endpoint_name);
  SoupMessage *message;

  message = soup_message_new_from_encoded_form ("POST", url, form); /* takes form */
  if (message != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                  "application/json");
  return message;
}

/* The code of a device code sign-in was not used in time: Entra said so, or its lifetime ends
 * before the next poll. */
static GError *
code_expired_error (void)
{
  return g_error_new_literal (PD_AUTH_ERROR, PD_AUTH_ERROR_EXPIRED,
                              _("The sign-in code expired before it was used. Start the "
                                "sign-in again."));
}

/* A PD_AUTH_ERROR for a failed answer of the token or devicecode endpoint. */
static GError *
token_error (guint       status,
             GBytes     *body,
             char      **out_code)
{
  g_autofree char *code = NULL;
  g_autofree char *description = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  GError *error;

  if (data != NULL)
    pd_pc_json_parse_error_body (data, len, &code, &description);
  if (g_strcmp0 (code, "invalid_grant") == 0 || g_strcmp0 (code, "interaction_required") == 0)
    error = g_error_new_literal (PD_AUTH_ERROR, PD_AUTH_ERROR_NOT_SIGNED_IN,
                                 _("Your sign-in has expired or was revoked. Sign in again."));
  else if (g_strcmp0 (code, "authorization_declined") == 0 || g_strcmp0 (code, "access_denied") == 0)
    error = g_error_new_literal (PD_AUTH_ERROR, PD_AUTH_ERROR_DECLINED,
                                 _("The sign-in was declined."));
  else if (g_strcmp0 (code, "expired_token") == 0 || g_strcmp0 (code, "code_expired") == 0)
    error = code_expired_error ();
  /* Refused: a 4xx answer of Entra's own (a client refused, a policy). Not a 5xx, a timeout
   * or throttling (408, 429), nor an answer without Entra's error: those pass, as the network
   * does, and keep the stored sign-in. */
  else if (status >= 400 && status < 500 && status != 408 && status != 429 && code != NULL)
    error = g_error_new (PD_AUTH_ERROR, PD_AUTH_ERROR_REFUSED,
                         _("Microsoft sign-in failed (HTTP %u): %s"), status,
                         description ? description : code);
  else
    error = g_error_new (PD_AUTH_ERROR, PD_AUTH_ERROR_FAILED,
                         _("Microsoft sign-in failed (HTTP %u): %s"), status,
                         description ? description : code ? code : _("no details given"));
  if (out_code != NULL)
    *out_code = g_steal_pointer (&code);
  return error;
}

static GError *
transport_error (const GError *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (cause);
  return g_error_new (PD_AUTH_ERROR, PD_AUTH_ERROR_FAILED,
                      _("Could not reach the Microsoft sign-in service: %s"), cause->message);
}

/* The body of a 2xx answer of the login authority, or NULL with *failure set (and Entra's
 * error code in *code, when code is not NULL and there was one). */
static GBytes *
login_answer (GObject       *source,
              GAsyncResult  *result,
              char         **code,
              GError       **failure)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (body == NULL)
    *failure = transport_error (error);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    *failure = token_error (soup_message_get_status (message), body, code);
  else
    return g_steal_pointer (&body);
  return NULL;
}

static PdPcTokenResponse *
parse_tokens (GBytes  *body,
              GError **failure)
{
  gsize len;
  const char *text = g_bytes_get_data (body, &len);

  return pd_pc_json_parse_token_response (text, len, failure);
}

/* Takes a token answer: keeps the access token in memory and the (rotated) refresh token. */
static void
accept_tokens (PdAuth            *self,
               PdPcTokenResponse *tokens)
{
  gint64 margin = MIN ((gint64) REFRESH_MARGIN_S, tokens->expires_in / 2);

  wipe (&self->access_token);
  self->access_token = g_steal_pointer (&tokens->access_token);
  self->refresh_at_us = g_get_real_time () + (tokens->expires_in - margin) * G_USEC_PER_SEC;
  if (tokens->refresh_token != NULL)
    {
      wipe (&self->refresh_token);
      self->refresh_token = g_steal_pointer (&tokens->refresh_token);
    }
  read_identity (self, self->access_token);
  if (self->tenant_id == NULL || self->account == NULL)
    read_identity (self, tokens->id_token);
}

static void
on_background_store (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!pd_auth_keyring_store_finish (result, &error))
    g_message ("Could not store the rotated sign-in: %s", error->message);
}

static void
store_refresh_token_async (PdAuth              *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  pd_auth_keyring_store_async (self->login_url, self->client_id, self->account,
                               self->tenant_id, self->refresh_token, cancellable,
                               callback, user_data);
}

/* --- tasks --------------------------------------------------------------------------- */

static GTask *
new_task (PdAuth              *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* Ends task, taking the reference the caller holds, with error (taken). */
static void
end_task_with_error (GTask  *task,
                     GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* A fixed token (PARTNER_DESK_ACCESS_TOKEN) needs no sign-in and nothing from the keyring:
 * then ends task (taken) with TRUE and returns TRUE. */
static gboolean
return_if_fixed_token (PdAuth *self,
                       GTask  *task)
{
  if (self->fixed_token == NULL)
    return FALSE;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return TRUE;
}

/* --- refresh ------------------------------------------------------------------------- */

static void
finish_waiters (PdAuth       *self,
                const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new ();
  self->refreshing = FALSE;
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (g_task_return_error_if_cancelled (task))
        ;
      else if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      g_object_unref (task);
    }
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(PdAuth) self = data;
  GError *failure = NULL;
  g_autoptr(GBytes) body = login_answer (source, result, NULL, &failure);
  g_autoptr(PdPcTokenResponse) tokens = body ? parse_tokens (body, &failure) : NULL;

  /* Signed out (or in again) while the answer was on its way: it renews a sign-in that is no
   * more, and must neither sign back in nor be stored. Who waited gets what holds now. */
  if (self->generation != self->refresh_generation)
    {
      g_debug ("A token refresh answered after a sign-out or a new sign-in: dropped");
      g_clear_error (&failure);
      if (self->access_token == NULL)
        failure = g_error_new_literal (PD_AUTH_ERROR, PD_AUTH_ERROR_NOT_SIGNED_IN,
                                       _("You are not signed in to Partner Center. Sign in "
                                         "first."));
      finish_waiters (self, failure);
      g_clear_error (&failure);
      return;
    }
  if (tokens != NULL)
    {
      gboolean rotated = tokens->refresh_token != NULL;

      accept_tokens (self, tokens);
      g_debug ("Access token refreshed");
      if (rotated)
        store_refresh_token_async (self, NULL, on_background_store, NULL);
    }
  else if (g_error_matches (failure, PD_AUTH_ERROR, PD_AUTH_ERROR_NOT_SIGNED_IN))
    {
      /* Entra no longer honours this refresh token: we are signed out. */
      wipe (&self->refresh_token);
      wipe (&self->access_token);
    }
  finish_waiters (self, failure);
  g_clear_error (&failure);
}

static void
start_refresh (PdAuth *self)
{
  SoupMessage *message;

  self->refreshing = TRUE;
  self->refresh_generation = self->generation;
  message = new_form_post (self, "token",
                           soup_form_encode ("grant_type", "refresh_token",
                                             "client_id", self->client_id,
                                             "refresh_token", self->refresh_token,
                                             "scope", PD_API_SCOPE, NULL));
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_refreshed, g_object_ref (self));
  g_object_unref (message);
}

void
pd_auth_get_access_token_async (PdAuth              *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_AUTH (self));
  task = new_task (self, cancellable, callback, user_data, pd_auth_get_access_token_async);
  if (self->fixed_token != NULL)
    g_task_return_pointer (task, g_strdup (self->fixed_token), g_free);
  else if (self->access_token != NULL && g_get_real_time () < self->refresh_at_us)
    g_task_return_pointer (task, g_strdup (self->access_token), g_free);
  else if (self->refresh_token == NULL)
    g_task_return_new_error (task, PD_AUTH_ERROR, PD_AUTH_ERROR_NOT_SIGNED_IN,
                             _("You are not signed in to Partner Center. Sign in first."));
  else
    {
      /* One refresh serves every request that needs a token meanwhile. */
      g_ptr_array_add (self->waiters, task);
      if (!self->refreshing)
        start_refresh (self);
      return;
    }
  g_object_unref (task);
}

char *
pd_auth_get_access_token_finish (PdAuth        *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pd_auth_invalidate_access_token (PdAuth *self)
{
  g_return_if_fail (PD_IS_AUTH (self));
  /* A fixed token cannot be renewed; the caller will surface the 401. */
  if (self->fixed_token == NULL)
    self->refresh_at_us = 0;
}

/* --- restore ------------------------------------------------------------------------- */

static void
on_restore_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  PdAuth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pd_auth_get_access_token_finish (self, result, &error);

  pd_auth_wipe_secret (token);
  /* Offline, the stored sign-in stays usable: the token is fetched when a call needs it. */
  if (token != NULL || g_error_matches (error, PD_AUTH_ERROR, PD_AUTH_ERROR_FAILED))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_restore_lookup (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  PdAuth *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(PdAuthStored) stored = pd_auth_keyring_lookup_finish (result, &error);
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (stored == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  wipe (&self->refresh_token);
  self->refresh_token = g_steal_pointer (&stored->refresh_token);
  g_free (self->account);
  self->account = g_steal_pointer (&stored->account);
  g_free (self->tenant_id);
  self->tenant_id = g_steal_pointer (&stored->tenant_id);
  cancellable = g_task_get_cancellable (task);
  pd_auth_get_access_token_async (self, cancellable, on_restore_token, g_steal_pointer (&task));
}

void
pd_auth_restore_async (PdAuth              *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_AUTH (self));
  task = new_task (self, cancellable, callback, user_data, pd_auth_restore_async);
  if (return_if_fixed_token (self, task))
    return;
  pd_auth_keyring_lookup_async (self->login_url, self->client_id, cancellable,
                                on_restore_lookup, task);
}

gboolean
pd_auth_restore_finish (PdAuth        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- device code sign-in ------------------------------------------------------------- */

typedef struct {
  PdDeviceCodeFunc        show_code;
  gpointer                show_code_data;
  PdPcDeviceCodeResponse *code;
  guint                   interval_ms;
  gint64                  deadline_us;   /* monotonic */
  GSource                *timer;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_pointer (&sign_in->code, pd_pc_device_code_response_free);
  if (sign_in->timer != NULL)
    g_source_destroy (sign_in->timer);
  g_clear_pointer (&sign_in->timer, g_source_unref);
  g_free (sign_in);
}

static void poll_token (GTask *task);

static gboolean
on_poll_timer (gpointer data)
{
  GTask *task = data;
  SignIn *sign_in = g_task_get_task_data (task);

  g_clear_pointer (&sign_in->timer, g_source_unref);
  poll_token (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_poll_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  GTask *task = data;
  SignIn *sign_in = g_task_get_task_data (task);

  if (sign_in->timer != NULL)
    g_source_destroy (sign_in->timer);
  g_clear_pointer (&sign_in->timer, g_source_unref);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Waits interval_ms, or less if cancelled. The timer owns the task reference meanwhile. */
static void
schedule_poll (GTask *task)
{
  SignIn *sign_in = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) cancel_source = NULL;

  if (g_get_monotonic_time () + (gint64) sign_in->interval_ms * 1000 > sign_in->deadline_us)
    {
      end_task_with_error (task, code_expired_error ());
      return;
    }
  sign_in->timer = g_timeout_source_new (sign_in->interval_ms);
  g_source_set_callback (sign_in->timer, on_poll_timer, task, NULL);
  if (cancellable != NULL)
    {
      /* A child source: it goes away with the timer, and fires on cancellation. */
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (on_poll_cancelled), task, NULL);
      g_source_add_child_source (sign_in->timer, cancel_source);
    }
  g_source_attach (sign_in->timer, g_main_context_get_thread_default ());
}

static void
on_signed_in_stored (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GTask) task = data;
  PdAuth *self = g_task_get_source_object (task);

  /* Signed in for this session even without a keyring; the next start asks again
   * (pd_auth_get_keep_error says so). */
  g_clear_error (&self->keep_error);
  if (!pd_auth_keyring_store_finish (result, &self->keep_error))
    g_debug ("The sign-in could not be stored: %s", self->keep_error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_poll_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  PdAuth *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *code = NULL;
  GError *failure = NULL;
  g_autoptr(GBytes) body = login_answer (source, result, &code, &failure);
  g_autoptr(PdPcTokenResponse) tokens = body ? parse_tokens (body, &failure) : NULL;

  if (g_strcmp0 (code, "authorization_pending") == 0 || g_strcmp0 (code, "slow_down") == 0)
    {
      if (g_strcmp0 (code, "slow_down") == 0)
        sign_in->interval_ms += self->poll_interval_ms ? self->poll_interval_ms
                                                       : SLOW_DOWN_S * 1000;
      g_error_free (failure);
      schedule_poll (task);
      return;
    }
  if (failure != NULL)
    {
      end_task_with_error (task, failure);
      return;
    }
  self->generation++;
  accept_tokens (self, tokens);
  store_refresh_token_async (self, g_task_get_cancellable (task), on_signed_in_stored, task);
}

static void
poll_token (GTask *task)
{
  PdAuth *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  SoupMessage *message;

  message = new_form_post (self, "token",
                           soup_form_encode ("grant_type",
                                             "urn:ietf:params:oauth:grant-type:device_code",
                                             "client_id", self->client_id,
                                             "device_code", sign_in->code->device_code, NULL));
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_poll_answer, task);
  g_object_unref (message);
}

/* Tells the user the code once, then polls at Entra's interval until the code expires. */
static void
show_code_and_poll (GTask *task)
{
  PdAuth *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  PdDeviceCode shown = {
    .user_code = sign_in->code->user_code,
    .verification_uri = sign_in->code->verification_uri,
    .message = sign_in->code->message,
    .expires_in = sign_in->code->expires_in,
  };

  sign_in->interval_ms = self->poll_interval_ms ? self->poll_interval_ms
                                                : MAX (sign_in->code->interval, 1u) * 1000;
  sign_in->deadline_us = g_get_monotonic_time ()
                         + (gint64) sign_in->code->expires_in * G_USEC_PER_SEC;
  if (sign_in->show_code != NULL)
    sign_in->show_code (&shown, sign_in->show_code_data);
  schedule_poll (task);
}

static void
on_device_code (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  SignIn *sign_in = g_task_get_task_data (task);
  GError *failure = NULL;
  g_autoptr(GBytes) body = login_answer (source, result, NULL, &failure);

  if (body != NULL)
    {
      gsize len;
      const char *text = g_bytes_get_data (body, &len);
      sign_in->code = pd_pc_json_parse_device_code (text, len, &failure);
    }
  if (failure != NULL)
    {
      end_task_with_error (task, failure);
      return;
    }
  show_code_and_poll (task);
}

void
pd_auth_sign_in_async (PdAuth              *self,
                       PdDeviceCodeFunc     show_code,
                       gpointer             show_code_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  SignIn *sign_in;
  SoupMessage *message;

  g_return_if_fail (PD_IS_AUTH (self));
  task = new_task (self, cancellable, callback, user_data, pd_auth_sign_in_async);
  if (return_if_fixed_token (self, task))
    return;
  sign_in = g_new0 (SignIn, 1);
  sign_in->show_code = show_code;
  sign_in->show_code_data = show_code_data;
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  message = new_form_post (self, "devicecode",
                           soup_form_encode ("client_id", self->client_id,
                                             "scope", PD_API_SCOPE, NULL));
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    on_device_code, task);
  g_object_unref (message);
}

gboolean
pd_auth_sign_in_finish (PdAuth        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- sign-out ------------------------------------------------------------------------ */

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (pd_auth_keyring_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
pd_auth_sign_out_async (PdAuth              *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_AUTH (self));
  task = new_task (self, cancellable, callback, user_data, pd_auth_sign_out_async);
  wipe (&self->access_token);
  wipe (&self->refresh_token);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->tenant_id, g_free);
  self->generation++;
  /* A token given in the environment is forgotten by this process only; what the keyring holds
   * is forgotten all the same: signing out leaves no stored sign-in. A token given by a test
   * or the demo (pd_auth_new_with_token) comes with no sign-in to look for. */
  wipe (&self->fixed_token);
  if (self->login_url == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  pd_auth_keyring_clear_async (self->login_url, self->client_id, cancellable, on_cleared, task);
}

const GError *
pd_auth_get_keep_error (PdAuth *self)
{
  g_return_val_if_fail (PD_IS_AUTH (self), NULL);
  return self->keep_error;
}

gboolean
pd_auth_sign_out_finish (PdAuth        *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
