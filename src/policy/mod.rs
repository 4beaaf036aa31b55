//! Parser of a 分工方案-shaped policy text: sections (一、…), articles
//! (（一）…), the division-of-labour bracket 〔牵头单位:…；配合单位:…〕 of each
//! article, and the measures (sentences) of each article body.
//!
//! `parse` reads the text only; [`model::build`] then resolves the unit names
//! against the catalog in `assets/units.toml`.

pub mod catalog;
pub mod model;

use std::fmt;

/// The bundled policy text (the app's source data).
pub const BUNDLED_TEXT: &str = include_str!("../../assets/xizang-shuangchuang-2021.txt");
/// Title of the bundled policy (its text starts with the addressees, not the title).
pub const BUNDLED_TITLE: &str = "西藏自治区关于推动创新创业高质量发展打造“双创”升级版的实施意见";

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub title: String,
    /// Addressees and preamble before the first section.
    pub preamble: String,
    pub sections: Vec<Section>,
    pub articles: Vec<Article>,
    /// Lines that look like a heading but were read as text, with their line.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// 1 for 一、
    pub no: u32,
    pub title: String,
    /// Text between the heading and the section's first article, if any.
    pub intro: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// 4 for （四）
    pub no: u32,
    pub section: u32,
    pub title: String,
    /// Body text without the bracket, paragraphs joined by newlines.
    pub body: String,
    /// 1-based line of the title in the source.
    pub line: usize,
    pub division: Option<Division>,
    /// The body split into sentences.
    pub measures: Vec<String>,
}

/// Lead and partner units of an article, as written, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Division {
    pub lead: Vec<String>,
    pub partner: Vec<String>,
}

/// Why a text is not a policy of the expected shape, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Value of a Chinese numeral 一 … 九十九.
pub fn chinese_numeral(s: &str) -> Option<u32> {
    fn digit(c: char) -> Option<u32> {
        "一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32 + 1)
    }
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        _ => None,
    }
}

fn section_heading(line: &str) -> Option<(u32, &str)> {
    let (num, rest) = line.split_once('、')?;
    let n = chinese_numeral(num)?;
    Some((n, rest.trim()))
}

/// A line shaped like a section heading: a numeral, 、 and a short title
/// that is not a sentence. Such a line out of sequence means a damaged text.
fn looks_like_section(title: &str) -> bool {
    !title.is_empty() && !title.contains(['。', '；', '，']) && title.chars().count() <= 40
}

