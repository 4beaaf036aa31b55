//! Terminal input: the bytes read from the terminal, decoded into keys,
//! pastes and cursor-position reports.
//!
//! The console reads stdin itself (every byte waiting, as `FIONREAD` says)
//! instead of through crossterm's event reader: that reader reads one
//! buffer per readiness notice from an edge-triggered poll, so input that
//! came with a resize, or a paste longer than its buffer, waited for the
//! next key press. Here nothing is left unread, and an incomplete sequence
//! waits a moment for its end (over SSH it can arrive in two packets).
//!
//! Keys come out as crossterm `KeyEvent`s, which the keymap and the text
//! editor take. The sequences are xterm's (and every terminal that follows
//! it): CSI and SS3 keys with modifiers, C0 controls as Ctrl + letter,
//! ESC + key as Alt + key, bracketed paste, cursor position reports and
//! primary device attributes (the answer that ends the start-up questions).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    /// Text pasted while bracketed paste is on.
    Paste(String),
    /// Answer to a cursor position query: (row, column), 1-based.
    CursorPosition(u16, u16),
    /// Answer to a primary device attributes query (`ESC [ c`): every
    /// terminal gives it, after the answers to the questions before it.
    DeviceAttributes,
}

/// How long an incomplete sequence waits for the rest before it is read as
/// what arrived (a lone ESC is the Esc key).
pub const SEQUENCE_WAIT: std::time::Duration = std::time::Duration::from_millis(40);

/// Longest CSI sequence accepted; anything longer is noise and dropped.
const MAX_CSI: usize = 64;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Bytes in, inputs out.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Inside a bracketed paste: what was pasted so far.
    paste: Option<Vec<u8>>,
}

enum Step {
    /// An input, and how many bytes it took.
    Event(Input, usize),
    /// Bytes to drop (noise, unknown sequences).
    Skip(usize),
    /// More bytes are needed.
    Need,
}

fn key(code: KeyCode, mods: KeyModifiers) -> Input {
    Input::Key(KeyEvent::new(code, mods))
}

/// xterm's modifier parameter (1 + bits: 1 Shift, 2 Alt, 4 Ctrl).
fn modifiers(param: Option<u32>) -> KeyModifiers {
    let bits = param.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// A C0 control or DEL as a key.
fn control(b: u8) -> Option<Input> {
    Some(match b {
        b'\r' | b'\n' => key(KeyCode::Enter, KeyModifiers::NONE),
        b'\t' => key(KeyCode::Tab, KeyModifiers::NONE),
        0x7f | 0x08 => key(KeyCode::Backspace, KeyModifiers::NONE),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL),
        0x01..=0x1a => key(KeyCode::Char((b'a' + b - 1) as char), KeyModifiers::CONTROL),
        0x1c..=0x1f => key(KeyCode::Char((b'4' + b - 0x1c) as char), KeyModifiers::CONTROL),
        _ => return None,
    })
}

/// The length of a UTF-8 sequence from its first byte (0: not a first byte).
fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 0,
    }
}

/// A character starting at `buf[0]`: (char, bytes), or `None` when more
/// bytes are needed; `Some(Err(n))` for `n` bytes that are not UTF-8.
fn utf8_char(buf: &[u8]) -> Option<Result<(char, usize), usize>> {
    let n = utf8_len(buf[0]);
    if n == 0 {
        return Some(Err(1));
    }
    if buf.len() < n {
        // A continuation byte that cannot continue: no need to wait.
        if buf[1..].iter().any(|b| b & 0xc0 != 0x80) {
            return Some(Err(1));
        }
        return None;
    }
    match std::str::from_utf8(&buf[..n]) {
        Ok(s) => s.chars().next().map(|c| Ok((c, n))),
        Err(_) => Some(Err(1)),
    }
}

