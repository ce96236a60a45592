//! A table as a printable PDF: the company's requisites at the head of the first page, the
//! title, the table with its header repeated on every page, and «Страница N из M» below.
//! The same [`Sheet`] the Excel and CSV files are written from, so the three never disagree.
//!
//! krilla writes the pages and embeds only the glyphs used (a page of Cyrillic text is a few
//! kilobytes); the font is DejaVu Sans Condensed from Debian's fonts-dejavu-core, built into
//! the binary, so nothing is looked up or fetched at run time. Columns are sized to their
//! text (measured with skrifa, krilla's own font reader); a table too wide for a portrait A4
//! page turns landscape, and one too wide for that wraps its longest cells.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

use super::{Cell, Sheet};
use crate::i18n::{Lang, Msg};
use crate::models::format;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansCondensed.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansCondensed-Bold.ttf");

/// Who issues the document: the company's name and requisites lines, printed at the head of
/// the first page as on the company's paper reports.
#[derive(Clone, Debug, Default)]
pub struct Letterhead {
    pub name: String,
    pub lines: Vec<String>,
}

impl Letterhead {
    /// The company card's requisites: ИНН/КПП/ОГРН, address, phone and e-mail, each line only
    /// where the card has something for it.
    pub fn of(c: &crate::storage::company::Company) -> Letterhead {
        let join = |parts: Vec<(&str, &str)>| {
            parts
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| format!("{k} {}", v.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let address = if c.actual_address.trim().is_empty() { &c.legal_address } else { &c.actual_address };
        let lines = [
            join(vec![("ИНН", &c.inn), ("КПП", &c.kpp), ("ОГРН", &c.ogrn)]),
            join(vec![("Адрес:", address), ("тел.", &c.phone), ("e-mail", &c.email)]),
        ];
        Letterhead {
            name: c.name.clone(),
            lines: lines.into_iter().filter(|l| !l.is_empty()).collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF could not be written: {0:?}")]
    Write(krilla::error::KrillaError),
    #[error("the built-in font could not be read")]
    Font,
}

/// A4 in points.
const A4: (f32, f32) = (595.28, 841.89);
const MARGIN: f32 = 34.0;
const BODY: f32 = 7.5;
const LINE: f32 = BODY * 1.22;
const PAD_X: f32 = 3.0;
const PAD_Y: f32 = 2.2;
/// No column grows wider than this before its text wraps.
const WIDEST: f32 = 190.0;
const FOOTER: f32 = 18.0;

/// A font to draw with and to measure text by.
struct Face {
    font: Font,
    widths: HashMap<char, f32>,
    reader: skrifa::FontRef<'static>,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Result<Face, PdfError> {
        Ok(Face {
            font: Font::new(bytes.to_vec().into(), 0).ok_or(PdfError::Font)?,
            widths: HashMap::new(),
            reader: skrifa::FontRef::new(bytes).map_err(|_| PdfError::Font)?,
        })
    }

    /// The advance of `text` at `size` points.
    fn width(&mut self, text: &str, size: f32) -> f32 {
        let reader = &self.reader;
        let em: f32 = text
            .chars()
            .map(|ch| {
                *self.widths.entry(ch).or_insert_with(|| {
                    let glyph = reader.charmap().map(ch).unwrap_or_default();
                    reader
                        .glyph_metrics(Size::new(1.0), LocationRef::default())
                        .advance_width(glyph)
                        .unwrap_or(0.5)
                })
            })
            .sum();
        em * size
    }

    /// `text` broken into lines no wider than `width`: at spaces, and inside a word only
    /// where the word alone is wider.
    fn wrap(&mut self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // a word wider than the column is cut where it no longer fits
                for ch in word.chars() {
                    let mut next = line.clone();
                    next.push(ch);
                    if !line.is_empty() && self.width(&next, size) > width {
                        lines.push(std::mem::take(&mut line));
                        line.push(ch);
                    } else {
                        line = next;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// A cell as printed: its text and whether it lines up to the right (numbers do).
fn printed(cell: &Cell) -> (String, bool) {
    match cell {
        Cell::Empty => (String::new(), false),
        Cell::Text(s) => (s.clone(), false),
        Cell::Number(v) => (format::decimal(*v), true),
        Cell::Date(d) => (format::date(*d), false),
    }
}

/// Where every column and row goes.
struct Layout {
    page: (f32, f32),
    widths: Vec<f32>,
    header: Vec<Vec<String>>,
    header_height: f32,
    rows: Vec<(Vec<Vec<String>>, Vec<bool>, f32)>,
}

fn layout(sheet: &Sheet, regular: &mut Face, bold: &mut Face) -> Layout {
    let columns = sheet.header.len().max(sheet.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let cells: Vec<Vec<(String, bool)>> = sheet.rows.iter().map(|r| r.iter().map(printed).collect()).collect();
    let longest_word = |face: &mut Face, s: &str| s.split([' ', '\n']).map(|w| face.width(w, BODY)).fold(0.0f32, f32::max);
    let mut natural = vec![0.0f32; columns];
    let mut least = vec![0.0f32; columns];
    for (c, h) in sheet.header.iter().enumerate() {
        let word = longest_word(bold, h);
        natural[c] = natural[c].max(word);
        least[c] = least[c].max(word.min(70.0));
    }
    // a column is as wide as nearly all its cells: the few long ones (a totals row's label)
    // wrap rather than widen it for every row
    let mut seen: Vec<Vec<f32>> = vec![Vec::new(); columns];
    for row in &cells {
        for (c, (text, right)) in row.iter().enumerate() {
            let width = regular.width(text, BODY);
            seen[c].push(width);
            // a figure is never broken; a word only when it is very long
            let unbroken = if *right { width.min(WIDEST) } else { longest_word(regular, text).min(70.0) };
            least[c] = least[c].max(unbroken);
        }
    }
    for (c, widths) in seen.iter_mut().enumerate() {
        widths.sort_by(f32::total_cmp);
        if let Some(w) = widths.get((widths.len().saturating_sub(1)) * 95 / 100) {
            natural[c] = natural[c].max(*w);
        }
    }
    let natural: Vec<f32> = natural.iter().zip(&least).map(|(w, l)| w.max(*l).min(WIDEST) + 2.0 * PAD_X).collect();
    let least: Vec<f32> = least.iter().zip(&natural).map(|(l, n)| (l + 2.0 * PAD_X).min(*n)).collect();
    let sum = |v: &[f32]| v.iter().sum::<f32>();
    let portrait = sum(&natural) <= A4.0 - 2.0 * MARGIN;
    let page = if portrait { A4 } else { (A4.1, A4.0) };
    let usable = page.0 - 2.0 * MARGIN;
    let widths: Vec<f32> = if sum(&natural) <= usable {
        natural
    } else if sum(&least) <= usable {
        // every column gives up the same share of what it has over its least width
        let k = (usable - sum(&least)) / (sum(&natural) - sum(&least));
        natural.iter().zip(&least).map(|(n, l)| l + (n - l) * k).collect()
    } else {
        let k = usable / sum(&least);
        least.iter().map(|l| l * k).collect()
    };
    let inner = |c: usize| (widths[c] - 2.0 * PAD_X).max(BODY);
    let header: Vec<Vec<String>> = (0..columns)
        .map(|c| bold.wrap(sheet.header.get(c).map(String::as_str).unwrap_or(""), BODY, inner(c)))
        .collect();
    let height = |lines: &[Vec<String>]| lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LINE + 2.0 * PAD_Y;
    let header_height = height(&header);
    let rows = cells
        .iter()
        .map(|row| {
            let lines: Vec<Vec<String>> = (0..columns)
                .map(|c| row.get(c).map(|(t, _)| regular.wrap(t, BODY, inner(c))).unwrap_or_default())
                .collect();
            let right: Vec<bool> = (0..columns).map(|c| row.get(c).is_some_and(|(_, r)| *r)).collect();
            let h = height(&lines);
            (lines, right, h)
        })
        .collect();
    Layout { page, widths, header, header_height, rows }
}

fn fill(s: &mut Surface, r: u8, g: u8, b: u8) {
    s.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn rect(s: &mut Surface, x: f32, y: f32, w: f32, h: f32, background: Option<(u8, u8, u8)>) {
    let Some(r) = Rect::from_xywh(x, y, w, h) else { return };
    let mut pb = PathBuilder::new();
    pb.push_rect(r);
    let Some(path) = pb.finish() else { return };
    match background {
        Some((red, green, blue)) => fill(s, red, green, blue),
        None => s.set_fill(None),
    }
    s.set_stroke(Some(Stroke {
        paint: rgb::Color::new(150, 160, 170).into(),
        width: 0.4,
        ..Default::default()
    }));
    s.draw_path(&path);
    s.set_stroke(None);
}

fn text(s: &mut Surface, face: &Face, x: f32, baseline: f32, size: f32, t: &str) {
    if !t.is_empty() {
        s.draw_text(Point::from_xy(x, baseline), face.font.clone(), size, t, false, TextDirection::LeftToRight);
    }
}

/// One row of the table (the header too) at `top`.
#[allow(clippy::too_many_arguments)]
fn row(s: &mut Surface, face: &mut Face, widths: &[f32], lines: &[Vec<String>], right: &[bool], top: f32, height: f32, background: Option<(u8, u8, u8)>) {
    let mut x = MARGIN;
    for (c, w) in widths.iter().enumerate() {
        rect(s, x, top, *w, height, background);
        fill(s, 20, 24, 28);
        for (i, line) in lines.get(c).map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
            let baseline = top + PAD_Y + BODY + i as f32 * LINE;
            let left = match right.get(c) {
                Some(true) => x + w - PAD_X - face.width(line, BODY),
                _ => x + PAD_X,
            };
            text(s, face, left, baseline, BODY, line);
        }
        x += w;
    }
}

impl Sheet {
    /// The table as a PDF document (A4, portrait or landscape as its width asks).
    pub fn to_pdf(&self, head: &Letterhead, lang: Lang, made_at: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
        let mut regular = Face::new(REGULAR)?;
        let mut bold = Face::new(BOLD)?;
        let l = layout(self, &mut regular, &mut bold);
        let (page_w, page_h) = l.page;
        let table_width: f32 = l.widths.iter().sum();

        // what the first page holds above the table
        let mut first: Vec<(f32, bool, String)> = Vec::new();
        if !head.name.is_empty() {
            first.push((10.0, true, head.name.clone()));
        }
        for line in &head.lines {
            first.push((7.5, false, line.clone()));
        }
        let letterhead_lines = first.len();
        for (i, t) in self.title.iter().enumerate() {
            for piece in if i == 0 { &mut bold } else { &mut regular }.wrap(t, if i == 0 { 12.0 } else { 9.0 }, page_w - 2.0 * MARGIN) {
                first.push(if i == 0 { (12.0, true, piece) } else { (9.0, false, piece) });
            }
        }
        let above: f32 = first.iter().map(|(size, _, _)| size * 1.35).sum::<f32>() + if letterhead_lines > 0 { 8.0 } else { 0.0 } + 6.0;

        // rows per page: the header repeats on every page, the footer keeps its strip
        let bottom = page_h - MARGIN - FOOTER;
        let mut pages: Vec<std::ops::Range<usize>> = Vec::new();
        let mut start = 0;
        let mut y = MARGIN + above + l.header_height;
        for (i, (_, _, h)) in l.rows.iter().enumerate() {
            if y + h > bottom && i > start {
                pages.push(start..i);
                start = i;
                y = MARGIN + l.header_height;
            }
            y += h;
        }
        pages.push(start..l.rows.len());

        let mut doc = Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(self.title.first().cloned().unwrap_or_else(|| self.name.clone()))
                .creator(Msg::AppName.text(lang).to_string())
                .language(lang.code().to_string()),
        );
        let total = pages.len();
        let made = format!("{} {}", Msg::PdfMade.text(lang), format::date_time(made_at));
        for (n, range) in pages.iter().enumerate() {
            let settings = PageSettings::from_wh(page_w, page_h).expect("A4 is a valid size");
            let mut page = doc.start_page_with(settings);
            let mut s = page.surface();
            let mut y = MARGIN;
            if n == 0 {
                for (i, (size, strong, t)) in first.iter().enumerate() {
                    y += size * 1.35;
                    match (i < letterhead_lines, strong) {
                        (true, false) => fill(&mut s, 90, 98, 106),
                        _ => fill(&mut s, 20, 24, 28),
                    }
                    text(&mut s, if *strong { &bold } else { &regular }, MARGIN, y - size * 0.3, *size, t);
                    if i + 1 == letterhead_lines {
                        y += 4.0;
                        rect(&mut s, MARGIN, y, page_w - 2.0 * MARGIN, 0.01, None);
                        y += 4.0;
                    }
                }
                y += 6.0;
            }
            let right = vec![false; l.widths.len()];
            row(&mut s, &mut bold, &l.widths, &l.header, &right, y, l.header_height, Some((221, 231, 240)));
            y += l.header_height;
            if self.rows.is_empty() {
                fill(&mut s, 90, 98, 106);
                text(&mut s, &regular, MARGIN + PAD_X, y + PAD_Y + BODY, BODY, Msg::NothingFound.text(lang));
            }
            for (lines, right, h) in &l.rows[range.clone()] {
                row(&mut s, &mut regular, &l.widths, lines, right, y, *h, None);
                y += h;
            }
            // the footer: when it was made, and which page of how many
            fill(&mut s, 90, 98, 106);
            let base = page_h - MARGIN + 4.0;
            text(&mut s, &regular, MARGIN, base, 7.0, &made);
            let number = format!("{} {} {} {}", Msg::Page.text(lang), n + 1, Msg::PdfOf.text(lang), total);
            let w = regular.width(&number, 7.0);
            text(&mut s, &regular, MARGIN + table_width.max(page_w - 2.0 * MARGIN) - w, base, 7.0, &number);
            s.finish();
            page.finish();
        }
        doc.finish().map_err(PdfError::Write)
    }
}

/// What a PDF says, as `pdftotext -layout` (Debian's poppler-utils, which `scripts/tools.sh`
/// installs) reads it: the tests check reports by their words and numbers this way, as a
/// person copying from the page would get them. Non-breaking spaces read as spaces.
pub fn text_of(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext runs (Debian's poppler-utils: scripts/tools.sh installs it)");
    child.stdin.take().expect("stdin is piped").write_all(pdf).expect("pdftotext reads the file");
    let out = child.wait_with_output().expect("pdftotext finishes");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn registry(rows: usize) -> Sheet {
        Sheet {
            name: "Реестр".into(),
            title: vec!["Реестр показаний ИПУ — ЖК «Огни», корпус 1".into(), "Ноябрь 2026".into()],
            header: vec!["№ кв".into(), "Лицевой счёт".into(), "Заводской номер".into(), "Предыдущее показание Т1".into(), "Дата".into()],
            rows: (1..=rows)
                .map(|i| {
                    vec![
                        Cell::Text(i.to_string()),
                        Cell::Text(format!("ЛС-{i:06}")),
                        Cell::Text(format!("{}", 40_000_000 + i)),
                        Cell::Number(Decimal::from_str("12345.678").unwrap() + Decimal::from(i as i64)),
                        Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
                    ]
                })
                .collect(),
            widths: vec![],
        }
    }

    fn head() -> Letterhead {
        Letterhead { name: "ООО «УК Северный квартал»".into(), lines: vec!["ИНН 7701234567, КПП 770101001".into()] }
    }

    fn made() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(9, 30, 0).unwrap()
    }

    #[test]
    fn a_long_table_is_a_pdf_of_several_pages_with_its_font_subset() {
        let bytes = registry(400).to_pdf(&head(), Lang::Ru, made()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // the whole font is 680 KB; the subset of the glyphs used is a small part of that
        assert!(bytes.len() < 300_000, "{} bytes", bytes.len());
    }

    #[test]
    fn a_narrow_table_stays_portrait_and_a_wide_one_turns_landscape() {
        let mut r = Face::new(REGULAR).unwrap();
        let mut b = Face::new(BOLD).unwrap();
        assert_eq!(layout(&registry(3), &mut r, &mut b).page, A4);
        let mut wide = registry(3);
        wide.header.extend((0..12).map(|i| format!("Показание на конец периода Т{i}")));
        for row in &mut wide.rows {
            row.extend((0..12).map(|_| Cell::Number(Decimal::from_str("123456789.123456").unwrap())));
        }
        let l = layout(&wide, &mut r, &mut b);
        assert_eq!(l.page, (A4.1, A4.0));
        assert!(l.widths.iter().sum::<f32>() <= A4.1 - 2.0 * MARGIN + 0.01);
    }

    #[test]
    fn a_figure_is_never_broken_and_a_totals_label_wraps_at_its_words() {
        let mut sheet = registry(100);
        let label = "Итого по квартирным приборам (ИПУ): Электроэнергия";
        sheet.rows.push(vec![
            Cell::Text(label.into()),
            Cell::Empty,
            Cell::Empty,
            Cell::Number(Decimal::from_str("105569.56").unwrap()),
            Cell::Empty,
        ]);
        let mut r = Face::new(REGULAR).unwrap();
        let mut b = Face::new(BOLD).unwrap();
        let l = layout(&sheet, &mut r, &mut b);
        let (lines, _, _) = l.rows.last().unwrap();
        assert_eq!(lines[3], vec!["105\u{a0}569,56".to_string()], "one line");
        let words: Vec<&str> = label.split(' ').collect();
        assert!(lines[0].len() > 1, "the label wraps rather than widening the column");
        for line in &lines[0] {
            assert!(line.split(' ').all(|w| words.contains(&w)), "«{line}» keeps whole words");
        }
    }

    #[test]
    fn a_word_wider_than_its_column_is_cut_and_nothing_is_lost() {
        let mut r = Face::new(REGULAR).unwrap();
        let lines = r.wrap("Показание Электроэнергияпотреблённая", BODY, 40.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), "ПоказаниеЭлектроэнергияпотреблённая");
        assert!(lines.iter().all(|l| r.width(l, BODY) <= 40.0));
    }

    #[test]
    fn the_text_of_the_pages_reads_back_in_cyrillic_with_every_page_numbered() {
        let bytes = registry(400).to_pdf(&head(), Lang::Ru, made()).unwrap();
        let text = text_of(&bytes);
        assert!(text.contains("ООО «УК Северный квартал»"), "{text}");
        assert!(text.contains("Реестр показаний ИПУ — ЖК «Огни», корпус 1"));
        assert!(text.contains("12 745,678"), "the 400th row's reading in Russian digits");
        assert!(text.contains("30.11.2026"));
        let pages = text.matches("Страница ").count();
        assert!(pages > 3, "{pages} pages");
        assert!(text.contains(&format!("Страница {pages} из {pages}")));
        assert_eq!(text.matches("Лицевой").count(), pages, "the header repeats on every page");
        assert!(text.contains("Сформировано 06.12.2026 09:30"));
    }
}
