/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-json.c — Partner Center / Entra ID JSON mapping. See pd-pc-json.h. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pd-pc-json-private.h"
#include "pd-pc-client.h"

/* json-glib parses recursively; a hostile body of 100,000 '[' would exhaust the stack, so
 * nesting is bounded before parsing. Partner Center bodies nest about 5 deep. */
#define MAX_JSON_DEPTH 64

/* Countries where Partner Center requires a phone number (600051) and an organization
 * registration number (600049/600050), partner-center-api.md §2 and §5. The rules endpoint
 * does not say so itself, and a fetched rule replaces the bundled one. */
static const char * const cis_countries[] = {
  "AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA", NULL
};

/* --- small lenient accessors ------------------------------------------------------- */

/* The member named name, or else the first whose name differs only in case (PascalCase
 * bodies); *key_out (may be NULL) gets the key it has in object. NULL when there is none. */
static JsonNode *
find_member_any_case (JsonObject  *object,
                      const char  *name,
                      const char **key_out)
{
  JsonObjectIter iter;
  const char *key, *unused;
  JsonNode *node;

  key_out = key_out != NULL ? key_out : &unused;
  *key_out = NULL;
  if (object == NULL)
    return NULL;
  if ((node = json_object_get_member (object, name)) != NULL)
    {
      *key_out = name;
      return node;
    }
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    if (g_ascii_strcasecmp (key, name) == 0)
      {
        *key_out = key;
        return node;
      }
  return NULL;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return find_member_any_case (object, name, NULL);
}

/* The actual key of name in object (case-insensitively), or NULL. */
static const char *
member_key (JsonObject *object,
            const char *name)
{
  const char *key;

  find_member_any_case (object, name, &key);
  return key;
}

/* Strings as strings; numbers (codes, MPN ids) as their decimal text; anything else NULL. */
static char *
node_dup_string (JsonNode *node)
{
  GType type;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

static char *
dup_string (JsonObject *object,
            const char *name)
{
  return node_dup_string (member (object, name));
}

/* Like dup_string, but "" becomes NULL: an empty field is an unset field. */
static char *
dup_nonempty (JsonObject *object,
              const char *name)
{
  char *value = dup_string (object, name);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* The first of names that object has as a non-empty value, or NULL. */
static char *
first_nonempty (JsonObject         *object,
                const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *value = dup_nonempty (object, names[i]);
      if (value != NULL)
        return value;
    }
  return NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* TRUE/FALSE for a boolean (or "true"/"false"); *found tells whether it was there. */
static gboolean
get_bool (JsonObject *object,
          const char *name,
          gboolean   *found)
{
  JsonNode *node = member (object, name);
  gboolean dummy;

  found = found ? found : &dummy;
  *found = FALSE;
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *found = TRUE;
      return json_node_get_boolean (node);
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      *found = g_ascii_strcasecmp (text, "true") == 0 || g_ascii_strcasecmp (text, "false") == 0;
      return g_ascii_strcasecmp (text, "true") == 0;
    }
  return FALSE;
}

/* A non-negative integer given as a number or a numeric string; fallback otherwise. */
static gint64
get_int (JsonObject *object,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = member (object, name);
  g_autofree char *text = NULL;
  gint64 value;

  text = node_dup_string (node);
  if (text == NULL)
    return fallback;
  value = g_ascii_strtoll (text, NULL, 10);
  return value >= 0 ? value : fallback;
}

/* An array of strings, or the {value: [...]} wrapper of the docs' sample; elements that are
 * objects contribute their code/value/name. NULL when absent or empty. */
static char **
get_string_list (JsonObject *object,
                 const char *name)
{
  static const char * const element_names[] = { "code", "value", "name", NULL };
  JsonNode *node = member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = NULL;
  guint n_added = 0;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    array = get_array (json_node_get_object (node), "value");
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    array = json_node_get_array (node);
  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *text = node_dup_string (element);

      if (text == NULL && JSON_NODE_HOLDS_OBJECT (element))
        text = first_nonempty (json_node_get_object (element), element_names);
      if (text != NULL && *text != '\0')
        {
          g_strv_builder_add (builder, text);
          n_added++;
        }
    }
  return n_added > 0 ? g_strv_builder_end (builder) : NULL;
}

/* --- IDs ------------------------------------------------------------------------------ */