fn parse_csi(buf: &[u8]) -> Step {
    // ESC [ params intermediates final
    let mut i = 2;
    while i < buf.len() && i < MAX_CSI {
        let b = buf[i];
        if (0x40..=0x7e).contains(&b) {
            break;
        }
        if !(0x20..=0x3f).contains(&b) {
            // Not part of a CSI sequence: the ESC [ was Alt+[ after all.
            return Step::Event(key(KeyCode::Char('['), KeyModifiers::ALT), 2);
        }
        i += 1;
    }
    if i >= MAX_CSI {
        return Step::Skip(i);
    }
    if i >= buf.len() {
        return Step::Need;
    }
    let final_byte = buf[i];
    let len = i + 1;
    let body = &buf[2..i];
    if body.first() == Some(&b'?') && final_byte == b'c' {
        return Step::Event(Input::DeviceAttributes, len);
    }
    if body.first().is_some_and(|b| matches!(b, b'<' | b'?' | b'>' | b'=')) {
        // Mouse reports and other private replies: not keys.
        return Step::Skip(len);
    }
    let params: Vec<Option<u32>> = body
        .split(|b| *b == b';')
        .map(|p| {
            let digits: Vec<u8> = p.iter().take_while(|b| b.is_ascii_digit()).copied().collect();
            std::str::from_utf8(&digits).ok().and_then(|s| s.parse().ok())
        })
        .collect();
    let p = |k: usize| params.get(k).copied().flatten();
    let m = modifiers(p(1));
    let ev = match final_byte {
        b'A' => key(KeyCode::Up, m),
        b'B' => key(KeyCode::Down, m),
        b'C' => key(KeyCode::Right, m),
        b'D' => key(KeyCode::Left, m),
        b'H' => key(KeyCode::Home, m),
        b'F' => key(KeyCode::End, m),
        b'Z' => key(KeyCode::BackTab, KeyModifiers::NONE),
        b'P' => key(KeyCode::F(1), m),
        b'Q' => key(KeyCode::F(2), m),
        b'S' => key(KeyCode::F(4), m),
        b'R' => match (p(0), p(1)) {
            (Some(row), Some(col)) => {
                Input::CursorPosition(row.min(u16::MAX as u32) as u16, col.min(u16::MAX as u32) as u16)
            }
            _ => return Step::Skip(len),
        },
        b'~' => {
            let code = match p(0) {
                Some(1 | 7) => KeyCode::Home,
                Some(2) => KeyCode::Insert,
                Some(3) => KeyCode::Delete,
                Some(4 | 8) => KeyCode::End,
                Some(5) => KeyCode::PageUp,
                Some(6) => KeyCode::PageDown,
                Some(n @ 11..=15) => KeyCode::F((n - 10) as u8),
                Some(n @ 17..=21) => KeyCode::F((n - 11) as u8),
                Some(n @ 23..=24) => KeyCode::F((n - 12) as u8),
                _ => return Step::Skip(len),
            };
            key(code, m)
        }
        _ => return Step::Skip(len),
    };
    Step::Event(ev, len)
}

