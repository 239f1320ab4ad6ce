/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-country-rules.c — bundled and fetched per-country bill-to rules, ISO code tables and the
 * completeness check (the bill-to, and the registration number some countries require). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pd-country-rules.h"
#include "pd-core-resources.h"

#define RULES_RESOURCE "/io/github/partnerdesk/core/country-rules.ini"

/* ISO 3166-1 alpha-2, sorted by code, English short names as Microsoft's country pickers show
 * them. They are translated by iso-codes' "iso_3166-1" catalogue (pd_country_name), which
 * knows some countries by other English names: iso_names lists the names to look up there, in
 * order (iso-codes' common_name, its name, Microsoft's), or { NULL } for Microsoft's only. */
typedef struct {
  char        code[3];
  const char *name;
  const char *iso_names[3];
} CountryName;

static const CountryName country_names[] = {
  { "AD", "Andorra", { NULL } },
  { "AE", "United Arab Emirates", { NULL } },
  { "AF", "Afghanistan", { NULL } },
  { "AG", "Antigua and Barbuda", { NULL } },
  { "AI", "Anguilla", { NULL } },
  { "AL", "Albania", { NULL } },
  { "AM", "Armenia", { NULL } },
  { "AO", "Angola", { NULL } },
  { "AQ", "Antarctica", { NULL } },
  { "AR", "Argentina", { NULL } },
  { "AS", "American Samoa", { NULL } },
  { "AT", "Austria", { NULL } },
  { "AU", "Australia", { NULL } },
  { "AW", "Aruba", { NULL } },
  { "AX", "Åland Islands", { NULL } },
  { "AZ", "Azerbaijan", { NULL } },
  { "BA", "Bosnia and Herzegovina", { NULL } },
  { "BB", "Barbados", { NULL } },
  { "BD", "Bangladesh", { NULL } },
  { "BE", "Belgium", { NULL } },
  { "BF", "Burkina Faso", { NULL } },
  { "BG", "Bulgaria", { NULL } },
  { "BH", "Bahrain", { NULL } },
  { "BI", "Burundi", { NULL } },
  { "BJ", "Benin", { NULL } },
  { "BL", "Saint Barthélemy", { NULL } },
  { "BM", "Bermuda", { NULL } },
  { "BN", "Brunei", { "Brunei Darussalam", "Brunei" } },
  { "BO", "Bolivia", { "Bolivia", "Bolivia, Plurinational State of" } },
  { "BQ", "Caribbean Netherlands", { "Bonaire, Sint Eustatius and Saba", "Caribbean Netherlands" } },
  { "BR", "Brazil", { NULL } },
  { "BS", "Bahamas", { NULL } },
  { "BT", "Bhutan", { NULL } },
  { "BV", "Bouvet Island", { NULL } },
  { "BW", "Botswana", { NULL } },
  { "BY", "Belarus", { NULL } },
  { "BZ", "Belize", { NULL } },
  { "CA", "Canada", { NULL } },
  { "CC", "Cocos (Keeling) Islands", { NULL } },
  { "CD", "Congo (DRC)", { "Congo, The Democratic Republic of the", "Congo (DRC)" } },
  { "CF", "Central African Republic", { NULL } },
  { "CG", "Congo", { NULL } },
  { "CH", "Switzerland", { NULL } },
  { "CI", "Côte d’Ivoire", { "Côte d'Ivoire", "Côte d’Ivoire" } },
  { "CK", "Cook Islands", { NULL } },
  { "CL", "Chile", { NULL } },
  { "CM", "Cameroon", { NULL } },
  { "CN", "China", { NULL } },
  { "CO", "Colombia", { NULL } },
  { "CR", "Costa Rica", { NULL } },
  { "CU", "Cuba", { NULL } },
  { "CV", "Cabo Verde", { NULL } },
  { "CW", "Curaçao", { NULL } },
  { "CX", "Christmas Island", { NULL } },
  { "CY", "Cyprus", { NULL } },
  { "CZ", "Czechia", { NULL } },
  { "DE", "Germany", { NULL } },
  { "DJ", "Djibouti", { NULL } },
  { "DK", "Denmark", { NULL } },
  { "DM", "Dominica", { NULL } },
  { "DO", "Dominican Republic", { NULL } },
  { "DZ", "Algeria", { NULL } },
  { "EC", "Ecuador", { NULL } },
  { "EE", "Estonia", { NULL } },
  { "EG", "Egypt", { NULL } },
  { "EH", "Western Sahara", { NULL } },
  { "ER", "Eritrea", { NULL } },
  { "ES", "Spain", { NULL } },
  { "ET", "Ethiopia", { NULL } },
  { "FI", "Finland", { NULL } },
  { "FJ", "Fiji", { NULL } },
  { "FK", "Falkland Islands", { "Falkland Islands (Malvinas)", "Falkland Islands" } },
  { "FM", "Micronesia", { "Micronesia, Federated States of", "Micronesia" } },
  { "FO", "Faroe Islands", { NULL } },
  { "FR", "France", { NULL } },
  { "GA", "Gabon", { NULL } },
  { "GB", "United Kingdom", { NULL } },
  { "GD", "Grenada", { NULL } },
  { "GE", "Georgia", { NULL } },
  { "GF", "French Guiana", { NULL } },
  { "GG", "Guernsey", { NULL } },
  { "GH", "Ghana", { NULL } },
  { "GI", "Gibraltar", { NULL } },
  { "GL", "Greenland", { NULL } },
  { "GM", "Gambia", { NULL } },
  { "GN", "Guinea", { NULL } },
  { "GP", "Guadeloupe", { NULL } },
  { "GQ", "Equatorial Guinea", { NULL } },
  { "GR", "Greece", { NULL } },
  { "GS", "South Georgia and South Sandwich Islands", { "South Georgia and the South Sandwich Islands", "South Georgia and South Sandwich Islands" } },
  { "GT", "Guatemala", { NULL } },
  { "GU", "Guam", { NULL } },
  { "GW", "Guinea-Bissau", { NULL } },
  { "GY", "Guyana", { NULL } },
  { "HK", "Hong Kong SAR", { "Hong Kong", "Hong Kong SAR" } },
  { "HM", "Heard Island and McDonald Islands", { NULL } },
  { "HN", "Honduras", { NULL } },
  { "HR", "Croatia", { NULL } },
  { "HT", "Haiti", { NULL } },
  { "HU", "Hungary", { NULL } },
  { "ID", "Indonesia", { NULL } },
  { "IE", "Ireland", { NULL } },
  { "IL", "Israel", { NULL } },
  { "IM", "Isle of Man", { NULL } },
  { "IN", "India", { NULL } },
  { "IO", "British Indian Ocean Territory", { NULL } },
  { "IQ", "Iraq", { NULL } },
  { "IR", "Iran", { "Iran", "Iran, Islamic Republic of" } },
  { "IS", "Iceland", { NULL } },
  { "IT", "Italy", { NULL } },
  { "JE", "Jersey", { NULL } },
  { "JM", "Jamaica", { NULL } },
  { "JO", "Jordan", { NULL } },
  { "JP", "Japan", { NULL } },
  { "KE", "Kenya", { NULL } },
  { "KG", "Kyrgyzstan", { NULL } },
  { "KH", "Cambodia", { NULL } },
  { "KI", "Kiribati", { NULL } },
  { "KM", "Comoros", { NULL } },
  { "KN", "Saint Kitts and Nevis", { NULL } },
  { "KP", "North Korea", { "North Korea", "Korea, Democratic People's Republic of" } },
  { "KR", "Korea", { "South Korea", "Korea, Republic of", "Korea" } },
  { "KW", "Kuwait", { NULL } },
  { "KY", "Cayman Islands", { NULL } },
  { "KZ", "Kazakhstan", { NULL } },
  { "LA", "Laos", { "Laos", "Lao People's Democratic Republic" } },
  { "LB", "Lebanon", { NULL } },
  { "LC", "Saint Lucia", { NULL } },
  { "LI", "Liechtenstein", { NULL } },
  { "LK", "Sri Lanka", { NULL } },
  { "LR", "Liberia", { NULL } },
  { "LS", "Lesotho", { NULL } },
  { "LT", "Lithuania", { NULL } },
  { "LU", "Luxembourg", { NULL } },
  { "LV", "Latvia", { NULL } },
  { "LY", "Libya", { NULL } },
  { "MA", "Morocco", { NULL } },
  { "MC", "Monaco", { NULL } },
  { "MD", "Moldova", { "Moldova", "Moldova, Republic of" } },
  { "ME", "Montenegro", { NULL } },
  { "MF", "Saint Martin", { "Saint Martin (French part)", "Saint Martin" } },
  { "MG", "Madagascar", { NULL } },
  { "MH", "Marshall Islands", { NULL } },
  { "MK", "North Macedonia", { NULL } },
  { "ML", "Mali", { NULL } },
  { "MM", "Myanmar", { NULL } },
  { "MN", "Mongolia", { NULL } },
  { "MO", "Macao SAR", { "Macao", "Macao SAR" } },
  { "MP", "Northern Mariana Islands", { NULL } },
  { "MQ", "Martinique", { NULL } },
  { "MR", "Mauritania", { NULL } },
  { "MS", "Montserrat", { NULL } },
  { "MT", "Malta", { NULL } },
  { "MU", "Mauritius", { NULL } },
  { "MV", "Maldives", { NULL } },
  { "MW", "Malawi", { NULL } },
  { "MX", "Mexico", { NULL } },
  { "MY", "Malaysia", { NULL } },
  { "MZ", "Mozambique", { NULL } },
  { "NA", "Namibia", { NULL } },
  { "NC", "New Caledonia", { NULL } },
  { "NE", "Niger", { NULL } },
  { "NF", "Norfolk Island", { NULL } },
  { "NG", "Nigeria", { NULL } },
  { "NI", "Nicaragua", { NULL } },
  { "NL", "Netherlands", { NULL } },
  { "NO", "Norway", { NULL } },
  { "NP", "Nepal", { NULL } },
  { "NR", "Nauru", { NULL } },
  { "NU", "Niue", { NULL } },
  { "NZ", "New Zealand", { NULL } },
  { "OM", "Oman", { NULL } },
  { "PA", "Panama", { NULL } },
  { "PE", "Peru", { NULL } },
  { "PF", "French Polynesia", { NULL } },
  { "PG", "Papua New Guinea", { NULL } },
  { "PH", "Philippines", { NULL } },
  { "PK", "Pakistan", { NULL } },
  { "PL", "Poland", { NULL } },
  { "PM", "Saint Pierre and Miquelon", { NULL } },
  { "PN", "Pitcairn Islands", { "Pitcairn", "Pitcairn Islands" } },
  { "PR", "Puerto Rico", { NULL } },
  { "PS", "Palestinian Authority", { "Palestine, State of", "Palestinian Authority" } },
  { "PT", "Portugal", { NULL } },
  { "PW", "Palau", { NULL } },
  { "PY", "Paraguay", { NULL } },
  { "QA", "Qatar", { NULL } },
  { "RE", "Réunion", { NULL } },
  { "RO", "Romania", { NULL } },
  { "RS", "Serbia", { NULL } },
  { "RU", "Russia", { "Russian Federation", "Russia" } },
  { "RW", "Rwanda", { NULL } },
  { "SA", "Saudi Arabia", { NULL } },
  { "SB", "Solomon Islands", { NULL } },
  { "SC", "Seychelles", { NULL } },
  { "SD", "Sudan", { NULL } },
  { "SE", "Sweden", { NULL } },
  { "SG", "Singapore", { NULL } },
  { "SH", "Saint Helena, Ascension and Tristan da Cunha", { NULL } },
  { "SI", "Slovenia", { NULL } },
  { "SJ", "Svalbard and Jan Mayen", { NULL } },
  { "SK", "Slovakia", { NULL } },
  { "SL", "Sierra Leone", { NULL } },
  { "SM", "San Marino", { NULL } },
  { "SN", "Senegal", { NULL } },
  { "SO", "Somalia", { NULL } },
  { "SR", "Suriname", { NULL } },
  { "SS", "South Sudan", { NULL } },
  { "ST", "São Tomé and Príncipe", { "Sao Tome and Principe", "São Tomé and Príncipe" } },
  { "SV", "El Salvador", { NULL } },
  { "SX", "Sint Maarten", { "Sint Maarten (Dutch part)", "Sint Maarten" } },
  { "SY", "Syria", { "Syria", "Syrian Arab Republic" } },
  { "SZ", "Eswatini", { NULL } },
  { "TC", "Turks and Caicos Islands", { NULL } },
  { "TD", "Chad", { NULL } },
  { "TF", "French Southern Territories", { NULL } },
  { "TG", "Togo", { NULL } },
  { "TH", "Thailand", { NULL } },
  { "TJ", "Tajikistan", { NULL } },
  { "TK", "Tokelau", { NULL } },
  { "TL", "Timor-Leste", { NULL } },
  { "TM", "Turkmenistan", { NULL } },
  { "TN", "Tunisia", { NULL } },
  { "TO", "Tonga", { NULL } },
  { "TR", "Türkiye", { NULL } },
  { "TT", "Trinidad and Tobago", { NULL } },
  { "TV", "Tuvalu", { NULL } },
  { "TW", "Taiwan", { "Taiwan", "Taiwan, Province of China" } },
  { "TZ", "Tanzania", { "Tanzania", "Tanzania, United Republic of" } },
  { "UA", "Ukraine", { NULL } },
  { "UG", "Uganda", { NULL } },
  { "UM", "U.S. Outlying Islands", { "United States Minor Outlying Islands", "U.S. Outlying Islands" } },
  { "US", "United States", { NULL } },
  { "UY", "Uruguay", { NULL } },
  { "UZ", "Uzbekistan", { NULL } },
  { "VA", "Vatican City", { "Holy See (Vatican City State)", "Vatican City" } },
  { "VC", "Saint Vincent and the Grenadines", { NULL } },
  { "VE", "Venezuela", { "Venezuela", "Venezuela, Bolivarian Republic of" } },
  { "VG", "British Virgin Islands", { "Virgin Islands, British", "British Virgin Islands" } },
  { "VI", "U.S. Virgin Islands", { "Virgin Islands, U.S.", "U.S. Virgin Islands" } },
  { "VN", "Vietnam", { "Vietnam", "Viet Nam" } },
  { "VU", "Vanuatu", { NULL } },
  { "WF", "Wallis and Futuna", { NULL } },
  { "WS", "Samoa", { NULL } },
  { "YE", "Yemen", { NULL } },
  { "YT", "Mayotte", { NULL } },
  { "ZA", "South Africa", { NULL } },
  { "ZM", "Zambia", { NULL } },
  { "ZW", "Zimbabwe", { NULL } },
};