/* Whether text is 8-4-4-4-12 hex digits. */
static gboolean
is_guid (const char *text,
         gsize       len)
{
  static const guint dashes[] = { 8, 13, 18, 23 };
  guint next_dash = 0;

  if (len != 36)
    return FALSE;
  for (guint i = 0; i < len; i++)
    if (next_dash < G_N_ELEMENTS (dashes) && i == dashes[next_dash])
      {
        if (text[i] != '-')
          return FALSE;
        next_dash++;
      }
    else if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

char *
pd_pc_json_normalize_id (char *id)
{
  gsize len = id != NULL ? strlen (id) : 0;
  gboolean braced = len == 38 && id[0] == '{' && id[len - 1] == '}';
  const char *guid = braced ? id + 1 : id;
  char *normal;

  if (id == NULL || !is_guid (guid, braced ? len - 2 : len))
    return id;
  normal = g_ascii_strdown (guid, 36);
  g_free (id);
  return normal;
}

/* dup_nonempty for an ID: the rule above applied. */
static char *
dup_id (JsonObject *object,
        const char *name)
{
  return pd_pc_json_normalize_id (dup_nonempty (object, name));
}

/* text with the HTML entities the service has put into JSON strings decoded: "&amp;" in the
 * 2017 relationship link (request-reseller-relationship.md of then; Partner-Center-PowerShell
 * session record GetResellerRelationshipLink.json), which a browser would read as parameters
 * named "amp;id"; "&#39;" in the 2017 address validation error. Takes text. */
static char *
decode_entities (char *text)
{
  static const char * const entities[][2] = {
    { "&#39;", "'" }, { "&quot;", "\"" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (entities); i++)
    if (strstr (text, entities[i][0]) != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (text, entities[i][0], -1);
        g_free (text);
        text = g_strjoinv (entities[i][1], parts);
      }
  return text;
}

/* --- parsing the text ---------------------------------------------------------------- */

static void
set_invalid (GError    **error,
             const char *detail)
{
  g_set_error (error, PD_PC_ERROR, PD_PC_ERROR_INVALID_RESPONSE,
               _("Partner Center sent a response that could not be read (%s)."), detail);
}

/* Why the text cannot be handed to json-glib (translated), or NULL: brackets nesting deeper
 * than MAX_JSON_DEPTH outside strings, or an escape JSON does not have. */
static const char *
text_problem (const char *data,
              gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            {
              gsize escape = pd_pc_json_escape_length (data + i + 1, data + len, NULL);
              if (escape == 0)
                return _("a string has an invalid escape");
              i += escape;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return _("the response nests too deeply");
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return NULL;
}

/* The root node of data, owned by the caller; NULL with error set. */
static JsonNode *
parse_root (const char *data,
            gsize       len,
            GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *problem;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      set_invalid (error, _("the response was empty"));
      return NULL;
    }
  if (len > G_MAXSSIZE)
    {
      set_invalid (error, _("the response is too large"));
      return NULL;
    }
  problem = text_problem (data, len);
  if (problem != NULL)
    {
      set_invalid (error, problem);
      return NULL;
    }
  /* json-glib treats the buffer as a C string: a NUL inside would end it early. */
  if (memchr (data, '\0', len) != NULL)
    {
      set_invalid (error, _("the response contains a NUL byte"));
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      set_invalid (error, local_error->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    set_invalid (error, _("the response was empty"));
  return root;
}

/* The root object; *root_out keeps it alive. */
static JsonObject *
parse_object (const char *data,
              gsize       len,
              JsonNode  **root_out,
              GError    **error)
{
  JsonNode *root = parse_root (data, len, error);

  *root_out = root;
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_invalid (error, _("expected a JSON object"));
      return NULL;
    }
  return json_node_get_object (root);
}

/* --- deep copy (raw profiles are kept apart from the parser's tree) ----------------- */

static JsonNode *deep_copy_node (JsonNode *node);

static JsonObject *
deep_copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    json_object_set_member (copy, key, deep_copy_node (node));
  return copy;
}

/* Whether json-glib 1.6's generator writes value as JSON. It writes g_ascii_dtostr's text and
 * appends ".0" when that has no '.': a number beyond double's range ("1e999", read as
 * infinity) becomes "inf.0", and one whose shortest form is an exponent ("6e66") "6e+66.0".
 * Neither is JSON, and a PUT built from a copy holding one would be refused; such a number
 * (Partner Center sends none in a billing profile) is copied as null. */
static gboolean
generator_writes_double (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return FALSE;
  g_ascii_dtostr (text, sizeof text, value);
  return strchr (text, '.') != NULL || strpbrk (text, "eE") == NULL;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, deep_copy_object (json_node_get_object (node)));
      return copy;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (array_copy,
                                  deep_copy_node (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE
          && !generator_writes_double (json_node_get_double (node)))
        return json_node_new (JSON_NODE_NULL);
      G_GNUC_FALLTHROUGH;
    case JSON_NODE_NULL:
    default:
      copy = json_node_copy (node);
      json_node_set_parent (copy, NULL);
      return copy;
    }
}

/* --- bill-to mapping ------------------------------------------------------------------ */

typedef struct {
  PdBillToField field;
  gboolean      in_address;  /* inside defaultAddress */
  const char   *key;
} BillToKey;

static const BillToKey bill_to_keys[] = {
  { PD_BILL_TO_COMPANY_NAME, FALSE, "companyName" },
  { PD_BILL_TO_EMAIL, FALSE, "email" },
  { PD_BILL_TO_FIRST_NAME, FALSE, "firstName" },
  { PD_BILL_TO_LAST_NAME, FALSE, "lastName" },
  { PD_BILL_TO_CULTURE, FALSE, "culture" },
  { PD_BILL_TO_LANGUAGE, FALSE, "language" },
  { PD_BILL_TO_ADDRESS_LINE1, TRUE, "addressLine1" },
  { PD_BILL_TO_ADDRESS_LINE2, TRUE, "addressLine2" },
  { PD_BILL_TO_CITY, TRUE, "city" },
  { PD_BILL_TO_STATE, TRUE, "state" },
  { PD_BILL_TO_REGION, TRUE, "region" },
  { PD_BILL_TO_POSTAL_CODE, TRUE, "postalCode" },
  { PD_BILL_TO_COUNTRY, TRUE, "country" },
  { PD_BILL_TO_PHONE_NUMBER, TRUE, "phoneNumber" },
  { PD_BILL_TO_ADDRESS_FIRST_NAME, TRUE, "firstName" },
  { PD_BILL_TO_ADDRESS_LAST_NAME, TRUE, "lastName" },
};

/* Sets the bill_to fields that live in object: the address ones (in_address) from an
 * Address object, the others from a billing profile. A field object lacks is cleared. */
static void
read_bill_to_fields (JsonObject *object,
                     gboolean    in_address,
                     PdBillTo   *bill_to)
{
  for (guint i = 0; i < G_N_ELEMENTS (bill_to_keys); i++)
    {
      g_autofree char *value = NULL;

      if (bill_to_keys[i].in_address != in_address)
        continue;
      value = dup_string (object, bill_to_keys[i].key);
      pd_bill_to_set (bill_to, bill_to_keys[i].field, value);
    }
}

/* Fills the address fields of bill_to from an Address object. */
static void
address_into_bill_to (JsonObject *address,
                      PdBillTo   *bill_to)
{
  read_bill_to_fields (address, TRUE, bill_to);
}

static PdBillTo *
bill_to_from_profile (JsonObject *object)
{
  PdBillTo *bill_to = pd_bill_to_new ();
  JsonObject *address = get_object (object, "defaultAddress");

  read_bill_to_fields (object, FALSE, bill_to);
  if (address != NULL)
    address_into_bill_to (address, bill_to);
  return bill_to;
}

/* --- item parsers --------------------------------------------------------------------- */

gpointer
pd_pc_json_billing_profile_from_object (JsonObject *object,
                                        GError    **error)
{
  PdPcBillingProfile *profile = g_new0 (PdPcBillingProfile, 1);

  profile->id = dup_nonempty (object, "id");
  profile->bill_to = bill_to_from_profile (object);
  profile->etag = dup_nonempty (get_object (object, "attributes"), "etag");
  profile->raw = deep_copy_object (object);
  return profile;
}

gpointer
pd_pc_json_customer_from_object (JsonObject *object,
                                 GError    **error)
{
  JsonObject *company = get_object (object, "companyProfile");
  JsonObject *billing = get_object (object, "billingProfile");
  g_autoptr(PdPcCustomer) customer = g_new0 (PdPcCustomer, 1);

  customer->id = dup_id (object, "id");
  if (customer->id == NULL)
    customer->id = dup_id (company, "tenantId");
  if (customer->id == NULL)
    {
      set_invalid (error, _("a customer has no tenant ID"));
      return NULL;
    }
  customer->commerce_id = dup_nonempty (object, "commerceId");
  customer->company_name = dup_nonempty (company, "companyName");
  if (customer->company_name == NULL)
    customer->company_name = dup_nonempty (billing, "companyName");
  customer->domain = dup_nonempty (company, "domain");
  customer->relationship = dup_nonempty (object, "relationshipToPartner");
  customer->allow_delegated_access =
    get_bool (object, "allowDelegatedAccess", &customer->has_delegated_access_value);
  customer->custom_domains = get_string_list (object, "customDomains");
  customer->associated_partner_id = dup_id (object, "associatedPartnerId");
  if (billing != NULL)
    customer->billing_profile = pd_pc_json_billing_profile_from_object (billing, NULL);
  return g_steal_pointer (&customer);
}

gpointer
pd_pc_json_audit_record_from_object (JsonObject *object,
                                     GError    **error)
{
  PdPcAuditRecord *record = g_new0 (PdPcAuditRecord, 1);
  g_autofree char *date = dup_nonempty (object, "operationDate");

  record->customer_id = dup_id (object, "customerId");
  record->customer_name = dup_nonempty (object, "customerName");
  record->operation_type = dup_nonempty (object, "operationType");
  record->resource_type = dup_nonempty (object, "resourceType");
  record->operation_status = dup_nonempty (object, "operationStatus");
  if (date != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      record->operation_date = g_date_time_new_from_iso8601 (date, utc);
    }
  return record;
}

static PdAccountStatus
account_status_from_text (const char *text)
{
  static const struct { const char *text; PdAccountStatus status; } known[] = {
    { "Allowed", PD_ACCOUNT_STATUS_ALLOWED },
    { "UnderReview", PD_ACCOUNT_STATUS_UNDER_REVIEW },
    { "NotAllowed", PD_ACCOUNT_STATUS_NOT_ALLOWED },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (text, known[i].text) == 0)
      return known[i].status;
  return PD_ACCOUNT_STATUS_UNKNOWN;
}

static gpointer
validation_status_from_object (JsonObject *object,
                               GError    **error)
{
  PdPcValidationStatus *status = g_new0 (PdPcValidationStatus, 1);
  g_autofree char *date = dup_nonempty (object, "lastUpdateDateTime");

  status->status_text = dup_nonempty (object, "status");
  status->status = account_status_from_text (status->status_text);
  if (date != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      status->updated_at = g_date_time_new_from_iso8601 (date, utc);
    }
  if (status->status_text == NULL)
    {
      pd_pc_validation_status_free (status);
      set_invalid (error, _("the validation status has no status"));
      return NULL;
    }
  return status;
}

gpointer
pd_pc_json_reseller_from_object (JsonObject *object,
                                 GError    **error)
{
  g_autoptr(PdPcReseller) reseller = g_new0 (PdPcReseller, 1);

  reseller->id = dup_id (object, "id");
  if (reseller->id == NULL)
    {
      set_invalid (error, _("a reseller has no tenant ID"));
      return NULL;
    }
  reseller->name = dup_nonempty (object, "name");
  reseller->mpn_id = dup_nonempty (object, "mpnId");
  reseller->state = dup_nonempty (object, "state");
  reseller->location = dup_nonempty (object, "location");
  return g_steal_pointer (&reseller);
}

/* --- collections ---------------------------------------------------------------------- */

void
pd_pc_paging_clear (PdPcPaging *paging)
{
  if (paging == NULL)
    return;
  g_clear_pointer (&paging->next_uri, g_free);
  g_clear_pointer (&paging->next_headers, g_ptr_array_unref);
  g_clear_pointer (&paging->continuation_token, g_free);
  paging->has_continuation_token = FALSE;
}

static void
read_paging (JsonObject *root,
             PdPcPaging *paging)
{
  JsonObject *next = get_object (get_object (root, "links"), "next");
  JsonArray *headers = get_array (next, "headers");
  JsonNode *token = member (root, "continuationToken");

  paging->next_uri = dup_nonempty (next, "uri");
  paging->next_headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; headers != NULL && i < json_array_get_length (headers); i++)
    {
      JsonNode *element = json_array_get_element (headers, i);
      JsonObject *header;
      char *key, *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      header = json_node_get_object (element);
      key = dup_nonempty (header, "key");
      value = dup_string (header, "value");
      if (key == NULL || value == NULL)
        {
          g_free (key);
          g_free (value);
          continue;
        }
      g_ptr_array_add (paging->next_headers, key);
      g_ptr_array_add (paging->next_headers, value);
    }
  paging->has_continuation_token = token != NULL;
  paging->continuation_token = node_dup_string (token);
}

