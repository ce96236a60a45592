//! `server import`: the report of an import as the terminal shows it.

use app::models::import::ImportReport;

/// What an entity is called in the report.
fn entity_name(entity: &str) -> &str {
    match entity {
        "building" => "домов",
        "premise" => "помещений",
        "account" => "лицевых счетов",
        "owner" => "собственников",
        "meter" => "приборов учёта",
        "reading" => "показаний",
        other => other,
    }
}

/// The counts, then every problem by row and column.
pub fn text(r: &ImportReport) -> String {
    let mut out = format!("строк: {}\n", r.rows);
    for c in &r.counts {
        out.push_str(&format!(
            "{}: добавить {}, изменить {}, без изменений {}\n",
            entity_name(&c.entity),
            c.added,
            c.updated,
            c.unchanged
        ));
    }
    if r.to_confirm > 0 {
        out.push_str(&format!("на подтверждение диспетчеру: {}\n", r.to_confirm));
    }
    for i in &r.issues {
        out.push_str(&format!("строка {}, «{}» = «{}»: {}\n", i.row, i.column, i.value, i.reason));
    }
    out.push_str(if r.written {
        "записано\n"
    } else if r.issues.is_empty() {
        "проверено, ничего не записано (--check)\n"
    } else {
        "ничего не записано\n"
    });
    out
}
