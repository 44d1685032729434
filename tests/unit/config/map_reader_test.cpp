#include <gtest/gtest.h>

#include "config/map_reader.h"

namespace tiergate::config {
namespace {

TEST(map_reader, reads_typed_fields_with_positions) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("a: 1\nb: 2.5\nc: true\nd: text\ne: [x, y]\n");
    map_reader in(node, "root", errors);
    auto a = in.integer("a");
    auto b = in.number("b");
    auto c = in.boolean("c");
    auto d = in.string("d");
    auto e = in.string_list("e");
    in.finish();
    ASSERT_TRUE(errors.empty()) << errors.to_string();
    EXPECT_EQ(a->value, 1);
    EXPECT_EQ(a->pos.line, 1);
    EXPECT_DOUBLE_EQ(b->value, 2.5);
    EXPECT_EQ(b->pos.line, 2);
    EXPECT_TRUE(c->value);
    EXPECT_EQ(d->value, "text");
    ASSERT_EQ(e->value.size(), 2u);
    EXPECT_EQ(e->value[1].value, "y");
    EXPECT_EQ(e->pos.line, 5);
}

TEST(map_reader, integer_rejects_fraction_and_quoted_number) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("a: 1.5\nb: '7'\n");
    map_reader in(node, "s", errors);
    EXPECT_FALSE(in.integer("a"));
    EXPECT_FALSE(in.integer("b"));
    ASSERT_EQ(errors.list().size(), 2u);
    EXPECT_EQ(errors.list()[0].to_string(), "t.yaml:1: s.a: expected an integer, got \"1.5\"");
    EXPECT_EQ(errors.list()[1].to_string(), "t.yaml:2: s.b: expected an integer, got \"7\"");
}

TEST(map_reader, wrong_shapes_are_described) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("a: [1]\nb: {x: 1}\nc: maybe\n");
    map_reader in(node, "", errors);
    EXPECT_FALSE(in.string("a"));
    EXPECT_FALSE(in.number("b"));
    EXPECT_FALSE(in.boolean("c"));
    ASSERT_EQ(errors.list().size(), 3u);
    EXPECT_EQ(errors.list()[0].to_string(), "t.yaml:1: a: expected a string, got a list");
    EXPECT_EQ(errors.list()[1].to_string(), "t.yaml:2: b: expected a number, got a mapping");
    EXPECT_EQ(errors.list()[2].to_string(), "t.yaml:3: c: expected true or false, got \"maybe\"");
}

TEST(map_reader, required_missing_points_at_the_mapping) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("\n\nx:\n  other: 1\n");
    map_reader outer(node, "", errors);
    auto inner_node = outer.node("x");
    ASSERT_TRUE(inner_node);
    map_reader in(*inner_node, "x", errors);
    EXPECT_FALSE(in.string("name", presence::required));
    ASSERT_EQ(errors.list().size(), 1u);
    EXPECT_EQ(errors.list()[0].to_string(), "t.yaml:4: x.name: required field is missing");
}

TEST(map_reader, unknown_fields_list_the_known_ones) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("host: h\nprot: 1\n");
    map_reader in(node, "server", errors);
    in.string("host");
    in.integer("port");
    in.finish();
    ASSERT_EQ(errors.list().size(), 1u);
    EXPECT_EQ(errors.list()[0].to_string(), "t.yaml:2: server.prot: unknown field (expected one of: host, port)");
}

TEST(map_reader, explicit_null_is_absent) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("a: ~\nb:\n");
    map_reader in(node, "", errors);
    EXPECT_FALSE(in.integer("a"));
    EXPECT_FALSE(in.string_list("b"));
    in.finish();
    EXPECT_TRUE(errors.empty()) << errors.to_string();
}

TEST(map_reader, not_a_mapping) {
    config_errors errors("t.yaml");
    YAML::Node node = YAML::Load("- 1\n- 2\n");
    map_reader in(node, "server", errors);
    EXPECT_FALSE(in.valid());
    EXPECT_FALSE(in.integer("port"));
    in.finish();
    ASSERT_EQ(errors.list().size(), 1u);
    EXPECT_EQ(errors.list()[0].to_string(), "t.yaml:1: server: expected a mapping, got a list");
}

}  // namespace
}  // namespace tiergate::config