/* Items that are not objects or lack an identity are skipped (and counted in the log): one
 * damaged record must not cost the whole page, and the rest of the page is still valid. */
static GPtrArray *
read_items (JsonArray      *array,
            PdPcItemParser  item_parser,
            GDestroyNotify  item_free)
{
  guint n = array ? json_array_get_length (array) : 0;
  GPtrArray *items = g_ptr_array_new_full (n, item_free);
  guint n_skipped = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer item = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        item = item_parser (json_node_get_object (element), NULL);
      if (item != NULL)
        g_ptr_array_add (items, item);
      else
        n_skipped++;
    }
  if (n_skipped > 0)
    g_message ("Skipped %u unreadable items of a Partner Center page", n_skipped);
  return items;
}

gboolean
pd_pc_json_parse_collection (const char     *data,
                             gsize           len,
                             PdPcItemParser  item_parser,
                             GDestroyNotify  item_free,
                             GPtrArray     **items,
                             PdPcPaging     *paging,
                             GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (data, len, &root, error);
  JsonNode *items_node;

  if (object == NULL)
    return FALSE;
  items_node = member (object, "items");
  if (items_node != NULL && !JSON_NODE_HOLDS_ARRAY (items_node) && !JSON_NODE_HOLDS_NULL (items_node))
    {
      set_invalid (error, _("the items of a list are not an array"));
      return FALSE;
    }
  if (items != NULL)
    *items = read_items (items_node && JSON_NODE_HOLDS_ARRAY (items_node)
                           ? json_node_get_array (items_node) : NULL,
                         item_parser, item_free);
  if (paging != NULL)
    read_paging (object, paging);
  return TRUE;
}

