//! A parsed report document as a tree whose every value knows where it sits
//! in the file, so a refusal can name the line and column. TOML comes
//! through the `toml` crate's spanned parser; JSON through the small strict
//! parser below (serde_json keeps no positions of values).

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A value and the byte range it covers in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: Range<usize>,
    pub val: Val,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// A TOML date or time.
    Date(String),
    Arr(Vec<Node>),
    /// Keys in the order of the file, each with where the key itself sits.
    Obj(Vec<(String, Range<usize>, Node)>),
}

impl Val {
    /// The type's name in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Str(_) => "string",
            Val::Int(_) => "integer",
            Val::Float(_) => "number",
            Val::Bool(_) => "boolean",
            Val::Null => "null",
            Val::Date(_) => "date",
            Val::Arr(_) => "array",
            Val::Obj(_) => "table",
        }
    }
}

/// A syntax error: the parser's message and the byte offset it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub at: usize,
}

/// Nesting deeper than this is refused (a report is three levels deep).
const MAX_DEPTH: usize = 32;

// ---------------------------------------------------------------- TOML

/// Parses a TOML document.
pub fn toml(text: &str) -> Result<Node, SyntaxError> {
    // Deep nesting is refused before the parser sees it, whatever it does with it.
    if let Some(at) = too_deep(text) {
        return Err(SyntaxError {
            message: format!("nested more than {MAX_DEPTH} levels deep"),
            at,
        });
    }
    match DeTable::parse(text) {
        Ok(t) => {
            let at = t.span();
            Ok(Node {
                at,
                val: table(t.into_inner()),
            })
        }
        Err(e) => Err(SyntaxError {
            message: first_line(e.message()),
            at: e.span().map(|s| s.start).unwrap_or(0),
        }),
    }
}

