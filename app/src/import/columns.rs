//! Columns found by their Russian headers, the way billing systems and previous АСКУЭ
//! export them: «Лицевой счёт», «Л/с» and «ЛС» are one column; case, «ё», spaces and
//! punctuation do not matter.

use crate::models::import::ImportIssue;

/// A column a kind of file may have.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The header written in templates.
    pub title: &'static str,
    /// Other headers seen in companies' files.
    pub other_names: &'static [&'static str],
    pub required: bool,
}

impl Field {
    /// The same column, required or not in this kind of file.
    pub const fn required(self, required: bool) -> Field {
        Field { required, ..self }
    }
}

/// Columns several kinds of file have, under the same names.
pub const BUILDING_ADDRESS: Field =
    Field { title: "Адрес дома", other_names: &["Адрес", "Дом", "Адрес объекта"], required: false };
pub const PREMISE: Field = Field {
    title: "Помещение",
    other_names: &["Квартира", "Кв", "№ кв", "Номер помещения", "№ помещения"],
    required: false,
};
pub const ACCOUNT: Field =
    Field { title: "Лицевой счёт", other_names: &["Л/с", "ЛС", "Номер ЛС", "Лицевой"], required: false };
pub const RESOURCE: Field =
    Field { title: "Ресурс", other_names: &["Вид ресурса", "Услуга", "Вид учёта"], required: false };
pub const MODEL: Field = Field {
    title: "Модель",
    other_names: &["Тип прибора", "Модель прибора", "Марка", "Тип ПУ", "Тип счётчика"],
    required: false,
};
pub const SERIAL: Field = Field {
    title: "Заводской номер",
    other_names: &["Зав. №", "Зав номер", "Серийный номер", "Номер прибора", "Номер ПУ"],
    required: false,
};

/// A header reduced to its letters and digits: «Лицевой счёт, №» → «лицевойсчет».
pub fn normalize(header: &str) -> String {
    header
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .trim_end_matches("номер")
        .to_string()
}

/// Where each field is among the headers; the missing required ones, or a field found
/// twice, as issues of row 1.
pub fn locate(fields: &[Field], headers: &[String]) -> Result<Vec<Option<usize>>, Vec<ImportIssue>> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let mut issues = Vec::new();
    let mut found = Vec::with_capacity(fields.len());
    for f in fields {
        let names: Vec<String> = std::iter::once(f.title)
            .chain(f.other_names.iter().copied())
            .map(normalize)
            .collect();
        let at: Vec<usize> = normalized
            .iter()
            .enumerate()
            .filter(|(_, h)| names.contains(h))
            .map(|(i, _)| i)
            .collect();
        match at.as_slice() {
            [] if f.required => issues.push(ImportIssue {
                row: 1,
                column: f.title.into(),
                value: String::new(),
                reason: format!("нет столбца «{}»", f.title),
            }),
            [] => found.push(None),
            [one] => found.push(Some(*one)),
            [_, second, ..] => issues.push(ImportIssue {
                row: 1,
                column: headers[*second].clone(),
                value: headers[*second].clone(),
                reason: format!("столбец «{}» встречается дважды", f.title),
            }),
        }
    }
    if issues.is_empty() {
        Ok(found)
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [Field; 2] = [
        Field { title: "Лицевой счёт", other_names: &["Л/с", "ЛС"], required: true },
        Field { title: "Телефон", other_names: &[], required: false },
    ];

    #[test]
    fn headers_match_whatever_their_case_and_punctuation() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(locate(&FIELDS, &h(&["Кв.", "л/с"])).unwrap(), vec![Some(1), None]);
        assert_eq!(locate(&FIELDS, &h(&["ЛИЦЕВОЙ СЧЕТ №", "телефон"])).unwrap(), vec![Some(0), Some(1)]);
    }

    #[test]
    fn a_missing_or_doubled_column_is_an_issue_of_the_header_row() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let missing = locate(&FIELDS, &h(&["Телефон"])).unwrap_err();
        assert_eq!((missing[0].row, missing[0].reason.as_str()), (1, "нет столбца «Лицевой счёт»"));
        let twice = locate(&FIELDS, &h(&["ЛС", "Лицевой счёт"])).unwrap_err();
        assert!(twice[0].reason.contains("дважды"));
    }
}
