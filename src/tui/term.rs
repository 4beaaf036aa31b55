//! What the console writes to the terminal and how: one buffered write per
//! frame wrapped in synchronized output (DEC mode 2026), colours reduced to
//! the 16 basic ones where the terminal does not announce more, and the
//! whole stream transcoded to GB18030 or GBK for clients that run in those
//! (Xshell, SecureCRT, older PuTTY setups, `luit`). Typed bytes are
//! transcoded back.

use std::io::{self, Write};

/// The terminal's character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// Every character has a form (four bytes for those GBK lacks).
    Gb18030,
    /// One or two bytes a character: what GBK lacks (✔ ‼ ◐ ▒ …) is drawn
    /// as a stand-in (`text::gbk_stand_in`), and nothing else is ever sent.
    Gbk,
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    /// 256 colours or more: as the themes are.
    Full,
    /// The 16 basic colours (SGR 30–37, 90–97).
    Ansi16,
    /// None (TERM=dumb, vt100): the no-colour theme.
    None,
}

/// What the terminal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermEnv {
    pub charset: Charset,
    pub colors: ColorDepth,
    /// The Linux console (`TERM=linux`): no bright backgrounds (the
    /// selection is reverse video there), and escape sequences it does not
    /// know are printed, so it is asked nothing it would not understand.
    pub linux_console: bool,
}

impl TermEnv {
    /// From the environment: the locale's charset (`LC_ALL`, `LC_CTYPE`,
    /// `LANG`, first set wins) unless `setting` names one (`utf-8`,
    /// `gb18030`, `gbk`); colours from `TERM` and `COLORTERM`.
    pub fn from_env(setting: &str) -> TermEnv {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let locale = var("LC_ALL").or_else(|| var("LC_CTYPE")).or_else(|| var("LANG"));
        TermEnv {
            charset: charset_of(setting, locale.as_deref()),
            colors: colors_of(var("TERM").as_deref(), var("COLORTERM").as_deref()),
            linux_console: is_linux_console(var("TERM").as_deref()),
        }
    }

    /// Whether the terminal may be asked about text sizing (OSC 66): one
    /// that would print what it does not understand is not.
    pub fn sizing_possible(&self) -> bool {
        self.colors != ColorDepth::None && !self.linux_console
    }
}

/// Whether `TERM` names the Linux console.
pub fn is_linux_console(term: Option<&str>) -> bool {
    term.is_some_and(|t| t == "linux" || t.starts_with("linux-"))
}

/// The charset: the setting when it names one, else the locale's; C, POSIX
/// and anything unknown mean UTF-8. GBK and GB2312 (EUC-CN) locales are
/// GBK: such a terminal cannot show GB18030's four-byte characters.
pub fn charset_of(setting: &str, locale: Option<&str>) -> Charset {
    let named = |cs: &str| match cs {
        "gb18030" => Some(Charset::Gb18030),
        "gbk" | "gb2312" | "euccn" | "euc-cn" | "cp936" => Some(Charset::Gbk),
        "utf-8" | "utf8" => Some(Charset::Utf8),
        _ => None,
    };
    if let Some(c) = named(setting.to_ascii_lowercase().as_str()) {
        return c;
    }
    let l = locale.unwrap_or("").to_ascii_lowercase();
    let cs = l.split('.').nth(1).unwrap_or("").split('@').next().unwrap_or("");
    named(cs).unwrap_or(Charset::Utf8)
}

/// Colours a terminal announces.
pub fn colors_of(term: Option<&str>, colorterm: Option<&str>) -> ColorDepth {
    let t = term.unwrap_or("").to_ascii_lowercase();
    if t.is_empty() || t == "dumb" || t.starts_with("vt1") || t.starts_with("vt2") {
        return ColorDepth::None;
    }
    if colorterm.is_some() || t.contains("256color") || t.contains("truecolor") || t.contains("direct") {
        ColorDepth::Full
    } else {
        ColorDepth::Ansi16
    }
}