/* Active ISO 4217 currencies (funds and precious metals left out: no customer is billed in
 * them), sorted by code. The names are as iso-codes writes them, so that its "iso_4217"
 * message catalogue translates them where it is installed (pd_currency_name). */
typedef struct
{
  const char *code;
  const char *name;
} CurrencyName;

static const CurrencyName currencies[] = {
  { "AED", "UAE Dirham" },
  { "AFN", "Afghani" },
  { "ALL", "Lek" },
  { "AMD", "Armenian Dram" },
  { "ANG", "Netherlands Antillean Guilder" },
  { "AOA", "Kwanza" },
  { "ARS", "Argentine Peso" },
  { "AUD", "Australian Dollar" },
  { "AWG", "Aruban Florin" },
  { "AZN", "Azerbaijan Manat" },
  { "BAM", "Convertible Mark" },
  { "BBD", "Barbados Dollar" },
  { "BDT", "Taka" },
  { "BGN", "Bulgarian Lev" },
  { "BHD", "Bahraini Dinar" },
  { "BIF", "Burundi Franc" },
  { "BMD", "Bermudian Dollar" },
  { "BND", "Brunei Dollar" },
  { "BOB", "Boliviano" },
  { "BOV", "Mvdol" },
  { "BRL", "Brazilian Real" },
  { "BSD", "Bahamian Dollar" },
  { "BTN", "Ngultrum" },
  { "BWP", "Pula" },
  { "BYN", "Belarusian Ruble" },
  { "BZD", "Belize Dollar" },
  { "CAD", "Canadian Dollar" },
  { "CDF", "Congolese Franc" },
  { "CHE", "WIR Euro" },
  { "CHF", "Swiss Franc" },
  { "CHW", "WIR Franc" },
  { "CLF", "Unidad de Fomento" },
  { "CLP", "Chilean Peso" },
  { "CNY", "Yuan Renminbi" },
  { "COP", "Colombian Peso" },
  { "COU", "Unidad de Valor Real" },
  { "CRC", "Costa Rican Colon" },
  { "CUP", "Cuban Peso" },
  { "CVE", "Cabo Verde Escudo" },
  { "CZK", "Czech Koruna" },
  { "DJF", "Djibouti Franc" },
  { "DKK", "Danish Krone" },
  { "DOP", "Dominican Peso" },
  { "DZD", "Algerian Dinar" },
  { "EGP", "Egyptian Pound" },
  { "ERN", "Nakfa" },
  { "ETB", "Ethiopian Birr" },
  { "EUR", "Euro" },
  { "FJD", "Fiji Dollar" },
  { "FKP", "Falkland Islands Pound" },
  { "GBP", "Pound Sterling" },
  { "GEL", "Lari" },
  { "GHS", "Ghana Cedi" },
  { "GIP", "Gibraltar Pound" },
  { "GMD", "Dalasi" },
  { "GNF", "Guinean Franc" },
  { "GTQ", "Quetzal" },
  { "GYD", "Guyana Dollar" },
  { "HKD", "Hong Kong Dollar" },
  { "HNL", "Lempira" },
  { "HTG", "Gourde" },
  { "HUF", "Forint" },
  { "IDR", "Rupiah" },
  { "ILS", "New Israeli Sheqel" },
  { "INR", "Indian Rupee" },
  { "IQD", "Iraqi Dinar" },
  { "IRR", "Iranian Rial" },
  { "ISK", "Iceland Krona" },
  { "JMD", "Jamaican Dollar" },
  { "JOD", "Jordanian Dinar" },
  { "JPY", "Yen" },
  { "KES", "Kenyan Shilling" },
  { "KGS", "Som" },
  { "KHR", "Riel" },
  { "KMF", "Comorian Franc" },
  { "KPW", "North Korean Won" },
  { "KRW", "Won" },
  { "KWD", "Kuwaiti Dinar" },
  { "KYD", "Cayman Islands Dollar" },
  { "KZT", "Tenge" },
  { "LAK", "Lao Kip" },
  { "LBP", "Lebanese Pound" },
  { "LKR", "Sri Lanka Rupee" },
  { "LRD", "Liberian Dollar" },
  { "LSL", "Loti" },
  { "LYD", "Libyan Dinar" },
  { "MAD", "Moroccan Dirham" },
  { "MDL", "Moldovan Leu" },
  { "MGA", "Malagasy Ariary" },
  { "MKD", "Denar" },
  { "MMK", "Kyat" },
  { "MNT", "Tugrik" },
  { "MOP", "Pataca" },
  { "MRU", "Ouguiya" },
  { "MUR", "Mauritius Rupee" },
  { "MVR", "Rufiyaa" },
  { "MWK", "Malawi Kwacha" },
  { "MXN", "Mexican Peso" },
  { "MXV", "Mexican Unidad de Inversion (UDI)" },
  { "MYR", "Malaysian Ringgit" },
  { "MZN", "Mozambique Metical" },
  { "NAD", "Namibia Dollar" },
  { "NGN", "Naira" },
  { "NIO", "Cordoba Oro" },
  { "NOK", "Norwegian Krone" },
  { "NPR", "Nepalese Rupee" },
  { "NZD", "New Zealand Dollar" },
  { "OMR", "Rial Omani" },
  { "PAB", "Balboa" },
  { "PEN", "Sol" },
  { "PGK", "Kina" },
  { "PHP", "Philippine Peso" },
  { "PKR", "Pakistan Rupee" },
  { "PLN", "Zloty" },
  { "PYG", "Guarani" },
  { "QAR", "Qatari Rial" },
  { "RON", "Romanian Leu" },
  { "RSD", "Serbian Dinar" },
  { "RUB", "Russian Ruble" },
  { "RWF", "Rwanda Franc" },
  { "SAR", "Saudi Riyal" },
  { "SBD", "Solomon Islands Dollar" },
  { "SCR", "Seychelles Rupee" },
  { "SDG", "Sudanese Pound" },
  { "SEK", "Swedish Krona" },
  { "SGD", "Singapore Dollar" },
  { "SHP", "Saint Helena Pound" },
  { "SLE", "Leone" },
  { "SOS", "Somali Shilling" },
  { "SRD", "Surinam Dollar" },
  { "SSP", "South Sudanese Pound" },
  { "STN", "Dobra" },
  { "SVC", "El Salvador Colon" },
  { "SYP", "Syrian Pound" },
  { "SZL", "Lilangeni" },
  { "THB", "Baht" },
  { "TJS", "Somoni" },
  { "TMT", "Turkmenistan New Manat" },
  { "TND", "Tunisian Dinar" },
  { "TOP", "Pa’anga" },
  { "TRY", "Turkish Lira" },
  { "TTD", "Trinidad and Tobago Dollar" },
  { "TWD", "New Taiwan Dollar" },
  { "TZS", "Tanzanian Shilling" },
  { "UAH", "Hryvnia" },
  { "UGX", "Uganda Shilling" },
  { "USD", "US Dollar" },
  { "USN", "US Dollar (Next day)" },
  { "UYI", "Uruguay Peso en Unidades Indexadas (UI)" },
  { "UYU", "Peso Uruguayo" },
  { "UYW", "Unidad Previsional" },
  { "UZS", "Uzbekistan Sum" },
  { "VED", "Bolívar Soberano" },
  { "VES", "Bolívar Soberano" },
  { "VND", "Dong" },
  { "VUV", "Vatu" },
  { "WST", "Tala" },
  { "XAF", "CFA Franc BEAC" },
  { "XCD", "East Caribbean Dollar" },
  { "XCG", "Caribbean Guilder" },
  { "XOF", "CFA Franc BCEAO" },
  { "XPF", "CFP Franc" },
  { "YER", "Yemeni Rial" },
  { "ZAR", "Rand" },
  { "ZMW", "Zambian Kwacha" },
  { "ZWG", "Zimbabwe Gold" },
  { "ZWL", "Zimbabwe Dollar" },
};

