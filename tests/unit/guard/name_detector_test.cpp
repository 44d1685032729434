#include "guard/scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tiergate::guard;

namespace {

std::vector<std::string> found(const scanner & s, const std::string & text, entity_type type) {
    std::vector<std::string> out;
    for (const finding & f : s.scan(text)) {
        if (f.type == type) {
            out.push_back(text.substr(f.start, f.end - f.start));
        }
    }
    return out;
}

std::vector<std::string> found(const std::string & text, entity_type type) {
    static const scanner s = std::move(*scanner::make({}));
    return found(s, text, type);
}

using strings = std::vector<std::string>;

}  // namespace

TEST(person_recognizer, uses_titles_cues_and_given_names) {
    EXPECT_EQ(found("Yesterday Mr. Okonkwo called.", entity_type::person), strings{"Okonkwo"});
    EXPECT_EQ(found("Hi, my name is Zarina Tulegenova and I need help", entity_type::person),
              strings{"Zarina Tulegenova"});
    EXPECT_EQ(found("Please forward this to Margaret Q. Ellsworth today.", entity_type::person),
              strings{"Margaret Q. Ellsworth"});
    EXPECT_EQ(found("Dear Thorvald,", entity_type::person), strings{"Thorvald"});
    EXPECT_EQ(found("my name is vitalij", entity_type::person), strings{"vitalij"});
    EXPECT_EQ(found("Yesterday Oluchi and I met, then Kwabena said no.", entity_type::person),
              (strings{"Oluchi", "Kwabena"}));
}

TEST(person_recognizer, finds_names_listed_with_known_names) {
    EXPECT_EQ(found("They invited Anna, Brunhilde and Thomas.", entity_type::person),
              (strings{"Anna", "Brunhilde", "Thomas"}));
}

TEST(person_recognizer, finds_a_name_again_where_it_stands_alone) {
    EXPECT_EQ(found("The film was directed by Wacława Zbrożek and starring Zbrożek herself.", entity_type::person),
              (strings{"Wacława Zbrożek", "Zbrożek"}));
    // only where it is capitalized like a name
    EXPECT_EQ(found("Ask Dr. Rose about it; the rose is red.", entity_type::person), strings{"Rose"});
}

TEST(person_recognizer, reads_possessives_and_keeps_them_out_of_the_span) {
    EXPECT_EQ(found("Here is Ingeborg's new phone.", entity_type::person), strings{"Ingeborg"});
    EXPECT_EQ(found("Here is Ingeborg\u2019s new phone.", entity_type::person), strings{"Ingeborg"});
}

TEST(person_recognizer, naming_verbs_and_looks_before_a_name) {
    EXPECT_EQ(found("She named him Zbigniewek.", entity_type::person), strings{"Zbigniewek"});
    EXPECT_EQ(found("Then Ottoline shouted at Wendeline.", entity_type::person), (strings{"Ottoline", "Wendeline"}));
    EXPECT_EQ(found("Kvasnicka and Porubsky were engineers.", entity_type::person),
              (strings{"Kvasnicka", "Porubsky"}));
}

TEST(person_recognizer, a_name_alone_on_the_first_line_heads_a_card) {
    EXPECT_EQ(found("Zdzisława Kwiecień-Brzoza\nSenior accountant\n", entity_type::person),
              strings{"Zdzisława Kwiecień-Brzoza"});
    EXPECT_TRUE(found("Quarterly Results\nRevenue grew.", entity_type::person).empty());
}

TEST(person_recognizer, field_labels_and_places_are_not_speakers) {
    EXPECT_TRUE(found("Indirizzo: Via Roma 10, 00184 Roma", entity_type::person).empty());
    EXPECT_TRUE(found("Rekening: BE31 2887 7913 7884", entity_type::person).empty());
    EXPECT_TRUE(found("CC: the whole team", entity_type::person).empty());
    EXPECT_TRUE(found("El Salvador: a country in Central America", entity_type::person).empty());
    EXPECT_EQ(found("Tamsin: Are we still meeting today?", entity_type::person), strings{"Tamsin"});
    // a word in capitals before a colon is a label, unless it is a known name
    EXPECT_TRUE(found("SQL: select name from users", entity_type::person).empty());
    EXPECT_TRUE(found("RUN: ls -la /tmp", entity_type::person).empty());
    EXPECT_TRUE(found("TODO: write the tests", entity_type::person).empty());
    EXPECT_EQ(found("Bob: Are we still meeting today?", entity_type::person), strings{"Bob"});
}

