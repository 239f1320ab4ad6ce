-- A Partner Desk cache at schema version 1 (the first release), with sample rows.
-- test-store-files builds a real v1 file from this text and opens it with PdStore, which must
-- migrate it to the current version with every row intact. Never edit the schema part: it is
-- what version 1 wrote.
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT UNIQUE,
  source INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '',
  domain TEXT,
  country TEXT,
  relationship TEXT,
  delegated_access INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_synced_at INTEGER,
  seen_run INTEGER
);
CREATE TABLE pc_bill_to (
  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  etag TEXT,
  company_name TEXT, email TEXT, first_name TEXT, last_name TEXT, culture TEXT,
  language TEXT, address_line1 TEXT, address_line2 TEXT, city TEXT, state TEXT,
  region TEXT, postal_code TEXT, country TEXT, phone_number TEXT,
  address_first_name TEXT, address_last_name TEXT
);
CREATE TABLE bill_to_overrides (
  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  field INTEGER NOT NULL,
  value TEXT NOT NULL,
  base_etag TEXT,
  PRIMARY KEY (org_id, field)
) WITHOUT ROWID;
CREATE TABLE local_fields (
  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  erp_id TEXT, registration_number TEXT, segments TEXT, currency TEXT,
  currency_effective INTEGER, status INTEGER NOT NULL DEFAULT 0, login_options TEXT,
  account_manager TEXT, notes TEXT
);
CREATE UNIQUE INDEX local_fields_erp_id ON local_fields (erp_id COLLATE NOCASE)
  WHERE erp_id IS NOT NULL;
CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  what TEXT NOT NULL, old_value TEXT, new_value TEXT,
  by INTEGER NOT NULL, at INTEGER NOT NULL, sync_run_id INTEGER
);
CREATE INDEX history_org ON history (org_id);
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL, state INTEGER NOT NULL,
  started_at INTEGER NOT NULL, finished_at INTEGER,
  n_new INTEGER NOT NULL DEFAULT 0, n_updated INTEGER NOT NULL DEFAULT 0,
  n_unchanged INTEGER NOT NULL DEFAULT 0, n_removed INTEGER NOT NULL DEFAULT 0,
  n_overrides_kept INTEGER NOT NULL DEFAULT 0,
  n_overrides_replaced INTEGER NOT NULL DEFAULT 0,
  n_failed INTEGER NOT NULL DEFAULT 0,
  error TEXT, correlation_id TEXT
);

-- Sample data.
INSERT INTO sync_runs (id, kind, state, started_at, finished_at, n_new, correlation_id)
  VALUES (1, 0, 1, 1760000000, 1760000100, 2, 'v1-run');

INSERT INTO organizations (id, tenant_id, source, name, domain, country, relationship,
                           delegated_access, created_at, last_synced_at, seen_run)
  VALUES (1, '7d8c8a56-0000-4000-8000-000000000001', 0, 'Contoso Ltd', 'contoso.com', 'GB',
          'reseller', 1, 1760000000, 1760000100, 1),
         (2, '7d8c8a56-0000-4000-8000-000000000002', 0, 'Vinter Oy', 'vinter.fi', 'FI',
          'reseller', 0, 1760000000, 1760000100, 1);
INSERT INTO organizations (id, source, name, domain, country, created_at)
  VALUES (3, 1, 'Hand Made AB', 'handmade.se', 'SE', 1760000200);

INSERT INTO pc_bill_to VALUES
  (1, 'W/"etag-1"', 'Contoso Ltd', 'billing@contoso.com', 'Jane', 'Doe', 'en-GB', 'en',
   '1 High Street', NULL, 'London', NULL, NULL, 'SW1A 1AA', 'GB', '+442071234567',
   'Jane', 'Doe'),
  (2, 'W/"etag-2"', 'Vinter Oy', 'laskut@vinter.fi', 'Matti', 'Virtanen', 'fi-FI', 'fi',
   'Mannerheimintie 1', NULL, 'Helsinki', NULL, NULL, '00100', 'FI', '+358912345',
   'Matti', 'Virtanen');

INSERT INTO bill_to_overrides VALUES (2, 8, 'Espoo', 'W/"etag-2"');

INSERT INTO local_fields (org_id, erp_id, segments, currency, status, notes)
  VALUES (1, 'ERP-1001', 'Enterprise,Education', 'GBP', 1, 'Key account'),
         (3, 'ERP-3003', NULL, NULL, 0, NULL);

INSERT INTO history (org_id, what, old_value, new_value, by, at, sync_run_id) VALUES
  (1, 'created', NULL, 'Contoso Ltd', 1, 1760000050, 1),
  (2, 'created', NULL, 'Vinter Oy', 1, 1760000060, 1),
  (2, 'billTo.address.city', 'Helsinki', 'Espoo', 0, 1760000300, NULL),
  (1, 'erpId', NULL, 'ERP-1001', 0, 1760000400, NULL);

PRAGMA user_version = 1;
