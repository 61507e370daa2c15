//! Reading CSV text into rows of named cells, with spreadsheet line numbers and header checks.

use std::collections::BTreeSet;

use crate::records::{Problem, RowProblem};

/// A column a kind of file accepts: its English name, which the program uses and exports
/// write, and the Chinese names an office's own sheets give it, the usual one first.
pub(super) struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

pub(super) const fn required(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column {
        name,
        aliases,
        required: true,
    }
}

pub(super) const fn optional(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column {
        name,
        aliases,
        required: false,
    }
}

impl Column {
    /// Whether a normalised header name is this column's.
    fn is_named(&self, name: &str) -> bool {
        self.name == name || self.aliases.iter().any(|a| normalize(a) == name)
    }

    /// The name in a list of accepted columns: `code/代码`.
    fn listed(&self) -> String {
        match self.aliases.first() {
            Some(alias) => format!("{}/{alias}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// A file read against its columns: the data rows, and the problems found so far.
pub(super) struct Sheet {
    columns: &'static [Column],
    /// Per accepted column, its name as the file's header writes it, for the problems.
    written: Vec<Option<String>>,
    rows: Vec<Row>,
    problems: Vec<RowProblem>,
}

/// One data row: its line and, per accepted column, the trimmed cell (absent column: none).
struct Row {
    line: usize,
    cells: Vec<Option<String>>,
}

impl Sheet {
    /// Reads `text`: a UTF-8 BOM, CRLF, spaces around cells and header names and the case of
    /// header names do not matter; fully blank lines are skipped.
    pub fn read(text: &str, columns: &'static [Column]) -> Sheet {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut sheet = Sheet {
            columns,
            written: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
        };
        // A spreadsheet numbers rows, not text lines: a cell holding line breaks is one row.
        // The reader's own line count is not used: it is off after CRLF and blank lines.
        let mut counter = LineCounter::default();
        let mut records = Vec::new();
        for result in reader.records() {
            // The text is a `&str` read from memory, so the reader's only failures, invalid
            // UTF-8 and I/O, cannot happen; stop rather than panic should one ever.
            let Ok(record) = result else { break };
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let line = counter.line_at(text, start);
            counter.in_cells += record.iter().map(line_breaks).sum::<usize>();
            let fields: Vec<String> = record.iter().map(cell).collect();
            if fields.iter().all(String::is_empty) {
                continue;
            }
            records.push((line, fields));
        }
        let mut records = records.into_iter();
        let (header_line, header) = records.next().unwrap_or((1, Vec::new()));
        let positions = sheet.read_header(header_line, &header);
        sheet.written = positions
            .iter()
            .map(|p| p.map(|i| header[i].clone()))
            .collect();
        let mut filled_unnamed = BTreeSet::new();
        let mut row_problems = Vec::new();
        for (line, fields) in records {
            if fields.len() != header.len() {
                row_problems.push(RowProblem {
                    line,
                    column: String::new(),
                    problem: Problem::WrongFieldCount {
                        found: fields.len(),
                        expected: header.len(),
                    },
                });
                continue;
            }
            for (i, name) in header.iter().enumerate() {
                if name.is_empty() && !fields[i].is_empty() {
                    filled_unnamed.insert(i);
                }
            }
            let cells = positions
                .iter()
                .map(|p| p.map(|i| fields[i].clone()))
                .collect();
            sheet.rows.push(Row { line, cells });
        }
        // A column without a name is tolerated (spreadsheets export trailing empty columns)
        // as long as it holds nothing.
        for i in filled_unnamed {
            sheet.problems.push(RowProblem {
                line: header_line,
                column: column_letters(i),
                problem: Problem::Empty,
            });
        }
        sheet.problems.append(&mut row_problems);
        sheet
    }

    /// Checks the header; returns, per accepted column, its position in a row.
    fn read_header(&mut self, line: usize, header: &[String]) -> Vec<Option<usize>> {
        let mut positions = vec![None; self.columns.len()];
        for (i, raw) in header.iter().enumerate() {
            let name = normalize(raw);
            if name.is_empty() {
                continue;
            }
            let problem = match self.columns.iter().position(|c| c.is_named(&name)) {
                Some(c) if positions[c].is_some() => Problem::DuplicateInFile,
                Some(c) => {
                    positions[c] = Some(i);
                    continue;
                }
                None => Problem::NotOneOf {
                    value: raw.clone(),
                    expected: self.expected(),
                },
            };
            self.problems.push(RowProblem {
                line,
                column: raw.clone(),
                problem,
            });
        }
        for (column, position) in self.columns.iter().zip(&positions) {
            if column.required && position.is_none() {
                self.problems.push(RowProblem {
                    line,
                    column: column.name.to_string(),
                    problem: Problem::MissingColumn,
                });
            }
        }
        positions
    }

    fn expected(&self) -> String {
        let names: Vec<String> = self.columns.iter().map(Column::listed).collect();
        names.join(", ")
    }

    /// Turns every row into a record with `parse`, which reports problems through the
    /// [`Cells`] it is given; any problem anywhere and the whole file is refused.
    pub fn parse<T>(
        mut self,
        mut parse: impl FnMut(&mut Cells<'_>) -> Option<T>,
    ) -> Result<Vec<(usize, T)>, Vec<RowProblem>> {
        let mut parsed = Vec::new();
        for row in &self.rows {
            let before = self.problems.len();
            let mut cells = Cells {
                columns: self.columns,
                written: &self.written,
                row,
                problems: &mut self.problems,
            };
            let value = parse(&mut cells);
            if let (Some(value), true) = (value, self.problems.len() == before) {
                parsed.push((row.line, value));
            }
        }
        if self.problems.is_empty() {
            Ok(parsed)
        } else {
            // Header first, then by line; a stable sort keeps a row's cells in column order.
            self.problems.sort_by_key(|p| p.line);
            Err(self.problems)
        }
    }
}

/// Counts line breaks up to each record's start, once over the whole text.
#[derive(Default)]
struct LineCounter {
    /// How far the text has been scanned, and the breaks found so far.
    scanned: usize,
    breaks: usize,
    /// Breaks inside the cells of the records read so far.
    in_cells: usize,
}

impl LineCounter {
    /// The spreadsheet row of the record whose reading began at byte `start`.
    fn line_at(&mut self, text: &str, start: usize) -> usize {
        // The reader may report a record from where the previous one's line end or blank
        // lines began; a record itself never starts with a line break.
        let rest = text.get(start..).unwrap_or("");
        let start = start + (rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        if let Some(piece) = text.get(self.scanned..start) {
            // A CRLF split across two scans would count twice; `start` is never between the
            // two, since a record cannot start with `\n`.
            self.breaks += line_breaks(piece);
            self.scanned = start;
        }
        1 + self.breaks - self.in_cells.min(self.breaks)
    }
}

/// Line breaks in a text: CRLF, LF or a lone CR each count one.
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// A cell's text, trimmed; the `'` that CSV exports put before a leading `=`, `+`, `-`, `@`,
/// tab or CR so that Excel does not run it as a formula is taken off again, so an export reads
/// back as it was. A sheet's own cell written so loses that quote, which no record needs.
fn cell(field: &str) -> String {
    let text = field.trim();
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.trim().to_string(),
        _ => text.to_string(),
    }
}

/// A header name as written, compared without case, surrounding space, or space and hyphen
/// for underscore (`Filed At`, `filed-at` and `filed_at` are one column).
fn normalize(name: &str) -> String {
    name.trim().to_lowercase().replace([' ', '-'], "_")
}

/// The letters a spreadsheet shows for the column at `index` (0 is `A`, 26 is `AA`).
fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The cells of one row, by column name, and where to report what is wrong with them.
pub(super) struct Cells<'a> {
    columns: &'static [Column],
    written: &'a [Option<String>],
    row: &'a Row,
    problems: &'a mut Vec<RowProblem>,
}

impl Cells<'_> {
    /// The trimmed cell, empty when the column is absent.
    pub fn text(&self, column: &str) -> &str {
        self.columns
            .iter()
            .position(|c| c.name == column)
            .and_then(|i| self.row.cells[i].as_deref())
            .unwrap_or("")
    }

    /// Records a problem of the cell, naming its column as the file's header does.
    pub fn refuse(&mut self, column: &str, problem: Problem) {
        let written = self
            .columns
            .iter()
            .position(|c| c.name == column)
            .and_then(|i| self.written.get(i)?.as_deref());
        self.problems.push(RowProblem {
            line: self.row.line,
            column: written.unwrap_or(column).to_string(),
            problem,
        });
    }

    /// The cell's text, or none when it is empty.
    /// A control character is refused here, where every cell's text passes (a body keeps its
    /// line breaks and tabs), with the same rule as a chat answer.
    pub fn optional(&mut self, column: &str) -> Option<String> {
        let text = Some(self.text(column).to_string()).filter(|t| !t.is_empty())?;
        let multi_line = MULTI_LINE.contains(&column);
        match crate::domain::text::refuse_controls(&text, multi_line) {
            Ok(()) => Some(text),
            Err(problem) => {
                self.refuse(column, problem);
                None
            }
        }
    }

    /// The cell's text; an empty cell is refused.
    pub fn required(&mut self, column: &str) -> Option<String> {
        let value = self.optional(column);
        // A cell refused for what it holds is not also empty.
        if value.is_none() && self.text(column).is_empty() {
            self.refuse_empty(column);
        }
        value
    }

    /// Refuses an empty cell, unless its column is a required one missing from the header:
    /// that was said once on the header line, not again on every row.
    fn refuse_empty(&mut self, column: &str) {
        let missing_required = self
            .columns
            .iter()
            .position(|c| c.name == column)
            .is_some_and(|i| self.columns[i].required && self.row.cells[i].is_none());
        if !missing_required {
            self.refuse(column, Problem::Empty);
        }
    }

    /// The cell's text, at most `limit` characters; an empty cell is refused.
    pub fn required_within(&mut self, column: &str, limit: usize) -> Option<String> {
        let value = self.required(column)?;
        self.within(column, value, limit)
    }

    /// The cell's text, at most `limit` characters, or none when empty.
    pub fn optional_within(&mut self, column: &str, limit: usize) -> Option<Option<String>> {
        match self.optional(column) {
            None => Some(None),
            Some(value) => self.within(column, value, limit).map(Some),
        }
    }

    fn within(&mut self, column: &str, value: String, limit: usize) -> Option<String> {
        if value.chars().count() > limit {
            self.refuse(column, Problem::TooLong { limit });
            return None;
        }
        Some(value)
    }

    /// The cell read by `read`; an empty cell is refused.
    pub fn required_with<T>(
        &mut self,
        column: &str,
        read: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        if self.text(column).is_empty() {
            self.refuse_empty(column);
            return None;
        }
        self.optional_with(column, read).flatten()
    }

    /// The cell read by `read`, or none when empty; outer none when `read` refused it.
    pub fn optional_with<T>(
        &mut self,
        column: &str,
        read: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<Option<T>> {
        let text = self.text(column);
        if text.is_empty() {
            return Some(None);
        }
        match read(text) {
            Ok(value) => Some(Some(value)),
            Err(problem) => {
                self.refuse(column, problem);
                None
            }
        }
    }
}

/// Columns whose cells may hold line breaks and tabs.
const MULTI_LINE: &[&str] = &["body"];

/// A word of a closed list, refused with the list's accepted codes. `parse` is the word's own
/// [`parse`](crate::domain::AdoptionLevel::parse), as the chat's typed words are: a file shows
/// no numbered list, so a number is not taken for its place in one
/// ([`Listing::Unnumbered`](crate::domain::Listing)).
pub(super) fn word<T>(
    parse: impl FnOnce(&str) -> Result<T, crate::domain::UnknownWord>,
) -> impl FnOnce(&str) -> Result<T, Problem> {
    move |text| {
        parse(text).map_err(|e| Problem::NotOneOf {
            value: e.value,
            expected: e.expected,
        })
    }
}

/// A date with its year, in any form a chat answer may take (`2026-04-01`, `2026年4月1日`…),
/// read by the chat's own function without a today: `4月1日` or `昨天` are refused, since a
/// file of history has no "today" to read them against.
pub(super) fn date(text: &str) -> Result<chrono::NaiveDate, Problem> {
    crate::domain::parse_day(text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        required("a", &[]),
        required("b", &["乙"]),
        optional("c", &[]),
    ];

    fn lines(text: &str) -> Result<Vec<(usize, String)>, Vec<RowProblem>> {
        Sheet::read(text, COLUMNS).parse(|cells| {
            let a = cells.required("a");
            Some(format!("{}|{}|{}", a?, cells.text("b"), cells.text("c")))
        })
    }

    #[test]
    fn the_header_is_line_one_and_the_first_row_line_two() {
        let rows = lines("a,b\n1,2\n3,4\n").unwrap();
        assert_eq!(rows, vec![(2, "1|2|".to_string()), (3, "3|4|".to_string())]);
    }

    #[test]
    fn blank_lines_are_skipped_but_keep_their_line_numbers() {
        let rows = lines("a,b\n\n1,2\n , \n3,4\n").unwrap();
        assert_eq!(rows[0].0, 3);
        assert_eq!(rows[1].0, 5);
    }

    #[test]
    fn line_ends_of_every_kind_count_one_line_each() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "", "1,2", "3,4", ""].join(end);
            let rows = lines(&text).unwrap();
            let numbers: Vec<usize> = rows.iter().map(|r| r.0).collect();
            assert_eq!(numbers, vec![3, 4], "{end:?}");
        }
    }

