-- A Partner Desk cache at schema version 2 (commits up to 0f78c2f), as that version's store wrote
-- it: `sqlite3 FILE .dump` of a file made with its PdStore (two sync runs, a removed customer of
-- an indirect reseller, a local bill-to override, an ERP ID and other local fields, a manual
-- organization, history). Only the FTS5 table is written as CREATE VIRTUAL TABLE plus an INSERT
-- of the same values instead of its raw shadow tables. Romashka (RU, no registration number) was
-- complete at version 2; version 3 counts the registration number. test-store-files opens it
-- with PdStore, which must migrate it to the current version with every row intact. Never edit
-- the schema part: it is what version 2 wrote.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE organizations (  id INTEGER PRIMARY KEY,  tenant_id TEXT UNIQUE,  source INTEGER NOT NULL DEFAULT 0,  name TEXT NOT NULL DEFAULT '',  domain TEXT,  country TEXT,  relationship TEXT,  delegated_access INTEGER NOT NULL DEFAULT 0,  removed INTEGER NOT NULL DEFAULT 0,  created_at INTEGER NOT NULL,  last_synced_at INTEGER,  seen_run INTEGER, reseller_id TEXT, reseller_name TEXT, missing_mask INTEGER NOT NULL DEFAULT 0, name_key TEXT, domain_key TEXT, eff_country TEXT, dup INTEGER NOT NULL DEFAULT 0);
INSERT INTO organizations VALUES(1,'2c0a0000-0000-4000-8000-000000000001',0,'Contoso Ltd','contoso.co.uk','GB','reseller',0,0,1795513279,1795513279,2,NULL,NULL,0,'contoso','contoso.co.uk','GB',0);
INSERT INTO organizations VALUES(2,'2c0a0000-0000-4000-8000-000000000002',0,'Vinter Oy','vinter.fi','FI','reseller',0,0,1795513279,1795513279,1,NULL,NULL,0,'vinter','vinter.fi','FI',0);
INSERT INTO organizations VALUES(3,'2c0a0000-0000-4000-8000-000000000003',0,'Romashka OOO','romashka.ru','RU','reseller',0,0,1795513279,1795513279,1,NULL,NULL,0,'romashka','romashka.ru','RU',0);
INSERT INTO organizations VALUES(4,'2c0a0000-0000-4000-8000-000000000004',0,'Fabrikam GmbH','fabrikam.de','DE','reseller',0,1,1795513279,1795513279,1,'9d1e0000-0000-4000-8000-0000000000aa','Adatum Reseller',0,'fabrikam','fabrikam.de','DE',0);
INSERT INTO organizations VALUES(5,NULL,1,'Handmade AB','handmade.se','SE',NULL,0,0,1795513279,NULL,NULL,NULL,NULL,53363,'handmade','handmade.se',NULL,0);
CREATE TABLE pc_bill_to (  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,  etag TEXT,  company_name TEXT, email TEXT, first_name TEXT, last_name TEXT, culture TEXT,  language TEXT, address_line1 TEXT, address_line2 TEXT, city TEXT, state TEXT,  region TEXT, postal_code TEXT, country TEXT, phone_number TEXT,  address_first_name TEXT, address_last_name TEXT);
INSERT INTO pc_bill_to VALUES(1,'W/"c-2"','Contoso Ltd','billing@contoso.co.uk','Jane','Doe','en-GB','en','1 High Street',NULL,'London',NULL,NULL,'SW1A 1AA','GB','+442071234567','Jane','Doe');
INSERT INTO pc_bill_to VALUES(2,'W/"v-1"','Vinter Oy','laskut@vinter.fi','Matti','Virtanen','fi-FI','fi','Mannerheimintie 1',NULL,'Helsinki',NULL,NULL,'00100','FI','+358912345','Matti','Virtanen');
INSERT INTO pc_bill_to VALUES(3,'W/"r-1"','Romashka OOO','schet@romashka.ru','Ivan','Petrov','ru-RU','ru','ul. Baumana 1',NULL,'Kazan',NULL,NULL,'420111','RU','+78432123456','Ivan','Petrov');
INSERT INTO pc_bill_to VALUES(4,'W/"f-1"','Fabrikam GmbH','rechnung@fabrikam.de','Anna','Berg','de-DE','de','Hauptstrasse 1',NULL,'Bremen',NULL,NULL,'28195','DE','+49421123456','Anna','Berg');
CREATE TABLE bill_to_overrides (  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,  field INTEGER NOT NULL,  value TEXT NOT NULL,  base_etag TEXT,  PRIMARY KEY (org_id, field)) WITHOUT ROWID;
INSERT INTO bill_to_overrides VALUES(2,8,'Espoo','W/"v-1"');
CREATE TABLE local_fields (  org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,  erp_id TEXT, registration_number TEXT, segments TEXT, currency TEXT,  currency_effective INTEGER, status INTEGER NOT NULL DEFAULT 0, login_options TEXT,  account_manager TEXT, notes TEXT);
INSERT INTO local_fields VALUES(1,'ERP-2001',NULL,'Enterprise,Education',NULL,NULL,0,NULL,'Sam Lee','Key account');
INSERT INTO local_fields VALUES(5,'ERP-3003',NULL,NULL,NULL,NULL,1,NULL,NULL,NULL);
CREATE TABLE history (  id INTEGER PRIMARY KEY,  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,  what TEXT NOT NULL, old_value TEXT, new_value TEXT,  by INTEGER NOT NULL, at INTEGER NOT NULL, sync_run_id INTEGER);
INSERT INTO history VALUES(1,1,'billTo.address.city','Manchester','London',1,1795513279,2);
INSERT INTO history VALUES(2,1,'billTo.address.postalCode','M1 1AE','SW1A 1AA',1,1795513279,2);
INSERT INTO history VALUES(3,1,'billTo.address.phoneNumber','+441611234567','+442071234567',1,1795513279,2);
INSERT INTO history VALUES(4,4,'removedFromPartnerCenter','false','true',1,1795513279,2);
INSERT INTO history VALUES(5,1,'erpId',NULL,'ERP-2001',0,1795513279,NULL);
INSERT INTO history VALUES(6,1,'notes',NULL,'Key account',0,1795513279,NULL);
INSERT INTO history VALUES(7,1,'segments',NULL,'Enterprise,Education',0,1795513279,NULL);
INSERT INTO history VALUES(8,1,'accountManager',NULL,'Sam Lee',0,1795513279,NULL);
INSERT INTO history VALUES(9,2,'billTo.address.city','Helsinki','Espoo',0,1795513279,NULL);
INSERT INTO history VALUES(10,5,'created',NULL,'Handmade AB',0,1795513279,NULL);
INSERT INTO history VALUES(11,5,'status','new','active',0,1795513279,NULL);
CREATE TABLE sync_runs (  id INTEGER PRIMARY KEY,  kind INTEGER NOT NULL, state INTEGER NOT NULL,  started_at INTEGER NOT NULL, finished_at INTEGER,  n_new INTEGER NOT NULL DEFAULT 0, n_updated INTEGER NOT NULL DEFAULT 0,  n_unchanged INTEGER NOT NULL DEFAULT 0, n_removed INTEGER NOT NULL DEFAULT 0,  n_overrides_kept INTEGER NOT NULL DEFAULT 0,  n_overrides_replaced INTEGER NOT NULL DEFAULT 0,  n_failed INTEGER NOT NULL DEFAULT 0,  error TEXT, correlation_id TEXT, resumes_run_id INTEGER);
INSERT INTO sync_runs VALUES(1,0,1,1795513279,1795513279,4,0,0,0,0,0,0,NULL,'v2-run-1',NULL);
INSERT INTO sync_runs VALUES(2,1,1,1795513279,1795513279,0,1,0,1,0,0,0,NULL,'v2-run-2',NULL);
CREATE TABLE sync_run_events (  id INTEGER PRIMARY KEY,  run_id INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,  kind INTEGER NOT NULL, org_id INTEGER, tenant_id TEXT, name TEXT, field TEXT,  old_value TEXT, new_value TEXT, error TEXT);
INSERT INTO sync_run_events VALUES(1,1,0,1,'2c0a0000-0000-4000-8000-000000000001','Contoso Ltd',NULL,NULL,NULL,NULL);
INSERT INTO sync_run_events VALUES(2,1,0,2,'2c0a0000-0000-4000-8000-000000000002','Vinter Oy',NULL,NULL,NULL,NULL);
INSERT INTO sync_run_events VALUES(3,1,0,3,'2c0a0000-0000-4000-8000-000000000003','Romashka OOO',NULL,NULL,NULL,NULL);
INSERT INTO sync_run_events VALUES(4,1,0,4,'2c0a0000-0000-4000-8000-000000000004','Fabrikam GmbH',NULL,NULL,NULL,NULL);
INSERT INTO sync_run_events VALUES(5,2,1,1,'2c0a0000-0000-4000-8000-000000000001','Contoso Ltd',NULL,NULL,NULL,NULL);
INSERT INTO sync_run_events VALUES(6,2,2,4,'2c0a0000-0000-4000-8000-000000000004','Fabrikam GmbH',NULL,NULL,NULL,NULL);
CREATE TABLE country_rules (  iso2 TEXT PRIMARY KEY, rule TEXT NOT NULL, fetched_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
INSERT INTO meta VALUES('country-rules-digest','96a84569ce7210ff90c1253a841fc9718e8021403e67f4c172d61de91faeb085');
INSERT INTO meta VALUES('partner-tenant-id','0000aaaa-0000-4000-8000-000000000000');
CREATE VIRTUAL TABLE org_search USING fts5 (  name, domain, erp_id, email, city, tokenize = 'unicode61 remove_diacritics 2',  columnsize = 0);
INSERT INTO org_search (rowid, name, domain, erp_id, email, city) VALUES(1,'Contoso Ltd','contoso.co.uk','ERP-2001','billing@contoso.co.uk','London');
INSERT INTO org_search (rowid, name, domain, erp_id, email, city) VALUES(2,'Vinter Oy','vinter.fi',NULL,'laskut@vinter.fi','Espoo');
INSERT INTO org_search (rowid, name, domain, erp_id, email, city) VALUES(3,'Romashka OOO','romashka.ru',NULL,'schet@romashka.ru','Kazan');
INSERT INTO org_search (rowid, name, domain, erp_id, email, city) VALUES(4,'Fabrikam GmbH','fabrikam.de',NULL,'rechnung@fabrikam.de','Bremen');
INSERT INTO org_search (rowid, name, domain, erp_id, email, city) VALUES(5,'Handmade AB','handmade.se','ERP-3003',NULL,NULL);
CREATE UNIQUE INDEX local_fields_erp_id ON local_fields (erp_id COLLATE NOCASE)  WHERE erp_id IS NOT NULL;
CREATE INDEX history_org ON history (org_id);
CREATE INDEX organizations_name_key ON organizations (name_key) WHERE name_key IS NOT NULL;
CREATE INDEX organizations_domain_key ON organizations (domain_key)  WHERE domain_key IS NOT NULL;
CREATE INDEX organizations_reseller ON organizations (reseller_id)  WHERE reseller_id IS NOT NULL;
CREATE INDEX sync_run_events_run ON sync_run_events (run_id);
PRAGMA user_version = 2;
COMMIT;