static int
compare_country (const void *key,
                 const void *element)
{
  return strcmp (key, ((const CountryName *) element)->code);
}

static const CountryName *
find_country (const char *iso2)
{
  if (iso2 == NULL || strlen (iso2) != 2)
    return NULL;
  return bsearch (iso2, country_names, G_N_ELEMENTS (country_names), sizeof (CountryName),
                  compare_country);
}

gboolean
pd_country_code_is_valid (const char *iso2)
{
  return find_country (iso2) != NULL;
}

const char * const *
pd_country_codes (void)
{
  static const char **codes = NULL;

  if (g_once_init_enter (&codes))
    {
      const char **all = g_new0 (const char *, G_N_ELEMENTS (country_names) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (country_names); i++)
        all[i] = country_names[i].code;
      g_once_init_leave (&codes, all);
    }
  return codes;
}

/* iso-codes' catalogue of country names, in UTF-8 whatever the locale's encoding. */
static const char *
iso_3166_domain (void)
{
  static gsize bound = 0;

  if (g_once_init_enter (&bound))
    {
      bind_textdomain_codeset ("iso_3166-1", "UTF-8");
      g_once_init_leave (&bound, 1);
    }
  return "iso_3166-1";
}

const char *
pd_country_name (const char *iso2)
{
  const CountryName *country = find_country (iso2);

  if (country == NULL)
    return iso2;
  if (country->iso_names[0] == NULL)
    return g_dgettext (iso_3166_domain (), country->name);
  for (guint i = 0; i < G_N_ELEMENTS (country->iso_names) && country->iso_names[i] != NULL; i++)
    {
      const char *translated = g_dgettext (iso_3166_domain (), country->iso_names[i]);

      /* dgettext returns its argument itself when it has no translation. */
      if (translated != country->iso_names[i])
        return translated;
    }
  /* An English locale, or iso-codes lacks the language or the name: Microsoft's name. */
  return country->name;
}

