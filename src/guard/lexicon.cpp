#include "guard/lexicon.h"
#include "guard/word_lists.h"
#include "guard/word_table.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tiergate::guard::lexicon {

namespace {

using word_set = std::unordered_set<std::string_view>;

word_set make(std::initializer_list<std::string_view> words) { return word_set(words.begin(), words.end()); }

const word_set & first_names() {
    static const word_set words = make({
        // English
        "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles",
        "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul", "andrew", "joshua",
        "kenneth", "kevin", "brian", "george", "timothy", "ronald", "edward", "jason", "jeffrey", "ryan",
        "jacob", "gary", "nicholas", "eric", "jonathan", "stephen", "larry", "justin", "scott", "brandon",
        "benjamin", "samuel", "gregory", "alexander", "frank", "patrick", "raymond", "jack", "dennis", "jerry",
        "tyler", "aaron", "jose", "adam", "nathan", "henry", "douglas", "zachary", "peter", "kyle", "ethan",
        "walter", "noah", "jeremy", "christian", "keith", "roger", "terry", "gerald", "harold", "sean",
        "austin", "carl", "arthur", "lawrence", "dylan", "jesse", "jordan", "bryan", "billy", "joe", "bruce",
        "gabriel", "logan", "albert", "willie", "alan", "juan", "wayne", "elijah", "randy", "roy", "vincent",
        "ralph", "eugene", "russell", "bobby", "mason", "philip", "louis", "harry", "oliver", "charlie",
        "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen",
        "lisa", "nancy", "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna", "michelle",
        "carol", "amanda", "dorothy", "melissa", "deborah", "stephanie", "rebecca", "sharon", "laura",
        "cynthia", "kathleen", "amy", "angela", "shirley", "anna", "brenda", "pamela", "emma", "nicole",
        "helen", "samantha", "katherine", "christine", "debra", "rachel", "carolyn", "janet", "catherine",
        "maria", "heather", "diane", "ruth", "julie", "olivia", "joyce", "virginia", "victoria", "kelly",
        "lauren", "christina", "joan", "evelyn", "judith", "megan", "andrea", "cheryl", "hannah", "jacqueline",
        "martha", "gloria", "teresa", "ann", "sara", "madison", "frances", "kathryn", "janice", "jean",
        "abigail", "alice", "judy", "sophia", "grace", "denise", "amber", "doris", "marilyn", "danielle",
        "beverly", "isabella", "theresa", "diana", "natalie", "brittany", "charlotte", "marie", "kayla",
        "alexis", "lori", "kristen", "claire", "lucy", "chloe", "ella", "mia", "ava", "amelia", "harper",
        "jane", "kate", "ellen", "eleanor", "rose", "lily", "zoe", "molly", "sophie", "jenny",
        // German, Dutch, Scandinavian, Finnish
        "hans", "jurgen", "jürgen", "klaus", "wolfgang", "stefan", "andreas", "markus", "thomas", "uwe",
        "dieter", "helmut", "günter", "gunter", "karl", "heinz", "werner", "frank", "lukas", "leon", "finn",
        "jonas", "felix", "maximilian", "moritz", "niklas", "tobias", "florian", "sebastian", "jan", "tim",
        "ursula", "monika", "petra", "sabine", "claudia", "susanne", "andrea", "birgit", "heike", "katrin",
        "anja", "julia", "lena", "laura", "lea", "hanna", "mila", "greta", "frieda", "emilia", "johanna",
        "sven", "lars", "erik", "anders", "nils", "magnus", "olof", "johan", "per", "karin", "ingrid", "astrid",
        "sigrid", "kirsten", "mette", "lene", "bjorn", "björn", "oskar", "axel", "elias",
        "mikko", "juha", "jukka", "matti", "timo", "kari", "antti", "jari", "pekka", "heikki", "aino", "eeva",
        "tuula", "anneli", "johanna", "liisa", "marja", "pieter", "jeroen", "sanne",
        "daan", "bram", "sem", "femke", "anouk", "willem", "henk", "kees", "joost", "bas", "ruben",
        // French, Italian, Spanish, Portuguese
        "jean", "pierre", "michel", "philippe", "alain", "nicolas", "christophe", "francois", "françois",
        "laurent", "julien", "antoine", "mathieu", "olivier", "sophie", "nathalie", "isabelle", "sylvie",
        "catherine", "valerie", "valérie", "camille", "manon", "chloe", "amelie", "amélie", "juliette",
        "giuseppe", "giovanni", "antonio", "mario", "luigi", "francesco", "marco", "alessandro", "andrea",
        "matteo", "lorenzo", "luca", "paolo", "roberto", "stefano", "giulia", "francesca", "chiara",
        "sara", "valentina", "alessia", "martina", "federica", "elena", "silvia", "paola", "giorgia",
        "carlos", "luis", "jorge", "javier", "miguel", "pedro", "manuel", "francisco", "alejandro", "pablo",
        "diego", "sergio", "fernando", "rafael", "raul", "raúl", "alberto", "carmen", "lucia", "lucía",
        "isabel", "ana", "marta", "pilar", "rosa", "dolores", "mercedes", "paula", "cristina", "beatriz",
        "joao", "joão", "tiago", "rui", "nuno", "goncalo", "gonçalo", "ines", "inês", "beatriz", "mariana",
        "gabriela", "fernanda", "larissa", "camila", "leticia", "letícia", "bruna", "thiago", "rodrigo",
        "felipe", "guilherme", "gustavo", "lucas", "matheus", "vinicius", "vinícius",
        // Slavic, Greek, Hungarian, Baltic
        "ivan", "dmitri", "dmitry", "sergei", "sergey", "alexei", "alexey", "andrei", "andrey", "nikolai",
        "vladimir", "mikhail", "pavel", "yuri", "oleg", "igor", "boris", "olga", "natalia", "tatiana",
        "elena", "irina", "svetlana", "anastasia", "ekaterina", "marina", "yulia", "ksenia", "darya",
        "piotr", "pawel", "paweł", "tomasz", "krzysztof", "marcin", "michal", "michał", "jakub",
        "katarzyna", "agnieszka", "malgorzata", "małgorzata", "magdalena", "joanna", "zofia", "jiri", "jiří",
        "petr", "josef", "jana", "eva", "lenka", "tereza", "milan", "zoran", "dragan", "goran", "marko",
        "nikola", "stefan", "ana", "jelena", "milica", "dimitris", "giorgos", "nikos", "yannis", "kostas",
        "maria", "eleni", "katerina", "sofia", "laszlo", "lászló", "istvan", "istván", "zoltan", "zoltán",
        "erzsebet", "erzsébet", "agnes", "ágnes", "andris", "janis", "jānis", "tomas", "tomas",
        // Arabic, Turkish, Persian, South Asian
        "mohammed", "muhammad", "mohamed", "ahmed", "ahmad", "ali", "omar", "hassan", "hussein", "khalid",
        "youssef", "yusuf", "ibrahim", "mustafa", "fatima", "aisha", "zainab", "maryam", "layla", "nour",
        "mehmet", "ahmet", "emre", "burak", "elif", "zeynep", "ayse", "ayşe", "reza", "amir", "sara",
        "raj", "rahul", "amit", "sanjay", "vijay", "arjun", "ravi", "anil", "suresh", "priya", "anjali",
        "pooja", "neha", "sunita", "deepa", "kavita", "aarav", "vivek", "rohan", "aditya", "krishna",
        // East Asian, African
        "wei", "li", "jun", "ming", "hui", "yan", "xin", "hiroshi", "takashi", "kenji", "yuki", "haruto",
        "sakura", "yui", "aoi", "ji-woo", "min-jun", "seo-yeon", "hyun", "kwame", "kofi", "chinedu", "ngozi",
        "amara", "oluwaseun", "tunde", "ayodele", "thabo", "sipho", "zanele", "lerato", "abebe", "tariku",
    });
    return words;
}

const word_set & surnames() {
    static const word_set words = make({
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
        "hernandez", "lopez", "gonzalez", "wilson", "anderson", "taylor", "moore", "jackson", "martin", "lee",
        "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker",
        "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams",
        "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "gomez", "phillips",
        "evans", "turner", "diaz", "parker", "cruz", "edwards", "collins", "reyes", "stewart", "morris",
        "morales", "murphy", "cook", "rogers", "gutierrez", "ortiz", "morgan", "cooper", "peterson", "bailey",
        "reed", "kelly", "howard", "ramos", "kim", "cox", "ward", "richardson", "watson", "brooks", "chavez",
        "wood", "james", "bennett", "gray", "mendoza", "ruiz", "hughes", "price", "alvarez", "castillo",
        "sanders", "patel", "myers", "long", "ross", "foster", "jimenez", "powell", "jenkins", "perry",
        "russell", "sullivan", "bell", "coleman", "butler", "henderson", "barnes", "fisher", "vasquez",
        "simmons", "graham", "murray", "ford", "hamilton", "wallace", "west", "cole", "hayes", "gibson",
        "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "schulz",
        "hoffmann", "koch", "richter", "klein", "wolf", "schroder", "schröder", "neumann", "schwarz", "zimmermann",
        "braun", "kruger", "krüger", "hofmann", "lange", "schmitt", "werner", "krause", "meier", "lehmann",
        "muller", "müller", "huber", "bauer", "gruber", "wimmer", "hansen", "johansson", "andersson",
        "karlsson", "nilsson", "eriksson", "larsson", "olsson", "persson", "svensson", "jensen",
        "nielsen", "pedersen", "andersen", "christensen", "larsen", "sorensen", "sørensen", "rasmussen",
        "korhonen", "virtanen", "makinen", "mäkinen", "nieminen", "hamalainen", "hämäläinen",
        "laine", "heikkinen", "koskinen", "jarvinen", "järvinen", "de jong", "jansen", "de vries",
        "van dijk", "bakker", "visser", "smit", "meijer", "mulder", "bos", "vos", "peters", "hendriks",
        "dubois", "durand", "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "bernard", "petit",
        "rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci", "marino", "greco",
        "bruno", "gallo", "conti", "costa", "giordano", "mancini", "rizzo", "lombardi", "moretti", "silva",
        "santos", "ferreira", "pereira", "oliveira", "rodrigues", "martins", "sousa", "fernandes", "goncalves",
        "gonçalves", "gomes", "lopes", "marques", "alves", "almeida", "ribeiro", "carvalho", "fernandez",
        "ivanov", "smirnov", "kuznetsov", "popov", "vasiliev", "petrov", "sokolov", "mikhailov", "novikov",
        "fedorov", "morozov", "volkov", "alekseev", "lebedev", "semenov", "egorov", "pavlov", "kozlov",
        "nowak", "kowalski", "wisniewski", "wiśniewski", "wojcik", "wójcik", "kowalczyk", "kaminski",
        "lewandowski", "zielinski", "kwiatkowski", "novak", "svoboda", "novotny", "novotný", "dvorak",
        "dvořák", "horvath", "horváth", "nagy", "kovacs", "kovács", "toth", "tóth", "szabo", "szabó",
        "papadopoulos", "georgiou", "nikolaidis", "yilmaz", "yılmaz", "kaya", "demir", "sahin", "şahin",
        "celik", "çelik", "khan", "ahmed", "hussain", "ali", "sharma", "singh", "kumar", "gupta", "shah",
        "mehta", "reddy", "rao", "iyer", "nair", "das", "chatterjee", "wang", "zhang", "liu", "chen", "yang",
        "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "lin", "he", "gao", "luo",
        "tanaka", "suzuki", "takahashi", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi", "kato",
        "sato", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "tran", "le",
        "pham", "hoang", "okafor", "mensah", "adeyemi", "okonkwo", "abdullah", "rahman", "haddad", "nasser",
        "cohen", "levi", "friedman", "o'brien", "o'connor", "o'neill", "mcdonald", "macdonald",
       
    });
    return words;
}

const word_set & places() {
    static const word_set words = make({
        // countries
        "afghanistan", "albania", "algeria", "andorra", "angola", "argentina", "armenia", "australia",
        "austria", "azerbaijan", "bahamas", "bahrain", "bangladesh", "barbados", "belarus", "belgium", "belize",
        "benin", "bhutan", "bolivia", "bosnia", "botswana", "brazil", "brunei", "bulgaria", "burkina faso",
        "burundi", "cambodia", "cameroon", "canada", "chad", "chile", "china", "colombia", "comoros", "congo",
        "costa rica", "croatia", "cuba", "cyprus", "czechia", "czech republic", "denmark", "djibouti",
        "dominica", "dominican republic", "ecuador", "egypt", "el salvador", "eritrea", "estonia", "eswatini",
        "ethiopia", "fiji", "finland", "france", "gabon", "gambia", "georgia", "germany", "ghana", "greece",
        "grenada", "guatemala", "guinea", "guyana", "haiti", "honduras", "hungary", "iceland", "india",
        "indonesia", "iran", "iraq", "ireland", "israel", "italy", "jamaica", "japan", "jordan", "kazakhstan",
        "kenya", "kiribati", "kosovo", "kuwait", "kyrgyzstan", "laos", "latvia", "lebanon", "lesotho",
        "liberia", "libya", "liechtenstein", "lithuania", "luxembourg", "madagascar", "malawi", "malaysia",
        "maldives", "mali", "malta", "mauritania", "mauritius", "mexico", "moldova", "monaco", "mongolia",
        "montenegro", "morocco", "mozambique", "myanmar", "namibia", "nauru", "nepal", "netherlands",
        "the netherlands", "new zealand", "nicaragua", "niger", "nigeria", "north korea", "north macedonia",
        "macedonia", "norway", "oman", "pakistan", "palau", "palestine", "panama", "papua new guinea",
        "paraguay", "peru", "philippines", "poland", "portugal", "qatar", "romania", "russia", "rwanda",
        "samoa", "san marino", "saudi arabia", "senegal", "serbia", "seychelles", "sierra leone", "singapore",
        "slovakia", "slovenia", "somalia", "south africa", "south korea", "korea", "south sudan", "spain",
        "sri lanka", "sudan", "suriname", "sweden", "switzerland", "syria", "taiwan", "tajikistan", "tanzania",
        "thailand", "togo", "tonga", "trinidad", "tunisia", "turkey", "türkiye", "turkmenistan", "tuvalu",
        "uganda", "ukraine", "united arab emirates", "uae", "united kingdom", "uk", "great britain", "britain",
        "england", "scotland", "wales", "northern ireland", "united states", "united states of america",
        "usa", "us", "america", "uruguay", "uzbekistan", "vanuatu", "vatican", "venezuela", "vietnam",
        "viet nam", "yemen", "zambia", "zimbabwe", "greenland", "faroe islands", "puerto rico", "hong kong",
        "macau", "europe", "asia", "africa", "north america", "south america", "latin america",
        "scandinavia", "middle east", "oceania", "antarctica", "caribbean", "balkans", "siberia",
        "deutschland", "österreich", "schweiz", "suisse", "españa", "italia", "sverige", "norge", "danmark",
        "suomi", "polska", "brasil", "méxico", "nederland", "belgië", "belgique", "ελλάδα", "россия",
        // US states
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
        "florida", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana",
        "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana",
        "nebraska", "nevada", "new hampshire", "new jersey", "new mexico", "new york", "north carolina",
        "north dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina",
        "south dakota", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "west virginia",
        "wisconsin", "wyoming",
        // provinces and regions
        "ontario", "quebec", "québec", "british columbia", "alberta", "manitoba", "saskatchewan",
        "nova scotia", "new south wales", "queensland", "victoria", "tasmania", "bavaria", "bayern",
        "catalonia", "andalusia", "tuscany", "lombardy", "sicily", "sardinia", "brittany", "normandy",
        "provence", "flanders", "wallonia", "silesia", "transylvania", "lapland", "kent",
        "yorkshire", "cornwall",
        // major cities
        "london", "paris", "berlin", "madrid", "rome", "vienna", "amsterdam", "brussels", "lisbon", "dublin",
        "edinburgh", "glasgow", "manchester", "birmingham", "liverpool", "leeds", "bristol", "cardiff",
        "belfast", "oxford", "cambridge", "copenhagen", "stockholm", "oslo", "helsinki", "reykjavik",
        "reykjavík", "tallinn", "riga", "vilnius", "warsaw", "krakow", "kraków", "prague", "bratislava",
        "budapest", "bucharest", "sofia", "belgrade", "zagreb", "ljubljana", "sarajevo", "athens",
        "thessaloniki", "istanbul", "ankara", "izmir", "moscow", "saint petersburg", "st petersburg", "kyiv",
        "kiev", "minsk", "munich", "münchen", "hamburg", "frankfurt", "cologne", "köln", "stuttgart",
        "düsseldorf", "dusseldorf", "leipzig", "dresden", "hanover", "nuremberg", "zurich", "zürich", "geneva",
        "genève", "basel", "bern", "lausanne", "milan", "milano", "naples", "napoli", "turin", "torino",
        "florence", "firenze", "venice", "venezia", "bologna", "genoa", "palermo", "barcelona", "valencia",
        "seville", "sevilla", "bilbao", "malaga", "málaga", "porto", "lyon", "marseille", "nice", "toulouse",
        "bordeaux", "lille", "strasbourg", "nantes", "rotterdam", "the hague", "utrecht", "eindhoven",
        "antwerp", "ghent", "gothenburg", "göteborg", "malmö", "malmo", "aarhus", "odense", "bergen",
        "tampere", "turku", "espoo", "nicosia", "limassol", "valletta", "luxembourg city", "new york city",
        "los angeles", "chicago", "houston", "phoenix", "philadelphia", "san antonio", "san diego", "dallas",
        "san jose", "austin", "jacksonville", "fort worth", "columbus", "charlotte", "san francisco",
        "indianapolis", "seattle", "denver", "boston", "el paso", "nashville", "detroit", "portland",
        "las vegas", "memphis", "louisville", "baltimore", "milwaukee", "albuquerque", "tucson", "fresno",
        "sacramento", "kansas city", "atlanta", "miami", "raleigh", "omaha", "minneapolis", "tulsa",
        "cleveland", "new orleans", "honolulu", "pittsburgh", "cincinnati", "st. louis", "st louis",
        "salt lake city", "orlando", "tampa", "brooklyn", "manhattan", "queens", "bronx", "toronto",
        "montreal", "montréal", "vancouver", "calgary", "ottawa", "edmonton", "winnipeg", "mexico city",
        "guadalajara", "monterrey", "havana", "bogota", "bogotá", "medellin", "medellín", "lima", "quito",
        "caracas", "santiago", "buenos aires", "montevideo", "asuncion", "asunción", "la paz", "sao paulo",
        "são paulo", "rio de janeiro", "brasilia", "brasília", "salvador", "fortaleza", "belo horizonte",
        "manaus", "curitiba", "recife", "porto alegre", "cairo", "alexandria", "lagos",
        "abuja", "accra", "nairobi", "addis ababa", "johannesburg", "cape town", "durban", "pretoria",
        "casablanca", "rabat", "tunis", "algiers", "dakar", "kinshasa", "luanda", "dar es salaam", "kampala",
        "kigali", "harare", "lusaka", "tehran", "baghdad", "riyadh", "jeddah", "dubai", "abu dhabi", "doha",
        "kuwait city", "muscat", "amman", "beirut", "damascus", "jerusalem", "tel aviv", "karachi", "lahore",
        "islamabad", "delhi", "new delhi", "mumbai", "bangalore", "bengaluru", "chennai", "kolkata",
        "hyderabad", "pune", "ahmedabad", "jaipur", "dhaka", "kathmandu", "colombo", "beijing", "shanghai",
        "shenzhen", "guangzhou", "chengdu", "wuhan", "hangzhou", "nanjing", "tianjin", "xi'an", "chongqing",
        "tokyo", "osaka", "kyoto", "yokohama", "nagoya", "sapporo", "fukuoka", "seoul", "busan", "pyongyang",
        "taipei", "bangkok", "hanoi", "ho chi minh city", "saigon", "manila", "jakarta", "kuala lumpur",
        "phnom penh", "yangon", "sydney", "melbourne", "brisbane", "perth", "adelaide", "canberra",
        "auckland", "wellington", "christchurch",
    });
    return words;
}

const word_set & state_codes() {
    static const word_set words = make({
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
        "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
        "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
        "NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT", "ON", "QC", "BC", "AB",
    });
    return words;
}

const word_set & street_suffixes() {
    static const word_set words = make({
        "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr",
        "court", "ct", "way", "place", "pl", "square", "sq", "terrace", "parkway", "pkwy", "highway", "hwy",
        "circle", "cir", "crescent", "close", "row", "alley", "path", "trail", "plaza", "ridge", "grove",
        "gardens", "mews", "walk", "hill", "expressway", "freeway", "turnpike", "pike", "loop", "crossing",
        "gateway", "causeway", "esplanade", "promenade", "quay", "wharf", "embankment", "green", "heights",
        "park", "point", "view", "vista", "strasse", "straße", "str", "gasse", "weg", "allee", "platz",
        "gatan", "vägen", "väg", "vej", "gade", "katu", "tie", "straat", "laan", "gracht", "utca", "ulica",
        "cesta", "ulice", "sokak", "caddesi", "lu", "dori", "jie", "tér", "út", "útja", "utca", "trg", "tee", "kapu",
        "vegur", "gata", "stræti", "vei", "veien", "gate", "u", "mall", "pass", "bypass", "coves", "points",
        "parks", "union", "fort", "greens", "extensions", "centret",
        // the standard street suffixes of US addresses, and British ones
        "alley", "annex", "arcade", "bayou", "bend", "bluff", "bluffs", "bottom", "branch", "brook", "brooks",
        "burg", "burgs", "camp", "canyon", "cape", "circles", "cliff", "cliffs", "common", "commons", "corners",
        "course", "courts", "cove", "creek", "crest", "crossroad", "curve", "dam", "divide", "drives", "estate",
        "estates", "extension", "fall", "falls", "ferry", "fields", "flats", "fords", "forge", "forges", "fork",
        "forks", "glen", "glens", "groves", "harbor", "harbour", "harbors", "haven", "hills", "hollow", "inlet",
        "isle", "junction", "junctions", "keys", "knoll", "knolls", "lakes", "landing", "locks", "lodge", "manor",
        "manors", "meadow", "meadows", "mill", "mills", "motorway", "neck", "orchard", "oval", "overpass",
        "parkways", "passage", "pines", "plains", "ports", "prairie", "radial", "ramp", "ranch", "rapid", "rapids",
        "ridges", "roads", "route", "shoal", "shoals", "shore", "shores", "skyway", "springs", "spur", "spurs",
        "squares", "stravenue", "stream", "streets", "summit", "throughway", "trace", "track", "trafficway",
        "tunnel", "underpass", "unions", "valley", "valleys", "viaduct", "views", "villages", "ville", "walks",
        "ways", "wells", "wynd", "rise", "chase", "drove", "parade", "broadway",
        // other languages
        "ring", "chaussee", "steig", "pfad", "markt", "gränd", "torg", "allé", "plein", "kade", "singel", "dreef",
        "väylä", "körút", "třída", "náměstí", "bulevar", "prospekt", "pereulok", "marg", "nagar", "salai",
        "sokağı", "cadde", "bulvarı", "mahallesi", "daero", "ro", "gil",
    });
    return words;
}

const word_set & street_prefixes() {
    static const word_set words = make({
        "rue", "via", "viale", "vicolo", "corso", "piazza", "piazzale", "largo", "calle", "avenida", "av",
        "paseo", "camino", "carrer", "avda", "rúa", "trg", "viale", "carretera", "plaza", "rua", "travessa", "praça", "praca", "estrada",
        "alameda", "rodovia", "chemin", "boulevard", "avenue", "allée", "impasse", "place", "quai", "route",
        "ulica", "ul", "aleja", "al", "strada", "bulevardul", "calea", "odos", "οδός", "улица",
        "ulitsa", "ulitsy", "prospekt", "pereulok", "bulvar", "naberezhnaya", "ploshchad", "шоссе", "проспект",
        "переулок", "площадь", "plac", "osiedle", "carrera", "cra", "calzada", "ronda", "travesía",
        "pza", "pasaje", "cours", "allee", "leoforos", "λεωφόρος", "jalan", "jl", "lorong", "thanon",
        "đường", "phố", "contrada", "lungomare", "splaiul", "șoseaua", "soseaua", "blvd",
        "avenida", "av", "rue", "estrada", "rodovia", "praça", "largo", "viale", "vicolo", "stradella",
    });
    return words;
}

const word_set & unit_words() {
    static const word_set words = make({
        "apt", "apartment", "suite", "ste", "unit", "flat", "floor", "fl", "room", "rm", "bldg", "building",
        "box", "lot", "dept", "piso", "étage", "wohnung", "stiege", "tür",
    });
    return words;
}

const word_set & org_suffixes() {
    static const word_set words = make({
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company",
        "plc", "gmbh", "ag", "kg", "sa", "sarl", "sas", "bv", "nv", "oy", "oyj", "ab", "as", "asa", "aps",
        "spa", "srl", "pty", "kk", "pte", "sdn", "bhd", "university", "universität", "université",
        "universidad", "università", "college", "institute", "institut", "school", "academy", "bank",
        "group", "holdings", "holding", "foundation", "association", "society", "partners", "associates",
        "technologies", "technology", "tech", "labs", "laboratories", "systems", "solutions", "services",
        "consulting", "agency", "hospital", "clinic", "council", "ministry", "department", "trust", "fund",
        "capital", "ventures", "media", "airlines", "airways", "insurance", "pharmaceuticals", "pharma",
        "motors", "energy", "industries", "enterprises", "international", "networks", "software",
        "communications", "entertainment", "studios", "records", "publishing", "press", "news", "times",
        "magazine", "foods", "brewing", "logistics", "electric", "electronics", "chemicals", "resources",
        "healthcare", "health", "research", "federation", "union", "committee",
        "commission", "authority", "office", "bureau", "church", "museum", "library", "club", "team",
        "investments", "orchestra", "philharmonic", "symphony", "ensemble", "choir", "quartet", "sons", "brothers",
        "bros", "cooperative", "studio", "productions", "pictures", "films", "publishers", "railways", "automotive",
        "biotech", "therapeutics", "diagnostics", "analytics", "robotics", "dynamics", "semiconductor",
        "semiconductors", "telecom", "telecommunications", "wireless", "broadcasting", "equity", "advisors",
        "advisers", "consultants", "engineering", "architects", "realty", "properties", "hotels", "resorts",
        "beverages", "brewery", "winery", "distillery", "textiles", "apparel", "cosmetics", "shipping", "freight",
        "transportation", "couriers", "assurance", "bancorp", "bancshares", "financial", "attorneys", "solicitors",
        "polytechnic", "gallery", "charity", "airline", "aerospace", "mining", "petroleum", "steel", "pharmacy",
        "supermarkets", "stores", "markets", "kliniken", "klinikum", "stiftung", "verein", "verlag", "werke",
        "gesellschaft", "compagnie", "société", "sociedad", "società", "companhia", "fundación", "fondazione",
        "fondation", "universitet", "uniwersytet", "univerzita", "hochschule", "instituto", "istituto",
    });
    return words;
}

const word_set & titles() {
    static const word_set words = make({
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "madam",
        "madame", "mme", "mlle", "monsieur", "herr", "frau", "señor", "senor", "señora", "senora", "sr",
        "sra", "signor", "signora", "rev", "reverend", "fr", "father", "sister", "brother", "capt", "captain",
        "col", "gen", "lt", "sgt", "officer", "detective", "judge", "senator", "governor", "president",
        "mayor", "uncle", "aunt", "auntie", "grandma", "grandpa", "coach",
    });
    return words;
}

const word_set & common_words() {
    static const word_set words = make({
        "i", "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "we", "they",
        "you", "your", "my", "our", "their", "his", "her", "him", "them", "me", "us", "who", "what", "when",
        "where", "why", "how", "which", "whose", "whom", "there", "here", "and", "or", "but", "if", "so",
        "because", "as", "at", "by", "for", "from", "in", "into", "of", "on", "onto", "to", "with", "without",
        "about", "after", "before", "during", "over", "under", "up", "down", "out", "off", "again", "then",
        "once", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor",
        "not", "only", "own", "same", "than", "too", "very", "can", "will", "just", "should", "now", "is",
        "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did", "would",
        "could", "may", "might", "must", "shall", "let", "please", "thanks", "thank", "hi", "hello", "hey",
        "dear", "yes", "yeah", "ok", "okay", "sure", "well", "also", "however", "still", "yet", "even",
        "many", "much", "one", "two", "three", "first", "second", "last", "next", "new", "old", "good",
        "great", "best", "big", "small", "high", "low", "long", "little", "every", "another", "since",
        "until", "while", "where's", "what's", "who's", "it's", "i'm", "i've", "i'd", "i'll", "don't",
        "can't", "won't", "didn't", "isn't", "aren't", "wasn't", "doesn't", "haven't", "hasn't", "couldn't",
        "wouldn't", "shouldn't", "let's", "there's", "that's", "he's", "she's", "we're", "they're", "you're",
        "name", "address", "phone", "email", "e-mail", "mobile", "fax", "desk", "tel", "website", "web",
        "personal", "info", "information", "contact", "note", "notes", "subject", "re", "fw", "fwd", "date",
        "time", "today", "tomorrow", "yesterday", "morning", "evening", "night", "number", "card", "account",
        "credit", "bank", "please", "can", "could", "would", "should", "will", "shall", "may", "might",
        "ceo", "cto", "cfo", "vp", "manager", "director", "engineer", "doctor", "nurse", "teacher",
        "student", "user", "customer", "client", "team", "support", "service", "company", "office", "home",
        "work", "job", "city", "country", "state", "street", "road", "avenue", "north", "south", "east",
        "west", "central", "upper", "lower", "mount", "lake", "river", "island", "beach", "valley", "port",
        "saint", "san", "santa", "st", "fort", "happy", "merry", "christmas", "easter", "birthday", "god",
        "lord", "jesus", "mom", "dad", "mother", "father", "sister", "brother", "son", "daughter", "wife",
        "husband", "friend", "boss", "kid", "baby", "guys", "everyone", "someone", "anyone", "nobody",
        "english", "french", "german", "spanish", "italian", "chinese", "japanese", "russian", "american",
        "european", "african", "asian", "british", "canadian", "australian", "indian", "mexican",
        "internet", "online", "app", "api", "pdf", "id", "ssn", "iban", "visa", "mastercard", "paypal",
        "list", "song", "songs", "album", "music", "movie", "book", "chapter", "section", "part", "page",
        "table", "figure", "example", "question", "answer", "problem", "issue", "error", "warning", "step",
        "ask", "tell", "show", "give", "send", "call", "write", "read", "see", "look", "find", "get", "make",
        "go", "come", "take", "use", "try", "help", "need", "want", "like", "love", "hate", "know", "think",
        "remember", "check", "update", "change", "remove", "add", "delete", "open", "close", "stop", "start",
        "don", "mission", "statement", "ticket", "order", "invoice", "payment", "transfer", "mr", "mrs", "ms",
        "dr", "apt", "suite", "unit", "po", "p.o", "usa", "uk", "eu", "un", "nasa", "fbi", "cia", "ok",
        "via", "per", "vs", "etc", "ie", "eg", "am", "pm", "utc", "gmt", "est", "pst", "cet", "faq", "tv",
        "ai", "it", "hr", "pr", "ip", "url", "http", "https", "www", "sms", "atm", "pin", "dob", "ssn",
        // labels of form fields and message headers, in several languages
        "attendees", "participants", "recipients", "members", "guests", "speakers", "authors", "author", "owner",
        "assignee", "reviewer", "reviewers", "approver", "reporter", "cc", "bcc", "from", "to", "sender", "recipient",
        "adresse", "adres", "adress", "anschrift", "indirizzo", "dirección", "direccion", "endereço", "endereco", "cím",
        "osoite", "adresa", "naslov", "rekening", "konto", "kontonummer", "rekeningnummer", "cuenta", "conta", "compte",
        "telefon", "telefono", "teléfono", "telefone", "téléphone", "puhelin", "handy", "móvil", "movil", "cellulare",
        "kontakt", "contato", "contacto", "contatto", "nom", "nombre", "nome", "navn", "namn", "nimi", "imię", "jméno",
        "név", "vorname", "nachname", "apellido", "apellidos", "cognome", "prénom", "sobrenome", "datum", "fecha",
        "betreff", "asunto", "oggetto", "objet", "assunto", "firma", "empresa", "azienda", "société", "societe",
        "bedrijf", "yritys", "numer", "nummer", "número", "numero", "straße", "strasse", "calle", "rua", "via",
        "stadt", "ciudad", "città", "ville", "cidade", "land", "país", "pais", "paese", "pays", "postleitzahl", "plz",
        "geburtsdatum", "geboortedatum", "naissance", "nacimiento", "nascita", "email", "mail", "correo", "courriel",
        "poczta", "sähköposti", "e-post", "website", "webseite", "sitio", "sito", "site", "password", "passwort",
        "username", "login", "iban", "bic", "swift", "bank", "banco", "banque", "summary", "description", "status",
        "priority", "comment", "comments", "tip", "hint", "answer", "question", "fyi", "ps", "nb", "todo", "done",
    });
    return words;
}

const word_set & date_words() {
    static const word_set words = make({
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "june", "july", "august", "september", "october", "november", "december", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues",
        "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    });
    return words;
}

const word_set & particles() {
    static const word_set words = make({
        "de", "del", "della", "dei", "degli", "di", "da", "das", "do", "dos", "du", "des", "la", "le", "van",
        "von", "der", "den", "ten", "ter", "al", "el", "bin", "ibn", "bint", "y", "e", "zu", "st", "st.", "ní", "ó",
        "nic", "ua", "mac", "dela", "binti",
    });
    return words;
}

const word_set & function_words() {
    static const word_set words = make({
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "and", "or",
        "but", "nor", "you", "you're", "your", "we", "they", "it", "is", "are", "was", "be", "not", "this",
        "that", "my", "our", "their", "its", "as", "about", "over", "under", "how", "why", "what", "when",
        "who", "can", "will", "do", "does", "up", "out", "all", "no", "vs", "than", "so", "if",
    });
    return words;
}

const word_set & demonyms() {
    static const word_set words = make({
        "american", "british", "english", "scottish", "welsh", "irish", "french", "german", "italian",
        "spanish", "portuguese", "dutch", "belgian", "swiss", "austrian", "polish", "czech", "slovak",
        "hungarian", "romanian", "bulgarian", "greek", "turkish", "russian", "ukrainian", "belarusian",
        "serbian", "croatian", "slovenian", "bosnian", "albanian", "macedonian", "lithuanian", "latvian",
        "estonian", "finnish", "swedish", "norwegian", "danish", "icelandic", "greenlander", "greenlandic",
        "canadian", "mexican", "brazilian", "argentinian", "argentine", "chilean", "peruvian", "colombian",
        "venezuelan", "cuban", "chinese", "japanese", "korean", "vietnamese", "thai", "indian", "pakistani",
        "bangladeshi", "iranian", "iraqi", "syrian", "lebanese", "israeli", "palestinian", "egyptian",
        "moroccan", "algerian", "tunisian", "nigerian", "ghanaian", "kenyan", "ethiopian", "somali",
        "south african", "australian", "kiwi", "filipino", "indonesian", "malaysian", "singaporean",
        "arab", "arabic", "jewish", "muslim", "catholic", "protestant", "hindu", "buddhist",
        "sikh", "european", "asian", "african", "latino", "latina", "hispanic", "caucasian", "cypriot",
        "maltese", "luxembourgish", "uruguayan", "paraguayan", "bolivian", "ecuadorian", "haitian",
    });
    return words;
}

const word_set & english_words() {
    static const word_set words = make({
        "park", "white", "brown", "long", "bell", "king", "young", "green", "ford", "west", "hill", "wood",
        "price", "cook", "gray", "grey", "rose", "cole", "hall", "ward", "baker", "turner", "carter", "hunter",
        "allen", "reed", "brooks", "powell", "perry", "bailey", "cooper", "miller", "smith", "fisher", "butler",
        "mason", "page", "walker", "black", "little", "sun", "ma", "he", "hu", "lin", "li", "le", "lim", "das",
        "bos", "vos", "ross", "rao", "moore", "wolf", "klein", "lange", "long", "gallo", "bruno", "costa",
        "ali", "khan", "kim", "martin", "james", "simon", "michel", "laurent", "bernard", "west", "murray",
        "graham", "jordan", "scott", "lewis", "morgan", "kelly", "howard",
    });
    return words;
}

const word_set & common_nouns() {
    static const word_set words = make({
        "day", "act", "force", "royal", "princess", "prince", "queen", "rights", "civil", "title", "pleasures",
        "guilty", "village", "orchestra", "investments", "band", "festival", "award", "awards", "prize", "war",
        "world", "cup", "league", "party", "army", "navy", "police", "house", "senate", "congress",
        "parliament", "republic", "empire", "kingdom", "center", "centre", "tower", "bridge", "station",
        "airport", "museum", "theatre", "theater", "cinema", "hotel", "restaurant", "cafe", "market", "store",
        "shop", "project", "program", "programme", "series", "season", "episode", "volume", "edition",
        "version", "release", "model", "system", "network", "platform", "product", "brand", "game", "show",
        "film", "movie", "record", "single", "track", "tour", "concert", "novel", "story", "poem", "journal",
        "newspaper", "paper", "report", "review", "guide", "manual", "boogie", "snake", "tube", "love",
        "heart", "soul", "life", "death", "night", "light", "dark", "fire", "water", "earth", "wind", "sky",
        "moon", "star", "stars", "blue", "red", "gold", "silver", "golden", "grand", "united", "national",
        "international", "global", "federal", "northern", "southern", "eastern", "western", "inner", "outer",
        "third", "final", "select", "insert", "inject", "query", "data", "file", "code", "week", "month",
        "year", "spring", "summer", "autumn", "winter", "eve", "weekend", "border", "security", "social",
        "public", "private", "general", "special", "official", "free", "open", "total", "super", "ultra",
        "pro", "plus", "max", "mini", "premium", "standard", "basic", "express", "direct", "digital", "smart",
        "cloud", "online", "mobile", "power", "energy", "health", "care", "medical", "food", "drink", "coffee",
        "tea", "beer", "wine", "pizza", "burger", "chicken", "street", "avenue", "road", "lane", "square",
        "park", "garden", "gardens", "beach", "island", "islands", "mountain", "mountains", "lake", "river",
        "sea", "ocean", "bay", "coast", "valley", "forest", "desert", "county", "province", "region",
        "district", "zone", "area", "east", "south", "north", "west", "new", "old", "big", "little", "great",
        "high", "low", "top", "best", "first", "second", "last", "next", "chief", "senior", "junior",
        "assistant", "bot", "agent", "system", "operator", "human", "admin", "administrator", "guest",
        "anonymous", "unknown", "mister", "miss", "baby", "boy", "girl", "man", "woman", "men", "women",
        "people", "kids", "children", "family", "friends", "team", "club", "crew", "gang", "group",
    });
    return words;
}

// Calls add(entry) for each entry of a word list: entries separated by
// `separators`, trimmed, lines starting with '#' skipped.
template <class add_fn>
void each_entry(std::string_view text, std::string_view separators, add_fn add) {
    size_t i = 0;
    while (i < text.size()) {
        const size_t line_end = std::min(text.find('\n', i), text.size());
        std::string_view line = text.substr(i, line_end - i);
        i = line_end + 1;
        if (!line.empty() && line.front() == '#') {
            continue;
        }
        size_t k = 0;
        while (k <= line.size()) {
            const size_t e = std::min(line.find_first_of(separators, k), line.size());
            std::string_view entry = line.substr(k, e - k);
            while (!entry.empty() && entry.front() == ' ') {
                entry.remove_prefix(1);
            }
            while (!entry.empty() && entry.back() == ' ') {
                entry.remove_suffix(1);
            }
            if (!entry.empty()) {
                add(entry);
            }
            k = e + 1;
        }
    }
}

const word_table & all_flags() {
    static const word_table table = [] {
        std::unordered_map<std::string_view, uint32_t> m;
        auto add = [&](const word_set & set, uint32_t flag) {
            for (std::string_view w : set) {
                m[w] |= flag;
            }
        };
        const auto add_place = [&](std::string_view w) {
            m[w] |= place_flag;
            if (const size_t space = w.find(' '); space != std::string_view::npos) {
                m[w.substr(0, space)] |= place_start_flag;
            }
        };
        add(first_names(), first_name_flag);
        add(surnames(), surname_flag);
        each_entry(word_lists::given_names(), " ", [&](std::string_view w) { m[w] |= first_name_flag; });
        each_entry(word_lists::surnames(), " ", [&](std::string_view w) {
            if (particles().count(w) == 0) {  // "de la cruz": the particles are not surnames
                m[w] |= surname_flag;
            }
        });
        for (std::string_view w : places()) {
            add_place(w);
        }
        each_entry(word_lists::place_names(), ",", add_place);
        each_entry(word_lists::everyday_words(), " ", [&](std::string_view w) { m[w] |= english_word_flag; });
        each_entry(word_lists::organization_names(), ",", [&](std::string_view w) {
            m[w] |= org_name_flag;
            if (const size_t space = w.find(' '); space != std::string_view::npos) {
                m[w.substr(0, space)] |= org_start_flag;
            }
        });
        add(street_suffixes(), street_suffix_flag);
        add(street_prefixes(), street_prefix_flag);
        add(unit_words(), unit_word_flag);
        add(org_suffixes(), org_suffix_flag);
        add(titles(), title_word_flag);
        add(common_words(), common_word_flag);
        add(date_words(), date_word_flag);
        add(particles(), name_particle_flag);
        add(function_words(), function_word_flag);
        add(demonyms(), demonym_flag);
        add(english_words(), english_word_flag);
        add(common_nouns(), common_noun_flag);
        return word_table(std::vector<std::pair<std::string_view, uint32_t>>(m.begin(), m.end()));
    }();
    return table;
}

}  // namespace

uint32_t word_flags(std::string_view lower) {
    uint32_t flags = all_flags().find(lower);
    if (street_word_ending(lower)) {
        flags |= street_word_ending_flag;
    }
    return flags;
}

uint32_t word_flags_padded(const char * lower, size_t size) {
    static const word_table & table = all_flags();
    uint32_t flags = table.find_padded(lower, size);
    if (street_word_ending(std::string_view(lower, size))) {
        flags |= street_word_ending_flag;
    }
    return flags;
}

bool common_noun(std::string_view lower) { return common_nouns().count(lower) > 0; }

bool english_word(std::string_view lower) { return english_words().count(lower) > 0; }

bool function_word(std::string_view lower) { return function_words().count(lower) > 0; }
bool demonym(std::string_view lower) { return demonyms().count(lower) > 0; }

bool first_name(std::string_view lower) { return first_names().count(lower) > 0; }
bool surname(std::string_view lower) { return surnames().count(lower) > 0; }
bool place(std::string_view lower) { return places().count(lower) > 0; }
bool us_state_code(std::string_view word) { return state_codes().count(word) > 0; }
bool street_suffix(std::string_view lower) { return street_suffixes().count(lower) > 0; }
bool street_prefix(std::string_view lower) { return street_prefixes().count(lower) > 0; }
bool unit_word(std::string_view lower) { return unit_words().count(lower) > 0; }
bool org_suffix(std::string_view lower) { return org_suffixes().count(lower) > 0; }
bool title_word(std::string_view lower) { return titles().count(lower) > 0; }
bool common_word(std::string_view lower) { return common_words().count(lower) > 0; }
bool date_word(std::string_view lower) { return date_words().count(lower) > 0; }
bool name_particle(std::string_view lower) { return particles().count(lower) > 0; }

namespace {

constexpr std::string_view street_endings[] = {
    "strasse", "straße", "gasse", "allee", "platz", "gatan", "vägen", "stien", "veien", "vegen", "katu",
    "kuja", "polku", "straat", "laan", "gracht", "utca", "weg", "damm", "ufer", "vej", "gade", "street",
    "road", "avenue", "steig", "chaussee", "markt", "gränd", "torget", "plein", "singel", "väylä", "tie", "körút",
    "-ku", "-gu", "-dong", "-ro", "-gil", "-daero", "-dori", "-machi", "-cho", "-shi",
};
constexpr size_t street_ending_count = sizeof street_endings / sizeof street_endings[0];

// The endings grouped by their last byte: most words end in a byte no
// ending ends in, and the others compare against two or three endings.
struct ending_index {
    std::array<uint8_t, 257> first{};  // endings of last byte b: order[first[b] .. first[b + 1])
    std::array<uint8_t, street_ending_count> order{};
};

constexpr ending_index make_ending_index() {
    ending_index x;
    std::array<uint8_t, 256> count{};
    for (std::string_view e : street_endings) {
        ++count[static_cast<unsigned char>(e.back())];
    }
    for (size_t b = 0; b < 256; ++b) {
        x.first[b + 1] = static_cast<uint8_t>(x.first[b] + count[b]);
    }
    std::array<uint8_t, 256> fill{};
    for (size_t k = 0; k < street_ending_count; ++k) {
        const auto b = static_cast<unsigned char>(street_endings[k].back());
        x.order[x.first[b] + fill[b]++] = static_cast<uint8_t>(k);
    }
    return x;
}

constexpr ending_index street_ending_index = make_ending_index();

}  // namespace

bool street_word_ending(std::string_view lower) {
    if (lower.size() < 6) {
        return false;
    }
    const auto last = static_cast<unsigned char>(lower.back());
    for (size_t k = street_ending_index.first[last]; k < street_ending_index.first[last + 1]; ++k) {
        const std::string_view e = street_endings[street_ending_index.order[k]];
        if (lower.size() <= e.size() + 2) {
            continue;
        }
        size_t m = 1;
        while (m < e.size() && e[e.size() - 1 - m] == lower[lower.size() - 1 - m]) {
            ++m;
        }
        if (m == e.size()) {
            return true;
        }
    }
    return false;
}

}  // namespace tiergate::guard::lexicon