fn parse(buf: &[u8], flush: bool) -> Step {
    let b = buf[0];
    if b == 0x1b {
        let Some(&next) = buf.get(1) else {
            return if flush {
                Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1)
            } else {
                Step::Need
            };
        };
        return match next {
            b'[' => match parse_csi(buf) {
                Step::Need if flush => Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
                s => s,
            },
            b'O' => match buf.get(2) {
                None if flush => Step::Event(key(KeyCode::Char('O'), KeyModifiers::ALT), 2),
                None => Step::Need,
                Some(&c) => {
                    let code = match c {
                        b'A' => KeyCode::Up,
                        b'B' => KeyCode::Down,
                        b'C' => KeyCode::Right,
                        b'D' => KeyCode::Left,
                        b'H' => KeyCode::Home,
                        b'F' => KeyCode::End,
                        b'P'..=b'S' => KeyCode::F(c - b'P' + 1),
                        _ => return Step::Event(key(KeyCode::Char('O'), KeyModifiers::ALT), 2),
                    };
                    Step::Event(key(code, KeyModifiers::NONE), 3)
                }
            },
            0x1b => Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
            c if c < 0x20 || c == 0x7f => match control(c) {
                Some(Input::Key(k)) => Step::Event(key(k.code, k.modifiers | KeyModifiers::ALT), 2),
                _ => Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
            },
            _ => match utf8_char(&buf[1..]) {
                None if flush => Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
                None => Step::Need,
                Some(Ok((c, n))) => Step::Event(key(KeyCode::Char(c), KeyModifiers::ALT), 1 + n),
                Some(Err(_)) => Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
            },
        };
    }
    if let Some(ev) = control(b) {
        return Step::Event(ev, 1);
    }
    match utf8_char(buf) {
        None if flush => Step::Skip(1),
        None => Step::Need,
        Some(Ok((c, n))) => Step::Event(key(KeyCode::Char(c), KeyModifiers::NONE), n),
        Some(Err(n)) => Step::Skip(n),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl Decoder {
    /// Adds bytes read from the terminal.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Whether bytes are held back waiting for the rest of a sequence.
    pub fn pending(&self) -> bool {
        !self.buf.is_empty()
    }

    /// The next input, if one is complete. With `flush`, an incomplete
    /// sequence is taken for what it is (a lone ESC is the Esc key); without,
    /// it waits for more bytes.
    pub fn next(&mut self, flush: bool) -> Option<Input> {
        loop {
            if let Some(p) = &mut self.paste {
                match find(&self.buf, PASTE_END) {
                    Some(end) => {
                        p.extend_from_slice(&self.buf[..end]);
                        self.buf.drain(..end + PASTE_END.len());
                        let text = String::from_utf8_lossy(p).into_owned();
                        self.paste = None;
                        return Some(Input::Paste(text));
                    }
                    None => {
                        // Keep what could be the start of the end marker.
                        let keep = (1..PASTE_END.len())
                            .rev()
                            .find(|&k| self.buf.len() >= k && PASTE_END.starts_with(&self.buf[self.buf.len() - k..]))
                            .unwrap_or(0);
                        let take = self.buf.len() - keep;
                        p.extend_from_slice(&self.buf[..take]);
                        self.buf.drain(..take);
                        return None;
                    }
                }
            }
            if self.buf.is_empty() {
                return None;
            }
            if self.buf.starts_with(PASTE_START) {
                self.buf.drain(..PASTE_START.len());
                self.paste = Some(Vec::new());
                continue;
            }
            match parse(&self.buf, flush) {
                Step::Event(ev, n) => {
                    self.buf.drain(..n.min(self.buf.len()));
                    return Some(ev);
                }
                Step::Skip(n) => {
                    self.buf.drain(..n.min(self.buf.len()).max(1));
                }
                Step::Need => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all(bytes: &[u8]) -> Vec<Input> {
        let mut d = Decoder::default();
        d.feed(bytes);
        std::iter::from_fn(|| d.next(true)).collect()
    }

    fn k(code: KeyCode) -> Input {
        key(code, KeyModifiers::NONE)
    }

    #[test]
    fn plain_keys_and_chinese() {
        assert_eq!(
            all("a科技厅\r\t\x7f".as_bytes()),
            [
                k(KeyCode::Char('a')),
                k(KeyCode::Char('科')),
                k(KeyCode::Char('技')),
                k(KeyCode::Char('厅')),
                k(KeyCode::Enter),
                k(KeyCode::Tab),
                k(KeyCode::Backspace),
            ]
        );
        assert_eq!(all(b"\x13"), [key(KeyCode::Char('s'), KeyModifiers::CONTROL)]);
        assert_eq!(all(b"\x03"), [key(KeyCode::Char('c'), KeyModifiers::CONTROL)]);
    }

    #[test]
    fn escape_sequences() {
        assert_eq!(
            all(b"\x1b[A\x1b[B\x1bOC\x1b[1;5D\x1b[Z\x1b[5~\x1b[6~\x1b[3~\x1b[H\x1b[4~\x1bOP\x1b[15~"),
            [
                k(KeyCode::Up),
                k(KeyCode::Down),
                k(KeyCode::Right),
                key(KeyCode::Left, KeyModifiers::CONTROL),
                k(KeyCode::BackTab),
                k(KeyCode::PageUp),
                k(KeyCode::PageDown),
                k(KeyCode::Delete),
                k(KeyCode::Home),
                k(KeyCode::End),
                k(KeyCode::F(1)),
                k(KeyCode::F(5)),
            ]
        );
        assert_eq!(all(b"\x1bx"), [key(KeyCode::Char('x'), KeyModifiers::ALT)]);
        assert_eq!(all(b"\x1b[12;40R"), [Input::CursorPosition(12, 40)]);
        assert_eq!(all(b"\x1b[?62;22cq"), [Input::DeviceAttributes, k(KeyCode::Char('q'))]);
        // Mouse reports and unknown sequences are dropped, not typed.
        assert_eq!(all(b"\x1b[<0;3;4M\x1b[99x!"), [k(KeyCode::Char('!'))]);
    }

    #[test]
    fn a_lone_esc_waits_then_is_the_esc_key() {
        let mut d = Decoder::default();
        d.feed(b"\x1b");
        assert_eq!(d.next(false), None);
        assert!(d.pending());
        // The rest of the sequence arrives in the next packet.
        d.feed(b"[A");
        assert_eq!(d.next(false), Some(k(KeyCode::Up)));
        d.feed(b"\x1b");
        assert_eq!(d.next(false), None);
        assert_eq!(d.next(true), Some(k(KeyCode::Esc)));
        assert!(!d.pending());
    }

    #[test]
    fn split_utf8_waits_for_its_last_byte() {
        let bytes = "技".as_bytes();
        let mut d = Decoder::default();
        d.feed(&bytes[..2]);
        assert_eq!(d.next(false), None);
        d.feed(&bytes[2..]);
        assert_eq!(d.next(false), Some(k(KeyCode::Char('技'))));
        // Bytes that are not UTF-8 are dropped.
        assert_eq!(all(b"\xff\xfeok"), [k(KeyCode::Char('o')), k(KeyCode::Char('k'))]);
    }

    #[test]
    fn bracketed_paste_is_one_input_even_across_reads() {
        let text = "第一行\n第二行，含 \x1b[A 序列".repeat(100);
        let mut bytes = PASTE_START.to_vec();
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(PASTE_END);
        bytes.push(b'q');
        let mut d = Decoder::default();
        let mut out = Vec::new();
        for chunk in bytes.chunks(7) {
            d.feed(chunk);
            while let Some(i) = d.next(false) {
                out.push(i);
            }
        }
        assert_eq!(out, [Input::Paste(text), k(KeyCode::Char('q'))]);
    }

    #[test]
    fn more_than_a_kilobyte_of_typing_all_comes_out() {
        let text = "字".repeat(700);
        let got = all(text.as_bytes());
        assert_eq!(got.len(), 700);
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panicking_and_are_consumed(bytes in proptest::collection::vec(any::<u8>(), 0..200), split in 0usize..200) {
            let mut d = Decoder::default();
            let (a, b) = bytes.split_at(split.min(bytes.len()));
            d.feed(a);
            while d.next(false).is_some() {}
            d.feed(b);
            while d.next(true).is_some() {}
            // Everything is consumed except an unfinished paste.
            prop_assert!(!d.pending() || d.paste.is_some());
        }

        #[test]
        fn typed_text_comes_back_as_its_characters(s in "[a-zA-Z0-9 科技厅双创办，。！]{0,40}") {
            let got: String = all(s.as_bytes())
                .into_iter()
                .map(|i| match i {
                    Input::Key(KeyEvent { code: KeyCode::Char(c), .. }) => c,
                    other => panic!("{other:?}"),
                })
                .collect();
            prop_assert_eq!(got, s);
        }
    }
}
