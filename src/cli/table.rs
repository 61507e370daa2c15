//! Plain-text tables whose columns line up with Chinese text, and CSV output.

use std::io::Write;

/// Columns a text takes in a terminal.
fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Columns a character takes in a terminal: two for the wide East Asian scripts.
fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 => 2,
        _ => 1,
    }
}

/// The widest a table is printed: a terminal of 100 columns, or a page.
pub const MAX_WIDTH: usize = 100;

/// The narrowest a column is squeezed to when even its longest words do not fit.
const HARD_MIN: usize = 4;

/// Prints a header and rows as aligned columns separated by two spaces, at most
/// [`MAX_WIDTH`] columns wide: the widest columns are narrowed and their cells wrapped.
pub fn print_table(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let all = || std::iter::once(header).chain(rows.iter().map(Vec::as_slice));
    let (widths, gap) = layout(header.len(), all());
    for cells in all() {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, w)| wrap(cell, *w))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut text = String::new();
            for (i, lines) in wrapped.iter().enumerate() {
                let piece = lines.get(k).map_or("", String::as_str);
                text.push_str(piece);
                if i + 1 < wrapped.len() {
                    let pad = widths[i].saturating_sub(width(piece)) + gap;
                    text.extend(std::iter::repeat_n(' ', pad));
                }
            }
            writeln!(out, "{}", text.trim_end())?;
        }
    }
    Ok(())
}

/// The width of each column and the gap between columns, so that a table fits in
/// [`MAX_WIDTH`]: long headers over short values wrap first (one line more, not one per row),
/// then long cells between their words, keeping names whole; only if that is not enough is
/// the gap narrowed to one space, and only then are words and names broken.
fn layout<'a>(columns: usize, lines: impl Iterator<Item = &'a [String]>) -> (Vec<usize>, usize) {
    let (mut natural, mut headers, mut whole) =
        (vec![0; columns], vec![0; columns], vec![0; columns]);
    let mut letter_run = vec![0; columns];
    for (k, cells) in lines.enumerate() {
        for (i, cell) in cells.iter().enumerate().take(columns) {
            natural[i] = natural[i].max(width(cell));
            let run = words(cell).map(|w| w.width).max().unwrap_or(0);
            letter_run[i] = letter_run[i].max(run);
            // Chinese breaks anywhere, but a name (up to eight characters) had better not.
            let token = cell.split(' ').map(width).max().unwrap_or(0);
            let unbroken = |cap: usize| run.max(token.min(cap));
            whole[i] = whole[i].max(unbroken(16));
            headers[i] = headers[i].max(if k == 0 { unbroken(8) } else { width(cell) });
        }
    }
    let soft: [&[usize]; 2] = [&headers, &whole];
    for gap in [2, 1] {
        let widths = fit(&natural, &soft, gap, MAX_WIDTH);
        if total(&widths, gap) <= MAX_WIDTH {
            return (widths, gap);
        }
    }
    let hard = vec![HARD_MIN; columns];
    let floors: [&[usize]; 4] = [&headers, &whole, &letter_run, &hard];
    (fit(&natural, &floors, 2, MAX_WIDTH), 2)
}

fn total(widths: &[usize], gap: usize) -> usize {
    widths.iter().sum::<usize>() + gap * widths.len().saturating_sub(1)
}

/// Column widths within `max`: the widest column loses a column at a time down to the first
/// of `floors`, then down to the next, never below [`HARD_MIN`]. Columns that cannot get
/// within `max` so are printed wider, not dropped.
fn fit(natural: &[usize], floors: &[&[usize]], gap: usize, max: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    for floor in floors {
        while total(&widths, gap) > max {
            let widest = (0..widths.len())
                .filter(|&i| widths[i] > floor[i].max(HARD_MIN))
                .max_by_key(|&i| widths[i]);
            let Some(i) = widest else { break };
            widths[i] -= 1;
        }
    }
    widths
}

/// A piece of text that is not broken inside: a run of narrow letters, or one wide character
/// with the closing punctuation after it; `spaced` when a space came before it.
struct Word<'a> {
    text: &'a str,
    width: usize,
    spaced: bool,
}

/// The words of a text, in order.
fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let trimmed = rest.trim_start_matches(' ');
        let spaced = trimmed.len() < rest.len();
        rest = trimmed;
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let end = if char_width(first) == 2 {
            // Chinese breaks between any two characters, but not before a closing mark.
            rest.char_indices()
                .skip(1)
                .find(|(_, c)| !is_closing(*c))
                .map_or(rest.len(), |(i, _)| i)
        } else {
            rest.char_indices()
                .find(|(_, c)| *c == ' ' || (char_width(*c) == 2 && !is_closing(*c)))
                .map_or(rest.len(), |(i, _)| i)
        };
        let (word, after) = rest.split_at(end);
        rest = after;
        Some(Word {
            text: word,
            width: width(word),
            spaced,
        })
    })
}

/// Punctuation that may not begin a line of Chinese.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '：' | '；' | '！' | '？' | '）' | '》' | '」' | '』' | '”' | '’'
    )
}

