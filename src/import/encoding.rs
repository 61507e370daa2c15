//! The bytes of an imported file as text: UTF-8, UTF-16 with a BOM, or GB18030, detected.
//!
//! Excel on Chinese Windows saves "CSV" as GB18030 (GBK) and "Unicode text" as UTF-16 with a
//! BOM; "CSV UTF-8" is UTF-8 with a BOM. The encoding is detected, never guessed: UTF-16 only
//! by its BOM; otherwise bytes that are valid UTF-8 are UTF-8; otherwise the bytes must be
//! valid GB18030 throughout, decoded without replacement characters. Bytes that fit none are
//! refused with where the first bad byte is, so the office can look at it.

use encoding_rs::{DecoderResult, Encoding as Codec, GB18030, UTF_16BE, UTF_16LE};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    /// The name an office sees in Excel's or an editor's list of encodings.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// A file's text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// Why a file's bytes are not text we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecodable {
    /// An Excel workbook (`.xlsx` or `.xls`), not a CSV file.
    Workbook,
    /// The first byte that fits no encoding: its offset from the file's start (0 is the first
    /// byte) and the line it is on (1 is the first).
    Bytes { offset: usize, line: usize },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";
/// A zip archive (`.xlsx`) and an OLE compound file (`.xls`) begin so.
const WORKBOOK_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];

/// Reads a file's bytes as text; a leading BOM is dropped.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Undecodable> {
    if WORKBOOK_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return Err(Undecodable::Workbook);
    }
    for (bom, codec, encoding) in [
        (UTF16LE_BOM, UTF_16LE, Encoding::Utf16Le),
        (UTF16BE_BOM, UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = strict(codec, rest).map_err(|(offset, before)| Undecodable::Bytes {
                offset: bom.len() + offset,
                line: 1 + line_breaks(before.as_bytes()),
            })?;
            return Ok(Decoded { text, encoding });
        }
    }
    let skip = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    // A NUL is never in a CSV file, but valid UTF-8: UTF-16 without a BOM, or a binary file.
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(bad_byte(&bytes, offset));
    }
    let utf8_error = match std::str::from_utf8(&bytes[skip..]) {
        Ok(_) => {
            let mut bytes = bytes;
            bytes.drain(..skip);
            let text = String::from_utf8(bytes).expect("checked just above");
            return Ok(Decoded {
                text,
                encoding: Encoding::Utf8,
            });
        }
        Err(e) => skip + e.valid_up_to(),
    };
    // With a UTF-8 BOM the file said what it is: a bad byte is a bad byte, not GB18030.
    if skip == 0 {
        if let Ok(text) = strict(GB18030, &bytes) {
            return Ok(Decoded {
                text,
                encoding: Encoding::Gb18030,
            });
        }
    }
    Err(bad_byte(&bytes, utf8_error))
}

fn bad_byte(bytes: &[u8], offset: usize) -> Undecodable {
    Undecodable::Bytes {
        offset,
        line: 1 + line_breaks(&bytes[..offset]),
    }
}

/// Decodes all of `bytes` or fails at the first malformed sequence: its offset in `bytes`, and
/// the text decoded before it.
fn strict(codec: &'static Codec, bytes: &[u8]) -> Result<String, (usize, String)> {
    let mut decoder = codec.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(usize::MAX / 2);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, after) => {
            let offset = read - usize::from(after) - usize::from(bad);
            Err((offset, text))
        }
        // The buffer was made as large as any output can be.
        DecoderResult::OutputFull => Err((read, text)),
    }
}

/// Line breaks in ASCII-compatible bytes: CRLF, LF or a lone CR each count one, as in a sheet.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "代码,名称,类别,上级单位\r\nzs,中山区总工会,区市县总工会,\r\n";

    fn encoded(codec: &'static Codec, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = codec.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            UTF16LE_BOM
        } else {
            UTF16BE_BOM
        }
        .to_vec();
        for unit in text.encode_utf16() {
            let pair = if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend(pair);
        }
        bytes
    }

    fn decoded(bytes: Vec<u8>) -> (String, Encoding) {
        let d = decode(bytes).unwrap();
        (d.text, d.encoding)
    }

    #[test]
    fn utf8_is_read_with_or_without_its_bom_and_the_bom_is_dropped() {
        let plain = SHEET.as_bytes().to_vec();
        assert_eq!(decoded(plain.clone()), (SHEET.to_string(), Encoding::Utf8));
        let with_bom = [UTF8_BOM, &plain].concat();
        assert_eq!(decoded(with_bom), (SHEET.to_string(), Encoding::Utf8));
    }

    #[test]
    fn utf16_is_read_in_either_byte_order_by_its_bom() {
        assert_eq!(
            decoded(utf16(SHEET, true)),
            (SHEET.to_string(), Encoding::Utf16Le)
        );
        assert_eq!(
            decoded(utf16(SHEET, false)),
            (SHEET.to_string(), Encoding::Utf16Be)
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_read_as_gb18030_when_they_all_fit_it() {
        let bytes = encoded(GB18030, SHEET);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decoded(bytes), (SHEET.to_string(), Encoding::Gb18030));
    }

    #[test]
    fn bytes_that_fit_no_encoding_are_refused_at_the_first_bad_byte_and_its_line() {
        // 0xFF is neither UTF-8 nor GB18030, after two lines of ASCII.
        let bytes = b"code,name\r\nzs,Z\r\nx,\xFFy\r\n".to_vec();
        assert_eq!(
            decode(bytes),
            Err(Undecodable::Bytes {
                offset: 19,
                line: 3
            })
        );
    }

    #[test]
    fn a_bad_byte_after_a_utf8_bom_is_refused_rather_than_read_as_gb18030() {
        let mut bytes = [UTF8_BOM, encoded(GB18030, "名称").as_slice()].concat();
        bytes.extend(b"\n");
        assert_eq!(
            decode(bytes),
            Err(Undecodable::Bytes { offset: 3, line: 1 })
        );
    }

    #[test]
    fn utf16_with_an_unpaired_surrogate_is_refused_at_its_offset() {
        let mut bytes = utf16("a\nb", true);
        bytes.extend([0x00, 0xD8, b'c', 0x00]);
        assert_eq!(
            decode(bytes),
            Err(Undecodable::Bytes { offset: 8, line: 2 })
        );
    }

    #[test]
    fn utf16_without_a_bom_is_refused_at_its_first_nul_byte() {
        let bytes: Vec<u8> = "code".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(
            decode(bytes),
            Err(Undecodable::Bytes { offset: 1, line: 1 })
        );
    }

    #[test]
    fn an_excel_workbook_is_refused_as_a_workbook() {
        assert_eq!(
            decode(b"PK\x03\x04\x14\x00rest".to_vec()),
            Err(Undecodable::Workbook)
        );
        let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00".to_vec();
        assert_eq!(decode(xls), Err(Undecodable::Workbook));
    }
}