static int
compare_currency (const void *key,
                  const void *element)
{
  return strcmp (key, ((const CurrencyName *) element)->code);
}

static const CurrencyName *
find_currency (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return NULL;
  return bsearch (code, currencies, G_N_ELEMENTS (currencies), sizeof (CurrencyName),
                  compare_currency);
}

gboolean
pd_currency_code_is_valid (const char *code)
{
  return find_currency (code) != NULL;
}

/* iso-codes' catalogue of currency names, its messages asked for in UTF-8 whatever the
 * locale's encoding, as every other string of the app. */
static const char *
iso_4217_domain (void)
{
  static gsize bound = 0;

  if (g_once_init_enter (&bound))
    {
      bind_textdomain_codeset ("iso_4217", "UTF-8");
      g_once_init_leave (&bound, 1);
    }
  return "iso_4217";
}

const char *
pd_currency_name (const char *code)
{
  const CurrencyName *currency = find_currency (code);

  return currency != NULL ? g_dgettext (iso_4217_domain (), currency->name) : NULL;
}

const char * const *
pd_currency_codes (void)
{
  static const char **codes = NULL;

  if (g_once_init_enter (&codes))
    {
      const char **all = g_new0 (const char *, G_N_ELEMENTS (currencies) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
        all[i] = currencies[i].code;
      g_once_init_leave (&codes, all);
    }
  return codes;
}

/* --- PdCountryRule ------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (PdCountryRule, pd_country_rule, pd_country_rule_copy, pd_country_rule_free)

PdCountryRule *
pd_country_rule_new (const char *iso2)
{
  PdCountryRule *rule = g_new0 (PdCountryRule, 1);

  rule->iso2 = g_strdup (iso2);
  return rule;
}

PdCountryRule *
pd_country_rule_copy (const PdCountryRule *rule)
{
  PdCountryRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = g_memdup2 (rule, sizeof *rule);
  copy->iso2 = g_strdup (rule->iso2);
  copy->allowed_states = g_strdupv (rule->allowed_states);
  copy->postal_code_pattern = g_strdup (rule->postal_code_pattern);
  copy->phone_pattern = g_strdup (rule->phone_pattern);
  copy->default_culture = g_strdup (rule->default_culture);
  return copy;
}

void
pd_country_rule_free (PdCountryRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->iso2);
  g_strfreev (rule->allowed_states);
  g_free (rule->postal_code_pattern);
  g_free (rule->phone_pattern);
  g_free (rule->default_culture);
  g_free (rule);
}

/* Key names of the .ini groups, shared by the bundled file and the store's cache. */
#define KEY_STATE_REQUIRED        "StateRequired"
#define KEY_STATES                "States"
#define KEY_POSTAL_REQUIRED       "PostalCodeRequired"
#define KEY_POSTAL_PATTERN        "PostalCodePattern"
#define KEY_CITY_REQUIRED         "CityRequired"
#define KEY_PHONE_REQUIRED        "PhoneRequired"
#define KEY_PHONE_PATTERN         "PhonePattern"
#define KEY_REGISTRATION_REQUIRED "RegistrationNumberRequired"
#define KEY_DEFAULT_CULTURE       "DefaultCulture"

/* A missing key means FALSE / unset; a malformed value is an error. */
static gboolean
read_bool (GKeyFile    *key_file,
           const char  *group,
           const char  *key,
           gboolean    *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = g_key_file_get_boolean (key_file, group, key, &local_error);
  if (local_error == NULL || g_error_matches (local_error, G_KEY_FILE_ERROR,
                                              G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static char *
read_string (GKeyFile   *key_file,
             const char *group,
             const char *key)
{
  char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static char **
read_states (GKeyFile   *key_file,
             const char *group)
{
  char **states = g_key_file_get_string_list (key_file, group, KEY_STATES, NULL, NULL);

  if (states != NULL && states[0] == NULL)
    g_clear_pointer (&states, g_strfreev);
  return states;
}

static gboolean
is_iso2_shape (const char *text)
{
  return text != NULL && g_ascii_isupper (text[0]) && g_ascii_isupper (text[1]) && text[2] == '\0';
}

static PdCountryRule *
rule_from_key_file (GKeyFile    *key_file,
                    const char  *group,
                    GError     **error)
{
  g_autoptr(PdCountryRule) rule = NULL;

  if (!is_iso2_shape (group))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "“%s” is not an ISO 3166-1 alpha-2 code", group);
      return NULL;
    }
  rule = pd_country_rule_new (group);
  if (!read_bool (key_file, group, KEY_STATE_REQUIRED, &rule->state_required, error)
      || !read_bool (key_file, group, KEY_POSTAL_REQUIRED, &rule->postal_code_required, error)
      || !read_bool (key_file, group, KEY_CITY_REQUIRED, &rule->city_required, error)
      || !read_bool (key_file, group, KEY_PHONE_REQUIRED, &rule->phone_required, error)
      || !read_bool (key_file, group, KEY_REGISTRATION_REQUIRED,
                     &rule->registration_number_required, error))
    return NULL;
  rule->allowed_states = read_states (key_file, group);
  rule->postal_code_pattern = read_string (key_file, group, KEY_POSTAL_PATTERN);
  rule->phone_pattern = read_string (key_file, group, KEY_PHONE_PATTERN);
  rule->default_culture = read_string (key_file, group, KEY_DEFAULT_CULTURE);
  return g_steal_pointer (&rule);
}

static void
set_string_if (GKeyFile   *key_file,
               const char *group,
               const char *key,
               const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
}

char *
pd_country_rule_to_string (const PdCountryRule *rule)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  const char *group;

  g_return_val_if_fail (rule != NULL && rule->iso2 != NULL, NULL);

  group = rule->iso2;
  g_key_file_set_boolean (key_file, group, KEY_STATE_REQUIRED, rule->state_required);
  if (rule->allowed_states != NULL)
    g_key_file_set_string_list (key_file, group, KEY_STATES,
                                (const char * const *) rule->allowed_states,
                                g_strv_length (rule->allowed_states));
  g_key_file_set_boolean (key_file, group, KEY_POSTAL_REQUIRED, rule->postal_code_required);
  set_string_if (key_file, group, KEY_POSTAL_PATTERN, rule->postal_code_pattern);
  g_key_file_set_boolean (key_file, group, KEY_CITY_REQUIRED, rule->city_required);
  g_key_file_set_boolean (key_file, group, KEY_PHONE_REQUIRED, rule->phone_required);
  set_string_if (key_file, group, KEY_PHONE_PATTERN, rule->phone_pattern);
  g_key_file_set_boolean (key_file, group, KEY_REGISTRATION_REQUIRED,
                          rule->registration_number_required);
  set_string_if (key_file, group, KEY_DEFAULT_CULTURE, rule->default_culture);
  return g_key_file_to_data (key_file, NULL, NULL);
}

PdCountryRule *
pd_country_rule_from_string (const char  *text,
                             GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *group = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_key_file_load_from_data (key_file, text, -1, G_KEY_FILE_NONE, error))
    return NULL;
  group = g_key_file_get_start_group (key_file);
  if (group == NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                           "No country group in the rule text");
      return NULL;
    }
  return rule_from_key_file (key_file, group, error);
}

