//! Stack traces in pasted text: which lines are frames.

/// Whether `line` is a frame of a stack trace: Java's `at pkg.Class.method(File.java:12)`
/// (and `... 12 more`), Python's `File "x.py", line 3, in f`, Go's and
/// Rust's indented `path/file.go:12` lines under a function.
pub(crate) fn is_frame(line: &str) -> bool {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("at ") {
        // `at org.apache.Foo.bar(Foo.java:12)`, `at Foo.<init>(Unknown Source)`.
        let call = rest.trim_end();
        return call.ends_with(')')
            && call
                .split_once('(')
                .is_some_and(|(name, _)| name.contains('.') && !name.contains(' '));
    }
    if line.starts_with("... ") && line.trim_end().ends_with(" more") {
        return true;
    }
    line.starts_with("File \"") && line.contains("\", line ")
}

/// The first frames of each trace kept: the throwing method and its
/// callers nearest to it are what two reports of one failure share; deeper
/// frames are the framework both happened to run in (thread pools, RPC
/// servers, test runners), and they would both swamp a paste's telling
/// words and make a report with a trace look long to BM25.
pub(crate) const KEPT_FRAMES: usize = 3;

/// Tells, line after line, whether a line is a frame past the first
/// [`KEPT_FRAMES`] of its trace (one not read).
#[derive(Debug, Default)]
pub(crate) struct DeepFrames(usize);

impl DeepFrames {
    /// Whether `line`, the next line of the text, is a deep frame.
    pub(crate) fn skips(&mut self, line: &str) -> bool {
        self.0 = if is_frame(line) { self.0 + 1 } else { 0 };
        self.0 > KEPT_FRAMES
    }
}