    #[test]
    fn a_cell_holding_line_breaks_is_one_spreadsheet_row() {
        let rows = lines("a,b,c\r\n1,2,\"x\r\ny\nz\"\r\n\r\n3,4,\r\n").unwrap();
        assert_eq!(rows[0], (2, "1|2|x\r\ny\nz".to_string()));
        assert_eq!(rows[1].0, 4);
    }

    #[test]
    fn a_bom_crlf_spaces_and_header_case_do_not_matter() {
        let rows = lines("\u{feff} A , B \r\n 1 , 2 \r\n").unwrap();
        assert_eq!(rows, vec![(2, "1|2|".to_string())]);
    }

    #[test]
    fn an_unknown_column_is_refused_naming_the_accepted_ones() {
        let problems = lines("a,b,d\n1,2,3\n").unwrap_err();
        assert_eq!(
            problems,
            vec![RowProblem {
                line: 1,
                column: "d".to_string(),
                problem: Problem::NotOneOf {
                    value: "d".to_string(),
                    expected: "a, b/乙, c".to_string()
                }
            }]
        );
    }

    #[test]
    fn a_missing_required_column_is_one_problem_on_line_one() {
        let problems = lines("a\n1\n2\n").unwrap_err();
        assert_eq!(
            problems,
            vec![RowProblem {
                line: 1,
                column: "b".to_string(),
                problem: Problem::MissingColumn
            }]
        );
    }

