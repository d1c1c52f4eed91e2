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

/// `text` without the frames past the first [`KEPT_FRAMES`] of each trace
/// (borrowed when it has none to drop).
pub(crate) fn top_frames(text: &str) -> std::borrow::Cow<'_, str> {
    let mut frames = 0;
    let mut dropped = false;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if is_frame(line) {
            frames += 1;
            if frames > KEPT_FRAMES {
                dropped = true;
                continue;
            }
        } else {
            frames = 0;
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