/// A cell as lines of at most `limit` columns (a text that fits is one line).
fn wrap(text: &str, limit: usize) -> Vec<String> {
    if width(text) <= limit {
        return vec![text.to_string()];
    }
    let mut lines = vec![String::new()];
    for word in words(text) {
        let line = lines.last_mut().expect("never empty");
        let gap = usize::from(word.spaced && !line.is_empty());
        if width(line) + gap + word.width <= limit {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word.text);
            continue;
        }
        if !line.is_empty() {
            lines.push(String::new());
        }
        // A word wider than the column is cut where it reaches the edge.
        for c in word.text.chars() {
            let line = lines.last_mut().expect("never empty");
            if !line.is_empty() && width(line) + char_width(c) > limit {
                lines.push(String::new());
            }
            lines.last_mut().expect("never empty").push(c);
        }
    }
    lines
}

/// Prints a line of text indented by `indent` and wrapped within [`MAX_WIDTH`], its
/// continuation lines indented two columns more.
pub fn print_wrapped(out: &mut dyn Write, indent: usize, text: &str) -> std::io::Result<()> {
    let hanging = indent + 2;
    let limit = MAX_WIDTH.saturating_sub(hanging).max(HARD_MIN);
    for (k, line) in wrap(text, limit).iter().enumerate() {
        let pad = if k == 0 { indent } else { hanging };
        writeln!(out, "{:pad$}{line}", "")?;
    }
    Ok(())
}

/// Prints a header and rows as CSV for Excel: a UTF-8 BOM first, so that Excel reads the
/// Chinese as UTF-8 and not in the system's code page, and every cell made safe to open.
pub fn print_csv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(header)?;
    for row in rows {
        let cells: Vec<_> = row.iter().map(|cell| neutralised(cell)).collect();
        writer.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
    }
    writer.flush()?;
    Ok(())
}

/// A cell Excel would read as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a CR)
/// with a `'` before it, OWASP's rule against CSV injection: a name such as
/// `=HYPERLINK(…)` then shows as text. A plain number such as `-1.5` (points after a veto)
/// is left as it is: Excel reads it as the number, which runs nothing. The importers take the
/// quote off again.
fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// An optional sign, digits, and at most one decimal point among them.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty() && all_digits(whole) && all_digits(fraction) && !digits.ends_with('.')
}

/// Prints a value as pretty JSON followed by a newline.
pub fn print_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_columns_line_up_with_latin_ones() {
        let mut out = Vec::new();
        let header = vec!["名称".to_string(), "x".to_string()];
        let rows = vec![vec!["ab".to_string(), "1".to_string()]];
        print_table(&mut out, &header, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines, vec!["名称  x", "ab    1"]);
    }

    fn table(header: &[&str], rows: &[&[&str]]) -> Vec<String> {
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let mut out = Vec::new();
        print_table(&mut out, &header, &rows).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_table_wider_than_the_limit_wraps_its_widest_column_between_words() {
        let long = "not eligible: 1 items adopted by the municipal committee, the provincial \
                    federation or higher, 2 needed; a veto stands this year";
        let lines = table(&["Rank", "Unit", "Eligibility"], &[&["1", "zs", long]]);
        assert!(lines.len() > 2, "{lines:#?}");
        for line in &lines {
            assert!(width(line) <= MAX_WIDTH, "{line}");
        }
        let joined: Vec<&str> = lines[1..]
            .iter()
            .map(|l| l.get(12..).unwrap_or("").trim())
            .collect();
        assert_eq!(joined.join(" "), long);
        assert!(lines[2].starts_with("          "), "{lines:#?}");
    }

    #[test]
    fn chinese_cells_wrap_within_the_limit_and_no_line_begins_with_a_comma() {
        let long =
            "不符合评选条件：被市委、省总或以上采用 1 条，不足 2 条；当年有否决事项".repeat(3);
        let lines = table(
            &["名次", "单位", "评选资格"],
            &[&["1", "中山区总工会", &long]],
        );
        for line in &lines {
            assert!(width(line) <= MAX_WIDTH, "{line}");
            assert!(!line.trim_start().starts_with('，'), "{line}");
        }
        let text: String = lines[1..]
            .iter()
            .map(|l| {
                l.split("  ")
                    .filter(|p| !p.is_empty())
                    .last()
                    .unwrap()
                    .trim()
            })
            .collect::<Vec<_>>()
            .join("");
        assert_eq!(text.replace(' ', ""), long.replace(' ', ""));
    }

    #[test]
    fn a_word_wider_than_its_column_is_cut_at_the_edge() {
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("中山区总工会", 5), vec!["中山", "区总", "工会"]);
    }

    fn csv(rows: &[&[&str]]) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let mut out = Vec::new();
        print_csv(&mut out, &["a", "b"], &rows).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_begins_with_a_utf8_bom() {
        assert_eq!(csv(&[&["名称", "1"]]), "\u{feff}a,b\n名称,1\n");
    }

    #[test]
    fn a_cell_excel_would_run_as_a_formula_gets_a_quote_before_it() {
        let text = csv(&[
            &["=HYPERLINK(\"http://x\")", "+1+1"],
            &["@SUM(A1)", "-2+3"],
            &["\tx", "\rx"],
            &["a=b", "-"],
        ]);
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+1");
        assert_eq!(lines[2], "'@SUM(A1),'-2+3");
        assert_eq!(lines[3], "'\tx,\"'\rx\"");
        assert_eq!(lines[4], "a=b,'-");
    }

    #[test]
    fn a_plain_number_keeps_its_sign_in_csv() {
        assert_eq!(csv(&[&["-1.5", "+2"]]), "\u{feff}a,b\n-1.5,+2\n");
        for text in ["-1.", "-.5", "-1e3", "-inf", "-1.2.3"] {
            assert!(!is_plain_number(text), "{text}");
        }
    }
}
