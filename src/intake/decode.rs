//! The bytes of a report file as text: a BOM is stripped, then strict UTF-8
//! is tried, then strict GB18030 (which covers GBK and GB2312, common in
//! Chinese offices). Nothing is ever decoded lossily. Office files sent by
//! mistake (Word, Excel, PDF, images) are named as what they are.

use super::{Reason, Refusal};

/// How a file's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn code(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// What a binary file looks like, from its first bytes.
fn binary_kind(b: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "zip"),
        (b"%PDF", "pdf"),
        (b"\xD0\xCF\x11\xE0", "ole"),
        (b"\x89PNG", "image"),
        (b"\xFF\xD8\xFF", "image"),
        (b"GIF8", "image"),
        (b"\x1F\x8B", "gzip"),
        (b"Rar!", "archive"),
        (b"7z\xBC\xAF", "archive"),
        (b"{\\rtf", "rtf"),
    ];
    MAGIC.iter().find(|(m, _)| b.starts_with(m)).map(|(_, k)| *k)
}

/// Decodes `bytes`, or refuses them with the position of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), Refusal> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(Refusal::new(Reason::NotText { kind: kind.into() }));
    }
    let (body, bom) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (rest, Some(Encoding::Utf8Bom)),
        [0xFF, 0xFE, rest @ ..] => (rest, Some(Encoding::Utf16Le)),
        [0xFE, 0xFF, rest @ ..] => (rest, Some(Encoding::Utf16Be)),
        _ => (bytes, None),
    };
    let text = match bom {
        Some(enc @ (Encoding::Utf16Le | Encoding::Utf16Be)) => {
            let codec = if enc == Encoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            match codec.decode_without_bom_handling_and_without_replacement(body) {
                Some(t) => return finish(t.into_owned(), enc),
                None => return Err(Refusal::new(Reason::BadEncoding)),
            }
        }
        _ => body,
    };
    if text.contains(&0) {
        return Err(Refusal::new(Reason::NotText { kind: "binary".into() }));
    }
    match std::str::from_utf8(text) {
        Ok(t) => finish(t.to_string(), bom.unwrap_or(Encoding::Utf8)),
        Err(utf8) if bom.is_none() => {
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(text) {
                Some(t) => finish(t.into_owned(), Encoding::Gb18030),
                None => Err(bad_byte(text, utf8.valid_up_to())),
            }
        }
        // A UTF-8 BOM promises UTF-8: a bad byte after it is an error.
        Err(utf8) => Err(bad_byte(text, utf8.valid_up_to())),
    }
}

fn finish(text: String, enc: Encoding) -> Result<(String, Encoding), Refusal> {
    if text.trim().is_empty() {
        return Err(Refusal::new(Reason::Empty));
    }
    Ok((text, enc))
}

/// The refusal for an invalid byte at `offset`, placed after the valid text before it.
fn bad_byte(bytes: &[u8], offset: usize) -> Refusal {
    let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
    let (line, col) = super::line_col(valid, valid.len());
    Refusal {
        reason: Reason::BadEncoding,
        line: Some(line),
        col: Some(col),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_gb18030() {
        assert_eq!(decode("单位".as_bytes()).unwrap(), ("单位".into(), Encoding::Utf8));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("单位".as_bytes());
        assert_eq!(decode(&bom).unwrap(), ("单位".into(), Encoding::Utf8Bom));
        let (gb, _, _) = encoding_rs::GB18030.encode("单位 = \"科技厅\"");
        assert_eq!(decode(&gb).unwrap(), ("单位 = \"科技厅\"".into(), Encoding::Gb18030));
        let mut le = vec![0xFF, 0xFE];
        for u in "单位".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap(), ("单位".into(), Encoding::Utf16Le));
    }

    #[test]
    fn invalid_bytes_name_their_place() {
        // 0xFF is neither UTF-8 nor GB18030.
        let r = decode(b"unit = 1\nmonth = \xFF\xFF\n").unwrap_err();
        assert_eq!(r.reason, Reason::BadEncoding);
        assert_eq!((r.line, r.col), (Some(2), Some(9)));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(b"a\xC4\xE3");
        assert_eq!(decode(&bom).unwrap_err().reason, Reason::BadEncoding);
    }

    #[test]
    fn office_files_and_empty_files_are_named() {
        assert!(matches!(
            decode(b"PK\x03\x04rest").unwrap_err().reason,
            Reason::NotText { ref kind } if kind == "zip"
        ));
        assert!(matches!(decode(b"a\0b").unwrap_err().reason, Reason::NotText { .. }));
        assert_eq!(decode(b"").unwrap_err().reason, Reason::Empty);
        assert_eq!(decode(b" \n\t").unwrap_err().reason, Reason::Empty);
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF]).unwrap_err().reason, Reason::Empty);
    }
}