gboolean
pd_pc_json_parse_customer_collection (const char  *data,
                                      gsize        len,
                                      GPtrArray  **customers,
                                      PdPcPaging  *paging,
                                      GError     **error)
{
  if (pd_pc_json_parse_customer_page_fast (data, len, customers, paging))
    return TRUE;
  return pd_pc_json_parse_collection (data, len, pd_pc_json_customer_from_object,
                                      (GDestroyNotify) pd_pc_customer_free, customers, paging,
                                      error);
}

gboolean
pd_pc_json_parse_customer_page (const char  *data,
                                gsize        len,
                                GPtrArray  **customers,
                                char       **next_uri,
                                GPtrArray  **next_headers,
                                char       **continuation_token,
                                GError     **error)
{
  PdPcPaging paging = { 0 };
  g_autoptr(GPtrArray) items = NULL;

  if (!pd_pc_json_parse_customer_collection (data, len, &items, &paging, error))
    return FALSE;
  if (customers != NULL)
    *customers = g_steal_pointer (&items);
  if (next_uri != NULL)
    *next_uri = g_steal_pointer (&paging.next_uri);
  if (next_headers != NULL)
    *next_headers = g_steal_pointer (&paging.next_headers);
  if (continuation_token != NULL)
    *continuation_token = g_steal_pointer (&paging.continuation_token);
  pd_pc_paging_clear (&paging);
  return TRUE;
}