/// The byte offset where brackets or braces first nest deeper than
/// [`MAX_DEPTH`], counting outside strings and comments (roughly: a quote
/// inside a comment may end the count early, never wrongly refuse).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str: Option<u8> = None;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match in_str {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q || c == b'\n' {
                    in_str = None;
                }
            }
            None => match c {
                b'"' | b'\'' => in_str = Some(c),
                b'#' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' => {}
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn first_line(m: &str) -> String {
    m.lines().next().unwrap_or("").trim().to_string()
}

fn table(t: DeTable<'_>) -> Val {
    let mut entries: Vec<(String, Range<usize>, Node)> = t
        .into_iter()
        .map(|(k, v)| {
            let kspan = k.span();
            let vspan = v.span();
            (
                k.into_inner().into_owned(),
                kspan,
                Node {
                    at: vspan,
                    val: value(v.into_inner()),
                },
            )
        })
        .collect();
    // The file's order, so the first problem reported is the first in the file.
    entries.sort_by_key(|(_, k, _)| k.start);
    Val::Obj(entries)
}

fn value(v: DeValue<'_>) -> Val {
    match v {
        DeValue::String(s) => Val::Str(s.into_owned()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Val::Int(n),
            Err(_) => Val::Float(f64::INFINITY),
        },
        DeValue::Float(f) => Val::Float(f.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Val::Bool(b),
        DeValue::Datetime(d) => Val::Date(d.to_string()),
        DeValue::Array(a) => Val::Arr(
            a.into_iter()
                .map(|e| {
                    let at = e.span();
                    Node {
                        at,
                        val: value(e.into_inner()),
                    }
                })
                .collect(),
        ),
        DeValue::Table(t) => table(t),
    }
}

// ---------------------------------------------------------------- JSON

/// Parses a JSON document (RFC 8259, strict: no comments, no trailing
/// commas, no duplicate keys).
pub fn json(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Json {
        b: text.as_bytes(),
        s: text,
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("unexpected text after the document"));
    }
    Ok(v)
}

struct Json<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl Json<'_> {
    fn err(&self, m: &str) -> SyntaxError {
        SyntaxError {
            message: m.to_string(),
            at: self.i.min(self.b.len()),
        }
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.err(&format!("nested more than {MAX_DEPTH} levels deep")));
        }
        let start = self.i;
        let val = match self.peek() {
            None => return Err(self.err("the document ends where a value was expected")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Val::Str(self.string()?),
            Some(b't') => self.word("true", Val::Bool(true))?,
            Some(b'f') => self.word("false", Val::Bool(false))?,
            Some(b'n') => self.word("null", Val::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("expected a value (a string, number, object, array, true, false or null)")),
        };
        Ok(Node { at: start..self.i, val })
    }

    fn word(&mut self, w: &str, v: Val) -> Result<Val, SyntaxError> {
        if self.b[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err(self.err("expected a value (a string, number, object, array, true, false or null)"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Val, SyntaxError> {
        self.i += 1;
        let mut out: Vec<(String, Range<usize>, Node)> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Val::Obj(out));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a key in double quotes"));
            }
            let kstart = self.i;
            let key = self.string()?;
            let kat = kstart..self.i;
            if out.iter().any(|(k, _, _)| *k == key) {
                self.i = kstart;
                return Err(self.err(&format!("duplicate key {key:?}")));
            }
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after the key"));
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            out.push((key, kat, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Val::Obj(out));
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Val, SyntaxError> {
        self.i += 1;
        let mut out = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Val::Arr(out));
        }
        loop {
            self.ws();
            out.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Val::Arr(out));
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| self.err("expected four hex digits after \\u"))?;
        self.i += 4;
        Ok(u32::from_str_radix(h, 16).unwrap_or(0))
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("the text ends inside a string"));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek().ok_or_else(|| self.err("the text ends inside a string"))?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if !self.b[self.i..].starts_with(b"\\u") {
                                    return Err(self.err("a lone surrogate in \\u escape"));
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("a lone surrogate in \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(cp) {
                                Some(ch) => out.push(ch),
                                None => return Err(self.err("a lone surrogate in \\u escape")),
                            }
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("unknown escape in a string"));
                        }
                    }
                }
                0x00..=0x1f => return Err(self.err("a control character inside a string (write it as \\n, \\t, …)")),
                _ => {
                    // Copy a run of plain characters at once (the text is valid UTF-8).
                    let start = self.i;
                    while self.i < self.b.len() && !matches!(self.b[self.i], b'"' | b'\\' | 0x00..=0x1f) {
                        self.i += 1;
                    }
                    out.push_str(&self.s[start..self.i]);
                }
            }
        }
    }

    fn number(&mut self) -> Result<Val, SyntaxError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            p.i - s
        };
        let int_start = self.i;
        let n = digits(self);
        if n == 0 {
            return Err(self.err("expected a digit"));
        }
        if n > 1 && self.b[int_start] == b'0' {
            self.i = int_start;
            return Err(self.err("a number may not start with 0"));
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            if digits(self) == 0 {
                return Err(self.err("expected a digit after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            float = true;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("expected a digit in the exponent"));
            }
        }
        let t = &self.s[start..self.i];
        if !float && let Ok(n) = t.parse::<i64>() {
            return Ok(Val::Int(n));
        }
        Ok(Val::Float(t.parse().unwrap_or(f64::NAN)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(n: &Node) -> &Vec<(String, Range<usize>, Node)> {
        match &n.val {
            Val::Obj(o) => o,
            v => panic!("not an object: {v:?}"),
        }
    }

    #[test]
    fn json_values_know_their_place() {
        let t = "{\n  \"unit\": \"科技厅\",\n  \"n\": [1, 2.5, -3e2, true, null]\n}";
        let n = json(t).unwrap();
        let o = obj(&n);
        assert_eq!(o[0].0, "unit");
        assert_eq!(&t[o[0].2.at.clone()], "\"科技厅\"");
        assert_eq!(o[0].2.val, Val::Str("科技厅".into()));
        let Val::Arr(a) = &o[1].2.val else { panic!() };
        assert_eq!(
            a.iter().map(|x| x.val.clone()).collect::<Vec<_>>(),
            vec![
                Val::Int(1),
                Val::Float(2.5),
                Val::Float(-300.0),
                Val::Bool(true),
                Val::Null
            ]
        );
    }

    #[test]
    fn json_escapes_and_errors() {
        let n = json(r#"{"a": "x\u001b]0;\ud83d\ude00\n"}"#).unwrap();
        assert_eq!(obj(&n)[0].2.val, Val::Str("x\u{1b}]0;😀\n".into()));
        for (bad, at) in [
            ("{\"a\": 1,}", 8),
            ("{\"a\": 1 \"b\": 2}", 8),
            ("{\"a\": 1, \"a\": 2}", 9),
            ("[01]", 1),
            ("{\"a\": tru}", 6),
            ("\"abc", 4),
            ("{} x", 3),
            ("", 0),
            ("\"\\ud800\"", 7),
        ] {
            let e = json(bad).unwrap_err();
            assert_eq!(e.at, at, "{bad}: {e:?}");
        }
        let deep = "[".repeat(100);
        assert!(json(&deep).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn toml_in_file_order_with_spans() {
        let t = "unit = \"科技厅\"\nmonth = \"2026-10\"\n\n[[progress]]\narticle = 5\n";
        let n = toml(t).unwrap();
        let o = obj(&n);
        assert_eq!(
            o.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
            ["unit", "month", "progress"]
        );
        assert_eq!(&t[o[1].2.at.clone()], "\"2026-10\"");
        let e = toml("unit = \nmonth = 1").unwrap_err();
        assert!(e.at >= 6, "{e:?}");
        assert!(
            toml(&format!("a = {}", "[".repeat(200)))
                .unwrap_err()
                .message
                .contains("nested")
        );
    }
}
