//! One export path for every table: a CSV file (semicolon-separated, with a BOM so Excel
//! opens Cyrillic correctly) offered as a `data:` link, so it works before hydration too.

/// A header row in the reader's language.
pub fn header(labels: &[crate::i18n::Msg], lang: crate::i18n::Lang) -> Vec<String> {
    labels.iter().map(|m| m.text(lang).to_string()).collect()
}

/// The `href` of a CSV download for these rows (first row is the header).
pub fn csv_href(rows: &[Vec<String>]) -> String {
    let mut text = String::from("\u{feff}");
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .map(|cell| crate::models::format::csv_cell(cell))
            .collect();
        text.push_str(&line.join(";"));
        text.push_str("\r\n");
    }
    format!(
        "data:text/csv;charset=utf-8,{}",
        crate::models::format::url_encode(&text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_separators_and_encodes_cyrillic() {
        let href = csv_href(&[
            vec!["Адрес".into(), "a;b".into()],
            vec!["1".into(), "say \"hi\"".into()],
        ]);
        assert!(href.starts_with("data:text/csv;charset=utf-8,%EF%BB%BF"));
        assert!(href.contains("%22a%3Bb%22"));
        assert!(href.contains("%22say%20%22%22hi%22%22%22"));
        assert!(href.contains("%D0%90%D0%B4%D1%80%D0%B5%D1%81"));
    }
}