/* pd_pc_json_parse_collection for callers that want the items array, or NULL on error. */
static GPtrArray *
parse_collection_items (const char     *data,
                        gsize           len,
                        PdPcItemParser  item_parser,
                        GDestroyNotify  item_free,
                        PdPcPaging     *paging,
                        GError        **error)
{
  GPtrArray *items = NULL;

  if (!pd_pc_json_parse_collection (data, len, item_parser, item_free, &items, paging, error))
    return NULL;
  return items;
}

GPtrArray *
pd_pc_json_parse_audit_records (const char *data,
                                gsize       len,
                                PdPcPaging *paging,
                                GError    **error)
{
  return parse_collection_items (data, len, pd_pc_json_audit_record_from_object,
                                 (GDestroyNotify) pd_pc_audit_record_free, paging, error);
}

GPtrArray *
pd_pc_json_parse_resellers (const char *data,
                            gsize       len,
                            PdPcPaging *paging,
                            GError    **error)
{
  return parse_collection_items (data, len, pd_pc_json_reseller_from_object,
                                 (GDestroyNotify) pd_pc_reseller_free, paging, error);
}

/* --- single resources ------------------------------------------------------------------ */

/* A body that is one object, mapped by parser. */
static gpointer
parse_single (const char     *data,
              gsize           len,
              PdPcItemParser  parser,
              GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (data, len, &root, error);

  return object ? parser (object, error) : NULL;
}

static gpointer
company_profile_from_object (JsonObject *object,
                             GError    **error)
{
  JsonObject *address = get_object (object, "address");
  PdPcCompanyProfile *profile = g_new0 (PdPcCompanyProfile, 1);

  profile->tenant_id = dup_id (object, "tenantId");
  profile->domain = dup_nonempty (object, "domain");
  profile->company_name = dup_nonempty (object, "companyName");
  profile->email = dup_nonempty (object, "email");
  profile->country = dup_nonempty (address, "country");
  profile->city = dup_nonempty (address, "city");
  return profile;
}

static gpointer
relationship_url_from_object (JsonObject *object,
                              GError    **error)
{
  char *url = decode_entities (dup_nonempty (object, "url"));

  if (url == NULL)
    set_invalid (error, _("the relationship request has no link"));
  return url;
}

PdPcCustomer *
pd_pc_json_parse_customer (const char *data,
                           gsize       len,
                           GError    **error)
{
  return parse_single (data, len, pd_pc_json_customer_from_object, error);
}

PdPcBillingProfile *
pd_pc_json_parse_billing_profile (const char *data,
                                  gsize       len,
                                  GError    **error)
{
  return parse_single (data, len, pd_pc_json_billing_profile_from_object, error);
}

/* The partner's own profile (GET /v1/profiles/organization) has the members of a customer's
 * company profile; its address is "defaultAddress", and its tenant may come only as "id". */
static gpointer
organization_profile_from_object (JsonObject *object,
                                  GError    **error)
{
  PdPcCompanyProfile *profile = company_profile_from_object (object, error);
  JsonObject *address = get_object (object, "defaultAddress");

  if (profile->tenant_id == NULL)
    profile->tenant_id = dup_id (object, "id");
  if (profile->country == NULL)
    profile->country = dup_nonempty (address, "country");
  if (profile->tenant_id == NULL)
    {
      pd_pc_company_profile_free (profile);
      set_invalid (error, _("the organization profile has no tenant ID"));
      return NULL;
    }
  return profile;
}

PdPcCompanyProfile *
pd_pc_json_parse_organization_profile (const char *data,
                                       gsize       len,
                                       GError    **error)
{
  return parse_single (data, len, organization_profile_from_object, error);
}

