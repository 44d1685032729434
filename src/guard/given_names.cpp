#include "guard/word_lists.h"

namespace tiergate::guard::word_lists {

// Common given names across languages and regions, lowercase, separated by
// white space; lines starting with # are comments.
std::string_view given_names() {
    return R"words(
# English-speaking countries
aaron abigail ada adam addison adrian adriana adrienne agnes aiden aimee alan alana albert alberta alec alexa
alexander alexandra alexandria alexis alfred alice alicia alison allan allison alma alvin alyssa amanda amelia
amy andre andrea andrew andy angela angelica angelina angie anita ann anna annabelle anne annette annie
anthony antoinette antonio april archie ariana ariel arlene arnold arthur ashley ashton aubrey audrey austin
ava avery bailey barbara barry beatrice becky belinda ben benjamin bernadette bernard bernice beth bethany
betsy betty beverly bianca billy blake bobby bonnie brad bradley brady brandi brandon brandy brenda brendan
brent brett brian briana brianna bridget brittany brittney brooke bruce bryan bryce caitlin caleb calvin
cameron camila candace cara carl carla carlos carly carmen carol caroline carolyn carrie casey cassandra
cassidy catherine cathy cecil cecilia cedric celeste celia chad charlene charles charlie charlotte chelsea
cheryl chester chloe chris christian christina christine christopher christy cindy claire clara clarence
claude claudia clayton clifford clint clinton clyde cody colin colleen connie connor conor constance cora
corey cornelius courtney craig crystal curtis cynthia daisy dakota dale dallas damian damon dan dana daniel
danielle danny daphne darlene darrell darren darryl daryl dave david dawn dean deanna debbie deborah debra
deirdre delia denise dennis derek derrick desiree devin devon diana diane dianne dolores dominic don donald
donna dora doreen doris dorothy doug douglas duane dustin dwayne dwight dylan earl ed eddie edgar edith edmund
edna eduardo edward edwin eileen elaine eleanor elena eli elijah elise eliza elizabeth ella ellen ellie elliot
elliott eloise elsie elvis emily emma emmett eric erica erik erin ernest esther ethan ethel eugene eunice eva
evan evelyn everett faye felicia felix fiona florence floyd frances francis frank franklin fred freddie
frederick gabriel gabriella gabrielle gail gareth garrett gary gavin gemma gene geneva genevieve geoffrey
george georgia gerald geraldine gertrude gilbert gina ginger giselle gladys glen glenda glenn gloria gordon
grace graham grant greg gregory greta gretchen gwen gwendolyn hailey haley hank hannah harold harper harriet
harry harvey hayden hazel heath heather hector heidi helen helena henry herbert herman hilary hillary holly
homer howard hugh hugo ian ida imogen irene iris isaac isabel isabella isabelle isaiah ivan ivy jack jackie
jackson jacob jacqueline jade jaden jaime jake james jamie jan jane janet janice janie jared jasmine jason
jasper jay jean jeanette jeanne jeff jeffery jeffrey jenna jennifer jenny jeremiah jeremy jerome jerry jesse
jessica jessie jill jim jimmy jo joan joann joanna joanne jocelyn jodi jody joe joel joey john johnny jon
jonah jonathan jordan jorge joseph josephine josh joshua joy joyce juan judith judy julia julian juliana julie
juliet june justin kara karen kari karl kate katelyn katherine kathleen kathryn kathy katie katrina kay kayla
keith kelly kelsey ken kendra kenneth kenny kerry kevin kim kimberly kirk kristen kristi kristin kristina
kristy kurt kyle lacey lance larry laura lauren laurie lawrence leah lee leigh leila leo leon leonard leroy
leslie lester levi lewis liam lillian lily linda lindsay lindsey lionel lisa lloyd logan lois lonnie lora
loretta lori lorraine louis louise lucas lucille lucy luke lydia lynda lynn mabel mackenzie madeline madelyn
madison mae maggie malcolm mandy marc marcia marcus margaret margie maria marian marianne marie marilyn marina
mario marion marisa marjorie marlene marsha marshall martha martin marvin mary mason matthew mattie maureen
maurice max maxine maya megan meghan melanie melinda melissa melody melvin meredith mia micheal michael
michele michelle mike mildred miles milton mindy miranda miriam misty mitchell molly monica monique morgan
myra myrtle nancy naomi natalie natasha nathan nathaniel neil nellie nelson nicholas nichole nick nicole nigel
nina noah noel nora norma norman olive oliver olivia opal oscar owen paige pam pamela patricia patrick patsy
patti patty paul paula pauline pearl peggy penelope penny percy perry peter phil philip phillip phoebe phyllis
polly priscilla quentin quinn rachel ralph randall randy raquel raymond rebecca reggie regina reginald renee
rex rhonda ricardo rick ricky riley rita rob robbie robert roberta roberto robin rochelle rodney roger roland
ronald ronnie rory rosa rosalie rose rosemary ross roxanne roy ruby rudolph russell ruth ryan sabrina sadie
sally samantha sammy samuel sandra sandy sara sarah savannah scarlett scott sean sebastian selena seth shane
shannon sharon shaun shawn shawna sheila shelby shelley sheri sherri sheryl shirley sidney sierra simon sofia
sonia sonya sophia sophie spencer stacey stacy stanley stella stephanie stephen steve steven stuart sue summer
susan suzanne sydney sylvia tamara tammy tanya tara tasha taylor ted terence teresa terrance terrence terri
terry thelma theodore theresa thomas tiffany tim timothy tina toby todd tom tommy toni tony tonya tracey traci
tracy travis trent trevor tricia trina troy tyler tyrone una ursula valerie vanessa vera vernon veronica vicki
vicky victor victoria vincent viola violet virgil virginia vivian wade wallace walter wanda warren wayne wendy
wesley whitney wilbur willard william willie willis wilma winifred winston xavier yolanda yvette yvonne
zachary zane zoe zoey
# Irish, Scottish, Welsh
aidan aileen aisling aoife bairbre brendan bronagh caoimhe ciara cian ciaran cillian clodagh colm cormac
darragh declan deirdre diarmuid donal dermot eamon eamonn eilidh eimear eithne emer enda eoin fergal fergus
finbar finn fionn fionnuala grainne hamish iain iona isla kieran kirsty laoise lorcan mairead mairi mhairi
micheal niall niamh oisin orla orlaith padraig padraic peadar roisin ronan ruairi saoirse seamus sean seosamh
shauna sinead siobhan siobhán seán sorcha tadhg una bronwen cerys dafydd dylan eira emrys gethin glyn gwyn
hywel ieuan ifan llewelyn megan owain rhiannon rhys sian siân tegan
# German, Austrian, Swiss, Dutch, Flemish
achim adelheid agathe albrecht alois andreas anke annegret annelie anneliese arne arnd arno axel barbel bärbel
bastian benedikt bernd bernhard berthold birgit björn bodo brigitte burkhard carsten christa christel
christiane christoph claudia cornelia dagmar detlef detlev dieter dietmar dietrich dirk doris eberhard
edeltraud egon ekkehard elke elfriede elisabeth elmar emil erich erika ernst erwin eva evelin ewald fabian
falk felix florian frank franz franziska frauke friedrich frieda friedhelm fritz gabi gabriele gerd gerda
gerhard gernot gertrud gisela gottfried gregor gudrun gunter günter günther gustav hagen hannelore hannes
hanns hans hansjörg harald hartmut hedwig heidrun heike heiko heinrich heinz helga helmut helmuth henning
herbert hermann hildegard holger horst hubert ilse ina ingeborg ingo ingrid irmgard jan jens joachim jochen
johann johanna johannes jonas jörg josef jupp jürgen jutta kai karin karl karla karsten katharina kathrin
katja katrin kerstin klaus knut konrad kornelia kurt lars leni lennart leonie liesel lothar lotte lucas ludwig
luise lukas lutz magdalena maik malte manfred manuela mareike margarete margit marianne marion marko markus
marlene martina mathias matthias meike melanie michaela mirko monika moritz nadine nico niklas nils norbert
olaf ortrud ottilie otto patrick paulina petra philipp rainer ralf regina reiner reinhard reinhold renate rene
rolf roland rosemarie rudi rudolf rüdiger sabine sandra sascha sebastian siegfried sieglinde sigrid silke
simone sonja stefanie steffen stephan susanne sven swen tanja thorsten till tilman timo tobias torsten udo ulf
ulla ulrich ulrike ursula ute uwe veronika volker waltraud walther wendelin werner wilfried wilhelm willi
wiebke wolfgang wolfram yvonne
aafke anneke annemarie anouk bart bas bram cas casper cees daan dirk dorien eline els emma esther eva evert
femke floor fleur frans frits gerrit gert gijs guus hendrik henk hennie ilse inge jaap jan janneke jasper
jelle jeroen joost joris jurgen kees klaas koen lieke lieve lisanne lotte luuk maarten marieke marijke
marjolein marloes mees merel milan mirjam niels noor pieter pim quinten rik rob roel ruud sander sanne sem
siem sjoerd sofie stijn teun thijs tijn tim tom ton wim willem wouter yvonne bert dries geert jef joke jos
karel lien lieven luc machteld mieke nele pieterjan rien sien veerle wannes wout
# French, Belgian, Swiss French, Quebec
adèle adrien agathe aimé alain albane alexandre alexis alice aline amandine amélie anaïs andré anne-marie
anne-sophie annick antoine apolline ariane armand arnaud arthur aubin audrey aurélie aurélien axelle baptiste
basile bastien benoît bérénice bernadette blanche brigitte camille capucine céline cécile chantal charles
charlotte chloé christelle christian christophe claire clarisse claude clémence clément colette coralie
corentin cyril cyrille damien daniel delphine denis didier dominique édith édouard élise éloïse émile émilie
emmanuel emmanuelle éric estelle étienne eugénie fabien fabienne fabrice fanny félix florence florian françois
françoise frédéric frédérique gabriel gaël gaëlle gaétan gaëtan gaspard geneviève geoffroy georges gérald
gérard ghislain ghislaine gilbert gilles gisèle grégoire guillaume gustave guy hélène henri hervé hugo hugues
inès irène isabelle jacques jacqueline jean jean-baptiste jean-claude jean-françois jean-luc jean-marc
jean-marie jean-paul jean-pierre jeanne jérémie jérôme joël joëlle josé josette josiane jules julie julien
juliette justine karine laetitia laure laurence laurent léa léo léon léonie lise loïc lorraine louis louise
luc lucas lucie lucien lucille ludovic madeleine maël maëlle manon marc marcel margaux margot marianne marie
marie-claire marie-france marie-hélène marine marion marius martine mathéo mathilde mathis matthieu maurice
maxime mélanie mélissa michel micheline michèle mireille monique morgane muriel mylène nadège nadine nathalie
nicolas nicole noémie noël océane odette odile olivier pascal pascale patrice patricia paul pauline philippe
pierre quentin rachel raphaël raymond régis rémi rémy renaud rené renée robert roger romain romane rose sabine
sacha salomé samuel sandrine sébastien serge séverine simon simone solène sophie stéphane stéphanie suzanne
sylvain sylvie théo théodore thérèse thibault thibaut thierry thomas timothée tristan valentin valérie vanessa
véronique victor victoire vincent virginie xavier yann yannick yves yvette yvonne zoé
# Spanish, Latin American, Catalan, Basque, Galician
adela adolfo adriana agustín agustina aitana aitor alba alberto alejandra alejandro alfonso alfredo alicia
almudena álvaro amparo ana anabel andrés ángel ángela ángeles antonia antonio araceli arantxa arturo asier
aurora beatriz begoña benito bernardo blanca borja bruno camila candela carla carlos carmen carolina catalina
cayetana cecilia celia césar clara concepción consuelo cristian cristina dani daniela david diego dolores
domingo eduardo elena eloy emilio encarnación enrique ernesto esperanza esteban estefanía eugenia eva fabiola
federico felipe fernanda fernando francisca francisco gabriel gabriela gerardo germán gloria gonzalo graciela
gregorio guadalupe guillermo gustavo héctor hugo ignacio inés inmaculada irene iratxe isabel ismael itziar
iván jacinto jaime javier jesús jimena joaquín jordi jorge josé josefa josefina juan juana julia julián julio
laura leire leonor leticia lidia lola lorena lorenzo lourdes lucía luis luisa macarena manuel manuela marcela
marcelo marcos margarita maría mariana mariano marina mario marisol marta martín martina mateo matías mercedes
miguel milagros mireia miriam mónica montserrat nerea nicolás noelia nuria octavio olga óscar pablo paloma
paola pascual patricia paula paulina pedro pilar rafael ramiro ramón raquel raúl rebeca regina remedios
ricardo roberto rocío rodolfo rodrigo rogelio rosa rosario rubén salvador samuel santiago sara sergio silvia
sofía soledad susana teresa tomás trinidad úrsula valentina valeria verónica vicente víctor virginia xavier
ximena yolanda zoe ainhoa amaia ane ekaitz eneko gorka igor iker imanol ioritz irati itsaso jon josu julen
koldo maialen mikel unai xabier xurxo uxía brais iago antía xoán pau pol roger oriol arnau marc jaume joan
montse núria meritxell laia aina ona berta
# Portuguese, Brazilian
adriano afonso alessandra aline amália ana anderson andré andreia antónio augusto beatriz benedito bruna bruno
caio camila carla carlos catarina cecília célia césar clara cláudia cláudio cristiano daniela débora diana
diogo duarte edson eduarda eduardo elaine eliane elisa emanuel enzo érica fabiana fábio fátima felipe fernanda
fernando filipa filipe flávia flávio francisca francisco gabriel gabriela gilberto gonçalo graça guilherme
gustavo heitor helena henrique hugo igor inês isabela isadora iara jaqueline joana joão joaquim jorge josé
júlia juliana júlio larissa laura leandro leonardo letícia lívia lorena luana lucas luciana luísa luiz maria
mariana marcelo márcia marco marcos marta mateus matheus mauro miguel milena murilo natália nuno otávio
patrícia paulo pedro priscila rafael rafaela raquel regina renata renato ricardo rita roberto rodrigo rogério
rosa rui sandra sara sebastião sérgio sílvia simone sofia sónia tânia tatiana thiago tiago tomás valéria
vanessa vera vinícius vitória vítor wagner wellington yasmin
# Italian
adele adriano agnese agostino alberto alessandra alessandro alessia alice alfredo amedeo andrea angela angelo
anna annalisa antonella antonio arianna armando arturo aurora barbara beatrice benedetta bianca bruno carla
carlo carmela carmine caterina cesare chiara claudia claudio concetta corrado cristiano cristina daniela
daniele dario davide debora diego domenico donatella edoardo elena eleonora elisa elisabetta emanuele emma
enrico enzo ernesto ettore fabio fabrizio federica federico filippo fiorella flavia flavio francesca francesco
franco gabriele gaetano giacomo gianluca gianni gianpaolo gino giorgia giorgio giovanna giovanni giulia
giuliana giuliano giulio giuseppe giuseppina grazia graziella guido ilaria irene lara laura leonardo letizia
lidia lino lorenza lorenzo luca lucia luciana luciano lucrezia ludovica luigi luisa marcello marco margherita
maria marina mario marta martina massimo matilde matteo maurizio michela michele mirko monica nadia nicola
nicoletta noemi ornella paola paolo pasquale patrizia pietro piero raffaele raffaella renato riccardo rita
roberta roberto rocco romano rosa rosanna rossella salvatore samuele sandro sara serena sergio silvana silvia
simona simone sofia stefania stefano tiziana tommaso ugo valentina valerio vanessa vincenzo virginia vittoria
vittorio
# Scandinavian, Finnish, Icelandic, Baltic
agnetha alf alva anders andreas anette anita anja anne anneli arne astrid atle birger birgitta bjarne björn bo
bodil britt britta camilla carina dag dagny eirik einar elin elisabet elsa emil erik erika espen even frida
fredrik freja frode geir gorm greta gry gudrun gunhild gunnar gustav hakon haakon halvard hanne hans harald
hedda helga henrik hilde hjalmar idun inga inge inger ingrid ingvar isak jakob jarl jens jenny johan johanna
jon jonas jorunn kaja kari karin karl kasper kenneth kirsten kjell klara knut kristian kristin kristina
kristoffer lars leif lena linnea liv lotta lucas magnus maja malin marit mats mette mikael mikkel mille morten
nils nora oda ola olav olga oliver olof oskar ove pelle per pernille ragnar ragnhild rasmus rolf rune sara
sigrid sigurd silje sindre siri sissel solveig stig stina sune svante sven synnøve thea thor thomas tone tor
tora torbjörn tove trine ulf ulla ulrik ulrika vera vibeke viggo vilde wenche åsa øystein ørjan åse
aino aleksi anna-liisa annikki antero antti armas arto eero eetu eila eino elina elisa emilia esa eveliina
hannele hanna heikki helena helmi henna ilari ilkka ilona irja jaakko janne jari jarmo jouko jukka juha juho
jussi jyrki kaarina kaija kalevi kari kaisa katja kimmo kirsi kyösti lassi lauri leena liisa maarit marja
marjatta markku matti merja mika mikko minna mirja niina niko olli oskari outi paavo päivi pasi pauliina pekka
pentti petri pirjo raili raimo reijo riikka riitta risto ritva sakari sami sanna santeri sari satu seppo simo
sirpa sirkka tapani tapio tarja teemu terhi timo tommi tuomas tuula tuomo ulla urho väinö veikko vesa ville
arnar ásgeir birna björk einar eiður guðrún gunnar halldóra helga hildur ingibjörg jóhann jón kristín ólafur
páll ragnheiður sigríður sigurður stefán þóra þórður
agne aistė aleksandras algirdas andrius audra dainius darius dovydas egidijus eglė gediminas giedrė gintaras
ieva jonas jurgita justinas kęstutis laura lukas mantas marius mindaugas neringa paulius rasa rimantas rūta
saulius simona tomas vaida vilma vytautas žydrūnas andris anita arturs baiba dace daina edgars ilze inese
ivars jānis juris kristaps laila liene līga mārtiņš rūdolfs sandra uldis valdis zane aivar andres indrek jaan
kadri kaja kalev kersti liina mait margus marje mart meelis piret priit rein siim tiina toomas triin urmas
# Polish, Czech, Slovak, Slovenian, Croatian, Serbian, Bosnian, Bulgarian, Macedonian
adam adrian agata agnieszka aleksander aleksandra alicja andrzej aneta anna antoni arkadiusz artur barbara
bartłomiej bartosz beata bogdan bogumiła bogusław bożena czesław damian daniel danuta dariusz dawid dominik
dorota edyta elżbieta emilia ewa ewelina filip franciszek grażyna grzegorz halina helena henryk hubert ignacy
igor irena iwona jacek jadwiga jakub jan janina janusz jarosław jerzy joanna jolanta józef julia julian
justyna kacper kamil kamila karol karolina katarzyna kazimierz kinga konrad krystyna krzysztof leszek lucyna
łucja łukasz maciej magdalena maja małgorzata marcin marek maria mariusz marta marzena mateusz michał
mieczysław mikołaj milena mirosław monika natalia nikola norbert oliwia oskar patrycja paulina paweł piotr
przemysław radosław rafał renata robert roman ryszard sebastian sławomir stanisław stefan sylwia szymon
tadeusz teresa tomasz urszula wacław waldemar weronika wiesław wiktor wiktoria witold władysław włodzimierz
wojciech zbigniew zdzisław zenon zofia zuzanna zygmunt
alena aleš alžběta anežka antonín bedřich blanka bohumil bohuslav božena břetislav dagmar dana daniela david
drahomíra eliška emil eva filip františek hana ivana ivo jana jarmila jaromír jaroslav jindřich jiří jitka
josef kamila karel kateřina klára kristýna ladislav lenka libor libuše lucie lubomír ludmila luboš marcela
markéta marie martin matěj michaela milan milena miloslav miloš miroslav monika naděžda oldřich ondřej pavel
pavla petr petra přemysl radek radka renata richard roman růžena simona stanislav šárka štěpán tereza tomáš
václav věra veronika vladimír vlasta vojtěch zbyněk zdeněk zdeňka zuzana bohdan ľubomír ľudmila juraj kristína
marián matúš miroslava peter róbert štefan viera zlatica anže blaž boštjan gregor janez jure luka matej matjaž
mojca nataša nejc primož rok špela tadej urška žiga
ana andrija ante antonija blaženka boris božidar branimir branko damir danijel darko davor dejan dragan
dragana dražen dubravka duško dušan goran gordana hrvoje igor ivan ivana ivica ivo jadranka jasna josip jovan
jelena katarina krešimir kristijan ljiljana ljubica luka marija marijana mario marko matija milan milica
milorad miloš mirjana miroslav mladen nada nebojša nemanja nenad nikola nikolina ognjen petar predrag radovan
ranko ratko sanja siniša slavica slobodan snežana srđan stjepan stefan stevan svetlana tamara tihomir tomislav
uroš vedran vesna vladimir vlatko zlatko zoran zorica željko žarko adnan alen almir amar amela amina armin
belma damir dino edin elma emina emir enes haris jasmin kenan lejla mirza nermin senad selma tarik zlatan asen
biser blagovest borislav boyan daniela desislava dimitar dobromir elitsa georgi hristo ivaylo kalina krasimir
lyubomir mariya milen nikolay petya plamen radka rumen stoyan svetla teodora todor tsvetan vasil veselin
yordan zdravko
# Hungarian, Romanian, Moldovan, Albanian
ábel ádám adrienn ágnes ágota aladár albert andrás andrea anikó anita annamária antal áron attila balázs
barbara béla bence bernadett csaba csilla dániel dávid dénes dezső dóra edit emese endre erika erzsébet eszter
etelka ferenc flóra gábor gergely gergő gizella györgy gyöngyi gyula hajnalka henrietta ibolya ildikó ilona
imre irén istván jános jenő józsef judit júlia kálmán károly katalin kinga klára kornélia kristóf krisztián
krisztina lajos lászló lilla lőrinc magdolna margit mária márk márta máté mátyás melinda mihály miklós mónika
nándor nikolett noémi norbert orsolya pál péter piroska réka renáta richárd róbert rozália sándor sára szabina
szabolcs szilárd szilvia tamás tibor tímea tünde vera viktor viktória vilmos zita zoltán zsófia zsolt
zsuzsanna
adrian adriana alexandra alexandru alin alina ana anca andra andreea andrei angela anişoara bianca bogdan
camelia carmen cătălin cătălina cezar claudiu constantin corina cornel cosmin costel cristi cristian cristina
dan daniela delia denisa diana dorin dumitru elena emil eugen florin florina gabriel gabriela george georgeta
gheorghe horia ilie ioan ioana ion ionel ionuț iulia iulian laurențiu liliana liviu lucian luminița marian
marius mihaela mihai mirela monica nicolae nicoleta octavian ovidiu paul petru radu raluca răzvan remus roxana
sebastian silviu simona sorin ştefan ștefan teodor traian valentin vasile viorel viorica vlad
agim altin alban albana anila arben ardit arjan artan besa besnik blerim blerina bujar dritan drita elira
elton endrit enkeleda erion fatmir flutura gentian genta ilir klajdi kujtim lindita luan mimoza petrit rezarta
shpëtim valbona vjollca xhevdet
# Greek, Cypriot
achilleas agapi aikaterini alexandros alkis anastasia anastasios andreas angeliki antonis apostolos argyro
aristotelis athanasios athena charalambos christina christos chrysa constantinos despoina dimitra dimitris
dimitrios eleftheria eleftherios eleni evangelia evangelos fotini georgia georgios giannis giorgos grigoris
ioanna ioannis irini kalliopi katerina konstantina konstantinos kostas kyriakos lambros leonidas lefteris
marianna markos michalis nektarios nikolaos nikos olga panagiota panagiotis pantelis paraskevi pavlos petros
savvas sofia sotiris spyros stavros stelios stylianos thanasis theodora theodoros thomas vangelis vasiliki
vasilis vassilis xanthi yannis yiannis zoe αλέξανδρος άννα γιάννης γιώργος γεώργιος δημήτρης ελένη ιωάννης
κατερίνα κωνσταντίνος μαρία νίκος παναγιώτης σοφία
# Russian, Ukrainian, Belarusian (transliterated and Cyrillic)
aleksandr aleksei aleksey alexei alena alina alla alyona anastasia anatoli anatoly andrei andrey anna anton
antonina arkady arseny artem artyom boris bogdan daria darya denis dmitri dmitriy dmitry egor ekaterina elena
elizaveta evgeni evgeny evgenia fedor fyodor galina gennady georgy gleb grigory igor ilya inna irina ivan kira
kirill konstantin ksenia kseniya larisa leonid lev lidia liudmila lyudmila maksim margarita marina mariya
maxim mikhail nadezhda natalia natalya nikita nikolai nina oksana oleg olga pavel petr polina roman ruslan
sergei sergey stanislav stepan svetlana taisia tamara tatiana tatyana timofei timur vadim valentin valentina
valeria valery varvara vasily vera veronika viktor viktoria vitaly vladimir vladislav vsevolod vyacheslav
yaroslav yegor yekaterina yelena yevgeny yulia yuliya yuri yury zhanna zinaida zoya bohdan halyna hryhoriy
mykhailo mykola olena oleksandr oleksiy oleksandra petro serhiy taras volodymyr yaroslava yevhen yuliia yurii
александр алексей анастасия андрей анна антон борис валентина вера виктор владимир галина дарья дмитрий
евгений екатерина елена иван игорь ирина константин ксения людмила мария михаил наталья никита николай ольга
павел пётр роман светлана сергей татьяна юлия юрий ярослав
# Turkish, Azerbaijani, Central Asian
abdullah adem ahmet ali alp alper arda asli aslı aylin ayse ayşe aysel bahar baran barış berk berkay beril
betül beyza burak burcu cansu can cem cemal cengiz ceren deniz derya dilek doğan ebru ece efe egemen elif emel
emine emir emre engin erdem eren esra feride fatih fatma ferhat filiz gamze gizem gökhan gül gülay gülşen
hakan hande hasan hatice hülya ilker ipek irem kaan kadir kemal kerem koray leyla levent mehmet melek melike
melis meltem merve mert mesut metin murat mustafa nazlı nihat nur nurcan oğuz onur orhan özge özgür ozan pınar
recep rıza sedef selin selim semih serkan sevgi sevim sibel şule tarkan tolga tuba tuğba tuncay ufuk uğur ümit
utku volkan yağmur yasemin yavuz yeliz yiğit yıldız yunus yusuf zehra zeynep aida aigerim aizhan akmal aliya
almaz anvar arman askar aybek aynur azamat aziz bakhyt bekzat bolat dana daniyar dilnoza elnur erlan farida
farrukh gulnara gulnora ilham jahongir kairat kamila laziz madina marat nargiza nurlan nursultan otabek rustam
sanjar sardor shahlo shokhrukh timur ulugbek yerlan zarina
# Arabic, Persian, Kurdish, Hebrew
abbas abdel abdelaziz abdelkader abdul abdulaziz abdullah abdulrahman adel adnan ahmad ahmed aisha aicha akram
alaa ali amal amani amin amina amir amira ammar anas asma ayman aziz bashir basma bassam bilal dalia dina ehab
emad farah farid faris fatima fatma fawzi ghada habib hadi hafsa haitham hajar hala hamid hamza hana hani
hanan hasan hassan hatem haytham hayat heba hesham hisham hoda hossam houda hussein ibrahim ihab imad iman
imane ismail jalal jamal jamil jana jihad kamal karim karima khadija khaled khalid khalil laila lamia latifa
layla lina lubna mahmoud majid malak malik manal mansour marwa maryam mohamed mohammad mohammed mona mostafa
muhammad mustafa nabil nada nadia naima najib nasser nawal nizar noor nour nourhan omar osama rachid rami rana
rania rashid rasha reem rima riyad saad sabah sabri said saleh salem salim salma samar sameh samer sami samia
samir sana sara sawsan shadi sherif sofiane souad suleiman tamer tarek tareq wael walid wafa wassim yara
yasmin yasmine yassin yassine yehia youssef yousef yusuf zaid zainab zakaria zeinab ziad abolfazl ali-reza
alireza amin arash arezoo ashkan atefeh azadeh babak bahram behnam behrouz bijan dariush darius ehsan elham
farhad farnaz farzaneh fereshteh golnaz hamed hamid hossein javad kamran kaveh kian kourosh leila mahnaz mahsa
majid mani maryam masoud mehdi mehran mehrdad mina mitra mohsen mojtaba morteza nasrin navid neda negar
niloufar omid parisa parvaneh payam pegah pouya reza roya saeed sahar samira sanaz shahram shirin sima soheil
soraya taraneh yasaman zahra avi aviv ayelet dafna dalia dana daniel dov eitan eli elior eyal gal gil hadas
ilan itai itamar liat limor maya meir michal moshe nadav naama noa noam ofer ofir omri oren orly rivka ronit
roni shai shira shlomo shmuel tal tamar uri yael yair yaakov yitzhak yossi yonatan zeev ziv
# South Asian
aadhya aarav aarti aditi aditya akash akshay alok amit amita amitabh amrita anand ananya anil anita anjali
ankit ankita anuj anupam anusha aravind arjun arun aruna arvind ashok ashwin asha avinash ayush bhavna bhavya
bharat chandra chetan deepa deepak deepika dev devendra dhruv dinesh divya gaurav geeta girish gita gopal
govind hari harish harsh harsha hemant indira ishaan ishita jagdish jaya jayant jyoti kabir kajal kamal kamala
karan karthik kavita kavya kiran kishore krishna kumar lakshmi lalit madhu mahesh manish manoj meena meera
mohan mukesh naveen neha nikhil nisha nitin pallavi pankaj parth pooja pradeep prakash pranav prashant pratik
praveen preeti prem priya priyanka rahul raj raja rajan rajesh rajiv rakesh ramesh ranjit rashmi ravi rekha
reshma riya rohan rohit sachin sanjay sanjeev santosh sarita seema shalini shanti sharmila shekhar shilpa shiv
shreya shruti shweta simran sneha sonal sonia sudhir sujata sumit sunil sunita suresh sushil swati tanvi tarun
uma usha varun vijay vikas vikram vinay vinod vishal vivek yash yogesh harpreet gurpreet jaspreet manpreet
navjot simranjit amarjit baljit harjit kuldeep jasbir balwinder rupinder sukhwinder gurdeep paramjit abhishek
anirban arindam debashis indrani moumita rituparna sourav subhash sudipta tanmoy ayesha bilal faisal farhan
fawad hamza imran iqbal junaid kamran naveed nida rabia saba sadia shahid shazia tahir usman waqas zara
zeeshan anisur farida habibur kamrul mahbub nasrin rafiq rezaul shafiq tahmina arun kumaran karthikeyan
lakshmanan murugan ramanathan saravanan senthil subramaniam sundar thilak vignesh kasun nuwan chamari dilini
tharindu sanduni
# Chinese, Taiwanese, Hong Kong (pinyin and common romanizations)
ai an bao bin bo chang chao chen cheng chun dan dong fang fei feng gang guang guo hai hao hong hua huan hui
jia jian jiang jie jin jing jun kai lan lei li lian liang lin ling liu long mei min ming na ning peng ping
qiang qing rong rui shan sheng shu tao ting wei wen xia xiang xiao xin xiu xue yan yang yi ying yong yu yuan
yue yun zhen zheng zhi zhong zhu jiayi junjie haoran zihan yuxuan xinyi yichen zhiwei xiaoming xiuying guiying
yufang yuying xiaohong jianhua jianguo zhiqiang xiaoyan haiyan lihua meiling wenjun chunhua yating yiting
shuhui kuan chih hsin hsiu hsu chia ka-wai wing ka-ming siu-ming wai-man chi-ming
# Japanese
aiko akane akemi akihiro akio akira asuka atsushi ayaka ayame ayumi chiaki chiharu chihiro chika daichi daiki
daisuke eiji emi eri fumiko haruka haruki haruto hayato hikari hikaru hina hinata hiroko hiromi hiroshi hiroto
hiroyuki hisashi hitomi ichiro isamu jiro jun junichi junko kaede kana kanako kaori kaoru katsuya kazuki
kazuko kazuo kazuya keiko keisuke kenichi kenji kenta kento kiyoshi koichi koji kumiko kyoko mai maiko makoto
mami manabu mao mari mariko masaaki masahiro masako masami masao masaru masashi masato mayu mayumi megumi
michiko midori mika miki minoru misaki mitsuko miyu moe momoko naoki naoko naomi naoto natsuki natsumi noboru
nobuo nobuyuki noriko osamu reiko ren rie rika riku rin rina ryo ryota ryuichi sachiko sakura satoshi satomi
sayaka seiji shigeru shin shinichi shinji shiori sho shota shun sota sumiko takahiro takashi takeshi takumi
taro tatsuya tetsuya tomoko tomomi toru toshiko toshio tsubasa tsuyoshi wataru yasuko yasuo yoko yoshiko
yoshio yoshiro yui yuichi yuka yuki yukiko yuko yuma yumi yuna yusuke yuta yuto
# Korean
bo-ra chae-won da-eun do-hyun dong-hyun eun-ji eun-ju ga-eun ha-eun ha-jun hae-won hye-jin hyun-woo ji-ho
ji-hoon ji-hye ji-min ji-won ji-woo ji-yeon jin-ho jin-woo jun-seo jung-ho kyung-soo min-ho min-ji min-jun
min-seo mi-young seo-yeon seo-yun seung-hyun so-yeon soo-jin sung-min tae-hyun woo-jin ye-jin yeon-woo yoo-jin
young-ho yu-na minjun seoyeon jiwoo jihoon hyunwoo eunji jimin sooyoung jaehyun taeyang
# Vietnamese, Thai, Lao, Khmer, Burmese, Indonesian, Malay, Filipino
anh bao binh chau chi cuong dao dat diep dung duc duong giang ha hai han hanh hao hieu hoa hoang hong hung
huong huy khanh khoa kim lan linh loan long mai minh my nam ngan nga ngoc nguyet nhung phong phuong quan quang
quynh son tam tan thanh thao thi thu thuy tien trang tri trinh trung tuan tung van viet vinh vu xuan yen anong
apinya arthit boonsri chai chaiwat chanya damrong kanya kittisak malai naree niran nong pakorn pichai
pornpimol prasert rattana sakchai somboon somchai somsak sunee supachai suda thanom tida wanida wichai aung
htet khin kyaw myint nyein thandar thet thura zaw ade agus agustina ayu bambang budi dedi dewi dian eka endang
fajar fitri gita hendra indah intan joko kartika lestari made nyoman putri putu rahmat retno rini rizki sari
sekar siti sri teguh tri wahyu wayan yudi yulia adibah aishah azlan faizal farah hafiz haziq izzah nurul siti
syafiq zulkifli aurora bayani carmelita consuelo corazon dalisay imelda jovelyn junrey lorna ma. marites
maricel maricar nenita perla rodel rolando rowena ryza teodoro
# African (West, East, Southern, Horn)
abena abiodun abimbola abiola ada adaeze adama adebayo adebola adedayo adekunle adeola adesuwa adewale adeyemi
adwoa afia afua ama amadou amara amina aminata asante babajide bankole bisi boluwatife chidi chidinma chiamaka
chibuike chika chinedu chinonso chinwe chioma chukwudi chukwuemeka damilola dayo ebere efua ekene emeka enitan
eze femi folake folasade funke funmilayo gbenga ibrahima ifeanyi ifeoma ijeoma ikechukwu kalu kayode kehinde
kofi kojo kwabena kwadwo kwaku kwame kwasi mamadou moussa ngozi nkechi nnamdi obinna ogechi olamide olanrewaju
olawale olu oluchi olufemi olufunmilayo olumide oluwadamilare oluwafemi oluwakemi oluwaseun oluwatobi omolara
onyeka osagie ousmane seun segun seydou sekou taiwo temitope tobi tolu tunde uchenna uchechi ugochukwu yaw
yemi yetunde abdi abebe abeba alemu almaz amani asha ayana baraka bekele chege dawit eshe fatuma haile hamisi
imani jabari jelani juma kamau kariuki kibet kimani kipchoge lulu makena mandla mosi mwangi mwende neema njeri
njoroge nyambura ochieng odhiambo omondi otieno rehema saida tadesse tariku tesfaye wairimu wambui wanjiku
wanjiru zawadi zuri bongani buhle busisiwe lerato lindiwe lwazi mpho naledi nandi nkosinathi nomsa nomvula
nthabiseng palesa refilwe sibusiso sipho siyabonga thabo thandeka thandiwe themba thulani tshepo zanele zodwa
zola zinhle
# Hawaiian, Pacific, Indigenous American
akamu alana ikaika kailani kaimana kainoa kalani kaleo kawika keala keanu kekoa keoni koa leilani mahina
makana malia malie nalani noelani pualani tane tevita sione losana mele
)words";
}

}  // namespace tiergate::guard::word_lists
