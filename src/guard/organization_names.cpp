#include "guard/word_lists.h"

namespace tiergate::guard::word_lists {

// Well-known companies, brands and institutions, lowercase, separated by
// commas (names may hold spaces); lines starting with # are comments.
std::string_view organization_names() {
 return R"words(
# large companies, banks and brands
accenture, adidas, adobe, airbnb, airbus, alibaba, allianz, alphabet, amazon, amd, american express, amgen,
anheuser-busch, aon, arcelormittal, astrazeneca, at&t, audi, autodesk, aviva, axa, baidu,
banco santander, bank of america, barclays, basf, bayer, bbva, berkshire hathaway, blackrock, blackstone, bmw,
bnp paribas, boeing, booking holdings, bosch, bp, bristol-myers squibb, broadcom, bytedance,
canon, capgemini, capital one, carrefour, caterpillar, chevron, cisco, citigroup, citibank, coca-cola,
colgate-palmolive, comcast, commerzbank, costco, credit suisse, daimler, danone, dell, deloitte,
delta air lines, deutsche bank, deutsche telekom, dhl, disney, dropbox, ebay, electronic arts, eli lilly,
emirates, enel, engie, equinor, ericsson, ernst & young, exxonmobil, exxon mobil, facebook, fedex, ferrari,
fidelity, fidelity investments, ford motor, foxconn, fujitsu, general electric, general motors, gilead,
glaxosmithkline, goldman sachs, google, heineken, hermès, hewlett-packard, hitachi, home depot, honda,
honeywell, hsbc, huawei, hyundai, ibm, ikea, infosys, intel, intesa sanpaolo, jpmorgan, jpmorgan chase,
johnson & johnson, kpmg, kraft heinz, l'oréal, lenovo, lg, linkedin, lockheed martin, l'oreal, lufthansa,
lvmh, mastercard, mcdonald's, mckinsey, mercedes-benz, merck, micron, microsoft, mitsubishi,
morgan stanley, motorola, natwest, nestlé, nestle, netflix, nike, nintendo, nissan, nokia, novartis,
novo nordisk, nvidia, panasonic, paypal, pepsico, pfizer, philips, porsche, procter & gamble,
prudential, pwc, qualcomm, rakuten, reed elsevier, relx, renault, rio tinto, roche, rolls-royce,
royal dutch salesforce, samsung, sanofi, schneider electric, siemens, 
societe generale, société générale, sony, spotify, starbucks, t rowe price, t. rowe price, tata,
tata consultancy services, tencent, tesla, texas instruments, thomson reuters, toshiba, totalenergies,
toyota, uber, ubs, unicredit, unilever, united airlines, verizon, vodafone, volkswagen, volvo,
walmart, wells fargo, wipro, xerox, xiaomi, yahoo, zalando, zurich insurance,
# public bodies, institutions, media
bbc, cnn, reuters, associated press, the guardian, the new york times, new york times, washington post,
financial times, the economist, bloomberg, al jazeera, le monde, der spiegel, el país, nasa, cern, 
world health organization, unicef, unesco, united nations, european union, european commission,
european central bank, world bank, international monetary fund, imf, nato, oecd, wto, red cross,
doctors without borders, médecins sans frontières, amnesty international, greenpeace, wwf, fbi, cia, nsa,
interpol, europol, fda, irs, nhs, harvard, stanford, oxford university, cambridge university, yale,
princeton, caltech, eth zurich, sorbonne,
)words";
}

} // namespace tiergate::guard::word_lists