/// `text` without the frames past the first [`KEPT_FRAMES`] of each trace
/// (borrowed when it has none to drop).
pub(crate) fn top_frames(text: &str) -> std::borrow::Cow<'_, str> {
    let mut deep = DeepFrames::default();
    let mut dropped = false;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if deep.skips(line) {
            dropped = true;
            continue;
        }
        out.push_str(line);
    }
    if dropped {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_told_from_prose() {
        assert!(is_frame(
            "\tat org.apache.hadoop.ipc.Client.call(Client.java:1475)"
        ));
        assert!(is_frame("    at Foo.<init>(Unknown Source)"));
        assert!(is_frame("\t... 12 more"));
        assert!(is_frame("  File \"app/db.py\", line 42, in connect"));
        assert!(!is_frame("at 09:32 the pool ran dry (again)"));
        assert!(!is_frame("look at logs"));
    }

    #[test]
    fn only_the_top_frames_of_each_trace_are_kept() {
        let trace = "java.io.IOException: boom\n\
                     \tat a.B.one(B.java:1)\n\tat a.B.two(B.java:2)\n\tat a.B.three(B.java:3)\n\
                     \tat a.B.four(B.java:4)\n\tat a.B.five(B.java:5)\n\
                     Caused by: java.net.ConnectException: refused\n\
                     \tat c.D.one(D.java:1)\n\tat c.D.two(D.java:2)\n\tat c.D.three(D.java:3)\n\
                     \tat c.D.four(D.java:4)\n";
        let kept = top_frames(trace);
        assert!(kept.contains("B.three") && !kept.contains("B.four") && !kept.contains("B.five"));
        assert!(kept.contains("Caused by: java.net.ConnectException"));
        assert!(kept.contains("D.three") && !kept.contains("D.four"));
        assert!(matches!(
            top_frames("no trace here"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

/// At most this much of a paste is read for [`Clues`]: the clues of a long
/// paste are in its first traces and lines.
const CLUE_BYTES: usize = 64 * 1024;

/// Clues of each kind kept, first seen first.
const MAX_CLUES: usize = 4;

/// Log levels after which a line's message starts.
const LEVELS: &[&str] = &["ERROR", "FATAL", "SEVERE", "CRITICAL", "WARN", "WARNING"];

/// What a paste names that would make a match the same failure rather than
/// the same words: its exceptions, its top frames and its error messages,
/// each as written and as the term (or word pairs) the index holds.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Clues {
    /// Exception and error class names (`UnknownHostException`).
    pub(crate) exceptions: Vec<Clue>,
    /// Top frames as `Class.method`.
    pub(crate) frames: Vec<Clue>,
    /// Error messages, their volatile parts masked, with their word pairs.
    pub(crate) messages: Vec<Clue>,
}

/// One clue: as the user wrote it, and the terms a postmortem must all
/// have to share it.
#[derive(Debug, PartialEq)]
pub(crate) struct Clue {
    pub(crate) surface: String,
    pub(crate) terms: Vec<String>,
}

impl Clues {
    /// Reads the clues of `text`.
    pub(crate) fn read(text: &str) -> Clues {
        let mut end = text.len().min(CLUE_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut clues = Clues::default();
        let mut frames = 0;
        for line in text[..end].lines() {
            if is_frame(line) {
                frames += 1;
                if frames <= KEPT_FRAMES {
                    if let Some(frame) = frame_name(line) {
                        add(&mut clues.frames, frame.to_owned(), term_of(frame));
                    }
                }
                continue;
            }
            frames = 0;
            for name in exception_names(line) {
                add(&mut clues.exceptions, name.to_owned(), term_of(name));
            }
            if let Some(message) = message(line) {
                let pairs = pairs_of(message);
                // Two pairs at least: three words say what happened.
                if pairs.len() >= 2 {
                    add(&mut clues.messages, masked(message), pairs);
                }
            }
        }
        clues
    }
}

fn add(clues: &mut Vec<Clue>, surface: String, terms: Vec<String>) {
    if clues.len() < MAX_CLUES && !terms.is_empty() && !clues.iter().any(|c| c.terms == terms) {
        clues.push(Clue { surface, terms });
    }
}

/// The term the index holds for a whole name (its first term).
fn term_of(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    crate::analyzer::for_each_term(name, |_, _, term| {
        if out.is_empty() {
            out.push(term.to_owned());
        }
    });
    out
}

/// The word pairs of `text`, as the pairs field holds them.
fn pairs_of(text: &str) -> Vec<String> {
    let mut analyzer = crate::analyzer::pairs_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<String> = Vec::new();
    while let Some(token) = stream.next() {
        if !out.contains(&token.text) {
            out.push(token.text.clone());
        }
    }
    out
}

/// `Class.method` of a Java frame line (`at a.b.Class.method(File.java:1)`).
fn frame_name(line: &str) -> Option<&str> {
    let call = line.trim_start().strip_prefix("at ")?;
    let name = call.split_once('(')?.0;
    let mut dots = name.rmatch_indices('.');
    let method = dots.next()?.0;
    let start = dots.next().map_or(0, |(at, _)| at + 1);
    (method > start).then(|| &name[start..])
}

/// The exception and error class names in `line`: the last part of a
/// dotted name, capitalised and ending in `Exception` or `Error`.
fn exception_names(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '$' || c == '_'))
        .filter_map(|word| word.trim_matches('.').rsplit('.').next())
        .filter(|name| {
            name.len() > "Error".len()
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && (name.ends_with("Exception") || name.ends_with("Error"))
        })
}

/// The message of an exception line (`java.io.IOException: message`) or a
/// log line (`... ERROR component: message`).
fn message(line: &str) -> Option<&str> {
    let line = line.trim();
    let after_exception = line.split_once(": ").filter(|(head, _)| {
        head.rsplit(|c: char| c.is_whitespace())
            .next()
            .is_some_and(|name| exception_names(name).next().is_some())
    });
    let text = match after_exception {
        Some((_, message)) => message,
        None => {
            let (_, rest) = line.split_whitespace().find_map(|word| {
                LEVELS
                    .contains(&word.trim_matches(|c: char| !c.is_alphanumeric()))
                    .then(|| line.split_once(word))
                    .flatten()
            })?;
            let rest = rest.trim_start();
            // A logger's name before the message (`monitor.Impl: message`).
            match rest.split_once(": ") {
                Some((logger, message)) if !logger.contains(' ') => message,
                _ => rest,
            }
        }
    };
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// `text` with its volatile words (the ones holding digits the analyzer
/// drops: ids, times, addresses, counts) shown as `…`, shortened.
fn masked(text: &str) -> String {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|word| {
            let mut has_term = false;
            crate::analyzer::for_each_term(word, |_, _, _| has_term = true);
            if !has_term && word.contains(|c: char| c.is_ascii_digit()) {
                "…"
            } else {
                word
            }
        })
        .collect();
    crate::document::shorten(&words.join(" "), 120)
}

#[cfg(test)]
mod clue_tests {
    use super::*;

    #[test]
    fn a_trace_gives_its_exception_frames_and_message() {
        let paste = "Job failed\n\
            java.net.UnknownHostException: cannot resolve host rm-1.example.com for job 471138\n\
            \tat java.net.InetAddress.getAllByName(InetAddress.java:1)\n\
            \tat org.apache.hadoop.yarn.server.ResourceManager.serviceInit(ResourceManager.java:2)\n\
            \tat a.B.three(B.java:3)\n\
            \tat a.B.deep(B.java:4)\n\
            2015-04-01 10:00:00,123 ERROR monitor.ContainersMonitorImpl: Container killed for running beyond memory\n";
        let clues = Clues::read(paste);
        let surfaces = |clues: &[Clue]| clues.iter().map(|c| c.surface.clone()).collect::<Vec<_>>();
        assert_eq!(surfaces(&clues.exceptions), ["UnknownHostException"]);
        assert_eq!(
            surfaces(&clues.frames),
            [
                "InetAddress.getAllByName",
                "ResourceManager.serviceInit",
                "B.three"
            ]
        );
        assert_eq!(
            surfaces(&clues.messages),
            [
                "cannot resolve host rm-1.example.com for job …",
                "Container killed for running beyond memory"
            ]
        );
        assert!(clues.messages.iter().all(|m| m.terms.len() >= 2));
    }

    #[test]
    fn prose_gives_no_clues() {
        assert_eq!(
            Clues::read("The pool ran dry at 09:32 after the deploy: errors everywhere."),
            Clues::default()
        );
    }
}