void
pd_missing_field_free (PdMissingField *missing)
{
  if (missing == NULL)
    return;
  g_free (missing->reason);
  g_free (missing);
}

/* --- PdCountryRules ----------------------------------------------------------------------- */

struct _PdCountryRules
{
  GObject     parent_instance;

  GHashTable *rules;    /* iso2 (owned by the rule) → PdCountryRule */
  /* pattern → GRegex, or NULL for a pattern GRegex cannot compile (so it is tried once).
   * Guarded by regex_lock: completeness may be computed from a worker thread. */
  GHashTable *regexes;
  GMutex      regex_lock;
};

G_DEFINE_FINAL_TYPE (PdCountryRules, pd_country_rules, G_TYPE_OBJECT)

static void
pd_country_rules_finalize (GObject *object)
{
  PdCountryRules *self = PD_COUNTRY_RULES (object);

  g_hash_table_unref (self->rules);
  g_hash_table_unref (self->regexes);
  g_mutex_clear (&self->regex_lock);

  G_OBJECT_CLASS (pd_country_rules_parent_class)->finalize (object);
}

static void
pd_country_rules_class_init (PdCountryRulesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_country_rules_finalize;
}

static void
regex_unref0 (gpointer regex)
{
  if (regex != NULL)
    g_regex_unref (regex);
}

