//! The dispatch desk as a file: every request under the desk's filters, as on screen.

use super::{Cell, Sheet};
use crate::i18n::{category_name, specialist_name, stage_name, Lang, Msg};
use crate::models::request::DeskView;

pub fn sheet(desk: &DeskView, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    Sheet {
        name: t(Msg::MenuDispatch),
        title: vec![t(Msg::MenuDispatch)],
        header: vec![
            t(Msg::ReqNumber),
            t(Msg::ReqCreated),
            t(Msg::NpObject),
            t(Msg::ColFlat),
            t(Msg::ReqAuthor),
            t(Msg::ReqSpecialist),
            t(Msg::ReqCategory),
            t(Msg::ReqStage),
            t(Msg::ReqDue),
            t(Msg::ReqOverdue),
            t(Msg::ReqAssignee),
            t(Msg::ReqMessage),
        ],
        widths: vec![10.0, 18.0, 30.0, 8.0, 28.0, 14.0, 16.0, 14.0, 18.0, 10.0, 28.0, 60.0],
        rows: desk
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Number(r.number.into()),
                    r.created.clone().into(),
                    r.object.clone().into(),
                    r.flat.clone().into(),
                    r.author.clone().into(),
                    t(specialist_name(r.specialist)).into(),
                    t(category_name(r.category)).into(),
                    t(stage_name(r.stage)).into(),
                    r.due.clone().unwrap_or_default().into(),
                    if r.overdue { t(Msg::Yes) } else { String::new() }.into(),
                    r.assignee.clone().unwrap_or_default().into(),
                    r.excerpt.clone().into(),
                ]
            })
            .collect(),
    }
}
