//! A company's file as rows of text: XLSX/XLS/ODS through calamine, CSV in UTF-8 or
//! Windows-1251 with `;`, `,` or tab between fields. Cells become the text a person sees in
//! the spreadsheet — numbers in their shortest exact form, dates as dd.mm.yyyy — so every
//! check downstream reads one kind of value.

use std::io::Cursor;

/// A row as the spreadsheet numbers it (the header row is 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `column`, "" past the end of a short row.
    pub fn cell(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.cells.get(c))
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Data rows without the empty ones.
    pub rows: Vec<Row>,
}

/// Why a file could not be read at all, in Russian.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TableError {
    #[error("файл пуст")]
    Empty,
    #[error("не удалось прочитать таблицу: {0}")]
    Spreadsheet(String),
    #[error("это не таблица: ожидается XLSX, XLS, ODS или CSV")]
    NotATable,
    #[error("в файле нет строки заголовков")]
    NoHeader,
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

pub fn read(bytes: &[u8]) -> Result<Table, TableError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TableError::Empty);
    }
    let rows = if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        spreadsheet(bytes)?
    } else {
        csv_rows(&text(bytes)?)?
    };
    let mut rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| Row {
            line: i + 1,
            cells: cells.into_iter().map(|c| c.trim().to_string()).collect(),
        })
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()));
    let header = rows.next().ok_or(TableError::NoHeader)?;
    Ok(Table {
        headers: header.cells,
        rows: rows.collect(),
    })
}

/// UTF-8 (with or without its BOM), else Windows-1251 — what Russian Excel saves as «CSV».
fn text(bytes: &[u8]) -> Result<String, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let s = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned(),
    };
    // a binary file decodes too (1251 maps every byte): control characters give it away
    let control = s
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if control > 0 {
        return Err(TableError::NotATable);
    }
    Ok(s)
}

fn csv_rows(s: &str) -> Result<Vec<Vec<String>>, TableError> {
    let first = s.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d as char).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(s.as_bytes());
    let bytes = s.as_bytes();
    let mut rows: Vec<Vec<String>> = Vec::new();
    // the spreadsheet's line of each record, counted from the bytes: the reader skips
    // empty lines and its own line count does not see them
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Spreadsheet(e.to_string()))?;
        let mut start = record.position().map(|p| p.byte() as usize).unwrap_or(counted_to);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += bytes[counted_to..start.max(counted_to)].iter().filter(|b| **b == b'\n').count();
        counted_to = start.max(counted_to);
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

fn spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| TableError::Spreadsheet(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(TableError::NoHeader)?
        .map_err(|e| TableError::Spreadsheet(e.to_string()))?;
    // the used range may start below row 1: keep the spreadsheet's own row numbers
    let top = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let left = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); top];
    for r in range.rows() {
        let mut cells = vec![String::new(); left];
        cells.extend(r.iter().map(cell_text));
        rows.push(cells);
    }
    Ok(rows)
}

/// A cell as the spreadsheet shows it: 54.3 not 54.300000000000004 (the shortest text that
/// reads back as the same number), 76000101 not 76000101.0, dates as dd.mm.yyyy (and hh:mm
/// where the cell has a time of day).
fn cell_text(d: &calamine::Data) -> String {
    use calamine::{Data, DataType};
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => if *b { "да" } else { "нет" }.into(),
        // a moment with its time of day (a reading taken at 14:30) keeps it
        Data::DateTime(_) | Data::DateTimeIso(_) => d
            .as_datetime()
            .map(|x| {
                if x.time() == chrono::NaiveTime::MIN {
                    x.format("%d.%m.%Y").to_string()
                } else {
                    x.format("%d.%m.%Y %H:%M").to_string()
                }
            })
            .unwrap_or_default(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_1251_csv_with_semicolons_reads_as_russian_text() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Помещение;Лицевой счёт\n1;0076000101\n\n2;0076000102\n");
        let t = read(&bytes).unwrap();
        assert_eq!(t.headers, vec!["Помещение", "Лицевой счёт"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 4, "the empty row keeps its number");
        assert_eq!(t.rows[0].cell(Some(1)), "0076000101", "leading zeros kept");
    }

    #[test]
    fn a_utf8_csv_with_commas_and_quotes_keeps_its_commas_inside_quotes() {
        let t = read("\u{feff}Адрес,Площадь\n\"ул. Ленина, д. 1\",\"54,3\"\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].cells, vec!["ул. Ленина, д. 1", "54,3"]);
    }

    #[test]
    fn garbage_is_not_a_table_and_says_so() {
        assert_eq!(read(&[0u8, 159, 146, 150, 1, 2]).unwrap_err(), TableError::NotATable);
        assert_eq!(read(b"  \n").unwrap_err(), TableError::Empty);
        assert!(matches!(read(b"PK\x03\x04broken").unwrap_err(), TableError::Spreadsheet(_)));
    }

    #[test]
    fn an_xlsx_file_reads_numbers_exactly_and_dates_the_russian_way() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "Помещение").unwrap();
        sheet.write(0, 1, "Площадь").unwrap();
        sheet.write(0, 2, "Согласие").unwrap();
        sheet.write(1, 0, 12).unwrap();
        sheet.write(1, 1, 54.3).unwrap();
        let date = ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
        sheet
            .write_datetime_with_format(1, 2, &date, &Format::new().set_num_format("dd.mm.yyyy"))
            .unwrap();
        let moment = ExcelDateTime::from_ymd(2026, 3, 1).unwrap().and_hms(14, 30, 0).unwrap();
        sheet
            .write_datetime_with_format(1, 3, &moment, &Format::new().set_num_format("dd.mm.yyyy hh:mm"))
            .unwrap();
        let t = read(&book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(t.rows[0].cells, vec!["12", "54.3", "01.03.2026", "01.03.2026 14:30"]);
        assert_eq!(t.rows[0].line, 2);
    }
}
