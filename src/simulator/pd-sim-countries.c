/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-countries.c — per-country sample material for the generator: names in the language
 * of the country, legal forms, real cities with postal codes (and states where Partner Center
 * requires one) that match the country's postal code pattern, streets and phone formats.
 *
 * Lists are space separated ("Müller Schmidt") or '|' separated when an entry has spaces.
 * Cities are "City;postal code;state". Templates: {S} {S2} surnames, {T} trade, {C} city,
 * {X} legal form.
 */
#include "pd-sim-countries.h"

#include <string.h>

static const PdSimCountry countries[] = {
  { .info = { "US", "en-US", TRUE, TRUE, FALSE, "^\\d{5}(-\\d{4})?$",
              "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
              "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC", "1" },
    .weight = 18, .language = "en", .tld = "com",
    .surnames = "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas "
                "Moore Martin Jackson Thompson White Harris Clark Lewis Walker Hall Young King "
                "Wright Hill Green Baker Adams Nelson Carter Mitchell Roberts Turner Parker",
    .first_names = "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth "
                   "William Susan Richard Jessica Joseph Sarah Thomas Karen Daniel Emily",
    .trades = "Plumbing|Construction|Logistics|Dental Group|Law Offices|Accounting|Auto Repair|"
              "Landscaping|Roofing|Consulting|Insurance Agency|Realty|Bakery|Machine Works|"
              "Medical Supply|Electric|Trucking|Printing|Hardware|Veterinary Clinic",
    .suffixes = "Inc.|LLC|Corp.|Co.|Inc.|LLC",
    .templates = "{S} {T} {X}|{S} & {S2} {T} {X}|{C} {T} {X}|{S} {T}",
    .cities = "Seattle;98101;WA|Portland;97204;OR|Austin;78701;TX|Denver;80202;CO|"
              "Chicago;60601;IL|Boston;02108;MA|Atlanta;30303;GA|Phoenix;85004;AZ|"
              "Columbus;43215;OH|Nashville;37203;TN|Madison;53703;WI|Raleigh;27601;NC|"
              "Sacramento;95814;CA|Buffalo;14202;NY|Omaha;68102;NE|Boise;83702;ID",
    .streets = "Main Street|Oak Avenue|Maple Drive|Pine Street|Cedar Lane|Washington Avenue|"
               "Lake Road|Park Boulevard|Elm Street|Hillside Drive",
    .number_first = TRUE, .phone_format = "+1 ### ### ####" },
  { .info = { "GB", "en-GB", FALSE, TRUE, FALSE,
              "^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|([A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?)|[0-9][A-HJKPS-UW]) ?[0-9][ABD-HJLNP-UW-Z]{2})$",
              NULL, "44" },
    .weight = 10, .language = "en", .tld = "co.uk",
    .surnames = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright "
                "Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes "
                "Edwards Turner Cooper Harrison Ward Morris Baker Lloyd",
    .first_names = "Oliver Amelia George Isla Harry Ava Jack Emily Charlie Sophie Thomas Grace "
                   "Jacob Lily Alfie Freya William Ella Joshua Chloe",
    .trades = "Builders|Joinery|Solicitors|Accountants|Haulage|Engineering|Estate Agents|"
              "Garden Centre|Motors|Print|Catering|Electrical|Architects|Opticians|Plumbing",
    .suffixes = "Ltd|Limited|LLP|plc|Ltd",
    .templates = "{S} {T} {X}|{S} & {S2} {X}|{C} {T} {X}|{S} {T}",
    .cities = "London;SW1A 1AA|Manchester;M1 1AE|Birmingham;B1 1BB|Leeds;LS1 4AP|"
              "Edinburgh;EH1 1YZ|Bristol;BS1 4ST|Glasgow;G1 1XQ|Liverpool;L1 8JQ|"
              "Cambridge;CB2 1TN|Oxford;OX1 2JD|Newcastle upon Tyne;NE1 7RU|Cardiff;CF10 1EP",
    .streets = "High Street|Station Road|Church Lane|Victoria Road|Mill Lane|Park Road|"
               "Queen Street|King Street|London Road|The Green",
    .number_first = TRUE, .phone_format = "+44 20 #### ####" },
  { .info = { "DE", "de-DE", FALSE, TRUE, FALSE, "^\\d{5}$", NULL, "49" },
    .weight = 10, .language = "de", .tld = "de",
    .surnames = "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann "
                "Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann "
                "Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann",
    .first_names = "Lukas Anna Jonas Lea Leon Hannah Finn Mia Paul Emma Felix Sophie Maximilian "
                   "Marie Elias Johanna Noah Laura Ben Katharina",
    .trades = "Maschinenbau|Bau|Elektrotechnik|Spedition|Steuerberatung|Metallbau|Haustechnik|"
              "Druckerei|Autohaus|Bäckerei|Immobilien|Holzbau|Landtechnik|Gartenbau|Systemhaus",
    .suffixes = "GmbH|GmbH & Co. KG|AG|KG|e.K.|GmbH",
    .templates = "{S} {T} {X}|{T} {S} {X}|{P} {T} {X}|{S} & {S2} {X}",
    .places = "Berliner Hamburger Münchner Kölner Frankfurter Stuttgarter Düsseldorfer "
              "Leipziger Dortmunder Bremer Nürnberger Dresdner Freiburger Allgäuer Schwäbische",
    .cities = "Berlin;10115|Hamburg;20095|München;80331|Köln;50667|Frankfurt am Main;60311|"
              "Stuttgart;70173|Düsseldorf;40213|Leipzig;04109|Dortmund;44135|Bremen;28195|"
              "Hannover;30159|Nürnberg;90402|Dresden;01067|Freiburg im Breisgau;79098",
    .streets = "Hauptstraße|Bahnhofstraße|Schulstraße|Gartenstraße|Dorfstraße|Bergstraße|"
               "Lindenstraße|Kirchstraße|Industriestraße|Goethestraße",
    .number_first = FALSE, .phone_format = "+49 ### #######" },
  { .info = { "FR", "fr-FR", FALSE, TRUE, FALSE, "^\\d{5}$", NULL, "33" },
    .weight = 8, .language = "fr", .tld = "fr",
    .surnames = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon "
                "Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel "
                "Girard André Lefèvre Mercier Dupont Lambert Bonnet François Martinez",
    .first_names = "Gabriel Louise Léo Jade Raphaël Emma Arthur Alice Louis Chloé Lucas Léa "
                   "Hugo Manon Jules Camille Adam Inès Nathan Zoé",
    .trades = "Boulangerie|Menuiserie|Transports|Plomberie|Cabinet Comptable|Électricité|"
              "Maçonnerie|Pharmacie|Garage|Imprimerie|Charpente|Fromagerie|Conseil|Immobilier",
    .suffixes = "SARL|SAS|SA|EURL|SASU",
    .templates = "{T} {S} {X}|{T} {S} et Fils {X}|{T} de {C} {X}|{S} & {S2} {X}",
    .cities = "Paris;75001|Lyon;69001|Marseille;13001|Toulouse;31000|Nice;06000|Nantes;44000|"
              "Strasbourg;67000|Montpellier;34000|Bordeaux;33000|Lille;59000|Rennes;35000|"
              "Reims;51100|Dijon;21000|Grenoble;38000",
    .streets = "rue de la République|avenue Victor Hugo|rue Pasteur|boulevard Gambetta|"
               "rue du Moulin|place de l'Église|rue Jean Jaurès|avenue de la Gare",
    .number_first = TRUE, .phone_format = "+33 # ## ## ## ##" },
  { .info = { "FI", "fi-FI", FALSE, TRUE, FALSE, "^\\d{5}$", NULL, "358" },
    .weight = 6, .language = "fi", .tld = "fi",
    .surnames = "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen "
                "Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen "
                "Salonen Turunen",
    .company_surnames = "Korhosen Virtasen Mäkisen Niemisen Mäkelän Hämäläisen Laineen "
                        "Heikkisen Koskisen Järvisen Lehtosen Lehtisen Saarisen Salmisen "
                        "Heinosen Niemen Heikkilän Kinnusen Salosen Turusen",
    .first_names = "Juhani Maria Johannes Helena Mikael Johanna Olavi Anneli Antero Kaarina "
                   "Tapani Marjatta Kalevi Liisa Matti Sofia Ilmari Aino Eino Emilia",
    .trades = "Rakennus|Sähkö|Kuljetus|Konepaja|Tilitoimisto|Puutarha|Putkityö|Kiinteistöhuolto|"
              "Metalli|Maalaus|Saha|Autokorjaamo|Leipomo|Lakitoimisto",
    .suffixes = "Oy|Oy|Ky|Oy Ab|Tmi",
    .templates = "{S} {T} {X}|{P} {T} {X}|{S} {T} {X}",
    .places = "Helsingin Espoon Tampereen Vantaan Oulun Turun Jyväskylän Lahden Kuopion Porin "
              "Joensuun Vaasan Pohjolan Savon Karjalan Lapin",
    .cities = "Helsinki;00100|Espoo;02100|Tampere;33100|Vantaa;01300|Oulu;90100|Turku;20100|"
              "Jyväskylä;40100|Lahti;15100|Kuopio;70100|Pori;28100|Joensuu;80100|Vaasa;65100",
    .streets = "Mannerheimintie|Hämeenkatu|Kauppakatu|Koulukatu|Asemakatu|Rantatie|"
               "Teollisuustie|Kirkkokatu|Puistokatu|Aleksanterinkatu",
    .number_first = FALSE, .phone_format = "+358 ## ### ####" },
  { .info = { "SE", "sv-SE", FALSE, TRUE, FALSE, "^\\d{3}\\s?\\d{2}$", NULL, "46" },
    .weight = 6, .language = "sv", .tld = "se",
    .surnames = "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
                "Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg "
                "Jakobsson Magnusson Lindström",
    .first_names = "Lars Anna Karl Eva Erik Maria Anders Karin Johan Kristina Per Lena Nils "
                   "Sara Lennart Emma Mikael Ingrid Oskar Elsa",
    .trades = "Bygg|Åkeri|El|Rör|Redovisning|Snickeri|Måleri|Fastigheter|Verkstad|Transport|"
              "Konsult|Trädgård|Bageri|Mekaniska",
    .suffixes = "AB|AB|HB|Aktiebolag",
    .templates = "{S}s {T} {X}|{C} {T} {X}|{S} & {S2} {T} {X}",
    .cities = "Stockholm;111 20|Göteborg;411 01|Malmö;211 20|Uppsala;753 20|Västerås;722 11|"
              "Örebro;702 10|Linköping;582 22|Helsingborg;252 21|Umeå;903 26|Luleå;972 31",
    .streets = "Storgatan|Drottninggatan|Kungsgatan|Skolgatan|Järnvägsgatan|Södra vägen|"
               "Industrivägen|Kyrkogatan|Parkvägen|Strandvägen",
    .number_first = FALSE, .phone_format = "+46 8 ### ### ##" },
  { .info = { "NO", "nb-NO", FALSE, TRUE, FALSE, "^\\d{4}$", NULL, "47" },
    .weight = 4, .language = "nb", .tld = "no",
    .surnames = "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen "
                "Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen "
                "Jacobsen Dahl",
    .first_names = "Jan Anne Per Inger Bjørn Kari Ole Marit Lars Ingrid Kjell Liv Knut Eva "
                   "Arne Berit Svein Astrid Hans Solveig",
    .trades = "Bygg|Transport|Elektro|Rørlegger|Regnskap|Eiendom|Maskin|Snekkeri|Fiskeri|"
              "Verksted|Maling|Anlegg",
    .suffixes = "AS|AS|ASA|ANS",
    .templates = "{S} {T} {X}|{C} {T} {X}|{S} & {S2} {X}",
    .cities = "Oslo;0150|Bergen;5003|Trondheim;7010|Stavanger;4006|Drammen;3015|"
              "Kristiansand;4610|Tromsø;9008|Bodø;8006|Ålesund;6002|Fredrikstad;1606",
    .streets = "Storgata|Kirkegata|Strandgata|Skolegata|Industriveien|Parkveien|Sjøgata|"
               "Jernbanegata",
    .number_first = FALSE, .phone_format = "+47 ## ## ## ##" },
  { .info = { "DK", "da-DK", FALSE, TRUE, FALSE, "^\\d{4}$", NULL, "45" },
    .weight = 4, .language = "da", .tld = "dk",
    .surnames = "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
                "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen "
                "Johansen Møller Mortensen",
    .first_names = "Peter Anne Jens Kirsten Lars Hanne Michael Mette Henrik Anna Søren Helle "
                   "Thomas Susanne Jan Lene Niels Maria Christian Marianne",
    .trades = "Byg|Transport|El-service|VVS|Revision|Tømrer|Maskinfabrik|Malerfirma|Ejendomme|"
              "Entreprenør|Auto|Bageri",
    .suffixes = "ApS|A/S|ApS|I/S",
    .templates = "{S}s {T} {X}|{C} {T} {X}|{S} & {S2} {X}",
    .cities = "København;1050|Aarhus;8000|Odense;5000|Aalborg;9000|Esbjerg;6700|Randers;8900|"
              "Kolding;6000|Horsens;8700|Vejle;7100|Roskilde;4000",
    .streets = "Hovedgaden|Vestergade|Østergade|Nørregade|Søndergade|Skolevej|Industrivej|"
               "Kirkevej|Stationsvej|Strandvejen",
    .number_first = FALSE, .phone_format = "+45 ## ## ## ##" },
  { .info = { "NL", "nl-NL", FALSE, TRUE, FALSE, "^\\d{4}\\s?[A-Za-z]{2}$", NULL, "31" },
    .weight = 6, .language = "nl", .tld = "nl",
    .surnames = "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|"
                "de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer",
    .first_names = "Daan Emma Sem Julia Lucas Mila Levi Tess Finn Sophie Noah Zoë Milan Sara "
                   "Jesse Anna Bram Eva Thijs Lotte",
    .trades = "Bouw|Installatietechniek|Transport|Administratiekantoor|Schilders|Timmerbedrijf|"
              "Makelaardij|Hoveniers|Autobedrijf|Bakkerij|Adviesgroep|Metaal",
    .suffixes = "B.V.|B.V.|V.O.F.|N.V.",
    .templates = "{S} {T} {X}|{T} {S} {X}|{C} {T} {X}",
    .cities = "Amsterdam;1012 AB|Rotterdam;3011 AD|Den Haag;2511 CV|Utrecht;3511 AL|"
              "Eindhoven;5611 AB|Groningen;9711 AA|Tilburg;5038 AA|Almere;1315 AA|"
              "Breda;4811 AA|Nijmegen;6511 AA",
    .streets = "Dorpsstraat|Kerkstraat|Schoolstraat|Molenweg|Stationsweg|Industrieweg|"
               "Nieuwstraat|Julianastraat|Wilhelminastraat|Marktplein",
    .number_first = FALSE, .phone_format = "+31 ## ### ####" },
  { .info = { "ES", "es-ES", FALSE, TRUE, FALSE, "^\\d{5}$", NULL, "34" },
    .weight = 6, .language = "es", .tld = "es",
    .surnames = "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín "
                "Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez",
    .first_names = "Antonio María José Carmen Manuel Ana Francisco Laura David Isabel Juan "
                   "Lucía Javier Marta Daniel Elena Carlos Pilar Pablo Sofía",
    .trades = "Construcciones|Transportes|Asesoría|Instalaciones Eléctricas|Carpintería|"
              "Fontanería|Inmobiliaria|Talleres|Panadería|Distribuciones|Reformas|Consultores",
    .suffixes = "S.L.|S.L.|S.A.|S.L.U.|S.Coop.",
    .templates = "{T} {S} {X}|{T} {S} e Hijos {X}|{T} {C} {X}|{S} y {S2} {X}",
    .cities = "Madrid;28001|Barcelona;08001|Valencia;46001|Sevilla;41001|Zaragoza;50001|"
              "Málaga;29001|Bilbao;48001|Alicante;03001|Córdoba;14001|Valladolid;47001",
    .streets = "Calle Mayor|Calle Real|Avenida de la Constitución|Calle del Sol|Plaza de España|"
               "Calle Nueva|Avenida de Andalucía|Calle San Juan",
    .number_first = FALSE, .phone_format = "+34 9## ### ###" },
  { .info = { "IT", "it-IT", FALSE, TRUE, FALSE, "^\\d{5}$", NULL, "39" },
    .weight = 6, .language = "it", .tld = "it",
    .surnames = "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno "
                "Gallo Conti Marchetti Mancini Costa Giordano Rizzo Lombardi Moretti",
    .first_names = "Francesco Sofia Alessandro Giulia Lorenzo Aurora Andrea Alice Matteo Ginevra "
                   "Leonardo Emma Gabriele Giorgia Riccardo Beatrice Tommaso Chiara Marco Anna",
    .trades = "Costruzioni|Trasporti|Impianti Elettrici|Studio Commercialista|Falegnameria|"
              "Idraulica|Immobiliare|Officina Meccanica|Panificio|Tipografia|Ceramiche|Consulting",
    .suffixes = "S.r.l.|S.r.l.|S.p.A.|S.n.c.|S.a.s.",
    .templates = "{T} {S} {X}|{S} {T} {X}|{T} {C} {X}|{S} & {S2} {X}",
    .cities = "Roma;00184|Milano;20121|Napoli;80133|Torino;10121|Palermo;90133|Genova;16121|"
              "Bologna;40121|Firenze;50122|Bari;70121|Verona;37121|Padova;35122|Trieste;34121",
    .streets = "Via Roma|Via Garibaldi|Via Mazzini|Corso Vittorio Emanuele|Via Dante|"
               "Via Verdi|Piazza del Popolo|Via Cavour",
    .number_first = FALSE, .phone_format = "+39 0# #### ####" },
  { .info = { "PL", "pl-PL", FALSE, TRUE, TRUE, "^\\d{2}-\\d{3}$", NULL, "48" },
    .weight = 5, .language = "pl", .tld = "pl",
    .surnames = "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
                "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk "
                "Piotrowski Grabowski Nowakowski Pawłowski",
    .first_names = "Anna Piotr Maria Krzysztof Katarzyna Andrzej Małgorzata Tomasz Agnieszka "
                   "Paweł Barbara Marcin Ewa Michał Zofia Jan Magdalena Łukasz Joanna Kamil",
    .trades = "Budownictwo|Transport|Usługi Księgowe|Instalacje|Stolarstwo|Hurtownia|"
              "Nieruchomości|Serwis|Piekarnia|Drukarnia|Handel|Elektro",
    .suffixes = "Sp. z o.o.|Sp. z o.o.|S.A.|Sp.j.|Sp.k.",
    .templates = "{T} {S} {X}|{S} {T} {X}|{C} {T} {X}",
    .cities = "Warszawa;00-001|Kraków;30-001|Łódź;90-001|Wrocław;50-001|Poznań;60-001|"
              "Gdańsk;80-001|Szczecin;70-001|Lublin;20-001|Katowice;40-001|Białystok;15-001",
    .streets = "ul. Marszałkowska|ul. Długa|ul. Kościuszki|ul. Mickiewicza|ul. Słowackiego|"
               "ul. Polna|ul. Kolejowa|ul. Przemysłowa",
    .number_first = FALSE, .phone_format = "+48 ## ### ## ##" },
  { .info = { "PT", "pt-PT", FALSE, TRUE, FALSE, "^\\d{4}(-\\d{3})?$", NULL, "351" },
    .weight = 3, .language = "pt", .tld = "pt",
    .surnames = "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa "
                "Fernandes Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho",
    .first_names = "João Maria José Ana António Francisca Manuel Beatriz Pedro Leonor Rui "
                   "Matilde Tiago Inês Miguel Carolina Luís Mariana Nuno Sofia",
    .trades = "Construções|Transportes|Contabilidade|Instalações Eléctricas|Carpintaria|"
              "Imobiliária|Reparações|Padaria|Comércio|Serralharia",
    .suffixes = "Lda.|Lda.|S.A.|Unipessoal Lda.",
    .templates = "{T} {S} {X}|{S} & {S2} {X}|{T} {C} {X}",
    .cities = "Lisboa;1100-148|Porto;4000-322|Braga;4700-435|Coimbra;3000-143|Faro;8000-078|"
              "Aveiro;3800-200|Setúbal;2900-327|Évora;7000-509|Viseu;3500-012|Funchal;9000-060",
    .streets = "Rua Augusta|Avenida da Liberdade|Rua de Santa Catarina|Rua Direita|"
               "Rua do Comércio|Avenida da República|Largo do Município",
    .number_first = FALSE, .phone_format = "+351 2## ### ###" },
  { .info = { "CA", "en-CA", TRUE, TRUE, FALSE,
              "^[ABCEGHJKLMNPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z][ -]?\\d[ABCEGHJ-NPRSTV-Z]\\d$",
              "AB BC MB NB NL NS NT NU ON PE QC SK YT", "1" },
    .weight = 4, .language = "en", .tld = "ca",
    .surnames = "Smith Brown Tremblay Martin Roy Wilson MacDonald Gagnon Johnson Taylor Côté "
                "Campbell Anderson Leblanc Lee Jones White Williams Miller Thompson",
    .first_names = "Liam Olivia Noah Emma William Charlotte Benjamin Ava Lucas Amelia Ethan "
                   "Sophie Jacob Chloé Nathan Léa Samuel Mia Logan Zoé",
    .trades = "Construction|Trucking|Accounting|Electric|Plumbing|Realty|Landscaping|"
              "Machining|Bakery|Consulting|Roofing|Printing",
    .suffixes = "Inc.|Ltd.|Corp.|Inc.|Ltée",
    .templates = "{S} {T} {X}|{C} {T} {X}|{S} & {S2} {X}",
    .cities = "Toronto;M5V 2T6;ON|Montréal;H2Y 1C6;QC|Vancouver;V6B 1A1;BC|Calgary;T2P 1J9;AB|"
              "Ottawa;K1P 1J1;ON|Edmonton;T5J 0N3;AB|Winnipeg;R3C 0V8;MB|Halifax;B3J 1S9;NS|"
              "Québec;G1R 4P5;QC|Regina;S4P 3Y2;SK|Victoria;V8W 1P6;BC",
    .streets = "Main Street|King Street|Queen Street|Yonge Street|Rue Principale|Wellington Street|"
               "Maple Avenue|Front Street",
    .number_first = TRUE, .phone_format = "+1 ### ### ####" },
  { .info = { "AU", "en-AU", TRUE, TRUE, FALSE, "^\\d{4}$", "ACT NSW NT QLD SA TAS VIC WA",
              "61" },
    .weight = 4, .language = "en", .tld = "com.au",
    .surnames = "Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson "
                "Nguyen Thomas Walker Harris Lee Ryan Robinson Kelly King",
    .first_names = "Oliver Charlotte Jack Olivia William Mia Noah Ava Thomas Amelia James Isla "
                   "Lachlan Grace Ethan Chloe Liam Matilda Cooper Ruby",
    .trades = "Building|Plumbing|Electrical|Transport|Accountants|Landscaping|Real Estate|"
              "Engineering|Bakery|Solicitors|Roofing|Earthmoving",
    .suffixes = "Pty Ltd|Pty Ltd|Pty. Ltd.|Ltd",
    .templates = "{S} {T} {X}|{C} {T} {X}|{S} & {S2} {X}",
    .cities = "Sydney;2000;NSW|Melbourne;3000;VIC|Brisbane;4000;QLD|Perth;6000;WA|"
              "Adelaide;5000;SA|Hobart;7000;TAS|Canberra;2600;ACT|Darwin;0800;NT|"
              "Newcastle;2300;NSW|Geelong;3220;VIC|Cairns;4870;QLD",
    .streets = "George Street|Collins Street|Queen Street|Hay Street|King William Street|"
               "Pitt Street|Elizabeth Street|Bourke Street",
    .number_first = TRUE, .phone_format = "+61 2 #### ####" },
  { .info = { "JP", "ja-JP", FALSE, TRUE, FALSE, "^\\d{3}-?\\d{4}$", NULL, "81" },
    .weight = 3, .language = "ja", .tld = "co.jp",
    .surnames = "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato "
                "Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Saito",
    .first_names = "Haruto Yui Sota Hina Yuto Akari Riku Mei Hinata Yuna Takumi Sakura Kenta "
                   "Aoi Daiki Rin Shota Misaki Kaito Nanami",
    .trades = "Kensetsu|Shoji|Unyu|Denki|Kogyo|Seisakusho|Sangyo|Fudosan|Insatsu|Shokuhin",
    .suffixes = "Kabushiki Kaisha|K.K.|Co., Ltd.|Godo Kaisha",
    .templates = "{S} {T} {X}|{C} {T} {X}",
    .cities = "Tokyo;100-0005|Osaka;530-0001|Yokohama;220-0011|Nagoya;450-0002|"
              "Sapporo;060-0001|Fukuoka;810-0001|Kobe;650-0001|Kyoto;600-8001|Sendai;980-0021|"
              "Hiroshima;730-0011",
    .streets = "Chuo 1-chome|Honcho 2-chome|Sakae 3-chome|Ekimae 1-chome|Nishiki 2-chome|"
               "Marunouchi 1-chome",
    .number_first = FALSE, .phone_format = "+81 3 #### ####" },
  { .info = { "BR", "pt-BR", TRUE, TRUE, TRUE, "^\\d{5}-?\\d{3}$",
              "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO",
              "55" },
    .weight = 4, .language = "pt", .tld = "com.br",
    .surnames = "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa "
                "Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa",
    .first_names = "Miguel Helena Arthur Alice Gael Laura Heitor Maria Theo Valentina Davi "
                   "Heloísa Gabriel Cecília Bernardo Sophia Samuel Júlia Pedro Isabela",
    .trades = "Construtora|Transportes|Contabilidade|Materiais Elétricos|Comércio|Imobiliária|"
              "Distribuidora|Serviços|Padaria|Metalúrgica|Engenharia|Informática",
    .suffixes = "Ltda.|Ltda.|S.A.|ME|EIRELI",
    .templates = "{T} {S} {X}|{S} & {S2} {X}|{T} {C} {X}",
    .cities = "São Paulo;01310-100;SP|Rio de Janeiro;20040-020;RJ|Belo Horizonte;30130-010;MG|"
              "Curitiba;80010-010;PR|Porto Alegre;90010-150;RS|Salvador;40020-010;BA|"
              "Recife;50030-230;PE|Fortaleza;60060-440;CE|Brasília;70040-010;DF|"
              "Florianópolis;88010-400;SC",
    .streets = "Avenida Paulista|Rua das Flores|Rua XV de Novembro|Avenida Brasil|"
               "Rua da Consolação|Avenida Atlântica|Rua Sete de Setembro",
    .number_first = FALSE, .phone_format = "+55 11 9#### ####" },
};

guint
pd_sim_countries_count (void)
{
  return G_N_ELEMENTS (countries);
}

const PdSimCountry *
pd_sim_countries_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (countries), NULL);
  return &countries[index];
}

const PdSimCountryInfo *
pd_sim_country_info (const char *iso2)
{
  if (iso2 == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_ascii_strcasecmp (countries[i].info.iso2, iso2) == 0)
      return &countries[i].info;
  return NULL;
}