    #[test]
    fn an_empty_text_misses_every_required_column() {
        let problems = lines("").unwrap_err();
        let columns: Vec<_> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, vec!["a", "b"]);
    }

    #[test]
    fn a_chinese_alias_names_the_same_column_and_problems_name_it_as_written() {
        let rows = lines("a,乙\n1,2\n").unwrap();
        assert_eq!(rows, vec![(2, "1|2|".to_string())]);
        let problems = Sheet::read("a, 乙 \n1,\n", COLUMNS)
            .parse(|cells| cells.required("b"))
            .unwrap_err();
        assert_eq!(problems[0].column, "乙");
        let problems = lines("b,乙\n1,2\n").unwrap_err();
        assert_eq!(problems[0].problem, Problem::DuplicateInFile);
    }

    #[test]
    fn the_quote_an_export_puts_before_a_formula_is_taken_off_and_no_other() {
        let rows = lines("a,b,c\n'=1+2,'-x,'plain\n").unwrap();
        assert_eq!(rows, vec![(2, "=1+2|-x|'plain".to_string())]);
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        let problems = lines("a,b,A\n1,2,3\n").unwrap_err();
        assert_eq!(problems[0].problem, Problem::DuplicateInFile);
        assert_eq!(problems[0].column, "A");
    }

    #[test]
    fn a_row_with_the_wrong_number_of_fields_is_refused() {
        let problems = lines("a,b\n1,2,3\n4\n").unwrap_err();
        assert_eq!(
            problems,
            vec![
                RowProblem {
                    line: 2,
                    column: String::new(),
                    problem: Problem::WrongFieldCount {
                        found: 3,
                        expected: 2
                    }
                },
                RowProblem {
                    line: 3,
                    column: String::new(),
                    problem: Problem::WrongFieldCount {
                        found: 1,
                        expected: 2
                    }
                },
            ]
        );
    }

    #[test]
    fn an_unnamed_column_is_tolerated_only_while_empty() {
        assert!(lines("a,b,,\n1,2,,\n").is_ok());
        let problems = lines("a,b,,\n1,2,,x\n").unwrap_err();
        assert_eq!(
            problems,
            vec![RowProblem {
                line: 1,
                column: "D".to_string(),
                problem: Problem::Empty
            }]
        );
    }

    #[test]
    fn spreadsheet_column_letters_go_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
