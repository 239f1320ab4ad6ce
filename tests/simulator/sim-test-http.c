/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim-test-http.c — see sim-test-http.h. Requests run asynchronously on the thread-default
 * main context, which also serves the simulator, and are awaited with a bound. */
#include "sim-test-http.h"

#include <string.h>

#include "pd-test-util.h"

#define REQUEST_TIMEOUT_MS 20000

void
sim_fixture_setup (SimFixture *f, PdSimulatorOptions *options)
{
  g_autoptr(GError) error = NULL;

  options->token = SIM_TEST_TOKEN;
  f->sim = pd_simulator_new (options);
  g_assert_true (pd_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->base = pd_simulator_get_base_url (f->sim);
  /* No connection reuse surprises: every test sees the server's own answer. */
  f->session = soup_session_new_with_options ("max-conns-per-host", 8, "timeout", 30, NULL);
}

void
sim_fixture_teardown (SimFixture *f)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->sim);
  f->sim = NULL;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SimReply *reply = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  if (reply->error == NULL)
    {
      reply->status = soup_message_get_status (msg);
      reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
    }
  reply->done = TRUE;
}

SimReply *
sim_request (SimFixture *f, const char *method, const char *path_or_url, const char *token,
             const char *content_type, const char *body, const char * const *extra)
{
  g_autofree char *url = g_str_has_prefix (path_or_url, "http")
                         ? g_strdup (path_or_url) : g_strconcat (f->base, path_or_url, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;
  SimReply *reply = g_new0 (SimReply, 1);

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i += 2)
    soup_message_headers_replace (headers, extra[i], extra[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_read, reply);
  g_assert_true (pd_test_wait_for_flag (&reply->done, REQUEST_TIMEOUT_MS));
  return reply;
}

SimReply *
sim_get (SimFixture *f, const char *path)
{
  return sim_request (f, "GET", path, SIM_TEST_TOKEN, NULL, NULL, NULL);
}

void
sim_reply_free (SimReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

static JsonNode *
parse (SimReply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = reply->body ? g_bytes_get_data (reply->body, &length) : NULL;

  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

gboolean
sim_reply_is_json (SimReply *reply)
{
  g_autoptr(JsonNode) root = parse (reply);

  return root != NULL;
}

JsonObject *
sim_reply_object (SimReply *reply)
{
  g_autoptr(JsonNode) root = parse (reply);

  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}
