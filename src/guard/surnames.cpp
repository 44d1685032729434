#include "guard/word_lists.h"

namespace tiergate::guard::word_lists {

// Common surnames across languages and regions, lowercase, separated by white
// space; lines starting with # are comments.
std::string_view surnames() {
    return R"words(
# English-speaking
abbott acevedo acosta adams adkins aguilar aguirre alexander allen allison alvarado alvarez andersen anderson
andrews armstrong arnold ashley atkins atkinson austin avery ayala bailey baird baker baldwin ball ballard
banks barber barker barnes barnett barr barrett barry bartlett barton bates baxter beck becker bell bender
bennett benson bentley berg berry best bird bishop black blackburn blair blake blanchard bolton bond booker
boone booth bowen bowers bowman boyd boyle bradford bradley bradshaw brady brennan brewer bridges briggs brock
brooks brown bruce bryan bryant buchanan buckley bullock burch burgess burke burnett burns burton bush butler
byrd cain caldwell callahan calhoun cameron campbell cannon carey carlson carpenter carr carroll carson carter
carver case casey cash castillo castro chambers chan chandler chaney chapman charles chase christensen
christian church clark clarke clay clayton clements cobb cochran coffey cohen cole coleman collier collins
compton conley conner connolly conrad conway cook cooke cooley cooper copeland cortez costello cotton cox
craig crane crawford crosby cross crowley cummings cunningham curry curtis dale dalton daniel daniels
daugherty davenport davidson davies davis dawson day dean decker delaney dennis dickerson dickinson dickson
dillon dixon dodson dominguez donovan dorsey dougherty douglas downs doyle drake duffy duke duncan dunn durham
dyer eaton edwards elliott ellis ellison emerson england english erickson espinoza estes evans everett farley
farmer farrell faulkner ferguson fields finch finley fischer fisher fitzgerald fitzpatrick fleming fletcher
flores flowers floyd flynn foley forbes ford foster fowler fox francis franco frank franklin frazier frederick
freeman french frost fry fuller gaines gallagher galloway gamble garcia gardner garner garrett garrison gates
gentry gibbs gibson gilbert giles gill gillespie glass glover golden goodman goodwin gordon gould graham grant
graves gray green greene greer gregory griffin griffith grimes gross guerrero guthrie hahn hale haley hall
hamilton hammond hampton hancock hansen hanson hardin harding hardy harmon harper harrell harrington harris
harrison hart hartman harvey hatfield hawkins hayden hayes haynes hays heath hebert henderson hendricks henry
hensley herman hess hicks higgins hill hines hinton hobbs hodge hodges hoffman hogan holcomb holden holland
holloway holman holmes holt hood hooper hoover hopkins horn horne horton houston howard howe howell hubbard
huber hudson huff huffman hughes hull humphrey hunt hunter hurley hurst hutchinson hyde ingram irwin jackson
jacobs jacobson james jarvis jefferson jenkins jennings jensen johns johnson johnston jones jordan joseph
joyce kane kaufman keith keller kelley kelly kemp kennedy kent kerr key kidd king kirby kirk klein knapp
knight knowles knox koch kramer lamb lambert lane lang larsen larson lawrence lawson leach leblanc lee lester
levine lewis lindsey little livingston lloyd logan long love lowe lucas lynch lyons mack macdonald mackenzie
maddox madden mann manning marsh marshall martin mason massey mathews mathis matthews maxwell may mayer
maynard mayo mccall mccann mccarthy mcclain mcconnell mccormick mccoy mcdaniel mcdonald mcdowell mcgee mcguire
mcintosh mckay mckee mckenzie mclaughlin mclean mcmahon mcmillan mcpherson meadows melton merritt meyer meyers
michael middleton miles miller mills mitchell montgomery moody moon moore moran morgan morris morrison morrow
morse morton moss mueller mullins murphy murray myers nash neal nelson newman newton nichols nicholson nixon
noble nolan norman norris norton nunez obrien o'brien oconnor o'connor odonnell oliver olsen olson oneal
o'neill osborne owen owens pace padilla page palmer parker parks parrish parsons patrick patterson patton paul
payne pearce pearson peck pennington perkins perry peters petersen peterson phelps phillips pickett pierce
pittman pitts poole pope porter potter powell powers pratt preston price prince pruitt quinn ramsey randall
randolph rasmussen ray raymond reed reese reeves reid reilly reynolds rhodes rice rich richards richardson
richmond riddle riggs riley roach robbins roberson roberts robertson robinson rodgers rogers rollins rose ross
roth rowe rowland russell russo ryan salazar sanders sanford savage sawyer schmidt schneider schroeder schultz
schwartz scott sellers sexton shaffer shannon sharp shaw shelton shepherd sheppard sherman shields short
simmons simon simpson sims sinclair singleton skinner slater small smith snow snyder solomon sparks spears
spencer stafford stanley stark steele stephens stephenson stevens stevenson stewart stokes stone stout
strickland strong stuart sullivan summers sutton swanson sweeney sykes talley tanner tate taylor terrell terry
thomas thompson thornton todd townsend tucker turner tyler underwood vance vaughan vaughn vincent wade wagner
walker wall wallace walsh walter walters walton ward ware warner warren washington waters watkins watson watts
weaver webb webster weeks welch wells west wheeler whitaker white whitehead whitfield whitley whitney wiggins
wilcox wilder wiley wilkerson wilkins wilkinson williams williamson willis wilson winters wise witt wolf wolfe
wong wood woodard woods woodward wright wyatt yates york young zimmerman
# Irish, Scottish, Welsh
ahern barry boyle brady breen brennan buckley byrne cahill callaghan carroll casey cassidy clancy coffey
collins connolly corcoran costello cullen daly deasy delaney dempsey doherty dolan donnelly donovan doyle
driscoll duffy duggan dunne egan farrell fitzgerald flanagan flynn foley gallagher geraghty hanlon healy
hegarty hennessy higgins hogan horgan keane kearney keating kelleher kennedy kenny keogh kiely lynch macaulay
macdonald macgregor mackay mackenzie mackintosh maclean macleod macmillan macpherson madden maguire maher
mahony malone mcbride mccabe mccarthy mcdermott mcgrath mcguinness mckenna mcnamara meehan molloy moloney
monaghan mooney moriarty mulcahy mulligan murphy nolan noonan o'brien o'callaghan o'connell o'donnell
o'donovan o'dwyer o'keeffe o'leary o'mahony o'malley o'neill o'reilly o'shea o'sullivan quigley quinlan regan
reilly ryan scanlon sheehan sheridan sweeney tierney walsh whelan ní ó evans griffiths hughes jenkins lloyd
morgan owen powell price pritchard rees roberts thomas vaughan williams
# German, Austrian, Swiss
ackermann albrecht arnold bach bachmann baier bauer baumann baumgartner beck becker berger bergmann beyer
bischoff blum böhm bose brandt brann braun busch dietrich dietz ebert eder engel ernst falk fischer frank
franke franz friedrich fuchs gärtner geiger graf gross großmann gruber günther haas hahn hartmann hauser
heinrich hermann herrmann hoffmann hofmann horn huber jäger jung kaiser keller kern kessler klein koch köhler
könig körner kraft kramer kraus krause krüger kuhn kühn kurz lang lange lehmann lorenz ludwig maier mayer
meier meyer möller moser müller neumann otto peters pfeiffer pohl popp richter ritter roth sauer schäfer
scharf schmid schmidt schmitt schmitz schneider scholz schreiber schröder schubert schulte schulz schulze
schumacher schuster schwab schwarz seidel siebert simon sommer stein steiner stephan thomas vogel vogt voigt
wagner walter weber wegner weiß weiss werner wild winkler winter wolf wolff zimmermann zander zeller
# Dutch, Flemish
bakker bos brouwer de boer de bruijn de graaf de groot de haan de jong de vos de vries de wit dekker dijkstra
hendriks hoekstra jacobs jansen janssen janssens kok koster kuipers maes meijer mertens mulder peeters peters
postma prins smit smits van beek van dam van den berg van der berg van der linden van der meer van dijk van
leeuwen van vliet visser vos willems wouters
# French, Belgian, Swiss, Quebec
andre arnaud aubert barbier baron bernard bertin bertrand blanc blanchard bonnet bouchard boucher bourgeois
boyer brun brunet caron carpentier chevalier clement colin collet cote côté david denis deschamps dubois
dufour dumas dumont dupont dupuis durand duval faure fabre fleury fontaine fournier francois gagnon garnier
gauthier gautier gerard germain girard giraud guerin guillaume henry hubert jacob joly laine lambert laurent
leblanc lebrun leclerc lefebvre lefevre lefèvre legrand lemaire lemoine leroux leroy lucas marchand marie
martin martinez masson mathieu mercier meunier michel moreau morel morin muller nicolas noel olivier paris
perrin petit philippe picard pierre poirier renard renaud richard robert robin roche rousseau roussel roux roy
schmitt simon tessier thomas tremblay vidal vincent
# Spanish, Latin American, Catalan, Basque
acosta aguilar alonso alvarez álvarez arias ávila benítez blanco bravo caballero cabrera calvo campos cano
carmona carrasco castillo castro cortés cruz delgado díaz diez domínguez durán espinoza esteban fernández
ferrer flores fuentes gallego garcía garrido gil giménez gómez gonzález guerrero gutiérrez hernández herrera
hidalgo ibáñez iglesias jiménez león lópez lorenzo lozano marín márquez martín martínez medina méndez mendoza
molina montero mora morales moreno muñoz navarro núñez ortega ortiz pascual peña pérez prieto ramírez ramos
reyes rivera rodríguez romero rubio ruiz sáez salazar sánchez santana santiago santos sanz serrano soler soto
suárez torres vargas vázquez vega velasco vera vidal aguirre echeverría etxeberria goikoetxea urrutia zubiri
zabala arrieta puig puigdemont vila ferrer soler roca pujol mas riera font
# Portuguese, Brazilian
almeida alves andrade araújo barbosa barros batista borges braga cardoso carvalho castro cavalcanti correia
costa cunha dias duarte fernandes ferreira fonseca freitas gomes gonçalves lima lopes machado marques martins
medeiros melo mendes miranda monteiro moraes moreira moura nascimento neves nogueira nunes oliveira pereira
pinheiro pinto ramos reis ribeiro rocha rodrigues sampaio santos silva silveira soares sousa souza teixeira
tavares vieira
# Italian
amato barbieri basile bellini benedetti bernardi bianchi bianco bruno caputo carbone caruso cattaneo colombo
conte conti costa de angelis de luca de rosa d'angelo esposito fabbri farina ferrara ferrari ferraro fiore
fontana galli gallo gentile giordano giuliani grasso greco guerra leone lombardi lombardo longo mancini
marchetti mariani marini marino martinelli mazza mazzi messina monti morelli moretti neri orlando palumbo
parisi pellegrini pellegrino riva rizzi rizzo romano rossetti rossi ruggiero russo sala sanna santoro sartori
serra silvestri testa valentini villa vitale
# Scandinavian, Finnish, Icelandic
aasen abrahamsen andersson andreassen axelsson backman berg bergman bergström berntsen björk blomqvist bråten
christiansen dahl dahlberg edvardsen ek ekström eliassen engström eriksen eriksson fredriksen gustafsson
haugen hagen halvorsen hansen hansson hedlund helland holm holmberg isaksen jakobsen jansson jensen
johannessen johansen johansson jonsson karlsen karlsson kristensen kristiansen larsen larsson lie lind
lindberg lindgren lindholm lindqvist lindström lund lundberg lundgren lundqvist madsen magnusson mikkelsen
moen møller nielsen nilsen nilsson nordin nyberg nygaard nyström olsen olsson pedersen persson petersen
pettersson poulsen rasmussen sandberg sjöberg solberg sørensen strand ström sundberg svensson thomsen wallin
åberg ahonen heikkilä heikkinen hiltunen hämäläinen järvinen kallio karjalainen kinnunen koivisto korhonen
koskinen laaksonen lahtinen laine lehtonen leinonen mäkelä mäkinen mattila miettinen nieminen niemi ojala
pitkänen rantanen salminen salo toivonen tuominen turunen virtanen jónsson sigurðsson guðmundsson gunnarsson
ólafsson einarsson kristjánsson jónsdóttir sigurðardóttir guðmundsdóttir
# Polish, Czech, Slovak, South Slavic, Baltic
adamczyk baran błaszczyk czarnecki dąbrowski duda dudek górski grabowski jabłoński jankowski jasiński jaworski
kaczmarek kalinowski kamiński kowalczyk kowalski kozłowski krajewski krawczyk król kubiak kwiatkowski
lewandowski majewski malinowski marciniak mazur michalski nowak nowakowski nowicki olszewski ostrowski pawlak
pawłowski piotrowski pietrzak sadowski sikora szczepański szewczyk szulc szymański tomaszewski urbański
walczak wieczorek wiśniewski witkowski wojciechowski wójcik wróbel wrona zając zalewski zawadzki zieliński
bartoš beneš čermák černý doležal dušek dvořák fiala hájek horák hrubý jelínek kadlec kolář kopecký král
krejčí kučera kovář marek mareš navrátil novák novotný pokorný pospíšil procházka růžička šimek svoboda sýkora
urban veselý vlček zeman horváth kováč lukáč tóth varga bajrami babić božić ćorić đorđević filipović ilić
jovanović jurić knežević kovačević marković matić milošević mitrović nikolić novaković pavlović perić petrović
popović radić savić stojanović tomić vuković živković horvat kovačič krajnc novak potočnik zupančič hadžić
hodžić begić delić mehmedović dimitrov georgiev ivanov petrov nikolov stoyanov kazlauskas jankauskas
petrauskas stankevičius vasiliauskas bērziņš kalniņš ozoliņš tamm saar sepp kask
# Hungarian, Romanian, Albanian
balázs balogh bíró boros farkas fekete fodor gál horváth juhász kántor katona kelemen kiss kocsis kovács
lakatos lukács mészáros molnár nagy németh oláh orsós pap papp pintér simon soós szabó szalai szűcs takács
tóth török varga vass vincze barbu constantin dinu dobre dumitrescu dumitru florea gheorghe ionescu iordache
lazăr marin matei mihai moldovan munteanu nistor oprea pop popa popescu radu rusu stan stoica tudor ursu
zamfir berisha gashi hoxha krasniqi shala thaçi
# Greek
alexiou anagnostou antoniou athanasiou christodoulou dimitriou georgiou giannopoulos ioannou karagiannis
konstantinidis makris nikolaidis oikonomou papadakis papadimitriou papadopoulos papageorgiou papanikolaou
pappas vasileiou παπαδόπουλος παπαδοπούλου γεωργίου νικολάου ιωάννου
# Russian, Ukrainian, Belarusian
alekseev andreev antonov baranov belov bogdanov bondarenko egorov fedorov frolov gavrilov golubev gusev ivanov
ivanova karpov kiselev kovalenko kovalchuk kozlov kravchenko krylov kudryavtsev kuzmin kuznetsov kuznetsova
lebedev lysenko makarov medvedev melnik melnyk mikhailov morozov nikolaev novikov orlov pavlov petrenko petrov
petrova popov romanov semenov sergeev shevchenko smirnov smirnova sokolov solovyov stepanov tarasov tkachenko
vasiliev vinogradov volkov volkova voronin yakovlev zaitsev zakharov иванов иванова петров смирнов кузнецов
попов соколов шевченко коваленко бондаренко
# Turkish, Azerbaijani, Central Asian
acar akın aksoy aktaş arslan aslan avcı aydın aydoğan bulut çakır çelik çetin demir demirci doğan duman
erdoğan eren erol güler güneş gürbüz kaplan kara karaca kaya keskin koç korkmaz kurt kılıç özdemir öztürk
polat şahin şen şimşek tekin turan uçar yalçın yavuz yıldırım yıldız yılmaz yüksel aliyev mammadov hasanov
huseynov ismayilov nazarbayev karimov rakhimov tashkentov
# Arabic, Persian, Hebrew
abbas abboud abdallah abdelrahman abdullah abu al-ahmad al-ali al-amin al-hassan al-khalil al-masri al-rashid
al-sayed al-tamimi al-zahrani amin awad aziz bakr darwish farah farouk fayad ghanem habib haddad hamdan hamdi
hassan hijazi hussein ibrahim ismail issa jaber jabbour karam kassem khalaf khalil khoury mansour masri mousa
mustafa nasr nassar obeid omar qasim rahman saad saleh salem salim shaheen sharif suleiman taha yousef younes
zaki ahmadi akbari alavi amini asadi azizi bagheri ebrahimi farahani ghorbani hashemi hosseini jafari karimi
kazemi khani mahdavi mohammadi moradi mousavi najafi rahimi rezaei sadeghi safavi salehi sharifi tehrani
zamani abramov ashkenazi avraham azoulay ben-david biton cohen dahan friedman goldberg goldstein greenberg
katz levi levy mizrahi peretz rosen rosenberg shapiro weiss
# South Asian
agarwal ahluwalia ahmed ali anand arora bajwa banerjee basu bhatia bhatt bose chakraborty chatterjee chaudhary
chauhan chopra choudhury das dasgupta desai deshmukh deshpande dutta gandhi ghosh gill goswami gupta iyengar
iyer jain joshi kapoor kaur khan khanna kulkarni kumar malhotra mehta menon mishra mukherjee naidu nair pandey
patel patil pillai prasad raghunathan rao reddy saxena sen sethi shah sharma shetty shukla singh sinha
srinivasan subramanian tiwari trivedi varma verma yadav butt chaudhry hussain iqbal javed malik mirza qureshi
raza rehman sheikh siddiqui chowdhury hossain islam miah rahman uddin perera fernando silva de silva
jayawardena wickramasinghe
# Chinese, Taiwanese, Cantonese romanizations
bai cai cao chan chang chen cheng cheung chiu chow chu cui deng ding dong du fan fang feng fu gao ge gong gu
guo han hao he ho hou hsu hu hua huang hui jiang jin kang ko kong kwan kwok lai lam lau lee leung li liang
liao lin ling liu lo long lu luo lv ma mak mao meng mo ng ou pan peng qian qin qiu ren shen shi song su sun
tan tang tao teng tian tsai tse tso wan wang wei wen wong wu xia xiao xie xiong xu xue yan yang yao ye yeung
yin yip yu yuan yung zeng zhang zhao zheng zhong zhou zhu zou
# Japanese, Korean
abe aoki arai endo fujii fujita fujiwara fukuda goto hara hasegawa hashimoto hayashi hirano ikeda imai inoue
ishida ishii ishikawa ito iwasaki kato kikuchi kimura kobayashi kojima kondo kubo matsuda matsumoto miura
miyamoto miyazaki mori morita murakami murata nakagawa nakajima nakamura nakano nishimura noguchi nomura ogawa
ohashi okada okamoto ono ota saito sakai sakamoto sasaki sato shimizu suzuki takada takagi takahashi takeda
tanaka taniguchi ueda uchida wada watanabe yamada yamaguchi yamamoto yamashita yamazaki yoshida yoshikawa ahn
bae baek cha choi chung han heo hong hwang jang jeon jeong jo jung kang ko kwon lim moon oh park ryu seo shin
song yang yoo yoon
# Vietnamese, Thai, Indonesian, Filipino
bui dang dinh do duong ha hoang huynh lam le luong ly mai ngo nguyen nguyễn pham phan quach ta thai tran trần
trinh truong vo vu vuong chaiyaporn srisuk suwannarat thongchai wongsawat boonmee saelim hartono kusuma
santoso setiawan sutanto wijaya gunawan halim tanoto aquino bautista castillo cruz de la cruz del rosario dela
cruz flores garcia gonzales mendoza ramos reyes santos soriano villanueva
# African
abara abiola achebe adebayo adeleke adeyemi adjei afolabi agbaje akande akinola amadi anyanwu asante babangida
balogun bankole boateng danjuma diallo diop eze ezeh fofana kamara keita konate koroma mensah nwachukwu nwosu
obi odukoya ogunleye okafor okeke okonkwo okoro oladipo olawale onyango osei owusu sow touré traoré yeboah
bekele girma haile kebede tadesse tesfaye wolde kamau kariuki kimani mwangi njoroge ochieng odhiambo omondi
otieno wanjiru dlamini khumalo mahlangu mokoena naidoo ndlovu nkosi zulu mbeki moyo banda phiri mwale
# Hawaiian, Pacific
kahananui kealoha kamakau akana fonoti taufa tupou
)words";
}

}  // namespace tiergate::guard::word_lists