static void
pd_country_rules_init (PdCountryRules *self)
{
  self->rules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) pd_country_rule_free);
  self->regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, regex_unref0);
  g_mutex_init (&self->regex_lock);
}

static void
load_rules (PdCountryRules *self,
            GKeyFile       *key_file)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      PdCountryRule *rule = rule_from_key_file (key_file, groups[i], &error);

      /* The bundled file is ours and tested; a bad group loses only that country. */
      if (rule == NULL)
        g_warning ("Skipping bundled country rule %s: %s", groups[i], error->message);
      else
        g_hash_table_replace (self->rules, rule->iso2, rule);
    }
}

PdCountryRules *
pd_country_rules_new_bundled (void)
{
  PdCountryRules *self = g_object_new (PD_TYPE_COUNTRY_RULES, NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* Looked up in our own GResource (not the global registry): referencing it also keeps the
   * resource object in the link when libpd-core is used as a static library. */
  bytes = g_resource_lookup_data (pd_core_get_resource (), RULES_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL || !g_key_file_load_from_bytes (key_file, bytes, G_KEY_FILE_NONE, &error))
    {
      g_critical ("Cannot load the bundled country rules: %s", error->message);
      return self;
    }
  load_rules (self, key_file);
  return self;
}

const PdCountryRule *
pd_country_rules_lookup (PdCountryRules *self,
                         const char     *iso2)
{
  g_return_val_if_fail (PD_IS_COUNTRY_RULES (self), NULL);

  if (iso2 == NULL)
    return NULL;
  return g_hash_table_lookup (self->rules, iso2);
}

void
pd_country_rules_replace (PdCountryRules      *self,
                          const PdCountryRule *rule)
{
  PdCountryRule *copy;

  g_return_if_fail (PD_IS_COUNTRY_RULES (self));
  g_return_if_fail (rule != NULL && is_iso2_shape (rule->iso2));

  copy = pd_country_rule_copy (rule);
  g_hash_table_replace (self->rules, copy->iso2, copy);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

char **
pd_country_rules_dup_countries (PdCountryRules *self)
{
  g_autofree const char **keys = NULL;
  char **countries;
  guint n = 0;

  g_return_val_if_fail (PD_IS_COUNTRY_RULES (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->rules, &n);
  countries = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    countries[i] = g_strdup (keys[i]);
  qsort (countries, n, sizeof (char *), compare_strings);
  return countries;
}

/* --- Completeness ------------------------------------------------------------------------- */

/* Returns the compiled pattern, or NULL when it does not compile. */
static GRegex *
lookup_regex (PdCountryRules *self,
              const char     *pattern,
              const char     *iso2)
{
  /* Held to the end of the function (clang sees no use of it). */
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->regex_lock);
  g_autoptr(GError) error = NULL;
  gpointer cached;
  GRegex *regex;

  if (g_hash_table_lookup_extended (self->regexes, pattern, NULL, &cached))
    return cached;

  /* Partner Center writes .NET regexes; PCRE accepts nearly all of them. One it rejects must
   * not block the user, so the check is skipped (as Microsoft's own validator would pass). */
  regex = g_regex_new (pattern, 0, 0, &error);
  if (regex == NULL)
    g_debug ("Ignoring a pattern of country %s that GRegex cannot compile: %s",
             iso2, error->message);
  g_hash_table_insert (self->regexes, g_strdup (pattern), regex);
  return regex;
}

/* TRUE when the value matches, or when the pattern is absent or unusable. */
static gboolean
matches_pattern (PdCountryRules *self,
                 const char     *pattern,
                 const char     *iso2,
                 const char     *value)
{
  GRegex *regex;

  if (self == NULL || pattern == NULL)
    return TRUE;
  regex = lookup_regex (self, pattern, iso2);
  return regex == NULL || g_regex_match (regex, value, 0, NULL);
}

/* A deliberately loose shape check (name@domain.tld, no spaces): Partner Center does the
 * real validation, this only catches obvious typos before the user saves. */
static gboolean
is_email_shaped (const char *email)
{
  const char *at = strchr (email, '@');
  const char *dot;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return FALSE;
    }
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at, "..") == NULL;
}

