//! Markdown written by users, turned into HTML that is safe to put in a page
//! and into plain text for the search index.
//!
//! Users paste alerts and log excerpts into postmortems, so the input is
//! untrusted: raw HTML, `javascript:` links and event handlers must come out
//! inert. pulldown-cmark renders, then ammonia removes everything outside an
//! allow-list. Sanitizing after rendering (rather than escaping raw HTML in
//! the parser) also covers links and images built from markdown syntax.
#![warn(missing_docs)]

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// A markdown document, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitized HTML, safe for `inner_html`.
    pub html: String,
    /// The words of the document without markup, for indexing and snippets.
    pub text: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Renders `markdown` to sanitized HTML and to plain text.
pub fn render(markdown: &str) -> Rendered {
    Rendered {
        html: to_html(markdown),
        text: to_text(markdown),
    }
}

/// Renders `markdown` to HTML with every unsafe construct removed.
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        // Links open elsewhere without handing the opener our window.
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(&raw)
        .to_string()
}

/// The text of `markdown` without markup: code blocks and inline code keep
/// their content (log lines live there), raw HTML is dropped.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::End(TagEnd::CodeBlock | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                out.push('\n')
            }
            Event::Start(Tag::Image { .. }) => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_render_basic_markdown() {
        let html = to_html("# Pool exhausted\n\nThe **payments** pool hit `max=50`.");
        assert!(html.contains("<h1>Pool exhausted</h1>"), "{html}");
        assert!(html.contains("<strong>payments</strong>"), "{html}");
        assert!(html.contains("<code>max=50</code>"), "{html}");
    }

    #[test]
    fn script_tags_are_removed() {
        let html = to_html("hello <script>alert('x')</script> world");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert("), "{html}");
    }

    #[test]
    fn event_handlers_are_removed() {
        let html =
            to_html("<img src=x onerror=\"alert(1)\"> and <a href=\"#\" onclick=\"x()\">l</a>");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }

    #[test]
    fn javascript_links_are_neutralised() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">click</a>",
            "![img](javascript:alert(1))",
        ] {
            let html = to_html(md);
            assert!(
                !html.to_lowercase().contains("javascript:"),
                "{md} -> {html}"
            );
        }
    }

    #[test]
    fn web_links_survive_with_safe_rel() {
        let html = to_html("[runbook](https://example.com/rb)");
        assert!(html.contains("href=\"https://example.com/rb\""), "{html}");
        assert!(html.contains("noopener"), "{html}");
    }

    #[test]
    fn text_keeps_code_and_drops_markup() {
        let text = to_text("Saw `ECONNRESET` in:\n\n```\nERROR pool timeout\n```\n<b>bold</b>");
        assert!(text.contains("ECONNRESET"), "{text}");
        assert!(text.contains("ERROR pool timeout"), "{text}");
        assert!(!text.contains("<b>"), "{text}");
    }
}