TEST(person_recognizer, in_lowercase_text_a_cue_needs_a_name_like_word) {
    EXPECT_TRUE(found("hello, please call me back", entity_type::person).empty());
    EXPECT_TRUE(found("my father retired at 60", entity_type::person).empty());
    EXPECT_EQ(found("hello this is wojciech, please call me", entity_type::person), strings{"wojciech"});
}

TEST(organization_recognizer, firm_names_of_three_surnames_and_known_companies) {
    EXPECT_EQ(found("She spent a year at Jones, Mitchell and Williams as an assistant.", entity_type::organization),
              strings{"Jones, Mitchell and Williams"});
    EXPECT_TRUE(found("She spent a year at Jones, Mitchell and Williams as an assistant.", entity_type::person).empty());
    EXPECT_EQ(found("The Clark, Romero and Hall Orchestra played.", entity_type::organization),
              strings{"Clark, Romero and Hall Orchestra"});
    // a list after a colon names persons
    EXPECT_TRUE(found("Our founders: Kónya, Becker and Vasquez.", entity_type::organization).empty());
    EXPECT_EQ(found("He works at Morgan Stanley in London.", entity_type::organization), strings{"Morgan Stanley"});
    EXPECT_EQ(found("Our bank is Deutsche Bank AG.", entity_type::organization), strings{"Deutsche Bank AG"});
    EXPECT_EQ(found("They founded Thomas and Sons in 1901.", entity_type::organization), strings{"Thomas and Sons"});
}

TEST(person_recognizer, leaves_ordinary_capitalized_text_alone) {
    EXPECT_TRUE(found("The Quick Brown Fox Jumps Over The Lazy Dog", entity_type::person).empty());
    EXPECT_TRUE(found("Please reset my password. Thanks!", entity_type::person).empty());
    EXPECT_TRUE(found("We celebrated Labor Day in the Civil Rights Act era.", entity_type::person).empty());
    EXPECT_TRUE(found("Grace periods apply. Mark the box.", entity_type::person).empty());
    EXPECT_TRUE(found("PORT O' WARREN is a small town.", entity_type::person).empty());
}

TEST(person_recognizer, dictionaries_and_context_each_contribute) {
    recognizer_options no_dictionaries;
    no_dictionaries.dictionaries = false;
    no_dictionaries.shape = false;
    recognizer_options no_context;
    no_context.context = false;
    no_context.shape = false;
    const scanner without_dictionaries = std::move(*scanner::make(no_dictionaries));
    const scanner without_context = std::move(*scanner::make(no_context));
    // a given name with no cue: only the dictionary finds it
    EXPECT_EQ(found("we met jennifer", entity_type::person), strings{"jennifer"});
    EXPECT_TRUE(found(without_dictionaries, "we met jennifer", entity_type::person).empty());
    // an unknown name after a title: only the context finds it
    EXPECT_EQ(found("ask Mrs. Qwertyuiop", entity_type::person), strings{"Qwertyuiop"});
    EXPECT_TRUE(found(without_context, "ask Mrs. Qwertyuiop", entity_type::person).empty());
}

TEST(location_recognizer, finds_known_places_and_places_after_cues) {
    EXPECT_EQ(found("We moved here from New Zealand", entity_type::location), strings{"New Zealand"});
    EXPECT_EQ(found("She lives in Tromsdalen now", entity_type::location), strings{"Tromsdalen"});
    EXPECT_EQ(found("Flights to Buenos Aires", entity_type::location), strings{"Buenos Aires"});
}

TEST(organization_recognizer, finds_names_with_company_suffixes) {
    EXPECT_EQ(found("I work for Globex Holdings Inc. since May", entity_type::organization),
              strings{"Globex Holdings Inc."});
    EXPECT_EQ(found("a degree from University of Tartu", entity_type::organization), strings{"University of Tartu"});
    EXPECT_EQ(found("Senior Engineer, Contoso GmbH", entity_type::organization), strings{"Contoso GmbH"});
    EXPECT_EQ(found("audited by Deloitte LLP.", entity_type::organization), strings{"Deloitte LLP"});
}