PdPcValidationStatus *
pd_pc_json_parse_validation_status (const char *data,
                                    gsize       len,
                                    GError    **error)
{
  return parse_single (data, len, validation_status_from_object, error);
}

PdPcCompanyProfile *
pd_pc_json_parse_company_profile (const char *data,
                                  gsize       len,
                                  GError    **error)
{
  return parse_single (data, len, company_profile_from_object, error);
}

char *
pd_pc_json_parse_relationship_request (const char *data,
                                       gsize       len,
                                       GError    **error)
{
  return parse_single (data, len, relationship_url_from_object, error);
}

/* --- country rules ------------------------------------------------------------------- */

/* The docs' sample breaks a regex across lines and writes "\(": not JSON. Inside strings,
 * drop raw line breaks and double a backslash that does not start a valid escape. */
static char *
repair_json_strings (const char *data,
                     gsize       len)
{
  GString *out = g_string_sized_new (len + 16);
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (!in_string)
        {
          in_string = c == '"';
          g_string_append_c (out, c);
        }
      else if (c == '"')
        {
          in_string = FALSE;
          g_string_append_c (out, c);
        }
      else if (c == '\n' || c == '\r')
        continue;
      else if (c == '\\')
        {
          char next = i + 1 < len ? data[i + 1] : '\0';

          if (next != '\0' && strchr ("\"\\/bfnrtu", next) != NULL)
            {
              g_string_append_c (out, c);
              g_string_append_c (out, data[++i]);
            }
          else
            g_string_append (out, "\\\\");
        }
      else
        g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
strv_has (const char * const *strv,
          const char          *value)
{
  return value != NULL && g_strv_contains (strv, value);
}

/* A rule-level boolean: the explicit key when present, else membership of the CIS group. */
static gboolean
cis_flag (JsonObject *object,
          const char *key,
          const char *iso2)
{
  gboolean found;
  gboolean value = get_bool (object, key, &found);

  return found ? value : strv_has (cis_countries, iso2);
}

static PdCountryRule *
country_rule_from_object (JsonObject *object)
{
  g_autofree char *iso2 = dup_nonempty (object, "iso2Code");
  PdCountryRule *rule;

  if (iso2 == NULL)
    iso2 = dup_nonempty (object, "countryIso2Code");
  if (iso2 != NULL)
    {
      char *up = g_ascii_strup (iso2, -1);
      g_free (iso2);
      iso2 = up;
    }
  /* "" when the body names no country: the client knows which one it asked for. */
  rule = pd_country_rule_new (iso2 ? iso2 : "");
  rule->state_required = get_bool (object, "isStateRequired", NULL);
  rule->allowed_states = get_string_list (object, "supportedStatesList");
  if (rule->allowed_states == NULL)
    rule->allowed_states = get_string_list (object, "states");
  rule->postal_code_required = get_bool (object, "isPostalCodeRequired", NULL);
  rule->postal_code_pattern = dup_nonempty (object, "postalCodeRegex");
  rule->city_required = get_bool (object, "isCityRequired", NULL);
  rule->phone_pattern = dup_nonempty (object, "phoneNumberRegex");
  rule->phone_required = cis_flag (object, "isPhoneNumberRequired", iso2);
  rule->registration_number_required = cis_flag (object, "isRegistrationNumberRequired", iso2);
  rule->default_culture = dup_nonempty (object, "defaultCulture");
  return rule;
}

PdCountryRule *
pd_pc_json_parse_country_rules (const char *data,
                                gsize       len,
                                GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *repaired = NULL;
  JsonObject *object;

  /* json-glib would silently read "\d" as "d" and keep a raw line break, so the regexes
   * would be wrong rather than rejected: repair first (a no-op on valid JSON). */
  if (data == NULL || len == 0 || memchr (data, '\0', len) != NULL)
    {
      parse_object (data, len, &root, error);   /* for its error message */
      return NULL;
    }
  repaired = repair_json_strings (data, len);
  object = parse_object (repaired, strlen (repaired), &root, error);
  return object ? country_rule_from_object (object) : NULL;
}

/* --- address validation ---------------------------------------------------------------- */

static GPtrArray *
read_suggestions (JsonArray *array)
{
  GPtrArray *suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_bill_to_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      PdBillTo *address;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      address = pd_bill_to_new ();
      address_into_bill_to (json_node_get_object (element), address);
      g_ptr_array_add (suggestions, address);
    }
  return suggestions;
}

/* The answer of the endpoint before 2021: valid or not, no suggestion. */
static PdPcAddressValidation *
legacy_validation (gboolean valid)
{
  PdPcAddressValidation *validation = g_new0 (PdPcAddressValidation, 1);

  validation->status = g_strdup (valid ? "Verified" : "None");
  validation->suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_bill_to_free);
  return validation;
}