fn numeral(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n as usize].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(n - 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

fn article_heading(line: &str) -> Option<(u32, &str)> {
    let rest = line.strip_prefix('（').or_else(|| line.strip_prefix('('))?;
    let end = rest.find(['）', ')'])?;
    let n = chinese_numeral(&rest[..end])?;
    let after = &rest[end..];
    let title = after.trim_start_matches(['）', ')']).trim();
    Some((n, title))
}

/// Parses a policy text. `title` overrides the title taken from the first line.
pub fn parse(text: &str, title: Option<&str>) -> Result<Policy, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut preamble = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut articles: Vec<Article> = Vec::new();
    let mut bodies: Vec<Vec<(usize, String)>> = Vec::new();
    let mut in_intro = false;
    let mut warnings = Vec::new();

    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some((n, t)) = section_heading(line) {
            let want = sections.len() as u32 + 1;
            if n != want && looks_like_section(t) {
                return Err(ParseError {
                    line: lineno,
                    column: 1,
                    message: format!(
                        "section heading {}、 where {}、 was expected: a heading is missing, repeated or misnumbered",
                        numeral(n),
                        numeral(want)
                    ),
                });
            }
            if n != want && !t.is_empty() {
                warnings.push(format!(
                    "line {lineno}: starts like section heading {}、 but is read as text",
                    numeral(n)
                ));
            }
        }
        if let Some((n, t)) = section_heading(line)
            && n == sections.len() as u32 + 1
            && !t.is_empty()
        {
            sections.push(Section {
                no: n,
                title: t.to_string(),
                intro: String::new(),
            });
            in_intro = true;
            continue;
        }
        if let Some((n, _)) = article_heading(line)
            && !sections.is_empty()
            && n != articles.len() as u32 + 1
        {
            let want = articles.len() as u32 + 1;
            return Err(ParseError {
                line: lineno,
                column: 1,
                message: if n < want {
                    format!(
                        "article （{}） appears again where （{}） was expected",
                        numeral(n),
                        numeral(want)
                    )
                } else {
                    format!(
                        "article （{}） where （{}） was expected: an article heading is missing or misnumbered",
                        numeral(n),
                        numeral(want)
                    )
                },
            });
        }
        if let Some((n, t)) = article_heading(line)
            && !sections.is_empty()
            && n == articles.len() as u32 + 1
        {
            // A title line may run on into text; the title ends at the first 。
            let (title, rest) = match t.find('。') {
                Some(p) => (&t[..p], t[p + '。'.len_utf8()..].trim()),
                None => (t, ""),
            };
            articles.push(Article {
                no: n,
                section: sections.len() as u32,
                title: title.to_string(),
                body: String::new(),
                line: lineno,
                division: None,
                measures: Vec::new(),
            });
            bodies.push(Vec::new());
            in_intro = false;
            if !rest.is_empty() {
                bodies.last_mut().expect("just pushed").push((lineno, rest.to_string()));
            }
            continue;
        }
        if in_intro {
            // A section's introduction: kept with the section, never an article's task.
            let sec = sections.last_mut().expect("in a section");
            if !sec.intro.is_empty() {
                sec.intro.push('\n');
            }
            sec.intro.push_str(line);
            continue;
        }
        match bodies.last_mut() {
            Some(b) => b.push((lineno, line.to_string())),
            None => preamble.push(line.to_string()),
        }
    }

    if sections.is_empty() {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: "no section heading (一、…) found: not a policy text of the expected shape".into(),
        });
    }
    if articles.is_empty() {
        return Err(ParseError {
            line: 1,
            column: 1,
            message: "no article heading (（一）…) found".into(),
        });
    }

    let mut seen_bracket = false;
    for (article, lines) in articles.iter_mut().zip(bodies) {
        let mut paragraphs = Vec::new();
        for (lineno, line) in lines {
            let (text, division) = split_bracket(&line, lineno)?;
            if let Some(d) = division {
                if article.division.is_some() {
                    return Err(ParseError {
                        line: lineno,
                        column: 1,
                        message: format!("article {} has a second 〔…〕 bracket", article.no),
                    });
                }
                article.division = Some(d);
            }
            if !text.is_empty() {
                paragraphs.push(text);
            }
        }
        match (&article.division, seen_bracket) {
            (Some(_), _) => seen_bracket = true,
            (None, true) => {
                return Err(ParseError {
                    line: article.line,
                    column: 1,
                    message: format!(
                        "article {} （{}）has no division-of-labour bracket 〔牵头单位:…；配合单位:…〕",
                        article.no, article.title
                    ),
                });
            }
            (None, false) => {}
        }
        article.body = paragraphs.join("\n");
        article.measures = split_sentences(&article.body);
    }
    // An article without a bracket where others of its section have one
    // lost it (the first bracketed article's included).
    for a in &articles {
        if a.division.is_none() && articles.iter().any(|b| b.section == a.section && b.division.is_some()) {
            return Err(ParseError {
                line: a.line,
                column: 1,
                message: format!(
                    "article {} （{}）has no division-of-labour bracket 〔牵头单位:…；配合单位:…〕, though other articles of its section have one",
                    a.no, a.title
                ),
            });
        }
    }
    if !seen_bracket {
        return Err(ParseError {
            line: articles[0].line,
            column: 1,
            message: "no article has a division-of-labour bracket 〔牵头单位:…；配合单位:…〕".into(),
        });
    }

    let title = match title {
        Some(t) => t.to_string(),
        None => guess_title(&preamble),
    };
    Ok(Policy {
        title,
        preamble: preamble.join("\n"),
        sections,
        articles,
        warnings,
    })
}

fn guess_title(preamble: &[String]) -> String {
    preamble
        .iter()
        .find(|l| {
            !l.ends_with(':')
                && !l.ends_with('：')
                && ["意见", "方案", "通知", "办法"].iter().any(|k| l.contains(k))
                && l.chars().count() < 80
        })
        .cloned()
        .unwrap_or_default()
}