static gboolean
strv_contains0 (char       **strv,
                const char  *value)
{
  return strv == NULL || g_strv_contains ((const char * const *) strv, value);
}

typedef struct {
  const PdBillTo *bill_to;
  char           *reasons[PD_BILL_TO_N_FIELDS];
  const char     *country_name;   /* looked up only when a reason names it (country_name_of) */
} Check;

static const char *
value_of (Check         *check,
          PdBillToField  field)
{
  return check->bill_to->values[field];
}

/* The bill-to country's name in the user's language, for a reason to name: asked of
 * iso-codes (gettext) only when a reason is written, not for every complete bill-to a sync
 * checks. */
static const char *
country_name_of (Check *check)
{
  if (check->country_name == NULL)
    check->country_name = pd_country_name (value_of (check, PD_BILL_TO_COUNTRY));
  return check->country_name;
}

/* Keeps the first problem found for a field: "required" is checked before "invalid". */
G_GNUC_PRINTF (3, 4)
static void
report (Check         *check,
        PdBillToField  field,
        const char    *format,
        ...)
{
  va_list args;

  if (check->reasons[field] != NULL)
    return;
  va_start (args, format);
  check->reasons[field] = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
check_required (Check         *check,
                PdBillToField  field)
{
  if (value_of (check, field) == NULL)
    /* Translators: %s is a field label such as "Address line 1". */
    report (check, field, _("%s is required"), pd_bill_to_field_label (field));
}

static void
check_universal (Check *check)
{
  static const PdBillToField required[] = {
    PD_BILL_TO_COMPANY_NAME, PD_BILL_TO_CULTURE, PD_BILL_TO_LANGUAGE, PD_BILL_TO_ADDRESS_LINE1,
    PD_BILL_TO_ADDRESS_FIRST_NAME, PD_BILL_TO_ADDRESS_LAST_NAME,
  };
  const char *email = value_of (check, PD_BILL_TO_EMAIL);
  const char *country = value_of (check, PD_BILL_TO_COUNTRY);

  if (email == NULL)
    report (check, PD_BILL_TO_EMAIL, "%s", _("An e-mail address is required"));
  else if (!is_email_shaped (email))
    /* Translators: %s is what the user typed. */
    report (check, PD_BILL_TO_EMAIL, _("“%s” is not a valid e-mail address"), email);

  if (country == NULL)
    report (check, PD_BILL_TO_COUNTRY, "%s", _("A country is required"));
  else if (!pd_country_code_is_valid (country))
    /* Translators: %s is what the user typed, e.g. "UK" (the code is "GB"). */
    report (check, PD_BILL_TO_COUNTRY, _("“%s” is not a two-letter ISO country code"), country);

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    check_required (check, required[i]);
}

static void
check_postal_code (Check               *check,
                   PdCountryRules      *rules,
                   const PdCountryRule *rule)
{
  const char *postal_code = value_of (check, PD_BILL_TO_POSTAL_CODE);

  if (postal_code == NULL)
    {
      if (rule->postal_code_required)
        /* Translators: %s is a country name. */
        report (check, PD_BILL_TO_POSTAL_CODE, _("A postal code is required in %s"),
                country_name_of (check));
    }
  else if (!matches_pattern (rules, rule->postal_code_pattern, rule->iso2, postal_code))
    {
      /* Translators: the first %s is the postal code typed, the second a country name. */
      report (check, PD_BILL_TO_POSTAL_CODE, _("“%s” is not a valid postal code for %s"),
              postal_code, country_name_of (check));
    }
}

static void
check_state (Check               *check,
             const PdCountryRule *rule)
{
  const char *state = value_of (check, PD_BILL_TO_STATE);

  if (state == NULL)
    {
      if (rule->state_required)
        /* Translators: %s is a country name. */
        report (check, PD_BILL_TO_STATE, _("A state is required in %s"),
                country_name_of (check));
    }
  else if (!strv_contains0 (rule->allowed_states, state))
    {
      /* Translators: the first %s is the state code typed, the second a country name. */
      report (check, PD_BILL_TO_STATE, _("“%s” is not a state of %s"), state,
              country_name_of (check));
    }
}

static void
check_phone (Check               *check,
             PdCountryRules      *rules,
             const PdCountryRule *rule)
{
  const char *phone = value_of (check, PD_BILL_TO_PHONE_NUMBER);

  if (phone == NULL)
    {
      if (rule->phone_required)
        /* Translators: %s is a country name. */
        report (check, PD_BILL_TO_PHONE_NUMBER, _("A phone number is required in %s"),
                country_name_of (check));
    }
  else if (!matches_pattern (rules, rule->phone_pattern, rule->iso2, phone))
    {
      /* Translators: the first %s is the phone number typed, the second a country name. */
      report (check, PD_BILL_TO_PHONE_NUMBER, _("“%s” is not a valid phone number for %s"),
              phone, country_name_of (check));
    }
}

static void
check_country_rule (Check          *check,
                    PdCountryRules *rules)
{
  const char *country = value_of (check, PD_BILL_TO_COUNTRY);
  const PdCountryRule *rule;

  if (rules == NULL || country == NULL)
    return;
  rule = pd_country_rules_lookup (rules, country);
  if (rule == NULL)
    return;

  if (rule->city_required && value_of (check, PD_BILL_TO_CITY) == NULL)
    /* Translators: %s is a country name. */
    report (check, PD_BILL_TO_CITY, _("A city is required in %s"), country_name_of (check));
  check_postal_code (check, rules, rule);
  check_state (check, rule);
  check_phone (check, rules, rule);
}

GPtrArray *
pd_bill_to_missing_fields (const PdBillTo *bill_to,
                           PdCountryRules *rules)
{
  static const PdBillTo empty;
  GPtrArray *missing;
  Check check = { 0 };

  g_return_val_if_fail (rules == NULL || PD_IS_COUNTRY_RULES (rules), NULL);

  check.bill_to = bill_to != NULL ? bill_to : &empty;
  check_universal (&check);
  check_country_rule (&check, rules);

  missing = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_missing_field_free);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      PdMissingField *field;

      if (check.reasons[i] == NULL)
        continue;
      field = g_new0 (PdMissingField, 1);
      field->field = i;
      field->reason = check.reasons[i];
      g_ptr_array_add (missing, field);
    }
  return missing;
}

