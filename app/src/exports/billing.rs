//! The billing export's files (issue 28) and its protocol as a sheet. A receiver's file has
//! its header in the first row and nothing above it, since importers read it by position.
//!
//! ГИС ЖКХ: the columns follow the portal's template of individual meters' readings (meter
//! number, resource, personal account, address, date, a value per tariff, up to three); the
//! portal could not be reached from here to compare with its current template version, so
//! the column list is this one table, to be put right in one place.

use chrono::NaiveDate;

use super::{Cell, Sheet};
use crate::i18n::{month_year, resource_name, Lang, Msg};
use crate::models::billing::{ExportLine, Protocol, Template};
use crate::models::Resource;

/// ГИС ЖКХ's name of a resource (its reference book «Вид коммунального ресурса»).
fn gis_resource(r: Resource) -> &'static str {
    match r {
        Resource::ColdWater => "Холодная вода",
        Resource::HotWater => "Горячая вода",
        Resource::Electricity => "Электрическая энергия",
        Resource::Heat => "Тепловая энергия",
        Resource::Gas => "Газ",
        Resource::Wastewater => "Сточные воды",
    }
}

/// The file of the lines sent, in the template's layout.
pub fn sheet(lines: &[&ExportLine], period: NaiveDate, template: Template) -> Sheet {
    match template {
        Template::GisZhkh => Sheet {
            name: "Показания ПУ".into(),
            title: Vec::new(),
            header: [
                "Номер прибора учета",
                "Вид коммунального ресурса",
                "Номер лицевого счета",
                "Адрес",
                "Номер помещения",
                "Дата снятия показания",
                "Показание (Т1)",
                "Показание (Т2)",
                "Показание (Т3)",
            ]
            .map(String::from)
            .to_vec(),
            rows: lines
                .iter()
                .map(|l| {
                    let mut row: Vec<Cell> = vec![
                        l.serial.clone().into(),
                        gis_resource(l.resource).into(),
                        l.account.clone().into(),
                        l.object.clone().into(),
                        l.flat.clone().into(),
                        Cell::from(l.taken_on),
                    ];
                    row.extend(l.values.iter().map(|v| Cell::from(*v)));
                    row
                })
                .collect(),
            widths: vec![18.0, 22.0, 16.0, 36.0, 10.0, 14.0, 14.0, 14.0, 14.0],
        },
        Template::OneC => Sheet {
            name: format!("Показания {}", period.format("%m.%Y")),
            title: Vec::new(),
            header: [
                "ЛицевойСчет",
                "Адрес",
                "Помещение",
                "Услуга",
                "ЗаводскойНомер",
                "ДатаПоказания",
                "ПоказаниеТ1",
                "ПоказаниеТ2",
                "ПоказаниеТ3",
                "Расход",
                "ОснованиеРасхода",
            ]
            .map(String::from)
            .to_vec(),
            rows: lines
                .iter()
                .map(|l| {
                    let mut row: Vec<Cell> = vec![
                        l.account.clone().into(),
                        l.object.clone().into(),
                        l.flat.clone().into(),
                        gis_resource(l.resource).into(),
                        l.serial.clone().into(),
                        Cell::from(l.taken_on),
                    ];
                    row.extend(l.values.iter().map(|v| Cell::from(*v)));
                    row.push(Cell::from(l.volume));
                    row.push(l.volume.map(|_| l.basis.name(false)).unwrap_or("").into());
                    row
                })
                .collect(),
            widths: Vec::new(),
        },
    }
}

/// A run's protocol as a file: every line, sent or not, with the reason.
pub fn protocol(p: &Protocol, lang: Lang) -> Sheet {
    let tx = |m: Msg| m.text(lang).to_string();
    let english = lang == Lang::En;
    let r = &p.run;
    Sheet {
        name: tx(Msg::BillingProtocol),
        title: vec![
            format!("{} № {} — {}, {}", tx(Msg::BillingProtocol), r.id, month_year(lang, r.period), r.template.name()),
            format!("{}: {} — {}; {}: {}", tx(Msg::BillingStarted), r.started, r.finished, tx(Msg::BillingStatus), r.status.name(english)),
        ],
        header: [
            Msg::Building,
            Msg::ColFlat,
            Msg::ColAccount,
            Msg::NpResource,
            Msg::Serial,
            Msg::Date,
            Msg::BillingValues,
            Msg::BillingVolume,
            Msg::PeriodBasis,
            Msg::BillingSent,
            Msg::BillingReason,
            Msg::BillingWas,
        ]
        .map(tx)
        .to_vec(),
        rows: p
            .lines
            .iter()
            .map(|l| -> Vec<Cell> {
                vec![
                    l.object.clone().into(),
                    l.flat.clone().into(),
                    l.account.clone().into(),
                    tx(resource_name(l.resource)).into(),
                    l.serial.clone().into(),
                    Cell::from(l.taken_on),
                    l.values.iter().flatten().map(|v| crate::models::format::decimal(*v)).collect::<Vec<_>>().join(" / ").into(),
                    Cell::from(l.volume),
                    l.volume.map(|_| l.basis.name(english)).unwrap_or("").into(),
                    tx(if l.sent { Msg::Yes } else { Msg::No }).into(),
                    l.reason.map(|r| r.name(english)).unwrap_or("").into(),
                    l.was.clone().into(),
                ]
            })
            .collect(),
        widths: vec![30.0, 8.0, 14.0, 18.0, 16.0, 12.0, 18.0, 12.0, 16.0, 10.0, 36.0, 16.0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::period::Basis;
    use std::str::FromStr;

    fn line() -> ExportLine {
        ExportLine {
            object: "ул. Тестовая, д. 1".into(),
            flat: "12".into(),
            account: "0012".into(),
            serial: "SN-1".into(),
            resource: Resource::ColdWater,
            taken_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            values: [Some(rust_decimal::Decimal::from_str("123.456").unwrap()), None, None],
            volume: Some(rust_decimal::Decimal::from_str("3.5").unwrap()),
            basis: Basis::Measured,
            sent: true,
            reason: None,
            was: String::new(),
        }
    }

    #[test]
    fn the_1c_file_starts_with_its_header_and_keeps_leading_zeros_and_decimal_commas() {
        let l = line();
        let csv = sheet(&[&l], NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), Template::OneC).to_csv();
        let mut rows = csv.trim_start_matches('\u{feff}').lines();
        assert!(rows.next().unwrap().starts_with("ЛицевойСчет;Адрес;Помещение;Услуга;ЗаводскойНомер"));
        assert_eq!(rows.next().unwrap(), "0012;ул. Тестовая, д. 1;12;Холодная вода;SN-1;20.11.2026;123,456;;;3,5;по показаниям");
    }
}
