//! A table as a file: a title, a header row and typed cells. Numbers are written as numbers
//! (Excel can sum them) with exactly the digits stored: a reading has at most 9 integer and
//! 6 fraction digits, which a double holds and prints back unchanged.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub use crate::models::cell::Cell;

#[derive(Clone, Debug, Default)]
pub struct Sheet {
    /// Sheet name (Excel allows 31 characters).
    pub name: String,
    /// Lines above the table: what was exported, for which building and date.
    pub title: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Column widths in characters; missing ones are guessed from the header.
    pub widths: Vec<f64>,
}

impl Sheet {
    /// The workbook's bytes.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let head = Format::new().set_bold().set_background_color("DDE7F0");
        let date = Format::new().set_num_format("dd.mm.yyyy");
        let sheet = book.add_worksheet();
        let name: String = self
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        if !name.is_empty() {
            sheet.set_name(&name)?;
        }
        let mut r: u32 = 0;
        for line in &self.title {
            sheet.write_string_with_format(r, 0, line, &bold)?;
            r += 1;
        }
        if !self.title.is_empty() {
            r += 1;
        }
        for (c, h) in self.header.iter().enumerate() {
            sheet.write_string_with_format(r, c as u16, h, &head)?;
            let width = self
                .widths
                .get(c)
                .copied()
                .unwrap_or((h.chars().count() as f64 + 2.0).max(10.0));
            sheet.set_column_width(c as u16, width)?;
        }
        let header_row = r;
        r += 1;
        for row in &self.rows {
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s)?;
                    }
                    Cell::Number(v) => {
                        sheet.write_number(r, c, v.to_f64().unwrap_or_default())?;
                    }
                    Cell::Date(d) => {
                        let excel = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            d.year_ce().1 as u16,
                            d.month0() as u8 + 1,
                            d.day0() as u8 + 1,
                        )?;
                        sheet.write_datetime_with_format(r, c, &excel, &date)?;
                    }
                }
            }
            r += 1;
        }
        if !self.header.is_empty() {
            sheet.set_freeze_panes(header_row + 1, 0)?;
            if !self.rows.is_empty() {
                sheet.autofilter(header_row, 0, r - 1, self.header.len() as u16 - 1)?;
            }
        }
        book.save_to_buffer()
    }

    /// Semicolon-separated, with a BOM so Excel opens Cyrillic correctly; decimal comma as
    /// Russian Excel expects; dates dd.mm.yyyy.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let mut line = |cells: Vec<String>| {
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| crate::models::format::csv_cell(c))
                .collect();
            out.push_str(&quoted.join(";"));
            out.push_str("\r\n");
        };
        for t in &self.title {
            line(vec![t.clone()]);
        }
        line(self.header.clone());
        for row in &self.rows {
            line(
                row.iter()
                    .map(|cell| match cell {
                        Cell::Empty => String::new(),
                        Cell::Text(s) => s.clone(),
                        Cell::Number(v) => v.normalize().to_string().replace('.', ","),
                        Cell::Date(d) => crate::models::format::date(*d),
                    })
                    .collect(),
            );
        }
        out
    }
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn sheet() -> Sheet {
        Sheet {
            name: "Показания".into(),
            title: vec!["ЖК «Огни», корпус 1".into()],
            header: vec!["№ кв".into(), "Показание".into(), "Дата".into()],
            rows: vec![
                vec![
                    "1".into(),
                    Cell::Number(Decimal::from_str("123456789.123456").unwrap()),
                    Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
                ],
                vec!["2; и \"3\"".into(), Cell::Empty, Cell::Empty],
            ],
            widths: vec![],
        }
    }

    #[test]
    fn csv_uses_semicolons_a_decimal_comma_and_russian_dates() {
        let csv = sheet().to_csv();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("1;123456789,123456;20.11.2026\r\n"), "{csv}");
        assert!(csv.contains("\"2; и \"\"3\"\"\";;\r\n"), "{csv}");
    }

    #[test]
    fn the_widest_reading_survives_the_trip_through_a_double() {
        // 9 integer and 6 fraction digits: the most a meter has
        for text in [
            "999999999.999999",
            "123456789.123456",
            "0.000001",
            "99998.5",
        ] {
            let v = Decimal::from_str(text).unwrap();
            let printed = v.to_f64().unwrap().to_string();
            assert_eq!(printed, text);
        }
    }

    #[test]
    fn an_xlsx_file_is_a_zip_with_the_rows_in_it() {
        let bytes = sheet().to_xlsx().unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
