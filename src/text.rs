//! Text that reaches a terminal: sanitizing untrusted strings and measuring,
//! truncating and padding by display width (CJK characters are two columns).

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A stored UTC time (`2026-11-29T14:41:27Z`) as local time
/// (`2026-11-29 22:41`); anything else comes back as it is.
pub fn local_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => at.to_string(),
    }
}

/// True for characters that must never reach a terminal as themselves.
pub fn is_dangerous(c: char) -> bool {
    let u = c as u32;
    u < 0x20 && c != '\n' && c != '\t'
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2066..=0x2069).contains(&u)
        || matches!(u, 0x200e | 0x200f | 0x061c | 0x2028 | 0x2029 | 0xfeff)
        || (0xe0000..=0xe007f).contains(&u)
        || is_invisible(c)
}

/// Characters that show as nothing or as a blank though they are not a
/// space: zero-width and invisible formatting characters (U+200B–U+200D,
/// U+2060–U+2064, U+206A–U+206F, U+180B–U+180F, U+FEFF, U+FFF0–U+FFF8),
/// the soft hyphen U+00AD, the combining grapheme joiner U+034F, the Hangul
/// fillers U+115F, U+1160, U+3164, U+FFA0, the Khmer inherent vowels
/// U+17B4–U+17B5, the musical format controls U+1D173–U+1D17A and the blank
/// Braille pattern U+2800: "科\u{200b}技厅" would look like 科技厅, and
/// "\u{3164}" like a blank name.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x200b..=0x200d
            | 0x2060..=0x2064
            | 0x206a..=0x206f
            | 0x180b..=0x180f
            | 0xfeff
            | 0xfff0..=0xfff8
            | 0x00ad
            | 0x034f
            | 0x115f
            | 0x1160
            | 0x3164
            | 0xffa0
            | 0x17b4
            | 0x17b5
            | 0x1d173..=0x1d17a
            | 0x2800
    )
}

/// Untrusted text as one line of Markdown that renders as the same text:
/// sanitized, and every character that could start Markdown or HTML
/// (`<script>`, `<img onerror=…>`, a `](javascript:…)` link, emphasis, a
/// table's `|`) escaped with a backslash, so a viewer shows it literally.
pub fn md_inline(s: &str) -> String {
    let line = one_line(s);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '!' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text [`md_inline`] escaped, for a reader of that Markdown that is
/// not a Markdown renderer (the Word writer).
pub fn md_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            if let Some(n) = chars.next() {
                out.push(n);
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Makes untrusted text safe to print: C0/C1 controls, DEL, bidi controls,
/// line/paragraph separators, zero-width characters, BOMs and tag
/// characters become visible placeholders (`␛`, `<U+202E>`); newline and tab are kept for layout.
/// Plain text, CJK included, comes back borrowed and unchanged.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_dangerous) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_dangerous(c) {
            out.push(c);
            continue;
        }
        let u = c as u32;
        match u {
            0x00..=0x1f => out.push(char::from_u32(0x2400 + u).unwrap_or('?')),
            0x7f => out.push('\u{2421}'),
            _ => out.push_str(&format!("<U+{u:04X}>")),
        }
    }
    Cow::Owned(out)
}

/// [`sanitize`], then newlines and tabs folded into spaces: for one table cell.
pub fn one_line(s: &str) -> String {
    sanitize(s)
        .chars()
        .map(|c| if c == '\n' || c == '\t' || c == '\r' { ' ' } else { c })
        .collect()
}

/// Display width in terminal columns, as this terminal draws `s`: East
/// Asian ambiguous characters two cells wide when [`ambiguous_wide`], and
/// on a GBK terminal each character as its [`gbk_stand_in`] is drawn.
pub fn width(s: &str) -> usize {
    if gbk_only() && !s.is_ascii() {
        return s.chars().map(char_width).sum();
    }
    if ambiguous_wide() {
        UnicodeWidthStr::width_cjk(s)
    } else {
        UnicodeWidthStr::width(s)
    }
}