const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";

/// Collects a frame and writes it in one go on `flush`.
pub struct FrameWriter {
    buf: Vec<u8>,
    env: TermEnv,
    sink: Box<dyn Write + Send>,
}

impl FrameWriter {
    /// Writing to standard output.
    pub fn stdout(env: TermEnv) -> FrameWriter {
        FrameWriter::new(env, Box::new(RawStdout))
    }

    pub fn new(env: TermEnv, sink: Box<dyn Write + Send>) -> FrameWriter {
        FrameWriter {
            buf: Vec::with_capacity(64 * 1024),
            env,
            sink,
        }
    }

    /// The bytes a frame becomes on this terminal.
    pub fn encode(&self, frame: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(frame.len() + BEGIN_SYNC.len() + END_SYNC.len());
        out.extend_from_slice(BEGIN_SYNC);
        out.extend_from_slice(frame);
        out.extend_from_slice(END_SYNC);
        if self.env.colors == ColorDepth::Ansi16 {
            out = to_16_colors(&out);
        }
        match self.env.charset {
            Charset::Gb18030 => out = to_gb18030(&out),
            Charset::Gbk => out = to_gbk(&out),
            Charset::Utf8 => {}
        }
        out
    }
}

impl Write for FrameWriter {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buf);
        let out = self.encode(&frame);
        self.buf = frame;
        self.buf.clear();
        self.sink.write_all(&out)?;
        self.sink.flush()
    }
}

/// The console's ratatui backend: crossterm's, except that a frame is one
/// write (only [`Backend::flush`] sends, cursor moves are queued with the
/// frame) and a double-width character does not cost a cursor move after
/// it. ratatui hands the cell after a wide character's trailing half as the
/// next to draw; the terminal's cursor is already there.
pub struct FrameBackend {
    w: FrameWriter,
    /// Whether the terminal shows the cursor, once known; ratatui asks to
    /// hide or show it with every frame, and a frame where nothing changed
    /// must write nothing at all.
    cursor_shown: Option<bool>,
    /// Where the cursor was put last, while nothing printed has moved it.
    cursor_at: Option<(u16, u16)>,
}

impl FrameBackend {
    pub fn new(w: FrameWriter) -> FrameBackend {
        FrameBackend {
            w,
            cursor_shown: None,
            cursor_at: None,
        }
    }
}

impl Write for FrameBackend {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.w.write(b)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

impl ratatui::backend::Backend for FrameBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        use crossterm::cursor::MoveTo;
        use crossterm::queue;
        use crossterm::style::{
            Color as CColor, Colors, Print, SetAttribute, SetBackgroundColor, SetColors, SetForegroundColor,
        };
        use ratatui::backend::IntoCrossterm;
        use ratatui::style::{Color, Modifier};