PdPcAddressValidation *
pd_pc_json_parse_address_validation (const char *data,
                                     gsize       len,
                                     GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  PdPcAddressValidation *validation;
  JsonObject *object;

  /* In 2017 a valid address got 200 with no body at all (validate-an-address.md of then:
   * "Content-Length: 0"); a corrected one got 400 {code: 2007}. */
  if (len == 0)
    return legacy_validation (TRUE);
  root = parse_root (data, len, error);
  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_BOOLEAN)
    /* Before mid-2021 the endpoint answered a bare true/false (§7). */
    return legacy_validation (json_node_get_boolean (root));
  validation = g_new0 (PdPcAddressValidation, 1);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      pd_pc_address_validation_free (validation);
      set_invalid (error, _("expected a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  validation->status = dup_nonempty (object, "status");
  if (validation->status == NULL)
    validation->status = g_strdup ("NotValidated");
  validation->message = dup_nonempty (object, "validationMessage");
  validation->suggestions = read_suggestions (get_array (object, "suggestedAddresses"));
  return validation;
}

/* --- error bodies ----------------------------------------------------------------------- */

/* A description that is itself JSON text with a "reason" (the 2017 address validation's
 * 400 {code: 2007, description: "{\"code\":\"60071\",\"reason\":\"ZipCityInvalid …"}",
 * validate-an-address.md of then) is replaced by that reason; takes text. */
static char *
reason_of_description (char *text)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *inner;
  char *reason;

  if (text == NULL || text[0] != '{')
    return text;
  inner = parse_object (text, strlen (text), &root, NULL);
  reason = inner != NULL ? dup_nonempty (inner, "reason") : NULL;
  if (reason == NULL)
    return text;
  g_free (text);
  return decode_entities (reason);
}

static gboolean
error_from_object (JsonObject *object,
                   char      **code,
                   char      **description,
                   guint       depth)
{
  static const char * const code_names[] = { "code", "statusCode", "errorCode", NULL };
  static const char * const text_names[] = {
    "description", "message", "error_description", "errorMessageExtended", "errorName", NULL
  };
  JsonNode *nested = member (object, "error");
  g_autofree char *found_code = NULL;
  g_autofree char *found_text = NULL;

  /* Graph style {error: {code, message}}. */
  if (nested != NULL && JSON_NODE_HOLDS_OBJECT (nested) && depth == 0)
    return error_from_object (json_node_get_object (nested), code, description, depth + 1);
  found_code = first_nonempty (object, code_names);
  if (found_code == NULL)
    found_code = node_dup_string (nested);   /* OAuth {error: "invalid_grant"} */
  found_text = reason_of_description (first_nonempty (object, text_names));
  if (found_code == NULL && found_text == NULL)
    return FALSE;
  if (code != NULL)
    *code = g_steal_pointer (&found_code);
  if (description != NULL)
    *description = g_steal_pointer (&found_text);
  return TRUE;
}

gboolean
pd_pc_json_parse_error_body (const char  *data,
                             gsize        len,
                             char       **code,
                             char       **description)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (code != NULL)
    *code = NULL;
  if (description != NULL)
    *description = NULL;
  object = parse_object (data, len, &root, NULL);
  if (object == NULL)
    return FALSE;
  return error_from_object (object, code, description, 0);
}

/* --- request bodies ------------------------------------------------------------------- */

/* Sets name (or its existing differently-cased key) to value; NULL writes null only when the
 * key already exists, so that a cleared field is cleared and an absent one stays absent. */
static void
set_string_member (JsonObject *object,
                   const char *name,
                   const char *value)
{
  const char *existing = member_key (object, name);
  g_autofree char *key = g_strdup (existing ? existing : name);

  if (value != NULL)
    json_object_set_string_member (object, key, value);
  else if (existing != NULL)
    json_object_set_null_member (object, key);
}

