//! Every word the program says, in both languages: Chinese by default,
//! English with `--lang en`. The console's words ([`console`]), the
//! quarterly review's and its documents' ([`review`]). Each language is a
//! value of one struct, so a word missing in one language does not
//! compile; enum labels are looked up by an exhaustive match.

pub mod console;
pub mod review;

pub use console::{EN, Strings, ZH};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// Fills the `{}` of a template in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (k, part) in parts.enumerate() {
        if let Some(a) = args.get(k) {
            out.push_str(&a.to_string());
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    /// The string literals of each field of the `ZH` and `EN` values in a
    /// words file, by field name, in order.
    fn fields(source: &str, value: &str) -> Vec<(String, Vec<String>)> {
        let start = source.find(&format!("pub static {value}: ")).expect("the value");
        let body = &source[start..];
        let body = &body[..body.find("\n};").expect("its end")];
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for line in body.lines().skip(1) {
            let field = line
                .strip_prefix("    ")
                .filter(|l| !l.starts_with(' '))
                .and_then(|l| l.split_once(':'))
                .map(|(name, _)| name.trim().to_string())
                .filter(|n| {
                    n.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                });
            if let Some(name) = field {
                out.push((name, Vec::new()));
            }
            if let Some((_, lits)) = out.last_mut() {
                lits.extend(literals(line));
            }
        }
        out
    }

    /// The string literals on a line (no escaped quotes in the words files
    /// but `\"`, which is kept as part of the literal).
    fn literals(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur: Option<String> = None;
        let mut escaped = false;
        for c in line.chars() {
            match (&mut cur, c) {
                (Some(s), '\\') if !escaped => {
                    escaped = true;
                    s.push(c);
                    continue;
                }
                (Some(s), '"') if !escaped => {
                    out.push(std::mem::take(s));
                    cur = None;
                }
                (Some(s), _) => s.push(c),
                (None, '"') => cur = Some(String::new()),
                (None, _) => {}
            }
            escaped = false;
        }
        out
    }

    /// The placeholders a text is filled in at: `{}` in order, and `{name}`.
    fn placeholders(s: &str) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            let Some(j) = rest[i..].find('}') else { break };
            v.push(rest[i..i + j + 1].to_string());
            rest = &rest[i + j + 1..];
        }
        v.sort();
        v
    }

    /// Every word of both languages has the same placeholders: a template
    /// filled in one language is filled alike in the other.
    #[test]
    fn both_languages_have_the_same_fields_and_placeholders() {
        for (file, source) in [
            ("console.rs", include_str!("console.rs")),
            ("review.rs", include_str!("review.rs")),
        ] {
            let zh = fields(source, "ZH");
            let en = fields(source, "EN");
            assert!(zh.len() > 20, "{file}: {} fields read", zh.len());
            let zh_names: Vec<&String> = zh.iter().map(|(n, _)| n).collect();
            let en_names: Vec<&String> = en.iter().map(|(n, _)| n).collect();
            assert_eq!(zh_names, en_names, "{file}: fields in another order");
            for ((name, z), (_, e)) in zh.iter().zip(en.iter()) {
                assert_eq!(z.len(), e.len(), "{file}: {name}: a different number of texts");
                for (a, b) in z.iter().zip(e.iter()) {
                    assert_eq!(placeholders(a), placeholders(b), "{file}: {name}: {a:?} against {b:?}");
                }
            }
        }
    }
}