static AMBIGUOUS_WIDE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static GBK_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the terminal draws East Asian ambiguous characters (● · “ ” —
/// … box drawing) two cells wide, as many Chinese SSH clients do.
pub fn ambiguous_wide() -> bool {
    AMBIGUOUS_WIDE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets how ambiguous characters are measured (the console sets it from the
/// configuration or from asking the terminal).
pub fn set_ambiguous_wide(wide: bool) {
    AMBIGUOUS_WIDE.store(wide, std::sync::atomic::Ordering::Relaxed);
}

/// Whether the terminal shows GBK only (a GBK client, or `luit -encoding
/// GBK`): a character GBK lacks is drawn as its [`gbk_stand_in`].
pub fn gbk_only() -> bool {
    GBK_ONLY.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets whether the terminal shows GBK only (the console sets it from the
/// terminal's charset).
pub fn set_gbk_only(gbk: bool) {
    GBK_ONLY.store(gbk, std::sync::atomic::Ordering::Relaxed);
}

/// Whether GBK has `c`: a one- or two-byte code of encoding_rs's GBK
/// encoder (GB2312 and its GBK extension; not the euro sign, which only
/// Windows' code page 936 puts at 0x80).
pub fn in_gbk(c: char) -> bool {
    if c.is_ascii() || ('\u{4e00}'..='\u{9fa5}').contains(&c) {
        return true;
    }
    if c == '\u{20ac}' {
        return false;
    }
    let mut tmp = [0u8; 4];
    let mut out = [0u8; 8];
    let mut enc = encoding_rs::GBK.new_encoder();
    let (res, _, _) = enc.encode_from_utf8_without_replacement(c.encode_utf8(&mut tmp), &mut out, true);
    res == encoding_rs::EncoderResult::InputEmpty
}

/// What a GBK terminal is sent for `c`: `c` itself when GBK has it, else a
/// GBK character that keeps its meaning (✔ → √, ✗ → ×, ‼ → ！, the
/// quarter circles of the checklist's steps → ◇ ◆ ●), else `?` (`？` for a
/// character two cells wide).
pub fn gbk_stand_in(c: char) -> char {
    if in_gbk(c) {
        return c;
    }
    match c {
        '✔' | '✓' | '☑' => '√',
        '✗' | '✘' => '×',
        '☐' => '□',
        '↩' | '◀' | '‹' => '←',
        '▶' | '▸' | '›' => '→',
        '▾' => '▼',
        '‼' => '！',
        '◐' => '◎',
        '◔' => '◇',
        '◑' => '◆',
        '◕' => '●',
        '⊘' => '⊙',
        '⟳' => '※',
        '⏸' => '‖',
        '−' => '－',
        '▒' => '▓',
        '░' | '⋯' => '.',
        '\u{fffd}' => '?',
        _ if c.width().unwrap_or(1) >= 2 => '？',
        _ => '?',
    }
}

/// Display width of one character, as [`width`] measures.
pub fn char_width(c: char) -> usize {
    let c = if gbk_only() { gbk_stand_in(c) } else { c };
    if ambiguous_wide() {
        c.width_cjk().unwrap_or(0)
    } else {
        c.width().unwrap_or(0)
    }
}

/// Whether `c` is drawn one cell wide by some terminals and two by others.
pub fn is_ambiguous(c: char) -> bool {
    c.width_cjk().unwrap_or(0) > c.width().unwrap_or(0)
}

/// Cuts `s` to at most `max` columns, ending with `…` when something was cut.
/// Never splits a double-width character.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Truncates to `w` columns and pads with spaces to exactly `w` columns.
pub fn fit(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    let mut out = t.into_owned();
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// Right-aligns `s` in `w` columns (truncating if needed).
pub fn fit_right(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    let mut out: String = std::iter::repeat_n(' ', pad).collect();
    out.push_str(&t);
    out
}

/// True when `filter` (lower-case letters and digits) matches consecutive
/// characters of `s` by their pinyin initials, any reading of a polyphonic
/// character counting: "rh" and "rx" both find 人行.
pub fn initials_contain(s: &str, filter: &str) -> bool {
    // Letters and digits as bits of a mask: a character's possible
    // initials are one mask, so matching allocates nothing for short text.
    let mut f = [0u64; 32];
    let mut n = 0;
    for c in filter.chars() {
        let b = ascii_bit(c);
        if b == 0 || n == f.len() {
            return false;
        }
        f[n] = b;
        n += 1;
    }
    if n == 0 {
        return true;
    }
    let f = &f[..n];
    let mut stack = [0u64; 64];
    let mut heap = Vec::new();
    let mut len = 0;
    for c in s.chars() {
        let m = initials_mask(c);
        if m == 0 {
            continue;
        }
        if len < stack.len() {
            stack[len] = m;
        } else {
            if heap.is_empty() {
                heap.extend_from_slice(&stack);
            }
            heap.push(m);
        }
        len += 1;
    }
    let letters: &[u64] = if len <= stack.len() { &stack[..len] } else { &heap };
    letters
        .windows(n)
        .any(|w| w.iter().zip(f).all(|(opts, bit)| opts & bit != 0))
}

/// The bit of an ASCII letter (either case) or digit; 0 for anything else.
fn ascii_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        'A'..='Z' => 1 << (c as u32 - 'A' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

/// The possible pinyin initials of `c` (every reading) as bits; an ASCII
/// letter or digit is itself.
fn initials_mask(c: char) -> u64 {
    use pinyin::ToPinyinMulti;
    if c.is_ascii() {
        return ascii_bit(c);
    }
    match c.to_pinyin_multi() {
        Some(multi) => multi
            .into_iter()
            .filter_map(|p| p.first_letter().chars().next())
            .fold(0, |m, l| m | ascii_bit(l)),
        None => 0,
    }
}

/// A key that sorts Chinese text by its pinyin (科技厅 → "ke ji ting").
pub fn pinyin_key(s: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => out.push_str(p.plain()),
            None => out.extend(c.to_lowercase()),
        }
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_survive() {
        for payload in [
            "\x1b]0;PWNED\x07",
            "\x1b[2J",
            "\u{9b}31m",
            "\x1b]52;c;aGVsbG8=\x07",
            "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
            "abc\u{202e}fdp.exe",
            "x\ry",
            "tag\u{e0041}",
            "\u{feff}bom",
        ] {
            let out = sanitize(payload);
            assert!(!out.chars().any(is_dangerous), "{payload:?} -> {out:?}");
            assert!(!out.contains('\x1b'));
        }
        assert_eq!(sanitize("a\u{202e}b"), "a<U+202E>b");
        assert_eq!(sanitize("x\ry"), "x\u{240d}y");
    }

    #[test]
    fn zero_width_characters_are_made_visible() {
        for c in ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'] {
            let s = format!("科{c}技厅");
            assert_eq!(sanitize(&s), format!("科<U+{:04X}>技厅", c as u32));
            assert!(!one_line(&s).contains(c));
        }
    }

    /// Characters that must never come out of [`sanitize`].
    fn forbidden() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            (0u32..0x20).prop_map(|u| char::from_u32(u).unwrap()),
            (0x7fu32..0xa0).prop_map(|u| char::from_u32(u).unwrap()),
            prop::sample::select(vec![
                '\u{202a}',
                '\u{202e}',
                '\u{2066}',
                '\u{2069}',
                '\u{200e}',
                '\u{200f}',
                '\u{061c}',
                '\u{2028}',
                '\u{2029}',
                '\u{feff}',
                '\u{200b}',
                '\u{200d}',
                '\u{2060}',
                '\u{e0041}',
            ]),
        ]
    }

    proptest::proptest! {
        #[test]
        fn sanitize_is_idempotent_and_removes_every_forbidden_char(
            parts in proptest::collection::vec(
                proptest::prop_oneof![proptest::arbitrary::any::<char>(), forbidden()],
                0..64,
            )
        ) {
            let s: String = parts.into_iter().collect();
            let once = sanitize(&s).into_owned();
            proptest::prop_assert!(!once.chars().any(is_dangerous), "{:?} -> {:?}", s, once);
            proptest::prop_assert_eq!(sanitize(&once).into_owned(), once.clone());
            let line = one_line(&s);
            proptest::prop_assert!(!line.chars().any(|c| is_dangerous(c) || c == '\n' || c == '\t'));
        }

        #[test]
        fn sanitize_leaves_cjk_text_alone(s in "[\u{4e00}-\u{9fff}\u{3000}-\u{303f}\u{ff01}-\u{ff5e}a-zA-Z0-9 ，。、“”（）\n\t]{0,80}") {
            proptest::prop_assert!(matches!(sanitize(&s), Cow::Borrowed(_)));
        }

        #[test]
        fn truncation_never_exceeds_the_width(s in "\\PC{0,40}", max in 0usize..30) {
            let t = truncate(&s, max);
            proptest::prop_assert!(width(&t) <= max);
        }
    }

    #[test]
    fn cjk_passes_unchanged() {
        let s = "自治区推进“双创”领导小组办公室（编办）\n第二行";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
    }

    #[test]
    fn pinyin_initials_and_order() {
        assert!(initials_contain("科技厅", "kjt"));
        assert!(initials_contain("市场监管局（知识产权局）", "scjgjzscqj"));
        assert!(initials_contain("R&D投入", "rdtr"));
        // Any reading of a polyphonic character matches: 行 is hang or xing.
        assert!(initials_contain("人行拉萨中心支行", "rhls"));
        assert!(initials_contain("人行拉萨中心支行", "rxls"));
        assert!(initials_contain("自治区科技厅", "kjt"));
        assert!(!initials_contain("科技厅", "jyt"));
        let mut v = ["住房城乡建设厅", "人力资源社会保障厅", "农业农村厅"];
        v.sort_by_key(|s| pinyin_key(s));
        assert_eq!(v, ["农业农村厅", "人力资源社会保障厅", "住房城乡建设厅"]);
    }

    #[test]
    fn truncation_respects_double_width() {
        assert_eq!(truncate("科技厅", 6), "科技厅");
        assert_eq!(truncate("科技厅", 5), "科技…");
        assert_eq!(truncate("科技厅", 4), "科…");
        assert_eq!(width(&fit("科技厅", 5)), 5);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit_right("7", 3), "  7");
    }
}