/* The object member name (any casing), created when missing or not an object. */
static JsonObject *
ensure_object_member (JsonObject *object,
                      const char *name)
{
  const char *existing = member_key (object, name);
  g_autofree char *key = g_strdup (existing ? existing : name);
  JsonObject *child = get_object (object, key);

  if (child == NULL)
    {
      child = json_object_new ();
      json_object_set_object_member (object, key, child);
    }
  return child;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
pd_pc_json_build_billing_profile_put (const PdPcBillingProfile *profile,
                                      const char               *etag)
{
  g_autoptr(JsonObject) body = profile->raw ? deep_copy_object (profile->raw) : json_object_new ();
  JsonObject *address = ensure_object_member (body, "defaultAddress");
  JsonObject *attributes = ensure_object_member (body, "attributes");

  if (profile->id != NULL)
    set_string_member (body, "id", profile->id);
  for (guint i = 0; i < G_N_ELEMENTS (bill_to_keys); i++)
    set_string_member (bill_to_keys[i].in_address ? address : body, bill_to_keys[i].key,
                       profile->bill_to ? pd_bill_to_get (profile->bill_to,
                                                          bill_to_keys[i].field) : NULL);
  set_string_member (attributes, "etag", etag);
  if (member_key (attributes, "objectType") == NULL)
    json_object_set_string_member (attributes, "objectType", "CustomerBillingProfile");
  return object_to_string (body);
}

char *
pd_pc_json_build_address (const PdBillTo *address)
{
  g_autoptr(JsonObject) body = json_object_new ();

  /* Only the fields the validation endpoint takes (§7). */
  static const PdBillToField fields[] = {
    PD_BILL_TO_ADDRESS_LINE1, PD_BILL_TO_ADDRESS_LINE2, PD_BILL_TO_CITY, PD_BILL_TO_STATE,
    PD_BILL_TO_POSTAL_CODE, PD_BILL_TO_COUNTRY,
  };
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    for (guint k = 0; k < G_N_ELEMENTS (bill_to_keys); k++)
      if (bill_to_keys[k].field == fields[i] && pd_bill_to_get (address, fields[i]) != NULL)
        json_object_set_string_member (body, bill_to_keys[k].key,
                                       pd_bill_to_get (address, fields[i]));
  return object_to_string (body);
}

/* --- Entra ID ------------------------------------------------------------------------- */

void
pd_pc_device_code_response_free (PdPcDeviceCodeResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->device_code);
  g_free (response->user_code);
  g_free (response->verification_uri);
  g_free (response->message);
  g_free (response);
}

void
pd_pc_token_response_free (PdPcTokenResponse *response)
{
  if (response == NULL)
    return;
  /* Tokens are wiped before the memory goes back to the allocator. */
  pd_auth_wipe_secret (response->access_token);
  pd_auth_wipe_secret (response->refresh_token);
  g_free (response->access_token);
  g_free (response->refresh_token);
  g_free (response->id_token);
  g_free (response);
}

static gpointer
device_code_from_object (JsonObject *object,
                         GError    **error)
{
  g_autoptr(PdPcDeviceCodeResponse) response = g_new0 (PdPcDeviceCodeResponse, 1);

  response->device_code = dup_nonempty (object, "device_code");
  response->user_code = dup_nonempty (object, "user_code");
  response->verification_uri = dup_nonempty (object, "verification_uri");
  if (response->verification_uri == NULL)   /* v1 endpoint spelling */
    response->verification_uri = dup_nonempty (object, "verification_url");
  response->message = dup_nonempty (object, "message");
  response->expires_in = (guint) CLAMP (get_int (object, "expires_in", 900), 1, 86400);
  response->interval = (guint) CLAMP (get_int (object, "interval", 5), 0, 300);
  if (response->device_code == NULL || response->user_code == NULL
      || response->verification_uri == NULL)
    {
      set_invalid (error, _("the sign-in code is incomplete"));
      return NULL;
    }
  return g_steal_pointer (&response);
}

static gpointer
token_response_from_object (JsonObject *object,
                            GError    **error)
{
  g_autoptr(PdPcTokenResponse) response = g_new0 (PdPcTokenResponse, 1);

  response->access_token = dup_nonempty (object, "access_token");
  response->refresh_token = dup_nonempty (object, "refresh_token");
  response->id_token = dup_nonempty (object, "id_token");
  response->expires_in = CLAMP (get_int (object, "expires_in", 3600), 0, 366 * 86400);
  if (response->access_token == NULL)
    {
      set_invalid (error, _("the sign-in answer has no access token"));
      return NULL;
    }
  return g_steal_pointer (&response);
}

PdPcDeviceCodeResponse *
pd_pc_json_parse_device_code (const char *data,
                              gsize       len,
                              GError    **error)
{
  return parse_single (data, len, device_code_from_object, error);
}

PdPcTokenResponse *
pd_pc_json_parse_token_response (const char *data,
                                 gsize       len,
                                 GError    **error)
{
  return parse_single (data, len, token_response_from_object, error);
}

JsonObject *
pd_pc_json_parse_jwt_claims (const char *jwt,
                             GError    **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *payload = NULL;
  JsonObject *object;
  gsize decoded_len = 0;
  gsize padding;

  parts = jwt ? g_strsplit (jwt, ".", 4) : NULL;
  if (parts == NULL || g_strv_length (parts) != 3 || *parts[1] == '\0')
    {
      set_invalid (error, _("the access token is not a JWT"));
      return NULL;
    }
  /* base64url without padding → base64. */
  g_strdelimit (parts[1], "-", '+');
  g_strdelimit (parts[1], "_", '/');
  padding = (4 - strlen (parts[1]) % 4) % 4;
  payload = g_strconcat (parts[1], padding > 0 ? &"=="[2 - MIN (padding, 2)] : "", NULL);
  decoded = g_base64_decode (payload, &decoded_len);
  object = parse_object ((const char *) decoded, decoded_len, &root, error);
  return object ? json_object_ref (object) : NULL;
}