TEST(address_recognizer, finds_us_and_european_addresses) {
    EXPECT_EQ(found("Ship it to 1600 Pennsylvania Avenue please", entity_type::street_address),
              strings{"1600 Pennsylvania Avenue"});
    EXPECT_EQ(found("Our offices are at 42 Rue Lepic Apt. 5\nPARIS, 75018", entity_type::street_address),
              strings{"42 Rue Lepic Apt. 5\nPARIS, 75018"});
    EXPECT_EQ(found("Send it to Hauptstrasse 12, Berlin", entity_type::street_address),
              strings{"Hauptstrasse 12, Berlin"});
    EXPECT_EQ(found("lives at 12 Oak Lane, Springfield, IL 62704.", entity_type::street_address),
              strings{"12 Oak Lane, Springfield, IL 62704"});
    EXPECT_TRUE(found("Dr. Watson went to the store", entity_type::street_address).empty());
    EXPECT_TRUE(found("Chapter 5 covers the Wall", entity_type::street_address).empty());
}

TEST(address_recognizer, house_numbers_with_letters_ranges_and_units) {
    EXPECT_EQ(found("Bitte an Königsallee 92a, 40212 Düsseldorf schicken.", entity_type::street_address),
              strings{"Königsallee 92a, 40212 Düsseldorf"});
    EXPECT_EQ(found("Adres: ul. Marszałkowska 84/92, 00-514 Warszawa", entity_type::street_address),
              strings{"ul. Marszałkowska 84/92, 00-514 Warszawa"});
    EXPECT_EQ(found("I live at 4821 Maple Drive, Apt 12B, Columbus, OH 43215.", entity_type::street_address),
              strings{"4821 Maple Drive, Apt 12B, Columbus, OH 43215"});
    EXPECT_EQ(found("Office: 221B Brigade Road, Bengaluru 560001", entity_type::street_address),
              strings{"221B Brigade Road, Bengaluru 560001"});
}

TEST(address_recognizer, postal_codes_of_several_countries) {
    EXPECT_EQ(found("Address: Flat 3, 27 Kingsley Road, Leeds LS6 2AB", entity_type::street_address),
              strings{"Flat 3, 27 Kingsley Road, Leeds LS6 2AB"});
    EXPECT_EQ(found("Ons adres is Keizersgracht 123, 1015 CJ Amsterdam.", entity_type::street_address),
              strings{"Keizersgracht 123, 1015 CJ Amsterdam"});
    EXPECT_EQ(found("Mail it to 88 Queen Street West, Toronto, ON M5H 2N2.", entity_type::street_address),
              strings{"88 Queen Street West, Toronto, ON M5H 2N2"});
    EXPECT_EQ(found("Adress: Drottninggatan 53, 111 21 Stockholm", entity_type::street_address),
              strings{"Drottninggatan 53, 111 21 Stockholm"});
}

TEST(address_recognizer, localities_that_end_the_line_and_multi_line_addresses) {
    EXPECT_EQ(found("Ship to 17 Wexcombe Lane, Little Bardfield", entity_type::street_address),
              strings{"17 Wexcombe Lane, Little Bardfield"});
    EXPECT_EQ(found("Debra\n\n3536 Hoog St\n Apt. 839\n Brakpan\n South Africa 70651", entity_type::street_address),
              strings{"3536 Hoog St\n Apt. 839\n Brakpan\n South Africa 70651"});
    // a line that starts with a given name is not taken for the town
    EXPECT_EQ(found("Send it to 12 Oak Lane\nJennifer", entity_type::street_address), strings{"12 Oak Lane"});
    // nor is the phone number on the next line
    const std::string card = "30102 Kaevu 94\nNicosia, NI 61089\n28-64-66-98 office";
    EXPECT_EQ(found(card, entity_type::street_address), strings{"30102 Kaevu 94\nNicosia, NI 61089"});
    EXPECT_EQ(found(card, entity_type::phone_number), strings{"28-64-66-98"});
}

TEST(address_recognizer, international_street_words_and_intersections) {
    EXPECT_EQ(found("The apartment is at Ulitsa Tverskaya 7, Moscow 125009.", entity_type::street_address),
              strings{"Ulitsa Tverskaya 7, Moscow 125009"});
    EXPECT_EQ(found("Envíalo a C/ Mayor 12, 28013 Madrid.", entity_type::street_address),
              strings{"C/ Mayor 12, 28013 Madrid"});
    EXPECT_EQ(found("Pedestrians enter on 137 Avenue Teboulbi today", entity_type::street_address),
              strings{"137 Avenue Teboulbi"});
    EXPECT_EQ(found("Please return to Leon and Eyrarodda 66 in case of an issue.", entity_type::street_address),
              strings{"Leon and Eyrarodda 66"});
    EXPECT_EQ(found("Our offices are located at USNS Møller\nFPO AA 85844", entity_type::street_address),
              strings{"USNS Møller\nFPO AA 85844"});
}