        let mut fg = Color::Reset;
        let mut bg = Color::Reset;
        let mut modifier = Modifier::empty();
        // Where the terminal's cursor stands after the last print.
        let mut cursor: Option<(u16, u16)> = None;
        let mut printed = false;
        for (x, y, cell) in content {
            let symbol = cell.symbol();
            if symbol.is_empty() {
                // The second half of a wide character: nothing to print.
                continue;
            }
            printed = true;
            if cursor != Some((x, y)) {
                queue!(self.w, MoveTo(x, y))?;
            }
            if cell.modifier != modifier {
                queue_modifier_diff(&mut self.w, modifier, cell.modifier)?;
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                queue!(
                    self.w,
                    SetColors(Colors::new(cell.fg.into_crossterm(), cell.bg.into_crossterm()))
                )?;
                fg = cell.fg;
                bg = cell.bg;
            }
            queue!(self.w, Print(symbol))?;
            // A cell that says how wide it is (OSC 66 text) is that wide.
            let width = match cell.diff_option {
                ratatui::buffer::CellDiffOption::ForcedWidth(w) => w.get(),
                _ => crate::text::width(symbol).max(1) as u16,
            };
            cursor = Some((x.saturating_add(width), y));
        }
        if !printed {
            return Ok(());
        }
        self.cursor_at = None;
        queue!(
            self.w,
            SetForegroundColor(CColor::Reset),
            SetBackgroundColor(CColor::Reset),
            SetAttribute(crossterm::style::Attribute::Reset),
        )
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown == Some(false) {
            return Ok(());
        }
        self.cursor_shown = Some(false);
        crossterm::queue!(self.w, crossterm::cursor::Hide)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown == Some(true) {
            return Ok(());
        }
        self.cursor_shown = Some(true);
        crossterm::queue!(self.w, crossterm::cursor::Show)
    }

    fn get_cursor_position(&mut self) -> io::Result<ratatui::layout::Position> {
        // Never asked: the console does not use inline viewports, and a
        // query here would steal keys from the event loop.
        Ok(ratatui::layout::Position { x: 0, y: 0 })
    }

    fn set_cursor_position<P: Into<ratatui::layout::Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        if self.cursor_at == Some((p.x, p.y)) {
            return Ok(());
        }
        self.cursor_at = Some((p.x, p.y));
        crossterm::queue!(self.w, crossterm::cursor::MoveTo(p.x, p.y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ratatui::backend::ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> io::Result<()> {
        use crossterm::terminal::ClearType as C;
        use ratatui::backend::ClearType;
        let t = match clear_type {
            ClearType::All => C::All,
            ClearType::AfterCursor => C::FromCursorDown,
            ClearType::BeforeCursor => C::FromCursorUp,
            ClearType::CurrentLine => C::CurrentLine,
            ClearType::UntilNewLine => C::UntilNewLine,
        };
        self.cursor_at = None;
        crossterm::queue!(self.w, crossterm::terminal::Clear(t))
    }

    fn size(&self) -> io::Result<ratatui::layout::Size> {
        let (width, height) = crossterm::terminal::size()?;
        Ok(ratatui::layout::Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<ratatui::backend::WindowSize> {
        let s = crossterm::terminal::window_size()?;
        Ok(ratatui::backend::WindowSize {
            columns_rows: ratatui::layout::Size {
                width: s.columns,
                height: s.rows,
            },
            pixels: ratatui::layout::Size {
                width: s.width,
                height: s.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// The SGR changes from one set of modifiers to another (as crossterm's
/// backend writes them: bold and dim share one reset).
fn queue_modifier_diff(
    w: &mut impl Write,
    from: ratatui::style::Modifier,
    to: ratatui::style::Modifier,
) -> io::Result<()> {
    use crossterm::queue;
    use crossterm::style::{Attribute as A, SetAttribute};
    use ratatui::style::Modifier as M;
    let removed = from - to;
    if removed.contains(M::REVERSED) {
        queue!(w, SetAttribute(A::NoReverse))?;
    }
    let reset_intensity = removed.contains(M::BOLD) || removed.contains(M::DIM);
    if reset_intensity {
        queue!(w, SetAttribute(A::NormalIntensity))?;
        if to.contains(M::DIM) {
            queue!(w, SetAttribute(A::Dim))?;
        }
        if to.contains(M::BOLD) {
            queue!(w, SetAttribute(A::Bold))?;
        }
    }
    for (m, a) in [
        (M::ITALIC, A::NoItalic),
        (M::UNDERLINED, A::NoUnderline),
        (M::CROSSED_OUT, A::NotCrossedOut),
        (M::HIDDEN, A::NoHidden),
    ] {
        if removed.contains(m) {
            queue!(w, SetAttribute(a))?;
        }
    }
    if removed.intersects(M::SLOW_BLINK | M::RAPID_BLINK) {
        queue!(w, SetAttribute(A::NoBlink))?;
    }
    let added = to - from;
    for (m, a) in [
        (M::REVERSED, A::Reverse),
        (M::BOLD, A::Bold),
        (M::ITALIC, A::Italic),
        (M::UNDERLINED, A::Underlined),
        (M::DIM, A::Dim),
        (M::CROSSED_OUT, A::CrossedOut),
        (M::HIDDEN, A::Hidden),
        (M::SLOW_BLINK, A::SlowBlink),
        (M::RAPID_BLINK, A::RapidBlink),
    ] {
        if added.contains(m) && !(reset_intensity && (m == M::BOLD || m == M::DIM)) {
            queue!(w, SetAttribute(a))?;
        }
    }
    Ok(())
}

/// Standard output without Rust's line buffering: a frame is one `write`
/// (more only if the kernel takes part of it).
struct RawStdout;

impl Write for RawStdout {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        // SAFETY: writing from a live slice to file descriptor 1.
        let n = unsafe { libc::write(libc::STDOUT_FILENO, b.as_ptr().cast(), b.len()) };
        if n < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(n as usize)
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The stream with 256-colour SGR parameters of the 16 basic colours
/// (`38;5;N`, `48;5;N`, N < 16) written as 30–37/90–97 and 40–47/100–107.
pub fn to_16_colors(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0x1b && b.get(i + 1) == Some(&b'[') {
            // A CSI sequence: parameters up to the final byte.
            let start = i + 2;
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b';') {
                j += 1;
            }
            if j < b.len() && b[j] == b'm' {
                let params: Vec<&[u8]> = b[start..j].split(|c| *c == b';').collect();
                let mut new: Vec<String> = Vec::new();
                let mut k = 0;
                while k < params.len() {
                    let p = std::str::from_utf8(params[k]).unwrap_or("");
                    let n: Option<u32> = params
                        .get(k + 2)
                        .and_then(|x| std::str::from_utf8(x).ok()?.parse().ok());
                    let five = params.get(k + 1).is_some_and(|x| *x == b"5");
                    match (p, five, n) {
                        ("38", true, Some(n)) if n < 16 => {
                            new.push(if n < 8 {
                                (30 + n).to_string()
                            } else {
                                (90 + n - 8).to_string()
                            });
                            k += 3;
                        }
                        ("48", true, Some(n)) if n < 16 => {
                            new.push(if n < 8 {
                                (40 + n).to_string()
                            } else {
                                (100 + n - 8).to_string()
                            });
                            k += 3;
                        }
                        _ => {
                            new.push(p.to_string());
                            k += 1;
                        }
                    }
                }
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(new.join(";").as_bytes());
                out.push(b'm');
                i = j + 1;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The UTF-8 stream as GB18030 (every character has a GB18030 form).
pub fn to_gb18030(b: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(b);
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    bytes.into_owned()
}

/// The UTF-8 stream as GBK: one or two bytes a character, nothing else. A
/// character GBK lacks (frames never hold one; this is the last guard) is
/// sent as its stand-in, as wide as the character was measured.
pub fn to_gbk(b: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(b);
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut enc = encoding_rs::GBK.new_encoder();
    let mut rest: &str = &text;
    let mut chunk = vec![0u8; text.len() * 2 + 16];
    loop {
        let (res, read, written) = enc.encode_from_utf8_without_replacement(rest, &mut chunk, true);
        out.extend_from_slice(&chunk[..written]);
        rest = &rest[read..];
        match res {
            encoding_rs::EncoderResult::InputEmpty => return out,
            encoding_rs::EncoderResult::OutputFull => {}
            encoding_rs::EncoderResult::Unmappable(c) => {
                let stand_in = crate::text::gbk_stand_in(c);
                let mut tmp = [0u8; 4];
                let (bytes, _, _) = encoding_rs::GBK.encode(stand_in.encode_utf8(&mut tmp));
                out.extend_from_slice(&bytes);
            }
        }
    }
}

/// Typed bytes from a GB18030 or GBK terminal as UTF-8, across reads (a character
/// may arrive split).
pub struct InputDecoder {
    dec: encoding_rs::Decoder,
}

impl Default for InputDecoder {
    fn default() -> Self {
        InputDecoder {
            dec: encoding_rs::GB18030.new_decoder_without_bom_handling(),
        }
    }
}

impl InputDecoder {
    pub fn decode(&mut self, b: &[u8]) -> Vec<u8> {
        let room = self.dec.max_utf8_buffer_length(b.len()).unwrap_or(b.len() * 4 + 8);
        let mut s = String::with_capacity(room);
        let _ = self.dec.decode_to_string(b, &mut s, false);
        s.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_from_the_locale_or_the_setting() {
        assert_eq!(charset_of("", Some("zh_CN.GB18030")), Charset::Gb18030);
        assert_eq!(charset_of("", Some("zh_CN.GBK")), Charset::Gbk);
        assert_eq!(charset_of("", Some("zh_CN.gb2312")), Charset::Gbk);
        assert_eq!(charset_of("", Some("zh_CN.eucCN")), Charset::Gbk);
        assert_eq!(charset_of("gbk", Some("C.UTF-8")), Charset::Gbk);
        assert_eq!(charset_of("", Some("zh_CN.UTF-8")), Charset::Utf8);
        assert_eq!(charset_of("", Some("C")), Charset::Utf8);
        assert_eq!(charset_of("", Some("POSIX")), Charset::Utf8);
        assert_eq!(charset_of("", None), Charset::Utf8);
        assert_eq!(charset_of("gb18030", Some("C.UTF-8")), Charset::Gb18030);
        assert_eq!(charset_of("utf-8", Some("zh_CN.GBK")), Charset::Utf8);
    }

    #[test]
    fn colours_from_term() {
        assert_eq!(colors_of(Some("xterm-256color"), None), ColorDepth::Full);
        assert_eq!(colors_of(Some("xterm"), Some("truecolor")), ColorDepth::Full);
        assert_eq!(colors_of(Some("xterm"), None), ColorDepth::Ansi16);
        assert_eq!(colors_of(Some("linux"), None), ColorDepth::Ansi16);
        assert_eq!(colors_of(Some("dumb"), None), ColorDepth::None);
        assert_eq!(colors_of(Some("vt100"), None), ColorDepth::None);
        assert_eq!(colors_of(None, None), ColorDepth::None);
    }

    #[test]
    fn sixteen_colours() {
        assert_eq!(to_16_colors(b"\x1b[38;5;8m"), b"\x1b[90m");
        assert_eq!(to_16_colors(b"\x1b[1;38;5;1;48;5;11mx"), b"\x1b[1;31;103mx");
        assert_eq!(to_16_colors(b"\x1b[38;5;200m"), b"\x1b[38;5;200m");
        assert_eq!(to_16_colors(b"\x1b[0m\x1b[2J"), b"\x1b[0m\x1b[2J");
        assert_eq!(to_16_colors("月报\x1b[48;5;0m".as_bytes()), "月报\x1b[40m".as_bytes());
    }

    /// Counts the writes the sink gets.
    struct Counting(std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>);
    impl Write for Counting {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().push(b.to_vec());
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_frame_is_one_write_in_synchronized_output_transcoded() {
        let writes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let env = TermEnv {
            charset: Charset::Gb18030,
            colors: ColorDepth::Ansi16,
            linux_console: false,
        };
        let mut w = FrameWriter::new(env, Box::new(Counting(writes.clone())));
        for _ in 0..100 {
            w.write_all("\x1b[38;5;9m月报收件箱 ".as_bytes()).unwrap();
        }
        assert!(writes.lock().unwrap().is_empty(), "nothing before the flush");
        w.flush().unwrap();
        w.flush().unwrap();
        let got = writes.lock().unwrap().clone();
        assert_eq!(got.len(), 1, "one write per frame");
        let f = &got[0];
        assert!(f.starts_with(BEGIN_SYNC) && f.ends_with(END_SYNC));
        let (gb, _, _) = encoding_rs::GB18030.encode("\x1b[91m月报收件箱 ");
        assert!(f.windows(gb.len()).any(|x| x == &gb[..]), "GB18030 and 16 colours");
        let mut dec = InputDecoder::default();
        let (typed, _, _) = encoding_rs::GB18030.encode("科技厅");
        let mut back = dec.decode(&typed[..3]);
        back.extend(dec.decode(&typed[3..]));
        assert_eq!(String::from_utf8(back).unwrap(), "科技厅");
    }

    #[test]
    fn a_frame_where_nothing_changed_writes_nothing() {
        let writes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let env = TermEnv {
            charset: Charset::Utf8,
            colors: ColorDepth::Full,
            linux_console: false,
        };
        let b = FrameBackend::new(FrameWriter::new(env, Box::new(Counting(writes.clone()))));
        let area = ratatui::layout::Rect::new(0, 0, 20, 3);
        let mut t = ratatui::Terminal::with_options(
            b,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(area),
            },
        )
        .unwrap();
        let draw = |t: &mut ratatui::Terminal<FrameBackend>, text: &str, cursor: Option<(u16, u16)>| {
            t.draw(|f| {
                f.render_widget(ratatui::widgets::Paragraph::new(text.to_string()), f.area());
                if let Some(c) = cursor {
                    f.set_cursor_position(c);
                }
            })
            .unwrap();
        };
        draw(&mut t, "月报收件箱", None);
        let n = writes.lock().unwrap().len();
        assert!(n >= 1, "the first frame is written");
        draw(&mut t, "月报收件箱", None);
        draw(&mut t, "月报收件箱", None);
        assert_eq!(writes.lock().unwrap().len(), n, "an unchanged frame writes nothing");
        draw(&mut t, "月报收件箱", Some((2, 1)));
        assert_eq!(writes.lock().unwrap().len(), n + 1, "showing the cursor is written");
        draw(&mut t, "月报收件箱", Some((2, 1)));
        assert_eq!(writes.lock().unwrap().len(), n + 1, "the cursor where it was: nothing");
        draw(&mut t, "已阅", Some((2, 1)));
        let got = writes.lock().unwrap().clone();
        assert_eq!(got.len(), n + 2);
        let last = String::from_utf8_lossy(&got[n + 1]).into_owned();
        assert!(
            last.contains("已阅") && last.ends_with("\x1b[2;3H\x1b[?2026l"),
            "{last:?}"
        );
    }

    #[test]
    fn wide_characters_cost_no_cursor_moves_and_the_frame_is_one_write() {
        use ratatui::backend::Backend;
        let writes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let env = TermEnv {
            charset: Charset::Utf8,
            colors: ColorDepth::Full,
            linux_console: false,
        };
        let mut b = FrameBackend::new(FrameWriter::new(env, Box::new(Counting(writes.clone()))));
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 20, 2));
        buf.set_string(0, 0, "月报ok", ratatui::style::Style::default());
        buf.set_string(3, 1, "科技厅", ratatui::style::Style::default());
        let empty = ratatui::buffer::Buffer::empty(buf.area);
        b.draw(empty.diff(&buf).into_iter()).unwrap();
        b.hide_cursor().unwrap();
        b.set_cursor_position((1, 1)).unwrap();
        assert!(writes.lock().unwrap().is_empty(), "cursor moves wait for the frame");
        Backend::flush(&mut b).unwrap();
        let got = writes.lock().unwrap().clone();
        assert_eq!(got.len(), 1);
        let s = String::from_utf8(got[0].clone()).unwrap();
        assert!(s.contains("月报ok"), "{s:?}");
        assert!(s.contains("科技厅"), "{s:?}");
        // One move per row that changed, and the final cursor position.
        assert_eq!(s.matches('H').count(), 3, "{s:?}");
    }
}