/* ---- completeness of an organization: the bill-to and the registration number ---- */

#define REGISTRATION_NUMBER_PATH "registrationNumber"

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static PdMissingField *
registration_number_problem (const PdBillTo *bill_to,
                             const char     *registration_number,
                             PdCountryRules *rules)
{
  const char *country = bill_to != NULL ? pd_bill_to_get (bill_to, PD_BILL_TO_COUNTRY) : NULL;
  const PdCountryRule *rule;
  PdMissingField *problem;

  if (rules == NULL || country == NULL || !is_blank (registration_number))
    return NULL;
  rule = pd_country_rules_lookup (rules, country);
  if (rule == NULL || !rule->registration_number_required)
    return NULL;
  problem = g_new0 (PdMissingField, 1);
  problem->field = PD_MISSING_REGISTRATION_NUMBER;
  /* Translators: %s is a country name. */
  problem->reason = g_strdup_printf (_("A registration number is required in %s"),
                                     pd_country_name (country));
  return problem;
}

GPtrArray *
pd_missing_fields_for_orders (PdOrganization *org,
                              PdCountryRules *rules)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION (org), NULL);
  return pd_missing_fields_for (pd_organization_get_ordering_bill_to (org),
                                pd_organization_get_ordering_registration_number (org), rules);
}

const char *
pd_missing_fields_local_registration_note (PdOrganization *org,
                                           GPtrArray      *ordering)
{
  const PdMissingField *only;

  g_return_val_if_fail (PD_IS_ORGANIZATION (org), NULL);
  if (ordering == NULL || ordering->len != 1
      || pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL
      || is_blank (pd_organization_get_registration_number (org)))
    return NULL;
  only = g_ptr_array_index (ordering, 0);
  if (only->field != PD_MISSING_REGISTRATION_NUMBER)
    return NULL;
  return _("Registration number kept only in Partner Desk — it is not sent to Partner Center, "
           "and Partner Center’s own is not read, so Microsoft may refuse orders until Partner "
           "Center has one");
}

char *
pd_missing_fields_join_labels (GPtrArray *missing)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; missing != NULL && i < missing->len; i++)
    {
      const PdMissingField *m = g_ptr_array_index (missing, i);

      if (i > 0)
        /* Translators: between the names of missing bill-to fields, "State, Postal code" */
        g_string_append (text, _(", "));
      g_string_append (text, pd_missing_field_label (m->field));
    }
  return g_string_free (text, FALSE);
}

GPtrArray *
pd_missing_fields_for (const PdBillTo *bill_to,
                       const char     *registration_number,
                       PdCountryRules *rules)
{
  GPtrArray *missing;
  PdMissingField *problem;

  g_return_val_if_fail (rules == NULL || PD_IS_COUNTRY_RULES (rules), NULL);

  missing = pd_bill_to_missing_fields (bill_to, rules);
  problem = registration_number_problem (bill_to, registration_number, rules);
  if (problem != NULL)
    g_ptr_array_add (missing, problem);
  return missing;
}

const char *
pd_missing_field_path (PdBillToField field)
{
  if (field == PD_MISSING_REGISTRATION_NUMBER)
    return REGISTRATION_NUMBER_PATH;
  return pd_bill_to_field_path (field);
}

const char *
pd_missing_field_label (PdBillToField field)
{
  if (field == PD_MISSING_REGISTRATION_NUMBER)
    return _("Registration number");
  return pd_bill_to_field_label (field);
}

gboolean
pd_missing_field_from_path (const char    *path,
                            PdBillToField *out_field)
{
  if (g_strcmp0 (path, REGISTRATION_NUMBER_PATH) != 0)
    return pd_bill_to_field_from_path (path, out_field);
  if (out_field != NULL)
    *out_field = PD_MISSING_REGISTRATION_NUMBER;
  return TRUE;
}