/// Splits the 〔…〕 bracket off a body line.
/// Splits the division-of-labour bracket off a body line. That bracket is
/// the last 〔…〕 on the line, ends it, and names roles (`…单位:`); any other
/// 〔…〕, such as a cited document number 藏政发〔2018〕12号, is body text.
fn split_bracket(line: &str, lineno: usize) -> Result<(String, Option<Division>), ParseError> {
    let col = |byte: usize| line[..byte].chars().count() + 1;
    let Some(open) = line.rfind('〔') else {
        if let Some(close) = line.find('〕') {
            return Err(ParseError {
                line: lineno,
                column: col(close),
                message: "〕 without an opening 〔".into(),
            });
        }
        return Ok((line.to_string(), None));
    };
    let inner_start = open + '〔'.len_utf8();
    let looks_like_roles = |t: &str| t.contains("单位") && t.contains([':', '：']);
    let Some(rel_close) = line[inner_start..].find('〕') else {
        if looks_like_roles(&line[inner_start..]) {
            return Err(ParseError {
                line: lineno,
                column: col(open),
                message: "unclosed 〔: the division-of-labour bracket has no closing 〕".into(),
            });
        }
        return Ok((line.to_string(), None));
    };
    let close = inner_start + rel_close;
    let inner = &line[inner_start..close];
    let trailing = line[close + '〕'.len_utf8()..].trim().trim_end_matches('。');
    if !trailing.is_empty() || !inner.contains([':', '：']) {
        // A citation inside or at the end of a sentence.
        return Ok((line.to_string(), None));
    }
    // A unit name with a zero-width character would pose as another unit.
    if let Some((at, c)) = inner.char_indices().find(|(_, c)| crate::text::is_invisible(*c)) {
        return Err(ParseError {
            line: lineno,
            column: col(inner_start + at),
            message: format!(
                "invisible character U+{:04X} in the division-of-labour bracket (a unit name that could pose as another)",
                c as u32
            ),
        });
    }
    let division = parse_division(inner, lineno, col(inner_start))?;
    Ok((line[..open].trim().to_string(), Some(division)))
}

fn parse_division(inner: &str, lineno: usize, col0: usize) -> Result<Division, ParseError> {
    let mut d = Division::default();
    let mut offset = 0usize; // chars from col0
    for clause in inner.split(['；', ';']) {
        let here = col0 + offset;
        offset += clause.chars().count() + 1;
        let clause_t = clause.trim();
        if clause_t.is_empty() {
            continue;
        }
        let Some((role, list)) = clause_t.split_once([':', '：']) else {
            return Err(ParseError {
                line: lineno,
                column: here,
                message: format!("expected 牵头单位: or 配合单位: in {clause_t:?}"),
            });
        };
        let target = match role.trim() {
            "牵头单位" => &mut d.lead,
            "配合单位" => &mut d.partner,
            other => {
                return Err(ParseError {
                    line: lineno,
                    column: here,
                    message: format!("unknown role word {other:?}: expected 牵头单位 or 配合单位"),
                });
            }
        };
        let list_col = here + role.chars().count() + 1;
        for (name, c) in split_units(list) {
            if name.is_empty() {
                return Err(ParseError {
                    line: lineno,
                    column: list_col + c,
                    message: format!("empty unit name in the {} list", role.trim()),
                });
            }
            target.push(name);
        }
    }
    if d.lead.is_empty() {
        return Err(ParseError {
            line: lineno,
            column: col0,
            message: "the bracket names no 牵头单位 (lead unit)".into(),
        });
    }
    Ok(d)
}

/// Splits a unit list on 、 ， and , outside （…）; returns names with their char offsets.
pub fn split_units(list: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut start = 0usize;
    for (i, c) in list.chars().enumerate() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            '、' | '，' | ',' if depth <= 0 => {
                out.push((cur.trim().to_string(), start));
                cur.clear();
                start = i + 1;
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push((cur.trim().to_string(), start));
    out
}

/// Splits text into sentences ending in 。！？ (not inside quotes or brackets).
pub fn split_sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in body.chars() {
        if c == '\n' {
            if !cur.trim().is_empty() {
                out.push(cur.trim().to_string());
            }
            cur.clear();
            continue;
        }
        cur.push(c);
        match c {
            '“' | '（' | '《' | '(' => depth += 1,
            '”' | '）' | '》' | ')' => depth -= 1,
            '。' | '！' | '？' if depth <= 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
            }
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests;
