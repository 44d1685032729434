// HTML to text with libxml2's HTML parser (no network, no entity expansion
// beyond HTML's own, depth limited by the parser): scripts, styles and other
// non-content elements are dropped, block elements become line breaks.

#include "rag/extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>
#include <memory>

namespace tiergate::rag {

namespace {

bool skipped(const char * tag) {
    static constexpr const char * names[] = {"script", "style", "noscript", "template", "head", "svg", "iframe",
                                             "object", "canvas"};
    for (const char * n : names) {
        if (std::strcmp(tag, n) == 0) {
            return true;
        }
    }
    return false;
}

bool block(const char * tag) {
    static constexpr const char * names[] = {"p",  "div", "br", "li", "ul",  "ol", "tr",      "table", "h1",
                                             "h2", "h3",  "h4", "h5", "h6",  "pre", "section", "article",
                                             "header", "footer", "blockquote", "dd", "dt", "hr"};
    for (const char * n : names) {
        if (std::strcmp(tag, n) == 0) {
            return true;
        }
    }
    return false;
}

bool heading(const char * tag) { return tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && tag[2] == 0; }

void append_text(std::string & out, const char * text) {
    // Collapse runs of white space the way a browser renders them.
    for (const char * p = text; *p; ++p) {
        const char c = *p;
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (space) {
            if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
                out.push_back(' ');
            }
        } else {
            out.push_back(c);
        }
    }
}

void break_line(std::string & out, bool paragraph) {
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    if (out.empty()) {
        return;
    }
    if (out.back() != '\n') {
        out.push_back('\n');
    }
    if (paragraph && (out.size() < 2 || out[out.size() - 2] != '\n')) {
        out.push_back('\n');
    }
}

void walk(xmlNode * first, std::string & out) {
    // Iterative depth-first walk: a deeply nested document cannot exhaust the stack.
    xmlNode * node = first;
    while (node) {
        bool descend = false;
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content) {
                append_text(out, reinterpret_cast<const char *>(node->content));
            }
        } else if (node->type == XML_ELEMENT_NODE) {
            const char * tag = reinterpret_cast<const char *>(node->name);
            if (!skipped(tag)) {
                if (block(tag)) {
                    break_line(out, heading(tag) || std::strcmp(tag, "p") == 0);
                }
                descend = node->children != nullptr;
            }
        }
        if (descend) {
            node = node->children;
            continue;
        }
        while (node && !node->next) {
            node = node->parent;
            if (!node || node->type == XML_DOCUMENT_NODE || node->type == XML_HTML_DOCUMENT_NODE) {
                return;
            }
            const char * tag = reinterpret_cast<const char *>(node->name);
            if (node->type == XML_ELEMENT_NODE && block(tag)) {
                break_line(out, heading(tag) || std::strcmp(tag, "p") == 0);
            }
        }
        if (node) {
            node = node->next;
        }
    }
}

}  // namespace

result<std::string> html_to_text(std::string_view html, const std::string & name) {
    if (html.size() > static_cast<size_t>(INT32_MAX)) {
        return error::invalid(name + ": HTML too large", "file", "invalid_file");
    }
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                        HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
        htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options), &xmlFreeDoc);
    if (!doc) {
        if (html.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            return std::string();
        }
        return error::invalid(name + ": the HTML could not be parsed", "file", "invalid_file");
    }
    std::string out;
    walk(xmlDocGetRootElement(doc.get()), out);
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) {
        out.pop_back();
    }
    return out;
}

}  // namespace tiergate::rag
